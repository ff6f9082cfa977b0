"""The home-care rules: each fires when it should, with its sources and grade, in English and Swedish."""

from __future__ import annotations

from datetime import date, timedelta

from needling.evidence import bibliography
from needling.i18n import translate
from needling.planner.home_rules import RULES, check_home_log, finding_text, stored_finding_text

DAY = date(2026, 11, 20)


def run(**kw):
    base = dict(
        on=DAY,
        area="cheek",
        needle_length_mm=0.25,
        reactions=[],
        prescribed_mm=0.25,
        previous_dates=[],
        clinic_dates=[],
        device_uses=1,
        device_first_use=DAY,
        failed_defects=[],
    )
    base.update(kw)
    return {f.rule: f for f in check_home_log(**base)}


def test_every_rule_is_cited_and_translated():
    bib = bibliography()
    for r in RULES.values():
        assert r.severity in ("warn", "stop") and r.grade in ("H", "M", "L")
        assert translate("sv", r.message) != r.message, f"{r.id} has no Swedish"
        assert all(s in bib or s.startswith("assumption:") for s in r.sources)


def test_a_clean_log_has_no_findings():
    assert run() == {}


def test_length_above_prescription_and_home_limit():
    assert "H01-above-prescription" in run(needle_length_mm=0.3)
    found = run(needle_length_mm=1.0)
    assert "H02-above-home-limit" in found and found["H02-above-home-limit"].severity == "stop"


def test_too_soon_depends_on_length():
    assert "H03-too-soon" in run(previous_dates=[DAY - timedelta(days=1)])
    assert "H03-too-soon" not in run(previous_dates=[DAY - timedelta(days=2)])
    assert "H03-too-soon" in run(needle_length_mm=0.5, prescribed_mm=0.5, previous_dates=[DAY - timedelta(days=7)])


def test_near_a_clinic_session_or_peel():
    assert "H04-near-clinic" in run(clinic_dates=[DAY + timedelta(days=5)])
    assert "H04-near-clinic" not in run(clinic_dates=[DAY + timedelta(days=10)])


def test_device_past_replacement_and_failed_inspection():
    assert "H05-replace-device" in run(device_uses=12)
    assert "H05-replace-device" in run(device_first_use=DAY - timedelta(days=120))
    assert "H07-failed-inspection" in run(failed_defects=["rust"])


def test_stop_signs():
    for sign in ("infection", "persistent-redness", "bleeding", "broken-needle"):
        f = run(reactions=[sign])["H06-stop-sign"]
        assert f.severity == "stop" and f.message_sv


def test_findings_read_in_the_patients_language_with_locale_units_and_dates():
    f = run(needle_length_mm=0.5, prescribed_mm=0.25)["H01-above-prescription"]
    nbsp = "\N{NO-BREAK SPACE}"
    assert f.text("sv") == f"Använd bara den nållängd du har fått ordinerad: 0,25{nbsp}mm. Du använde 0,5{nbsp}mm."
    assert "0.25\N{NO-BREAK SPACE}mm" in f.text("en")
    soon = run(previous_dates=[DAY - timedelta(days=1)])["H03-too-soon"]
    assert "1 dag " in soon.text("sv") and "dagar" in soon.text("sv")
    same_day = run(previous_dates=[DAY])["H03-too-soon"]  # not "Det har bara gått 0 dagar"
    sv = same_day.text("sv")
    assert sv.endswith("Den förra behandlingen var samma dag.") and "0 dagar" not in sv
    assert same_day.text("en").endswith("Your last session was on the same day.")
    near = run(clinic_dates=[DAY + timedelta(days=5)])["H04-near-clinic"]
    assert "25 november 2026" in near.text("sv") and "November 25, 2026" in near.text("en")
    sign = run(reactions=["persistent-redness"])["H06-stop-sign"]
    assert "rodnad som inte går över" in sign.text("sv")
    worn = run(failed_defects=["rust", "loose_head"])["H07-failed-inspection"]
    assert "rost, löst huvud" in worn.text("sv") and "rust, loose head" in worn.text("en")


def test_stored_findings_follow_the_reader_and_older_rows_keep_their_text():
    stored = run(reactions=["bleeding"])["H06-stop-sign"].to_json()
    assert stored_finding_text(stored, "sv") == finding_text("H06-stop-sign", {"sign": "bleeding"}, "sv")
    older = {"rule": "H06-stop-sign", "message": "Stop (older text)", "message_sv": "Sluta (äldre text)"}
    assert stored_finding_text(older, "sv") == "Sluta (äldre text)"
    assert stored_finding_text(older, "en") == "Stop (older text)"
