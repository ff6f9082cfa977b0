"""Intake versions: every saved intake kept whole, with who saved it, when and what changed from the one before.

The service (:mod:`needling.clinic.services`) calls :func:`record` whenever it stores an intake, in the same
transaction; a plan records the version it was made from (:func:`current`). A patient stored before versions
were kept, or added without the service (the demonstration seed), gets version 1 from its stored intake the
first time a version is needed (:func:`ensure_first`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from needling.clinic.models import Patient, User
from needling.clinic.record_models import IntakeVersion
from needling.errors import InputError

#: The sections of an intake, in the order the changes are listed.
SECTIONS = ("patient", "medications", "conditions", "procedures", "goals", "setting", "devices")


def _clean(item: Any) -> Any:
    """An item without its empty keys, so ``{"name": "x", "route": None}`` equals ``{"name": "x"}``."""
    if isinstance(item, dict):
        return {k: v for k, v in item.items() if v not in (None, "")}
    return item


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """The changes from one intake to the next, each ``{"section", "kind", "before", "after"}``.

    Person fields are compared one by one (``kind`` ``changed``, with ``field``); list sections item by item
    (``added``, ``removed``; an item is kept whole: a medication with its code, route and last dose, a procedure
    with its date and region, a goal with its grade), so the page words it in the reader's language; the setting
    as one value. ``before`` None gives no changes.
    """
    if before is None:
        return []
    out: list[dict[str, Any]] = []
    old_p, new_p = before.get("patient", {}), after.get("patient", {})
    for key in ("age", "sex", "fitzpatrick", "pregnant", "breastfeeding"):
        a, b = old_p.get(key, False if key in ("pregnant", "breastfeeding") else None), new_p.get(key)
        if b is None and key in ("pregnant", "breastfeeding"):
            b = False
        if a != b:
            out.append({"section": "patient", "field": key, "kind": "changed", "before": a, "after": b})
    for section in ("medications", "conditions", "procedures", "goals", "devices"):
        old, new = [_clean(x) for x in before.get(section, [])], [_clean(x) for x in after.get(section, [])]
        out += [{"section": section, "kind": "removed", "before": x, "after": None} for x in old if x not in new]
        out += [{"section": section, "kind": "added", "before": None, "after": x} for x in new if x not in old]
    a, b = before.get("setting", "clinic"), after.get("setting", "clinic")
    if a != b:
        out.append({"section": "setting", "kind": "changed", "before": a, "after": b})
    return out


def versions(db: Session, patient_id: int) -> list[IntakeVersion]:
    """A patient's intake versions, newest first."""
    return list(
        db.scalars(
            select(IntakeVersion).where(IntakeVersion.patient_id == patient_id).order_by(IntakeVersion.number.desc())
        )
    )


def current(db: Session, patient_id: int) -> IntakeVersion | None:
    """The newest version of a patient's intake, None if none was kept."""
    return db.scalars(
        select(IntakeVersion)
        .where(IntakeVersion.patient_id == patient_id)
        .order_by(IntakeVersion.number.desc())
        .limit(1)
    ).first()


def ensure_first(db: Session, patient: Patient) -> IntakeVersion:
    """The newest version, or version 1 made now from the stored intake (dated when the patient was created)."""
    latest = current(db, patient.id)
    if latest is not None:
        return latest
    first = IntakeVersion(
        patient_id=patient.id, number=1, intake=patient.intake, changes=[], created_at=patient.created
    )
    db.add(first)
    db.flush()
    return first


def record(
    db: Session, actor: User, patient: Patient, intake: dict[str, Any], at: datetime, base: int | None = None
) -> IntakeVersion:
    """Store ``intake`` as the patient's next version (the caller has validated it and audits the write).

    A new patient's first intake is version 1; before changing a stored intake, the caller makes sure its
    first version exists (:func:`ensure_first`), so the change is listed against it.

    ``base`` is the version number the form was opened on: when another version was saved since, the save is
    refused (nothing is overwritten unseen). The unique (patient, number) constraint backs this when two saves
    race.
    """
    latest = current(db, patient.id)
    if base is not None and latest is not None and base != latest.number:
        raise InputError(
            f"version: the intake was changed meanwhile (version {latest.number}, you opened version {base}); "
            "valid: reload the form and make your change again",
            field="version",
        )
    number = (latest.number if latest else 0) + 1
    version = IntakeVersion(
        patient_id=patient.id,
        number=number,
        intake=intake,
        changes=diff(latest.intake if latest else None, intake),
        created_at=at,
        created_by_id=actor.id,
    )
    db.add(version)
    db.flush()
    return version


def count(db: Session, patient_id: int) -> int:
    """How many versions a patient's intake has."""
    return int(db.scalar(select(func.count()).where(IntakeVersion.patient_id == patient_id)) or 0)
