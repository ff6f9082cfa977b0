"""REST API under /api, with the same permissions as the pages."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, Field, TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from needling.clinic import api_schema as A
from needling.clinic import audit_log as AL
from needling.clinic import services as S
from needling.clinic import stock as ST
from needling.clinic import stock_service
from needling.clinic.api_schema import MAX_ID, Id, JsonObject, Strict, catalogue_name, column_text, responses, text
from needling.clinic.deps import ClinicianUser, CurrentUser, DbSession, LoggedIn, request_user
from needling.clinic.device_catalogue import clinic_devices
from needling.clinic.fhir import bundle
from needling.clinic.i18n import language
from needling.clinic.ics import series_calendar
from needling.clinic.idempotency import IdempotencyKey, Idempotent
from needling.clinic.login import LoginRefusedError, log_out, open_session
from needling.clinic.models import Lot, Outcome, Patient, SessionRegion, User
from needling.clinic.photo_export import fhir_media
from needling.clinic.photo_service import exportable_photos
from needling.clinic.security import COOKIE

router = APIRouter(prefix="/api")

LotNumber = column_text(Lot.lot_number, min_length=1)
DeviceName = column_text(Lot.device_name, min_length=1)


class LoginIn(Strict):
    email: column_text(User.email, min_length=3)
    password: text(200, min_length=1)


class PatientIn(Strict):
    name: column_text(Patient.name, min_length=1)
    intake: JsonObject


class PlanIn(Strict):
    start: date | None = None


class RegionIn(Strict):
    site: column_text(SessionRegion.site)
    lot_number: LotNumber
    device_name: DeviceName | None = None
    needle_length_mm: float = Field(gt=0, le=3.0)
    passes: int = Field(ge=1, le=100)
    endpoint: Literal["erythema", "pinpoint bleeding", "none"] = "erythema"
    anaesthesia: column_text(SessionRegion.anaesthesia) = ""
    topicals: column_text(SessionRegion.topicals) = ""
    override_justification: text(2000) | None = Field(
        default=None,
        description="A clinician's written reason to record this region although a plan check refuses it "
        "(not in the plan, needle above the plan or the region's limit, interval below the minimum); stored and "
        "audited.",
    )


class DraftRegionOut(BaseModel):
    site: str
    indication: str | None
    device_name: str
    needle_length_mm: float
    passes: int
    endpoint: str
    anaesthesia: str
    limit_mm: float
    limit_source: str
    last_session: date | None
    earliest: date | None
    deferred_until: date | None


class SessionDraftOut(BaseModel):
    """A session pre-filled from the patient's latest plan; post its regions (with lot numbers) to record it."""

    plan_id: int | None
    decision: str | None
    date: date
    regions: list[DraftRegionOut]


class AdverseIn(Strict):
    kind: Literal["broken-needle", "infection", "pih", "tram-track", "prolonged-erythema", "allergy", "other"]
    description: text(2000) = ""


class SessionIn(Strict):
    date: date
    regions: list[RegionIn] = Field(min_length=1, max_length=20)
    pain_vas: float | None = Field(default=None, ge=0, le=10)
    notes: text(4000) = ""
    adverse_events: list[AdverseIn] = Field(default_factory=list, max_length=20)
    consent_override: text(2000) | None = Field(
        default=None,
        description="A clinician's written reason to record the session although no valid signed consent covers "
        "its procedure; stored with the session and audited.",
    )


class OutcomeIn(Strict):
    date: date
    site: column_text(Outcome.site)
    gb_grade: int | None = Field(default=None, ge=0, le=4)
    hair_count_per_cm2: float | None = Field(default=None, ge=0, le=1000)
    note: text(2000) = ""


class LotIn(Strict):
    device_name: catalogue_name(Lot.device_name)
    lot_number: LotNumber
    expiry: date
    single_use: bool = True
    quantity: int | None = Field(
        default=None, ge=0, le=ST.MAX_QUANTITY, description="single-use items; none: not counted"
    )
    low_stock_at: int | None = Field(default=None, ge=0, le=ST.MAX_QUANTITY, description="warn at or below")
    gtin: str | None = Field(
        default=None, min_length=14, max_length=14, pattern=r"^\d{14}$", description="GTIN-14 from the GS1 barcode"
    )


class StockIn(Strict):
    received: int = Field(ge=1, le=ST.MAX_QUANTITY, description="single-use items delivered into the lot")


class RecallIn(Strict):
    reason: text(2000, min_length=1)


class AdverseReportIn(AdverseIn):
    date: date
    lot_number: LotNumber | None = None
    session_id: Id | None = None


PatientId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="A patient's id")]
LotId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="A device lot's id")]


def _session_json(s) -> dict[str, Any]:
    return {
        "id": s.id,
        "date": s.on.isoformat(),
        "pain_vas": s.pain_vas,
        "notes": s.notes,
        "plan_id": s.plan_id,
        "regions": [
            {
                "site": r.site,
                "device_name": r.device_name,
                "lot_number": r.lot.lot_number,
                "needle_length_mm": r.needle_length_mm,
                "passes": r.passes,
                "endpoint": r.endpoint,
                "anaesthesia": r.anaesthesia,
                "topicals": r.topicals,
                "overrides": [
                    {
                        "check": o.check,
                        "refusal": o.refusal,
                        "justification": o.justification,
                        "clinician_id": o.clinician_id,
                    }
                    for o in r.overrides
                ],
            }
            for r in s.regions
        ],
    }


def _lot_json(lot: Lot) -> dict[str, Any]:
    return {
        "id": lot.id,
        "lot_number": lot.lot_number,
        "device_name": lot.device_name,
        "expiry": lot.expiry.isoformat(),
        "single_use": lot.single_use,
        "recalled": lot.recalled,
        "recall_reason": lot.recall_reason,
        "quantity": lot.quantity,
        "low_stock_at": lot.low_stock_at,
        "gtin": lot.gtin,
    }


@router.get("/health", response_model=A.StatusOut)
async def health() -> dict[str, str]:
    """Liveness: ``{"status": "ok"}`` (on the event loop: it waits for nothing, so no trip to the thread pool)."""
    return {"status": "ok"}


@router.post(
    "/login",
    response_model=A.LoginOut,
    responses={
        **A.INVALID,
        401: {"model": A.Problem, "description": "Wrong e-mail or password"},
        429: {"model": A.Problem, "description": "Too many failed log-ins"},
    },
)
def login(body: LoginIn, request: Request, response: Response, db: DbSession) -> dict[str, Any]:
    """Log in; sets the session cookie and returns the CSRF token for unsafe requests.

    Throttled per account and per client address (429); the same answer (401) for an unknown e-mail,
    a wrong password and a deactivated account.
    """
    try:
        user, session_id = open_session(db, request, response, body.email, body.password)
    except LoginRefusedError as exc:
        raise HTTPException(status_code=exc.status, detail=exc.detail) from None
    sessions = request.app.state.sessions
    return {
        "user": {"id": user.id, "name": user.name, "role": user.role, "patient_id": user.patient_id},
        "csrf_token": sessions.csrf_token({"sid": session_id}),
    }


@router.post("/logout", response_model=A.StatusOut, responses=responses(found=False))
def logout(request: Request, response: Response, user: CurrentUser, db: DbSession) -> dict[str, str]:
    """End this session on the server: the cookie is worthless afterwards, even if replayed."""
    log_out(db, user, request.state.session["sid"])
    response.delete_cookie(COOKIE)
    return {"status": "logged out"}


@router.get("/me", response_model=A.MeOut, responses=responses(found=False))
def me(request: Request, user: CurrentUser) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "role": user.role,
        "patient_id": user.patient_id,
        "csrf_token": request.app.state.sessions.csrf_token(request.state.session),
    }


@router.get("/devices", response_model=list[A.DeviceOut], responses=responses(found=False))
def devices(user: CurrentUser, db: DbSession) -> list[dict[str, Any]]:
    """The devices the clinic may name: the catalogue, then its registered (not retired) device models."""
    return [d.summary() for d in clinic_devices(db).values()]


@router.get("/patients", response_model=list[A.PatientRef], responses=responses(found=False))
def patients(user: CurrentUser, db: DbSession) -> list[dict[str, Any]]:
    return [{"id": p.id, "name": p.name} for p in S.list_patients(db, user)]


@router.post("/patients", status_code=201, response_model=A.PatientRef, responses=responses(found=False))
def create_patient(body: PatientIn, user: CurrentUser, db: DbSession):
    p = S.create_patient(db, user, body.name, body.intake)
    return {"id": p.id, "name": p.name}


@router.get("/patients/{patient_id}", response_model=A.PatientOut, responses=responses())
def patient(patient_id: PatientId, user: CurrentUser, db: DbSession) -> dict[str, Any]:
    rec = S.patient_record(db, user, patient_id)
    p = rec["patient"]
    return {
        "id": p.id,
        "name": p.name,
        "intake": p.intake,
        "sessions": [_session_json(s) for s in rec["sessions"]],
        "outcomes": [
            {
                "id": o.id,
                "date": o.on.isoformat(),
                "site": o.site,
                "gb_grade": o.gb_grade,
                "hair_count_per_cm2": o.hair_count_per_cm2,
            }
            for o in rec["outcomes"]
        ],
        "photos": [
            {
                "id": ph.id,
                "site": ph.site,
                "view": ph.view,
                "label": ph.label,
                "taken": ph.taken.isoformat(),
                "sha256": ph.sha256,
            }
            for ph in rec["photos"]
        ],
        "adverse_events": [
            {"id": e.id, "kind": e.kind, "lot_id": e.lot_id, "session_id": e.session_id, "date": e.on.isoformat()}
            for e in rec["events"]
        ],
        "plan": rec["plan"].plan if rec["plan"] else None,
        "schedule": rec["schedule"],
    }


@router.put("/patients/{patient_id}/intake", response_model=A.IdOut, responses=responses())
def update_intake(patient_id: PatientId, body: JsonObject, user: CurrentUser, db: DbSession) -> dict[str, Any]:
    S.update_intake(db, user, patient_id, body)
    return {"id": patient_id}


@router.post("/patients/{patient_id}/plan", status_code=201, response_model=A.PlanOut, responses=responses())
def plan(patient_id: PatientId, body: PlanIn, user: CurrentUser, db: DbSession):
    record = S.plan_patient(db, user, patient_id, body.start)
    return {
        "id": record.id,
        "rules_version": record.rules_version,
        "model_version": record.model_version,
        "plan": record.plan,
    }


@router.get("/patients/{patient_id}/sessions/draft", response_model=SessionDraftOut, responses=responses())
def session_draft(
    patient_id: PatientId,
    user: CurrentUser,
    db: DbSession,
    on: date | None = None,
) -> dict[str, Any]:
    """The session to record, pre-filled from the latest plan: each planned region with its device and depth."""
    return S.session_draft(db, user, patient_id, on)


@router.post("/patients/{patient_id}/sessions", status_code=201, response_model=A.SessionOut, responses=responses())
async def create_session(
    patient_id: PatientId,
    body: SessionIn,
    request: Request,
    _: LoggedIn,
    db: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Record a session; with ``Idempotency-Key`` a retry returns the first answer and records nothing twice.

    The log-in's read, the recording and its answer's validation make one trip to the thread pool together, not
    three (benchmarks/bench_session_load.py), once one of the process's recording slots is free
    (:mod:`needling.clinic.recording_slots`); the answer is the one ``response_model`` gives.
    """
    slots = request.app.state.recording_slots
    return await slots.run(_create_session, patient_id, body, request, db, idempotency_key)


def _create_session(
    patient_id: int, body: SessionIn, request: Request, db: Session, idempotency_key: str | None
) -> Response:
    """:func:`create_session`'s work in the thread pool: its user, the recording and the serialised answer."""
    user = request_user(request, db)
    regions = [S.RegionInput(**r.model_dump()) for r in body.regions]
    adverse = [a.model_dump() for a in body.adverse_events]
    require_consent = request.app.state.settings.require_consent

    def write() -> tuple[int, dict[str, Any]]:
        s = S.record_session(
            db,
            user,
            patient_id,
            body.date,
            regions,
            body.pain_vas,
            body.notes,
            adverse,
            consent_override=body.consent_override,
            require_consent=require_consent,
        )
        return 201, _session_json(s)

    answer = Idempotent(db, user, idempotency_key, request, body).run(write)
    if isinstance(answer, Response):  # a replayed answer
        return answer
    checked = _SESSION_OUT.validate_python(answer, from_attributes=True)
    return Response(_SESSION_OUT.dump_json(checked, by_alias=True), 201, media_type="application/json")


_SESSION_OUT = TypeAdapter(A.SessionOut)
"""The recording's answer model, validated and written to JSON as FastAPI does for ``response_model``."""


@router.post("/patients/{patient_id}/outcomes", status_code=201, response_model=A.IdOut, responses=responses())
def create_outcome(
    patient_id: PatientId,
    body: OutcomeIn,
    request: Request,
    user: CurrentUser,
    db: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Record an outcome; with ``Idempotency-Key`` a retry returns the first answer and records nothing twice."""

    def write() -> tuple[int, dict[str, Any]]:
        o = S.add_outcome(db, user, patient_id, body.date, body.site, body.gb_grade, body.hair_count_per_cm2, body.note)
        return 201, {"id": o.id}

    return Idempotent(db, user, idempotency_key, request, body).run(write)


@router.post("/patients/{patient_id}/adverse-events", status_code=201, response_model=A.IdOut, responses=responses())
def create_adverse_event(
    patient_id: PatientId,
    body: AdverseReportIn,
    request: Request,
    user: CurrentUser,
    db: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Report an adverse event; with ``Idempotency-Key`` a retry returns the first answer and records nothing twice."""

    def write() -> tuple[int, dict[str, Any]]:
        ev = S.report_adverse_event_by_lot(
            db, user, patient_id, body.kind, body.description, body.date, body.session_id, body.lot_number
        )
        return 201, {"id": ev.id}

    return Idempotent(db, user, idempotency_key, request, body).run(write)


@router.get("/patients/{patient_id}/fhir", response_model=A.FhirBundle, responses=responses())
def fhir(patient_id: PatientId, request: Request, user: CurrentUser, db: DbSession) -> dict[str, Any]:
    """The record as a FHIR Bundle (Patient, Procedure, Device, Observation, CarePlan; Media for photos only
    under the patient's ``exports`` photo consent)."""
    rec = S.patient_record(db, user, patient_id, "fhir")
    photo_dir = request.app.state.settings.photo_dir
    lang = language(request, user)  # the regions and views in words in the reader's language
    rec["media"] = fhir_media(exportable_photos(db, patient_id), photo_dir, f"p{patient_id}", lang)
    return bundle(rec, lang)


@router.get(
    "/patients/{patient_id}/schedule.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}, **responses()},
)
def schedule_ics(patient_id: PatientId, request: Request, user: CurrentUser, db: DbSession) -> Response:
    rec = S.patient_record(db, user, patient_id, "ics")
    schedule = rec["schedule"]
    lang = language(request, user)
    body = series_calendar(rec["patient"].name, patient_id, schedule["dates"], schedule["next_due"], lang)
    return Response(
        body,
        media_type="text/calendar",
        headers={"content-disposition": f'attachment; filename="series-{patient_id}.ics"'},
    )


@router.get("/lots", response_model=list[A.LotOut], responses=responses(found=False))
def lots(user: ClinicianUser, db: DbSession) -> list[dict[str, Any]]:
    return [_lot_json(lot) for lot in db.scalars(select(Lot).order_by(Lot.id))]


@router.post("/lots", status_code=201, response_model=A.LotOut, responses=responses(found=False))
def create_lot(body: LotIn, user: CurrentUser, db: DbSession) -> dict[str, Any]:
    lot = S.create_lot(
        db,
        user,
        body.device_name,
        body.lot_number,
        body.expiry,
        body.single_use,
        quantity=body.quantity,
        low_stock_at=body.low_stock_at,
        gtin=body.gtin,
    )
    return _lot_json(lot)


@router.post("/lots/{lot_id}/stock", response_model=A.LotOut, responses=responses())
def receive(lot_id: LotId, body: StockIn, user: CurrentUser, db: DbSession) -> dict[str, Any]:
    """Add a delivery's single-use items to a lot's stock (a lot not yet counted starts counting)."""
    return _lot_json(stock_service.receive_items(db, user, lot_id, body.received))


@router.post("/lots/{lot_id}/recall", response_model=A.RecallOut, responses=responses())
def recall(lot_id: LotId, body: RecallIn, user: CurrentUser, db: DbSession):
    """Recall a lot; returns every patient and session that used it."""
    lot, usage = S.recall_lot(db, user, lot_id, body.reason)
    return {"lot": _lot_json(lot), "affected": usage}


@router.get("/lots/{lot_id}/usage", response_model=A.LotUsageOut, responses=responses())
def usage(lot_id: LotId, user: CurrentUser, db: DbSession) -> dict[str, Any]:
    lot, affected, events = S.lot_report(db, user, lot_id)
    return {
        "lot": _lot_json(lot),
        "affected": affected,
        "adverse_events": [
            {"id": e.id, "kind": e.kind, "patient_id": e.patient_id, "date": e.on.isoformat()} for e in events
        ],
    }


@router.get("/audit", response_model=A.AuditPageOut, responses=responses(found=False))
def audit(
    user: CurrentUser,
    db: DbSession,
    patient_id: A.QueryId | None = None,
    user_id: A.QueryId | None = None,
    since: date | None = None,
    until: date | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = AL.PER_PAGE,
) -> dict[str, Any]:
    """The audit log, newest first (admins): filter by patient, user and dates (inclusive), one page at a time."""
    f = AL.AuditFilter(patient_id, user_id, since, until)
    result = AL.audit_page(db, user, f, page, per_page)
    return {
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "items": [
            {
                "id": a.id,
                "at": a.at,
                "user_id": a.user_id,
                "user_name": name,
                "action": a.action,
                "entity": a.entity,
                "entity_id": a.entity_id,
                "patient_id": a.patient_id,
                "result": a.result,
                "client": a.client,
                "detail": a.detail,
            }
            for a, name in result.rows
        ],
    }
