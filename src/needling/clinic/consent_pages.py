"""Consent pages: the clinic's tablet page for a patient, and the patient's own page in the portal (a phone).

Both show the text filled from the latest plan with its name and version in words (never the template's key)
and its SHA-256, a signature pad (pointer events: mouse, touch, pen; ``static/signature.js``) and a field to type
the name instead, and the consents signed so far with their state, PDF and a withdrawal form. Writes go through
:mod:`needling.clinic.consent_service`; a refused signature re-renders the page with what was typed (422).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session

from needling.clinic import consent_service as C
from needling.clinic.api_schema import PathId
from needling.clinic.consent_text import LANGS, PROCEDURE_NAMES, STATE_NAMES, text_name
from needling.clinic.deps import DbSession, FormUser, PageUser, check_form_csrf
from needling.clinic.i18n import language
from needling.clinic.models import User
from needling.clinic.pages import go, render
from needling.clinic.roles import Role
from needling.errors import InputError
from needling.i18n import N_, translate
from needling.i18n import reason as error_reason

router = APIRouter(include_in_schema=False)

SIGNED = N_("The consent is signed and stored.")
WITHDRAWN = N_("The consent is withdrawn.")


def _choice(value: str | None, valid: tuple[str, ...] | list[str], default: str) -> str:
    return value if value in valid else default


def consent_page(
    request: Request,
    user: User,
    db: Session,
    patient_id: int,
    procedure: str | None,
    text_lang: str | None,
    portal: bool,
    status: int = 200,
    typed: dict[str, str] | None = None,
    error: str | None = None,
) -> Any:
    """The consent page of one patient: procedures to choose, the text to sign, and the consents so far."""
    lang = language(request, user)
    procedures = C.procedures_for(db, user, patient_id)
    chosen = _choice(procedure, procedures, procedures[0] if procedures else "")
    shown_lang = _choice(text_lang, LANGS, lang)
    shown = None
    if chosen:
        _, shown = C.consent_form(db, user, patient_id, chosen, shown_lang)
    states = C.consent_states(db, user, patient_id)
    patient = C.get_patient(db, user, patient_id, "consent page")
    base = "/portal/consent" if portal else f"/patients/{patient_id}/consent"
    return render(
        request,
        "consent.html",
        user,
        patient=patient,
        procedures=procedures,
        procedure_names=PROCEDURE_NAMES,
        state_names=STATE_NAMES,
        text_name=partial(text_name, lang=lang),
        chosen=chosen,
        shown=shown,
        shown_lang=shown_lang,
        langs=LANGS,
        states=states,
        base=base,
        portal=portal,
        typed=typed or {},
        title=translate(lang, "Consent"),
        status=status,
        **({"flash": error, "flash_kind": "error"} if error else {}),
    )


async def _sign(request: Request, user: User, db: Session, patient_id: int, portal: bool) -> Any:
    form = await request.form()
    check_form_csrf(request, str(form.get("csrf_token", "")))
    procedure = str(form.get("procedure", ""))
    text_lang = str(form.get("lang", ""))
    try:
        C.sign_consent(
            db,
            user,
            patient_id,
            procedure,
            text_lang,
            str(form.get("content_sha256", "")),
            str(form.get("signer_name", "")),
            drawn=str(form.get("signature_png", "")) or None,
            typed=str(form.get("typed_signature", "")) or None,
            channel="portal" if portal else "clinic",
        )
    except InputError as exc:
        db.rollback()
        typed = {k: str(v) for k, v in form.items() if k in ("signer_name", "typed_signature")}
        why = error_reason(exc, language(request, user))
        return consent_page(request, user, db, patient_id, procedure, text_lang, portal, 422, typed, why)
    base = "/portal/consent" if portal else f"/patients/{patient_id}/consent"
    return go(f"{base}?procedure={procedure}&lang={text_lang}", SIGNED)


@router.get("/patients/{patient_id}/consent")
def clinic_consent(
    patient_id: PathId,
    request: Request,
    user: PageUser,
    db: DbSession,
    procedure: str | None = None,
    lang: str | None = None,
):
    if user.role == Role.PATIENT:
        return go("/portal/consent")
    return consent_page(request, user, db, patient_id, procedure, lang, portal=False)


@router.post("/patients/{patient_id}/consent")
async def clinic_sign(patient_id: PathId, request: Request, user: PageUser, db: DbSession):
    return await _sign(request, user, db, patient_id, portal=user.role == Role.PATIENT)


@router.get("/portal/consent")
def portal_consent(
    request: Request,
    user: PageUser,
    db: DbSession,
    procedure: str | None = None,
    lang: str | None = None,
):
    if user.role != Role.PATIENT or not user.patient_id:
        return go("/patients")
    return consent_page(request, user, db, user.patient_id, procedure, lang, portal=True)


@router.post("/portal/consent")
async def portal_sign(request: Request, user: PageUser, db: DbSession):
    if user.role != Role.PATIENT or not user.patient_id:
        return go("/patients")
    return await _sign(request, user, db, user.patient_id, portal=True)


@router.post("/consents/{consent_id}/withdraw")
def withdraw(
    consent_id: PathId,
    request: Request,
    user: FormUser,
    db: DbSession,
    reason: str = Form(""),
):
    portal = user.role == Role.PATIENT
    consent = C.get_consent(db, user, consent_id)
    base = "/portal/consent" if portal else f"/patients/{consent.patient_id}/consent"
    try:
        C.withdraw_consent(db, user, consent_id, reason.strip(), "portal" if portal else "clinic")
    except InputError as exc:
        db.rollback()
        return go(base, N_("Not withdrawn: %(reason)s"), "error", reason=error_reason(exc, language(request, user)))
    return go(base, WITHDRAWN)
