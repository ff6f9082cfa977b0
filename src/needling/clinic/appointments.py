"""Appointments: book, move, cancel and list them; the plan's series proposes its appointments.

Every operation is one transaction, audited, and committed by the caller when it returns (routes never
commit on their own). Double booking of a clinician or a room is refused inside the transaction: the
booking first takes the calendar's lock for that clinician and that room (a PostgreSQL transaction-level
advisory lock; on SQLite the database's write lock, taken before anything is read), then looks for an
overlapping appointment, so two bookings at once cannot both see a free slot.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from needling.clinic import services as S
from needling.clinic.appointments_models import ACTIVE, Appointment
from needling.clinic.models import Patient, PlanRecord, TreatmentSession, User
from needling.clinic.roles import STAFF, Role
from needling.clinic.transactions import operation
from needling.errors import InputError, check_text
from needling.i18n import N_

MIN_DURATION_MIN = 5
"""The shortest appointment, minutes."""
MAX_DURATION_MIN = 480
"""The longest appointment, minutes (a working day)."""
DEFAULT_DURATION_MIN = 60
"""A micro-needling visit with topical anaesthesia (an assumption of the booking form, changed per booking)."""
MAX_WEEKS_AHEAD = 104
"""Appointments are booked at most two years ahead."""
DEFAULT_ROOMS = ("Room 1", "Room 2")
"""The clinic's rooms when ``NEEDLING_ROOMS`` names none."""
ROOM_LENGTH = Appointment.__table__.c.room.type.length
NOTE_LENGTH = 500


@dataclass(frozen=True)
class AppointmentView:
    """An appointment as pages, the API and calendars show it."""

    id: int
    patient_id: int
    patient_name: str
    clinician_id: int
    clinician_name: str
    room: str
    starts_at: datetime
    ends_at: datetime
    duration_min: int
    status: str
    plan_id: int | None
    session_number: int | None
    note: str

    @property
    def day(self) -> date:
        return self.starts_at.date()


@dataclass(frozen=True)
class Proposal:
    """An appointment the plan's series proposes: a planned session's date at the chosen time."""

    session_number: int
    of: int
    starts_at: datetime
    booked: bool  # an active appointment already holds this session of the series
    regions: tuple[str, ...] = ()  # the sites needled that day (a large region treated in parts has several days)
    recorded: bool = False  # as many sessions were recorded under this plan: the visit is done, nothing to book
    moved_from: date | None = None  # the plan moved this day off a day the clinic is closed (a weekend)


def _lock_keys(db: Session, keys: list[str]) -> None:
    """Hold the calendar's lock for ``keys`` until the transaction ends (see the module's docstring)."""
    if db.get_bind().dialect.name == "postgresql":
        for key in sorted(set(keys)):  # always in the same order, so two bookings never wait on each other
            number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": number})
    else:  # SQLite: a write first takes the database's write lock; a second booking waits for this one's commit
        db.execute(update(Appointment).where(Appointment.id == -1).values(status=Appointment.status))


def check_room(room: str, rooms: list[str] | tuple[str, ...]) -> str:
    room = room.strip()
    if room not in rooms:
        raise InputError(
            f"room: {room[:ROOM_LENGTH]!r} is not a room of the clinic; valid: {', '.join(rooms)}",
            "room",
            msgid=N_("Choose a room from the list."),
        )
    return room


def check_duration(duration_min: int) -> int:
    if not MIN_DURATION_MIN <= duration_min <= MAX_DURATION_MIN:
        raise InputError(
            f"duration_min: {duration_min} is out of range; valid: {MIN_DURATION_MIN} to {MAX_DURATION_MIN} minutes",
            "duration_min",
            msgid=N_("The length must be from %(low)s to %(high)s minutes."),
            params={"low": MIN_DURATION_MIN, "high": MAX_DURATION_MIN},
        )
    return duration_min


def check_start(starts_at: datetime, now: datetime | None = None) -> datetime:
    """A start from today on (seconds dropped), at most :data:`MAX_WEEKS_AHEAD` weeks ahead.

    A time with a zone is converted to the clinic's (the server's) local time; one without is taken as local.
    """
    now = now or S.now()
    if starts_at.tzinfo is not None:
        try:
            starts_at = starts_at.astimezone()
        except (OverflowError, ValueError):
            raise InputError(f"starts_at: {starts_at.isoformat()[:40]} is out of range", "starts_at") from None
    starts_at = starts_at.replace(second=0, microsecond=0, tzinfo=None)
    if starts_at.date() < now.date():
        raise InputError(
            f"starts_at: {starts_at:%Y-%m-%d %H:%M} is in the past; valid: today or later",
            "starts_at",
            msgid=N_("The time %(start)s has passed. Choose today or a later day."),
            params={"start": starts_at},
        )
    if starts_at > now + timedelta(weeks=MAX_WEEKS_AHEAD):
        raise InputError(
            f"starts_at: {starts_at:%Y-%m-%d} is too far ahead; valid: within two years",
            "starts_at",
            msgid=N_("Book at most two years ahead."),
        )
    return starts_at


def clinicians(db: Session) -> list[User]:
    """The active users who see patients (clinicians and admins), by name."""
    return list(
        db.scalars(select(User).where(User.active, User.role.in_(("clinician", "admin"))).order_by(User.name, User.id))
    )


def _clinician(db: Session, clinician_id: int) -> User:
    user = db.get(User, clinician_id)
    if user is None or not user.active or user.role not in ("clinician", "admin"):
        valid = ", ".join(f"{u.id} ({u.name})" for u in clinicians(db))
        raise InputError(
            f"clinician_id: {clinician_id} is not an active clinician; valid: {valid}",
            "clinician_id",
            msgid=N_("Choose an active clinician from the list."),
        )
    return user


def conflicts(
    db: Session, clinician_id: int, room: str, starts_at: datetime, ends_at: datetime, exclude: int | None = None
) -> list[Appointment]:
    """Active appointments of the clinician or in the room that overlap [``starts_at``, ``ends_at``)."""
    query = select(Appointment).where(
        Appointment.status.in_(ACTIVE),
        Appointment.starts_at < ends_at,
        Appointment.ends_at > starts_at,
        (Appointment.clinician_id == clinician_id) | (Appointment.room == room),
    )
    if exclude is not None:
        query = query.where(Appointment.id != exclude)
    return list(db.scalars(query.order_by(Appointment.starts_at)))


def _refuse_overlap(
    db: Session, clinician: User, room: str, starts_at: datetime, ends_at: datetime, exclude: int | None = None
) -> None:
    _lock_keys(db, [f"clinician:{clinician.id}", f"room:{room}"])
    clash = conflicts(db, clinician.id, room, starts_at, ends_at, exclude)
    if clash:
        other = clash[0]
        who = f"{clinician.name} is" if other.clinician_id == clinician.id else f"{room} is"
        raise InputError(
            f"starts_at: {who} already booked {other.starts_at:%Y-%m-%d %H:%M}-{other.ends_at:%H:%M}; "
            "valid: a time when both the clinician and the room are free",
            "starts_at",
            msgid=N_(
                "%(who)s is already booked %(start)s to %(end)s. Choose a time when both the clinician and the room "
                "are free."
            ),
            params={"who": clinician.name if other.clinician_id == clinician.id else room, "start": other.starts_at}
            | {"end": other.ends_at.time()},
        )


def _plan_link(db: Session, patient_id: int, plan_id: int | None, session_number: int | None) -> None:
    if plan_id is None:
        if session_number is not None:
            raise InputError("session_number: needs plan_id; valid: a session number of the patient's plan", "plan_id")
        return
    plan = db.get(PlanRecord, plan_id)
    if plan is None or plan.patient_id != patient_id:
        raise InputError(f"plan_id: {plan_id} is not a plan of patient {patient_id}; valid: one of theirs", "plan_id")
    count = len(plan.typed().series.dates)
    if session_number is not None and not 1 <= session_number <= max(count, 1):
        raise InputError(
            f"session_number: {session_number} is out of range; valid: 1 to {count}",
            "session_number",
            msgid=N_("Choose a session of the plan, from 1 to %(high)s."),
            params={"high": count},
        )


@operation
def create_appointment(
    db: Session,
    actor: User,
    patient_id: int,
    clinician_id: int,
    room: str,
    starts_at: datetime,
    duration_min: int = DEFAULT_DURATION_MIN,
    *,
    rooms: list[str] | tuple[str, ...] = DEFAULT_ROOMS,
    plan_id: int | None = None,
    session_number: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Book an appointment; refused (``InputError``) if the clinician or the room is taken at that time.

    Parameters
    ----------
    starts_at : datetime
        The clinic's local time (no zone); seconds are dropped.
    duration_min : int
        Minutes, :data:`MIN_DURATION_MIN` to :data:`MAX_DURATION_MIN`.
    rooms : sequence of str
        The clinic's rooms (``Settings.rooms``); ``room`` must be one of them.
    plan_id, session_number : int, optional
        The plan and the session of its series this appointment is for.
    """
    S.require_role(actor, *STAFF)
    S.get_patient(db, actor, patient_id, "appointment")
    room = check_room(room, rooms)
    duration_min = check_duration(duration_min)
    starts_at = check_start(starts_at, now)
    check_text("note", note, max_length=NOTE_LENGTH)
    _plan_link(db, patient_id, plan_id, session_number)
    clinician = _clinician(db, clinician_id)
    ends_at = starts_at + timedelta(minutes=duration_min)
    _refuse_overlap(db, clinician, room, starts_at, ends_at)
    stamp = S.now()
    appointment = Appointment(
        patient_id=patient_id,
        clinician_id=clinician.id,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        duration_min=duration_min,
        status="booked",
        plan_id=plan_id,
        session_number=session_number,
        note=note.strip(),
        created=stamp,
        created_by=actor.id,
        updated=stamp,
    )
    db.add(appointment)
    db.flush()
    S.audit(
        db,
        actor,
        "write",
        "appointment",
        appointment.id,
        f"booked {starts_at:%Y-%m-%d %H:%M} {duration_min} min, clinician {clinician.id}, {room}",
        patient_id=patient_id,
    )
    return appointment


def _editable(db: Session, actor: User, appointment_id: int) -> Appointment:
    S.require_role(actor, *STAFF)
    appointment = db.get(Appointment, appointment_id)
    if appointment is None:
        raise S.NotFound(f"appointment {appointment_id} not found")
    if appointment.status not in ACTIVE:
        raise InputError(
            f"appointment {appointment_id} is {appointment.status}; valid: a booked or moved appointment",
            "status",
            msgid=N_("Only a booked or moved appointment can be changed."),
        )
    return appointment


@operation
def move_appointment(
    db: Session,
    actor: User,
    appointment_id: int,
    starts_at: datetime,
    duration_min: int | None = None,
    *,
    clinician_id: int | None = None,
    room: str | None = None,
    rooms: list[str] | tuple[str, ...] = DEFAULT_ROOMS,
    now: datetime | None = None,
) -> Appointment:
    """Move an appointment to another time (and optionally clinician, room, duration); status ``moved``."""
    appointment = _editable(db, actor, appointment_id)
    new_room = check_room(room, rooms) if room is not None else appointment.room
    duration = check_duration(duration_min) if duration_min is not None else appointment.duration_min
    starts_at = check_start(starts_at, now)
    clinician = _clinician(db, clinician_id if clinician_id is not None else appointment.clinician_id)
    ends_at = starts_at + timedelta(minutes=duration)
    _refuse_overlap(db, clinician, new_room, starts_at, ends_at, exclude=appointment.id)
    was = f"{appointment.starts_at:%Y-%m-%d %H:%M} clinician {appointment.clinician_id}, {appointment.room}"
    appointment.starts_at, appointment.ends_at, appointment.duration_min = starts_at, ends_at, duration
    appointment.clinician_id, appointment.room = clinician.id, new_room
    appointment.status, appointment.updated = "moved", S.now()
    S.audit(
        db,
        actor,
        "write",
        "appointment",
        appointment.id,
        f"moved from {was} to {starts_at:%Y-%m-%d %H:%M} {duration} min, clinician {clinician.id}, {new_room}",
        patient_id=appointment.patient_id,
    )
    return appointment


@operation
def cancel_appointment(db: Session, actor: User, appointment_id: int, reason: str = "") -> Appointment:
    """Cancel an appointment; its time is free again, and no reminder goes out for it."""
    appointment = _editable(db, actor, appointment_id)
    check_text("reason", reason, max_length=NOTE_LENGTH)
    appointment.status, appointment.updated = "cancelled", S.now()
    S.audit(
        db,
        actor,
        "write",
        "appointment",
        appointment.id,
        f"cancelled {appointment.starts_at:%Y-%m-%d %H:%M}" + (f": {reason.strip()}" if reason.strip() else ""),
        patient_id=appointment.patient_id,
    )
    return appointment


@operation
def complete_appointment(db: Session, actor: User, appointment_id: int) -> Appointment:
    """Mark an appointment done."""
    appointment = _editable(db, actor, appointment_id)
    appointment.status, appointment.updated = "done", S.now()
    S.audit(db, actor, "write", "appointment", appointment.id, "done", patient_id=appointment.patient_id)
    return appointment


def complete_by_session(db: Session, actor: User, patient_id: int, appointment_id: int | None) -> Appointment | None:
    """Mark done the patient's first open appointment of the day a session was recorded on, inside that session's
    transaction (called by :func:`needling.clinic.services.record_session`, which commits).

    ``appointment_id`` is that appointment's id, or None when there was none; the session's insert read it
    (:func:`needling.clinic.appointments_models.first_open_of_day`), so a day without one costs no query.

    Returns
    -------
    Appointment or None
        The appointment marked done, or None when the patient had no booked or moved appointment that day.
    """
    if appointment_id is None:
        return None
    appointment = db.get_one(Appointment, appointment_id)
    appointment.status, appointment.updated = "done", S.now()
    S.audit(db, actor, "write", "appointment", appointment.id, "done: session recorded", patient_id=patient_id)
    return appointment


def upcoming(db: Session, actor: User, patient_id: int) -> list[Appointment]:
    """The patient's booked or moved appointments from today on, earliest first (a patient sees only their own)."""
    S.get_patient(db, actor, patient_id, "appointments")
    start = datetime.combine(S.now().date(), time.min)
    return list(
        db.scalars(
            select(Appointment)
            .where(
                Appointment.patient_id == patient_id,
                Appointment.status.in_(ACTIVE),
                Appointment.starts_at >= start,
            )
            .order_by(Appointment.starts_at, Appointment.id)
        )
    )


def views(db: Session, rows: list[Appointment]) -> list[AppointmentView]:
    patient_ids = {a.patient_id for a in rows}
    user_ids = {a.clinician_id for a in rows}
    patients = (
        dict(db.execute(select(Patient.id, Patient.name).where(Patient.id.in_(patient_ids))).all()) if rows else {}
    )
    users = dict(db.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all()) if rows else {}
    return [
        AppointmentView(
            id=a.id,
            patient_id=a.patient_id,
            patient_name=patients.get(a.patient_id, ""),
            clinician_id=a.clinician_id,
            clinician_name=users.get(a.clinician_id, ""),
            room=a.room,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            duration_min=a.duration_min,
            status=a.status,
            plan_id=a.plan_id,
            session_number=a.session_number,
            note=a.note,
        )
        for a in rows
    ]


@operation
def view(db: Session, actor: User, appointment_id: int) -> AppointmentView:
    """One appointment (a patient sees only their own); the read is audited."""
    appointment = db.get(Appointment, appointment_id)
    if appointment is None or (actor.role == Role.PATIENT and actor.patient_id != appointment.patient_id):
        raise S.NotFound(f"appointment {appointment_id} not found")
    S.audit(db, actor, "read", "appointment", appointment_id, "", patient_id=appointment.patient_id)
    return views(db, [appointment])[0]


@operation
def between(
    db: Session,
    actor: User,
    first: date,
    last: date,
    *,
    clinician_id: int | None = None,
    patient_id: int | None = None,
    include_cancelled: bool = False,
    audit: bool = True,
) -> list[AppointmentView]:
    """Appointments starting on ``first`` to ``last`` (both included), by start; a patient sees only theirs."""
    if actor.role == Role.PATIENT:
        patient_id = actor.patient_id or -1
    query = select(Appointment).where(
        Appointment.starts_at >= datetime.combine(first, time()),
        Appointment.starts_at < datetime.combine(last + timedelta(days=1), time()),
    )
    if clinician_id is not None:
        query = query.where(Appointment.clinician_id == clinician_id)
    if patient_id is not None:
        query = query.where(Appointment.patient_id == patient_id)
    if not include_cancelled:
        query = query.where(Appointment.status != "cancelled")
    rows = list(db.scalars(query.order_by(Appointment.starts_at, Appointment.id)))
    if audit:
        S.audit(db, actor, "read", "appointment", "*", f"{first} to {last}", patient_id=patient_id)
    return views(db, rows)


@operation
def proposals(
    db: Session, actor: User, patient_id: int, at: time, today: date | None = None
) -> tuple[PlanRecord | None, list[Proposal]]:
    """The appointments the patient's latest plan proposes: each planned date from today on, at ``at``.

    A planned session that an active appointment of the same plan already holds is marked ``booked``; one the
    plan moved off a weekend carries the day it would have had (``moved_from``).
    """
    S.require_role(actor, *STAFF)
    S.get_patient(db, actor, patient_id, "appointment proposals")
    plan = S.latest_plan(db, patient_id)
    if plan is None:
        return None, []
    today = today or date.today()
    dates = [date.fromisoformat(d) for d in plan.typed().series.dates]
    held = set(
        db.scalars(
            select(Appointment.session_number).where(
                Appointment.plan_id == plan.id, Appointment.status.in_((*ACTIVE, "done"))
            )
        )
    )
    recorded = db.scalar(select(func.count()).select_from(TreatmentSession).where(TreatmentSession.plan_id == plan.id))
    moved = plan.typed().series.moved_from or {}
    sites: dict[str, list[str]] = {}
    for region in plan.typed().regions:
        parts = region.series.part_dates
        for day in [d for days in parts for d in days] if parts else region.series.dates:
            sites.setdefault(day, []).append(region.site)
    out = [
        Proposal(
            session_number=i,
            of=len(dates),
            starts_at=datetime.combine(d, at),
            booked=i in held,
            regions=tuple(dict.fromkeys(sites.get(d.isoformat(), []))),
            recorded=i <= (recorded or 0),
            moved_from=date.fromisoformat(moved[d.isoformat()]) if d.isoformat() in moved else None,
        )
        for i, d in enumerate(dates, start=1)
        if d >= today
    ]
    return plan, out


@operation
def book_proposals(
    db: Session,
    actor: User,
    patient_id: int,
    chosen: set[int],
    clinician_id: int,
    room: str,
    at: time,
    duration_min: int,
    rooms: list[str] | tuple[str, ...],
) -> list[Appointment]:
    """Book the ``chosen`` session numbers of the latest plan's series at ``at``: all of them, or none if one is
    refused (a number that is not an open session from today on, or any refusal of :func:`create_appointment`)."""
    plan, offered = proposals(db, actor, patient_id, at)
    by_number = {p.session_number: p for p in offered}
    booked = []
    for number in sorted(chosen):
        p = by_number.get(number)
        if p is None or p.booked or p.recorded:
            raise InputError(
                f"session: {number} is not an open session of the plan from today on",
                "session",
                msgid=N_("Session %(number)s is not an open session of the plan from today on."),
                params={"number": number},
            )
        booked.append(
            create_appointment(
                db,
                actor,
                patient_id,
                clinician_id,
                room,
                p.starts_at,
                duration_min,
                rooms=rooms,
                plan_id=plan.id if plan else None,
                session_number=number,
            )
        )
    return booked


def parse_start(day: str, clock: str) -> datetime:
    """A start from a form's date (YYYY-MM-DD) and time (HH:MM) fields; one-line error otherwise."""
    try:
        return datetime.combine(date.fromisoformat(day.strip()), time.fromisoformat(clock.strip()))
    except ValueError:
        raise InputError(
            f"starts_at: {day[:12]!r} {clock[:8]!r} is not a date and time; valid: YYYY-MM-DD and HH:MM",
            "starts_at",
            msgid=N_("Choose a date and a time."),
        ) from None


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)
