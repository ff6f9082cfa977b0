"""The calendar's invariant over random bookings, moves and cancellations (hypothesis): no two active
appointments of one clinician or in one room overlap, and a booking is refused only when it would overlap
(checked against a plain model of the calendar kept beside the database)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from needling.clinic import appointments as AP
from needling.clinic.appointments_models import Appointment
from needling.clinic.models import Patient, User
from needling.errors import InputError
from tests.clinic.conftest import make_app

DAY = datetime.combine(date.today() + timedelta(days=1), datetime.min.time())
ROOMS = ("Room 1", "Room 2")


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("invariants"))
    with app.state.Session() as db:
        users = list(db.scalars(select(User).where(User.role.in_(("clinician", "admin"))).order_by(User.id)))
        patient = db.scalars(select(Patient.id)).first()
    yield app, [u.id for u in users], patient
    app.state.engine.dispose()


booking = st.tuples(
    st.sampled_from(["book", "move", "cancel"]),
    st.integers(0, 1),  # clinician
    st.integers(0, 1),  # room
    st.integers(0, 120).map(lambda k: 5 * k),  # start, minutes after 08:00
    st.integers(1, 24).map(lambda k: 5 * k),  # duration, minutes
    st.integers(0, 20),  # which earlier appointment to move or cancel
)


def overlaps(a: tuple[int, str, datetime, datetime], b: tuple[int, str, datetime, datetime]) -> bool:
    same = a[0] == b[0] or a[1] == b[1]
    return same and a[2] < b[3] and b[2] < a[3]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(booking, min_size=1, max_size=14))
def test_no_double_booking_and_no_needless_refusal(clinic, steps):
    app, clinicians, patient = clinic
    model: dict[
        int, tuple[int, str, datetime, datetime]
    ] = {}  # active appointments: id -> (clinician, room, start, end)
    with app.state.Session() as db:
        db.execute(delete(Appointment))
        db.commit()
        actor = db.get(User, clinicians[0])
        for kind, who, room_i, offset, minutes, pick in steps:
            clinician, room = clinicians[who], ROOMS[room_i]
            start = DAY + timedelta(hours=8, minutes=offset)
            wanted = (clinician, room, start, start + timedelta(minutes=minutes))
            if kind == "cancel" or kind == "move":
                if not model:
                    continue
                target = sorted(model)[pick % len(model)]
                if kind == "cancel":
                    AP.cancel_appointment(db, actor, target)
                    db.commit()
                    del model[target]
                    continue
                others = [v for k, v in model.items() if k != target]
                try:
                    AP.move_appointment(db, actor, target, start, minutes, clinician_id=clinician, room=room)
                    db.commit()
                    model[target] = wanted
                    assert not any(overlaps(wanted, o) for o in others)
                except InputError:
                    db.rollback()
                    assert any(overlaps(wanted, o) for o in others)
                continue
            try:
                a = AP.create_appointment(db, actor, patient, clinician, room, start, minutes)
                db.commit()
                assert not any(overlaps(wanted, o) for o in model.values())
                model[a.id] = wanted
            except InputError:
                db.rollback()
                assert any(overlaps(wanted, o) for o in model.values())
        stored = [
            (a.clinician_id, a.room, a.starts_at, a.ends_at)
            for a in db.scalars(select(Appointment).where(Appointment.status.in_(AP.ACTIVE)))
        ]
    assert sorted(stored) == sorted(model.values())
    for i, a in enumerate(stored):
        for b in stored[i + 1 :]:
            assert not overlaps(a, b), (a, b)
