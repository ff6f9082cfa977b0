"""The records of the calendar: appointments, clinicians' calendar feeds, reminder contacts and sent reminders.

Times are the clinic's local wall-clock time without a zone, like every other date and time the clinic keeps.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from needling.clinic.models import Base

STATUSES = ("booked", "moved", "cancelled", "done")
"""An appointment's status: booked, moved (to another time, clinician or room), cancelled, or done."""
ACTIVE = ("booked", "moved")
"""Statuses that hold a clinician's and a room's time."""


class Appointment(Base):
    """A patient's appointment with a clinician in a room, possibly one session of the patient's plan."""

    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_clinician_start", "clinician_id", "starts_at"),
        Index("ix_appointments_room_start", "room", "starts_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    room: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    duration_min: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="booked")  # one of STATUSES
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), nullable=True)
    session_number: Mapped[int | None] = mapped_column(Integer, nullable=True)  # its number in the plan's series
    note: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated: Mapped[datetime] = mapped_column(DateTime)


class CalendarFeed(Base):
    """A clinician's private calendar feed: the URL carries a random token whose SHA-256 is ``token_hash``."""

    __tablename__ = "calendar_feeds"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[datetime] = mapped_column(DateTime)


class ReminderContact(Base):
    """How a patient wants reminders: their e-mail, their language and whether they consented to reminders."""

    __tablename__ = "reminder_contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), unique=True)
    email: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="en")
    consented: Mapped[bool] = mapped_column(Boolean, default=False)
    updated: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class SentReminder(Base):
    """A reminder claimed for sending: one per appointment and start time (a moved appointment gets a new one).

    The unique constraint is what keeps two runs at once from sending the same reminder twice: a run first
    inserts the row and commits, and sends only if that insert succeeded.
    """

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("appointment_id", "starts_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    claimed: Mapped[datetime] = mapped_column(DateTime)
    sent: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")


def first_open_of_day(patient_id: ColumnElement[int]) -> Select[tuple[int]]:
    """The id of the patient's first booked or moved appointment from ``day_start`` to ``day_end`` (bound times).

    ``patient_id`` is a bound parameter or a column: a session's insert reads the day's appointment of the patient
    it names in its own statement (``services._INSERT_SESSION``), no query of its own.
    """
    return (
        select(Appointment.id)
        .where(
            Appointment.patient_id == patient_id,
            Appointment.status.in_(ACTIVE),
            Appointment.starts_at >= bindparam("day_start"),
            Appointment.starts_at < bindparam("day_end"),
        )
        .order_by(Appointment.starts_at, Appointment.id)
        .limit(1)
    )
