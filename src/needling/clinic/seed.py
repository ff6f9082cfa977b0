"""The demonstration clinic: users with random passwords (printed once), lots and a demo patient."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from needling.clinic import services as S
from needling.clinic.accounts import create_user
from needling.clinic.models import Lot, Patient, User
from needling.clinic.roles import Role

DEMO_INTAKE = {
    "patient": {"age": 29, "sex": "female", "fitzpatrick": 4},
    "conditions": ["history-of-herpes-labialis"],
    "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
    "setting": "clinic",
}


def seed_if_empty(db: Session) -> dict[str, str] | None:
    """Create the demonstration clinic on first run; return the log-ins (to print once) or None."""
    if db.scalars(select(User).limit(1)).first() is not None:
        return None
    # 16 random URL-safe characters (96 bits): well above the policy's 12 and in no list of common passwords.
    logins = {role: secrets.token_urlsafe(12) for role in Role}
    admin = create_user(db, "admin@demo.clinic", "Ada Admin", Role.ADMIN, logins[Role.ADMIN])
    create_user(db, "clinician@demo.clinic", "Dr Clara Clinician", Role.CLINICIAN, logins[Role.CLINICIAN])
    patient = Patient(name="Pat Demo", intake=DEMO_INTAKE, created=S.now())
    db.add(patient)
    db.flush()
    create_user(db, "patient@demo.clinic", "Pat Demo", Role.PATIENT, logins[Role.PATIENT], patient_id=patient.id)
    today = date.today()
    for device, lot, days in (
        ("dermaroller-192-1.5", "DR15-2026-A", 365),
        ("dermaroller-192-0.5", "DR05-2026-B", 365),
        ("dermapen-11", "PEN11-2026-C", 200),
        ("dermaroller-192-1.0", "DR10-OLD", -10),
    ):
        db.add(Lot(lot_number=lot, device_name=device, expiry=today + timedelta(days=days), single_use=True))
    S.audit(db, admin, "write", "clinic", "", "demonstration clinic seeded")
    db.commit()
    return {f"{role}@demo.clinic": pw for role, pw in logins.items()}
