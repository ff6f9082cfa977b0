"""The patient's "My plan": plain words in the patient's language, no ids, keys, versions or FHIR links."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.clinic.conftest import login, make_app
from tests.clinic.test_swedish_pages import visible

SV = {"accept-language": "sv-SE,sv;q=0.9"}


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    yield application
    application.state.engine.dispose()


def test_my_plan_in_plain_words_without_codes(app):
    clin, pat = login(app, "clinician"), login(app, "patient")
    pid = pat.user["patient_id"]
    assert pat.get("/my-plan", headers=SV).status_code == 200
    assert "Kliniken har inte gjort någon plan" in pat.get("/my-plan", headers=SV).text
    clin.post(f"/api/patients/{pid}/plan", json={"start": date.today().isoformat()})
    html = pat.get("/my-plan", headers=SV).text
    text, lang = visible(html)
    assert lang == "sv" and "Min plan" in text and "behandlingar med" in text and "Av 100 personer som du" in text
    assert not re.search(r"\b[SPH]\d\d-[a-z-]+", text)  # no rule ids
    assert not re.search(r"\b[A-Z][A-Za-z]+(19|20)\d\d\b", text)  # no source keys such as Chu2021
    assert "fhir" not in html.lower() and "model" not in text.lower() and "assumption" not in text
    assert "av 10 patienter som du" in text  # one patient's outcome over the posterior, as a natural frequency
    english = visible(pat.get("/my-plan", headers={"accept-language": "en"}).text)[0]
    assert "My plan" in english and "sessions" in english and "in 10 patients like you" in english
    record = visible(clin.get(f"/patients/{pid}", headers={"accept-language": "en"}).text)[0]
    assert "in 10 patients like this one" in record  # the clinician's plan page says it too


def test_the_patient_is_sent_from_the_clinicians_record_to_my_plan(app):
    pat = login(app, "patient")
    r = pat.http.get(f"/patients/{pat.user['patient_id']}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/my-plan")
    assert pat.http.get("/patients/999").status_code == 404


def test_a_clinician_is_sent_to_the_patient_list(app):
    r = login(app, "clinician").http.get("/my-plan", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/patients")
