"""Reading a patient's intake history: the versions, who saved each, and the plans made from each (one operation)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from needling.clinic import intake_versions as IV
from needling.clinic import services as S
from needling.clinic.models import Patient, PlanRecord, User
from needling.clinic.record_models import IntakeVersion
from needling.clinic.roles import STAFF
from needling.clinic.transactions import operation


@dataclass
class IntakeHistory:
    """A patient's intake versions (newest first), their authors' names by id, and the plans of each version."""

    patient: Patient
    versions: list[IntakeVersion]
    authors: dict[int, str]
    plans: dict[int, list[PlanRecord]]


@operation
def intake_history(db: Session, actor: User, patient_id: int) -> IntakeHistory:
    """The history of a patient's intake (the read audited); version 1 is made from the stored intake if missing."""
    S.require_role(actor, *STAFF)
    patient = S.get_patient(db, actor, patient_id, "intake history")
    IV.ensure_first(db, patient)
    items = IV.versions(db, patient_id)
    ids = {v.created_by_id for v in items if v.created_by_id is not None}
    authors = {u.id: u.name for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    plans: dict[int, list[PlanRecord]] = {}
    for p in db.scalars(select(PlanRecord).where(PlanRecord.patient_id == patient_id).order_by(PlanRecord.id)):
        if p.intake_version_id is not None:
            plans.setdefault(p.intake_version_id, []).append(p)
    return IntakeHistory(patient, items, authors, plans)


@operation
def intake_version(db: Session, actor: User, patient_id: int, number: int) -> IntakeVersion:
    """One version of a patient's intake, with its changes from the one before (the read audited).

    Raises
    ------
    NotFound
        when the patient's intake has no version ``number``.
    """
    S.require_role(actor, *STAFF)
    patient = S.get_patient(db, actor, patient_id, "intake version")
    IV.ensure_first(db, patient)
    version = db.scalars(
        select(IntakeVersion).where(IntakeVersion.patient_id == patient_id, IntakeVersion.number == number)
    ).first()
    if version is None:
        raise S.NotFound(f"version {number} of patient {patient_id}'s intake not found", patient_id=patient_id)
    return version


def plan_intake_version(db: Session, plan: PlanRecord | None) -> IntakeVersion | None:
    """The intake version a plan was made from (None for a plan made before versions were kept)."""
    if plan is None or plan.intake_version_id is None:
        return None
    return db.get(IntakeVersion, plan.intake_version_id)
