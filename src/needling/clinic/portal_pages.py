"""Pages of the home-care portal (patients, English or Swedish) and the clinician's home-care forms."""

from __future__ import annotations

import calendar
import json
from datetime import date

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session

from needling.anatomy import site_names
from needling.clinic import homecare as H
from needling.clinic.api_schema import PathId
from needling.clinic.deps import check_form_csrf, get_db, optional_user
from needling.clinic.i18n import LANGS, catalogue, language
from needling.clinic.models import User
from needling.clinic.pages import go, need_login, render
from needling.errors import InputError
from needling.planner.home_rules import DEFECTS, REACTIONS

router = APIRouter(include_in_schema=False)


def month_grid(year: int, month: int, marked: set[date]) -> list[list[dict]]:
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [{"day": d.day, "in_month": d.month == month, "logged": d in marked, "iso": d.isoformat()} for d in week]
        )
    return weeks


@router.get("/portal")
def portal(request: Request, user: User | None = Depends(optional_user), db: Session = Depends(get_db)):
    if (r := need_login(user)) is not None:
        return r
    if user.role != "patient":
        return go("/patients")
    st = H.portal_state(db, user)
    db.commit()
    lang = language(request, user)
    today = date.today()
    marked = {g.on for g in st["logs"]}
    warnings = json.loads(request.query_params.get("warnings", "[]") or "[]")
    return render(
        request,
        "portal.html",
        user,
        t=catalogue(lang),
        lang=lang,
        st=st,
        sites=site_names(),
        reactions=REACTIONS,
        defects=DEFECTS,
        grid=month_grid(today.year, today.month, marked),
        month=today.strftime("%Y-%m"),
        warnings=warnings,
        title="Portal",
    )


@router.post("/portal/language")
def set_language(
    request: Request,
    csrf_token: str = Form(""),
    lang: str = Form("en"),
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db),
):
    if (r := need_login(user)) is not None:
        return r
    check_form_csrf(request, csrf_token)
    if lang in LANGS:
        db.get(User, user.id).language = lang
        db.commit()
    return go("/portal")


@router.post("/portal/logs")
async def log(request: Request, user: User | None = Depends(optional_user), db: Session = Depends(get_db)):
    if (r := need_login(user)) is not None:
        return r
    form = await request.form()
    check_form_csrf(request, form.get("csrf_token"))
    lang = language(request, user)
    try:
        _entry, findings = H.log_session(
            db,
            user,
            date.fromisoformat(str(form.get("date", ""))),
            str(form.get("area", "")),
            int(form.get("device_id") or 0),
            int(form.get("passes") or 0),
            float(form["pain"]) if form.get("pain") else None,
            [str(x) for x in form.getlist("reactions")],
        )
        db.commit()
    except (InputError, ValueError) as exc:
        db.rollback()
        return go("/portal", f"Not saved: {exc}", "error")
    msgs = [f["message_sv"] if lang == "sv" else f["message"] for f in findings]
    from urllib.parse import quote

    if msgs:
        return go("/portal?warnings=" + quote(json.dumps(msgs)), catalogue(lang)["warning"], "error")
    return go("/portal", catalogue(lang)["passed"])


@router.post("/portal/devices")
def register_device(
    request: Request,
    csrf_token: str = Form(""),
    device_name: str = Form(...),
    needle_length_mm: str = Form(...),
    lot_or_serial: str = Form(""),
    first_use: str = Form(...),
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db),
):
    if (r := need_login(user)) is not None:
        return r
    check_form_csrf(request, csrf_token)
    try:
        H.register_device(db, user, device_name, float(needle_length_mm), lot_or_serial, date.fromisoformat(first_use))
        db.commit()
    except (InputError, ValueError) as exc:
        db.rollback()
        return go("/portal", f"Not saved: {exc}", "error")
    return go("/portal", catalogue(language(request, user))["passed"])


@router.post("/portal/devices/{device_id}/inspect")
async def inspect(
    device_id: PathId, request: Request, user: User | None = Depends(optional_user), db: Session = Depends(get_db)
):
    if (r := need_login(user)) is not None:
        return r
    form = await request.form()
    check_form_csrf(request, form.get("csrf_token"))
    try:
        ins = H.inspect(db, user, device_id, [str(x) for x in form.getlist("defects")])
        db.commit()
    except InputError as exc:
        db.rollback()
        return go("/portal", f"Not saved: {exc}", "error")
    return go("/portal", ins.advice, "error" if ins.defects else "ok")


@router.post("/patients/{patient_id}/home-prescription")
def prescribe(
    patient_id: PathId,
    request: Request,
    csrf_token: str = Form(""),
    device_name: str = Form(...),
    needle_length_mm: str = Form(...),
    frequency_days: str = Form(...),
    areas: str = Form(...),
    topical: str = Form(""),
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db),
):
    if (r := need_login(user)) is not None:
        return r
    check_form_csrf(request, csrf_token)
    try:
        H.prescribe(
            db,
            user,
            patient_id,
            device_name,
            float(needle_length_mm),
            int(frequency_days),
            [a.strip() for a in areas.split(",") if a.strip()],
            topical,
        )
        db.commit()
    except (InputError, ValueError) as exc:
        db.rollback()
        return go(f"/patients/{patient_id}", f"Not prescribed: {exc}", "error")
    return go(f"/patients/{patient_id}", "Home care prescribed.")


@router.post("/alerts/{alert_id}/ack")
def ack(
    alert_id: PathId,
    request: Request,
    csrf_token: str = Form(""),
    back: str = Form("/patients"),
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db),
):
    if (r := need_login(user)) is not None:
        return r
    check_form_csrf(request, csrf_token)
    H.acknowledge(db, user, alert_id)
    db.commit()
    return go(back if back.startswith("/") else "/patients")
