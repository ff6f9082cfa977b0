"""Every text a person reads in the FHIR export is in the reader's language, and no code or version is in it.

The walk collects each ``text``, ``title``, ``description`` and ``unit``, each ``display`` that is not a standard
code system's own (HL7, UCUM, SNOMED CT, LOINC) and a device's ``user-friendly-name``, from the API's Bundle (the
clinician's language) and from the patient's own data export (the patient's language). In Swedish none of them
may hold English words or be the English text at the same place; in either language none may hold a code: the
plan's decision, the rules' and model's versions, a region, view or label key, a device's catalogue name, an ISO
date. The decision and the versions are in the CarePlan's extensions instead.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from needling.clinic.fhir import DECISION, DECISION_CODES, MODEL_VERSION, RULES_VERSION
from needling.clinic.photo_views import LABELS, VIEWS
from needling.report.labels import DECISIONS, SITES
from tests.clinic.conftest import login, make_app
from tests.clinic.test_clinic_api import session_body
from tests.clinic.test_photo_views import consent, upload
from tests.clinic.test_swedish_pages import english_in

TODAY = date.today().isoformat()
HEADERS = {"en": {"accept-language": "en"}, "sv": {"accept-language": "sv-SE,sv;q=0.9"}}
#: Code systems whose ``display`` is the system's own (not this service's words).
STANDARD = ("http://terminology.hl7.org/", "http://hl7.org/fhir/", "http://unitsofmeasure.org", "http://snomed.info")
#: What the clinic typed (kept as typed, the same in both languages) and the texts that are not words.
TYPED = {"lidokain-prilokain 45 min", "hyaluronsyra", "/cm²"}
#: A few texts word for word in each language.
EXPECTED = {
    "en": {
        "Procedure.code": "Percutaneous collagen induction therapy (micro-needling)",
        "Procedure.note": "Needle 1.5\xa0mm, 15 passes, endpoint: pinpoint bleeding",
        "Observation.code": "Pain during the procedure, visual analogue scale 0-10",
        "CarePlan.title": "Micro-needling series",
        "CarePlan.activity": "Micro-needling session 1 of 6",
        "Device.note": "Reason for the recall: nålarna böjer sig.",
        "Media.note": "Label: after",
    },
    "sv": {
        "Procedure.code": "Perkutan kollageninduktionsterapi (microneedling)",
        "Procedure.note": "Nål 1,5\xa0mm, 15 drag, slutpunkt: små punktblödningar",
        "Observation.code": "Smärta under behandlingen, visuell analog skala 0–10",
        "CarePlan.title": "Behandlingsserie med microneedling",
        "CarePlan.activity": "Microneedling, behandling 1 av 6",
        "Device.note": "Skäl till återkallelsen: nålarna böjer sig.",
        "Media.note": "Märkning: efter",
    },
}

#: The plan's decision in words (the seeded patient's plan proceeds, with or without caution).
WORDS = {
    "en": {"proceed": "Proceed", "proceed-with-caution": "Proceed with caution"},
    "sv": {"proceed": "Behandla", "proceed-with-caution": "Behandla med försiktighet"},
}


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    c = login(application, "clinician")
    plan = c.post("/api/patients/1/plan", json={"start": TODAY})
    assert plan.status_code in (200, 201), plan.text
    body = session_body()
    body["regions"][0] |= {"anaesthesia": "lidokain-prilokain 45 min", "topicals": "hyaluronsyra"}
    assert c.post("/api/patients/1/sessions", json=body).status_code == 201
    for outcome in ({"gb_grade": 2}, {"hair_count_per_cm2": 40}):
        r = c.post("/api/patients/1/outcomes", json={"date": TODAY, "site": "periorbital", **outcome})
        assert r.status_code in (200, 201), r.text
    consent(c, "exports")
    assert upload(c, site="periorbital", view="left-45", label="after").status_code == 201
    lot = next(x["id"] for x in c.get("/api/lots").json() if x["lot_number"] == "DR15-2026-A")
    assert c.post(f"/api/lots/{lot}/recall", json={"reason": "nålarna böjer sig"}).status_code == 200
    made = plan.json()
    application.state.plan = {"decision": made["plan"]["decision"]} | {
        k: made[k] for k in ("rules_version", "model_version")
    }
    yield application
    application.state.engine.dispose()


def human_texts(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Each text a person reads in ``node`` with where it is (``Procedure/s1r1 note[0].text``)."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from human_texts(item, f"{where}[{i}]")
        return
    if not isinstance(node, dict):
        return
    if node.get("system", "").startswith(STANDARD):
        return  # a standard code system's coding or quantity: its display and unit are its own
    for key, value in node.items():
        here = f"{where}.{key}" if where else key
        if key in ("text", "title", "description", "display", "unit") and isinstance(value, str):
            yield here, value
        elif key == "deviceName":
            yield from ((f"{here}.name", n["name"]) for n in value if n["type"] == "user-friendly-name")
        elif key != "data":  # a photo's bytes
            yield from human_texts(value, here)


def texts(doc: dict) -> dict[str, str]:
    """The Bundle's human texts by resource and place."""
    out = {}
    for e in doc["entry"]:
        res = e["resource"]
        for where, text in human_texts(res):
            out[f"{res['resourceType']}/{res['id']} {where}"] = text
    return out


def codes(plan: dict) -> set[str]:
    """Codes that must never be in a text: decisions, versions, keys that are not the English words themselves."""
    keyed = {k for table in (SITES, VIEWS, LABELS) for k, words in table.items() if k != words}
    return set(DECISIONS) | {plan["rules_version"], plan["model_version"]} | keyed | {"dermaroller-192-1.5"}


def check(doc: dict, lang: str, plan: dict) -> dict[str, str]:
    Bundle.model_validate(doc)
    found = texts(doc)
    assert len(found) >= 15, found  # every kind of resource has its texts
    problems = []
    for where, text in found.items():
        if any(re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text) for c in codes(plan)):
            problems.append(f"{where}: a code in {text!r}")
        if re.search(r"\b\d{4}-\d{2}-\d{2}\b", text):
            problems.append(f"{where}: an ISO date in {text!r}")
        if lang == "sv" and (bad := english_in(text)):
            problems.append(f"{where}: English {bad} in {text!r}")
    assert not problems, "\n".join(problems)
    for place, expected in EXPECTED[lang].items():
        kind, field = place.split(".")
        assert any(w.startswith(kind + "/") and f" {field}" in w and t == expected for w, t in found.items()), (
            place,
            expected,
            [t for w, t in found.items() if w.startswith(kind + "/")],
        )
    return found


def the_plan(doc: dict) -> dict:
    return next(e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == "CarePlan")


def test_the_api_bundle_is_in_the_readers_words_with_codes_out_of_them(app):
    c = login(app, "clinician")
    plan = app.state.plan
    found = {}
    for lang in ("en", "sv"):
        r = c.http.get("/api/patients/1/fhir", headers=HEADERS[lang])
        assert r.status_code == 200, r.text
        found[lang] = check(r.json(), lang, plan)
        extensions = {x["url"]: x for x in the_plan(r.json())["extension"]}
        decision = extensions[DECISION]["valueCodeableConcept"]
        assert decision["coding"] == [{"system": DECISION_CODES, "code": plan["decision"]}]
        assert decision["text"] == WORDS[lang][plan["decision"]], plan
        assert (
            the_plan(r.json())["description"] == {"en": "Decision: %s.", "sv": "Beslut: %s."}[lang] % decision["text"]
        )
        assert extensions[RULES_VERSION]["valueString"] == plan["rules_version"]
        assert extensions[MODEL_VERSION]["valueString"] == plan["model_version"]
    assert found["en"].keys() == found["sv"].keys()
    same = {w: t for w, t in found["sv"].items() if t == found["en"][w] and t not in TYPED}
    same = {w: t for w, t in same.items() if not w.startswith("Patient/")}  # the patient's name
    assert not same, same  # a Swedish text that is the English one was left untranslated


def test_the_patients_own_export_is_in_their_language(app):
    r = login(app, "patient").http.get("/api/patients/1/export.zip", headers=HEADERS["sv"])
    assert r.status_code == 200, r.text
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        doc = json.loads(z.read("record.fhir.json"))
    check(doc, "sv", app.state.plan)
