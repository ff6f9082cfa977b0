"""The record API: intake versions with their changes, session notes and amendments, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from needling.clinic.models import AuditEntry
from needling.clinic.record_models import Amendment, SessionNote
from tests.clinic.conftest import login
from tests.clinic.test_clinic_api import INTAKE, TODAY, session_body


def count(app, model, *where) -> int:
    with app.state.Session() as db:
        return db.scalar(select(func.count()).select_from(model).where(*where))


def patient_with_session(c) -> tuple[int, int]:
    pid = c.post("/api/patients", json={"name": "Rae Record", "intake": INTAKE}).json()["id"]
    assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY}).status_code == 201
    s = c.post(f"/api/patients/{pid}/sessions", json=session_body())
    assert s.status_code == 201, s.text
    return pid, s.json()["id"]


def test_intake_versions_list_newest_first_with_each_versions_changes(app):
    c = login(app, "clinician")
    pid = c.post("/api/patients", json={"name": "Vera Version", "intake": INTAKE}).json()["id"]
    changed = {**INTAKE, "goals": [*INTAKE["goals"], {"region": "forehead", "indication": "wrinkles", "grade": 2}]}
    assert c.put(f"/api/patients/{pid}/intake", json=changed).status_code == 200
    listed = c.get(f"/api/patients/{pid}/intake/versions")
    assert listed.status_code == 200, listed.text
    assert [(v["number"], v["changes"], v["created_by"]) for v in listed.json()] == [
        (2, 1, c.user["name"]),
        (1, 0, c.user["name"]),
    ]
    two = c.get(f"/api/patients/{pid}/intake/versions/2").json()
    assert two["intake"]["goals"][1]["region"] == "forehead"
    assert two["changes"] == [
        {
            "section": "goals",
            "kind": "added",
            "field": None,
            "before": None,
            "after": {"region": "forehead", "indication": "wrinkles", "grade": 2},
        }
    ]
    one = c.get(f"/api/patients/{pid}/intake/versions/1").json()
    assert one["changes"] == [] and len(one["intake"]["goals"]) == 1  # the first version is kept as it was
    missing = c.get(f"/api/patients/{pid}/intake/versions/3")
    assert missing.status_code == 404 and "version 3" in missing.json()["detail"]
    assert c.get("/api/patients/999999/intake/versions").status_code == 404
    pat = login(app, "patient")
    own = pat.user["patient_id"]
    assert pat.get(f"/api/patients/{own}/intake/versions").status_code == 403  # staff only, as the history page
    assert pat.get(f"/api/patients/{own}/intake/versions/1").status_code == 403


def test_session_notes_are_added_and_listed_and_refusals_store_nothing(app):
    c = login(app, "clinician")
    pid, sid = patient_with_session(c)
    assert c.get(f"/api/patients/{pid}/sessions/{sid}/notes").json() == []
    url = f"/api/patients/{pid}/sessions/{sid}/notes"
    r = c.post(url, json={"notes": [{"site": "cheek", "text": "Even pinpoint bleeding."}, {"text": "Tolerated well."}]})
    assert r.status_code == 201, r.text
    assert [(n["site"], n["text"], n["author"]) for n in r.json()] == [
        ("cheek", "Even pinpoint bleeding.", c.user["name"]),
        (None, "Tolerated well.", c.user["name"]),
    ]
    listed = c.get(url).json()
    assert [n["id"] for n in listed] == [n["id"] for n in r.json()] and listed[0]["template"] == "face"
    stored = count(app, SessionNote)
    for body, status, words in [
        ({"notes": [{"site": "scalp", "text": "x"}]}, 422, "scalp was not treated in session"),
        ({"notes": [{"site": "cheek", "text": "a"}, {"site": "cheek", "text": "b"}]}, 422, "one note per region"),
        ({"notes": []}, 422, "at least 1"),
        ({"notes": [{"text": "x" * 4001}]}, 422, "4000"),
        ({"notes": [{"text": "x"}], "extra": 1}, 422, "extra"),
    ]:
        bad = c.post(url, json=body)
        assert bad.status_code == status and words in bad.text, (body, bad.text)
    assert c.post(f"/api/patients/{pid}/sessions/999999/notes", json={"notes": [{"text": "x"}]}).status_code == 404
    assert c.get(f"/api/patients/{pid}/sessions/999999/notes").status_code == 404
    other = c.post("/api/patients", json={"name": "Otto Other", "intake": INTAKE}).json()["id"]
    assert c.get(f"/api/patients/{other}/sessions/{sid}/notes").status_code == 404  # not that patient's session
    pat = login(app, "patient")
    assert pat.post(url, json={"notes": [{"text": "mine"}]}).status_code in (403, 404)
    assert c.http.delete(url, headers={"x-csrf-token": c.csrf}).status_code == 405  # append-only: no such route
    assert count(app, SessionNote) == stored


def test_amendments_keep_the_original_and_are_listed_with_their_author(app):
    c = login(app, "clinician")
    pid, sid = patient_with_session(c)
    url = f"/api/patients/{pid}/amendments"
    assert c.get(url).json() == []
    body = {"entity": "session", "entity_id": sid, "text": "Pain was 5.5, not 4.5.", "reason": "Typed wrong."}
    r = c.post(url, json=body)
    assert r.status_code == 201, r.text
    assert {k: r.json()[k] for k in ("entity", "entity_id", "text", "reason", "author")} == {
        **body,
        "author": c.user["name"],
    }
    assert c.get(f"/api/patients/{pid}").json()["sessions"][0]["pain_vas"] == 4.5  # the original keeps its row
    assert [a["id"] for a in c.get(url).json()] == [r.json()["id"]]
    with app.state.Session() as db:
        assert db.scalar(
            select(AuditEntry).where(AuditEntry.entity == "amendment", AuditEntry.entity_id == str(r.json()["id"]))
        )
    stored = count(app, Amendment)
    for change, words in [
        ({"entity": "photo"}, "entity"),
        ({"entity_id": 999999}, "no session 999999 of this patient"),
        ({"reason": ""}, "reason"),
        ({"text": "   "}, "text: empty"),
        ({"entity_id": 0}, "entity_id"),
    ]:
        bad = c.post(url, json={**body, **change})
        assert bad.status_code == 422 and words in bad.text, (change, bad.text)
    pat = login(app, "patient")
    own = pat.user["patient_id"]
    assert pat.get(f"/api/patients/{own}/amendments").status_code == 403
    assert pat.post(f"/api/patients/{own}/amendments", json={**body, "entity_id": 1}).status_code == 403
    assert c.get("/api/patients/999999/amendments").status_code == 404
    assert count(app, Amendment) == stored
