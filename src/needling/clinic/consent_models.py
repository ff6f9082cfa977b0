"""Signed consents, their withdrawals and the clinician overrides of a missing consent, as SQLAlchemy models.

All three tables are append-only: the migration adds database triggers that refuse UPDATE and DELETE, and the
code has no path that changes a row. A correction is a new consent that names the one it supersedes; a
withdrawal is its own row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from needling.clinic.models import Base

#: The tables that refuse UPDATE and DELETE (database triggers, see migration 0011).
IMMUTABLE_TABLES = ("consents", "consent_withdrawals", "consent_overrides")


class Consent(Base):
    """One signed consent: the exact text shown, its SHA-256, the template version, signer, signature and time."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint(
            "(signature_kind = 'drawn' AND signature_png IS NOT NULL) OR "
            "(signature_kind = 'typed' AND typed_signature IS NOT NULL)",
            name="ck_consents_signature",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))  # the plan the text was filled from
    procedure: Mapped[str] = mapped_column(String(20))  # needling | needling-peel | prp | home-care
    version: Mapped[str] = mapped_column(String(40))  # "needling v1"
    lang: Mapped[str] = mapped_column(String(5))
    text: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    signer_name: Mapped[str] = mapped_column(String(200))
    signature_kind: Mapped[str] = mapped_column(String(10))  # drawn | typed
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # re-encoded, no metadata
    typed_signature: Mapped[str | None] = mapped_column(String(200), nullable=True)
    signed_at: Mapped[datetime] = mapped_column(DateTime)
    channel: Mapped[str] = mapped_column(String(10))  # clinic (tablet) | portal (the patient's phone)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # the account logged in when signed
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id"), nullable=True, unique=True)


class ConsentWithdrawal(Base):
    """A consent taken back: when, by whom, through which channel, and the reason if one was given."""

    __tablename__ = "consent_withdrawals"
    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"), unique=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")


class ConsentOverride(Base):
    """A session recorded without a valid consent for its procedure: the clinician's written reason."""

    __tablename__ = "consent_overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    procedure: Mapped[str] = mapped_column(String(20))
    refusal: Mapped[str] = mapped_column(Text)  # why the session would have been refused
    reason: Mapped[str] = mapped_column(Text)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
