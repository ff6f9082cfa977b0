"""What recording a session reads, in two statements: the patient locked with the lots named, then the rest.

Every statement of a recording is a round trip made while the patient's row is locked, and each costs the server
some processor time whatever it reads (the statement's execution context, its result, the thread's wait for the
interpreter's lock after the answer; benchmarks/bench_session_load.py). A recording read its patient, its latest
plan, the lots it names, the past sessions on its areas and the patient's consents in five statements; here it is
two, on PostgreSQL and SQLite alike:

1. :func:`lock_with_lots`: the patient's row locked and read (``SELECT ... FOR UPDATE OF patients`` on
   PostgreSQL; on SQLite a no-op update takes the database's write lock first) with the lots the session names
   joined to it. A lot is not the patient's, so reading it in the statement that may wait for the lock changes
   nothing the checks rely on: its count is taken by a guarded decrement at the end (:mod:`needling.clinic.stock`).
2. :func:`after_lock`: the latest plan, the areas' clinic sessions and home-care logs, and the patient's consents,
   as one ``UNION ALL`` of rows of one shape, read after the lock, so they include whatever a recording that held
   the lock before committed (PostgreSQL's READ COMMITTED takes a statement's snapshot when the statement starts:
   read in the locking statement, they could miss it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal_column,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from needling.clinic.consent_models import Consent, ConsentWithdrawal
from needling.clinic.models import HomeLog, Lot, Patient, PlanRecord, SessionRegion, TreatmentSession
from needling.clinic.session_guard import PastSession, PlanContext, plan_context_of
from needling.clinic.transactions import core_execute

_NUMBERS = bindparam("numbers", expanding=True)
_SITES = bindparam("sites", expanding=True)
_PATIENT = bindparam("patient_id")

#: The patient with the lots named (one row per lot; one row with no lot when none is registered), the patient's
#: row locked on PostgreSQL; SQLite renders no ``FOR UPDATE`` (its lock is :data:`_TAKE_SQLITE_LOCK`'s).
_LOCK_WITH_LOTS = (
    select(Patient, Lot)
    .outerjoin(Lot, Lot.lot_number.in_(_NUMBERS))
    .where(Patient.id == _PATIENT)
    .order_by(Lot.id)
    .with_for_update(of=Patient)
    .execution_options(populate_existing=True)
)
_TAKE_SQLITE_LOCK = update(Patient).where(Patient.id == _PATIENT).values(id=Patient.id)

# The rows of :func:`after_lock`, told apart by their first column.
_PLAN, _CLINIC, _HOME, _CONSENT = 0, 1, 2, 3


def _row(
    kind: int,
    *,
    n1: Any = None,
    n2: Any = None,
    n3: Any = None,
    text: Any = None,
    on: Any = None,
    at: Any = None,
    mm: Any = None,
    flag: Any = None,
    doc: Any = None,
) -> list[Any]:
    """The columns of one branch of :data:`_AFTER_LOCK`, each absent one a typed NULL (the union's columns take
    the first branch's types, which turn a date, a time or a document stored as text on SQLite back into one)."""

    def typed(value: Any, type_: Any) -> Any:
        return cast(null(), type_) if value is None else value

    return [
        literal_column(str(kind), Integer).label("kind"),
        typed(n1, Integer).label("n1"),
        typed(n2, Integer).label("n2"),
        typed(n3, Integer).label("n3"),
        typed(text, String).label("text"),
        typed(on, Date).label("on"),
        typed(at, DateTime).label("at"),
        typed(mm, Float).label("mm"),
        typed(flag, Boolean).label("flag"),
        typed(doc, PlanRecord.plan.type).label("doc"),
    ]


def _after_lock(with_consents: bool):
    latest = select(func.max(PlanRecord.id)).where(PlanRecord.patient_id == _PATIENT).scalar_subquery()
    branches = [
        select(*_row(_PLAN, n1=PlanRecord.id, text=PlanRecord.decision, doc=PlanRecord.plan)).where(
            PlanRecord.id == latest
        ),
        select(*_row(_CLINIC, text=SessionRegion.site, on=TreatmentSession.on, mm=SessionRegion.needle_length_mm))
        .join(SessionRegion, SessionRegion.session_id == TreatmentSession.id)
        .where(TreatmentSession.patient_id == _PATIENT, SessionRegion.site.in_(_SITES)),
        select(*_row(_HOME, text=HomeLog.area, on=HomeLog.on, mm=HomeLog.needle_length_mm)).where(
            HomeLog.patient_id == _PATIENT, HomeLog.area.in_(_SITES)
        ),
    ]
    if with_consents:
        withdrawn = exists().where(ConsentWithdrawal.consent_id == Consent.id)
        branches.append(
            select(
                *_row(
                    _CONSENT,
                    n1=Consent.id,
                    n2=Consent.plan_id,
                    n3=Consent.supersedes_id,
                    text=Consent.procedure,
                    at=Consent.signed_at,
                    flag=case((withdrawn, True), else_=False),
                )
            ).where(Consent.patient_id == _PATIENT)
        )
    return union_all(*branches)


_AFTER_LOCK = {True: _after_lock(True), False: _after_lock(False)}


@dataclass(frozen=True)
class ConsentTerms:
    """The few columns of a stored consent the session check reads (not its text or drawn signature)."""

    id: int
    procedure: str
    plan_id: int
    signed_at: datetime
    supersedes_id: int | None
    withdrawn: bool


@dataclass(frozen=True)
class AfterLock:
    """What :func:`after_lock` read: the plan the session is checked against, the past sessions on each area
    (clinic sessions first, then home-care logs), and the patient's consents, newest first (empty when not read)."""

    plan: PlanContext
    histories: dict[str, list[PastSession]]
    consents: list[ConsentTerms]


def lock_with_lots(db: Session, patient_id: int, lot_numbers: list[str]) -> tuple[Patient | None, list[Lot]]:
    """Lock the patient for the rest of the transaction; the patient (None if there is none) and every registered
    lot whose number is one of ``lot_numbers`` (stripped), in one statement (two on SQLite, whose lock is a write).

    A concurrent recording for this patient waits here until this transaction ends, then reads what it wrote.
    The patient is then in the session's identity map, so ``db.get`` needs no query.
    """
    if db.get_bind().dialect.name == "sqlite":
        db.execute(_TAKE_SQLITE_LOCK, {"patient_id": patient_id})
    wanted = sorted({n.strip() for n in lot_numbers})
    rows = db.execute(_LOCK_WITH_LOTS, {"patient_id": patient_id, "numbers": wanted}).all()
    if not rows:
        return None, []
    return rows[0][0], [lot for _, lot in rows if lot is not None]


def after_lock(db: Session, patient: Patient, sites: list[str], *, consents: bool) -> AfterLock:
    """The latest plan, the past sessions on ``sites`` and (if ``consents``) the patient's consents, in one
    statement; call it after :func:`lock_with_lots`."""
    wanted = sorted(set(sites))
    params = {"patient_id": patient.id, "sites": wanted}
    plan_row = None
    histories: dict[str, list[PastSession]] = {site: [] for site in wanted}
    home: list[tuple[str, PastSession]] = []
    terms: list[ConsentTerms] = []
    for r in core_execute(db, _AFTER_LOCK[consents], params):
        if r.kind == _PLAN:
            plan_row = r
        elif r.kind == _CLINIC:
            histories[r.text].append(PastSession(r.on, r.mm))
        elif r.kind == _HOME:
            home.append((r.text, PastSession(r.on, r.mm, home=True)))
        else:
            terms.append(ConsentTerms(r.n1, r.text, r.n2, r.at, r.n3, bool(r.flag)))
    for site, past in home:  # the clinic's first, as the checks read them
        histories[site].append(past)
    terms.sort(key=lambda t: t.id, reverse=True)
    plan = plan_context_of(patient, None if plan_row is None else (plan_row.n1, plan_row.text, plan_row.doc))
    return AfterLock(plan, histories, terms)
