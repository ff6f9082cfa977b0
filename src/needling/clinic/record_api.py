"""Record routes of the API: a patient's intake versions (each with what changed), session notes and amendments.

The same operations as the pages (:mod:`needling.clinic.intake_service`, :mod:`needling.clinic.record_service`),
so the same role checks: staff only (a patient reads their record through "My plan" and the data export), every
read audited. Notes and amendments are append-only: the API adds them and lists them, and has no route that
changes or deletes one.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from pydantic import Field, model_validator
from sqlalchemy.orm import Session

from needling.clinic import api_schema as A
from needling.clinic import intake_service as IS
from needling.clinic import record_service as R
from needling.clinic.api_schema import MAX_ID, Id, Strict, column_text, responses, text
from needling.clinic.deps import CurrentUser, DbSession
from needling.clinic.i18n import language
from needling.clinic.record_models import AMENDABLE, IntakeVersion, SessionNote
from needling.clinic.record_service import AMENDMENT_LENGTH, NOTE_LENGTH, REASON_LENGTH

router = APIRouter(prefix="/api", tags=["records"])

PatientId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="A patient's id")]
SessionId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="One of the patient's sessions")]
VersionNumber = Annotated[int, PathParam(ge=1, le=MAX_ID, description="The version's number (1 is the first)")]
Entity = Literal["session", "session_note", "outcome", "adverse_event"]
assert get_args(Entity) == AMENDABLE, "the API's entities are the amendable records"


class NoteIn(Strict):
    site: column_text(SessionNote.site, min_length=1) | None = Field(
        default=None, description="A region treated in the session; none for a note on the whole session"
    )
    text: text(NOTE_LENGTH, min_length=1)


class SessionNotesIn(Strict):
    notes: list[NoteIn] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def one_note_per_region(self) -> SessionNotesIn:
        sites = [n.site for n in self.notes]
        if len(set(sites)) != len(sites):
            raise ValueError("one note per region (and one for the whole session) in a request")
        return self


class AmendmentIn(Strict):
    entity: Entity = Field(description="What is corrected: " + ", ".join(AMENDABLE))
    entity_id: Id
    text: text(AMENDMENT_LENGTH, min_length=1)
    reason: text(REASON_LENGTH, min_length=1)


def _version_ref(v: IntakeVersion, authors: dict[int, str]) -> dict[str, Any]:
    return {
        "number": v.number,
        "created_at": v.created_at,
        "created_by_id": v.created_by_id,
        "created_by": authors.get(v.created_by_id) if v.created_by_id is not None else None,
        "changes": len(v.changes),
    }


def _note_out(n: SessionNote, authors: dict[int, str]) -> dict[str, Any]:
    return {
        "id": n.id,
        "session_id": n.session_id,
        "site": n.site,
        "template": n.template,
        "text": n.text,
        "author_id": n.author_id,
        "author": authors.get(n.author_id, ""),
        "at": n.at,
    }


def _amendment_out(a: Any, authors: dict[int, str]) -> dict[str, Any]:
    return {
        "id": a.id,
        "entity": a.entity,
        "entity_id": a.entity_id,
        "text": a.text,
        "reason": a.reason,
        "author_id": a.author_id,
        "author": authors.get(a.author_id, ""),
        "at": a.at,
    }


def _authors(db: Session, rows: list[Any], key: str) -> dict[int, str]:
    return R.author_names(db, {getattr(r, key) for r in rows if getattr(r, key) is not None})


@router.get("/patients/{patient_id}/intake/versions", response_model=list[A.IntakeVersionRef], responses=responses())
def intake_versions(patient_id: PatientId, user: CurrentUser, db: DbSession) -> list[dict[str, Any]]:
    """The versions of the patient's intake, newest first (every save is a new version; none is ever changed)."""
    history = IS.intake_history(db, user, patient_id)
    return [_version_ref(v, history.authors) for v in history.versions]


@router.get("/patients/{patient_id}/intake/versions/{number}", response_model=A.IntakeVersionOut, responses=responses())
def intake_version(patient_id: PatientId, number: VersionNumber, user: CurrentUser, db: DbSession) -> dict[str, Any]:
    """One version of the intake, whole, and what changed from the version before."""
    v = IS.intake_version(db, user, patient_id, number)
    return {**_version_ref(v, _authors(db, [v], "created_by_id")), "intake": v.intake, "changes": v.changes}


@router.get(
    "/patients/{patient_id}/sessions/{session_id}/notes",
    response_model=list[A.SessionNoteOut],
    responses=responses(),
)
def session_notes(patient_id: PatientId, session_id: SessionId, user: CurrentUser, db: DbSession) -> list[Any]:
    """The notes on one of the patient's sessions, oldest first."""
    notes = R.session_notes(db, user, patient_id, session_id)
    authors = _authors(db, notes, "author_id")
    return [_note_out(n, authors) for n in notes]


@router.post(
    "/patients/{patient_id}/sessions/{session_id}/notes",
    status_code=201,
    response_model=list[A.SessionNoteOut],
    responses=responses(),
)
def add_session_notes(
    patient_id: PatientId,
    session_id: SessionId,
    body: SessionNotesIn,
    request: Request,
    user: CurrentUser,
    db: DbSession,
) -> list[Any]:
    """Add notes on the session's treated regions (or the whole session); a note left as its template is skipped."""
    texts = {n.site or "": n.text for n in body.notes}
    notes = R.add_session_notes(db, user, patient_id, session_id, texts, language(request, user))
    authors = _authors(db, notes, "author_id")
    return [_note_out(n, authors) for n in notes]


@router.get("/patients/{patient_id}/amendments", response_model=list[A.AmendmentOut], responses=responses())
def amendments(patient_id: PatientId, user: CurrentUser, db: DbSession) -> list[Any]:
    """Every amendment of the patient's records, oldest first; the records themselves keep their rows."""
    rows = R.amendments(db, user, patient_id)
    authors = _authors(db, rows, "author_id")
    return [_amendment_out(a, authors) for a in rows]


@router.post("/patients/{patient_id}/amendments", status_code=201, response_model=A.AmendmentOut, responses=responses())
def amend(patient_id: PatientId, body: AmendmentIn, user: CurrentUser, db: DbSession) -> dict[str, Any]:
    """Correct one of the patient's records (a session, a session note, an outcome or an adverse event)."""
    a = R.amend(db, user, patient_id, body.entity, body.entity_id, body.text, body.reason)
    return _amendment_out(a, _authors(db, [a], "author_id"))
