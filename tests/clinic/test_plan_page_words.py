"""The plan on the clinician's patient page read in Swedish: the series, dates, cream and predictions as a Swedish
clinician writes them, and one expected value per region (the patient's own, in the sentence under the row)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from needling.i18n import table_date
from tests.clinic.conftest import login, make_app
from tests.clinic.test_swedish_pages import visible

SV = {"accept-language": "sv-SE,sv;q=0.9"}


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    yield application
    application.state.engine.dispose()


def test_swedish_plan_table_schedule_and_sessions(app):
    c = login(app, "clinician")
    intake = {
        "patient": {"age": 35, "sex": "male", "fitzpatrick": 3},
        "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
    }
    pid = c.post("/api/patients", json={"name": "Sven Läsare", "intake": intake}).json()["id"]
    plan = c.post(f"/api/patients/{pid}/plan", json={"start": date.today().isoformat()}).json()["plan"]
    region = plan["regions"][0]
    session = {
        "date": date.today().isoformat(),
        "pain_vas": 4.5,
        "regions": [{"site": "cheek", "lot_number": "DR15-2026-A", "needle_length_mm": region["needle_length_mm"],
                     "passes": region["passes"]}],
    }  # fmt: skip
    r = c.post(f"/api/patients/{pid}/sessions", json=session)
    assert r.status_code == 201, r.text
    text = visible(c.get(f"/patients/{pid}", headers=SV).text)[0]
    assert "6 behandlingar med 4 veckors mellanrum" in text and "veckor mellanrum" not in text
    assert "lidokain-prilokainkräm" in text and "lidocaine" not in text.split("Bedövning")[1].split("Registrera")[0]
    assert not re.search(r"\b\d{4}-\d\d-\d\d\b", text), re.findall(r".{20}\d{4}-\d\d-\d\d.{5}", text)[:3]
    assert table_date(region["series"]["dates"][1], "sv") in text  # the schedule in Swedish dates
    too_fine = r"\d,\d{2,}(?!\s?mm)"  # no "grad 1,992"; a needle length has two decimals ("0,25 mm")
    assert not re.search(too_fine, text), re.findall(r".{25}" + too_fine + ".{5}", text)[:3]
    assert "4,5" in text and "4.5" not in text  # the session's pain
    expected = re.findall(r"grad (\d,\d)", text)
    assert len(set(expected)) == 1, expected  # the row and the sentence do not give two expected grades


def test_the_swedish_session_form_says_batch_as_the_glossary_does(app):
    # the glossary names a device's lot "batch" and avoids "lot"; the session form said "Lotnummer"
    c = login(app, "clinician")
    text = visible(c.get("/patients/1", headers=SV).text)[0]
    assert "Batchnummer" in text and "Lotnummer" not in text
    assert "Intervall (dagar)" in text and "Med mellanrum (dagar)" not in text  # the home-care prescription
