"""Intake versions, session notes, amendments and an outcome's photos, as SQLAlchemy models.

Intake versions, session notes and amendments are append-only: the migration (0015) adds database triggers
that refuse UPDATE and DELETE, as for consents. An edited intake is a new version; a corrected note, outcome,
adverse event or session keeps its row and gains an amendment that is shown with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from needling.clinic.models import Base

#: The tables that refuse UPDATE and DELETE (database triggers, see migration 0015).
APPEND_ONLY_TABLES = ("intake_versions", "session_notes", "amendments")
#: What an amendment may correct: the record kind and its table.
AMENDABLE = ("session", "session_note", "outcome", "adverse_event")


class IntakeVersion(Base):
    """One version of a patient's intake: the whole intake as saved, who saved it, when, and what changed.

    ``changes`` is the list of differences from the version before (``section``, ``kind`` added, removed or
    changed, ``before`` and ``after`` as short texts); the first version has none.
    """

    __tablename__ = "intake_versions"
    __table_args__ = (UniqueConstraint("patient_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per patient
    intake: Mapped[dict] = mapped_column(JSON)
    changes: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class SessionNote(Base):
    """A clinician's note on one region of a session (or the whole session), written from the region's template."""

    __tablename__ = "session_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    site: Mapped[str | None] = mapped_column(String(40), nullable=True)  # None: the whole session
    template: Mapped[str] = mapped_column(String(40))  # the template it started from (face, scalp, body)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime)


class Amendment(Base):
    """A correction of a stored record: the record keeps its row; this says what is corrected, why, who and when."""

    __tablename__ = "amendments"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    entity: Mapped[str] = mapped_column(String(20))  # one of AMENDABLE
    entity_id: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)  # the correction
    reason: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime)


class OutcomePhoto(Base):
    """A photo an outcome was assessed on."""

    __tablename__ = "outcome_photos"
    __table_args__ = (UniqueConstraint("outcome_id", "photo_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcomes.id"), index=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id"))
