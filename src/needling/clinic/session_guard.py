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

from sqlalchemy import bindparam, literal, select, union_all
from sqlalchemy.orm import Session

from needling.clinic.consent_text import PROCEDURE_NAMES
from needling.clinic.device_words import DeviceNames
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
from needling.clinic.transactions import core_execute
from needling.errors import InputError
from needling.i18n import N_, days, millimetres, table_date, translate
from needling.planner import min_interval_weeks, region_limit_mm
from needling.planner.plan_model import Plan, Region
from needling.report.labels import DECISIONS, SITES

EPS_MM = 1e-9
#: The English one-line reasons (API, command line, the stored override); a page shows the sentence below each.
REFUSE_INTERVAL_HOME = (
    "%(field)s: %(site)s was needled at home on %(other)s (%(other_mm)s mm, home-care log), %(gap)s days apart; "
    "the minimum interval is %(days)s days (%(source)s); valid: at least %(days)s days from %(other)s, or override "
    "with a written justification"
)
REFUSE_INTERVAL = (
    "%(field)s: %(site)s was needled on %(other)s (%(other_mm)s mm), %(gap)s days apart; the minimum interval "
    "is %(days)s days (%(source)s); valid: at least %(days)s days from %(other)s, or override with a written "
    "justification"
)
REFUSE_DEVICE_NOT_PLANNED = (
    "%(field)s: the plan names %(planned)s for %(site)s, not %(device)s; valid: a lot of %(planned)s, or override "
    "with a written justification"
)
#: The same reasons as a clinician reads them on the session form: words, not request fields.
PAGE_INTERVAL_HOME = N_(
    "The patient treated the area %(site)s at home on %(other)s with %(other_mm)s needles (home-care log), only "
    "%(gap_days)s from the date you chose. Sessions on an area must be at least %(min_days)s apart. Choose a date at "
    "least %(min_days)s from %(other)s, or write a justification to record the session anyway."
)
PAGE_INTERVAL = N_(
    "The area %(site)s was treated on %(other)s with %(other_mm)s needles, only %(gap_days)s from the date you chose. "
    "Sessions on an area must be at least %(min_days)s apart. Choose a date at least %(min_days)s from %(other)s, or "
    "write a justification to record the session anyway."
)
PAGE_DEVICE_NOT_PLANNED = N_(
    "The plan names %(planned)s for the area %(site)s, not %(device)s. Choose a lot of %(planned)s, or write a "
    "justification to record the session anyway."
)
#: What each overridable check is called where a record shows an override (the stored line stays English).
CHECK_NAMES = {
    "region-not-in-plan": N_("area not in the plan"),
    "region-deferred": N_("area deferred in the plan"),
    "device-not-planned": N_("another device than the plan's"),
    "needle-above-plan": N_("needle longer than the plan's"),
    "needle-above-limit": N_("needle above the area's limit"),
    "interval-too-short": N_("too soon after the last session on the area"),
}
MIN_JUSTIFICATION_CHARS = 10
"""A justification shorter than this is not a written reason (a form rule, not a clinical number)."""


@dataclass(frozen=True)
class Refusal:
    """Why a region of a session is refused: the check, the field, the English line and the page's sentence.

    Parameters
    ----------
    check : str
        ``region-not-in-plan``, ``region-deferred``, ``device-not-planned``, ``needle-above-plan``,
        ``needle-above-limit``, ``interval-too-short`` (a clinician may override these) or
        ``lot-device-mismatch`` (never overridable).
    field : str
        The request field at fault, e.g. ``regions[0].needle_length_mm``.
    key : str
        The English one-line reason (API, command line, stored override) with ``%(name)s`` placeholders.
    params : dict
        The values ``key`` names.
    overridable : bool
        Whether a clinician's written justification lets the record through.
    page : str
        The reason as a clinician reads it on a page: a gettext msgid (marked with ``N_``) with ``%(name)s``
        placeholders.
    words : dict
        The values ``page`` names, worded in the reader's language when shown (:func:`worded`).
    """

    check: str
    field: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    overridable: bool = True
    page: str = ""
    words: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        """The English one-line reason naming the request field and what is valid (API, CLI, stored record)."""
        return self.key % {"field": self.field, **self.params}

    def text(self, lang: str = "en") -> str:
        """The reason as a page shows it in ``lang`` (``en`` or ``sv``): areas, lengths and dates in words."""
        if not self.page:
            return self.line()
        return translate(lang, self.page, **{k: worded(k, v, lang) for k, v in self.words.items()})


def worded(key: str, value: Any, lang: str) -> Any:
    """A value of a page sentence in ``lang``, by its name: ``site`` and ``sites`` (site codes) as the areas'
    names, ``decision`` and ``procedure`` (codes) as their names, a device's name (:class:`DeviceNames`) as its
    label, ``*_mm`` as a length ("1,5 mm"), ``*_days`` as a number of days ("14 dagar"), a date in words
    ("21 nov. 2026"); anything else as it is."""
    if key == "site":
        return translate(lang, SITES.get(value, value))
    if key == "sites":
        return ", ".join(sorted(translate(lang, SITES.get(v, v)) for v in value))  # in the reader's order
    if key == "decision":
        return translate(lang, DECISIONS.get(value, value))
    if key == "procedure":
        name = translate(lang, PROCEDURE_NAMES.get(value, value))
        return name[:1].lower() + name[1:]
    if isinstance(value, DeviceNames):
        return value.in_words(lang)
    if key.endswith("_mm"):
        return millimetres(value, lang)
    if key.endswith("_days"):
        return days(value, lang)
    return table_date(value, lang) if isinstance(value, date) else value


class SessionRefusedError(InputError):
    """A session region refused by a plan or lot check (422, the field named); ``text(lang)`` is the page's
    sentence, the message the English line."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.line(), field=refusal.field)
        self.refusal = refusal

    def text(self, lang: str = "en") -> str:
        return self.refusal.text(lang)


@dataclass(frozen=True)
class PlanContext:
    """What a session is checked against: the patient's latest plan (if any) and the patient's sex.

    ``plan`` is that plan's stored document read once (:meth:`PlanRecord.typed`), for the checks that need more
    than its regions (the consent's procedure, the series' dates), so a recording validates it once.
    """

    plan_id: int | None
    decision: str | None
    regions: dict[str, Region]
    sex: str
    plan: Plan | None = None


# The statements of a session's draft, built once, so a request binds its values and builds neither the statement
# nor its cache key (a recording reads the same in two statements with the patient and its lots,
# needling.clinic.recording_reads).
_LATEST_PLAN = (
    select(PlanRecord.id, PlanRecord.decision, PlanRecord.plan)  # the columns read: no object for the session
    .where(PlanRecord.patient_id == bindparam("patient_id"))
    .order_by(PlanRecord.id.desc())
    .limit(1)
)
_SITES = bindparam("sites", expanding=True)
_HISTORIES = union_all(
    select(SessionRegion.site, TreatmentSession.on, SessionRegion.needle_length_mm, literal(0).label("home"))
    .join(SessionRegion, SessionRegion.session_id == TreatmentSession.id)
    .where(TreatmentSession.patient_id == bindparam("patient_id"), SessionRegion.site.in_(_SITES)),
    select(HomeLog.area, HomeLog.on, HomeLog.needle_length_mm, literal(1).label("home")).where(
        HomeLog.patient_id == bindparam("patient_id"), HomeLog.area.in_(_SITES)
    ),
)


def plan_context(db: Session, patient: Patient) -> PlanContext:
    """The latest plan of ``patient``, its regions by site, and the sex the region limits depend on."""
    record = core_execute(db, _LATEST_PLAN, {"patient_id": patient.id}).first()
    return plan_context_of(patient, None if record is None else (record.id, record.decision, record.plan))


def plan_context_of(patient: Patient, record: tuple[int, str, dict[str, Any]] | None) -> PlanContext:
    """:func:`plan_context` from a plan's stored ``(id, decision, document)`` already read (None: no plan).

    Returns
    -------
    PlanContext
        The plan typed once, its regions by site, and the patient's sex.
    """
    sex = patient.intake["patient"]["sex"]  # validated when the intake was stored
    if record is None:
        return PlanContext(None, None, {}, sex)
    plan_id, decision, document = record
    typed = Plan.from_json(document)  # as PlanRecord.typed
    return PlanContext(plan_id, decision, {r.site: r for r in typed.regions}, sex, typed)


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


@dataclass(frozen=True)
class PastSession:
    """A session on one region: its date, needle length in mm, and whether it was the clinic's or a home log."""

    on: date
    needle_length_mm: float
    home: bool = False


def region_histories(db: Session, patient_id: int, sites: list[str] | set[str]) -> dict[str, list[PastSession]]:
    """The past sessions on each of ``sites`` (clinic sessions, then home-care logs), in one query.

    Returns
    -------
    dict
        Site -> its :class:`PastSession` list (empty for a site never needled).
    """
    wanted = sorted(set(sites))
    found: dict[str, list[PastSession]] = {site: [] for site in wanted}
    rows = core_execute(db, _HISTORIES, {"patient_id": patient_id, "sites": wanted}).all() if wanted else []
    for site, on, mm, is_home in sorted(rows, key=lambda row: row[3]):  # the clinic's first, as the checks read them
        found[site].append(PastSession(on, mm, home=bool(is_home)))
    return found


def _region_history(db: Session, patient_id: int, site: str) -> list[PastSession]:
    return region_histories(db, patient_id, [site])[site]


def interval_refusal(
    db: Session,
    patient_id: int,
    on: date,
    site: str,
    needle_length_mm: float,
    where: str,
    history: list[PastSession] | None = None,
) -> Refusal | None:
    """A refusal if another session on ``site`` lies closer to ``on`` than the minimum interval, else None.

    Both the clinic's sessions and the patient's home-care logs for that area count; the refusal says which.
    ``history`` is the site's past sessions when the caller read them already (:func:`region_histories`).
    """
    worst = None
    for past in _region_history(db, patient_id, site) if history is None else history:
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
        page=PAGE_INTERVAL_HOME if past.home else PAGE_INTERVAL,
        words={
            "site": site,
            "other": past.on,
            "other_mm": past.needle_length_mm,
            "gap_days": gap,
            "min_days": need,
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
    history: list[PastSession] | None = None,
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
    history : list of PastSession, optional
        The site's past sessions, when the caller read those of every region at once (:func:`region_histories`);
        else they are read here.
    """
    refusals: list[Refusal] = []
    planned = ctx.regions.get(site)
    if planned is None:
        if ctx.plan_id is None:
            refusals.append(
                Refusal(
                    "region-not-in-plan",
                    f"{where}.site",
                    "%(field)s: the patient has no plan yet, so %(site)s is not planned; valid: plan the patient "
                    "first, or override with a written justification",
                    {"site": site},
                    page=N_(
                        "The patient has no plan yet, so the area %(site)s is not planned. Make a plan first, or "
                        "write a justification to record the session anyway."
                    ),
                    words={"site": site},
                )
            )
        elif not ctx.regions:
            refusals.append(
                Refusal(
                    "region-not-in-plan",
                    f"{where}.site",
                    "%(field)s: the plan (%(decision)s) treats no region, so not %(site)s; valid: no session until "
                    "a plan allows one, or override with a written justification",
                    {"site": site, "decision": ctx.decision},
                    page=N_(
                        "The plan treats no area (decision: %(decision)s), so not the area %(site)s either. Wait for "
                        "a plan that allows a session, or write a justification to record the session anyway."
                    ),
                    words={"site": site, "decision": ctx.decision},
                )
            )
        else:
            refusals.append(
                Refusal(
                    "region-not-in-plan",
                    f"{where}.site",
                    "%(field)s: %(site)s is not in the plan; valid: %(planned)s, or override with a written "
                    "justification",
                    {"site": site, "planned": ", ".join(sorted(ctx.regions))},
                    page=N_(
                        "The area %(site)s is not in the plan. The plan covers: %(sites)s. Choose one of those, or "
                        "write a justification to record the session anyway."
                    ),
                    words={"site": site, "sites": sorted(ctx.regions)},
                )
            )
    else:
        until = planned.deferred_until
        if until and on < date.fromisoformat(until):
            refusals.append(
                Refusal(
                    "region-deferred",
                    f"{where}.date",
                    "%(field)s: %(site)s is deferred in the plan until %(until)s; valid: %(until)s or later, or "
                    "override with a written justification",
                    {"site": site, "until": until},
                    page=N_(
                        "The plan defers the area %(site)s until %(until)s. Choose that day or later, or write a "
                        "justification to record the session anyway."
                    ),
                    words={"site": site, "until": date.fromisoformat(until)},
                )
            )
    limit, source = region_limit_mm(site, ctx.sex)
    if needle_length_mm > limit + EPS_MM:
        refusals.append(
            Refusal(
                "needle-above-limit",
                f"{where}.needle_length_mm",
                "%(field)s = %(length)s mm is above the %(limit)s mm limit for %(site)s (%(source)s); valid: at "
                "most %(limit)s mm, or override with a written justification",
                {"site": site, "length": _mm(needle_length_mm), "limit": _mm(limit), "source": source},
                page=N_(
                    "The needle length %(length_mm)s is above the limit of %(limit_mm)s for the area %(site)s. Choose "
                    "at most %(limit_mm)s, or write a justification to record the session anyway."
                ),
                words={"site": site, "length_mm": needle_length_mm, "limit_mm": limit},
            )
        )
    if planned is not None:
        plan_mm = float(planned.needle_length_mm)
        if needle_length_mm > plan_mm + EPS_MM:
            refusals.append(
                Refusal(
                    "needle-above-plan",
                    f"{where}.needle_length_mm",
                    "%(field)s = %(length)s mm is longer than the plan's %(planned)s mm for %(site)s; valid: at "
                    "most %(planned)s mm, or override with a written justification",
                    {"site": site, "length": _mm(needle_length_mm), "planned": _mm(plan_mm)},
                    page=N_(
                        "The needle length %(length_mm)s is longer than the plan's %(planned_mm)s for the area "
                        "%(site)s. Choose at most %(planned_mm)s, or write a justification to record the session "
                        "anyway."
                    ),
                    words={"site": site, "length_mm": needle_length_mm, "planned_mm": plan_mm},
                )
            )
    if planned is not None and device_name is not None and planned.device != device_name:
        refusals.append(
            Refusal(
                "device-not-planned",
                f"{where}.{device_field}",
                REFUSE_DEVICE_NOT_PLANNED,
                {"site": site, "planned": planned.device, "device": device_name},
                page=PAGE_DEVICE_NOT_PLANNED,
                words={"site": site, "planned": DeviceNames(planned.device), "device": DeviceNames(device_name)},
            )
        )
    interval = interval_refusal(db, patient_id, on, site, needle_length_mm, where, history)
    if interval is not None:
        refusals.append(interval)
    return refusals


def resolve_lot(
    db: Session, where: str, lot_number: str, device_name: str | None, registered: list[Lot] | None = None
) -> Lot:
    """The registered lot with this number (of ``device_name`` if given).

    ``registered`` holds the lots of every number a session names, when the caller read them at once
    (:func:`needling.clinic.recording_reads.lock_with_lots`); else this number's lots are read here.

    Raises
    ------
    SessionRefusedError
        If the lot is registered, but for another device than the one entered (never overridable).
    InputError
        If no lot has this number, or several devices share it and no device was entered.
    """
    number = lot_number.strip()
    if not number:  # not "There is no lot . Register ...": say what is missing
        raise InputError(
            f"{where}.lot_number: empty; valid: the lot number on the device's package",
            field=f"{where}.lot_number",
            msgid=N_("Write the lot number from the device's package."),
        )
    if registered is None:
        lots = list(db.scalars(select(Lot).where(Lot.lot_number == number).order_by(Lot.id)))
    else:
        lots = sorted((lot for lot in registered if lot.lot_number == number), key=lambda lot: lot.id)
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
        words = {
            "lot": number,
            "lot_device": DeviceNames([lot.device_name for lot in lots]),
            "device": DeviceNames(device_name),
        }
        raise SessionRefusedError(
            Refusal(
                "lot-device-mismatch",
                f"{where}.lot_number",
                "%(field)s: lot %(lot)s is registered for %(lot_device)s, not %(device)s; valid: a lot of "
                "%(device)s (%(lots)s)",
                {**words, "lots": ", ".join(of_device) or "-"},
                overridable=False,
                page=N_(
                    "Lot %(lot)s is registered for %(lot_device)s, not %(device)s. Choose a lot of %(device)s: "
                    "%(lots)s."
                )
                if of_device
                else N_(
                    "Lot %(lot)s is registered for %(lot_device)s, not %(device)s. No lot of %(device)s is registered: "
                    "register one first."
                ),
                words={**words, "lots": ", ".join(of_device)},
            )
        )
    if len(lots) > 1:
        raise InputError(
            f"{where}.device_name: lot {number} is registered for several devices "
            f"({', '.join(lot.device_name for lot in lots)}); valid: name one of them",
            field=f"{where}.device_name",
            msgid=N_("Lot %(lot)s is registered for several devices (%(devices)s). Choose the device."),
            params={"lot": number, "devices": DeviceNames([lot.device_name for lot in lots])},
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
                "%(field)s: only a clinician may override a plan check (your role: %(role)s); valid: a clinician "
                "records the session",
                {"role": actor.role},
                overridable=False,
                page=N_("Only a clinician may override a plan check. Ask a clinician to record the session."),
            )
        )
    if len(text) < MIN_JUSTIFICATION_CHARS:
        raise SessionRefusedError(
            Refusal(
                "override-too-short",
                f"{where}.override_justification",
                "%(field)s: the justification has %(got)s characters; valid: a written reason of at least %(n)s "
                "characters",
                {"n": MIN_JUSTIFICATION_CHARS, "got": len(text)},
                overridable=False,
                page=N_("The justification is too short: %(got)s characters. Write at least %(n)s characters."),
                words={"n": MIN_JUSTIFICATION_CHARS, "got": len(text)},
            )
        )
    return [
        SessionOverride(check=r.check, refusal=r.line(), justification=text, clinician_id=actor.id, at=at)
        for r in refusals
    ]


def draft(db: Session, patient: Patient, on: date) -> dict[str, Any]:
    """The session a clinician starts from: each planned region with its device, depth, limit and interval.

    Returns
    -------
    dict
        ``plan_id``, ``decision``, ``date`` and ``regions``: per planned region ``site``, ``indication``,
        ``device_name``, ``needle_length_mm``, ``passes``, ``endpoint``, ``anaesthesia`` (text),
        ``anaesthesia_agent`` and ``anaesthesia_minutes`` (the plan's agent key and minutes, or None, for a page to
        word), ``limit_mm`` and
        ``limit_source``, ``last_session`` (date of the last clinic session or home-care log on the region, or
        None) and ``earliest`` (the first date the minimum interval allows, or None), ``deferred_until`` (or None).
    """
    ctx = plan_context(db, patient)
    histories = region_histories(db, patient.id, list(ctx.regions))
    regions = []
    for site, r in ctx.regions.items():
        length = float(r.needle_length_mm)
        limit, source = region_limit_mm(site, ctx.sex)
        history = [p for p in histories[site] if p.on <= on]
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
                "anaesthesia_agent": an.agent if an else None,
                "anaesthesia_minutes": int(an.minutes) if an else None,
                "limit_mm": limit,
                "limit_source": source,
                "last_session": last.on.isoformat() if last else None,
                "earliest": earliest,
                "deferred_until": r.deferred_until,
            }
        )
    return {"plan_id": ctx.plan_id, "decision": ctx.decision, "date": on.isoformat(), "regions": regions}
