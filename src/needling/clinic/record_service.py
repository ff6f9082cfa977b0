"""The record forms' operations: an outcome with its photos, an adverse event tied to a session and its lot,
session notes from the region templates, and amendments that keep the original. One transaction each, audited.

Notes and amendments are append-only (database triggers, migration 0013): a correction is an amendment shown
with the record it corrects, which keeps its row as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from needling.clinic import note_templates as NT
from needling.clinic import services as S
from needling.clinic.models import AdverseEvent, Lot, Outcome, Photo, SessionRegion, TreatmentSession, User
from needling.clinic.record_models import AMENDABLE, Amendment, OutcomePhoto, SessionNote
from needling.clinic.roles import STAFF
from needling.clinic.transactions import operation
from needling.errors import InputError, check_text
from needling.i18n import N_

NOTE_LENGTH = 4000
AMENDMENT_LENGTH = 4000
REASON_LENGTH = 2000


def _own_session(db: Session, patient_id: int, session_id: int) -> TreatmentSession:
    """The session named in a path, or :class:`~needling.clinic.services.NotFound` (404) if not the patient's."""
    s = db.get(TreatmentSession, session_id)
    if s is None or s.patient_id != patient_id:
        raise S.NotFound(f"session {session_id} of patient {patient_id} not found", patient_id=patient_id)
    return s


@operation
def add_outcome(
    db: Session,
    actor: User,
    patient_id: int,
    on: date,
    site: str,
    gb_grade: int | None,
    hair_count_per_cm2: float | None,
    note: str,
    photo_ids: list[int],
) -> Outcome:
    """An outcome (grade, hair count, note) with the photos of that region it was assessed on."""
    outcome = S.add_outcome(db, actor, patient_id, on, site, gb_grade, hair_count_per_cm2, note)
    for pid in dict.fromkeys(photo_ids):
        photo = db.get(Photo, pid)
        if photo is None or photo.patient_id != patient_id:
            raise InputError(
                f"photos: no photo {pid} of this patient; valid: their photos",
                field="photos",
                msgid=N_("Choose photos of this patient."),
            )
        if photo.site != site:
            raise InputError(
                f"photos: photo {pid} is of the {photo.site}, not the {site}; valid: photos of the outcome's region",
                field="photos",
                msgid=N_("Choose photos of the outcome's area."),
            )
        db.add(OutcomePhoto(outcome_id=outcome.id, photo_id=pid))
    db.flush()
    if photo_ids:
        S.audit(db, actor, "write", "outcome", outcome.id, f"photos {sorted(set(photo_ids))}", patient_id=patient_id)
    return outcome


@operation
def report_event(
    db: Session,
    actor: User,
    patient_id: int,
    kind: str,
    description: str,
    on: date,
    session_id: int | None,
    lot_id: int | None,
) -> AdverseEvent:
    """An adverse event, tied to one of the patient's sessions and a lot that session used.

    With a session and no lot, the session's lot is taken when it used only one; a lot the session did not use
    is refused, naming the lots it did use. Without a session, any registered lot may be named.
    """
    S.require_role(actor, *STAFF)
    S.get_patient(db, actor, patient_id)
    S.not_in_future(on)
    check_text("description", description, max_length=2000)
    if session_id is not None:
        session = S.patient_session(db, patient_id, session_id)
        used = {r.lot_id: r.lot.lot_number for r in session.regions}
        if lot_id is None and len(used) == 1:
            lot_id = next(iter(used))
        if lot_id is not None and lot_id not in used:
            raise InputError(
                f"lot_id: session {session_id} did not use lot {lot_id}; valid: {', '.join(used.values()) or 'none'}",
                field="lot_id",
                msgid=N_("The session did not use that lot. Choose a lot it used: %(lots)s."),
                params={"lots": ", ".join(used.values()) or "–"},
            )
    if lot_id is not None and db.get(Lot, lot_id) is None:
        raise InputError(
            f"lot_id: no lot {lot_id}; valid: a registered lot", field="lot_id", msgid=N_("Choose a registered lot.")
        )
    return S.report_adverse_event(db, actor, patient_id, kind, description, on, session_id, lot_id)


@operation
def add_session_notes(
    db: Session, actor: User, patient_id: int, session_id: int, texts: dict[str, str], lang: str
) -> list[SessionNote]:
    """Notes on a session's regions (key: the region, or ``""`` for the whole session).

    A text left empty or as its untouched template is not stored; at least one note must be written.
    """
    S.require_role(actor, *STAFF)
    S.get_patient(db, actor, patient_id)
    session = _own_session(db, patient_id, session_id)
    sites = {r.site for r in session.regions}
    notes = []
    for site, text in texts.items():
        if site and site not in sites:
            raise InputError(
                f"site: {site} was not treated in session {session_id}; valid: {', '.join(sorted(sites))}",
                field="site",
                msgid=N_("That area was not treated in this session. Write notes for its own areas."),
            )
        body = text.strip()
        if not body or body == NT.template_text(site or None, lang).strip():
            continue
        where = f"note-{site}" if site else "note-session"
        if len(body) > NOTE_LENGTH:
            raise InputError(
                f"{where}: {len(body)} characters; valid: at most {NOTE_LENGTH}",
                field=where,
                msgid=N_("The note has %(count)s characters. Write at most %(high)s."),
                params={"count": len(body), "high": NOTE_LENGTH},
            )
        check_text(where, body, max_length=NOTE_LENGTH)
        note = SessionNote(
            session_id=session_id,
            site=site or None,
            template=NT.template_name(site or None),
            text=body,
            author_id=actor.id,
            at=S.now(),
        )
        db.add(note)
        notes.append(note)
    if not notes:
        raise InputError(
            "notes: nothing written; valid: fill in at least one region's note",
            field="notes",
            msgid=N_("Write a note for at least one area or for the whole session."),
        )
    db.flush()
    S.audit(db, actor, "write", "session_note", session_id, f"{len(notes)} notes", patient_id=patient_id)
    return notes


@operation
def session_notes(db: Session, actor: User, patient_id: int, session_id: int) -> list[SessionNote]:
    """The notes on one of the patient's sessions, oldest first (the read audited).

    Raises
    ------
    NotFound
        when the session is not one of the patient's.
    """
    S.require_role(actor, *STAFF)
    S.get_patient(db, actor, patient_id, "session notes")
    _own_session(db, patient_id, session_id)
    return list(db.scalars(select(SessionNote).where(SessionNote.session_id == session_id).order_by(SessionNote.id)))


@operation
def amendments(db: Session, actor: User, patient_id: int) -> list[Amendment]:
    """Every amendment of the patient's records, oldest first (the read audited)."""
    S.require_role(actor, *STAFF)
    S.get_patient(db, actor, patient_id, "amendments")
    return list(db.scalars(select(Amendment).where(Amendment.patient_id == patient_id).order_by(Amendment.id)))


def author_names(db: Session, ids: set[int]) -> dict[int, str]:
    """The names of the users with these ids (authors of notes, amendments and intake versions)."""
    return {u.id: u.name for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def _owner(db: Session, entity: str, entity_id: int) -> int | None:
    """The patient a record belongs to, None if there is no such record."""
    if entity == "session":
        s = db.get(TreatmentSession, entity_id)
        return s.patient_id if s else None
    if entity == "session_note":
        n = db.get(SessionNote, entity_id)
        s = db.get(TreatmentSession, n.session_id) if n else None
        return s.patient_id if s else None
    model = {"outcome": Outcome, "adverse_event": AdverseEvent}[entity]
    row = db.get(model, entity_id)
    return row.patient_id if row else None


@operation
def amend(db: Session, actor: User, patient_id: int, entity: str, entity_id: int, text: str, reason: str) -> Amendment:
    """A correction of one of the patient's records: the record stays as it was, the amendment is shown with it."""
    S.require_role(actor, *STAFF)
    S.get_patient(db, actor, patient_id)
    if entity not in AMENDABLE:
        raise InputError(
            f"entity {entity!r}; valid: {', '.join(AMENDABLE)}",
            field="entity",
            msgid=N_("Choose what to correct: a session, a note, an outcome or an adverse event."),
        )
    if _owner(db, entity, entity_id) != patient_id:
        raise InputError(
            f"entity_id: no {entity} {entity_id} of this patient",
            field="entity_id",
            msgid=N_("There is no such entry in this patient's record to correct."),
        )
    if not text.strip():
        raise InputError(
            "text: empty; valid: what is corrected, 1-4000 characters", field="text", msgid=N_("Write the correction.")
        )
    if not reason.strip():
        raise InputError(
            "reason: empty; valid: why it is corrected, 1-2000 characters",
            field="reason",
            msgid=N_("Write why the entry is corrected."),
        )
    check_text("text", text, max_length=AMENDMENT_LENGTH)
    check_text("reason", reason, max_length=REASON_LENGTH)
    a = Amendment(
        patient_id=patient_id,
        entity=entity,
        entity_id=entity_id,
        text=text.strip(),
        reason=reason.strip(),
        author_id=actor.id,
        at=S.now(),
    )
    db.add(a)
    db.flush()
    S.audit(db, actor, "write", "amendment", a.id, f"{entity} {entity_id}: {reason[:200]}", patient_id=patient_id)
    return a


@dataclass
class Records:
    """A patient's sessions, outcomes and adverse events with their notes, photos and amendments, for the page."""

    sessions: list[TreatmentSession]
    outcomes: list[Outcome]
    events: list[AdverseEvent]
    photos: list[Photo]
    notes: dict[int, list[SessionNote]] = field(default_factory=dict)  # session id -> notes
    outcome_photos: dict[int, list[Photo]] = field(default_factory=dict)  # outcome id -> photos
    amendments: dict[tuple[str, int], list[Amendment]] = field(default_factory=dict)
    authors: dict[int, str] = field(default_factory=dict)
    lots: dict[int, Lot] = field(default_factory=dict)

    def amended(self, entity: str, entity_id: int) -> list[Amendment]:
        """The amendments of one record, oldest first."""
        return self.amendments.get((entity, entity_id), [])


@operation
def records(db: Session, actor: User, patient_id: int) -> Records:
    """Everything the record forms page shows (the read audited)."""
    S.require_role(actor, *STAFF)
    S.get_patient(db, actor, patient_id, "records")
    sessions = list(
        db.scalars(
            select(TreatmentSession)
            .options(selectinload(TreatmentSession.regions).selectinload(SessionRegion.lot))
            .where(TreatmentSession.patient_id == patient_id)
            .order_by(TreatmentSession.on, TreatmentSession.id)
        )
    )
    out = Records(
        sessions=sessions,
        outcomes=list(db.scalars(select(Outcome).where(Outcome.patient_id == patient_id).order_by(Outcome.on))),
        events=list(
            db.scalars(select(AdverseEvent).where(AdverseEvent.patient_id == patient_id).order_by(AdverseEvent.on))
        ),
        photos=list(db.scalars(select(Photo).where(Photo.patient_id == patient_id).order_by(Photo.taken, Photo.id))),
    )
    ids = [s.id for s in sessions]
    authors: set[int] = set()
    if ids:
        for n in db.scalars(select(SessionNote).where(SessionNote.session_id.in_(ids)).order_by(SessionNote.id)):
            out.notes.setdefault(n.session_id, []).append(n)
            authors.add(n.author_id)
    by_id = {p.id: p for p in out.photos}
    if out.outcomes:
        links = db.scalars(select(OutcomePhoto).where(OutcomePhoto.outcome_id.in_([o.id for o in out.outcomes])))
        for link in links:
            out.outcome_photos.setdefault(link.outcome_id, []).append(by_id[link.photo_id])
    for a in db.scalars(select(Amendment).where(Amendment.patient_id == patient_id).order_by(Amendment.id)):
        out.amendments.setdefault((a.entity, a.entity_id), []).append(a)
        authors.add(a.author_id)
    if authors:
        out.authors = {u.id: u.name for u in db.scalars(select(User).where(User.id.in_(authors)))}
    lot_ids = {e.lot_id for e in out.events if e.lot_id is not None}
    if lot_ids:
        out.lots = {lot.id: lot for lot in db.scalars(select(Lot).where(Lot.id.in_(lot_ids)))}
    return out


def original(rec: Records, entity: str, entity_id: int) -> Any:
    """The record an amendment form shows as it was stored (None if the patient has no such record)."""
    pools: dict[str, list[Any]] = {
        "session": rec.sessions,
        "outcome": rec.outcomes,
        "adverse_event": rec.events,
        "session_note": [n for ns in rec.notes.values() for n in ns],
    }
    return next((r for r in pools.get(entity, []) if r.id == entity_id), None)
