"""The session record obeys the plan: checks on each region of a recorded session, and the draft a session starts from.

A region is refused, with the reason in one line, when it is not in the patient's plan (or is still deferred),
when its device is not the plan's device for it (even within the limits), when its needle is longer than the
plan's or than the region's limit, or when it comes sooner than the minimum
interval after (or before) another session on the same region, in the clinic or logged by the patient at home
(the portal's home-care logs for that area count as sessions). A clinician may override those refusals with a
written justification, which is stored with the region and audited. A lot registered for another device than
the one entered is always refused: the record must name the lot that was used, or a recall would miss it.

Limits and minimum intervals are the planner's (:func:`needling.planner.region_limit_mm`,
:func:`needling.planner.min_interval_weeks`), each with its source key; nothing is copied here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from needling.clinic.models import (
    HomeLog,
    Lot,
    Patient,
    PlanRecord,
    SessionOverride,
    SessionRegion,
    TreatmentSession,
    User,
)
from needling.clinic.roles import Role
from needling.errors import InputError
from needling.i18n import N_, translate
from needling.planner import min_interval_weeks, region_limit_mm
from needling.planner.plan_model import Region

EPS_MM = 1e-9
REFUSE_INTERVAL_HOME = N_(
    "%(field)s: %(site)s was needled at home on %(other)s (%(other_mm)s mm, home-care log), %(gap)s days apart; "
    "the minimum interval is %(days)s days (%(source)s); valid: at least %(days)s days from %(other)s, or override "
    "with a written justification"
)
REFUSE_INTERVAL = N_(
    "%(field)s: %(site)s was needled on %(other)s (%(other_mm)s mm), %(gap)s days apart; the minimum interval "
    "is %(days)s days (%(source)s); valid: at least %(days)s days from %(other)s, or override with a written "
    "justification"
)
REFUSE_DEVICE_NOT_PLANNED = N_(
    "%(field)s: the plan names %(planned)s for %(site)s, not %(device)s; valid: a lot of %(planned)s, or override "
    "with a written justification"
)
MIN_JUSTIFICATION_CHARS = 10
"""A justification shorter than this is not a written reason (a form rule, not a clinical number)."""


@dataclass(frozen=True)
class Refusal:
    """Why a region of a session is refused: the check, the field, a catalogue message and its values.

    Parameters
    ----------
    check : str
        ``region-not-in-plan``, ``region-deferred``, ``device-not-planned``, ``needle-above-plan``,
        ``needle-above-limit``, ``interval-too-short`` (a clinician may override these) or
        ``lot-device-mismatch`` (never overridable).
    field : str
        The request field at fault, e.g. ``regions[0].needle_length_mm``.
    key : str
        The message: its English text (the gettext msgid) with ``%(name)s`` placeholders.
    params : dict
        The values the message names.
    overridable : bool
        Whether a clinician's written justification lets the record through.
    """

    check: str
    field: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    overridable: bool = True

    def text(self, lang: str = "en") -> str:
        """The one-line reason in ``lang`` (``en`` or ``sv``)."""
        return translate(lang, self.key, field=self.field, **self.params)


class SessionRefusedError(InputError):
    """A session region refused by a plan or lot check (422, the field named); ``text(lang)`` translates it."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.text("en"), field=refusal.field)
        self.refusal = refusal

    def text(self, lang: str = "en") -> str:
        return self.refusal.text(lang)


@dataclass(frozen=True)
class PlanContext:
    """What a session is checked against: the patient's latest plan (if any) and the patient's sex."""

    plan_id: int | None
    decision: str | None
    regions: dict[str, Region]
    sex: str


def plan_context(db: Session, patient: Patient) -> PlanContext:
    """The latest plan of ``patient``, its regions by site, and the sex the region limits depend on."""
    record = db.scalars(
        select(PlanRecord).where(PlanRecord.patient_id == patient.id).order_by(PlanRecord.id.desc()).limit(1)
    ).first()
    sex = patient.intake["patient"]["sex"]  # validated when the intake was stored
    if record is None:
        return PlanContext(None, None, {}, sex)
    regions = {r.site: r for r in record.typed().regions}
    return PlanContext(record.id, record.decision, regions, sex)


def _mm(x: float) -> str:
    return f"{x:g}"


def required_gap_days(length_a_mm: float, length_b_mm: float, site: str) -> tuple[int, str]:
    """The minimum number of days between two sessions on ``site`` with these needles, and the source key.

    The longer of the two needles' minimum intervals applies: the skin must have healed from the earlier
    injury, and the later one must not land on skin still healing.
    """
    (wa, ka), (wb, kb) = min_interval_weeks(length_a_mm, site), min_interval_weeks(length_b_mm, site)
    weeks, key = (wa, ka) if wa >= wb else (wb, kb)
    return math.ceil(weeks * 7 - 1e-9), key


def lock_patient(db: Session, patient_id: int) -> None:
    """Serialise the recordings of one patient until the current transaction ends.

    Two recordings for the same patient must not both pass the interval check because each read the history
    before the other wrote. PostgreSQL locks the patient's row (``SELECT ... FOR UPDATE``): a second recording
    waits here until the first commits or rolls back, and then reads its session. SQLite has no row locks; a
    no-op update of the patient's row takes the database's write lock now, so the transaction is serialising
    from this point (the second writer waits on the busy timeout).
    """
    if db.get_bind().dialect.name == "sqlite":
        db.execute(update(Patient).where(Patient.id == patient_id).values(id=Patient.id))
    else:
        db.execute(select(Patient.id).where(Patient.id == patient_id).with_for_update())


@dataclass(frozen=True)
class PastSession:
    """A session on one region: its date, needle length in mm, and whether it was the clinic's or a home log."""

    on: date
    needle_length_mm: float
    home: bool = False


def _region_history(db: Session, patient_id: int, site: str) -> list[PastSession]:
    clinic = db.execute(
        select(TreatmentSession.on, SessionRegion.needle_length_mm)
        .join(SessionRegion, SessionRegion.session_id == TreatmentSession.id)
        .where(TreatmentSession.patient_id == patient_id, SessionRegion.site == site)
    ).all()
    home = db.execute(
        select(HomeLog.on, HomeLog.needle_length_mm).where(HomeLog.patient_id == patient_id, HomeLog.area == site)
    ).all()
    return [PastSession(on, mm) for on, mm in clinic] + [PastSession(on, mm, home=True) for on, mm in home]


def interval_refusal(
    db: Session, patient_id: int, on: date, site: str, needle_length_mm: float, where: str
) -> Refusal | None:
    """A refusal if another session on ``site`` lies closer to ``on`` than the minimum interval, else None.

    Both the clinic's sessions and the patient's home-care logs for that area count; the refusal says which.
    """
    worst = None
    for past in _region_history(db, patient_id, site):
        need, key = required_gap_days(past.needle_length_mm, needle_length_mm, site)
        gap = abs((on - past.on).days)
        if gap < need and (worst is None or gap < worst[0]):
            worst = (gap, need, key, past)
    if worst is None:
        return None
    gap, need, key, past = worst
    return Refusal(
        "interval-too-short",
        f"{where}.date",
        REFUSE_INTERVAL_HOME if past.home else REFUSE_INTERVAL,
        {
            "site": site,
            "other": past.on.isoformat(),
            "other_mm": _mm(past.needle_length_mm),
            "gap": gap,
            "days": need,
            "source": key,
            "earliest": (past.on + timedelta(days=need)).isoformat(),
        },
    )


def check_region(
    db: Session,
    ctx: PlanContext,
    patient_id: int,
    on: date,
    where: str,
    site: str,
    needle_length_mm: float,
    device_name: str | None = None,
    device_field: str = "lot_number",
) -> list[Refusal]:
    """Every overridable refusal of one region against the plan, the region's limit and the last sessions.

    Parameters
    ----------
    ctx : PlanContext
        From :func:`plan_context`.
    on : date
        The session's date.
    where : str
        The region's place in the request (``regions[0]``), used to name the field.
    site : str
        A valid site name.
    needle_length_mm : float
        Needle length (roller) or depth setting (pen) in mm, within 0-3 mm.
    device_name : str, optional
        The device of the region's lot; refused (overridably) when the plan names another device for the region.
    device_field : str
        The request field that chose the device (``lot_number``, or ``device_name`` when one was entered).
    """
    refusals: list[Refusal] = []
    planned = ctx.regions.get(site)
    if planned is None:
        if ctx.plan_id is None:
            refusals.append(
                Refusal(
                    "region-not-in-plan",
                    f"{where}.site",
                    N_(
                        "%(field)s: the patient has no plan yet, so %(site)s is not planned; valid: plan the patient "
                        "first, or override with a written justification"
                    ),
                    {"site": site},
                )
            )
        elif not ctx.regions:
            refusals.append(
                Refusal(
                    "region-not-in-plan",
                    f"{where}.site",
                    N_(
                        "%(field)s: the plan (%(decision)s) treats no region, so not %(site)s; valid: no session until "
                        "a plan allows one, or override with a written justification"
                    ),
                    {"site": site, "decision": ctx.decision},
                )
            )
        else:
            refusals.append(
                Refusal(
                    "region-not-in-plan",
                    f"{where}.site",
                    N_(
                        "%(field)s: %(site)s is not in the plan; valid: %(planned)s, or override with a written "
                        "justification"
                    ),
                    {"site": site, "planned": ", ".join(sorted(ctx.regions))},
                )
            )
    else:
        until = planned.deferred_until
        if until and on < date.fromisoformat(until):
            refusals.append(
                Refusal(
                    "region-deferred",
                    f"{where}.date",
                    N_(
                        "%(field)s: %(site)s is deferred in the plan until %(until)s; valid: %(until)s or later, or "
                        "override with a written justification"
                    ),
                    {"site": site, "until": until},
                )
            )
    limit, source = region_limit_mm(site, ctx.sex)
    if needle_length_mm > limit + EPS_MM:
        refusals.append(
            Refusal(
                "needle-above-limit",
                f"{where}.needle_length_mm",
                N_(
                    "%(field)s = %(length)s mm is above the %(limit)s mm limit for %(site)s (%(source)s); valid: at "
                    "most %(limit)s mm, or override with a written justification"
                ),
                {"site": site, "length": _mm(needle_length_mm), "limit": _mm(limit), "source": source},
            )
        )
    if planned is not None:
        plan_mm = float(planned.needle_length_mm)
        if needle_length_mm > plan_mm + EPS_MM:
            refusals.append(
                Refusal(
                    "needle-above-plan",
                    f"{where}.needle_length_mm",
                    N_(
                        "%(field)s = %(length)s mm is longer than the plan's %(planned)s mm for %(site)s; valid: at "
                        "most %(planned)s mm, or override with a written justification"
                    ),
                    {"site": site, "length": _mm(needle_length_mm), "planned": _mm(plan_mm)},
                )
            )
    if planned is not None and device_name is not None and planned.device != device_name:
        refusals.append(
            Refusal(
                "device-not-planned",
                f"{where}.{device_field}",
                REFUSE_DEVICE_NOT_PLANNED,
                {"site": site, "planned": planned.device, "device": device_name},
            )
        )
    interval = interval_refusal(db, patient_id, on, site, needle_length_mm, where)
    if interval is not None:
        refusals.append(interval)
    return refusals


def resolve_lot(db: Session, where: str, lot_number: str, device_name: str | None) -> Lot:
    """The registered lot with this number (of ``device_name`` if given).

    Raises
    ------
    SessionRefusedError
        If the lot is registered, but for another device than the one entered (never overridable).
    InputError
        If no lot has this number, or several devices share it and no device was entered.
    """
    number = lot_number.strip()
    lots = list(db.scalars(select(Lot).where(Lot.lot_number == number).order_by(Lot.id)))
    if not lots:
        raise InputError(
            f"{where}.lot_number: no lot {number!r}; register the lot first",
            field=f"{where}.lot_number",
            msgid=N_("There is no lot %(lot)s. Register the lot first."),
            params={"lot": number},
        )
    if device_name:
        match = [lot for lot in lots if lot.device_name == device_name]
        if match:
            return match[0]
        of_device = db.scalars(
            select(Lot.lot_number).where(Lot.device_name == device_name).order_by(Lot.lot_number)
        ).all()
        raise SessionRefusedError(
            Refusal(
                "lot-device-mismatch",
                f"{where}.lot_number",
                N_(
                    "%(field)s: lot %(lot)s is registered for %(lot_device)s, not %(device)s; valid: a lot of "
                    "%(device)s (%(lots)s)"
                ),
                {
                    "lot": number,
                    "lot_device": ", ".join(lot.device_name for lot in lots),
                    "device": device_name,
                    "lots": ", ".join(of_device) or "-",
                },
                overridable=False,
            )
        )
    if len(lots) > 1:
        raise InputError(
            f"{where}.device_name: lot {number} is registered for several devices "
            f"({', '.join(lot.device_name for lot in lots)}); valid: name one of them",
            field=f"{where}.device_name",
            msgid=N_("Lot %(lot)s is registered for several devices (%(devices)s). Choose the device."),
            params={"lot": number, "devices": ", ".join(lot.device_name for lot in lots)},
        )
    return lots[0]


def overrides_for(
    actor: User, where: str, refusals: list[Refusal], justification: str | None, at: Any
) -> list[SessionOverride]:
    """The override records for ``refusals``, or the first refusal raised when they cannot be overridden.

    Raises
    ------
    SessionRefusedError
        The first refusal, when there is no justification, or it is shorter than
        :data:`MIN_JUSTIFICATION_CHARS`, or the actor is not a clinician.
    """
    if not refusals:
        return []
    text = (justification or "").strip()
    if not text:
        raise SessionRefusedError(refusals[0])
    if actor.role != Role.CLINICIAN:
        raise SessionRefusedError(
            Refusal(
                "override-not-clinician",
                f"{where}.override_justification",
                N_(
                    "%(field)s: only a clinician may override a plan check (your role: %(role)s); valid: a clinician "
                    "records the session"
                ),
                {"role": actor.role},
                overridable=False,
            )
        )
    if len(text) < MIN_JUSTIFICATION_CHARS:
        raise SessionRefusedError(
            Refusal(
                "override-too-short",
                f"{where}.override_justification",
                N_(
                    "%(field)s: the justification has %(got)s characters; valid: a written reason of at least %(n)s "
                    "characters"
                ),
                {"n": MIN_JUSTIFICATION_CHARS, "got": len(text)},
                overridable=False,
            )
        )
    return [
        SessionOverride(check=r.check, refusal=r.text("en"), justification=text, clinician_id=actor.id, at=at)
        for r in refusals
    ]


def draft(db: Session, patient: Patient, on: date) -> dict[str, Any]:
    """The session a clinician starts from: each planned region with its device, depth, limit and interval.

    Returns
    -------
    dict
        ``plan_id``, ``decision``, ``date`` and ``regions``: per planned region ``site``, ``indication``,
        ``device_name``, ``needle_length_mm``, ``passes``, ``endpoint``, ``anaesthesia`` (text), ``limit_mm`` and
        ``limit_source``, ``last_session`` (date of the last clinic session or home-care log on the region, or
        None) and ``earliest`` (the first date the minimum interval allows, or None), ``deferred_until`` (or None).
    """
    ctx = plan_context(db, patient)
    regions = []
    for site, r in ctx.regions.items():
        length = float(r.needle_length_mm)
        limit, source = region_limit_mm(site, ctx.sex)
        history = [p for p in _region_history(db, patient.id, site) if p.on <= on]
        last = max(history, key=lambda p: (p.on, p.needle_length_mm), default=None)
        earliest = None
        if last is not None:
            need, _ = required_gap_days(last.needle_length_mm, length, site)
            earliest = (last.on + timedelta(days=need)).isoformat()
        an = r.anaesthesia
        regions.append(
            {
                "site": site,
                "indication": r.indication,
                "device_name": r.device,
                "needle_length_mm": length,
                "passes": int(r.passes),
                "endpoint": r.endpoint if r.endpoint in ("erythema", "pinpoint bleeding") else "none",
                "anaesthesia": f"{an.agent} {int(an.minutes)} min" if an else "",
                "limit_mm": limit,
                "limit_source": source,
                "last_session": last.on.isoformat() if last else None,
                "earliest": earliest,
                "deferred_until": r.deferred_until,
            }
        )
    return {"plan_id": ctx.plan_id, "decision": ctx.decision, "date": on.isoformat(), "regions": regions}
