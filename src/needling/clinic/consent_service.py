"""Consent operations: the text to show, signing, withdrawal, the list with each consent's state, and the check
that a session has a valid consent for its procedure.

Every function takes the database session and the acting user, audits what it reads or writes, and leaves the
commit to the caller. Nothing here updates or deletes a consent (the tables refuse it, see
:mod:`needling.clinic.consent_models`): a new signature for the same procedure supersedes the previous one, and
a withdrawal is its own record.

The rule that care is not given without the patient's consent, and that the patient may take it back, is the
Swedish Patient Act (Patientlag 2014:821, chapter 4, "Samtycke"; Prop. 2013/14:106), a statute (grade H for
what it requires, not a clinical effect). A clinician may record a session without a valid consent only with a
written reason, which is stored and audited.
"""

from __future__ import annotations

import base64
import binascii
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PIL import Image
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from needling.clinic import consent_text as CT
from needling.clinic.consent_models import Consent, ConsentOverride, ConsentWithdrawal
from needling.clinic.models import Patient, PlanRecord, User
from needling.clinic.photos import clean_image
from needling.clinic.recording_reads import ConsentTerms
from needling.clinic.roles import Role
from needling.clinic.services import NotFound, RecordedSession, audit, get_patient, latest_plan, now
from needling.clinic.session_guard import MIN_JUSTIFICATION_CHARS, Refusal, SessionRefusedError
from needling.clinic.transactions import core_execute, operation
from needling.errors import InputError, check_text
from needling.i18n import N_
from needling.planner.plan_model import Plan

CHANNELS = ("clinic", "portal")
#: Largest signature image accepted: bytes of the PNG, and pixels (a phone or tablet canvas is far smaller).
MAX_SIGNATURE_BYTES = 300_000
MAX_SIGNATURE_PIXELS = 4_000_000
PNG_DATA_URL = "data:image/png;base64,"

#: The English one-line reasons (API, command line, the stored override); a page shows the PAGE_ sentence.
REFUSE_NO_CONSENT = (
    "%(field)s: no valid signed consent for %(procedure)s on %(date)s; valid: the patient signs the consent first, "
    "or a clinician overrides with a written reason"
)
OVERRIDE_NOT_CLINICIAN = (
    "%(field)s: only a clinician may record a session without consent (your role: %(role)s); valid: a clinician "
    "records the session"
)
OVERRIDE_TOO_SHORT = (
    "%(field)s: the reason has %(got)s characters; valid: a written reason of at least %(n)s characters"
)
PAGE_NO_CONSENT = N_(
    "There is no valid signed consent for %(procedure)s on %(date)s. Let the patient sign the consent first, or, as a "
    "clinician, write a reason to record the session anyway."
)
PAGE_NOT_CLINICIAN = N_("Only a clinician may record a session without consent. Ask a clinician to record it.")
PAGE_TOO_SHORT = N_("The reason is too short: %(got)s characters. Write at least %(n)s characters.")


@dataclass(frozen=True)
class ConsentState:
    """A stored consent with its state: ``valid``, ``superseded``, ``withdrawn`` or ``plan-changed``."""

    consent: Consent
    state: str
    withdrawal: ConsentWithdrawal | None


def _plan_of(db: Session, patient_id: int) -> PlanRecord:
    record = latest_plan(db, patient_id)
    if record is None:
        raise InputError("this patient has no plan yet; valid: make a plan first", field="procedure")
    return record


@operation
def consent_form(db: Session, actor: User, patient_id: int, procedure: str, lang: str) -> tuple[PlanRecord, Any]:
    """The consent text to show for ``procedure``, filled from the patient's latest plan, and that plan.

    Returns
    -------
    tuple
        ``(PlanRecord, ConsentText)``.
    """
    patient = get_patient(db, actor, patient_id, "consent form")
    record = _plan_of(db, patient_id)
    shown = CT.render_consent(record.typed(), procedure, lang, patient.name)
    return record, shown


@operation
def procedures_for(db: Session, actor: User, patient_id: int) -> list[str]:
    """The procedures the patient's latest plan asks consent for (empty without a plan)."""
    get_patient(db, actor, patient_id, "consent procedures")
    record = latest_plan(db, patient_id)
    return CT.applicable(record.typed()) if record is not None else []


def signature_png(data_url: str) -> bytes:
    """The drawn signature as a fresh PNG (no metadata), from the canvas's ``data:image/png;base64,...`` URL.

    Raises
    ------
    InputError
        If it is not a PNG data URL, is larger than :data:`MAX_SIGNATURE_BYTES`, does not decode, or is blank.
    """
    if not data_url.startswith(PNG_DATA_URL):
        raise InputError("signature: not a drawn signature; valid: a PNG from the signature pad", field="signature")
    raw_b64 = data_url.removeprefix(PNG_DATA_URL)
    if len(raw_b64) > MAX_SIGNATURE_BYTES * 4 // 3 + 4:
        raise InputError(f"signature: larger than {MAX_SIGNATURE_BYTES} bytes; valid: a smaller pad", field="signature")
    try:
        raw = base64.b64decode(raw_b64, validate=True)
    except (binascii.Error, ValueError):
        raise InputError(
            "signature: not valid base64; valid: a PNG from the signature pad", field="signature"
        ) from None
    clean = clean_image(raw, max_pixels=MAX_SIGNATURE_PIXELS)
    if clean.content_type != "image/png":
        raise InputError("signature: not a PNG; valid: a PNG from the signature pad", field="signature")
    img = Image.open(io.BytesIO(clean.data))
    white = Image.new("RGBA", img.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(white, img.convert("RGBA")).convert("L")
    ink = flat.point(lambda v: 255 if v < 128 else 0)
    if ink.getbbox() is None:
        raise InputError(
            "signature: the pad is empty; valid: draw your signature, or type your name",
            field="signature",
            msgid=N_("The signature pad is empty. Draw your signature, or type your name."),
        )
    return clean.data


def _current(db: Session, patient_id: int, procedure: str) -> Consent | None:
    """The newest consent for this procedure that is neither withdrawn nor superseded."""
    rows = list(
        db.scalars(
            select(Consent)
            .where(Consent.patient_id == patient_id, Consent.procedure == procedure)
            .order_by(Consent.id.desc())
        )
    )
    superseded = {c.supersedes_id for c in rows if c.supersedes_id is not None}
    withdrawn = set(
        db.scalars(select(ConsentWithdrawal.consent_id).where(ConsentWithdrawal.consent_id.in_([c.id for c in rows])))
    )
    return next((c for c in rows if c.id not in superseded and c.id not in withdrawn), None)


_TERMS = (
    select(
        Consent.id,
        Consent.procedure,
        Consent.plan_id,
        Consent.signed_at,
        Consent.supersedes_id,
        exists().where(ConsentWithdrawal.consent_id == Consent.id).label("withdrawn"),
    )
    .where(
        Consent.patient_id == bindparam("patient_id"),
        Consent.procedure.in_(bindparam("procedures", expanding=True)),
    )
    .order_by(Consent.id.desc())
)
"""The consents of a patient for some procedures, newest first, each with its withdrawal as a flag;
built once, so a request binds its values and builds neither the statement nor its cache key."""


def _current_terms(db: Session, patient_id: int, procedures: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """For each of ``procedures``, the plan id and signing time of its current consent (as :func:`_current`).

    One query for all of them, of the few columns the session check reads (not the consent's text or drawn
    signature), with each consent's withdrawal as a flag. Returns procedure -> row (``plan_id``, ``signed_at``);
    a procedure without a current consent is missing.
    """
    rows = core_execute(db, _TERMS, {"patient_id": patient_id, "procedures": list(procedures)}).all()
    return current_of(rows, procedures)


def current_of(rows: Sequence[Any], procedures: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """:func:`_current_terms` from consent rows already read, newest first (each with ``id``, ``procedure``,
    ``plan_id``, ``signed_at``, ``supersedes_id`` and ``withdrawn``; rows of other procedures are left out).

    Returns
    -------
    dict
        Procedure -> the row of its current consent; a procedure without one is missing.
    """
    current: dict[str, Any] = {}
    for proc in procedures:
        mine = [r for r in rows if r.procedure == proc]
        superseded = {r.supersedes_id for r in mine if r.supersedes_id is not None}
        found = next((r for r in mine if r.id not in superseded and not r.withdrawn), None)
        if found is not None:
            current[proc] = found
    return current


@operation
def sign_consent(
    db: Session,
    actor: User,
    patient_id: int,
    procedure: str,
    lang: str,
    shown_sha256: str,
    signer_name: str,
    drawn: str | None = None,
    typed: str | None = None,
    channel: str = "clinic",
) -> Consent:
    """Store a signed consent: the text as shown (checked by its hash), the signature, name, time and version.

    Parameters
    ----------
    shown_sha256 : str
        The hash the page showed with the text; if the text would now differ (the plan changed since), the
        signature is refused and the text must be read again.
    signer_name : str
        The signer's name as written.
    drawn : str, optional
        The signature pad's PNG data URL.
    typed : str, optional
        The name typed as signature (for those who cannot draw one); one of ``drawn`` and ``typed`` is needed.
    channel : str
        ``clinic`` (the clinic's tablet) or ``portal`` (the patient's own phone).

    Returns
    -------
    Consent
        Flushed, with ``supersedes_id`` naming the consent it replaces, if any.
    """
    if actor.role not in ("clinician", "admin", "patient"):
        raise NotFound(f"patient {patient_id} not found", patient_id=patient_id)
    if channel not in CHANNELS:
        raise InputError(f"channel {channel!r}; valid: {', '.join(CHANNELS)}", field="channel")
    record, shown = consent_form(db, actor, patient_id, procedure, lang)
    if shown_sha256.strip().lower() != shown.sha256:
        raise InputError(
            "content_sha256: the consent text has changed since it was shown; valid: read the new text and sign it",
            field="content_sha256",
            msgid=N_("The consent text has changed since you opened it. Read the new text and sign it."),
        )
    name = check_text("signer_name", signer_name.strip(), max_length=200)
    if not name:
        raise InputError(
            "signer_name: empty; valid: the signer's name",
            field="signer_name",
            msgid=N_("Write the name of the person who signs."),
        )
    png = signature_png(drawn) if drawn else None
    typed_name = (typed or "").strip()
    if png is None and not typed_name:
        raise InputError(
            "signature: missing; valid: draw a signature or type your name",
            field="signature",
            msgid=N_("The signature is missing. Draw your signature, or type your name."),
        )
    check_text("typed_signature", typed_name, max_length=200)
    previous = _current(db, patient_id, procedure)
    consent = Consent(
        patient_id=patient_id,
        plan_id=record.id,
        procedure=procedure,
        version=shown.version,
        lang=lang,
        text=shown.text,
        content_sha256=shown.sha256,
        signer_name=name,
        signature_kind="drawn" if png is not None else "typed",
        signature_png=png,
        typed_signature=None if png is not None else typed_name,
        signed_at=now(),
        channel=channel,
        recorded_by_id=actor.id,
        supersedes_id=previous.id if previous is not None else None,
    )
    db.add(consent)
    db.flush()
    audit(
        db,
        actor,
        "write",
        "consent",
        consent.id,
        f"signed {shown.version} ({lang}, {channel}, {consent.signature_kind}) sha256 {shown.sha256}"
        + (f", supersedes {previous.id}" if previous is not None else ""),
        patient_id=patient_id,
    )
    return consent


@operation
def get_consent(db: Session, actor: User, consent_id: int) -> Consent:
    """A stored consent, if this user may see its patient (the read is audited)."""
    consent = db.get(Consent, consent_id)
    if consent is None:
        raise NotFound(f"consent {consent_id} not found")
    get_patient(db, actor, consent.patient_id, f"consent {consent_id}")
    return consent


@operation
def withdraw_consent(db: Session, actor: User, consent_id: int, reason: str = "", channel: str = "clinic") -> Any:
    """Record that a consent is taken back (its own record; the consent itself is kept as signed).

    Raises
    ------
    InputError
        If the consent is already withdrawn.
    """
    consent = get_consent(db, actor, consent_id)
    if channel not in CHANNELS:
        raise InputError(f"channel {channel!r}; valid: {', '.join(CHANNELS)}", field="channel")
    check_text("reason", reason, max_length=2000)
    if db.scalars(select(ConsentWithdrawal).where(ConsentWithdrawal.consent_id == consent_id)).first() is not None:
        raise InputError(
            f"consent {consent_id} is already withdrawn; valid: a consent in force",
            field="consent_id",
            msgid=N_("This consent is already withdrawn."),
        )
    withdrawal = ConsentWithdrawal(consent_id=consent_id, at=now(), by_id=actor.id, channel=channel, reason=reason)
    db.add(withdrawal)
    db.flush()
    audit(
        db,
        actor,
        "write",
        "consent",
        consent_id,
        f"withdrawn ({channel})" + (f": {reason}" if reason else ""),
        patient_id=consent.patient_id,
    )
    return withdrawal


@operation
def consent_states(db: Session, actor: User, patient_id: int) -> list[ConsentState]:
    """Every consent of the patient, newest first, each with its state."""
    get_patient(db, actor, patient_id, "consents")
    rows = list(db.scalars(select(Consent).where(Consent.patient_id == patient_id).order_by(Consent.id.desc())))
    withdrawals = {
        w.consent_id: w
        for w in db.scalars(select(ConsentWithdrawal).where(ConsentWithdrawal.consent_id.in_([c.id for c in rows])))
    }
    superseded = {c.supersedes_id for c in rows if c.supersedes_id is not None}
    record = latest_plan(db, patient_id)
    plan_id = record.id if record is not None else None
    out = []
    for c in rows:
        if c.id in withdrawals:
            state = "withdrawn"
        elif c.id in superseded:
            state = "superseded"
        elif c.plan_id != plan_id:
            state = "plan-changed"
        else:
            state = "valid"
        out.append(ConsentState(c, state, withdrawals.get(c.id)))
    return out


def session_procedure(plan: Plan | None, sites: list[str], topicals: list[str]) -> str:
    """The procedure a session needs consent for: ``prp`` when a region's topicals name PRP, ``needling-peel``
    when the plan alternates a peel with needling on one of its regions, else ``needling``."""
    if any("prp" in t.lower() or "platelet" in t.lower() for t in topicals):
        return "prp"
    combination = plan.combination if plan is not None else []
    if any(c.id == "tca-peel" and c.region in sites for c in combination):
        return "needling-peel"
    return "needling"


def consent_refusal(
    db: Session,
    patient: Patient,
    plan_id: int | None,
    procedure: str,
    on: date,
    terms: Sequence[ConsentTerms] | None = None,
) -> Refusal | None:
    """Why a session of ``procedure`` on ``on`` lacks a valid consent, or None when it has one.

    A consent is valid for the session when it covers the procedure (:data:`consent_text.COVERS`), was signed on
    or before the session's date for the plan the session follows, and is neither withdrawn nor superseded.
    ``terms`` are the patient's consents newest first when the caller read them already
    (:func:`needling.clinic.recording_reads.after_lock`); else they are read here.
    """
    covering = CT.COVERS[procedure]
    current = _current_terms(db, patient.id, covering) if terms is None else current_of(terms, covering)
    for proc in covering:
        c = current.get(proc)
        if c is not None and c.plan_id == plan_id and c.signed_at.date() <= on:
            return None
    return Refusal(
        "no-consent",
        "consent_override",
        REFUSE_NO_CONSENT,
        {"procedure": procedure, "date": on.isoformat()},
        page=PAGE_NO_CONSENT,
        words={"procedure": procedure, "date": on},
    )


def consent_override(
    actor: User, refusal: Refusal, reason: str | None, procedure: str, at: datetime
) -> ConsentOverride:
    """The override record for a session without valid consent, or the refusal raised when it cannot be given.

    Raises
    ------
    SessionRefusedError
        Without a reason, from someone who is not a clinician, or with a reason shorter than
        :data:`needling.clinic.session_guard.MIN_JUSTIFICATION_CHARS`.
    """
    text = (reason or "").strip()
    if not text:
        raise SessionRefusedError(refusal)
    if actor.role != Role.CLINICIAN:
        raise SessionRefusedError(
            Refusal(
                "override-not-clinician",
                "consent_override",
                OVERRIDE_NOT_CLINICIAN,
                {"role": actor.role},
                False,
                page=PAGE_NOT_CLINICIAN,
            )
        )
    if len(text) < MIN_JUSTIFICATION_CHARS:
        raise SessionRefusedError(
            Refusal(
                "override-too-short",
                "consent_override",
                OVERRIDE_TOO_SHORT,
                {"n": MIN_JUSTIFICATION_CHARS, "got": len(text)},
                False,
                page=PAGE_TOO_SHORT,
                words={"n": MIN_JUSTIFICATION_CHARS, "got": len(text)},
            )
        )
    return ConsentOverride(procedure=procedure, refusal=refusal.line(), reason=text, clinician_id=actor.id, at=at)


def check_session_consent(
    db: Session,
    actor: User,
    patient: Patient,
    plan_id: int | None,
    plan: Plan | None,
    on: date,
    sites: list[str],
    topicals: list[str],
    override_reason: str | None,
    terms: Sequence[ConsentTerms] | None = None,
) -> ConsentOverride | None:
    """The consent check of a session being recorded: None when a valid consent covers it, the override record
    (to store with the session) when a clinician gave a written reason, else :class:`SessionRefusedError`.
    ``terms``: the patient's consents as :func:`consent_refusal` takes them."""
    procedure = session_procedure(plan, sites, topicals)
    refusal = consent_refusal(db, patient, plan_id, procedure, on, terms)
    if refusal is None:
        return None
    return consent_override(actor, refusal, override_reason, procedure, now())


def store_override(db: Session, actor: User, session: RecordedSession, override: ConsentOverride) -> None:
    """Store and audit a consent override with the session it let through."""
    override.session_id = session.id
    db.add(override)
    audit(
        db,
        actor,
        "override",
        "session",
        session.id,
        f"consent {override.procedure}: {override.refusal} | {override.reason}",
        patient_id=session.patient_id,
    )
