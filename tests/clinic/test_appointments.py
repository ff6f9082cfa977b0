"""Appointments through the API on SQLite and PostgreSQL: book, move, cancel, double booking refused
(also two bookings at once), the plan's proposals, ``.ics`` per appointment and the private feed."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select

from needling.clinic import appointments as AP
from needling.clinic.appointments_models import Appointment, CalendarFeed
from needling.clinic.models import AuditEntry, User
from needling.errors import InputError
from tests.clinic.conftest import login

TOMORROW = date.today() + timedelta(days=1)


def at(hour: int, minute: int = 0, day: date = TOMORROW) -> str:
    return datetime(day.year, day.month, day.day, hour, minute).isoformat()


def ids(app) -> tuple[int, int, int]:
    """The demonstration clinic's patient, clinician and admin."""
    with app.state.Session() as db:
        clinician = db.scalars(select(User).where(User.role == "clinician")).one()
        admin = db.scalars(select(User).where(User.role == "admin")).one()
        patient = db.scalars(select(User.patient_id).where(User.role == "patient")).one()
        return patient, clinician.id, admin.id


def book(c, patient: int, clinician: int, start: str, room: str = "Room 1", minutes: int = 45):
    return c.post(
        "/api/appointments",
        json={
            "patient_id": patient,
            "clinician_id": clinician,
            "room": room,
            "starts_at": start,
            "duration_min": minutes,
        },
    )


def test_book_move_cancel_and_double_booking_refused(app):
    c = login(app, "clinician")
    patient, clinician, admin = ids(app)
    r = book(c, patient, clinician, at(10))
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["status"] == "booked" and first["ends_at"] == at(10, 45) and first["clinician_name"]

    # The same clinician at an overlapping time, in another room: refused, naming the field and the clash.
    r = book(c, patient, clinician, at(10, 30), room="Room 2")
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["loc"][-1] == "starts_at" and "already booked" in detail["msg"] and "10:00-10:45" in detail["msg"]
    # The same room with another clinician: refused too.
    r = book(c, patient, admin, at(10, 44), room="Room 1")
    assert r.status_code == 422 and "Room 1 is already booked" in r.json()["detail"][0]["msg"]
    # Back to back is not a clash.
    assert book(c, patient, clinician, at(10, 45)).status_code == 201
    # Another room and another clinician at the same time: fine.
    assert book(c, patient, admin, at(10), room="Room 2").status_code == 201

    # Move the first one onto the back-to-back booking: refused; to the afternoon: moved.
    r = c.post(f"/api/appointments/{first['id']}/move", json={"starts_at": at(11)})
    assert r.status_code == 422
    r = c.post(f"/api/appointments/{first['id']}/move", json={"starts_at": at(14), "duration_min": 30})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "moved" and r.json()["ends_at"] == at(14, 30)
    # The morning slot is free again.
    assert book(c, patient, clinician, at(10, 0), minutes=40).status_code == 201

    # Cancel: its slot is free, it cannot be moved any more, and the day's list leaves it out.
    r = c.post(f"/api/appointments/{first['id']}/cancel", json={"reason": "patient ill"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert c.post(f"/api/appointments/{first['id']}/move", json={"starts_at": at(15)}).status_code == 422
    assert book(c, patient, clinician, at(14)).status_code == 201
    day = c.get("/api/appointments", params={"from": TOMORROW.isoformat(), "to": TOMORROW.isoformat()}).json()
    assert [a["starts_at"][11:16] for a in day] == ["10:00", "10:00", "10:45", "14:00"]
    assert first["id"] not in [a["id"] for a in day]
    # Done: it stays in the day's list, and can no longer be moved, cancelled or marked done again.
    late = next(a for a in day if a["starts_at"].endswith("14:00:00"))
    r = c.post(f"/api/appointments/{late['id']}/done")
    assert r.status_code == 200 and r.json()["status"] == "done"
    assert c.post(f"/api/appointments/{late['id']}/cancel", json={}).status_code == 422
    assert c.post(f"/api/appointments/{late['id']}/done").status_code == 422
    assert c.post("/api/appointments/999999/done").status_code == 404
    every = c.get("/api/appointments", params={"from": TOMORROW.isoformat(), "include_cancelled": True}).json()
    assert first["id"] in [a["id"] for a in every]

    with app.state.Session() as db:  # every write audited, with the patient named
        details = list(
            db.scalars(
                select(AuditEntry.detail).where(
                    AuditEntry.entity == "appointment", AuditEntry.entity_id == str(first["id"])
                )
            )
        )
    assert any(d.startswith("booked") for d in details) and any(d.startswith("moved from") for d in details)
    assert any("cancelled" in d and "patient ill" in d for d in details)


def test_bad_bookings_are_one_line_422(app):
    c = login(app, "clinician")
    patient, clinician, _ = ids(app)
    yesterday = date.today() - timedelta(days=1)
    cases = [
        ({"room": "Broom cupboard"}, "room", "valid: Room 1, Room 2"),
        ({"starts_at": at(9, day=yesterday)}, "starts_at", "in the past"),
        ({"duration_min": 2}, "duration_min", ""),
        ({"clinician_id": 999999}, "clinician_id", "not an active clinician"),
        ({"plan_id": 999999}, "plan_id", "not a plan of patient"),
    ]
    for change, field, words in cases:
        body = {"patient_id": patient, "clinician_id": clinician, "room": "Room 1", "starts_at": at(9)} | change
        r = c.post("/api/appointments", json=body)
        assert r.status_code == 422, (change, r.text)
        detail = r.json()["detail"][0]
        assert detail["loc"][-1] == field and words in detail["msg"] and "\n" not in detail["msg"], (change, detail)
    assert (
        c.post(
            "/api/appointments",
            json={"patient_id": 999999, "clinician_id": clinician, "room": "Room 1", "starts_at": at(9)},
        ).status_code
        == 404
    )
    # A patient may not book.
    p = login(app, "patient")
    assert book(p, patient, clinician, at(9)).status_code == 403


def test_two_bookings_at_once_only_one_wins(app):
    """Two clinicians book the same clinician at the same time at once: exactly one booking is stored."""
    patient, clinician, admin = ids(app)
    barrier = threading.Barrier(2, timeout=60)
    outcomes: list[str] = []

    def attempt(room: str) -> None:
        with app.state.Session() as db:
            actor = db.get(User, admin)
            barrier.wait()
            try:
                AP.create_appointment(db, actor, patient, clinician, room, datetime.fromisoformat(at(16)), 60)
                db.commit()
                outcomes.append("booked")
            except InputError as exc:
                db.rollback()
                outcomes.append(str(exc))

    threads = [threading.Thread(target=attempt, args=(room,)) for room in ("Room 1", "Room 2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(o == "booked" for o in outcomes) == [False, True], outcomes
    assert "already booked" in next(o for o in outcomes if o != "booked")
    with app.state.Session() as db:
        stored = db.scalars(select(Appointment).where(Appointment.clinician_id == clinician)).all()
    assert len(stored) == 1


def test_ics_per_appointment_and_private_feed(app):
    c = login(app, "clinician")
    patient, clinician, _ = ids(app)
    a = book(c, patient, clinician, at(9, 30)).json()
    r = c.get(f"/api/appointments/{a['id']}/ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    event = next(iter(Calendar.from_ical(r.content).walk("VEVENT")))
    assert event.decoded("dtstart") == datetime.fromisoformat(at(9, 30))
    assert event.decoded("dtend") == datetime.fromisoformat(at(10, 15))
    assert "Pat Demo" in str(event["summary"]) and str(event["location"]) == "Room 1"

    url = c.post("/api/calendar-feed").json()["url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40
    with app.state.Session() as db:  # kept as a digest, never as the token
        stored = db.scalars(select(CalendarFeed.token_hash)).one()
    assert token not in stored and len(stored) == 64
    anonymous = TestClient(app)
    feed = anonymous.get(url.replace("http://testserver", ""))
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    events = list(Calendar.from_ical(feed.content).walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [f"P. D. #{a['id']}"]  # initials, no name, no treatment
    assert b"Pat Demo" not in feed.content
    # A new token replaces the old one; revoking ends the new one too.
    url2 = c.post("/api/calendar-feed").json()["url"]
    assert anonymous.get(url.replace("http://testserver", "")).status_code == 404
    assert anonymous.get(url2.replace("http://testserver", "")).status_code == 200
    assert c.post("/api/calendar-feed/revoke").json() == {"revoked": True}
    assert anonymous.get(url2.replace("http://testserver", "")).status_code == 404
    assert anonymous.get("/calendar/not-a-token-at-all-but-long-enough.ics").status_code == 404


def test_plan_series_proposes_appointments(app):
    c = login(app, "clinician")
    patient, clinician, _ = ids(app)
    assert c.get(f"/api/patients/{patient}/appointment-proposals").json() == {"plan_id": None, "proposals": []}
    plan = c.post(f"/api/patients/{patient}/plan", json={"start": TOMORROW.isoformat()})
    assert plan.status_code == 201, plan.text
    dates = plan.json()["plan"]["series"]["dates"]
    r = c.get(f"/api/patients/{patient}/appointment-proposals", params={"at": "13:15"}).json()
    assert r["plan_id"] == plan.json()["id"]
    assert [p["starts_at"] for p in r["proposals"]] == [f"{d}T13:15:00" for d in dates]
    assert not any(p["booked"] for p in r["proposals"])
    first = r["proposals"][0]
    body = {
        "patient_id": patient,
        "clinician_id": clinician,
        "room": "Room 2",
        "starts_at": first["starts_at"],
        "plan_id": r["plan_id"],
        "session_number": first["session_number"],
    }
    assert c.post("/api/appointments", json=body).status_code == 201
    again = c.get(f"/api/patients/{patient}/appointment-proposals", params={"at": "13:15"}).json()
    assert [p["booked"] for p in again["proposals"]] == [True] + [False] * (len(dates) - 1)
    body["session_number"] = 99
    assert c.post("/api/appointments", json=body).status_code == 422


@pytest.mark.parametrize("room", ["", "x" * 41])
def test_room_bounds_in_the_document(app, room):
    c = login(app, "clinician")
    patient, clinician, _ = ids(app)
    assert book(c, patient, clinician, at(9), room=room).status_code == 422


def test_recording_a_session_marks_the_days_appointment_done(app):
    from tests.clinic.test_clinic_api import session_body

    c = login(app, "clinician")
    patient, clinician, _ = ids(app)
    today = date.today()
    early = book(c, patient, clinician, at(8, day=today)).json()
    late = book(c, patient, clinician, at(16, day=today)).json()
    tomorrow = book(c, patient, clinician, at(9)).json()
    assert c.post(f"/api/patients/{patient}/plan", json={"start": today.isoformat()}).status_code == 201
    assert c.post(f"/api/patients/{patient}/sessions", json=session_body()).status_code == 201
    status = {a: c.get(f"/api/appointments/{a}").json()["status"] for a in (early["id"], late["id"], tomorrow["id"])}
    # the day's first open appointment is the one the session was; the later one and tomorrow's stay booked
    assert status == {early["id"]: "done", late["id"]: "booked", tomorrow["id"]: "booked"}
    with app.state.Session() as db:
        done = db.scalars(select(AuditEntry).where(AuditEntry.detail == "done: session recorded")).all()
        assert [e.entity_id for e in done] == [str(early["id"])]
    # a refused session marks nothing: the later appointment stays booked
    assert c.post(f"/api/patients/{patient}/sessions", json=session_body(lot="NO-SUCH-LOT")).status_code == 422
    assert c.get(f"/api/appointments/{late['id']}").json()["status"] == "booked"
