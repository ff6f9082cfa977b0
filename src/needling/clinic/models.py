"""The clinic's records as SQLAlchemy 2 models."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from needling.clinic.roles import Role
from needling.planner.plan_model import Plan


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored as the member's value in the same VARCHAR(20) as before (no native enum, no CHECK): no migration.
    role: Mapped[Role] = mapped_column(
        SqlEnum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    password_hash: Mapped[str] = mapped_column(String(200))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), nullable=True)
    language: Mapped[str] = mapped_column(String(5), default="")  # "" follows the browser; "en"/"sv" chosen
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Patient(Base):
    __tablename__ = "patients"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    intake: Mapped[dict] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime)
    # Optional, stored only if given: the twelve-digit personnummer (YYYYMMDDNNNC) and the date of birth.
    personnummer: Mapped[str | None] = mapped_column(String(12), nullable=True, index=True)
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    # The next session of the latest plan's series not yet recorded: its date, number in the series and the series'
    # length; NULL when nothing is planned or the series is done. Kept by the services (needling.clinic.series_due)
    # when a plan is made or a session recorded, so the dashboard's "due or overdue" list is one indexed query.
    next_due_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    next_due_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    series_length: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sessions: Mapped[list[TreatmentSession]] = relationship(back_populates="patient")


class Consultation(Base):
    __tablename__ = "consultations"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(30))
    screening: Mapped[list] = mapped_column(JSON)
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PlanRecord(Base):
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    created: Mapped[datetime] = mapped_column(DateTime)
    decision: Mapped[str] = mapped_column(String(30))
    plan: Mapped[dict] = mapped_column(JSON)
    rules_version: Mapped[str] = mapped_column(String(40))
    model_version: Mapped[str] = mapped_column(String(40))
    # the intake version the plan was made from (record_models.IntakeVersion); None for plans made before 0015
    intake_version_id: Mapped[int | None] = mapped_column(ForeignKey("intake_versions.id"), nullable=True)

    def typed(self) -> Plan:
        """The stored plan document as a typed :class:`~needling.planner.plan_model.Plan`: read its attributes."""
        return Plan.from_json(self.plan)


class Lot(Base):
    """A lot of one device: its number, expiry, recall, and (when counted) its single-use items in stock."""

    __tablename__ = "lots"
    __table_args__ = (
        UniqueConstraint("lot_number", "device_name"),
        CheckConstraint("quantity IS NULL OR quantity >= 0", name="ck_lots_quantity_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    lot_number: Mapped[str] = mapped_column(String(80))
    device_name: Mapped[str] = mapped_column(String(80))
    expiry: Mapped[date] = mapped_column(Date)
    single_use: Mapped[bool] = mapped_column(Boolean, default=True)
    recalled: Mapped[bool] = mapped_column(Boolean, default=False)
    recall_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    recalled_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    gtin: Mapped[str | None] = mapped_column(String(14), nullable=True)  # from the GS1 barcode, when scanned
    quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)  # items left; None: not counted
    low_stock_at: Mapped[int | None] = mapped_column(Integer, nullable=True)  # alert at or below; None: model's


class TreatmentSession(Base):
    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    pain_vas: Mapped[float | None] = mapped_column(Float, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), nullable=True)  # the plan it followed
    patient: Mapped[Patient] = relationship(back_populates="sessions")
    regions: Mapped[list[SessionRegion]] = relationship(back_populates="session", cascade="all, delete-orphan")


class SessionRegion(Base):
    __tablename__ = "session_regions"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    site: Mapped[str] = mapped_column(String(40))
    device_name: Mapped[str] = mapped_column(String(80))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    needle_length_mm: Mapped[float] = mapped_column(Float)
    passes: Mapped[int] = mapped_column(Integer)
    endpoint: Mapped[str] = mapped_column(String(40))
    anaesthesia: Mapped[str] = mapped_column(String(80), default="")
    topicals: Mapped[str] = mapped_column(String(200), default="")
    session: Mapped[TreatmentSession] = relationship(back_populates="regions")
    lot: Mapped[Lot] = relationship()
    overrides: Mapped[list[SessionOverride]] = relationship(
        back_populates="region", cascade="all, delete-orphan", order_by="SessionOverride.id"
    )


class SessionOverride(Base):
    """A plan check a clinician overrode for one region of a session, with the written justification."""

    __tablename__ = "session_overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_region_id: Mapped[int] = mapped_column(ForeignKey("session_regions.id"), index=True)
    check: Mapped[str] = mapped_column(String(40))  # region-not-in-plan | needle-above-plan | ...
    refusal: Mapped[str] = mapped_column(Text)  # the reason the record would have been refused
    justification: Mapped[str] = mapped_column(Text)
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
    region: Mapped[SessionRegion] = relationship(back_populates="overrides")


class AdverseEvent(Base):
    __tablename__ = "adverse_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id"), nullable=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    on: Mapped[date] = mapped_column(Date)


class Outcome(Base):
    __tablename__ = "outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    site: Mapped[str] = mapped_column(String(40))
    gb_grade: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hair_count_per_cm2: Mapped[float | None] = mapped_column(Float, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Photo(Base):
    __tablename__ = "photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    site: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    taken: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(20), default="before")
    # The standard view (photo_views.VIEWS) chosen on upload; photos stored before 0014 are "front".
    view: Mapped[str] = mapped_column(String(20), default="front")
    # SHA-256 of the stored JPEG thumbnail (same store as the photo); None for photos stored before 0014.
    thumb_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


class PhotoConsent(Base):
    """A patient's choice about photos, as the clinic recorded it; the newest row is the one in force.

    ``scope``: ``none`` (no photos; also a withdrawal), ``record`` (photos kept in the record for care only)
    or ``exports`` (they may also leave the record: FHIR, PDF and data exports, teaching). Rows are never
    changed: a new choice is a new row (UPDATE and DELETE refused by triggers, migration 0014).
    """

    __tablename__ = "photo_consents"
    __table_args__ = (CheckConstraint("scope IN ('none', 'record', 'exports')", name="ck_photo_consents_scope"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    scope: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(20))  # read | write | login | login-failed
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    patient_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)  # the patient concerned
    result: Mapped[str] = mapped_column(String(20), default="ok")  # ok | forbidden | not-found
    client: Mapped[str] = mapped_column(String(45), default="")  # the client's IP address (IPv6 at most 45)


class UnauthenticatedAttempt(Base):
    """Requests for patient data without a log-in, counted per day and client address (never one row each)."""

    __tablename__ = "unauthenticated_attempts"
    __table_args__ = (UniqueConstraint("day", "client"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    client: Mapped[str] = mapped_column(String(45))
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_path: Mapped[str] = mapped_column(String(200), default="")


class HomePrescription(Base):
    __tablename__ = "home_prescriptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    created: Mapped[datetime] = mapped_column(DateTime)
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device_name: Mapped[str] = mapped_column(String(80))
    needle_length_mm: Mapped[float] = mapped_column(Float)
    frequency_days: Mapped[int] = mapped_column(Integer)
    areas: Mapped[list] = mapped_column(JSON)
    topical: Mapped[str] = mapped_column(String(200), default="")
    pause_days: Mapped[int] = mapped_column(Integer, default=7)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class HomeDevice(Base):
    __tablename__ = "home_devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    device_name: Mapped[str] = mapped_column(String(80))
    needle_length_mm: Mapped[float] = mapped_column(Float)
    lot_or_serial: Mapped[str] = mapped_column(String(80), default="")
    first_use: Mapped[date] = mapped_column(Date)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class HomeLog(Base):
    __tablename__ = "home_logs"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("home_devices.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    area: Mapped[str] = mapped_column(String(40))
    needle_length_mm: Mapped[float] = mapped_column(Float)
    passes: Mapped[int] = mapped_column(Integer)
    pain: Mapped[float | None] = mapped_column(Float, nullable=True)
    reactions: Mapped[list] = mapped_column(JSON)
    findings: Mapped[list] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime)


class Inspection(Base):
    __tablename__ = "inspections"
    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("home_devices.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    defects: Mapped[list] = mapped_column(JSON)
    advice: Mapped[str] = mapped_column(Text, default="")


class Alert(Base):
    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    created: Mapped[datetime] = mapped_column(DateTime)
    rule: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    log_id: Mapped[int | None] = mapped_column(ForeignKey("home_logs.id"), nullable=True)
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)


class DeviceModel(Base):
    """A device model the clinic registered (validated like a device file), usable by name like the catalogue."""

    __tablename__ = "device_models"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    spec: Mapped[dict] = mapped_column(JSON)  # the Device fields, validated on the way in
    created: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    low_stock_at: Mapped[int | None] = mapped_column(Integer, nullable=True)  # lots of this model alert at or below


class IdempotencyRecord(Base):
    """The first answer to a write sent with an ``Idempotency-Key``, replayed to retries for a day."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of method, path and canonical JSON body
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime, index=True)


class InboxState(Base):
    """What the clinic did with one item of the dashboard's alert inbox: acknowledged, assigned to whom.

    ``key`` names the item: ``alert:<id>``, ``adverse-event:<id>``, ``recall:<lot>:<patient>`` or
    ``lot-expiry:<lot>``; the items themselves are read from the records they come from.
    """

    __tablename__ = "inbox_states"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated: Mapped[datetime] = mapped_column(DateTime)


class LoginSession(Base):
    """A log-in held on the server: the cookie carries a random id whose SHA-256 is ``token_hash``."""

    __tablename__ = "login_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    address: Mapped[str] = mapped_column(String(45), default="")


class LoginFailure(Base):
    """A failed log-in, counted per account and per client address (both kept as SHA-256 digests)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_kind_key_at", "kind", "key", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # account | address
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
