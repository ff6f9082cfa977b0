"""Pages of the home-care portal (patients, English or Swedish) and the clinician's home-care forms."""

from __future__ import annotations

import calendar
from datetime import date

from babel.dates import format_date, get_day_names
from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session

from needling.anatomy import site_names
from needling.clinic import accounts
from needling.clinic import flash as F
from needling.clinic import homecare as H
from needling.clinic.api_schema import PathId
from needling.clinic.deps import DbSession, FormUser, PageUser
from needling.clinic.i18n import language
from needling.clinic.models import HomeLog, User
from needling.clinic.pages import go, go_refused, render
from needling.clinic.redirects import safe_path
from needling.clinic.roles import Role
from needling.errors import InputError
from needling.i18n import LANGS, N_, translate
from needling.planner.home_rules import DEFECT_LABELS, DEFECTS, REACTION_LABELS, REACTIONS, stored_finding_text
from needling.report.labels import site_key

router = APIRouter(include_in_schema=False)
CHOOSE_DATE = N_("Choose a date.")
CHOOSE_DEVICE = N_("Choose one of your registered devices.")
PASSES = N_("Write the number of passes as a whole number.")
PAIN = N_("Write the pain as a number from 0 to 10.")
NEEDLE_LENGTH = N_("Write the needle length in millimetres, such as 0.25.")
DAYS = N_("Write the number of days as a whole number.")


def _day(text: str, field: str) -> date:
    """The date a form field holds (YYYY-MM-DD from the date picker), or a refusal a patient can read."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{field}: {text[:20]!r} is not a date; valid: YYYY-MM-DD", field, msgid=CHOOSE_DATE) from None


def _number(text: str, field: str, msgid: str, whole: bool = False) -> float:
    """The number a form field holds (a decimal comma is read as a point), or a refusal with ``msgid``."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise InputError(f"{field}: {text[:20]!r} is not a number; valid: a number", field, msgid=msgid) from None
    if value != value or value in (float("inf"), float("-inf")) or (whole and not value.is_integer()):
        raise InputError(f"{field}: {text[:20]!r} is not a finite number; valid: a number", field, msgid=msgid)
    return value


def log_warnings(db: Session, request: Request, user: User, lang: str) -> list[str]:
    """The findings of the home log named by the signed flash message, if it is this patient's."""
    data = F.read(request.app.state.settings.secret_key, request.query_params.get(F.PARAM))
    log_id = data["a"].get("log") if data else None
    entry = db.get(HomeLog, log_id) if isinstance(log_id, int) else None
    if entry is None or entry.patient_id != user.patient_id:
        return []
    return [stored_finding_text(f, lang) for f in entry.findings]


def month_grid(year: int, month: int, marked: set[date]) -> list[list[dict]]:
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [{"day": d.day, "in_month": d.month == month, "logged": d in marked, "iso": d.isoformat()} for d in week]
        )
    return weeks


@router.get("/portal")
def portal(request: Request, user: PageUser, db: DbSession):
    if user.role != Role.PATIENT:
        return go("/patients")
    st = H.portal_state(db, user)
    lang = language(request, user)
    today = date.today()
    marked = {g.on for g in st["logs"]}
    warnings = log_warnings(db, request, user, lang)
    return render(
        request,
        "portal.html",
        user,
        lang=lang,
        st=st,
        sites=site_names(),
        reactions=REACTIONS,
        defects=DEFECTS,
        reaction_labels=REACTION_LABELS,
        defect_labels=DEFECT_LABELS,
        finding_text=lambda f: stored_finding_text(f, lang),
        grid=month_grid(today.year, today.month, marked),
        month=format_date(today, "LLLL y", locale=lang),  # "november 2026", not "2026-11"
        weekdays=[get_day_names("abbreviated", locale=lang)[i] for i in range(7)],  # Monday (0) first, as the grid
        warnings=warnings,
        title=translate(lang, "My home care"),
    )


@router.post("/portal/language")
def set_language(
    request: Request,
    user: FormUser,
    db: DbSession,
    lang: str = Form("en"),
):
    return choose_language(db, user, lang, "/portal")


def choose_language(db: Session, user: User, lang: str, back: str):
    """Keep the user's chosen language in their profile ("" goes back to following the browser)."""
    if lang in ("", *LANGS):
        accounts.set_language(db, user, lang)
        return go(back, N_("Language saved."))
    return go(back, N_("Not saved: choose a language from the list."), "error")


@router.post("/account/language")
def set_account_language(
    request: Request,
    user: FormUser,
    db: DbSession,
    lang: str = Form(""),
):
    return choose_language(db, user, lang, "/account")


@router.post("/portal/logs")
async def log(request: Request, user: FormUser, db: DbSession):
    form = await request.form()
    try:
        entry, findings = H.log_session(
            db,
            user,
            _day(str(form.get("date", "")), "date"),
            str(form.get("area", "")),
            int(_number(str(form.get("device_id") or 0), "device_id", CHOOSE_DEVICE, whole=True)),
            int(_number(str(form.get("passes") or 0), "passes", PASSES, whole=True)),
            _number(str(form["pain"]), "pain", PAIN) if form.get("pain") else None,
            [str(x) for x in form.getlist("reactions")],
        )
    except InputError as exc:
        db.rollback()
        return go_refused("/portal", N_("Not saved: %(reason)s"), request, user, exc)
    if findings:  # the banner names the log; the page shows that log's stored findings, nothing from the URL
        return go("/portal", N_("Warning"), "error", log=entry.id)
    return go("/portal", N_("Saved."))


@router.post("/portal/devices")
def register_device(
    request: Request,
    user: FormUser,
    db: DbSession,
    device_name: str = Form(...),
    needle_length_mm: str = Form(...),
    lot_or_serial: str = Form(""),
    first_use: str = Form(...),
):
    try:
        length = _number(needle_length_mm, "needle_length_mm", NEEDLE_LENGTH)
        H.register_device(db, user, device_name, length, lot_or_serial, _day(first_use, "first_use"))
    except InputError as exc:
        db.rollback()
        return go_refused("/portal", N_("Not saved: %(reason)s"), request, user, exc)
    return go("/portal", N_("Saved."))


@router.post("/portal/devices/{device_id}/inspect")
async def inspect(device_id: PathId, request: Request, user: FormUser, db: DbSession):
    form = await request.form()
    try:
        ins = H.inspect(db, user, device_id, [str(x) for x in form.getlist("defects")])
    except InputError as exc:
        db.rollback()
        return go_refused("/portal", N_("Not saved: %(reason)s"), request, user, exc)
    return go(
        "/portal",
        N_("Replace the device now; do not use it again.")
        if ins.defects
        else N_("The device passed; keep it clean and dry."),
        "error" if ins.defects else "ok",
    )


@router.post("/patients/{patient_id}/home-prescription")
def prescribe(
    patient_id: PathId,
    request: Request,
    user: FormUser,
    db: DbSession,
    device_name: str = Form(...),
    needle_length_mm: str = Form(...),
    frequency_days: str = Form(...),
    areas: str = Form(...),
    topical: str = Form(""),
):
    try:
        H.prescribe(
            db,
            user,
            patient_id,
            device_name,
            _number(needle_length_mm, "needle_length_mm", NEEDLE_LENGTH),
            int(_number(frequency_days, "frequency_days", DAYS, whole=True)),
            [site_key(a) for a in areas.split(",") if a.strip()],  # in words ("kind, panna") or as keys
            topical,
        )
    except InputError as exc:
        db.rollback()
        return go_refused(f"/patients/{patient_id}", N_("Not prescribed: %(reason)s"), request, user, exc)
    return go(f"/patients/{patient_id}", N_("Home care prescribed."))


@router.post("/alerts/{alert_id}/ack")
def ack(
    alert_id: PathId,
    request: Request,
    user: FormUser,
    db: DbSession,
    back: str = Form("/patients"),
):
    H.acknowledge(db, user, alert_id)
    return go(safe_path(back, "/patients"))
