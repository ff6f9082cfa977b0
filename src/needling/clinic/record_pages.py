"""Record forms on pages: outcomes with their photos, adverse events tied to a session and lot, session notes from
the region templates, and amendments that keep the original (:mod:`needling.clinic.record_service`).

A refused form comes back with what was typed and the wrong field marked (422); writes go through the service,
which commits; the page only parses and renders.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from needling.anatomy import site_names
from needling.clinic import note_templates as NT
from needling.clinic import record_service as R
from needling.clinic import services as S
from needling.clinic.api_schema import PathId
from needling.clinic.deps import DbSession, FormUser, PageUser
from needling.clinic.i18n import language
from needling.clinic.models import Patient, User
from needling.clinic.pages import go, render
from needling.clinic.record_models import AMENDABLE
from needling.errors import InputError
from needling.i18n import N_, long_date, translate
from needling.i18n import reason as error_reason

router = APIRouter(include_in_schema=False)

#: The service's field names -> the form's, per form.
OUTCOME_FIELDS = {
    "date": "o-date",
    "site": "o-site",
    "gb_grade": "o-grade",
    "hair_count_per_cm2": "o-hair",
    "note": "o-note",
    "photos": "o-photos",
}
EVENT_FIELDS = {
    "kind": "e-kind",
    "date": "e-date",
    "session_id": "e-session",
    "lot_id": "e-lot",
    "description": "e-description",
}
#: What each amendable record is called on the page.
ENTITY_NAMES = {
    "session": N_("session"),
    "session_note": N_("session note"),
    "outcome": N_("outcome"),
    "adverse_event": N_("adverse event"),
}


class FormError(InputError):
    """A refusal of one form field (``field`` is the form's own name)."""


def _not_saved(lang: str, errors: dict[str, str] | None) -> dict[str, str]:
    """The page's error banner ("Not saved: " and the first refusal), as ``render`` keywords; none without errors."""
    if not errors:
        return {}
    return {
        "flash": translate(lang, "Not saved: %(reason)s", reason=next(iter(errors.values()))),
        "flash_kind": "error",
    }


def _date(text: str, key: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise FormError(f"{key}: {text!r} is not a date; valid: YYYY-MM-DD", field=key) from None


def _number(text: str, key: str, kind: type, valid: str) -> Any:
    text = text.strip()
    if not text:
        return None
    try:
        return kind(text.replace(",", "."))
    except ValueError:
        raise FormError(f"{key}: {text!r} is not a number; valid: {valid}", field=key) from None


def _id(text: str, key: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise FormError(f"{key}: {text[:20]!r}; valid: one of the listed choices", field=key)
    return int(text)


def record_page(
    request: Request,
    user: User,
    db: Session,
    patient_id: int,
    template: str,
    what: str,
    page: Callable[[R.Records, Patient, str], tuple[dict[str, Any], str]],
    status: int = 200,
    typed: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Any:
    """Open one of the record form pages: the patient's records (one audited read), the patient, the error banner.

    ``page(rec, patient, lang)`` gives the page's own context and its title, or raises
    :class:`~needling.clinic.services.NotFound` for a record the patient does not have; ``what`` is the read
    the audit names. ``typed`` and ``errors`` are what a refused form brought back (form field -> why).
    """
    lang = language(request, user)
    rec = R.records(db, user, patient_id)
    patient = S.get_patient(db, user, patient_id, what)
    context, title = page(rec, patient, lang)
    return render(
        request,
        template,
        user,
        status=status,
        patient=patient,
        rec=rec,
        typed=typed or {},
        errors=errors or {},
        title=title,
        **_not_saved(lang, errors),
        **context,
    )


def records_page(
    request: Request,
    user: User,
    db: Session,
    patient_id: int,
    status: int = 200,
    typed: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Any:
    """The patient's outcomes, adverse events, sessions with notes, and amendments, with the forms to add them."""

    def page(rec: R.Records, patient: Patient, lang: str) -> tuple[dict[str, Any], str]:
        used_lots = {r.lot.id: r.lot for s in rec.sessions for r in s.regions}
        context = {
            "used_lots": sorted(used_lots.values(), key=lambda lot: lot.lot_number),
            "sites": site_names(),
            "kinds": S.ADVERSE_KINDS,
            "entity_names": ENTITY_NAMES,
        }
        return context, translate(lang, "Records of %(name)s", name=patient.name)

    return record_page(request, user, db, patient_id, "records.html", "records", page, status, typed, errors)


@router.get("/patients/{patient_id}/records")
def records(patient_id: PathId, request: Request, user: PageUser, db: DbSession):
    return records_page(request, user, db, patient_id)


def _refused(request, user, db, patient_id, form, exc: InputError, fields: dict[str, str]) -> Any:
    db.rollback()
    typed = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    typed["o-photos"] = [str(v) for v in form.getlist("o-photos")]
    name = exc.field if isinstance(exc, FormError) else fields.get(exc.field or "", next(iter(fields.values())))
    return records_page(
        request, user, db, patient_id, 422, typed, {name or "": error_reason(exc, language(request, user))}
    )


@router.post("/patients/{patient_id}/outcomes")
async def add_outcome(patient_id: PathId, request: Request, user: FormUser, db: DbSession):
    form = await request.form()
    try:
        photos = [_id(str(p), "o-photos") for p in form.getlist("o-photos")]
        R.add_outcome(
            db,
            user,
            patient_id,
            _date(str(form.get("o-date", "")), "o-date"),
            str(form.get("o-site", "")),
            _number(str(form.get("o-grade", "")), "o-grade", int, "a whole number 0-4"),
            _number(str(form.get("o-hair", "")), "o-hair", float, "hairs per cm², 0-1000"),
            str(form.get("o-note", "")),
            [p for p in photos if p is not None],
        )
    except InputError as exc:
        return _refused(request, user, db, patient_id, form, exc, OUTCOME_FIELDS)
    return go(f"/patients/{patient_id}/records", N_("Outcome recorded."))


@router.post("/patients/{patient_id}/adverse-events")
async def add_event(patient_id: PathId, request: Request, user: FormUser, db: DbSession):
    form = await request.form()
    try:
        R.report_event(
            db,
            user,
            patient_id,
            str(form.get("e-kind", "")),
            str(form.get("e-description", "")),
            _date(str(form.get("e-date", "")), "e-date"),
            _id(str(form.get("e-session", "")), "e-session"),
            _id(str(form.get("e-lot", "")), "e-lot"),
        )
    except InputError as exc:
        return _refused(request, user, db, patient_id, form, exc, EVENT_FIELDS)
    return go(f"/patients/{patient_id}/records", N_("Adverse event recorded."))


def notes_page(
    request: Request,
    user: User,
    db: Session,
    patient_id: int,
    session_id: int,
    status: int = 200,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Any:
    """The note form of one session: a text per treated region, started from its template, and one for the whole."""

    def page(rec: R.Records, patient: Patient, lang: str) -> tuple[dict[str, Any], str]:
        session = next((s for s in rec.sessions if s.id == session_id), None)
        if session is None:
            raise S.NotFound(f"session {session_id} not found", patient_id=patient_id)
        fields = [(f"note-{r.site}", r.site) for r in session.regions] + [("note-session", None)]
        values = {key: (typed or {}).get(key, NT.template_text(site, lang) if site else "") for key, site in fields}
        title = translate(lang, "Notes on the session of %(date)s", date=long_date(session.on, lang))
        return {"session": session, "fields": fields, "values": values}, title

    return record_page(
        request, user, db, patient_id, "session_notes.html", "session notes", page, status, typed, errors
    )


@router.get("/patients/{patient_id}/sessions/{session_id}/notes")
def session_notes(patient_id: PathId, session_id: PathId, request: Request, user: PageUser, db: DbSession):
    return notes_page(request, user, db, patient_id, session_id)


@router.post("/patients/{patient_id}/sessions/{session_id}/notes")
async def save_notes(patient_id: PathId, session_id: PathId, request: Request, user: FormUser, db: DbSession):
    form = await request.form()
    texts = {k.removeprefix("note-"): str(v) for k, v in form.items() if k.startswith("note-")}
    texts = {("" if k == "session" else k): v for k, v in texts.items()}
    try:
        R.add_session_notes(db, user, patient_id, session_id, texts, language(request, user))
    except InputError as exc:
        db.rollback()
        typed = {k: str(v) for k, v in form.items() if k.startswith("note-")}
        field = exc.field if exc.field and exc.field.startswith("note-") else "note-session"
        return notes_page(
            request, user, db, patient_id, session_id, 422, typed, {field: error_reason(exc, language(request, user))}
        )
    return go(f"/patients/{patient_id}/records", N_("Session notes saved."))


def amend_page(
    request: Request,
    user: User,
    db: Session,
    patient_id: int,
    entity: str,
    entity_id: int,
    status: int = 200,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Any:
    """The amendment form of one record: the record as stored, its amendments so far, and the new one."""

    def page(rec: R.Records, patient: Patient, lang: str) -> tuple[dict[str, Any], str]:
        item = R.original(rec, entity, entity_id) if entity in AMENDABLE else None
        if item is None:
            raise S.NotFound(f"no {entity} {entity_id} of this patient", patient_id=patient_id)
        context = {"entity": entity, "item": item, "entity_names": ENTITY_NAMES}
        return context, translate(lang, "Amend a record")

    return record_page(request, user, db, patient_id, "amend.html", "amendment form", page, status, typed, errors)


@router.get("/patients/{patient_id}/amend")
def amend_form(
    patient_id: PathId,
    request: Request,
    user: PageUser,
    db: DbSession,
    entity: str = Query("", max_length=20),
    id: int = Query(0, ge=0, le=2_147_483_647),
):
    return amend_page(request, user, db, patient_id, entity, id)


@router.post("/patients/{patient_id}/amend")
async def amend(patient_id: PathId, request: Request, user: FormUser, db: DbSession):
    form = await request.form()
    entity = str(form.get("entity", ""))
    entity_id = _id(str(form.get("entity_id", "")), "entity_id") if str(form.get("entity_id", "")).isdigit() else 0
    try:
        R.amend(db, user, patient_id, entity, entity_id or 0, str(form.get("text", "")), str(form.get("reason", "")))
    except InputError as exc:
        db.rollback()
        typed = {k: str(form.get(k, "")) for k in ("text", "reason")}
        field = exc.field if exc.field in ("text", "reason") else "text"
        return amend_page(
            request,
            user,
            db,
            patient_id,
            entity,
            entity_id or 0,
            422,
            typed,
            {field: error_reason(exc, language(request, user))},
        )
    return go(f"/patients/{patient_id}/records", N_("Amendment saved; the original is kept."))
