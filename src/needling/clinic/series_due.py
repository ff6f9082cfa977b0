"""Each patient's next planned session, kept on the patient so the dashboard reads it from an indexed column.

The next visit is the first date of the latest plan's series not yet matched by a recorded session (as on the
patient's page, :func:`needling.clinic.services.schedule`). Computing it for every patient on each dashboard
request read every plan and counted every session: 1.2 s with 10,000 patients and 100,000 sessions
(``benchmarks/bench_dashboard.py``). The services keep it instead, in the transaction that makes a plan or records
a session (:func:`refresh`); migration ``0013`` filled it for the records made before.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from needling.clinic.models import Patient, PlanRecord, TreatmentSession
from needling.planner.plan_model import Plan


def next_due(dates: list[str], done: int) -> tuple[date, int, int] | None:
    """The next planned date of a series after ``done`` sessions, its number (from 1) and the series' length.

    Parameters
    ----------
    dates : list of str
        The series' planned dates (ISO), in order.
    done : int
        Sessions recorded for the patient.

    Returns
    -------
    tuple of (date, int, int) or None
        ``(date, number, length)``, or None when nothing is planned or every planned session is done.
    """
    if done >= len(dates):
        return None
    return date.fromisoformat(dates[done]), done + 1, len(dates)


_DONE = select(func.count(TreatmentSession.id)).where(TreatmentSession.patient_id == bindparam("patient_id"))
"""The number of a patient's sessions;
built once, so a request binds its values and builds neither the statement nor its cache key."""


def refresh(db: Session, patient: Patient, latest: PlanRecord | Plan | bool | None = True) -> None:
    """Set the patient's next due session from their latest plan and their sessions, in the caller's transaction.

    ``latest`` is the patient's latest plan (or None) when the caller has read it already, as stored or as the
    typed plan read from it (then it is not validated again); True reads it.
    """
    plan = (
        db.scalars(
            select(PlanRecord).where(PlanRecord.patient_id == patient.id).order_by(PlanRecord.id.desc()).limit(1)
        ).first()
        if latest is True
        else latest or None
    )
    done = db.scalar(_DONE, {"patient_id": patient.id}) or 0
    typed = plan.typed() if isinstance(plan, PlanRecord) else plan
    patient.next_due_on, patient.next_due_number, patient.series_length = _due(typed, done)


def _due(plan: Plan | None, done: int) -> tuple[date | None, int | None, int | None]:
    series = plan.series if plan is not None else None
    due = next_due(list(series.dates), done) if series is not None else None
    return due if due else (None, None, None)


_SET_DUE = (
    update(Patient)
    .where(Patient.id == bindparam("patient_id"))
    .values(next_due_on=bindparam("due_on"), next_due_number=bindparam("due_number"), series_length=bindparam("length"))
)
_DUE = ("next_due_on", "next_due_number", "series_length")


def store(db: Session, patient: Patient, plan: Plan | None, done: int) -> None:
    """As :func:`refresh`, when the caller has read the latest plan and counted the patient's sessions (``done``,
    this one included): the next visit is written at once by one update on the transaction's connection, and only
    if it changed, so it needs no flush of the unit of work (a recording's, :func:`needling.clinic.services.
    record_session`)."""
    due = _due(plan, done)
    if due != tuple(getattr(patient, name) for name in _DUE):
        values = {"patient_id": patient.id, "due_on": due[0], "due_number": due[1], "length": due[2]}
        db.connection().execute(_SET_DUE, values)
    for name, value in zip(_DUE, due, strict=True):
        set_committed_value(patient, name, value)  # as stored now: nothing left for a flush to write
