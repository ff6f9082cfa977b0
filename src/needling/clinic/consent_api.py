"""Consent API: the text to show, signing, the list with states, withdrawal, and PDFs of a consent and a plan."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from needling.clinic import consent_service as C
from needling.clinic import services as S
from needling.clinic.api_schema import MAX_ID, Stamp, Strict, column_text, responses, text
from needling.clinic.consent_models import Consent
from needling.clinic.consent_text import STATE_NAMES
from needling.clinic.deps import CurrentUser, DbSession
from needling.clinic.models import User
from needling.clinic.pdf import consent_pdf, html_to_pdf
from needling.clinic.roles import Role
from needling.report.plan_report import PrintHeader, render_plan_html

router = APIRouter(prefix="/api", tags=["consent"])

Procedure = Literal["needling", "needling-peel", "prp", "home-care"]
Lang = Literal["en", "sv"]
PatientId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="A patient's id")]
ConsentId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="A consent's id")]
PDF = {200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


class ConsentFormOut(BaseModel):
    """The consent text to show, filled from the patient's latest plan, with the hash to send back when signing."""

    plan_id: int
    procedure: str
    version: str
    lang: str
    title: str
    text: str
    content_sha256: str


class ConsentSignIn(Strict):
    procedure: Procedure
    lang: Lang = "en"
    content_sha256: str = Field(
        min_length=64, max_length=64, pattern=r"^[0-9a-fA-F]{64}$", description="SHA-256 of the text shown"
    )
    signer_name: column_text(Consent.signer_name, min_length=1)
    signature_png: text(C.MAX_SIGNATURE_BYTES * 4 // 3 + 64) | None = Field(
        default=None, description="The signature pad's drawing as a data:image/png;base64 URL"
    )
    typed_signature: column_text(Consent.typed_signature) | None = Field(
        default=None, description="The name typed as signature, for those who do not draw one"
    )
    channel: Literal["clinic", "portal"] = "clinic"


class WithdrawIn(Strict):
    reason: text(2000) = ""
    channel: Literal["clinic", "portal"] = "clinic"


class ConsentOut(BaseModel):
    """A stored consent and its state (``valid``, ``superseded``, ``withdrawn``, ``plan-changed``)."""

    id: int
    patient_id: int
    plan_id: int
    procedure: str
    version: str
    lang: str
    content_sha256: str
    signer_name: str
    signature_kind: str
    signed_at: Stamp
    channel: str
    supersedes_id: int | None
    state: str
    withdrawn_at: Stamp | None
    text: str


def _out(st: C.ConsentState) -> dict[str, Any]:
    c = st.consent
    return {
        "id": c.id,
        "patient_id": c.patient_id,
        "plan_id": c.plan_id,
        "procedure": c.procedure,
        "version": c.version,
        "lang": c.lang,
        "content_sha256": c.content_sha256,
        "signer_name": c.signer_name,
        "signature_kind": c.signature_kind,
        "signed_at": c.signed_at,
        "channel": c.channel,
        "supersedes_id": c.supersedes_id,
        "state": st.state,
        "withdrawn_at": st.withdrawal.at if st.withdrawal is not None else None,
        "text": c.text,
    }


def _state_of(db: Session, user: User, consent: Consent) -> C.ConsentState:
    return next(s for s in C.consent_states(db, user, consent.patient_id) if s.consent.id == consent.id)


@router.get("/patients/{patient_id}/consents", response_model=list[ConsentOut], responses=responses())
def consents(patient_id: PatientId, user: CurrentUser, db: DbSession):
    """Every consent of the patient, newest first, with its state."""
    out = [_out(s) for s in C.consent_states(db, user, patient_id)]
    return out


@router.get("/patients/{patient_id}/consents/form", response_model=ConsentFormOut, responses=responses())
def consent_form(
    patient_id: PatientId,
    procedure: Annotated[Procedure, Query()],
    user: CurrentUser,
    db: DbSession,
    lang: Annotated[Lang, Query()] = "en",
) -> dict[str, Any]:
    """The text to show before signing, filled from the latest plan, and its SHA-256."""
    record, shown = C.consent_form(db, user, patient_id, procedure, lang)
    return {
        "plan_id": record.id,
        "procedure": shown.procedure,
        "version": shown.version,
        "lang": shown.lang,
        "title": shown.title,
        "text": shown.text,
        "content_sha256": shown.sha256,
    }


@router.post("/patients/{patient_id}/consents", status_code=201, response_model=ConsentOut, responses=responses())
def sign(patient_id: PatientId, body: ConsentSignIn, user: CurrentUser, db: DbSession):
    """Sign the consent whose text (by its hash) was shown; a newer signature supersedes the one in force."""
    consent = C.sign_consent(
        db,
        user,
        patient_id,
        body.procedure,
        body.lang,
        body.content_sha256,
        body.signer_name,
        drawn=body.signature_png,
        typed=body.typed_signature,
        channel=body.channel,
    )
    out = _out(_state_of(db, user, consent))
    return out


@router.post("/consents/{consent_id}/withdraw", response_model=ConsentOut, responses=responses())
def withdraw(consent_id: ConsentId, body: WithdrawIn, user: CurrentUser, db: DbSession):
    """Withdraw a consent: recorded as its own event; the signed consent is kept as it was."""
    C.withdraw_consent(db, user, consent_id, body.reason, body.channel)
    consent = C.get_consent(db, user, consent_id)
    out = _out(_state_of(db, user, consent))
    return out


@router.get("/consents/{consent_id}/pdf", response_class=Response, responses={**PDF, **responses()})
def consent_pdf_download(consent_id: ConsentId, user: CurrentUser, db: DbSession):
    """The signed consent as PDF: text, signature, name, date, template version and SHA-256 of the text."""
    consent = C.get_consent(db, user, consent_id)
    st = _state_of(db, user, consent)
    body = consent_pdf(consent, STATE_NAMES[st.state], st.withdrawal.at if st.withdrawal is not None else None)
    return Response(
        body,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="consent-{consent.id}.pdf"'},
    )


@router.get("/patients/{patient_id}/plan.pdf", response_class=Response, responses={**PDF, **responses()})
def plan_pdf(
    request: Request,
    patient_id: PatientId,
    user: CurrentUser,
    db: DbSession,
    lang: Annotated[Lang, Query()] = "en",
    audience: Annotated[Literal["clinician", "patient"], Query()] = "patient",
) -> Response:
    """The patient's latest plan as PDF (the plan report), for the clinician or in the patient's words."""
    patient = S.get_patient(db, user, patient_id, "plan pdf")
    record = S.latest_plan(db, patient_id)
    if record is None:
        raise S.NotFound(f"patient {patient_id} has no plan", patient_id=patient_id)
    if user.role == Role.PATIENT:
        audience = "patient"
    header = PrintHeader(request.app.state.settings.clinic_name, patient.name, patient.birth_date)
    body = html_to_pdf(render_plan_html(record.typed(), audience, lang, header=header))
    return Response(
        body,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="plan-{patient_id}.pdf"'},
    )
