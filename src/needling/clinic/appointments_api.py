"""The appointments API: book, list, move, cancel, the plan's proposals, ``.ics``, feed tokens, reminder contacts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from needling.clinic import appointments as AP
from needling.clinic import calendar_feed as CF
from needling.clinic import reminders as R
from needling.clinic.api_schema import MAX_ID, Id, Strict, column_text, responses, text
from needling.clinic.appointments_models import Appointment, ReminderContact
from needling.clinic.deps import CurrentUser, DbSession
from needling.clinic.i18n import language
from needling.errors import InputError

router = APIRouter(prefix="/api")

AppointmentId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="An appointment's id")]
PatientId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="A patient's id")]
Duration = Annotated[int, Field(ge=AP.MIN_DURATION_MIN, le=AP.MAX_DURATION_MIN, description="Minutes")]
MAX_RANGE_DAYS = 62
LocalTime = Annotated[
    str,
    Field(
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$",
        description="The clinic's local wall-clock time, without a zone (YYYY-MM-DDTHH:MM:SS)",
    ),
]


class AppointmentIn(Strict):
    patient_id: Id
    clinician_id: Id
    room: column_text(Appointment.room, min_length=1)
    starts_at: datetime = Field(
        description="The clinic's local time (e.g. 2026-12-01T09:30); a time with a zone is converted to it"
    )
    duration_min: Duration = AP.DEFAULT_DURATION_MIN
    plan_id: Id | None = None
    session_number: Annotated[int, Field(ge=1, le=100)] | None = None
    note: text(AP.NOTE_LENGTH) = ""


class MoveIn(Strict):
    starts_at: datetime = Field(description="The new start, the clinic's local time (a zone is converted to it)")
    duration_min: Duration | None = None
    clinician_id: Id | None = None
    room: column_text(Appointment.room, min_length=1) | None = None


class CancelIn(Strict):
    reason: text(AP.NOTE_LENGTH) = ""


class AppointmentOut(BaseModel):
    id: int
    patient_id: int
    patient_name: str
    clinician_id: int
    clinician_name: str
    room: str
    starts_at: LocalTime
    ends_at: LocalTime
    duration_min: int
    status: Literal["booked", "moved", "cancelled", "done"]
    plan_id: int | None
    session_number: int | None
    note: str


class ProposalOut(BaseModel):
    session_number: int
    of: int
    starts_at: LocalTime
    booked: bool
    regions: list[str] = Field(default_factory=list, description="Sites needled that day (catalogue names)")
    recorded: bool = Field(False, description="A session was already recorded for this visit of the plan")
    moved_from: date | None = Field(
        None, description="The day the plan moved this visit from, because the clinic is closed then (a weekend)"
    )


class ProposalsOut(BaseModel):
    """The patient's latest plan's sessions from today on, at the chosen time, to confirm as appointments."""

    plan_id: int | None
    proposals: list[ProposalOut]


class FeedOut(BaseModel):
    """The private feed's URL, shown once: anyone holding it reads the clinician's calendar until it is revoked."""

    url: str


class FeedStatusOut(BaseModel):
    revoked: bool


class ContactIn(Strict):
    email: column_text(ReminderContact.email, min_length=3)
    language: Literal["en", "sv"] = "en"
    consented: bool


class ContactOut(BaseModel):
    patient_id: int
    email: str
    language: str
    consented: bool


def _out(v: AP.AppointmentView) -> dict[str, Any]:
    return {
        "id": v.id,
        "patient_id": v.patient_id,
        "patient_name": v.patient_name,
        "clinician_id": v.clinician_id,
        "clinician_name": v.clinician_name,
        "room": v.room,
        "starts_at": v.starts_at.isoformat(timespec="seconds"),
        "ends_at": v.ends_at.isoformat(timespec="seconds"),
        "duration_min": v.duration_min,
        "status": v.status,
        "plan_id": v.plan_id,
        "session_number": v.session_number,
        "note": v.note,
    }


def _rooms(request: Request) -> list[str]:
    return list(request.app.state.settings.rooms)


@router.get("/appointments", response_model=list[AppointmentOut], responses=responses(found=False))
def appointments(
    user: CurrentUser,
    db: DbSession,
    first: Annotated[date | None, Query(alias="from", description="First day (default today)")] = None,
    last: Annotated[date | None, Query(alias="to", description="Last day, at most 62 days after the first")] = None,
    clinician_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    include_cancelled: bool = False,
) -> list[dict[str, Any]]:
    """Appointments starting from ``from`` to ``to`` (both included), by start; a patient sees their own."""
    first = first or date.today()
    last = last or first + timedelta(days=6)
    if not first <= last <= first + timedelta(days=MAX_RANGE_DAYS):
        raise InputError(f"to: {last} must be from {first} to {MAX_RANGE_DAYS} days after it", "to")
    out = [
        _out(v)
        for v in AP.between(db, user, first, last, clinician_id=clinician_id, include_cancelled=include_cancelled)
    ]
    return out


@router.post("/appointments", status_code=201, response_model=AppointmentOut, responses=responses())
def book(body: AppointmentIn, request: Request, user: CurrentUser, db: DbSession):
    """Book an appointment; 422 naming ``starts_at`` if the clinician or the room is already booked then."""
    a = AP.create_appointment(
        db,
        user,
        body.patient_id,
        body.clinician_id,
        body.room,
        body.starts_at,
        body.duration_min,
        rooms=_rooms(request),
        plan_id=body.plan_id,
        session_number=body.session_number,
        note=body.note,
    )
    return _out(AP.views(db, [a])[0])


@router.get("/appointments/{appointment_id}", response_model=AppointmentOut, responses=responses())
def appointment(appointment_id: AppointmentId, user: CurrentUser, db: DbSession):
    v = AP.view(db, user, appointment_id)
    return _out(v)


@router.post("/appointments/{appointment_id}/move", response_model=AppointmentOut, responses=responses())
def move(
    appointment_id: AppointmentId,
    body: MoveIn,
    request: Request,
    user: CurrentUser,
    db: DbSession,
):
    """Move to another time (and optionally clinician, room or duration); refused like a booking if taken."""
    a = AP.move_appointment(
        db,
        user,
        appointment_id,
        body.starts_at,
        body.duration_min,
        clinician_id=body.clinician_id,
        room=body.room,
        rooms=_rooms(request),
    )
    return _out(AP.views(db, [a])[0])


@router.post("/appointments/{appointment_id}/cancel", response_model=AppointmentOut, responses=responses())
def cancel(appointment_id: AppointmentId, body: CancelIn, user: CurrentUser, db: DbSession):
    a = AP.cancel_appointment(db, user, appointment_id, body.reason)
    return _out(AP.views(db, [a])[0])


@router.post("/appointments/{appointment_id}/done", response_model=AppointmentOut, responses=responses())
def done(appointment_id: AppointmentId, user: CurrentUser, db: DbSession):
    """Mark the appointment done (the patient came); it can no longer be moved or cancelled."""
    a = AP.complete_appointment(db, user, appointment_id)
    return _out(AP.views(db, [a])[0])


@router.get(
    "/appointments/{appointment_id}/ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}, **responses()},
)
def appointment_ics(appointment_id: AppointmentId, request: Request, user: CurrentUser, db: DbSession) -> Response:
    """The appointment as an ``.ics`` file, its title in the reader's language."""
    v = AP.view(db, user, appointment_id)
    return Response(
        CF.appointment_ics(v, language(request, user)),
        media_type="text/calendar",
        headers={"content-disposition": f'attachment; filename="appointment-{appointment_id}.ics"'},
    )


@router.get("/patients/{patient_id}/appointment-proposals", response_model=ProposalsOut, responses=responses())
def proposals(
    patient_id: PatientId,
    user: CurrentUser,
    db: DbSession,
    at: Annotated[time, Query(description="Time of day for every proposed appointment, HH:MM")] = time(9, 0),
) -> dict[str, Any]:
    """The latest plan's sessions from today on at ``at``; book each with ``POST /api/appointments``."""
    plan, items = AP.proposals(db, user, patient_id, at.replace(second=0, microsecond=0, tzinfo=None))
    return {
        "plan_id": plan.id if plan else None,
        "proposals": [
            {
                "session_number": p.session_number,
                "of": p.of,
                "starts_at": p.starts_at.isoformat(timespec="seconds"),
                "booked": p.booked,
                "regions": list(p.regions),
                "recorded": p.recorded,
                "moved_from": p.moved_from,
            }
            for p in items
        ],
    }


@router.put("/patients/{patient_id}/reminder-contact", response_model=ContactOut, responses=responses())
def reminder_contact(patient_id: PatientId, body: ContactIn, user: CurrentUser, db: DbSession) -> dict[str, Any]:
    """The patient's e-mail, language and consent to appointment reminders."""
    c = R.set_contact(db, user, patient_id, body.email, body.language, body.consented)
    return {"patient_id": patient_id, "email": c.email, "language": c.language, "consented": c.consented}


@router.post("/calendar-feed", status_code=201, response_model=FeedOut, responses=responses(found=False))
def new_feed(request: Request, user: CurrentUser, db: DbSession) -> dict[str, str]:
    """A new private feed URL for the logged-in clinician (an earlier one stops working)."""
    token = CF.new_token(db, user)
    return {"url": str(request.url_for("calendar_feed", token=token))}


@router.post("/calendar-feed/revoke", response_model=FeedStatusOut, responses=responses(found=False))
def revoke_feed(user: CurrentUser, db: DbSession) -> dict[str, bool]:
    """Revoke the logged-in user's feed URL."""
    gone = CF.revoke(db, user)
    return {"revoked": gone}
