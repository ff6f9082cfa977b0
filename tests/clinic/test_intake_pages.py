"""The full web intake (issue 15, item 4): every field of the patient schema on the form, a refused form that keeps
what was typed and marks the field, medications resolved against the coded table, edits kept as dated versions
(who, when, what) and the plan naming the intake version it was made from. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from needling.clinic import intake_form as IF
from needling.clinic import intake_labels as IL
from needling.clinic.models import Patient, PlanRecord
from needling.clinic.record_models import APPEND_ONLY_TABLES, IntakeVersion
from needling.planner.intake import load_intake
from needling.planner.vocabulary import CONDITIONS, PROCEDURES
from tests.clinic.conftest import login


def new_id(r) -> int:
    return int(r.headers["location"].split("?")[0].rsplit("/", 1)[1])


def form(c, url: str, **fields):
    data = {"csrf_token": c.csrf, **fields}
    return c.http.post(url, data=data, follow_redirects=False)


FULL = {
    "name": "Ada Intake",
    "age": "34",
    "sex": "female",
    "fitzpatrick": "4",
    "breastfeeding": "1",
    "med-0-name": "Roaccutane 20 mg",
    "med-0-atc": "",
    "med-0-route": "",
    "med-0-last_dose": "2025-01-10",
    "med-1-name": "Waran",
    "med-1-atc": "",
    "med-1-route": "",
    "med-1-last_dose": "",
    "med-2-name": "",
    "proc-0-kind": "filler",
    "proc-0-date": "2025-06-01",
    "proc-0-region": "cheek",
    "proc-0-needle_length_mm": "",
    "proc-1-kind": "microneedling",
    "proc-1-date": "2025-09-01",
    "proc-1-region": "forehead",
    "proc-1-needle_length_mm": "1.0",
    "goal-0-region": "cheek",
    "goal-0-indication": "acne-scars",
    "goal-0-grade": "3",
    "goal-0-striae_type": "",
    "goal-1-region": "abdomen",
    "goal-1-indication": "striae",
    "goal-1-grade": "",
    "goal-1-striae_type": "alba",
    "setting": "clinic",
    "conditions": ["history-of-herpes-labialis", "eczema"],
    "devices": ["dermapen-11"],
}


def test_every_code_of_the_vocabulary_has_words():
    assert set(IL.CONDITIONS) == set(CONDITIONS)
    assert set(IL.PROCEDURES) == set(PROCEDURES)


def test_new_patient_with_every_field_round_trips_through_the_form(app):
    c = login(app, "clinician")
    page = c.get("/patients/new")
    assert page.status_code == 200
    for field in ("pregnant", "breastfeeding", "med-0-last_dose", "proc-0-region", "goal-1-region", "setting"):
        assert f'name="{field}"' in page.text, field
    r = form(c, "/patients/new", **FULL)
    assert r.status_code == 303, r.text[:2000]
    pid = new_id(r)
    with app.state.Session() as db:
        p = db.get(Patient, pid)
        intake = load_intake(p.intake)
        versions = db.scalars(select(IntakeVersion).where(IntakeVersion.patient_id == pid)).all()
    assert intake.patient.breastfeeding and not intake.patient.pregnant and intake.patient.fitzpatrick == 4
    assert [m.code for m in intake.medications] == ["D10BA01", "B01AA03"]
    assert str(intake.medications[0].last_dose) == "2025-01-10"
    assert [(x.kind, x.region) for x in intake.procedures] == [("filler", "cheek"), ("microneedling", "forehead")]
    assert intake.procedures[1].needle_length_mm == 1.0
    assert [(g.region, g.grade, g.striae_type) for g in intake.goals] == [("cheek", 3, None), ("abdomen", None, "alba")]
    assert intake.conditions == ["history-of-herpes-labialis", "eczema"] and intake.devices == ["dermapen-11"]
    assert [v.number for v in versions] == [1]
    # the edit form opens with every stored value
    edit = c.get(f"/patients/{pid}/intake").text
    assert 'value="Roaccutane 20 mg"' in edit and 'value="2025-01-10"' in edit and 'value="alba" selected' in edit
    assert 'name="breastfeeding" value="1" checked' in edit and 'value="eczema" checked' in edit
    assert "maps to isotretinoin (ATC D10BA01)" in edit


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"age": "34 years"}, "age"),
        ({"med-1-last_dose": "last spring"}, "med-1-last_dose"),
        ({"proc-1-needle_length_mm": "9"}, "proc-1-needle_length_mm"),
        ({"goal-0-grade": ""}, "goal-0-grade"),
        ({"goal-1-region": "cheek"}, "goals"),
        ({"med-0-atc": "XYZ"}, "med-0-atc"),
        ({"med-1-name": "Nul\x00name"}, "med-1-name"),
        ({"med-1-name": "x" * 101}, "med-1-name"),
    ],
)
def test_a_refused_form_keeps_what_was_typed_and_marks_the_field(app, change, field):
    c = login(app, "clinician")
    r = form(c, "/patients/new", **{**FULL, **change})
    assert r.status_code == 422
    assert f'id="err-{field}"' in r.text, re.findall(r'id="err-[^"]+"', r.text)
    assert "Not saved:" in r.text
    if not field.endswith("s"):  # a field, not a group: the input itself is marked
        assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', r.text)
    for typed in ("Ada Intake", "Roaccutane 20 mg", "2025-06-01"):
        assert typed in r.text
    assert 'value="eczema" checked' in r.text and 'value="dermapen-11" checked' in r.text
    with app.state.Session() as db:
        assert db.scalars(select(Patient).where(Patient.name == "Ada Intake")).first() is None


def test_check_shows_what_each_medication_maps_to_without_saving(app):
    c = login(app, "clinician")
    r = form(c, "/patients/new", **{**FULL, "med-1-name": "Unheardofmab", "action": "check"})
    assert r.status_code == 200
    assert "maps to isotretinoin (ATC D10BA01)" in r.text and "not in the coded table" in r.text
    assert 'name="med-3-name"' in r.text  # two blank rows after the filled ones
    with app.state.Session() as db:
        assert db.scalars(select(Patient).where(Patient.name == "Ada Intake")).first() is None


def test_tranexamic_acid_typed_in_swedish_maps_to_its_code_on_the_form(app):
    c = login(app, "clinician")
    r = form(c, "/patients/new", **{**FULL, "med-1-name": "Cyklokapron 500 mg", "action": "check"})
    assert r.status_code == 200
    assert "maps to tranexamic acid (ATC B02AA02)" in r.text and "not in the coded table" not in r.text
    assert "tranexamic-acid" not in r.text  # the table's identifier is not for reading


def test_a_swedish_page_names_the_substance_by_its_swedish_generic_name(app):
    """A Swedish clinician read "motsvarar tranexamic acid", the English generic name in a Swedish sentence."""
    c = login(app, "clinician")
    sv = {"accept-language": "sv-SE,sv;q=0.9"}
    body = {
        **FULL,
        "med-1-name": "Cyklokapron 500 mg",
        "med-2-name": "Metoject",
        "med-2-last_dose": "2025-01-10",
        "action": "check",
    }
    r = c.http.post("/patients/new", data={"csrf_token": c.csrf, **body}, headers=sv)
    assert r.status_code == 200
    assert "motsvarar tranexamsyra (ATC B02AA02)" in r.text and "motsvarar metotrexat (ATC L04AX03)" in r.text
    assert "tranexamic acid" not in r.text and "methotrexate" not in r.text
    hits = c.get("/medications/search", params={"q": "cyklokapron"}, headers=sv).json()
    assert hits[0]["generic"] == "tranexamsyra"
    assert c.get("/medications/search", params={"q": "cyklokapron"}).json()[0]["generic"] == "tranexamic acid"


def test_medication_search_suggests_names_from_the_coded_table(app):
    c = login(app, "clinician")
    hits = c.get("/medications/search", params={"q": "roacc"}).json()
    assert hits[0] == {
        "name": "Roaccutane",
        "substance": "isotretinoin",
        "generic": "isotretinoin",
        "atc": "D10BA01",
        "route": "systemic",
    }
    assert c.get("/medications/search", params={"q": ""}).json() == []
    hits = c.get("/medications/search", params={"q": "Cyklokap"}).json()
    assert hits and hits[0]["substance"] == "tranexamic-acid" and hits[0]["atc"] == "B02AA02"
    assert hits[0]["generic"] == "tranexamic acid"
    hits = c.get("/medications/search", params={"q": "topical retinoid"}).json()
    assert hits and all("-" not in h["generic"] for h in hits)  # a legacy identifier is never the name shown
    assert login(app, "patient").get("/medications/search", params={"q": "roacc"}).status_code == 403


def test_edits_are_versions_with_who_when_what_and_the_plan_names_its_version(app):
    c = login(app, "clinician")
    pid = new_id(form(c, "/patients/new", **FULL))
    assert c.post(f"/api/patients/{pid}/plan", json={}).status_code == 201
    values = IF.to_values(c.get(f"/api/patients/{pid}").json()["intake"])
    values.update({"pregnant": "1", "med-1-name": "", "goal-1-grade": "", "version": "1"})
    values["conditions"] = ["eczema"]
    r = form(c, f"/patients/{pid}/intake", **values)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/patients/{pid}/intake/history")
    # a form opened on version 1 and saved after version 2 is refused, keeping what was typed
    stale = form(c, f"/patients/{pid}/intake", **{**values, "age": "35"})
    assert stale.status_code == 422 and "changed meanwhile" in stale.text and 'value="35"' in stale.text
    history = c.get(r.headers["location"])
    assert "Intake saved as version 2." in history.text
    text_ = re.sub(r"\s+", " ", history.text)
    assert "Version 2" in text_ and "Version 1" in text_ and "Dr Clara Clinician" in text_
    assert "Pregnant: no → yes" in text_
    assert "Medications, removed" in text_ and "Waran" in text_
    assert "Conditions, removed" in text_ and "cold sores in the past" in text_
    assert "made from this version" in text_
    with app.state.Session() as db:
        plan = db.scalars(select(PlanRecord).where(PlanRecord.patient_id == pid)).one()
        first = db.get(IntakeVersion, plan.intake_version_id)
        versions = db.scalars(select(IntakeVersion).where(IntakeVersion.patient_id == pid)).all()
    assert first.number == 1 and sorted(v.number for v in versions) == [1, 2]
    assert all(v.created_by_id == c.user["id"] for v in versions)
    patient_page = c.get(f"/patients/{pid}").text
    assert "intake version 1" in patient_page and f"/patients/{pid}/intake/history" in patient_page


def test_the_seeded_patient_gets_version_1_and_the_patient_role_cannot_edit(app):
    c = login(app, "clinician")
    history = c.get("/patients/1/intake/history")
    assert history.status_code == 200 and "Version 1" in history.text and "The first intake." in history.text
    pat = login(app, "patient")
    assert pat.get("/patients/1/intake").status_code == 403
    assert form(pat, "/patients/1/intake", age="40").status_code == 403


def test_intake_versions_refuse_update_and_delete(app):
    assert "intake_versions" in APPEND_ONLY_TABLES
    c = login(app, "clinician")
    c.get("/patients/1/intake/history")  # makes version 1
    with app.state.Session() as db:
        for sql in ("UPDATE intake_versions SET number = 9", "DELETE FROM intake_versions"):
            with pytest.raises(DBAPIError, match=r"append-only|SQLSTATE P0001"):  # PostgreSQL: data-free message
                db.execute(text(sql))
            db.rollback()


def test_migration_gives_every_stored_patient_version_1_and_goes_down_and_up(app):
    from alembic import command

    from needling.clinic.db import alembic_config

    c = login(app, "clinician")
    pid = new_id(form(c, "/patients/new", **FULL))
    assert c.post(f"/api/patients/{pid}/plan", json={}).status_code == 201
    url = app.state.settings.database_url
    app.state.engine.dispose()
    command.downgrade(alembic_config(url), "0014")  # as a clinic stood before intake versions
    command.upgrade(alembic_config(url), "head")
    with app.state.Session() as db:
        versions = db.scalars(select(IntakeVersion).where(IntakeVersion.patient_id == pid)).all()
        plan = db.scalars(select(PlanRecord).where(PlanRecord.patient_id == pid)).one()
        stored = db.get(Patient, pid).intake
    assert [(v.number, v.created_by_id, v.changes) for v in versions] == [(1, None, [])]
    assert versions[0].intake == stored and plan.intake_version_id is None
    assert "saved before versions were kept" in c.get(f"/patients/{pid}/intake/history").text


@pytest.mark.parametrize(
    ("change", "swedish"),
    [
        ({"age": "34 years"}, "Skriv ett heltal från"),
        ({"med-1-last_dose": "last spring"}, "Välj ett datum."),
        ({"med-1-name": "x" * 101}, "Texten har 101 tecken. Skriv mellan 0 och 100 tecken."),
        ({"name": " "}, "Skriv patientens namn."),
    ],
)
def test_the_intake_forms_field_errors_are_in_the_pages_language(app, change, swedish):
    c = login(app, "clinician")
    data = {"csrf_token": c.csrf, **FULL, **change}
    r = c.http.post("/patients/new", data=data, headers={"accept-language": "sv-SE,sv;q=0.9"})
    assert r.status_code == 422 and swedish in r.text and "Inte sparat:" in r.text
    assert "valid:" not in r.text  # the service's English line stays out of a Swedish page


def test_history_and_patient_page_write_added_items_in_words_without_empty_fields(app):
    c = login(app, "clinician")
    bare = {**FULL, "med-0-name": "", "med-0-last_dose": "", "proc-0-kind": "", "proc-0-date": "", "proc-0-region": ""}
    bare |= {"goal-1-region": "", "goal-1-indication": "", "goal-1-striae_type": ""}
    pid = new_id(form(c, "/patients/new", **bare))
    values = IF.to_values(c.get(f"/api/patients/{pid}").json()["intake"])
    rows = ("med-0-", "proc-0-", "goal-1-")
    values.update({k: v for k, v in FULL.items() if k.startswith(rows)} | {"version": "1"})
    assert form(c, f"/patients/{pid}/intake", **values).status_code == 303
    history = re.sub(r"\s+", " ", c.get(f"/patients/{pid}/intake/history").text)
    assert "last dose Jan 10, 2025" in history and "filler Jun 1, 2025, cheek" in history
    assert "stretch marks, white (alba)" in history
    assert "(grade )" not in history and ", mm" not in history and "2025-" not in history.split("<ol")[1]
    page = re.sub(r"\s+", " ", c.get(f"/patients/{pid}").text)
    assert "abdomen: stretch marks, white (alba)" in page and "(grade )" not in page
