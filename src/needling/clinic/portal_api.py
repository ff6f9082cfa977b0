"""API of the home-care portal (patients) and of home-care oversight (clinicians)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from needling.clinic import homecare as H
from needling.clinic.deps import current_user, get_db
from needling.clinic.models import User

router = APIRouter(prefix="/api")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PrescriptionIn(Strict):
    device_name: str
    needle_length_mm: float = Field(gt=0, le=3.0)
    frequency_days: int = Field(ge=1, le=90)
    areas: list[str] = Field(min_length=1, max_length=14)
    topical: str = Field(default="", max_length=200)


class DeviceIn(Strict):
    device_name: str
    needle_length_mm: float = Field(gt=0, le=3.0)
    lot_or_serial: str = Field(default="", max_length=80)
    first_use: date


class LogIn(Strict):
    date: date
    area: str
    device_id: int
    passes: int = Field(ge=1, le=50)
    pain: float | None = Field(default=None, ge=0, le=10)
    reactions: list[str] = Field(default_factory=list, max_length=10)
    needle_length_mm: float | None = Field(default=None, gt=0, le=3.0)


class InspectionIn(Strict):
    defects: list[str] = Field(default_factory=list, max_length=5)


def _rx(p) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "id": p.id,
        "device_name": p.device_name,
        "needle_length_mm": p.needle_length_mm,
        "frequency_days": p.frequency_days,
        "areas": p.areas,
        "topical": p.topical,
        "pause_days": p.pause_days,
    }


@router.post("/patients/{patient_id}/home-prescription", status_code=201)
def prescribe(
    patient_id: int, body: PrescriptionIn, user: User = Depends(current_user), db: Session = Depends(get_db)
) -> dict[str, Any]:
    """Prescribe home care (device within the home needle limit, frequency, areas, topical)."""
    p = H.prescribe(
        db, user, patient_id, body.device_name, body.needle_length_mm, body.frequency_days, body.areas, body.topical
    )
    db.commit()
    return _rx(p)


@router.get("/patients/{patient_id}/alerts")
def patient_alerts(patient_id: int, user: User = Depends(current_user), db: Session = Depends(get_db)):
    return [
        {
            "id": a.id,
            "rule": a.rule,
            "severity": a.severity,
            "message": a.message,
            "created": a.created.isoformat(),
            "acknowledged": a.acknowledged,
        }
        for a in H.alerts(db, user, patient_id)
    ]


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(alert_id: int, user: User = Depends(current_user), db: Session = Depends(get_db)):
    a = H.acknowledge(db, user, alert_id)
    db.commit()
    return {"id": a.id, "acknowledged": True}


@router.get("/portal")
def portal(user: User = Depends(current_user), db: Session = Depends(get_db)) -> dict[str, Any]:
    """The patient's prescription, devices, logs and the next date home needling is allowed."""
    st = H.portal_state(db, user)
    db.commit()
    return {
        "prescription": _rx(st["prescription"]),
        "devices": [
            {
                "id": d.id,
                "device_name": d.device_name,
                "needle_length_mm": d.needle_length_mm,
                "lot_or_serial": d.lot_or_serial,
                "first_use": d.first_use.isoformat(),
                "uses": n,
                "retired": d.retired,
                "failed": defects,
            }
            for d, n, defects in st["devices"]
        ],
        "logs": [
            {"id": g.id, "date": g.on.isoformat(), "area": g.area, "passes": g.passes, "findings": g.findings}
            for g in st["logs"]
        ],
        "next_allowed": st["next_allowed"].isoformat() if st["next_allowed"] else None,
    }


@router.post("/portal/devices", status_code=201)
def register_device(body: DeviceIn, user: User = Depends(current_user), db: Session = Depends(get_db)):
    d = H.register_device(db, user, body.device_name, body.needle_length_mm, body.lot_or_serial, body.first_use)
    db.commit()
    return {"id": d.id}


@router.post("/portal/logs", status_code=201)
def log(body: LogIn, user: User = Depends(current_user), db: Session = Depends(get_db)) -> dict[str, Any]:
    """Log a home session; the answer carries the warnings (each with its rule, sources and grade)."""
    entry, findings = H.log_session(
        db, user, body.date, body.area, body.device_id, body.passes, body.pain, body.reactions, body.needle_length_mm
    )
    db.commit()
    return {"id": entry.id, "warnings": findings}


@router.post("/portal/devices/{device_id}/inspections", status_code=201)
def inspect(device_id: int, body: InspectionIn, user: User = Depends(current_user), db: Session = Depends(get_db)):
    ins = H.inspect(db, user, device_id, body.defects)
    db.commit()
    return {"id": ins.id, "advice": ins.advice}
