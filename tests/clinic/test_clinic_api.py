"""The clinic API and data layer, on SQLite and on the machine's PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import time
from datetime import date, timedelta

from fhir.resources.R4B.bundle import Bundle
from PIL import Image
from sqlalchemy import func, select

from needling.clinic.models import AuditEntry, SessionRegion, TreatmentSession
from tests.clinic.conftest import Client, login, make_app, png_bytes

TODAY = date.today().isoformat()
INTAKE = {
    "patient": {"age": 35, "sex": "male", "fitzpatrick": 3},
    "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
}


def session_body(lot: str = "DR15-2026-A", **kw):
    body = {
        "date": TODAY,
        "regions": [
            {"site": "cheek", "lot_number": lot, "needle_length_mm": 1.5, "passes": 15, "endpoint": "pinpoint bleeding"}
        ],
        "pain_vas": 4.5,
    }
    body.update(kw)
    return body


def count(app, model) -> int:
    with app.state.Session() as db:
        return db.scalar(select(func.count()).select_from(model))


def test_health_openapi_and_login_required(app):
    c = Client.__new__(Client)
    from fastapi.testclient import TestClient

    http = TestClient(app)
    assert http.get("/api/health").json() == {"status": "ok"}
    assert "/api/patients" in http.get("/openapi.json").json()["paths"]
    assert http.get("/api/patients").status_code == 401
    del c


def test_patient_plan_session_recall_cycle(app):
    c = login(app, "clinician")
    pid = c.post("/api/patients", json={"name": "Sam Scar", "intake": INTAKE}).json()["id"]
    plan = c.post(f"/api/patients/{pid}/plan", json={"start": TODAY})
    assert plan.status_code == 201
    assert plan.json()["rules_version"] and plan.json()["model_version"]
    assert plan.json()["plan"]["regions"][0]["needle_length_mm"] == 1.5
    s = c.post(f"/api/patients/{pid}/sessions", json=session_body())
    assert s.status_code == 201, s.text
    rec = c.get(f"/api/patients/{pid}").json()
    assert len(rec["sessions"]) == 1 and rec["schedule"]["next_due"] == rec["schedule"]["dates"][1]
    lots = {lot["lot_number"]: lot["id"] for lot in c.get("/api/lots").json()}
    recall = c.post(f"/api/lots/{lots['DR15-2026-A']}/recall", json={"reason": "needles bend"}).json()
    assert {a["patient_id"] for a in recall["affected"]} == {pid}
    refused = c.post(f"/api/patients/{pid}/sessions", json=session_body())
    assert refused.status_code == 422 and "recalled" in refused.text and "needles bend" in refused.text


def test_expired_lot_is_refused_and_nothing_is_stored(app):
    c = login(app, "clinician")
    before = count(app, TreatmentSession), count(app, SessionRegion)
    r = c.post("/api/patients/1/sessions", json=session_body("DR10-OLD"))
    assert r.status_code == 422 and "expired" in r.text
    assert r.json()["detail"][0]["loc"][-1] == "regions[0].lot_number"
    assert (count(app, TreatmentSession), count(app, SessionRegion)) == before


def test_bad_input_names_the_field_and_stores_nothing(app):
    c = login(app, "clinician")
    before = count(app, TreatmentSession)
    future = (date.today() + timedelta(days=3)).isoformat()
    for body, field in [
        (session_body(date=future), "date"),
        (session_body(pain_vas=11), "pain_vas"),
        ({**session_body(), "regions": [{**session_body()["regions"][0], "needle_length_mm": 4}]}, "needle_length_mm"),
        ({**session_body(), "regions": [{**session_body()["regions"][0], "site": "elbow"}]}, "site"),
    ]:
        r = c.post("/api/patients/1/sessions", json=body)
        assert r.status_code == 422, body
        assert field in str(r.json()["detail"]), (field, r.text)
    assert count(app, TreatmentSession) == before
    r = c.post("/api/patients", json={"name": "X", "intake": {**INTAKE, "conditions": ["flu"]}})
    assert r.status_code == 422 and "active-infection" in r.text


def test_adverse_event_linked_to_lot(app):
    c = login(app, "clinician")
    c.post("/api/patients/1/plan", json={"start": TODAY})
    assert c.post("/api/patients/1/sessions", json=session_body()).status_code == 201
    ev = c.post(
        "/api/patients/1/adverse-events",
        json={"kind": "broken-needle", "date": TODAY, "lot_number": "DR15-2026-A", "description": "tip left"},
    )
    assert ev.status_code == 201
    lot_id = next(lot["id"] for lot in c.get("/api/lots").json() if lot["lot_number"] == "DR15-2026-A")
    usage = c.get(f"/api/lots/{lot_id}/usage").json()
    assert usage["adverse_events"][0]["kind"] == "broken-needle" and usage["affected"]


def test_patient_sees_only_their_record_and_the_attempt_is_audited(app):
    clin = login(app, "clinician")
    other = clin.post("/api/patients", json={"name": "Other", "intake": INTAKE}).json()["id"]
    pat = login(app, "patient")
    own = pat.user["patient_id"]
    assert pat.get(f"/api/patients/{own}").status_code == 200
    assert pat.get(f"/api/patients/{other}").status_code == 404
    assert pat.get(f"/api/patients/{other}/fhir").status_code == 404
    assert [p["id"] for p in pat.get("/api/patients").json()] == [own]
    assert pat.post(f"/api/patients/{own}/plan", json={}).status_code == 403
    with app.state.Session() as db:
        denied = db.scalars(
            select(AuditEntry).where(AuditEntry.result == "not-found", AuditEntry.patient_id == other)
        ).all()
    assert denied and denied[0].user_id == pat.user["id"]
    admin = login(app, "admin")
    assert any(a["result"] == "not-found" for a in admin.get("/api/audit").json()["items"])
    assert clin.get("/api/audit").status_code == 403


def test_reads_and_writes_are_audited(app):
    c = login(app, "clinician")
    c.get("/api/patients/1")
    c.post("/api/patients/1/plan", json={"start": TODAY})
    assert c.post("/api/patients/1/sessions", json=session_body()).status_code == 201
    with app.state.Session() as db:
        actions = {(a.action, a.entity) for a in db.scalars(select(AuditEntry))}
    assert ("read", "patient") in actions and ("write", "session") in actions and ("login", "user") in actions


def test_csrf_rate_limit_logout_and_expiry(app, tmp_path):
    c = login(app, "clinician")
    assert c.http.post("/api/patients", json={"name": "N", "intake": INTAKE}).status_code == 403  # no token
    for _ in range(5):
        assert c.http.post("/api/login", json={"email": "admin@demo.clinic", "password": "wrong"}).status_code == 401
    assert (
        c.http.post(
            "/api/login", json={"email": "admin@demo.clinic", "password": app.state.seeded_logins["admin@demo.clinic"]}
        ).status_code
        == 429
    )
    assert c.post("/api/logout").status_code == 200
    assert c.get("/api/patients").status_code == 401
    short = make_app(tmp_path / "short", session_max_age_s=1)
    s = login(short, "clinician")
    assert s.get("/api/patients").status_code == 200
    time.sleep(2.1)
    assert s.get("/api/patients").status_code == 401


def test_photos_checked_and_stored_under_their_hash(app, tmp_path):
    c = login(app, "clinician")
    data = png_bytes("red")
    r = c.post(
        "/api/patients/1/photos",
        data={"site": "cheek", "view": "front", "label": "before", "taken": TODAY},
        files={"file": ("a.png", data, "image/png")},
    )
    assert r.status_code == 201, r.text
    digest = r.json()["sha256"]
    stored = app.state.settings.photo_dir / digest[:2] / digest
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == digest
    assert Image.open(stored).tobytes() == Image.open(io.BytesIO(data)).tobytes()  # re-encoded, same pixels
    assert c.get(f"/api/photos/{r.json()['id']}").content == stored.read_bytes()
    bad = c.post(
        "/api/patients/1/photos",
        data={"site": "cheek", "view": "front", "label": "before", "taken": TODAY},
        files={"file": ("a.png", b"GIF89a not a png", "image/png")},
    )
    assert bad.status_code == 422 and "PNG or JPEG" in bad.text
    big = c.post(
        "/api/patients/1/photos",
        data={"site": "cheek", "view": "front", "label": "before", "taken": TODAY},
        files={"file": ("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * (9 * 1024 * 1024), "image/png")},
    )
    assert big.status_code == 422


def test_fhir_bundle_is_valid_r4(app):
    c = login(app, "clinician")
    c.post("/api/patients/1/plan", json={"start": TODAY})
    assert c.post("/api/patients/1/sessions", json=session_body()).status_code == 201
    c.post("/api/patients/1/outcomes", json={"date": TODAY, "site": "cheek", "gb_grade": 2})
    doc = c.get("/api/patients/1/fhir").json()
    Bundle.model_validate(doc)
    kinds = [e["resource"]["resourceType"] for e in doc["entry"]]
    assert {"Patient", "Procedure", "Device", "Observation", "CarePlan"} <= set(kinds)
    proc = next(e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == "Procedure")
    assert proc["bodySite"][0]["text"] == "cheek" and proc["focalDevice"] and proc["usedReference"]
    dev = next(e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == "Device")
    assert dev["lotNumber"] == "DR15-2026-A" and dev["expirationDate"]
    ics = c.get("/api/patients/1/schedule.ics")
    assert ics.status_code == 200 and ics.text.count("BEGIN:VEVENT") == 6
