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


def test_my_plan_lists_the_signed_consents_and_offers_the_downloads(app):
    import io
    import zipfile

    from tests.clinic.test_consent import sign

    clin, pat = login(app, "clinician"), login(app, "patient")
    pid = pat.user["patient_id"]
    text = visible(pat.get("/my-plan", headers=SV).text)[0]
    assert "Du har inte skrivit under något samtycke än" in text
    clin.post(f"/api/patients/{pid}/plan", json={"start": date.today().isoformat()})
    _, signed = sign(pat, pid, procedure="needling", lang="sv", channel="portal")
    assert signed.status_code == 201, signed.text
    html = pat.get("/my-plan", headers=SV).text
    text = visible(html)[0]
    assert "Dina samtycken" in text and "Microneedling: undertecknat" in text and "Gäller" in text
    links = dict((label, href) for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', html))
    pdf = pat.get(links["Ladda ner PDF"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    plan = pat.get(links["Din plan som PDF"].replace("&amp;", "&"))
    assert plan.status_code == 200 and plan.content.startswith(b"%PDF-")
    export = pat.get(links["Alla dina uppgifter (zip-fil)"])
    assert export.status_code == 200
    with zipfile.ZipFile(io.BytesIO(export.content)) as z:
        assert "record.fhir.json" in z.namelist()
    assert "fhir" not in html.lower()  # the download is named for people; the format is the clinician's word


def test_my_plan_lists_the_patients_own_appointments_in_their_language(app):
    from datetime import datetime, timedelta

    from needling.i18n import day_and_date
    from tests.clinic.test_appointments import book, ids

    clin, pat = login(app, "clinician"), login(app, "patient")
    assert "Du har inga bokningar ännu" in visible(pat.get("/my-plan", headers=SV).text)[0]
    patient, clinician, _ = ids(app)
    tomorrow = date.today() + timedelta(days=1)
    kept = book(clin, patient, clinician, datetime.combine(tomorrow, datetime.min.time()).replace(hour=14).isoformat())
    gone = book(clin, patient, clinician, datetime.combine(tomorrow, datetime.min.time()).replace(hour=9).isoformat())
    assert kept.status_code == gone.status_code == 201
    assert clin.post(f"/api/appointments/{gone.json()['id']}/cancel", json={}).status_code == 200
    sv = visible(pat.get("/my-plan", headers=SV).text)[0]
    en = visible(pat.get("/my-plan", headers={"accept-language": "en"}).text)[0]
    assert "Dina bokningar" in sv and f"{day_and_date(tomorrow, 'sv')}, 14:00–14:45, Room 1" in sv
    assert "Your appointments" in en and f"{day_and_date(tomorrow, 'en')}, 14:00–14:45" in en
    assert "09:00" not in sv  # the cancelled one is not shown
