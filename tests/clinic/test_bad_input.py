"""Bad input never causes a server error, on SQLite and PostgreSQL, and never stores anything.

Ids beyond what the database holds, NUL characters, lone surrogates, over-long text, bytes that are
not JSON, foreign ids that do not exist or belong to another patient, malformed query parameters:
each is answered 422 naming the field.
"""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from needling.clinic.api_schema import MAX_ID, column_length
from needling.clinic.models import AdverseEvent, HomeDevice, HomeLog, Lot, Outcome, Patient, SessionRegion
from tests.clinic.conftest import login
from tests.clinic.test_clinic_api import INTAKE, TODAY, session_body

HUGE = 2**64 + 1  # beyond 64 bits


def count(app, model) -> int:
    with app.state.Session() as db:
        return db.scalar(select(func.count()).select_from(model))


def post_raw(client, url: str, body: str | bytes):
    """POST a body as given (``json.dumps`` escapes a lone surrogate, which httpx refuses to encode)."""
    return client.http.post(
        url, content=body, headers={"content-type": "application/json", "x-csrf-token": client.csrf}
    )


def field_of(response) -> str:
    return str(response.json()["detail"][0]["loc"][-1])


BAD_ID_URLS = [
    f"/api/patients/{HUGE}",
    f"/api/patients/{MAX_ID + 1}/fhir",
    f"/api/patients/{HUGE}/schedule.ics",
    f"/api/patients/{HUGE}/alerts",
    f"/api/photos/{HUGE}",
    f"/api/lots/{HUGE}/usage",
    f"/patients/{HUGE}",
    f"/lots/{HUGE}",
    f"/patients/1/compare?a={HUGE}&b=1",
    "/patients/1/compare?a=one&b=1",
    "/api/patients/-1",
]


def test_ids_beyond_the_database_are_422(app):
    c = login(app, "clinician")
    for url in BAD_ID_URLS:
        r = c.get(url)
        assert r.status_code == 422, (url, r.status_code, r.text[:200])
        if url.startswith("/api/"):  # pages answer with an error page
            assert field_of(r) in ("patient_id", "photo_id", "lot_id", "a"), url


def test_huge_ids_in_bodies_are_422(app):
    c = login(app, "clinician")
    r = c.post("/api/patients/1/adverse-events", json={"kind": "infection", "date": "2026-01-02", "session_id": HUGE})
    assert r.status_code == 422 and field_of(r) == "session_id"
    patient = login(app, "patient")
    r = patient.post("/api/portal/logs", json={"date": "2026-01-02", "area": "cheek", "device_id": HUGE, "passes": 2})
    assert r.status_code == 422 and field_of(r) == "device_id"
    assert count(app, AdverseEvent) == 0 and count(app, HomeLog) == 0


def test_unstorable_text_is_422_and_stores_nothing(app):
    c = login(app, "clinician")
    before = count(app, Patient)
    for bad in ["Ann\x00Other", "Ann \ud800", "A" * 201]:
        body = json.dumps({"name": bad, "intake": INTAKE})  # escapes the lone surrogate as JSON allows
        r = post_raw(c, "/api/patients", body)
        assert r.status_code == 422 and field_of(r) == "name", r.text
    for bad in ["x\x00", "x\udfff"]:
        nested = {**INTAKE, "conditions": [bad]}
        r = post_raw(c, "/api/patients", json.dumps({"name": "Ann", "intake": nested}))
        assert r.status_code == 422 and field_of(r) == "intake", r.text
    assert count(app, Patient) == before


def test_every_api_text_is_bounded_by_its_column(app):
    """The OpenAPI document's maxLength is the column's length, so PostgreSQL never truncates with a 500."""
    schemas = TestClient(app).get("/openapi.json").json()["components"]["schemas"]
    expected = {
        ("RegionIn", "site"): column_length(SessionRegion.site),
        ("RegionIn", "lot_number"): column_length(Lot.lot_number),
        ("RegionIn", "anaesthesia"): column_length(SessionRegion.anaesthesia),
        ("RegionIn", "topicals"): column_length(SessionRegion.topicals),
        ("OutcomeIn", "site"): column_length(Outcome.site),
        ("LotIn", "device_name"): column_length(Lot.device_name),
        ("PatientIn", "name"): column_length(Patient.name),
        ("DeviceIn", "lot_or_serial"): column_length(HomeDevice.lot_or_serial),
    }
    for (model, prop), length in expected.items():
        spec = schemas[model]["properties"][prop]
        bounds = [spec.get("maxLength")] + [s.get("maxLength") for s in spec.get("anyOf", [])]
        assert length in bounds, (model, prop, spec)
    for name, schema in schemas.items():  # and no text field of a request is unbounded
        if not name.endswith("In"):
            continue
        for prop, spec in schema.get("properties", {}).items():
            options = spec.get("anyOf", [spec])
            for option in options:
                items = option.get("items", option)
                if items.get("type") == "string" and "format" not in items:
                    assert "maxLength" in items or "enum" in items or "const" in items, (name, prop, spec)


def test_over_long_text_is_422_on_both_databases(app):
    c = login(app, "clinician")
    too_long = "x" * (column_length(SessionRegion.anaesthesia) + 1)
    body = session_body()
    body["regions"][0]["anaesthesia"] = too_long
    r = c.post("/api/patients/1/sessions", json=body)
    assert r.status_code == 422 and field_of(r) == "anaesthesia"
    r = c.post("/api/lots", json={"device_name": "dermapen-11", "lot_number": "L" * 81, "expiry": "2030-01-01"})
    assert r.status_code == 422 and field_of(r) == "lot_number"
    assert count(app, SessionRegion) == 0


def test_failed_log_in_with_a_long_email_is_audited_without_a_server_error(app):
    http = TestClient(app, raise_server_exceptions=False)
    r = http.post("/api/login", json={"email": "a" * 190 + "@x.se", "password": "wrong"})
    assert r.status_code == 401


def test_bytes_that_are_not_json_are_422(app):
    c = login(app, "clinician")
    r = post_raw(c, "/api/lots", b"\xab\xff\x00")
    assert r.status_code == 422 and field_of(r) == "body"


def test_adverse_event_links_only_to_the_same_patients_session(app):
    c = login(app, "clinician")
    other = c.post("/api/patients", json={"name": "Olle Other", "intake": INTAKE}).json()["id"]
    for pid in (1, other):  # a session follows a plan
        assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY}).status_code == 201
    own = c.post("/api/patients/1/sessions", json=session_body()).json()["id"]
    foreign = c.post(f"/api/patients/{other}/sessions", json=session_body()).json()["id"]
    event = {"kind": "infection", "date": "2026-01-02"}
    r = c.post("/api/patients/1/adverse-events", json={**event, "session_id": foreign})
    assert r.status_code == 422 and field_of(r) == "session_id" and "patient 1" in r.text
    r = c.post("/api/patients/1/adverse-events", json={**event, "session_id": MAX_ID})
    assert r.status_code == 422 and field_of(r) == "session_id"
    assert count(app, AdverseEvent) == 0
    r = c.post("/api/patients/1/adverse-events", json={**event, "session_id": own})
    assert r.status_code == 201
    events = c.get("/api/patients/1").json()["adverse_events"]
    assert [e["session_id"] for e in events] == [own]


def test_page_forms_with_unstorable_text_are_not_server_errors(app):
    c = login(app, "clinician")
    http = TestClient(app, raise_server_exceptions=False, cookies=c.http.cookies, follow_redirects=False)
    csrf = c.get("/api/me").json()["csrf_token"]
    before = count(app, Patient)
    form = {"csrf_token": csrf, "name": "Nul\x00Name", "age": "30", "sex": "female", "fitzpatrick": "2"}
    form |= {"region": "cheek", "indication": "acne-scars", "grade": "two"}
    r = http.post("/patients", data=form)
    assert r.status_code in (303, 422), r.status_code  # refused with a message, never 500
    r = http.post("/patients", data={**form, "grade": "2"})
    assert r.status_code in (303, 422), r.status_code
    assert count(app, Patient) == before
