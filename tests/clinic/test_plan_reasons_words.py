"""The plan's reasons on the clinician's patient page as a clinician reads them: a named assumption by its readable
name rather than its ``assumption:`` key, and the rule's dates in words in either language, never in ISO form."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from needling.report.plan_report import _fill
from tests.clinic.conftest import login, make_app
from tests.clinic.test_swedish_pages import visible

SV = {"accept-language": "sv-SE,sv;q=0.9"}
EN = {"accept-language": "en"}
ISO = re.compile(r"\b\d{4}-\d\d-\d\d\b")


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    yield application
    application.state.engine.dispose()


def test_a_filler_deferral_names_its_assumptions_and_writes_its_dates_in_words(app):
    c = login(app, "clinician")
    filler = (date.today() - timedelta(days=14)).isoformat()
    intake = {
        "patient": {"age": 40, "sex": "female", "fitzpatrick": 2},
        "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 2}],
        "procedures": [{"kind": "filler", "date": filler, "region": "cheek"}],
    }
    pid = c.post("/api/patients", json={"name": "Fia Filler", "intake": intake}).json()["id"]
    plan = c.post(f"/api/patients/{pid}/plan", json={"start": date.today().isoformat()}).json()["plan"]
    assert any(r["rule"].startswith("R02") for r in plan["reasons"])  # the filler's deferral fired
    for headers, name in ((EN, "assumption: Pause after a filler"), (SV, "antagande: Uppehåll efter filler")):
        text = visible(c.get(f"/patients/{pid}", headers=headers).text)[0]
        assert name in text, text[:3000]
        assert not re.search(r"assumption:\S", text), re.findall(r".{40}assumption:\S.{30}", text)  # no key left
        assert not ISO.search(text), ISO.findall(text)[:3]


def test_a_medication_without_a_window_reads_until_the_end_of_treatment():
    assert _fill("(until {until})", {"names": "x"}, "sv") == "(until behandlingens slut)"
    assert _fill("from {from}", {"from": "2026-10-01"}, "sv") == "from 1 oktober 2026"
    assert _fill("{until}", {"until_months": 6}, "en") == "6 months after the last dose"


def test_a_new_patient_page_says_what_to_do_where_sessions_and_outcomes_are_empty(app):
    c = login(app, "clinician")
    goals = [{"region": "cheek", "indication": "acne-scars", "grade": 2}]
    intake = {"patient": {"age": 30, "sex": "male", "fitzpatrick": 2}, "goals": goals}
    pid = c.post("/api/patients", json={"name": "Nils Ny", "intake": intake}).json()["id"]
    page = c.get(f"/patients/{pid}", headers=EN).text
    assert 'id="no-sessions"' in page and "record the first one with the form below" in page
    assert (
        f'href="/patients/{pid}/records#outcome-form"' in page
        and 'id="outcome-form"' in c.get(f"/patients/{pid}/records").text
    )
    sv = visible(c.get(f"/patients/{pid}", headers=SV).text)[0]
    assert "Ingen behandling är registrerad än" in sv and "Inget resultat är registrerat än" in sv


def test_a_deferred_plan_does_not_invite_recording_the_first_session(app):
    c = login(app, "clinician")
    intake = {
        "patient": {"age": 31, "sex": "female", "fitzpatrick": 2, "pregnant": True},
        "goals": [{"region": "abdomen", "indication": "striae", "striae_type": "rubra"}],
    }
    pid = c.post("/api/patients", json={"name": "Pia Gravid", "intake": intake}).json()["id"]
    assert c.post(f"/api/patients/{pid}/plan", json={}).json()["plan"]["decision"] == "defer"
    page = c.get(f"/patients/{pid}", headers=EN).text
    assert 'id="no-sessions">No session recorded yet.</p>' in page and "record the first one" not in page


def test_the_planned_regions_table_says_when_a_session_is_spread_over_days(app):
    # the table listed one date per session while the schedule had a second day for each: the thigh's parts
    c = login(app, "clinician")
    goals = [{"region": "thigh", "indication": "striae", "striae_type": "alba"}]
    intake = {"patient": {"age": 30, "sex": "female", "fitzpatrick": 2}, "goals": goals}
    pid = c.post("/api/patients", json={"name": "Tea Thigh", "intake": intake}).json()["id"]
    plan = c.post(f"/api/patients/{pid}/plan", json={}).json()["plan"]
    parts = plan["regions"][0]["series"].get("part_dates")
    assert parts and len(parts[0]) > 1, plan["regions"][0]["series"]  # the thigh is treated in parts
    days = len(parts[0])
    assert f"each over {days} days in a row" in visible(c.get(f"/patients/{pid}", headers=EN).text)[0]
    assert f"var och en fördelad på {days} dagar i rad" in visible(c.get(f"/patients/{pid}", headers=SV).text)[0]
