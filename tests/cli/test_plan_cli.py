"""The plan and rules commands: JSON keys, reports, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_one_line_error

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "patients" / "example.yaml"
KEYS = {"decision", "reasons", "regions", "series", "combination", "home_care", "sources"}


def test_plan_json_keys(cli):
    r = cli("plan", str(EXAMPLE), "--start", "2026-12-01", "--json")
    assert r.code == 0, r.stderr
    doc = r.json()
    assert set(doc) >= KEYS
    assert doc["decision"] in ("proceed", "proceed-with-caution", "defer", "do-not-treat")
    assert {"rule", "effect", "message", "sources"} <= set(doc["reasons"][0])
    region = doc["regions"][0]
    assert {
        "site",
        "indication",
        "device",
        "needle_length_mm",
        "passes",
        "endpoint",
        "anaesthesia",
        "predicted",
    } <= set(region)
    assert {"depth_um", "vas", "grade_mean_final"} <= set(region["predicted"])
    assert {"sessions", "interval_weeks", "dates"} <= set(doc["series"])


@pytest.mark.parametrize(
    "audience, lang, needle",
    [
        ("clinician", "en", "References"),
        ("patient", "en", "Your micro-needling plan"),
        ("patient", "sv", "Din behandlingsplan"),
        ("clinician", "sv", "Referenser"),
    ],
)
def test_report_is_self_contained_html(cli, tmp_path, audience, lang, needle):
    out = tmp_path / f"{audience}-{lang}.html"
    r = cli("plan", str(EXAMPLE), "--start", "2026-12-01", "--report", str(out), "--audience", audience, "--lang", lang)
    assert r.code == 0, r.stderr
    html = out.read_text()
    assert needle in html and "<svg" in html and "<style>" in html
    assert "http://" not in html.split("<body>")[0]  # no external stylesheet or script
    if audience == "clinician":
        assert "GargBaveja2014" in html


def test_rules_list(cli):
    doc = cli("rules", "list", "--json").json()
    assert doc["version"] and len(doc["rules"]) >= 30
    assert cli("rules", "list").code == 0


@pytest.mark.parametrize(
    "content, needle",
    [
        (
            "patient: {age: 30, sex: female, fitzpatrick: 2}\n"
            "goals: [{region: cheeks, indication: acne-scars, grade: 2}]",
            "cheek",
        ),
        (
            "patient: {age: 30, sex: female, fitzpatrick: 2}\ngoals: [{region: cheek, indication: acne, grade: 2}]",
            "acne-scars",
        ),
        (
            "patient: {age: 30, sex: female, fitzpatrick: 2}\n"
            "goals: [{region: cheek, indication: acne-scars, grade: 7}]",
            "grade",
        ),
        (
            "patient: {age: 30, sex: female, fitzpatrick: 2}\nprocedures: [{kind: filler, date: 2026-02-30}]\n"
            "goals: [{region: cheek, indication: fine-lines}]",
            "procedures.0.date",
        ),
        (
            "patient: {age: 30, sex: female, fitzpatrick: 9}\ngoals: [{region: cheek, indication: fine-lines}]",
            "fitzpatrick",
        ),
        (
            "patient: {age: 30, sex: female, fitzpatrick: 2}\nconditions: [flu]\ngoals: [{region: cheek, indication: "
            "fine-lines}]",
            "active-infection",
        ),
        ("patient: [unclosed", "malformed"),
        (
            "patient: {age: 30, sex: female, fitzpatrick: 2}\ngoals: [{region: cheek, indication: pih}, "
            "{region: cheek, indication: melasma}]",
            "goals: region cheek appears twice",
        ),
        (
            "patient: {age: 30, sex: female, fitzpatrick: 2}\n"
            "medications: [{name: isotretinoin, last_dose: 2026-06-31}]\n"
            "goals: [{region: cheek, indication: fine-lines}]",
            "medications.0.last_dose",
        ),
        (
            "patient: {age: 30, sex: female, fitzpatrick: 2}\ngoals: [{region: cheek, indication: fine-lines}]\n"
            "devices: [dermapen-99]",
            "devices",
        ),
    ],
)
def test_bad_patient_files(cli, tmp_path, content, needle):
    f = tmp_path / "p.yaml"
    f.write_text(content)
    assert_one_line_error(cli("plan", str(f)), needle)


def test_bad_start_date(cli):
    assert_one_line_error(cli("plan", str(EXAMPLE), "--start", "2026-13-01"), "--start")


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_start_at_the_calendar_ends_is_one_line(cli, start):
    # A series counted from the last day dates can hold used to overflow with a traceback.
    assert_one_line_error(cli("plan", str(EXAMPLE), "--start", start), "2999-12-31")
