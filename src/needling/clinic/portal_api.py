"""API of the home-care portal (patients) and of home-care oversight (clinicians)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi import Path as PathParam
from pydantic import Field

from needling.clinic import api_schema as A
from needling.clinic import homecare as H
from needling.clinic.api_schema import MAX_ID, Id, Strict, column_text, responses, text
from needling.clinic.deps import CurrentUser, DbSession
from needling.clinic.models import HomeDevice, HomeLog, HomePrescription

router = APIRouter(prefix="/api")


class PrescriptionIn(Strict):
    device_name: column_text(HomePrescription.device_name, min_length=1)
    needle_length_mm: float = Field(gt=0, le=3.0)
    frequency_days: int = Field(ge=1, le=90)
    areas: list[column_text(HomeLog.area, min_length=1)] = Field(min_length=1, max_length=14)
    topical: column_text(HomePrescription.topical) = ""


class DeviceIn(Strict):
    device_name: column_text(HomeDevice.device_name, min_length=1)
    needle_length_mm: float = Field(gt=0, le=3.0)
    lot_or_serial: column_text(HomeDevice.lot_or_serial) = ""
    first_use: date


class LogIn(Strict):
    date: date
    area: column_text(HomeLog.area, min_length=1)
    device_id: Id
    passes: int = Field(ge=1, le=50)
    pain: float | None = Field(default=None, ge=0, le=10)
    reactions: list[text(40)] = Field(default_factory=list, max_length=10)
    needle_length_mm: float | None = Field(default=None, gt=0, le=3.0)


class InspectionIn(Strict):
    defects: list[text(40)] = Field(default_factory=list, max_length=5)


PatientId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="A patient's id")]
AlertId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="An alert's id")]
DeviceId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="A registered home device's id")]


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


@router.post(
    "/patients/{patient_id}/home-prescription",
    status_code=201,
    response_model=A.PrescriptionOut,
    responses=responses(),
)
def prescribe(patient_id: PatientId, body: PrescriptionIn, user: CurrentUser, db: DbSession) -> dict[str, Any]:
    """Prescribe home care (device within the home needle limit, frequency, areas, topical)."""
    p = H.prescribe(
        db, user, patient_id, body.device_name, body.needle_length_mm, body.frequency_days, body.areas, body.topical
    )
    return _rx(p)


@router.get("/patients/{patient_id}/alerts", response_model=list[A.AlertOut], responses=responses())
def patient_alerts(patient_id: PatientId, user: CurrentUser, db: DbSession):
    out = [
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
    return out


@router.post("/alerts/{alert_id}/acknowledge", response_model=A.AcknowledgedOut, responses=responses())
def acknowledge(alert_id: AlertId, user: CurrentUser, db: DbSession):
    a = H.acknowledge(db, user, alert_id)
    return {"id": a.id, "acknowledged": True}


@router.get("/portal", response_model=A.PortalOut, responses=responses(found=False))
def portal(user: CurrentUser, db: DbSession) -> dict[str, Any]:
    """The patient's prescription, devices, logs and the next date home needling is allowed."""
    st = H.portal_state(db, user)
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


@router.post("/portal/devices", status_code=201, response_model=A.IdOut, responses=responses(found=False))
def register_device(body: DeviceIn, user: CurrentUser, db: DbSession):
    d = H.register_device(db, user, body.device_name, body.needle_length_mm, body.lot_or_serial, body.first_use)
    return {"id": d.id}


@router.post("/portal/logs", status_code=201, response_model=A.HomeLogOut, responses=responses(found=False))
def log(body: LogIn, user: CurrentUser, db: DbSession) -> dict[str, Any]:
    """Log a home session; the answer carries the warnings (each with its rule, sources and grade)."""
    entry, findings = H.log_session(
        db, user, body.date, body.area, body.device_id, body.passes, body.pain, body.reactions, body.needle_length_mm
    )
    return {"id": entry.id, "warnings": findings}


@router.post(
    "/portal/devices/{device_id}/inspections",
    status_code=201,
    response_model=A.InspectionOut,
    responses=responses(found=False),
)
def inspect(device_id: DeviceId, body: InspectionIn, user: CurrentUser, db: DbSession):
    ins = H.inspect(db, user, device_id, body.defects)
    return {"id": ins.id, "advice": ins.advice}
