"""Home care: the clinician's prescription, the patient's devices, logs and inspections, and alerts.

Every log is checked by the cited home rules (``needling.planner.home_rules``); a finding is a warning
for the patient and an alert for the clinic. A broken needle becomes an adverse event linked to the
device's lot, so it counts in the lot's recall view. Nothing is stored when the input is invalid.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from needling.anatomy import site_names
from needling.clinic import services as S
from needling.clinic.models import (
    Alert,
    HomeDevice,
    HomeLog,
    HomePrescription,
    Inspection,
    TreatmentSession,
    User,
)
from needling.clinic.roles import STAFF, Role
from needling.clinic.transactions import operation
from needling.devices import HOME_NEEDLE_LIMIT, device_names, list_devices
from needling.errors import InputError, Words, check_range, check_text, unknown_name_error
from needling.i18n import N_
from needling.planner.home_rules import (
    DEFECTS,
    REACTIONS,
    REPLACE_AFTER_DAYS,
    REPLACE_AFTER_USES,
    check_home_log,
    inspection_advice,
    stored_finding_text,
)
from needling.planner.plan import min_interval_weeks
from needling.planner.protocol_table import HOME_PAUSE_DAYS

NEEDLE = N_("The needle length must be more than 0 and at most %(high)s mm.")


def active_prescription(db: Session, patient_id: int) -> HomePrescription | None:
    return db.scalars(
        select(HomePrescription)
        .where(HomePrescription.patient_id == patient_id, HomePrescription.active)
        .order_by(HomePrescription.id.desc())
    ).first()


@operation
def prescribe(
    db: Session,
    actor: User,
    patient_id: int,
    device_name: str,
    needle_length_mm: float,
    frequency_days: int,
    areas: list[str],
    topical: str = "",
) -> HomePrescription:
    """The clinician's home prescription; the device must be within the home needle limit."""
    S.require_role(actor, *STAFF)
    S.get_patient(db, actor, patient_id)
    if device_name not in device_names():
        raise unknown_name_error(
            "device", device_name, device_names(), field="device_name", msgid=N_("Choose a device from the list.")
        )
    check_range(
        "needle_length_mm",
        needle_length_mm,
        low=0.0,
        low_inclusive=False,
        high=HOME_NEEDLE_LIMIT.value,
        unit="mm",
        msgid=N_("For home use the needle length must be more than 0 and at most %(high)s mm."),
    )
    if not areas:
        raise InputError(
            "a prescription needs at least one area", field="areas", msgid=N_("Write at least one area to treat.")
        )
    for a in areas:
        if a not in site_names():
            error = unknown_name_error("area", a, site_names(), field="areas")
            error.msgid = N_("%(area)s is not an area. Write the areas with commas between, such as %(example)s.")
            error.params = {"area": a[:40], "example": Words(N_("cheek, forehead"))}
            raise error
    minimum = round(7 * min_interval_weeks(needle_length_mm, areas[0])[0])
    check_range(
        "frequency_days",
        frequency_days,
        low=max(1, minimum),
        high=90,
        unit="days",
        msgid=N_("Write how many days apart, from %(low)s to %(high)s."),
    )
    for old in db.scalars(
        select(HomePrescription).where(HomePrescription.patient_id == patient_id, HomePrescription.active)
    ):
        old.active = False
    p = HomePrescription(
        patient_id=patient_id,
        created=S.now(),
        clinician_id=actor.id,
        device_name=device_name,
        needle_length_mm=needle_length_mm,
        frequency_days=frequency_days,
        areas=areas,
        topical=topical,
        pause_days=int(HOME_PAUSE_DAYS.value),
        active=True,
    )
    db.add(p)
    db.flush()
    S.audit(db, actor, "write", "home_prescription", p.id, f"patient {patient_id}")
    return p


def _own_patient(actor: User) -> int:
    if actor.role != Role.PATIENT or not actor.patient_id:
        raise S.Forbidden("only a patient logs home care", N_("Only the patient logs home care."))
    return actor.patient_id


@operation
def register_device(
    db: Session, actor: User, device_name: str, needle_length_mm: float, lot_or_serial: str, first_use: date
) -> HomeDevice:
    pid = _own_patient(actor)
    if device_name not in device_names():
        raise unknown_name_error(
            "device", device_name, device_names(), field="device_name", msgid=N_("Choose a device from the list.")
        )
    check_range("needle_length_mm", needle_length_mm, low=0.0, low_inclusive=False, high=3.0, unit="mm", msgid=NEEDLE)
    check_text("lot_or_serial", lot_or_serial, max_length=80)
    if first_use > date.today():
        raise InputError(
            f"first_use {first_use.isoformat()} is in the future; valid: today or earlier",
            field="first_use",
            msgid=N_("The first day of use is in the future. Choose today or an earlier day."),
        )
    d = HomeDevice(
        patient_id=pid,
        device_name=device_name,
        needle_length_mm=needle_length_mm,
        lot_or_serial=lot_or_serial.strip()[:80],
        first_use=first_use,
    )
    db.add(d)
    db.flush()
    S.audit(db, actor, "write", "home_device", d.id, device_name)
    return d


def _device(db: Session, actor: User, device_id: int) -> HomeDevice:
    d = db.get(HomeDevice, device_id)
    if d is None or d.patient_id != actor.patient_id:
        raise InputError(
            f"unknown device {device_id}; valid: one of your registered devices",
            field="device_id",
            msgid=N_("Choose one of your registered devices."),
        )
    return d


def uses(db: Session, device_id: int) -> int:
    return len(db.scalars(select(HomeLog.id).where(HomeLog.device_id == device_id)).all())


def failed_defects(db: Session, device_id: int) -> list[str]:
    last = db.scalars(
        select(Inspection).where(Inspection.device_id == device_id).order_by(Inspection.id.desc())
    ).first()
    return list(last.defects) if last else []


def clinic_dates(db: Session, patient_id: int) -> list[date]:
    """Clinic sessions done and planned, and peels planned between them."""
    out = [s.on for s in db.scalars(select(TreatmentSession).where(TreatmentSession.patient_id == patient_id))]
    plan = S.latest_plan(db, patient_id)
    if plan is not None:
        typed = plan.typed()
        planned = [date.fromisoformat(d) for d in typed.series.dates]
        out += planned
        for c in typed.combination:
            if c.offset_weeks:
                out += [d + timedelta(weeks=c.offset_weeks) for d in planned]
    return sorted(set(out))


@operation
def log_session(
    db: Session,
    actor: User,
    on: date,
    area: str,
    device_id: int,
    passes: int,
    pain: float | None = None,
    reactions: list[str] | None = None,
    needle_length_mm: float | None = None,
) -> tuple[HomeLog, list[dict[str, Any]]]:
    """Log a home session; returns the log and its findings (warnings for the patient, alerts for the clinic)."""
    pid = _own_patient(actor)
    S.not_in_future(on)
    if area not in site_names():
        raise unknown_name_error("area", area, site_names(), field="area", msgid=N_("Choose an area from the list."))
    device = _device(db, actor, device_id)
    length = device.needle_length_mm if needle_length_mm is None else needle_length_mm
    check_range("needle_length_mm", length, low=0.0, low_inclusive=False, high=3.0, unit="mm", msgid=NEEDLE)
    check_range("passes", passes, low=1, high=50, msgid=N_("Write the number of passes, from %(low)s to %(high)s."))
    if pain is not None:
        check_range("pain", pain, low=0, high=10, msgid=N_("Write the pain as a number from %(low)s to %(high)s."))
    reactions = [r for r in (reactions or []) if r and r != "none"]
    for r in reactions:
        if r not in REACTIONS:
            raise InputError(
                f"unknown reaction {r!r}; valid: {', '.join(REACTIONS)}",
                field="reactions",
                msgid=N_("Choose reactions from the list."),
            )
    prescription = active_prescription(db, pid)
    previous = [d for d in db.scalars(select(HomeLog.on).where(HomeLog.patient_id == pid))]
    findings = check_home_log(
        on=on,
        area=area,
        needle_length_mm=length,
        reactions=reactions,
        prescribed_mm=prescription.needle_length_mm if prescription else None,
        previous_dates=previous,
        clinic_dates=clinic_dates(db, pid),
        device_uses=uses(db, device.id) + 1,
        device_first_use=device.first_use,
        failed_defects=failed_defects(db, device.id),
    )
    log = HomeLog(
        patient_id=pid,
        device_id=device.id,
        on=on,
        area=area,
        needle_length_mm=length,
        passes=passes,
        pain=pain,
        reactions=reactions,
        findings=[f.to_json() for f in findings],
        created=S.now(),
    )
    db.add(log)
    db.flush()
    for f in findings:
        db.add(
            Alert(patient_id=pid, created=S.now(), rule=f.rule, severity=f.severity, message=f.message, log_id=log.id)
        )
    if "broken-needle" in reactions:
        lot = S.find_lot(db, device.lot_or_serial) if device.lot_or_serial else None
        S.report_adverse_event(
            db,
            actor,
            pid,
            "broken-needle",
            f"reported at home (device {device.id})",
            on,
            lot_id=lot.id if lot else None,
        )
    S.audit(db, actor, "write", "home_log", log.id, f"{len(findings)} findings")
    return log, [f.to_json() for f in findings]


@operation
def inspect(db: Session, actor: User, device_id: int, defects: list[str], on: date | None = None) -> Inspection:
    pid = _own_patient(actor)
    device = _device(db, actor, device_id)
    on = on or date.today()
    for d in defects:
        if d not in DEFECTS:
            raise InputError(
                f"unknown defect {d!r}; valid: {', '.join(DEFECTS)}",
                field="defects",
                msgid=N_("Choose faults from the list."),
            )
    ins = Inspection(device_id=device.id, on=on, defects=defects, advice=inspection_advice(defects))
    db.add(ins)
    if defects:
        device.retired = True
        db.add(
            Alert(
                patient_id=pid,
                created=S.now(),
                rule="H07-failed-inspection",
                severity="stop",
                message=f"home device {device.device_name} failed inspection: {', '.join(defects)}",
            )
        )
        if {"broken", "missing"} & set(defects):
            lot = S.find_lot(db, device.lot_or_serial) if device.lot_or_serial else None
            S.report_adverse_event(
                db,
                actor,
                pid,
                "broken-needle",
                "broken or missing needles on inspection",
                on,
                lot_id=lot.id if lot else None,
            )
    db.flush()
    S.audit(db, actor, "write", "inspection", ins.id, ",".join(defects) or "passed")
    return ins


@operation
def alerts(db: Session, actor: User, patient_id: int | None = None, open_only: bool = False) -> list[Alert]:
    S.require_role(actor, *STAFF)
    q = select(Alert).order_by(Alert.id.desc())
    if patient_id is not None:
        S.get_patient(db, actor, patient_id, "alerts")  # audited; 404 for a patient that does not exist
        q = q.where(Alert.patient_id == patient_id)
    if open_only:
        q = q.where(Alert.acknowledged.is_(False))
    return list(db.scalars(q))


def alert_text(db: Session, alert: Alert, lang: str) -> str:
    """An alert's message in ``lang``: worded again from its home log's finding, else as it was stored."""
    log = db.get(HomeLog, alert.log_id) if alert.log_id else None
    for finding in log.findings if log is not None else []:
        if finding.get("rule") == alert.rule:
            return stored_finding_text(finding, lang)
    return alert.message


@operation
def acknowledge(db: Session, actor: User, alert_id: int) -> Alert:
    S.require_role(actor, *STAFF)
    a = db.get(Alert, alert_id)
    if a is None:
        raise S.NotFound("alert not found")
    a.acknowledged = True
    S.audit(db, actor, "write", "alert", alert_id, "acknowledged")
    return a


@operation
def portal_state(db: Session, actor: User) -> dict[str, Any]:
    """What the patient's portal shows: prescription, devices, logs, next allowed date."""
    pid = _own_patient(actor)
    S.audit(db, actor, "read", "patient", pid, "portal")
    p = active_prescription(db, pid)
    devices = list(db.scalars(select(HomeDevice).where(HomeDevice.patient_id == pid).order_by(HomeDevice.id)))
    logs = list(db.scalars(select(HomeLog).where(HomeLog.patient_id == pid).order_by(HomeLog.on.desc())))
    next_allowed = None
    if p and logs:
        next_allowed = logs[0].on + timedelta(days=p.frequency_days)
    return {
        "prescription": p,
        "devices": [(d, uses(db, d.id), failed_defects(db, d.id)) for d in devices],
        "logs": logs,
        "next_allowed": next_allowed,
        "clinic_dates": clinic_dates(db, pid),
        "replacement": {"uses": int(REPLACE_AFTER_USES.value), "days": int(REPLACE_AFTER_DAYS.value)},
        "device_names": [d.name for d in list_devices() if d.needle_length_mm <= HOME_NEEDLE_LIMIT.value],
    }
