"""Server-rendered pages (Jinja2), working without a CDN and on a phone. Every form carries a CSRF token."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from needling.anatomy import site_names
from needling.clinic import dashboard as D
from needling.clinic import flash as F
from needling.clinic import intake_labels as IL
from needling.clinic import intake_service as IH
from needling.clinic import region_chart as RC
from needling.clinic import services as S
from needling.clinic import session_guard as G
from needling.clinic import stock as ST
from needling.clinic.api_schema import PathId
from needling.clinic.deps import DbSession, FormUser, OptionalUser, PageUser, check_form_csrf, csrf_token
from needling.clinic.device_catalogue import clinic_devices
from needling.clinic.device_words import device_label, device_words
from needling.clinic.i18n import language, message
from needling.clinic.login import LoginRefusedError, log_out, open_session
from needling.clinic.models import Lot, User
from needling.clinic.redirects import safe_path
from needling.clinic.roles import STAFF, Role
from needling.clinic.security import COOKIE, PRE_COOKIE, PRE_MAX_AGE_S
from needling.devices import device_names
from needling.errors import InputError
from needling.i18n import N_, sessions_apart, translate, translate_plural
from needling.i18n import install as install_gettext
from needling.i18n import number as locale_number
from needling.i18n import reason as error_reason
from needling.planner.vocabulary import INDICATIONS
from needling.report import labels as RL

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))


def words(value: object) -> str:
    """A kebab-case or snake_case code as the words people write ("proceed-with-caution" -> "proceed with caution")."""
    return "" if value is None else str(value).replace("-", " ").replace("_", " ")


def number(value: object, lang: str = "en", digits: int | None = None) -> str:
    """A number as people write it (:func:`needling.i18n.number`): at most ``digits`` decimals (a depth in whole
    µm, a VAS to one decimal), else four significant digits (whole numbers stay whole); anything else as text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return locale_number(value, lang, digits) if digits is not None else locale_number(value, lang, significant=4)


#: Severity of a home-care finding or alert, as people say it.
SEVERITIES = {"warn": N_("warning"), "stop": N_("stop"), "info": N_("for information")}
#: Kinds of adverse event (``services.ADVERSE_KINDS``), as people say them.
ADVERSE_EVENTS = {
    "broken-needle": N_("broken needle"),
    "infection": N_("infection"),
    "pih": N_("darker patches (PIH)"),
    "tram-track": N_("track-like marks"),
    "prolonged-erythema": N_("redness for more than a week"),
    "allergy": N_("allergy"),
    "other": N_("other"),
}


def _in_lang(fn):  # type: ignore[no-untyped-def]
    @pass_context
    def filt(context, value, *args):  # type: ignore[no-untyped-def]
        return fn(value, context.get("lang", "en"), *args)

    return filt


def _label(table: dict[str, str]):  # type: ignore[no-untyped-def]
    """A filter: a code as the words of ``table`` in the page's language (the code in words if it is not there)."""
    return _in_lang(lambda code, lang: "" if code is None else translate(lang, table.get(code, words(code))))


def weeks_text(value: object, lang: str = "en") -> str:
    """ "1 week", "2 weeks", "1,5 weeks" in the page's language."""
    if isinstance(value, int | float) and float(value).is_integer():
        return translate_plural(lang, "%(num)d week", "%(num)d weeks", int(value))
    return translate(lang, "%(n)s weeks", n=number(value, lang))


def plain_outcome_text(individual: object, lang: str = "en") -> str:
    """A region's predicted outcome for one patient in plain words, for the clinician (empty for an older plan)."""
    if individual is None:
        return ""
    from needling.report.plain_words import plain_outcome  # the cohort model: loaded on first use only

    return plain_outcome(individual, lang, "clinician")  # type: ignore[arg-type]


def puncture_note(predicted: object, lang: str = "en") -> str:
    """Why a region's needling will do little when its needles mostly do not puncture (empty otherwise)."""
    from needling.report.plain_words import puncture_words  # the cohort model: loaded on first use only

    return puncture_words(predicted, lang)  # type: ignore[arg-type]


def source_words(key: str, lang: str = "en") -> str:
    """A source key as a clinician reads it: a named assumption by its readable name, a reference by its key.

    ``assumption:window-filler-after`` becomes "assumption: Pause after a filler" ("antagande: Uppehåll efter filler");
    an ``AuthorYear`` key, which the plan's PDF lists with its reference, stays as it is.
    """
    if not key.startswith("assumption:"):
        return key
    name = key.removeprefix("assumption:")
    label = translate(lang, name)
    return key if label == name else translate(lang, "assumption: %(name)s", name=label)


install_gettext(templates.env)
templates.env.filters["source"] = _in_lang(source_words)
templates.env.filters["plain_outcome"] = _in_lang(plain_outcome_text)
templates.env.filters["puncture_note"] = _in_lang(puncture_note)
templates.env.filters["words"] = words
templates.env.filters["device"] = _in_lang(device_words)
#: A device as a clinician reads it in forms and lists ("Dermaroller with 192 needles, 1.5 mm"); a select submits
#: the name.
templates.env.filters["device_label"] = _in_lang(device_label)
templates.env.filters["number"] = _in_lang(number)
templates.env.filters["weeks_text"] = _in_lang(weeks_text)
templates.env.filters["endpoint"] = _in_lang(lambda code, lang: "" if code is None else RL.endpoint_words(code, lang))
#: A region as the patient reads it ("kinderna"); the ``site`` filter is the clinician's label ("kind").
templates.env.filters["patient_site"] = _in_lang(lambda code, lang: "" if code is None else RL.patient_site(code, lang))
templates.env.filters.update(
    site=_label(RL.SITES),
    indication=_label(RL.INDICATIONS),
    decision=_label(RL.DECISIONS),
    effect=_label(RL.EFFECTS),
    sex=_label(RL.SEXES),
    severity=_label(SEVERITIES),
    adverse_event=_label(ADVERSE_EVENTS),
    agent=_label(RL.AGENTS),
    plan_check=_label(G.CHECK_NAMES),
)
templates.env.filters["sessions_apart"] = _in_lang(lambda n, lang, weeks: sessions_apart(int(n), weeks, lang))
templates.env.globals.update(  # templates/region_chart.html
    chart_views=RC.VIEWS,
    chart_choices=RC.choice_regions,
    chart_plan=RC.plan_regions,
    chart_bands=RC.depth_bands,
)
router = APIRouter(include_in_schema=False)


def render(request: Request, name: str, user: User | None, status: int = 200, **ctx) -> HTMLResponse:
    """A page; the flash banner comes only from a signed message id the server set (see ``flash``)."""
    lang = language(request, user)
    banner, kind = None, None
    data = F.read(request.app.state.settings.secret_key, request.query_params.get(F.PARAM))
    if data is not None:
        banner = message(lang, data["m"], **data["a"])
        kind = data["k"]
    return templates.TemplateResponse(
        request,
        name,
        {
            "user": user,
            "csrf": csrf_token(request),
            "flash": banner,
            "flash_kind": kind,
            "title": message(lang, ctx.pop("title", "needling")),  # a msgid (N_) or a text already in lang
            "today": date.today().isoformat(),
            "lang": lang,
            **ctx,
        },
        status_code=status,
    )


def go(url: str, flash: str | None = None, kind: str = "ok", **args) -> RedirectResponse:
    """Redirect (303) to a path of this site, with a signed flash message: its msgid (``N_("...")``) and args.

    The page it leads to shows the message in the reader's language (a text the catalogues do not know is
    shown as it is; still signed, so only the server sets it).
    """
    url = safe_path(url, "/")
    if flash:
        url += ("&" if "?" in url else "?") + f"{F.PARAM}={quote(F.sign(flash, kind, **args))}"
    return RedirectResponse(url, status_code=303)


def refusal(request: Request, user: User, banner: str, exc: Exception) -> str:
    """A refused form's banner for a page shown again (status 422): ``banner``, a msgid marked with ``N_`` holding
    ``%(reason)s``, around the refusal's reason (:func:`needling.i18n.reason`), both in the reader's language."""
    lang = language(request, user)
    return translate(lang, banner, reason=error_reason(exc, lang))


def go_refused(url: str, banner: str, request: Request, user: User, exc: Exception) -> RedirectResponse:
    """Redirect to ``url`` with ``banner`` (a msgid marked with ``N_`` holding ``%(reason)s``) as an error banner,
    the refusal's reason written in the reader's language."""
    return go(url, banner, "error", reason=error_reason(exc, language(request, user)))


@router.get("/")
def home(user: OptionalUser):
    if user is None:
        return go("/login")
    if user.role == Role.PATIENT and user.patient_id:
        return go("/portal")
    return go("/dashboard")


def login_form(request: Request, status: int = 200, error: str | None = None, next_path: str = "/") -> HTMLResponse:
    """The log-in page, its CSRF token bound to a pre-session cookie (log-in CSRF closed)."""
    sessions = request.app.state.sessions
    pre_cookie = request.cookies.get(PRE_COOKIE)
    if sessions.pre_session(pre_cookie) is None:  # keep a live one, so two open log-in tabs both work
        pre_cookie = sessions.new_pre_session()
    lang = language(request, None)
    resp = render(
        request,
        "login.html",
        None,
        status=status,
        csrf=sessions.login_token(sessions.pre_session(pre_cookie)),
        next_path=safe_path(next_path, "/"),
        title=translate(lang, "Log in"),
        **({"flash": message(lang, error), "flash_kind": "error"} if error else {}),
    )
    s = request.app.state.settings
    resp.set_cookie(
        PRE_COOKIE, pre_cookie, max_age=PRE_MAX_AGE_S, httponly=True, samesite="lax", secure=s.secure_cookies
    )
    return resp


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    return login_form(request, next_path=next)


@router.post("/login")
def login(
    request: Request,
    db: DbSession,
    email: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form("/"),
):
    sessions = request.app.state.sessions
    if not sessions.check_login_token(request.cookies.get(PRE_COOKIE), csrf_token):
        return login_form(request, 403, N_("The log-in form had expired; please try again."), next)
    resp = go(safe_path(next, "/"))
    try:
        open_session(db, request, resp, email, password)
    except LoginRefusedError as exc:
        return login_form(request, exc.status, exc.code, next)
    resp.delete_cookie(PRE_COOKIE)
    return resp


@router.post("/logout")
def logout(
    request: Request,
    user: OptionalUser,
    db: DbSession,
    csrf_token: str = Form(""),
):
    if user is not None:
        check_form_csrf(request, csrf_token)
        log_out(db, user, request.state.session["sid"])
    resp = go("/login", N_("Logged out."))
    resp.delete_cookie(COOKIE)
    return resp


@router.get("/patients")
def patients(request: Request, user: PageUser, db: DbSession, q: str = ""):
    return patients_page(request, user, db, q=q[:200])


def patients_page(
    request: Request,
    user: User,
    db: Session,
    status: int = 200,
    typed: dict[str, Any] | None = None,
    error: str | None = None,
    q: str = "",
) -> HTMLResponse:
    """The patient list (or the patients a search ``q`` finds) and the new-patient form; after an error, with the
    reason and the form as it was typed."""
    items = None
    if q.strip() and user.role != Role.PATIENT:
        try:
            items = D.search_patients(db, user, q)
        except InputError as exc:
            db.rollback()
            status, error = 422, refusal(request, user, N_("Search not done: %(reason)s"), exc)
    if items is None:
        items = S.list_patients(db, user)
    return render(
        request,
        "patients.html",
        user,
        status=status,
        patients=items,
        q=q,
        sites=site_names(),
        indications=INDICATIONS,
        conditions=list(IL.CONDITIONS),
        title=N_("Patients"),
        typed=typed or {},
        **({"flash": error, "flash_kind": "error"} if error else {}),
    )


def _form_int(text: str, field: str, low: int, high: int) -> int:
    """A whole number typed into a form, or an InputError naming the field and the valid range."""
    try:
        return int(text.strip())
    except ValueError:
        raise InputError(f"{field}: {text!r} is not a whole number; valid: {low}-{high}", field=field) from None


def _csv(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


@router.post("/patients")
def create_patient(
    request: Request,
    user: FormUser,
    db: DbSession,
    name: str = Form(""),
    age: str = Form(""),
    sex: str = Form(""),
    fitzpatrick: str = Form(""),
    region: str = Form(""),
    indication: str = Form(""),
    grade: str = Form(""),
    conditions: list[str] = Form([]),
    medications: str = Form(""),
):
    chosen = [c for text in conditions for c in _csv(text)]  # ticked boxes (a program may send "a, b")
    typed = {
        "name": name,
        "age": age,
        "sex": sex,
        "fitzpatrick": fitzpatrick,
        "region": region,
        "indication": indication,
        "grade": grade,
        "conditions": chosen,
        "medications": medications,
    }
    try:
        goal: dict = {"region": region, "indication": indication}
        if grade.strip():
            goal["grade"] = _form_int(grade, "grade", 0, 4)
        intake = {
            "patient": {
                "age": _form_int(age, "age", 0, 120),
                "sex": sex,
                "fitzpatrick": _form_int(fitzpatrick, "fitzpatrick", 1, 6),
            },
            "conditions": chosen,
            "medications": [{"name": m} for m in _csv(medications)],
            "goals": [goal],
        }
        p = S.create_patient(db, user, name, intake)
    except InputError as exc:
        db.rollback()
        return patients_page(request, user, db, 422, typed, refusal(request, user, N_("Not saved: %(reason)s"), exc))
    return go(f"/patients/{p.id}", N_("Patient %(name)s added."), name=p.name)


@router.get("/patients/{patient_id}")
def patient(patient_id: PathId, request: Request, user: PageUser, db: DbSession):
    if user.role == Role.PATIENT and user.patient_id == patient_id:
        return go("/my-plan")  # the patient's own page, in plain words
    return patient_page(request, user, db, patient_id)


def patient_page(
    request: Request,
    user: User,
    db: Session,
    patient_id: int,
    status: int = 200,
    typed: dict[str, str] | None = None,
    error: str | None = None,
) -> HTMLResponse:
    """The patient's page; after a refused session, with the reason and the session form as it was typed."""
    rec = S.patient_record(db, user, patient_id)
    from needling.clinic import homecare as H

    home: dict = {}
    if user.role != Role.PATIENT:
        home = {
            "alerts": H.alerts(db, user, patient_id),
            "prescription": H.active_prescription(db, patient_id),
            "devices": [d for d in device_names() if d.startswith(("home-roller", "dermaroller-192-0.2"))],
        }
    draft, usable_lots = {"regions": []}, []
    if user.role != Role.PATIENT:
        draft = G.draft(db, rec["patient"], date.today())
        usable_lots = list(
            db.scalars(
                select(Lot)
                .where(
                    Lot.recalled.is_(False), Lot.expiry >= date.today(), or_(Lot.quantity.is_(None), Lot.quantity > 0)
                )
                .order_by(Lot.lot_number)
            )
        )
    from needling.report.plan_report import clinician_message  # matplotlib: loaded on first use only

    lang = language(request, user)
    alert_texts = {a.id: H.alert_text(db, a, lang) for a in home.get("alerts", [])}
    return render(
        request,
        "patient.html",
        user,
        rec=rec,
        rule_message=lambda reason: clinician_message(reason, lang),
        alert_text=lambda a: alert_texts.get(a.id, a.message),
        sites=site_names(),
        home=home,
        draft=draft,
        usable_lots=usable_lots,
        devices=list(clinic_devices(db)),
        endpoints=S.ENDPOINTS,
        intake_version=IH.plan_intake_version(db, rec["plan"]),
        title=rec["patient"].name,
        status=status,
        typed=typed,
        **({"flash": error, "flash_kind": "error"} if error else {}),
    )


@router.post("/patients/{patient_id}/plan")
def plan(
    patient_id: PathId,
    request: Request,
    user: FormUser,
    db: DbSession,
    start: str = Form(""),
):
    try:
        day = _form_date({"start": start}, "start") if start else None
        record = S.plan_patient(db, user, patient_id, day)
    except (InputError, ValueError) as exc:
        db.rollback()
        return go_refused(f"/patients/{patient_id}", N_("Not planned: %(reason)s"), request, user, exc)
    done = PLANNED.get(record.decision)
    if done:
        return go(f"/patients/{patient_id}", done)
    return go(f"/patients/{patient_id}", N_("Screened and planned: %(decision)s."), decision=record.decision)


#: The banner after planning, one per decision: a flash's args are shown as they are, so the decision is in the msgid.
PLANNED = {
    "proceed": N_("Screened and planned: proceed."),
    "proceed-with-caution": N_("Screened and planned: proceed with caution."),
    "defer": N_("Screened and planned: defer."),
    "do-not-treat": N_("Screened and planned: do not treat."),
}


MAX_FORM_REGIONS = 21  # the plan's regions and one more: the API's limit of 20 regions, plus the extra row


def _form_number(form, key: str, field: str, kind: type, unit: str = "") -> float | int:
    """A number typed into the session form, or an InputError naming the field."""
    text = str(form.get(key, "")).strip()
    try:
        return kind(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        msgid = N_("Write a whole number.") if kind is int else N_("Write a number, such as 0.5.")
        raise InputError(f"{field}: {text!r} is not a number; valid: {what}{unit}", field=field, msgid=msgid) from None


def _form_date(form, key: str) -> date:
    """A date typed into a form (YYYY-MM-DD), or an InputError naming the field."""
    text = str(form.get(key, "")).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{key}: {text!r} is not a date; valid: YYYY-MM-DD", field=key, msgid=N_("Choose a date.")
        ) from None


def session_regions_from_form(form) -> list[S.RegionInput]:
    """The ticked regions of the session form (rows ``r0``, ``r1``, ...), with the one justification for all."""
    justification = str(form.get("justification", "")).strip() or None
    regions = []
    for i in range(MAX_FORM_REGIONS):
        site = form.get(f"r{i}-site")
        if site is None:
            break
        if not form.get(f"r{i}-include"):
            continue
        where = f"regions[{len(regions)}]"
        if not str(site).strip():
            raise InputError(
                f"{where}.site: no region chosen; valid: one of {', '.join(site_names())}",
                field="site",
                msgid=N_("Choose an area for each ticked row."),
            )
        regions.append(
            S.RegionInput(
                site=str(site),
                lot_number=str(form.get(f"r{i}-lot", "")).strip(),
                needle_length_mm=_form_number(form, f"r{i}-len", f"{where}.needle_length_mm", float, " of mm"),
                passes=_form_number(form, f"r{i}-passes", f"{where}.passes", int),
                endpoint=str(form.get(f"r{i}-endpoint", "erythema")),
                anaesthesia=str(form.get(f"r{i}-an", ""))[:80],
                device_name=str(form.get(f"r{i}-device", "")) or None,
                override_justification=justification,
            )
        )
    return regions


@router.post("/patients/{patient_id}/sessions")
async def record_session(patient_id: PathId, request: Request, user: FormUser, db: DbSession):
    """Record the ticked regions of the session form (pre-filled from the plan); refusals come back translated.

    The form is read on the event loop; the recording (or the page with the refusal) is written in the thread pool
    once one of the process's recording slots is free (:mod:`needling.clinic.recording_slots`), as the API's.
    """
    form = await request.form()
    return await request.app.state.recording_slots.run(_record_from_form, patient_id, request, user, db, form)


def _record_from_form(patient_id: int, request: Request, user: User, db: Session, form: FormData):
    """:func:`record_session`'s work in the thread pool: the recording and the page it answers with."""
    try:
        regions = session_regions_from_form(form)
        pain = str(form.get("pain_vas", "")).strip()
        S.record_session(
            db,
            user,
            patient_id,
            _form_date(form, "date"),
            regions,
            _form_number(form, "pain_vas", "pain_vas", float) if pain else None,
            consent_override=str(form.get("consent_override", "")).strip() or None,
            require_consent=request.app.state.settings.require_consent,
        )
    except (InputError, ValueError) as exc:
        db.rollback()
        reason = (
            exc.text(language(request, user))
            if isinstance(exc, G.SessionRefusedError)
            else error_reason(exc, language(request, user))
        )
        typed = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        error = translate(language(request, user), "Session refused: %(reason)s", reason=reason)
        return patient_page(request, user, db, patient_id, 422, typed=typed, error=error)
    return go(f"/patients/{patient_id}", N_("Session recorded."))


@router.get("/lots")
def lots(request: Request, user: PageUser, db: DbSession):
    return lots_page(request, user, db)


def lots_page(
    request: Request,
    user: User,
    db: Session,
    status: int = 200,
    typed: dict[str, str] | None = None,
    error: str | None = None,
    kind: str = "error",
) -> HTMLResponse:
    """The lot register and its form; after an error, with the reason and the form as it was typed.

    ``kind`` is the banner's kind: ``error``, or ``ok`` for a note (a scanned barcode filled the form).
    """
    S.require_role(user, *STAFF)
    items = list(db.scalars(select(Lot).order_by(Lot.id)))
    return render(
        request,
        "lots.html",
        user,
        status=status,
        lots=items,
        devices=list(clinic_devices(db)),
        today=date.today(),
        title=N_("Device lots"),
        typed=typed,
        **({"flash": error, "flash_kind": kind} if error else {}),
    )


@router.post("/lots")
def create_lot(
    request: Request,
    user: FormUser,
    db: DbSession,
    device_name: str = Form(""),
    lot_number: str = Form(""),
    expiry: str = Form(""),
    single_use: str = Form(""),
    quantity: str = Form(""),
    low_stock_at: str = Form(""),
    gtin: str = Form(""),
):
    try:
        S.create_lot(
            db,
            user,
            device_name,
            lot_number,
            _form_date({"expiry": expiry}, "expiry"),
            bool(single_use),
            quantity=ST.parse_count("quantity", quantity),
            low_stock_at=ST.parse_count("low_stock_at", low_stock_at),
            gtin=gtin.strip() or None,
        )
    except InputError as exc:
        db.rollback()
        typed = {
            "device_name": device_name,
            "lot_number": lot_number,
            "expiry": expiry,
            "single_use": single_use,
            "quantity": quantity,
            "low_stock_at": low_stock_at,
            "gtin": gtin,
        }
        return lots_page(
            request, user, db, 422, typed, refusal(request, user, N_("Lot not registered: %(reason)s"), exc)
        )
    return go("/lots", N_("Lot %(lot)s registered."), lot=lot_number)


@router.post("/lots/{lot_id}/recall")
def recall(
    lot_id: PathId,
    request: Request,
    user: FormUser,
    db: DbSession,
    reason: str = Form(""),
):
    try:
        _, usage = S.recall_lot(db, user, lot_id, reason)
    except InputError as exc:
        db.rollback()
        return go_refused("/lots", N_("Not recalled: %(reason)s"), request, user, exc)
    return go(f"/lots/{lot_id}", N_("Lot recalled. Sessions that used it: %(count)s."), "error", count=len(usage))


@router.get("/lots/{lot_id}")
def lot(lot_id: PathId, request: Request, user: PageUser, db: DbSession):
    item, affected, events = S.lot_report(db, user, lot_id)
    return render(
        request,
        "lot.html",
        user,
        lot=item,
        affected=affected,
        events=events,
        names={a["patient_id"]: a["patient"] for a in affected},  # an event's patient by name, not by number
        title=translate(language(request, user), "Lot %(lot)s", lot=item.lot_number),
    )
