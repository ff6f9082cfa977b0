"""The clinic's operations: one transaction each, every read and write of patient data audited.

Functions take a SQLAlchemy session and the acting user. They raise :class:`NotFound` (404; a
patient asking for another patient's record gets this too, and the attempt is audited) or
:class:`needling.errors.InputError` (422, naming the field) and never leave half-written records:
each operation commits when it returns (:mod:`needling.clinic.transactions`), routes never commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, literal_column, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, selectinload

from needling.anatomy import site_names
from needling.clinic import intake_versions as IV
from needling.clinic import recording_reads as RR
from needling.clinic import series_due as SD
from needling.clinic import session_guard as G
from needling.clinic import stock as ST
from needling.clinic.appointments_models import first_open_of_day
from needling.clinic.device_catalogue import clinic_devices, require_device
from needling.clinic.device_words import DeviceNames
from needling.clinic.models import (
    AdverseEvent,
    AuditEntry,
    Consultation,
    Lot,
    Outcome,
    Patient,
    Photo,
    PlanRecord,
    SessionOverride,
    SessionRegion,
    TreatmentSession,
    User,
)
from needling.clinic.roles import STAFF, Role
from needling.clinic.transactions import operation
from needling.errors import InputError, check_range, check_text, unknown_name_error
from needling.i18n import N_
from needling.planner import load_intake, make_plan, rules_version, screen

ENDPOINTS = ("erythema", "pinpoint bleeding", "none")
ADVERSE_KINDS = ("broken-needle", "infection", "pih", "tram-track", "prolonged-erythema", "allergy", "other")
ENTITY_ID_LENGTH = AuditEntry.__table__.c.entity_id.type.length


class NotFound(Exception):  # noqa: N818  (an HTTP-like outcome, not an error class of the library)
    """No such record, or not visible to this user; ``patient_id`` names the patient concerned, if known."""

    def __init__(self, message: str, patient_id: int | None = None) -> None:
        super().__init__(message)
        self.patient_id = patient_id


class Forbidden(Exception):  # noqa: N818
    """The user's role may not do this; ``msgid`` and ``params`` word it on a page (:func:`needling.i18n.reason`)."""

    def __init__(self, message: str, msgid: str = "", params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.msgid = msgid
        self.params = params or {}


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def audit(
    db: Session,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: Any = "",
    detail: str = "",
    *,
    patient_id: int | None = None,
    result: str = "ok",
) -> None:
    """Add an audit entry to the current transaction.

    Parameters
    ----------
    action : str
        ``read``, ``write``, ``login`` or ``login-failed``.
    entity, entity_id : str
        What was touched (``patient`` 12, ``photo`` 7, ``lot`` 3).
    patient_id : int, optional
        The patient whose data it is, so the log filters by patient.
    result : str
        ``ok``, ``forbidden`` or ``not-found``.

    The client's address comes from the session's ``info["client"]``, set per request by ``get_db``. Inside
    :func:`audited_together` the entry waits there, to be written with the block's others in one statement.
    """
    row = {
        "at": now(),
        "user_id": actor.id if actor else None,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id)[:ENTITY_ID_LENGTH],  # a failed log-in's e-mail may be longer
        "detail": detail[:2000],
        "patient_id": patient_id,
        "result": result,
        "client": str(db.info.get("client", ""))[:45],
    }
    waiting = db.info.get(AUDIT_ROWS)
    if waiting is not None:
        waiting.append(row)
    else:
        db.add(AuditEntry(**row))


AUDIT_ROWS = "audit_rows"
_INSERT_AUDIT = insert(AuditEntry)


@contextmanager
def audited_together(db: Session) -> Iterator[None]:
    """Write the audit entries added inside the block with one insert when it ends, in the order they were added.

    Without it each entry is an object of the session's unit of work, flushed with the others; a recording's
    entries (its read, overrides and write) cost a tenth of its processor time that way. If the block raises,
    none is written, as a rolled-back flush writes none. Nothing inside may commit (the block runs inside an
    operation, which commits after it). Nested blocks write with the outermost.
    """
    if db.info.get(AUDIT_ROWS) is not None:
        yield
        return
    rows: list[dict[str, Any]] = []
    db.info[AUDIT_ROWS] = rows
    try:
        yield
    finally:
        del db.info[AUDIT_ROWS]
    if rows:
        db.connection().execute(_INSERT_AUDIT, rows)


def require_role(actor: User, *roles: str) -> None:
    if actor.role not in roles:
        raise Forbidden(f"role {actor.role} may not do this", N_("Your role may not do this."))


FUTURE = N_("The date is in the future. Choose today or an earlier day.")


def not_in_future(on: date, field: str = "date", name: str = "date") -> date:
    """Return ``on`` if it is today or earlier, else the refusal every record form gives for a day to come.

    ``name`` is how the English line calls the date (``date taken``); a page shows the one Swedish or English
    sentence :data:`FUTURE`.
    """
    if on > date.today():
        raise InputError(
            f"{name} {on.isoformat()} is in the future; valid: today or earlier", field=field, msgid=FUTURE
        )
    return on


def patient_session(db: Session, patient_id: int, session_id: int, field: str = "session_id") -> TreatmentSession:
    """The patient's session ``session_id``, or the refusal of a session that is not one of theirs."""
    session = db.get(TreatmentSession, session_id)
    if session is None or session.patient_id != patient_id:
        raise InputError(
            f"{field}: no session {session_id} of patient {patient_id}; valid: one of their sessions",
            field=field,
            msgid=N_("Choose one of this patient's sessions."),
        )
    return session


@operation
def get_patient(db: Session, actor: User, patient_id: int, what: str = "record") -> Patient:
    """The patient, if this user may see it (a patient sees only their own record).

    The read is audited with ``what`` was read (``record``, ``fhir``, ``ics``, ``alerts``); a refusal is
    audited by the app's handler of :class:`NotFound`, after this request's transaction is rolled back.
    """
    patient = db.get(Patient, patient_id)
    if patient is None or (actor.role == Role.PATIENT and actor.patient_id != patient_id):
        raise NotFound(f"patient {patient_id} not found", patient_id=patient_id)
    audit(db, actor, "read", "patient", patient_id, what, patient_id=patient_id)
    return patient


@operation
def list_patients(db: Session, actor: User) -> list[Patient]:
    if actor.role == Role.PATIENT:
        return [get_patient(db, actor, actor.patient_id)] if actor.patient_id else []
    audit(db, actor, "read", "patient", "*", "list")
    return list(db.scalars(select(Patient).order_by(Patient.name)))


@operation
def create_patient(db: Session, actor: User, name: str, intake: dict) -> Patient:
    require_role(actor, *STAFF)
    if not name or not name.strip() or len(name) > 200:
        raise InputError("name must be 1-200 characters", field="name")
    check_text("name", name, max_length=200)
    load_intake(intake, clinic_devices(db))  # validates (devices only by name); InputError names the field
    patient = Patient(name=name.strip(), intake=intake, created=now())
    db.add(patient)
    db.flush()
    IV.record(db, actor, patient, intake, patient.created)  # version 1
    audit(db, actor, "write", "patient", patient.id, "created", patient_id=patient.id)
    return patient


@operation
def update_intake(db: Session, actor: User, patient_id: int, intake: dict, base_version: int | None = None) -> Patient:
    """Store an edited intake as the patient's next version (:mod:`needling.clinic.intake_versions`).

    ``base_version`` is the version the form showed: if another was saved since, the edit is refused.
    """
    require_role(actor, *STAFF)
    patient = get_patient(db, actor, patient_id)
    load_intake(intake, clinic_devices(db))
    IV.ensure_first(db, patient)
    version = IV.record(db, actor, patient, intake, now(), base_version)
    patient.intake = intake
    audit(db, actor, "write", "patient", patient_id, f"intake version {version.number}", patient_id=patient_id)
    return patient


#: The weekdays the clinic is closed (Saturday and Sunday; 0 is Monday): a clinic plan's session that falls on one
#: moves to the next open day and pushes the following ones (a scheduling choice, not a clinical number).
CLOSED_WEEKDAYS = (5, 6)


@operation
def plan_patient(db: Session, actor: User, patient_id: int, start: date | None = None) -> PlanRecord:
    """Screen and plan; the consultation and the plan are stored with the rules and model versions."""
    require_role(actor, *STAFF)
    patient = get_patient(db, actor, patient_id)
    devices = clinic_devices(db)
    intake = load_intake(patient.intake, devices)
    start = start or date.today()
    screening = screen(intake, start)
    db.add(
        Consultation(
            patient_id=patient_id,
            on=start,
            decision=screening.decision,
            screening=[f.to_json() for f in screening.findings],
            clinician_id=actor.id,
        )
    )
    closed = CLOSED_WEEKDAYS if intake.setting == "clinic" else ()  # a patient needles at home on any day
    plan = make_plan(intake, start=start, devices=devices, closed_weekdays=closed)
    record = PlanRecord(
        patient_id=patient_id,
        created=now(),
        decision=plan.decision,
        plan=plan.storage_json(),  # the weekly timeline is recomputable; keep the stored plan small
        rules_version=rules_version(),
        model_version=plan.model_version,
        intake_version_id=IV.ensure_first(db, patient).id,  # the intake it was made from
    )
    db.add(record)
    db.flush()
    SD.refresh(db, patient, record)  # the dashboard's due list reads the next visit from the patient
    audit(db, actor, "write", "plan", record.id, f"patient {patient_id}: {plan.decision}", patient_id=patient_id)
    return record


def latest_plan(db: Session, patient_id: int) -> PlanRecord | None:
    return db.scalars(
        select(PlanRecord).where(PlanRecord.patient_id == patient_id).order_by(PlanRecord.id.desc()).limit(1)
    ).first()


@operation
def create_lot(
    db: Session,
    actor: User,
    device_name: str,
    lot_number: str,
    expiry: date,
    single_use: bool = True,
    quantity: int | None = None,
    low_stock_at: int | None = None,
    gtin: str | None = None,
) -> Lot:
    """Register a lot of a catalogue device; its number is unique per device and its expiry not yet past.

    ``quantity`` counts its single-use items (``None``: not counted), ``low_stock_at`` its own low-stock
    threshold (:mod:`needling.clinic.stock`) and ``gtin`` the GTIN of its GS1 barcode (:mod:`needling.clinic.gs1`).

    The database's unique constraint on (lot number, device) backs the check, so two clinicians registering
    the same lot at once get the same one-line 422, never a server error.
    """
    require_role(actor, *STAFF)
    require_device(db, device_name, field="device_name")  # catalogue or registered model, never a path
    lot_number = (lot_number or "").strip()
    if not lot_number or len(lot_number) > 80:
        raise InputError(
            "lot_number must be 1-80 characters",
            field="lot_number",
            msgid=N_("Write the lot number, at most 80 characters."),
        )
    if expiry < date.today():
        raise InputError(
            f"expiry {expiry.isoformat()} is in the past; valid: today ({date.today().isoformat()}) or later",
            field="expiry",
            msgid=N_("The expiry date %(date)s has passed. Choose today or a later day."),
            params={"date": expiry},
        )
    duplicate = InputError(
        f"lot {lot_number} of {device_name} is already registered; valid: a lot number not yet used for {device_name}",
        field="lot_number",
        msgid=N_("Lot %(lot)s of %(device)s is already registered."),
        params={"lot": lot_number, "device": DeviceNames(device_name)},
    )
    check_text("lot_number", lot_number, max_length=80)
    quantity, low_stock_at = ST.check_count("quantity", quantity), ST.check_count("low_stock_at", low_stock_at)
    if gtin is not None and not (gtin.isdigit() and len(gtin) == 14):
        raise InputError(
            f"gtin: {gtin[:20]!r}; valid: 14 digits", field="gtin", msgid=N_("The GTIN must have 14 digits.")
        )
    if db.scalars(select(Lot).where(Lot.lot_number == lot_number, Lot.device_name == device_name)).first():
        raise duplicate
    lot = Lot(
        lot_number=lot_number,
        device_name=device_name,
        expiry=expiry,
        single_use=single_use,
        quantity=quantity,
        low_stock_at=low_stock_at,
        gtin=gtin,
    )
    try:
        with db.begin_nested():  # a savepoint: a concurrent duplicate fails here, not the whole transaction
            db.add(lot)
            db.flush()
    except IntegrityError:
        raise duplicate from None
    audit(db, actor, "write", "lot", lot.id, f"{device_name} {lot_number}")
    return lot


def find_lot(db: Session, lot_number: str, device_name: str | None = None) -> Lot | None:
    q = select(Lot).where(Lot.lot_number == lot_number)
    if device_name:
        q = q.where(Lot.device_name == device_name)
    return db.scalars(q).first()


@dataclass(frozen=True)
class RecordedRegion:
    """A region of a recorded session as stored: its lot (the row the checks read) and the overrides written."""

    id: int
    site: str
    device_name: str
    lot: Lot
    needle_length_mm: float
    passes: int
    endpoint: str
    anaesthesia: str
    topicals: str
    overrides: list[SessionOverride]

    @property
    def lot_id(self) -> int:
        return self.lot.id


@dataclass(frozen=True)
class RecordedSession:
    """A session as :func:`record_session` stored it (its rows are written by statements, not by the ORM's unit
    of work), with the same attributes as a :class:`TreatmentSession` read back: id, patient, date, pain, notes,
    plan and regions."""

    id: int
    patient_id: int
    on: date
    pain_vas: float | None
    notes: str
    plan_id: int | None
    regions: list[RecordedRegion]


# The rows of a recording, built once: a request binds its values (no unit of work, no statement to build).
_OTHER = aliased(TreatmentSession, name="other")
_NEW = TreatmentSession.__tablename__
#: The session's id, the patient's other sessions counted and the patient's first open appointment of the day (bound
#: as ``day_start`` and ``day_end``), read by the insert itself (no statement of their own). The new row is left out
#: of the count by its id, so the count does not hang on whether a database's RETURNING sees it; its columns are
#: named with the table's name, as the RETURNING clause names the inserted row.
_INSERT_SESSION = insert(TreatmentSession).returning(
    TreatmentSession.id,
    select(func.count(_OTHER.id))
    .where(
        _OTHER.patient_id == literal_column(f"{_NEW}.patient_id"),
        _OTHER.id != literal_column(f"{_NEW}.id"),
    )
    .scalar_subquery(),
    first_open_of_day(literal_column(f"{_NEW}.patient_id")).scalar_subquery(),
)
_INSERT_REGION = insert(SessionRegion).returning(SessionRegion.id, sort_by_parameter_order=True)
_INSERT_OVERRIDE = insert(SessionOverride)


@dataclass
class RegionInput:
    site: str
    lot_number: str
    needle_length_mm: float
    passes: int
    endpoint: str = "erythema"
    anaesthesia: str = ""
    topicals: str = ""
    device_name: str | None = None
    override_justification: str | None = None


@operation
def record_session(
    db: Session,
    actor: User,
    patient_id: int,
    on: date,
    regions: list[RegionInput],
    pain_vas: float | None = None,
    notes: str = "",
    adverse_events: list[dict[str, str]] | None = None,
    consent_override: str | None = None,
    require_consent: bool = True,
) -> RecordedSession:
    """Record a session that follows the patient's plan; anything else is refused with the reason.

    A session needs a valid signed consent for its procedure (:mod:`needling.clinic.consent_service`) unless a
    clinician writes ``consent_override``, a reason stored with the session and audited; ``require_consent``
    False (the setting ``NEEDLING_REQUIRE_CONSENT=0``) skips the check.

    A region whose lot is unknown, of another device than entered, expired on that date, recalled or out of
    stock is refused; the session takes one item of each single-use lot it used (:mod:`needling.clinic.stock`).
    So is a region not in the latest plan (or still deferred), a device other than the plan's for it, a needle
    longer than the plan's or the region's limit, or a date closer than the minimum interval to another session on
    that region, in the clinic or logged at home (:mod:`needling.clinic.session_guard`), unless a clinician gives a
    written justification for the region: the overridden checks are stored with it and audited. The patient's
    first booked appointment of that day is marked done (:func:`needling.clinic.appointments.complete_by_session`).

    The session, its regions and their overrides are written by three prepared inserts on the transaction's
    connection rather than by the ORM's unit of work, which cut a recording's processor time by about a tenth
    (benchmarks/bench_session_load.py); so are its audit entries (one insert, :func:`audited_together`) and the
    patient's next visit (an update, when it changed), so a plain recording flushes nothing.
    """
    require_role(actor, *STAFF)
    # Nothing read while checking and writing needs this recording's pending rows (its own are written by
    # statements): without autoflush whatever else is pending (a day's appointment marked done, a consent override)
    # goes in one flush, the one before the decrement.
    with db.no_autoflush, audited_together(db):
        session, used = _write_session(
            db, actor, patient_id, on, regions, pain_vas, notes, adverse_events, consent_override, require_consent
        )
    # One item of each single-use lot, in this transaction and last in it: the lot's row stays locked until the
    # commit, and every session of the clinic may take from the same lot (with 50 clients recording at once,
    # taking it earlier tripled the slowest recordings, benchmarks/bench_session_load.py). Its update flushes the
    # rows still pending first.
    ST.take_items(db, used)
    return session


def _write_session(
    db: Session,
    actor: User,
    patient_id: int,
    on: date,
    regions: list[RegionInput],
    pain_vas: float | None,
    notes: str,
    adverse_events: list[dict[str, str]] | None,
    consent_override: str | None,
    require_consent: bool,
) -> tuple[RecordedSession, dict[int, str]]:
    """:func:`record_session`'s checks and rows, all but the decrement: the session and the lots it takes from."""
    # A concurrent recording for this patient waits here, then sees this one. The lock reads the patient's row
    # and the lots the session names too, so get_patient finds the patient in the session (recording_reads).
    _locked, registered = RR.lock_with_lots(db, patient_id, [r.lot_number for r in regions])
    patient = get_patient(db, actor, patient_id)  # _locked holds the patient until here (the session keeps it weakly)
    not_in_future(on)
    if not regions:
        raise InputError(
            "a session needs at least one region", field="regions", msgid=N_("Tick at least one area to treat.")
        )
    if pain_vas is not None:
        check_range(
            "pain_vas", pain_vas, low=0, high=10, msgid=N_("Write the pain as a number from %(low)s to %(high)s.")
        )
    check_text("notes", notes, max_length=4000)
    # What the checks need, read once for every region in one statement after the lock: the latest plan, the past
    # sessions on the session's areas and the patient's consents (no query per region).
    reads = RR.after_lock(db, patient, [r.site for r in regions if r.site in site_names()], consents=require_consent)
    plan, histories = reads.plan, reads.histories
    checked: list[tuple[RegionInput, Lot, list[SessionOverride]]] = []
    seen: set[str] = set()
    used: dict[int, str] = {}  # lot id -> the first region that used it
    for i, r in enumerate(regions):
        where = f"regions[{i}]"
        if r.site not in site_names():
            raise unknown_name_error(
                "site", r.site, site_names(), field=f"{where}.site", msgid=N_("Choose an area from the list.")
            )
        if r.site in seen:
            raise InputError(
                f"{where}.site: {r.site} appears twice; valid: each region once per session",
                field=f"{where}.site",
                msgid=N_("An area appears twice. Enter each area once per session."),
            )
        seen.add(r.site)
        check_range(
            f"{where}.needle_length_mm",
            r.needle_length_mm,
            low=0,
            low_inclusive=False,
            high=3.0,
            unit="mm",
            msgid=N_("The needle length must be more than 0 and at most %(high)s mm."),
        )
        check_range(
            f"{where}.passes",
            r.passes,
            low=1,
            high=100,
            msgid=N_("Write the number of passes, from %(low)s to %(high)s."),
        )
        check_text(f"{where}.anaesthesia", r.anaesthesia, max_length=80)
        check_text(f"{where}.topicals", r.topicals, max_length=200)
        if r.endpoint not in ENDPOINTS:
            raise InputError(
                f"{where}.endpoint {r.endpoint!r}; valid: {', '.join(ENDPOINTS)}",
                field=f"{where}.endpoint",
                msgid=N_("Choose an endpoint from the list."),
            )
        lot = G.resolve_lot(db, where, r.lot_number, r.device_name, registered)
        if lot.recalled:
            raise InputError(
                f"{where}.lot_number: lot {lot.lot_number} is recalled ({lot.recall_reason}); use another lot",
                field=f"{where}.lot_number",
                msgid=N_("Lot %(lot)s is recalled (%(reason)s). Use another lot."),
                params={"lot": lot.lot_number, "reason": lot.recall_reason},
            )
        if lot.expiry < on:
            raise InputError(
                f"{where}.lot_number: lot {lot.lot_number} expired on {lot.expiry.isoformat()}; use another lot",
                field=f"{where}.lot_number",
                msgid=N_("Lot %(lot)s expired on %(date)s. Use another lot."),
                params={"lot": lot.lot_number, "date": lot.expiry},
            )
        ST.require_stock(lot, where)
        used.setdefault(lot.id, where)
        refusals = G.check_region(
            db,
            plan,
            patient_id,
            on,
            where,
            r.site,
            r.needle_length_mm,
            device_name=lot.device_name,
            device_field="device_name" if r.device_name else "lot_number",
            history=histories[r.site],
        )
        checked.append((r, lot, G.overrides_for(actor, where, refusals, r.override_justification, now())))
    consent = None
    if require_consent:
        from needling.clinic import consent_service  # it builds on this module's operations

        consent = consent_service.check_session_consent(
            db,
            actor,
            patient,
            plan.plan_id,
            plan.plan,
            on,
            [r.site for r in regions],
            [r.topicals for r in regions],
            consent_override,
            reads.consents,
        )
    session, done, appointment_id = _insert_session(db, actor, patient_id, on, pain_vas, notes, plan.plan_id, checked)
    # one more planned date done: the next visit moves on (the latest plan is read and validated already)
    SD.store(db, patient, plan.plan, done)
    from needling.clinic import appointments  # it builds on this module's operations

    appointments.complete_by_session(db, actor, patient_id, appointment_id)  # the day's appointment is done
    if consent is not None:
        consent_service.store_override(db, actor, session, consent)
    for region in session.regions:
        for o in region.overrides:
            audit(
                db,
                actor,
                "override",
                "session",
                session.id,
                f"{region.site} {o.check}: {o.refusal} | {o.justification}",
                patient_id=patient_id,  # so the audit log filtered by patient shows the override
            )
    for ev in adverse_events or []:
        report_adverse_event(
            db,
            actor,
            patient_id,
            ev.get("kind", ""),
            ev.get("description", ""),
            on,
            session_id=session.id,
            lot_id=session.regions[0].lot_id,
        )
    audit(
        db,
        actor,
        "write",
        "session",
        session.id,
        f"patient {patient_id}, {len(regions)} regions",
        patient_id=patient_id,
    )
    return session, used


def _insert_session(
    db: Session,
    actor: User,
    patient_id: int,
    on: date,
    pain_vas: float | None,
    notes: str,
    plan_id: int | None,
    checked: list[tuple[RegionInput, Lot, list[SessionOverride]]],
) -> tuple[RecordedSession, int, int | None]:
    """Write a checked session, its regions and their overrides with three statements; the session as stored, how
    many sessions the patient has now, this one included, and the id of the patient's first open appointment that
    day, if any (both read by the session's insert)."""
    conn = db.connection()
    row = {"patient_id": patient_id, "on": on, "clinician_id": actor.id, "pain_vas": pain_vas, "notes": notes}
    day = datetime.combine(on, time.min)
    found = {"plan_id": plan_id, "day_start": day, "day_end": day + timedelta(days=1)}
    session_id, before, appointment_id = conn.execute(_INSERT_SESSION, {**row, **found}).one()
    rows = [
        {
            "session_id": session_id,
            "site": r.site,
            "device_name": lot.device_name,
            "lot_id": lot.id,
            "needle_length_mm": r.needle_length_mm,
            "passes": r.passes,
            "endpoint": r.endpoint,
            "anaesthesia": r.anaesthesia,
            "topicals": r.topicals,
        }
        for r, lot, _ in checked
    ]
    ids = conn.execute(_INSERT_REGION, rows).scalars().all()
    overrides = [
        {
            "session_region_id": region_id,
            "check": o.check,
            "refusal": o.refusal,
            "justification": o.justification,
            "clinician_id": o.clinician_id,
            "at": o.at,
        }
        for region_id, (_, _, found) in zip(ids, checked, strict=True)
        for o in found
    ]
    if overrides:
        conn.execute(_INSERT_OVERRIDE, overrides)
    regions = [
        RecordedRegion(
            id=region_id,
            site=row["site"],
            device_name=row["device_name"],
            lot=lot,
            needle_length_mm=row["needle_length_mm"],
            passes=row["passes"],
            endpoint=row["endpoint"],
            anaesthesia=row["anaesthesia"],
            topicals=row["topicals"],
            overrides=found,
        )
        for region_id, row, (_, lot, found) in zip(ids, rows, checked, strict=True)
    ]
    return RecordedSession(session_id, patient_id, on, pain_vas, notes, plan_id, regions), before + 1, appointment_id


@operation
def session_draft(db: Session, actor: User, patient_id: int, on: date | None = None) -> dict[str, Any]:
    """The session a clinician starts from: the latest plan's regions with device, depth, limit and earliest date."""
    require_role(actor, *STAFF)
    patient = get_patient(db, actor, patient_id)
    return G.draft(db, patient, on or date.today())


@operation
def report_adverse_event(
    db: Session,
    actor: User,
    patient_id: int,
    kind: str,
    description: str,
    on: date,
    session_id: int | None = None,
    lot_id: int | None = None,
) -> AdverseEvent:
    if kind not in ADVERSE_KINDS:
        raise InputError(
            f"adverse event kind {kind!r}; valid: {', '.join(ADVERSE_KINDS)}",
            field="kind",
            msgid=N_("Choose the kind of adverse event from the list."),
        )
    if session_id is not None:
        patient_session(db, patient_id, session_id)
    ev = AdverseEvent(
        patient_id=patient_id, session_id=session_id, lot_id=lot_id, kind=kind, description=description, on=on
    )
    db.add(ev)
    db.flush()
    audit(db, actor, "write", "adverse_event", ev.id, f"{kind} (lot {lot_id})", patient_id=patient_id)
    return ev


def lot_usage(db: Session, lot_id: int, actor: User | None = None) -> list[dict[str, Any]]:
    """Every patient and session that used a lot; with ``actor``, the read is audited once per patient listed."""
    rows = db.execute(
        select(SessionRegion, TreatmentSession, Patient)
        .join(TreatmentSession, SessionRegion.session_id == TreatmentSession.id)
        .join(Patient, TreatmentSession.patient_id == Patient.id)
        .where(SessionRegion.lot_id == lot_id)
        .order_by(TreatmentSession.on)
    ).all()
    usage = [
        {"patient_id": p.id, "patient": p.name, "session_id": s.id, "date": s.on.isoformat(), "site": r.site}
        for r, s, p in rows
    ]
    if actor is not None:
        for pid in sorted({u["patient_id"] for u in usage}):
            audit(db, actor, "read", "lot-usage", lot_id, f"lot {lot_id} usage list", patient_id=pid)
    return usage


@operation
def lot_report(db: Session, actor: User, lot_id: int) -> tuple[Lot, list[dict[str, Any]], list[AdverseEvent]]:
    """A lot, every patient and session that used it (each patient's read audited), and its adverse events."""
    require_role(actor, *STAFF)
    lot = db.get(Lot, lot_id)
    if lot is None:
        raise NotFound("lot not found")
    events = list(db.scalars(select(AdverseEvent).where(AdverseEvent.lot_id == lot_id)))
    return lot, lot_usage(db, lot_id, actor), events


@operation
def report_adverse_event_by_lot(
    db: Session,
    actor: User,
    patient_id: int,
    kind: str,
    description: str,
    on: date,
    session_id: int | None,
    lot_number: str | None,
) -> AdverseEvent:
    """Report an adverse event naming the lot by its number (422 if no such lot)."""
    require_role(actor, *STAFF)
    get_patient(db, actor, patient_id)
    lot = find_lot(db, lot_number) if lot_number else None
    if lot_number and lot is None:
        raise InputError(
            f"no lot {lot_number!r}",
            field="lot_number",
            msgid=N_("There is no lot %(lot)s. Register the lot first."),
            params={"lot": lot_number},
        )
    return report_adverse_event(db, actor, patient_id, kind, description, on, session_id, lot.id if lot else None)


@operation
def get_photo(db: Session, actor: User, photo_id: int) -> Photo:
    """A photo's record, if this user may see its patient (the read is audited)."""
    ph = db.get(Photo, photo_id)
    if ph is None:
        raise NotFound("photo not found")
    get_patient(db, actor, ph.patient_id, f"photo {photo_id}")
    return ph


@operation
def recall_lot(db: Session, actor: User, lot_id: int, reason: str) -> tuple[Lot, list[dict[str, Any]]]:
    require_role(actor, *STAFF)
    lot = db.get(Lot, lot_id)
    if lot is None:
        raise NotFound(f"lot {lot_id} not found")
    if not reason or not reason.strip():
        raise InputError("a recall needs a reason", field="reason", msgid=N_("Write why the lot is recalled."))
    check_text("reason", reason, max_length=2000)
    lot.recalled, lot.recall_reason, lot.recalled_on = True, reason.strip(), date.today()
    usage = lot_usage(db, lot_id, actor)
    audit(db, actor, "write", "lot", lot_id, f"recalled: {reason}; {len(usage)} sessions affected")
    return lot, usage


@operation
def add_outcome(
    db: Session,
    actor: User,
    patient_id: int,
    on: date,
    site: str,
    gb_grade: int | None = None,
    hair_count_per_cm2: float | None = None,
    note: str = "",
) -> Outcome:
    require_role(actor, *STAFF)
    get_patient(db, actor, patient_id)
    if site not in site_names():
        raise unknown_name_error("site", site, site_names(), field="site", msgid=N_("Choose an area from the list."))
    if gb_grade is not None:
        check_range("gb_grade", gb_grade, low=0, high=4, msgid=N_("Choose a grade from %(low)s to %(high)s."))
    if hair_count_per_cm2 is not None:
        check_range(
            "hair_count_per_cm2",
            hair_count_per_cm2,
            low=0,
            high=1000,
            msgid=N_("Write the hair count per cm² as a number from %(low)s to %(high)s."),
        )
    not_in_future(on)
    check_text("note", note, max_length=2000)
    o = Outcome(
        patient_id=patient_id, on=on, site=site, gb_grade=gb_grade, hair_count_per_cm2=hair_count_per_cm2, note=note
    )
    db.add(o)
    db.flush()
    audit(db, actor, "write", "outcome", o.id, f"patient {patient_id}", patient_id=patient_id)
    return o


@operation
def patient_record(db: Session, actor: User, patient_id: int, what: str = "record") -> dict[str, Any]:
    """Everything about a patient, for pages, the API and exports (``what``: the audited form of the read)."""
    patient = get_patient(db, actor, patient_id, what)
    sessions = list(
        db.scalars(
            select(TreatmentSession)
            .options(
                selectinload(TreatmentSession.regions).selectinload(SessionRegion.lot),
                selectinload(TreatmentSession.regions).selectinload(SessionRegion.overrides),
            )
            .where(TreatmentSession.patient_id == patient_id)
            .order_by(TreatmentSession.on)
        )
    )
    outcomes = list(db.scalars(select(Outcome).where(Outcome.patient_id == patient_id).order_by(Outcome.on)))
    photos = list(db.scalars(select(Photo).where(Photo.patient_id == patient_id).order_by(Photo.taken, Photo.id)))
    events = list(db.scalars(select(AdverseEvent).where(AdverseEvent.patient_id == patient_id)))
    consultations = list(
        db.scalars(select(Consultation).where(Consultation.patient_id == patient_id).order_by(Consultation.id))
    )
    plan = latest_plan(db, patient_id)
    return {
        "patient": patient,
        "sessions": sessions,
        "outcomes": outcomes,
        "photos": photos,
        "events": events,
        "consultations": consultations,
        "plan": plan,
        "schedule": schedule(plan, sessions),
        "recalls": ST.recall_notices(sessions),  # recalled lots used on this patient, one per session
    }


def schedule(plan: PlanRecord | None, sessions: list[TreatmentSession]) -> dict[str, Any]:
    """The series' dates and the next one due (the first planned date not yet matched by a session)."""
    if plan is None:
        return {"dates": [], "done": len(sessions), "next_due": None}
    dates = plan.typed().series.dates
    done = len(sessions)
    return {"dates": dates, "done": done, "next_due": dates[done] if done < len(dates) else None}
