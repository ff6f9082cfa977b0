"""The FHIR export names a region in words, in the reader's language, never by its key (``periorbital``).

Each ``bodySite`` (Procedure, Observation, Media) and a photo's ``view`` carry ``text`` only: the code base has
no verified SNOMED CT code for its regions, so no ``coding`` is made up. Checked on the API's Bundle in English
and Swedish and on the patient's own data export (the ZIP's ``record.fhir.json``).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from fhir.resources.R4B.bundle import Bundle

from needling.report.labels import SITES
from tests.clinic.conftest import login, make_app
from tests.clinic.test_clinic_api import session_body
from tests.clinic.test_photo_views import consent, upload

TODAY = date.today().isoformat()
HEADERS = {"en": {"accept-language": "en"}, "sv": {"accept-language": "sv-SE,sv;q=0.9"}}
WORDS = {  # resource type -> the region (and view) in words, per language
    "en": {"Procedure": "cheek", "Observation": "around the eyes", "Media": "around the eyes", "view": "left 45°"},
    "sv": {"Procedure": "kind", "Observation": "runt ögonen", "Media": "runt ögonen", "view": "vänster 45°"},
}


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    c = login(application, "clinician")
    c.post("/api/patients/1/plan", json={"start": TODAY})
    assert c.post("/api/patients/1/sessions", json=session_body()).status_code == 201
    r = c.post("/api/patients/1/outcomes", json={"date": TODAY, "site": "periorbital", "gb_grade": 2})
    assert r.status_code in (200, 201), r.text
    consent(c, "exports")
    assert upload(c, site="periorbital", view="left-45").status_code == 201
    yield application
    application.state.engine.dispose()


def sites(doc: dict) -> dict[str, list[dict]]:
    """Each resource type's bodySite concepts (a Procedure has a list, an Observation and a Media one)."""
    out: dict[str, list[dict]] = {}
    for e in doc["entry"]:
        res = e["resource"]
        if "bodySite" in res:
            found = res["bodySite"] if isinstance(res["bodySite"], list) else [res["bodySite"]]
            out.setdefault(res["resourceType"], []).extend(found)
    return out


def check(doc: dict, lang: str) -> None:
    Bundle.model_validate(doc)
    found = sites(doc)
    assert set(found) == {"Procedure", "Observation", "Media"}, found
    for kind, concepts in found.items():
        for concept in concepts:
            assert concept == {"text": WORDS[lang][kind]}, (lang, kind, concept)  # words only, no made-up coding
    media = next(e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == "Media")
    assert media["view"] == {"text": WORDS[lang]["view"]}
    assert "periorbital" not in media["content"]["title"] and "left-45" not in media["content"]["title"]
    keys = {k for k in SITES if k != SITES[k]}  # keys that are not already the English words
    assert not keys & {c["text"] for cs in found.values() for c in cs}


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_api_bundle_names_each_region_in_the_readers_words(app, lang):
    r = login(app, "clinician").http.get("/api/patients/1/fhir", headers=HEADERS[lang])
    assert r.status_code == 200, r.text
    check(r.json(), lang)


def test_the_patients_own_export_names_the_regions_in_their_language(app):
    r = login(app, "patient").http.get("/api/patients/1/export.zip", headers=HEADERS["sv"])
    assert r.status_code == 200, r.text
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        check(json.loads(z.read("record.fhir.json")), "sv")
