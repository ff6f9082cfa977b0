"""Record forms on pages (issue 15, item 4): an outcome with its photos, an adverse event tied to a session and its
lot, session notes from the region templates, and amendments that keep the original; a refused form keeps what
was typed and marks the field. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from needling.clinic import note_templates as NT
from needling.clinic.models import AdverseEvent, Outcome
from needling.clinic.record_models import Amendment, OutcomePhoto, SessionNote
from tests.clinic.conftest import login, png_bytes
from tests.clinic.test_clinic_api import TODAY, session_body

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


def form(c, url: str, **fields):
    return c.http.post(url, data={"csrf_token": c.csrf, **fields}, follow_redirects=False)


def session_and_photos(c) -> tuple[int, list[int]]:
    assert c.post("/api/patients/1/plan", json={"start": TODAY}).status_code == 201
    r = c.post("/api/patients/1/sessions", json=session_body())
    assert r.status_code == 201, r.text
    photos = []
    for site, colour in (("cheek", "red"), ("cheek", "blue"), ("forehead", "green")):
        up = c.post(
            "/api/patients/1/photos",
            data={"site": site, "view": "front", "label": "after", "taken": TODAY},
            files={"file": ("p.png", png_bytes(colour), "image/png")},
        )
        assert up.status_code == 201, up.text
        photos.append(up.json()["id"])
    return r.json()["id"], photos


def count(app, model) -> int:
    with app.state.Session() as db:
        return db.scalar(select(func.count()).select_from(model))


def test_outcome_with_photos_then_a_photo_of_another_region_refused_and_marked(app):
    c = login(app, "clinician")
    _, photos = session_and_photos(c)
    ok = form(c, "/patients/1/outcomes", **{"o-date": TODAY, "o-site": "cheek", "o-grade": "2", "o-note": "better"})
    assert ok.status_code == 303
    r = c.http.post(
        "/patients/1/outcomes",
        data={"csrf_token": c.csrf, "o-date": TODAY, "o-site": "cheek", "o-grade": "1", "o-photos": photos[:2]},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = c.get("/patients/1/records").text
    assert page.count('class="thumb"') == 2 and "grade 1" in page and "better" in page
    bad = c.http.post(
        "/patients/1/outcomes",
        data={"csrf_token": c.csrf, "o-date": TODAY, "o-site": "cheek", "o-hair": "12", "o-photos": photos},
        follow_redirects=False,
    )
    assert (
        bad.status_code == 422
        and 'id="err-o-photos"' in bad.text
        and "Choose photos of the outcome&#39;s area." in bad.text
    )
    assert 'value="12"' in bad.text and all(f'value="{p}" checked' in bad.text for p in photos)
    typo = form(c, "/patients/1/outcomes", **{"o-date": TODAY, "o-site": "cheek", "o-grade": "two"})
    assert typo.status_code == 422 and re.search(r'name="o-grade"[^>]*aria-invalid="true"', typo.text)
    assert 'value="two"' in typo.text
    assert count(app, Outcome) == 2 and count(app, OutcomePhoto) == 2


def test_adverse_event_takes_the_sessions_lot_and_refuses_a_lot_the_session_did_not_use(app):
    c = login(app, "clinician")
    sid, _ = session_and_photos(c)
    r = form(c, "/patients/1/adverse-events", **{"e-kind": "pih", "e-date": TODAY, "e-session": str(sid)})
    assert r.status_code == 303
    with app.state.Session() as db:
        ev = db.scalars(select(AdverseEvent)).one()
        lot_id = ev.lot_id
    assert ev.session_id == sid and lot_id is not None
    page = c.get("/patients/1/records").text
    assert "darker patches (PIH)" in page and "lot DR15-2026-A" in page
    other = c.post(
        "/api/lots", json={"lot_number": "OTHER-1", "device_name": "dermapen-11", "expiry": "2030-01-01"}
    ).json()["id"]
    bad = form(
        c,
        "/patients/1/adverse-events",
        **{"e-kind": "infection", "e-date": TODAY, "e-session": str(sid), "e-lot": str(other), "e-description": "x"},
    )
    assert (
        bad.status_code == 422
        and 'id="err-e-lot"' in bad.text
        and "The session did not use that lot. Choose a lot it used: " in bad.text
    )
    future = form(c, "/patients/1/adverse-events", **{"e-kind": "pih", "e-date": "2999-01-01"})
    assert future.status_code == 422 and 'id="err-e-date"' in future.text
    assert count(app, AdverseEvent) == 1


def test_session_notes_start_from_the_region_template_and_amendments_keep_the_original(app):
    c = login(app, "clinician")
    sid, _ = session_and_photos(c)
    page = c.get(f"/patients/1/sessions/{sid}/notes")
    template = NT.template_text("cheek", "en")
    assert page.status_code == 200 and "Skin before:" in page.text and 'name="note-cheek"' in page.text
    swedish = c.get(f"/patients/1/sessions/{sid}/notes", headers={"accept-language": "sv"}).text
    title = re.search(r"<title>([^<]*)</title>", swedish)
    assert title and "Anteckningar" in title.group(1) and TODAY not in title.group(1)  # the date in words, not ISO
    assert c.get(f"/patients/1/sessions/{sid + 1000}/notes").status_code == 404
    untouched = form(c, f"/patients/1/sessions/{sid}/notes", **{"note-cheek": template, "note-session": ""})
    assert (
        untouched.status_code == 422
        and "Write a note for at least one area or for the whole session." in untouched.text
    )
    written = template.replace("Skin before: ", "Skin before: calm, no active acne")
    assert form(c, f"/patients/1/sessions/{sid}/notes", **{"note-cheek": written}).status_code == 303
    with app.state.Session() as db:
        note = db.scalars(select(SessionNote)).one()
    assert note.site == "cheek" and note.template == "face" and "calm, no active acne" in note.text
    # an amendment: the note keeps its text, the correction is shown under it
    amend = c.get(f"/patients/1/amend?entity=session_note&id={note.id}")
    assert amend.status_code == 200 and "calm, no active acne" in amend.text
    empty = form(c, "/patients/1/amend", entity="session_note", entity_id=str(note.id), text="", reason="typo")
    assert empty.status_code == 422 and 'id="err-text"' in empty.text and ">typo</textarea>" in empty.text
    r = form(
        c,
        "/patients/1/amend",
        entity="session_note",
        entity_id=str(note.id),
        text="Skin before: two active papules on the left cheek",
        reason="seen again under the lamp",
    )
    assert r.status_code == 303
    records = c.get("/patients/1/records").text
    assert (
        "calm, no active acne" in records and "two active papules" in records and "seen again under the lamp" in records
    )
    with app.state.Session() as db:
        assert "calm, no active acne" in db.get(SessionNote, note.id).text
    assert c.get("/patients/1/amend?entity=outcome&id=999").status_code == 404
    wrong = form(c, "/patients/1/amend", entity="outcome", entity_id="999", text="x", reason="y")
    assert wrong.status_code == 404
    assert count(app, Amendment) == 1


def test_notes_and_amendments_refuse_update_and_delete(app):
    c = login(app, "clinician")
    sid, _ = session_and_photos(c)
    template = NT.template_text("cheek", "en")
    form(c, f"/patients/1/sessions/{sid}/notes", **{"note-cheek": template + "done"})
    form(c, "/patients/1/amend", entity="session", entity_id=str(sid), text="10 passes, not 15", reason="miscount")
    for table in ("session_notes", "amendments"):
        for sql in (f"UPDATE {table} SET text = 'x'", f"DELETE FROM {table}"):
            with app.state.Session() as db:
                assert db.scalar(text(f"SELECT count(*) FROM {table}")) == 1
                with pytest.raises(DBAPIError, match=r"append-only|SQLSTATE P0001"):
                    db.execute(text(sql))
                    db.flush()
                db.rollback()


def test_a_patient_cannot_open_the_record_forms(app):
    pat = login(app, "patient")
    assert pat.get("/patients/1/records").status_code == 403
    assert form(pat, "/patients/1/outcomes", **{"o-date": TODAY, "o-site": "cheek"}).status_code == 403
