"""The calendar's pages: day and week views with the booking form, one appointment (move, cancel), a patient's
appointments (reminder consent, the plan's proposals to confirm), the clinician's feed on the account page, and
the private feed URL itself (no log-in: the token is the key).

Routes parse the form, call :mod:`needling.clinic.appointments` (which checks and audits), and commit only
when it returns; a refused form is shown again with what was typed and the reason (422).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from needling.clinic import appointments as AP
from needling.clinic import calendar_feed as CF
from needling.clinic import dashboard as D
from needling.clinic import reminders as R
from needling.clinic import services as S
from needling.clinic.api_schema import PathId
from needling.clinic.deps import DbSession, FormStaff, FormUser, PageStaff
from needling.clinic.i18n import language
from needling.clinic.models import Patient, User
from needling.clinic.pages import go, render
from needling.clinic.roles import Role
from needling.errors import InputError
from needling.i18n import N_, translate
from needling.i18n import reason as error_reason

router = APIRouter(include_in_schema=False)

BOOKED = N_("Appointment booked.")
MOVED = N_("Appointment moved.")
CANCELLED = N_("Appointment cancelled.")
DONE = N_("Appointment marked done.")
SERIES_BOOKED = N_("The series' appointments are booked.")
CONTACT_SAVED = N_("Reminder settings saved.")
FEED_REVOKED = N_("Calendar feed revoked. The old address no longer works.")
NOT_SAVED = N_("Not saved: %(reason)s")
SEARCH_NOT_DONE = N_("Search not done: %(reason)s")


def _day(text: str, default: date) -> date:
    try:
        return date.fromisoformat(text.strip()[:10]) if text.strip() else default
    except ValueError:
        return default


NUMBER_FIELDS = {
    "patient_id": N_("Find the patient by name or date of birth and choose them."),
    "clinician_id": N_("Choose an active clinician from the list."),
    "duration_min": N_("Write the length in minutes as a whole number."),
}


def _int(name: str, text: str) -> int:
    text = text.strip()
    if not text.isdigit() or len(text) > 9:
        raise InputError(
            f"{name}: {text[:20]!r} is not a number; valid: a whole number",
            name,
            msgid=NUMBER_FIELDS.get(name, N_("Write a whole number.")),
        )
    return int(text)


def _refused(request: Request, user: User, exc: InputError) -> str:
    return translate(language(request, user), NOT_SAVED, reason=error_reason(exc, language(request, user)))


def calendar_page(
    request: Request,
    user: User,
    db: Session,
    *,
    view: str = "week",
    day: date | None = None,
    clinician: int | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
    error: str | None = None,
    find: str = "",
) -> HTMLResponse:
    """The day or week view (Monday to Sunday) and the booking form (pre-filled from ``typed``).

    The form's patient is chosen among the patients a search by name, date of birth or personnummer (``find``,
    the dashboard's search) found, a plain GET that works without JavaScript; the patient the form already holds
    (from the patient's page, or a refused booking) is offered chosen.
    """
    day = day or date.today()
    view = view if view in ("day", "week") else "week"
    first, last = (day, day) if view == "day" else AP.week_of(day)
    items = AP.between(db, user, first, last, clinician_id=clinician)
    by_day: dict[date, list[AP.AppointmentView]] = {
        first + timedelta(days=i): [] for i in range((last - first).days + 1)
    }
    for a in items:
        by_day.setdefault(a.day, []).append(a)
    people = AP.clinicians(db)
    step = timedelta(days=1 if view == "day" else 7)
    lang = language(request, user)
    booking_for = _patient(db, user, (typed or {}).get("patient_id", ""))
    found, find_refused = None, False
    if find.strip() and error is None:
        try:
            found = D.search_patients(db, user, find)
        except InputError as exc:
            db.rollback()
            status, error, find_refused = 422, translate(lang, SEARCH_NOT_DONE, reason=error_reason(exc, lang)), True
    choices = [booking_for] if booking_for is not None else []
    choices += [p for p in found or [] if booking_for is None or p.id != booking_for.id]
    return render(
        request,
        "calendar.html",
        user,
        status=status,
        view=view,
        day=day,
        first=first,
        last=last,
        days=by_day,
        previous=(first - step).isoformat(),
        following=(first + step).isoformat(),
        clinician=clinician,
        clinicians=people,
        booking_for=booking_for,
        find=find,
        found=found,
        find_refused=find_refused,
        choices=choices,
        search_limit=D.SEARCH_LIMIT,
        rooms=request.app.state.settings.rooms,
        typed=typed or {"day": day.isoformat(), "time": "09:00", "duration_min": str(AP.DEFAULT_DURATION_MIN)},
        title=translate(lang, "Calendar"),
        **({"flash": error, "flash_kind": "error"} if error else {}),
    )


def _patient(db: Session, user: User, number: str) -> Patient | None:
    """The patient whose number the booking form holds (the read audited), None if there is none."""
    if not (number.isdigit() and len(number) < 10):
        return None
    try:
        return S.get_patient(db, user, int(number), "calendar booking")
    except S.NotFound:
        return None


@router.get("/calendar")
def calendar(
    request: Request,
    user: PageStaff,
    db: DbSession,
    view: str = "week",
    day_text: str = Query("", alias="date"),
    clinician: str = "",
    patient: str = "",
    find: str = "",
):
    day = _day(day_text[:20], date.today())
    who = int(clinician) if clinician.isdigit() and len(clinician) < 10 else None
    typed = {
        "day": max(day, date.today()).isoformat(),
        "time": "09:00",
        "duration_min": str(AP.DEFAULT_DURATION_MIN),
        "patient_id": patient[:9] if patient.isdigit() else "",
        "clinician_id": str(who or user.id),
    }
    return calendar_page(request, user, db, view=view, day=day, clinician=who, typed=typed, find=find[:200])


#: Longest text kept of each calendar form field when a refused form is shown again (characters).
TYPED_LIMITS = {
    "patient_id": 12,
    "clinician_id": 12,
    "room": 40,
    "day": 12,
    "time": 8,
    "duration_min": 6,
    "note": AP.NOTE_LENGTH,
}


def _typed(**fields: str) -> dict[str, str]:
    """What was typed in a calendar form, each field cut to its :data:`TYPED_LIMITS` length."""
    return {name: value[: TYPED_LIMITS[name]] for name, value in fields.items()}


def _to_day_view(a: Any, message: str) -> Response:
    """Back to the calendar's day of appointment ``a``, with ``message`` as the banner."""
    return go(f"/calendar?view=day&date={a.starts_at.date().isoformat()}", message)


def _act_or_refuse(
    request: Request,
    user: User,
    db: Session,
    appointment_id: int,
    message: str,
    action: Callable[..., Any],
    *args: Any,
) -> Response:
    """Run ``action(db, user, appointment_id, *args)``; on a refusal show the appointment with the reason."""
    try:
        a = action(db, user, appointment_id, *args)
    except InputError as exc:
        db.rollback()
        return appointment_page(request, user, db, appointment_id, None, 422, _refused(request, user, exc))
    return _to_day_view(a, message)


@router.post("/appointments")
def book(
    request: Request,
    user: FormStaff,
    db: DbSession,
    patient_id: str = Form(""),
    clinician_id: str = Form(""),
    room: str = Form(""),
    day: str = Form(""),
    time_: str = Form("", alias="time"),
    duration_min: str = Form(""),
    note: str = Form(""),
):
    typed = _typed(
        patient_id=patient_id,
        clinician_id=clinician_id,
        room=room,
        day=day,
        time=time_,
        duration_min=duration_min,
        note=note,
    )
    try:
        a = AP.create_appointment(
            db,
            user,
            _int("patient_id", patient_id),
            _int("clinician_id", clinician_id),
            room,
            AP.parse_start(day, time_),
            _int("duration_min", duration_min),
            rooms=request.app.state.settings.rooms,
            note=note[: AP.NOTE_LENGTH + 1],
        )
    except (InputError, S.NotFound) as exc:
        db.rollback()
        error = _refused(request, user, exc if isinstance(exc, InputError) else InputError(str(exc), "patient_id"))
        back = _day(day, date.today())
        return calendar_page(request, user, db, view="day", day=back, typed=typed, status=422, error=error)
    return _to_day_view(a, BOOKED)


def appointment_page(
    request: Request,
    user: User,
    db: Session,
    appointment_id: int,
    typed: dict[str, str] | None = None,
    status: int = 200,
    error: str | None = None,
) -> HTMLResponse:
    a = AP.view(db, user, appointment_id)
    people = AP.clinicians(db)
    typed = typed or {
        "day": a.starts_at.date().isoformat(),
        "time": f"{a.starts_at:%H:%M}",
        "duration_min": str(a.duration_min),
        "clinician_id": str(a.clinician_id),
        "room": a.room,
    }
    return render(
        request,
        "appointment.html",
        user,
        status=status,
        a=a,
        typed=typed,
        clinicians=people,
        rooms=request.app.state.settings.rooms,
        title=translate(language(request, user), "Appointment"),
        **({"flash": error, "flash_kind": "error"} if error else {}),
    )


@router.get("/appointments/{appointment_id}")
def appointment(appointment_id: PathId, request: Request, user: PageStaff, db: DbSession):
    return appointment_page(request, user, db, appointment_id)


@router.post("/appointments/{appointment_id}/move")
def move(
    appointment_id: PathId,
    request: Request,
    user: FormStaff,
    db: DbSession,
    clinician_id: str = Form(""),
    room: str = Form(""),
    day: str = Form(""),
    time_: str = Form("", alias="time"),
    duration_min: str = Form(""),
):
    typed = _typed(clinician_id=clinician_id, room=room, day=day, time=time_, duration_min=duration_min)
    try:
        a = AP.move_appointment(
            db,
            user,
            appointment_id,
            AP.parse_start(day, time_),
            _int("duration_min", duration_min),
            clinician_id=_int("clinician_id", clinician_id),
            room=room,
            rooms=request.app.state.settings.rooms,
        )
    except InputError as exc:
        db.rollback()
        return appointment_page(request, user, db, appointment_id, typed, 422, _refused(request, user, exc))
    return _to_day_view(a, MOVED)


@router.post("/appointments/{appointment_id}/cancel")
def cancel(
    appointment_id: PathId,
    request: Request,
    user: FormStaff,
    db: DbSession,
    reason: str = Form(""),
):
    return _act_or_refuse(
        request, user, db, appointment_id, CANCELLED, AP.cancel_appointment, reason[: AP.NOTE_LENGTH + 1]
    )


@router.post("/appointments/{appointment_id}/done")
def done(
    appointment_id: PathId,
    request: Request,
    user: FormStaff,
    db: DbSession,
):
    return _act_or_refuse(request, user, db, appointment_id, DONE, AP.complete_appointment)


def patient_appointments_page(
    request: Request,
    user: User,
    db: Session,
    patient_id: int,
    *,
    at: time = time(9, 0),
    typed: dict[str, Any] | None = None,
    contact_typed: dict[str, Any] | None = None,
    status: int = 200,
    error: str | None = None,
) -> HTMLResponse:
    """A patient's appointments, their reminder settings and the plan's proposed appointments."""
    patient = S.get_patient(db, user, patient_id, "appointments")
    today = date.today()
    items = AP.between(
        db, user, today - timedelta(days=90), today + timedelta(weeks=AP.MAX_WEEKS_AHEAD), patient_id=patient_id
    )
    plan, proposals = AP.proposals(db, user, patient_id, at)
    contact = R.contact_of(db, patient_id)
    if contact_typed is None:
        contact_typed = {
            "email": contact.email if contact else "",
            "language": contact.language if contact else R.account_language(db, patient_id),
            "consented": bool(contact and contact.consented),
        }
    people = AP.clinicians(db)
    typed = typed or {
        "time": f"{at:%H:%M}",
        "clinician_id": str(user.id),
        "room": request.app.state.settings.rooms[0],
        "duration_min": str(AP.DEFAULT_DURATION_MIN),
        "chosen": {p.session_number for p in proposals if not (p.booked or p.recorded)},
    }
    return render(
        request,
        "patient_appointments.html",
        user,
        status=status,
        patient=patient,
        items=items,
        plan=plan,
        proposals=proposals,
        contact=contact_typed,
        clinicians=people,
        rooms=request.app.state.settings.rooms,
        typed=typed,
        at=at,
        title=translate(language(request, user), "Appointments of %(name)s", name=patient.name),
        **({"flash": error, "flash_kind": "error"} if error else {}),
    )


def _clock_or_nine(text: str) -> time:
    try:
        return _clock(text)
    except InputError:
        return time(9, 0)


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text.strip()[:5]) if text.strip() else time(9, 0)
    except ValueError:
        raise InputError(
            f"time: {text[:8]!r} is not a time; valid: HH:MM",
            "time",
            msgid=N_("Write the time as HH:MM, such as 09:30."),
        ) from None


@router.get("/patients/{patient_id}/appointments")
def patient_appointments(
    patient_id: PathId,
    request: Request,
    user: PageStaff,
    db: DbSession,
    at: str = "",
):
    return patient_appointments_page(request, user, db, patient_id, at=_clock_or_nine(at))


@router.post("/patients/{patient_id}/appointments/series")
def book_series(
    patient_id: PathId,
    request: Request,
    user: FormStaff,
    db: DbSession,
    time_: str = Form("", alias="time"),
    clinician_id: str = Form(""),
    room: str = Form(""),
    duration_min: str = Form(""),
    session: list[str] = Form(default_factory=list),
):
    """Book the chosen sessions of the plan's series at the chosen time: all of them, or none if one is refused."""
    chosen = {int(s) for s in session[:100] if s.isdigit() and len(s) < 4}
    typed = {
        "time": time_[:8],
        "clinician_id": clinician_id[:12],
        "room": room[:40],
        "duration_min": duration_min[:6],
        "chosen": chosen,
    }
    try:
        clock = _clock(time_)
        if not chosen:
            raise InputError(
                "session: none chosen; valid: tick at least one planned session",
                "session",
                msgid=N_("Tick at least one planned session."),
            )
        AP.book_proposals(
            db,
            user,
            patient_id,
            chosen,
            _int("clinician_id", clinician_id),
            room,
            clock,
            _int("duration_min", duration_min),
            rooms=request.app.state.settings.rooms,
        )
    except InputError as exc:
        db.rollback()
        at = _clock_or_nine(time_)
        error = _refused(request, user, exc)
        return patient_appointments_page(request, user, db, patient_id, at=at, typed=typed, status=422, error=error)
    return go(f"/patients/{patient_id}/appointments", SERIES_BOOKED)


@router.post("/patients/{patient_id}/reminder-contact")
def save_contact(
    patient_id: PathId,
    request: Request,
    user: FormUser,
    db: DbSession,
    email: str = Form(""),
    language_: str = Form("en", alias="language"),
    consented: str = Form(""),
):
    try:
        R.set_contact(db, user, patient_id, email[:250], language_[:5], consented == "yes")
    except InputError as exc:
        db.rollback()
        typed = {"email": email[:250], "language": language_[:5], "consented": consented == "yes"}
        error = _refused(request, user, exc)
        return patient_appointments_page(request, user, db, patient_id, contact_typed=typed, status=422, error=error)
    return go(f"/patients/{patient_id}/appointments", CONTACT_SAVED)


@router.post("/account/calendar-feed")
def new_feed(
    request: Request,
    user: FormUser,
    db: DbSession,
):
    """Make a new feed URL and show it once on the account page (never in a redirect's address)."""
    token = CF.new_token(db, user)
    return account_with_feed(request, user, db, str(request.url_for("calendar_feed", token=token)))


@router.post("/account/calendar-feed/revoke")
def revoke_feed(
    request: Request,
    user: FormUser,
    db: DbSession,
):
    CF.revoke(db, user)
    return go("/account", FEED_REVOKED)


def account_with_feed(request: Request, user: User, db: Session, feed_url: str | None = None) -> HTMLResponse:
    from needling.clinic.passwords import MIN_LENGTH

    has_feed = CF.has_feed(db, user) if user.role != Role.PATIENT else False
    return render(
        request,
        "account.html",
        user,
        min_length=MIN_LENGTH,
        feed=has_feed,
        feed_url=feed_url,
        title=translate(language(request, user), "Account"),
    )


@router.get("/calendar/{token}.ics", name="calendar_feed")
def calendar_feed(token: str, db: DbSession) -> Response:
    """A clinician's appointments as an iCalendar feed, for a calendar program to subscribe to."""
    owner = CF.feed_owner(db, token[:200])
    if owner is None:
        raise HTTPException(status_code=404, detail="no such calendar feed")
    body = CF.feed_ics(db, owner)
    return Response(body, media_type="text/calendar", headers={"cache-control": "private, no-store"})
