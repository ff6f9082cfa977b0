"""Plan assembly: screening, per-region protocol with its evidence, predictions, schedule. Pure functions."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np

from needling import __version__ as MODEL_VERSION
from needling.anatomy import get_site
from needling.cohort.bayes.individual import Individual, individual_series, patients_like, patients_per_draw
from needling.cohort.bayes.posterior import Posterior, shipped
from needling.cohort.series import SeriesResult, check_indication
from needling.devices import HOME_NEEDLE_LIMIT, HOME_NEEDLE_RECOMMENDED, Device, get_device
from needling.errors import InputError, unknown_name_error
from needling.evidence import Assumption, Cited
from needling.parameters import ParameterValues, cached_on_parameters, resolve
from needling.planner import protocol_table as T
from needling.planner.intake import Goal, PatientIntake
from needling.planner.plan_model import NotTreated, Plan
from needling.planner.protocol_table import min_interval_weeks
from needling.planner.rules import Screening, rules_version, screen
from needling.protocol import Needle, short_protocol
from needling.simulation import Technique, anaesthesia_effect, quick_session

ROLLER_LENGTHS = (0.2, 0.5, 1.0, 1.5, 2.0)


def region_limit_mm(site_name: str, sex: str) -> tuple[float, str]:
    """Return the longest needle for a region and the key of its source: the depth chart, else the thickness rule.

    Parameters
    ----------
    site_name : str
        The skin site (a site name, ``needling sites list``).
    sex : {"female", "male"}
        Selects the dermis thickness where the data differ by sex.

    Returns
    -------
    limit_mm : float
        The longest needle, mm: the depth chart's value for a facial region it names, else the named
        factor times the depth of the reticular dermis' bottom, rounded down to 0.25 mm and capped at
        the cleared device's maximum.
    source : str
        The evidence key of that limit (``DrPenChart``, or the named assumption of the thickness rule).

    References
    ----------
    DrPenChart (evidence key): Dr.Pen. Needle depth guide (grade L).

    FDA2018SkinPen (evidence key): US Food and Drug Administration. De Novo classification request
    DEN160029: SkinPen Precision System. 2018 (maximum 2.5 mm).
    """
    if site_name in T.REGION_MAX:
        p = T.REGION_MAX[site_name]
        return p.value, p.key
    bottom_mm = get_site(site_name).layer_bottoms_um(sex)["reticular_dermis"] / 1000.0
    limit = math.floor(T.THICKNESS_LIMIT_FACTOR.value * bottom_mm * 4) / 4
    return min(limit, T.ABSOLUTE_MAX.value), T.THICKNESS_LIMIT_FACTOR.key


def _param(p: Cited | Assumption) -> tuple[float, str]:
    return p.value, p.key


def _sessions(goal: Goal) -> tuple[int, str]:
    key = "acne-scars-mild" if goal.indication == "acne-scars" and (goal.grade or 0) <= 2 else goal.indication
    p = T.SESSIONS[key]
    return int(p.value), p.key


def _device_for(length_mm: float, setting: str) -> str:
    if setting == "home" and abs(length_mm - 0.25) < 1e-9:
        return "home-roller-540-0.25"
    return f"dermaroller-192-{length_mm:.1f}"


def _catalogue_choice(length_mm: float, setting: str) -> tuple[str, float]:
    """A catalogue roller at or below ``length_mm`` (rollers come in 0.2-2.0 mm; at home 0.25 or 0.2 mm)."""
    if setting == "home":
        length = 0.25 if length_mm >= 0.25 else 0.2
    else:
        length = max((x for x in ROLLER_LENGTHS if x <= length_mm + 1e-9), default=ROLLER_LENGTHS[0])
    return _device_for(length, setting), length


def _resolve(name: str, devices: Mapping[str, Device] | None) -> Device:
    """A device by name from ``devices`` if given (never a file), else from the catalogue or a file."""
    if devices is None:
        return get_device(name)
    if name not in devices:
        raise unknown_name_error("device", name, devices, field="devices")
    return devices[name]


def choose_device(
    length_mm: float,
    setting: str,
    available: list[str] | tuple[str, ...] = (),
    devices: Mapping[str, Device] | None = None,
) -> tuple[Device | str, float, str | None]:
    """The device for a region: among the devices the clinic has, else from the catalogue.

    A pen is preferred (its depth is set to the planned length, rounded down to its step, within its range);
    otherwise the roller with the longest needles not above the planned length. At home only home-use devices
    with needles within the home limit qualify.

    ``devices``, when given, is the only place names are looked up (the clinic's catalogue and registered
    models); without it a name may also be a device file (the command line).

    Parameters
    ----------
    length_mm : float
        The planned needle length, mm.
    setting : {"clinic", "home"}
        Where the region is needled.
    available : list or tuple of str
        Device names (or files) the clinic or patient has; empty to choose from the catalogue.
    devices : mapping of name to Device, optional
        The only devices ``available`` may name.

    Returns
    -------
    device : Device or str
        The device (or its catalogue name).
    needle_length_mm : float
        The needle length it is used at, mm (not above ``length_mm``).
    note : str or None
        Why the catalogue was used instead of an available device; None otherwise.
    """
    if not available:
        name, length = _catalogue_choice(length_mm, setting)
        return name, length, None
    candidates = [_resolve(n, devices) for n in available]
    if setting == "home":
        candidates = [
            d
            for d in candidates
            if d.home_use and d.kind == "roller" and d.needle_length_mm <= HOME_NEEDLE_LIMIT.value + 1e-9
        ]
    pens = [d for d in candidates if d.kind == "pen" and d.depth_max_mm is not None]
    for pen in pens:
        step = pen.depth_step_mm or 0.25
        depth = math.floor(min(length_mm, pen.depth_max_mm) / step + 1e-9) * step
        if depth >= max(pen.depth_min_mm or 0.0, step) - 1e-9:
            return pen, round(depth, 4), None
    rollers = [d for d in candidates if d.kind == "roller" and d.needle_length_mm <= length_mm + 1e-9]
    if rollers:
        best = max(rollers, key=lambda d: (d.needle_length_mm, d.needle_count))
        return best, best.needle_length_mm, None
    name, length = _catalogue_choice(length_mm, setting)
    return (
        name,
        length,
        (
            f"none of the available devices ({', '.join(available)}) fits {length_mm:g} mm "
            f"{'at home' if setting == 'home' else ''}".rstrip()
            + f"; proposed {name}"
        ),
    )


@cached_on_parameters(maxsize=256)
def _anaesthesia(pv: ParameterValues, agent: str, minutes: float, site: str, sex: str, age: float) -> Any:
    """The anaesthetic's effect (deterministic in its arguments, so computed once per agent, time, site, sex, age)."""
    return anaesthesia_effect(agent, minutes, site, sex=sex, parameters=pv, age_years=age)


def _technique(
    device: Device | str, length: float
) -> tuple[str, tuple[float, str], int, Needle, dict[str, Any] | None]:
    """Kind, (passes, evidence key), directions, the needling step and pen settings for a device at a length."""
    kind = device.kind if isinstance(device, Device) else "roller"
    if kind == "pen":
        passes = _param(T.PASSES_PEN)
        directions = 2
        step = Needle.with_device(device, int(passes[0]), directions, length_mm=length)
        pen = {
            "depth_mm": length,
            "passes": int(passes[0]),
            "directions": directions,
            "frequency_hz": device.frequency_hz,
            "skin": "stretched",
        }
        return kind, passes, directions, step, pen
    short = length <= 0.5
    passes = _param(T.PASSES_ROLLER_SHORT if short else T.PASSES_ROLLER)
    directions = 2 if short else 3
    return kind, passes, directions, Needle.with_device(device, int(passes[0]), directions), None


def _cap_findings(screening: Screening, region: str, modification: str) -> list[dict[str, Any]]:
    """The rules that impose a modification on a region, as ``{"rule", "sources"}`` records."""
    return [
        {"rule": f.rule.id, "sources": list(f.rule.sources)}
        for f in screening.findings_for(region)
        if modification in f.rule.modify
    ]


def _limit_caps(screening: Screening, region: str, region_limit: float) -> list[dict[str, Any]]:
    """The caps of the rules that limit a region's needle before a device is chosen, each with its length, mm.

    The home limit and a thin region's own limit are rules too, so the cap names them beside the cautions that
    ask for superficial needling.
    """
    limits = {
        "max_needle_mm=home": HOME_NEEDLE_RECOMMENDED.value,
        "region_cap": region_limit,
        "max_needle_mm=superficial": T.SUPERFICIAL_LIMIT.value,
    }
    return [{**c, "max_mm": mm} for mod, mm in limits.items() for c in _cap_findings(screening, region, mod)]


def _one_cap(caps: list[dict[str, Any]], order: list[str] | None = None) -> list[dict[str, Any]]:
    """The region's caps as one, the strictest: the smallest length, every rule behind it and their sources.

    Two caps of one rule (an anticoagulant's superficial limit and its erythema endpoint) or of two rules were
    listed apart, so a region showed two limits; the needle is one, so is its cap. The rules follow ``order``
    (the screening's rule order) where given. Empty when nothing capped.
    """
    if not caps:
        return []
    if order is not None:
        rank = {rule: i for i, rule in enumerate(order)}
        caps = sorted(caps, key=lambda c: rank.get(c["rule"], len(rank)))
    cap: dict[str, Any] = {
        "rules": list(dict.fromkeys(c["rule"] for c in caps)),
        "sources": list(dict.fromkeys(s for c in caps for s in c["sources"])),
        "max_mm": min(c["max_mm"] for c in caps),
    }
    endpoints = [c["endpoint"] for c in caps if c.get("endpoint")]
    if endpoints:
        cap["endpoint"] = endpoints[0]
    return [cap]


def _region_protocol(
    goal: Goal,
    intake: PatientIntake,
    screening: Screening,
    devices: Mapping[str, Device] | None = None,
    pv: ParameterValues | None = None,
) -> dict[str, Any]:
    pv = resolve(pv)
    sex = intake.patient.sex
    mods = screening.modifications(goal.region)
    evidence: dict[str, str] = {}
    length, evidence["needle_length_mm"] = _param(T.LENGTH_BY_INDICATION[goal.indication])
    cap, cap_key = region_limit_mm(goal.region, sex)
    limits = [(cap, cap_key)]
    depth_caps = _limit_caps(screening, goal.region, cap)
    if intake.setting == "home" or "max_needle_mm=home" in mods:
        limits.append((HOME_NEEDLE_RECOMMENDED.value, HOME_NEEDLE_RECOMMENDED.key))
    if "max_needle_mm=superficial" in mods:
        limits.append((T.SUPERFICIAL_LIMIT.value, T.SUPERFICIAL_LIMIT.key))
    for lim, key in limits:
        if lim < length:
            length, evidence["needle_length_mm"] = lim, key
    # bleeding must be avoided (anticoagulation, dual antiplatelets) and at home (bleeding is a stop rule): the
    # needle steps down until the predicted endpoint is erythema
    no_bleeding = "erythema_endpoint" in mods or intake.setting == "home"
    stepped_down = False
    while True:
        device, chosen, device_note = choose_device(length, intake.setting, intake.devices, devices)
        kind, (passes, passes_key), directions, step, pen_settings = _technique(device, chosen)
        # the region's session and its series (make_plan) are computed from this one step
        technique = Technique(**step.settings())
        used_device = step.resolve_device()
        session = quick_session(used_device, goal.region, technique, sex=sex, parameters=pv)
        shorter = [x for x in ROLLER_LENGTHS if x < chosen - 1e-9]
        if not no_bleeding or session.endpoint == "erythema" or not shorter:
            break
        stepped_down = True
        length = max(shorter)
        evidence["needle_length_mm"] = (
            T.SUPERFICIAL_LIMIT.key if "erythema_endpoint" in mods else HOME_NEEDLE_RECOMMENDED.key
        )
    length = chosen
    evidence["passes"] = passes_key
    if stepped_down or "erythema_endpoint" in mods:
        for c in _cap_findings(screening, goal.region, "erythema_endpoint"):
            depth_caps.append({**c, "max_mm": length, "endpoint": "erythema"})
    device_name = device.name if isinstance(device, Device) else device
    anaesthesia = None
    effect = None
    if length >= T.ANAESTHESIA_FROM_MM.value and "no_topical_anaesthetic" not in mods:
        minutes = pv.value("emla-time")
        effect = _anaesthesia("lidocaine-prilocaine", minutes, goal.region, sex, intake.patient.age, parameters=pv)
        area = T.REGION_AREA_CM2[goal.region].value
        anaesthesia = {
            "agent": "lidocaine-prilocaine",
            "minutes": minutes,
            "occluded": True,
            "pain_multiplier": round(effect.pain_multiplier, 3),
            "area_cm2": area,
            "amount_g": round(area * T.EMLA_DOSE_PER_AREA.value / 1000.0, 1),
        }
        evidence["anaesthesia.minutes"] = pv["emla-time"].key
        evidence["anaesthesia.amount_g"] = T.EMLA_DOSE_PER_AREA.key
        evidence["anaesthesia.area_cm2"] = T.REGION_AREA_CM2[goal.region].key
    raw_vas = session.pain_vas
    if effect is not None:
        session = quick_session(used_device, goal.region, technique, sex=sex, anaesthesia=effect, parameters=pv)
    n_sessions, evidence["sessions"] = _sessions(goal)
    interval, evidence["interval_weeks"] = _param(T.INTERVAL_WEEKS[goal.indication])
    if intake.setting == "home":
        # home rolling at the home frequency over the same course length as the clinic series
        course_weeks = n_sessions * interval
        interval, evidence["interval_weeks"] = _param(T.HOME_FREQUENCY)
        n_sessions, evidence["sessions"] = max(1, math.ceil(course_weeks / interval)), T.HOME_COURSE.key
    floor, floor_key = min_interval_weeks(length, goal.region)
    if interval < floor:
        interval, evidence["interval_weeks"] = floor, floor_key
    evidence["min_interval_weeks"] = floor_key
    out = {
        "site": goal.region,
        "indication": goal.indication,
        "grade": goal.grade,
        "device": device_name,
        "device_kind": kind,
        "pen_settings": pen_settings,
        "needle_length_mm": length,
        "passes": int(passes),
        "directions": directions,
        "endpoint": session.endpoint,
        "depth_caps": _one_cap(depth_caps, [f.rule.id for f in screening.findings]),
        "anaesthesia": anaesthesia,
        "sessions": n_sessions,
        "interval_weeks": float(interval),
        "min_interval_weeks": round(floor, 4),
        "limit_mm": cap,
        "_session": session,
        "_step": step,
        "_raw_vas": raw_vas,
        "evidence": evidence,
    }
    if device_note:
        out["device_note"] = device_note
    return out


def _combination(goal: Goal, intake: PatientIntake, interval_weeks: float) -> list[dict[str, Any]]:
    out = []
    fitz = intake.patient.fitzpatrick
    if goal.indication == "acne-scars" and (goal.grade or 0) >= 3:
        out.append(
            {
                "id": "tca-peel",
                "region": goal.region,
                "step": "Peel TCA 15 %",
                "timing": f"alternating with needling, {T.PEEL_OFFSET.value:g} weeks after each session",
                "offset_weeks": T.PEEL_OFFSET.value,
                "sources": [T.PEEL_OFFSET.key],
                "grade": "H",
            }
        )
        out.append(
            {
                "id": "prp",
                "region": goal.region,
                "step": "PRP topical",
                "timing": "optional, right after needling",
                "sources": ["Chawla2014"],
                "grade": "H",
            }
        )
    if fitz >= 4 or goal.indication in ("pih", "melasma", "acne-scars"):
        out.append(
            {
                "id": "vitamin-c",
                "region": goal.region,
                "step": "Apply vitamin C 20 %",
                "timing": "after needling; sterile product fit for intradermal use only",
                "sources": ["Chawla2014", "Pinnell2001", "SoltaniArabshahi2014"],
                "grade": "M",
            }
        )
    if goal.indication == "melasma":
        out.append(
            {
                "id": "tranexamic-acid",
                "region": goal.region,
                "step": f"Apply tranexamic acid {T.TXA_CONCENTRATION.value:g} mg/mL",
                "timing": "after needling",
                "sources": [T.TXA_CONCENTRATION.key],
                "grade": "L",
            }
        )
    if goal.indication == "androgenetic-alopecia":
        out.append(
            {
                "id": "minoxidil",
                "region": goal.region,
                "step": "Minoxidil 5 % twice daily",
                "timing": f"paused on the day of needling and the day after ({T.MINOXIDIL_PAUSE.value:g} days)",
                "sources": ["Dhurat2013", T.MINOXIDIL_PAUSE.key],
                "grade": "H",
            }
        )
    return out


def _with_course(timeline: list[dict[str, Any]], individual: Individual | None) -> list[dict[str, Any]]:
    """The timeline with the main outcome's mean and bands from the draws of the patient's own outcome.

    The mean and the 95 % band (``_p2_5``, ``_p97_5``) of the grade, hair count or improvement come from the
    same posterior draws, patients and new-clinic effects as the stated interval, and ``_p5`` / ``_p95`` add
    its :data:`~needling.cohort.bayes.individual.LEVEL` band, which ends at that interval.
    """
    course = individual.course if individual is not None else None
    if course is None:
        return timeline
    key = course.measure
    for w, row in enumerate(timeline):
        row[f"{key}_mean"] = round(float(course.mean[w]), 4)
        row[f"{key}_p2_5"] = round(float(course.p2_5[w]), 4)
        row[f"{key}_p97_5"] = round(float(course.p97_5[w]), 4)
        row[f"{key}_p5"] = round(float(course.low[w]), 4)
        row[f"{key}_p95"] = round(float(course.high[w]), 4)
    return timeline


def _final_interval(timeline: list[dict[str, Any]]) -> dict[str, Any]:
    """The 2.5-97.5 % range of the main outcome at the end of follow-up (grade, hair count or improvement)."""
    last = timeline[-1]
    for key in ("grade", "hair_count_change", "improvement_pct", "collagen_rel"):
        if f"{key}_p2_5" in last:
            mean = last[key] if key == "collagen_rel" else last[f"{key}_mean"]
            return {"measure": key, "mean": mean, "low": last[f"{key}_p2_5"], "high": last[f"{key}_p97_5"]}
    return {}


def _home_care(
    intake: PatientIntake,
    regions: list[dict[str, Any]],
    start: date,
    dropped: list[dict[str, Any]],
    pv: ParameterValues | None = None,
) -> dict[str, Any] | None:
    """Home rolling: which areas, from when, and the periods around clinic work when it pauses.

    At home the regions are the home plan itself; in the clinic, home rolling fits between clinic sessions only
    where the interval leaves room for the pause before and after. An area starts no earlier than its first
    planned session (after a deferral) and, between clinic sessions, a pause after it; an area where the home
    roller is predicted to draw blood is left out, since bleeding is a reason to stop.
    """
    pause = timedelta(days=T.HOME_PAUSE_DAYS.value)
    if intake.setting == "home":
        candidates = regions
    else:
        candidates = [
            r
            for r in regions
            if r["indication"] in ("fine-lines", "androgenetic-alopecia", "topical-delivery", "pih", "melasma")
            and r["interval_weeks"] * 7 > 2 * T.HOME_PAUSE_DAYS.value
        ]
    if not candidates:
        return None
    device = "home-roller-540-0.25"
    if intake.setting != "home":
        # the home roller must not draw blood (bleeding is a stop rule): the shorter home-use roller where it would
        for name in ("home-roller-540-0.25", "dermaroller-192-0.2"):
            device = name
            if all(_home_endpoint(name, r["site"], intake.patient.sex, pv) == "erythema" for r in candidates):
                break
    areas, starts, pauses = [], {}, []
    for r in candidates:
        first = date.fromisoformat(r["series"]["dates"][0])
        if intake.setting == "home":
            bleeds = r["endpoint"] != "erythema"
            area_start = first
        else:
            bleeds = _home_endpoint(device, r["site"], intake.patient.sex, pv) != "erythema"
            parts = r["series"].get("part_dates")
            area_start = (date.fromisoformat(parts[0][-1]) if parts else first) + pause
            for d in region_days(r):
                day = date.fromisoformat(d)
                pauses.append(
                    {"region": r["site"], "from": (day - pause).isoformat(), "until": (day + pause).isoformat()}
                )
        if bleeds:
            dropped.append({"id": "home-care", "region": r["site"], "reason": "home-bleeding"})
            continue
        for lo, hi in r.get("_blackouts", []):
            pauses.append({"region": r["site"], "from": lo.isoformat(), "until": hi.isoformat()})
        areas.append(r["site"])
        starts[r["site"]] = max(area_start, start).isoformat()
    if not areas:
        return None
    if intake.setting == "home":
        length = min(r["needle_length_mm"] for r in candidates if r["site"] in areas)
        device = _device_for(length, "home")
    else:
        length = get_device(device).needle_length_mm
    return {
        "device": device,
        "needle_length_mm": length,
        "max_needle_mm": HOME_NEEDLE_LIMIT.value,
        "frequency_weeks": T.HOME_FREQUENCY.value,
        "areas": areas,
        "start": min(starts.values()),
        "area_starts": starts,
        "no_rolling": pauses,
        "topical": "none during needling; only sterile products fit for intradermal use",
        "pause_days_around_clinic_and_peels": T.HOME_PAUSE_DAYS.value,
        "stop_if": ["signs of infection", "redness lasting more than a week", "bleeding", "a broken needle"],
        "stop_if_ids": ["infection", "long-redness", "bleeding", "broken-needle"],
        "sources": [HOME_NEEDLE_LIMIT.key, HOME_NEEDLE_RECOMMENDED.key, T.HOME_FREQUENCY.key, T.HOME_PAUSE_DAYS.key],
    }


def _home_endpoint(device: str, site: str, sex: str, pv: ParameterValues | None = None) -> str:
    """The predicted endpoint of a home roller on a site (home technique: short-needle passes, two directions)."""
    return _home_endpoint_cached(device, site, sex, parameters=pv)


@cached_on_parameters(maxsize=256)
def _home_endpoint_cached(pv: ParameterValues, device: str, site: str, sex: str) -> str:
    technique = Technique(passes=int(T.PASSES_ROLLER_SHORT.value), directions=2)
    return quick_session(device, site, technique, sex=sex, parameters=pv).endpoint


def _schedule(
    first: date,
    n: int,
    interval_weeks: float,
    blackouts: list[tuple[date, date]],
    span: int = 1,
    fits: Callable[[date], bool] | None = None,
    closed: Collection[int] = (),
) -> tuple[list[date], dict[date, date]]:
    """Session dates from ``first`` every ``interval_weeks``, each moved past any blackout ``(lo, hi)`` it falls in.

    A session treated in ``span`` parts on consecutive days (the anaesthetic label's limit) is moved when any of
    its days falls in a blackout, and a day later while ``fits`` says its anaesthetic would not fit the label
    beside the regions already on that day or one of its days is a weekday in ``closed`` (0 Monday to 6 Sunday:
    the days the clinic is closed). A moved session pushes the following ones, so the interval never shrinks:
    it counts from the day the session is actually given, since it is the least time the skin needs.

    Returns
    -------
    tuple of (list of date, dict of date to date)
        The dates, and for each date moved off a closed day the date it would otherwise have had.
    """
    step = timedelta(days=round(7 * interval_weeks))
    out: list[date] = []
    moves: dict[date, date] = {}
    d = first
    for _ in range(n):
        planned, moved, was_closed = d, True, False
        while moved:
            moved = False
            for lo, hi in blackouts:
                if any(lo < d + timedelta(days=j) < hi for j in range(span)):
                    d, moved = hi, True
            if not moved and any((d + timedelta(days=j)).weekday() in closed for j in range(span)):
                planned = d if not was_closed else planned  # the day it had before the clinic's closed days
                d, moved, was_closed = d + timedelta(days=1), True, True
            if not moved and fits is not None and not fits(d):
                d, moved = d + timedelta(days=1), True
        if was_closed:
            moves[d] = planned
        out.append(d)
        d = d + step
    return out, moves


def anaesthetic_parts(anaesthesia: Mapping[str, Any]) -> int:
    """Return in how many parts (consecutive days) a region's topical anaesthetic stays within the label per day.

    Parameters
    ----------
    anaesthesia : mapping
        The region's anaesthesia as in the plan: ``area_cm2`` (cm2) and ``amount_g`` (g of cream).

    Returns
    -------
    int
        At least 1; enough parts that each day's area and amount are within the label's maximum (600 cm2
        and 60 g of EMLA).

    References
    ----------
    EMLASmPC (evidence key): Aspen. EMLA 5 % w/w cream (lidocaine 25 mg/g, prilocaine 25 mg/g): summary of
    product characteristics. 2017 (grade H).

    Examples
    --------
    >>> anaesthetic_parts({"area_cm2": 900.0, "amount_g": 20.0})
    2
    """
    return max(
        1,
        math.ceil(anaesthesia["area_cm2"] / T.EMLA_MAX_AREA.value - 1e-9),
        math.ceil(anaesthesia["amount_g"] / T.EMLA_MAX_DOSE.value - 1e-9),
    )


def _anaesthetic_days(regions: list[dict[str, Any]]) -> dict[str, int]:
    """Spread regions over consecutive days so that the cream per day stays within the label's dose and area.

    Returns the day offset (0, 1, ...) of each region that gets topical anaesthetic. A region whose own area or
    amount is above the label's maximum is anaesthetised in equal parts on consecutive days of its own (its
    ``parts``, from its offset on); the other regions share days while the label allows.
    """
    offsets: dict[str, int] = {}
    day_area: list[float] = []
    day_amount: list[float] = []
    for r in regions:
        an = r["anaesthesia"]
        if not an:
            continue
        parts = anaesthetic_parts(an)
        area, amount = an["area_cm2"] / parts, an["amount_g"] / parts
        if parts > 1:
            offsets[r["site"]] = len(day_area)
            day_area += [area] * parts
            day_amount += [amount] * parts
            continue
        for i in range(len(day_area)):
            if day_area[i] + area <= T.EMLA_MAX_AREA.value and day_amount[i] + amount <= T.EMLA_MAX_DOSE.value:
                day_area[i] += area
                day_amount[i] += amount
                offsets[r["site"]] = i
                break
        else:
            day_area.append(area)
            day_amount.append(amount)
            offsets[r["site"]] = len(day_area) - 1
    return offsets


def region_days(region: Mapping[str, Any]) -> list[str]:
    """Return every day a region is needled (ISO): its session dates, or each part's day where the series is split.

    Parameters
    ----------
    region : mapping
        A region of the plan's JSON document (its ``series`` with ``dates`` and, when split, ``part_dates``).

    Returns
    -------
    list of str
        ISO dates (``YYYY-MM-DD``), in session order.

    Examples
    --------
    >>> region_days({"series": {"dates": ["2026-01-05", "2026-02-02"]}})
    ['2026-01-05', '2026-02-02']
    """
    series = region["series"]
    parts = series.get("part_dates")
    return [d for days in parts for d in days] if parts else list(series["dates"])


AFTERCARE = [
    {
        "id": "sun",
        "advice": f"Moisturising sunscreen for at least {T.SUN_PROTECTION.value:g} hours; avoid sun for 2 days",
        "sources": [T.SUN_PROTECTION.key],
        "grade": "M",
    },
    {
        "id": "expected-reactions",
        "advice": "Expect redness, swelling and pinpoint bleeding that settle within a week; report anything longer",
        "sources": ["Chu2021"],
        "grade": "H",
    },
    {
        "id": "sterile-products",
        "advice": "Only sterile products fit for intradermal use on the treated skin for the first day",
        "sources": ["Chu2021", "SoltaniArabshahi2014"],
        "grade": "H",
    },
]


def _schedule_region(
    r: dict[str, Any],
    offset: int,
    first_allowed: date,
    start: date,
    intake: PatientIntake,
    sources: set[str],
    n_virtual: int,
    seed: int,
    pv: ParameterValues,
    load: dict[date, tuple[float, float]],
    posterior: Posterior | None = None,
    closed: Collection[int] = (),
) -> list[date]:
    """Schedule one region's sessions (and their anaesthetic parts), predict its series; returns its needling days.

    ``offset`` is the region's anaesthetic day (:func:`_anaesthetic_days`); the sources used are added to
    ``sources``; ``load`` holds the cream (cm2, g) already planned per calendar day and gets this region's;
    ``closed`` are the weekdays the clinic is closed (0 Monday to 6 Sunday), which no session day falls on.
    """
    goal = r.pop("_goal")
    session = r.pop("_session")
    raw_vas = r.pop("_raw_vas")
    sources.update(session.sources)
    sources.update(r["evidence"].values())
    for c in r["depth_caps"]:
        sources.update(c["sources"])
    first = first_allowed + timedelta(days=offset)
    parts = anaesthetic_parts(r["anaesthesia"]) if r["anaesthesia"] else 1
    fits = None
    if r["anaesthesia"]:
        area, grams = r["anaesthesia"]["area_cm2"] / parts, r["anaesthesia"]["amount_g"] / parts

        def fits(d: date) -> bool:  # the cream of every part fits the label beside the regions on its day
            days = [load.get(d + timedelta(days=j), (0.0, 0.0)) for j in range(parts)]
            return all(
                a + area <= T.EMLA_MAX_AREA.value + 1e-9 and g + grams <= T.EMLA_MAX_DOSE.value + 1e-9 for a, g in days
            )

    dates, moves = _schedule(
        first, r["sessions"], r["interval_weeks"], r["_blackouts"], span=parts, fits=fits, closed=closed
    )
    if r["anaesthesia"]:
        for d in dates:
            for j in range(parts):
                a, g = load.get(d + timedelta(days=j), (0.0, 0.0))
                load[d + timedelta(days=j)] = (a + area, g + grams)
    if r["anaesthesia"]:
        an = r["anaesthesia"]
        an["day_offset"] = offset
        an["parts"] = parts
        if parts > 1:
            an["part_area_cm2"] = min(round(an["area_cm2"] / parts, 1), T.EMLA_MAX_AREA.value)
            an["part_amount_g"] = min(round(an["amount_g"] / parts, 1), T.EMLA_MAX_DOSE.value)
        an["label_max_g"] = T.EMLA_MAX_DOSE.value
        an["label_max_cm2"] = T.EMLA_MAX_AREA.value
        if an["day_offset"] or an["parts"] > 1:
            an["note"] = "label-limit"
        sources.update([T.EMLA_MAX_AREA.key, T.EMLA_MAX_DOSE.key])
    part_dates = [[d + timedelta(days=j) for j in range(parts)] for d in dates]
    step = r.pop("_step")
    proto = short_protocol(r["sessions"], r["interval_weeks"], [step])
    series, individual = predict_series(goal, intake, proto, n_virtual, seed, pv, posterior)
    sources.update(series.sources)
    outcome = series.outcome()
    timeline = _with_course([dict(row) for row in series.timeline()], individual)
    r["predicted"] = {
        "depth_um": round(session.depth_mean_um, 1),
        "depth_p5_um": round(session.depth_p5_um, 1),
        "depth_p95_um": round(session.depth_p95_um, 1),
        "bleeding_strikes_per_cm2": round(session.bleeding_strikes_per_cm2, 1),
        "vas": round(session.pain_vas, 2),
        "vas_without_anaesthesia": round(raw_vas, 2),
        "grade_mean_final": outcome.grade_mean,
        "final_interval_95": _final_interval(timeline),
        "grade_distribution_final": outcome.grade_distribution,
        "collagen_change_pct": outcome.collagen_change_pct,
        "outcome": {k: v for k, v in outcome.to_json().items() if k != "grade_distribution"},
        "adverse_events": series.risks().to_json(),
        "timeline": timeline,
        "punctured_fraction": round(session.punctured_fraction, 6),
    }
    if individual is not None:
        r["predicted"]["individual"] = individual.to_json()
    r["series"] = {
        "sessions": r["sessions"],
        "interval_weeks": r["interval_weeks"],
        "dates": [d.isoformat() for d in dates],
    }
    if parts > 1:  # each session's parts on consecutive days, the first on the session's date
        r["series"]["part_dates"] = [[d.isoformat() for d in days] for days in part_dates]
    if moves:  # a session that fell on a day the clinic is closed: the day it would have had
        r["series"]["moved_from"] = {d.isoformat(): was.isoformat() for d, was in moves.items()}
    if moves.get(dates[0], dates[0]) > start + timedelta(days=offset):  # moved by a window or a pause
        r["deferred_until"] = dates[0].isoformat()
    r["_dates"] = dates
    r["_days"] = [day for days in part_dates for day in days]
    return r["_days"]


def predict_series(
    goal: Goal,
    intake: PatientIntake,
    protocol: Any,
    n_virtual: int,
    seed: int,
    pv: ParameterValues,
    posterior: Posterior | None,
) -> tuple[SeriesResult, Individual | None]:
    """A region's series for patients like this one, over posterior draws, and the patient's own outcome.

    Parameters
    ----------
    goal : Goal
        The region, indication and grade.
    intake : PatientIntake
        The patient (age, sex, Fitzpatrick type).
    protocol : Protocol
        The region's series.
    n_virtual : int
        Virtual patients of this kind; a fifth of them (at least 20) go through every posterior draw.
    seed : int
        Seed of the patients and of each draw's clinic effect.
    pv : ParameterValues
        The parameter set the draws change (or the one run, without a posterior).
    posterior : Posterior or None
        The posterior draws (:func:`needling.cohort.bayes.individual.individual_series`); None: ``pv``
        alone, with ``n_virtual`` patients.

    Returns
    -------
    SeriesResult
        The series (timeline, outcome, risks) over every draw and patient.
    Individual or None
        One patient's outcome at the end of follow-up in plain numbers (None for topical delivery).
    """
    check_indication(goal.indication)
    site = get_site(goal.region)
    rng = np.random.default_rng(seed)
    m = n_virtual if posterior is None else patients_per_draw(n_virtual)
    p = intake.patient
    striae = goal.striae_type if goal.indication == "striae" else None
    patients = patients_like(
        m, rng, site, pv, grade=goal.grade, fitzpatrick=p.fitzpatrick, sex=p.sex, age=p.age, striae_type=striae
    )
    run, individual = individual_series(protocol, goal.indication, site, patients, pv, posterior, rng, 12.0)
    series = SeriesResult(goal.indication, site.name, protocol, int(run.grade.shape[0]), seed, run, run.sources)
    return series, individual


def _region_combinations(
    r: dict[str, Any],
    intake: PatientIntake,
    screening: Screening,
    combination: list[dict[str, Any]],
    dropped: list[dict[str, Any]],
    sources: set[str],
) -> None:
    """Add one region's combination steps to ``combination``; a peel too near needling or a window is dropped."""
    pause = timedelta(days=T.HOME_PAUSE_DAYS.value)
    goal = next(g for g in intake.goals if g.region == r["site"])
    for c in _combination(goal, intake, r["interval_weeks"]):
        if "offset_weeks" in c:  # the peel between needling sessions (Garg & Baveja: alternating)
            why = _peel_refused(r, intake, screening)
            if why:
                dropped.append({"id": c["id"], "region": r["site"], "reason": why})
                continue
            peel_dates = []
            for d in r["_dates"]:
                p = d + timedelta(weeks=c["offset_weeks"])
                near_needling = any(abs((p - n).days) < pause.days for n in r["_days"])
                in_window = any(lo < p < hi for lo, hi in r["_blackouts"])
                if near_needling or in_window:
                    dropped.append({"id": c["id"], "region": r["site"], "date": p.isoformat(), "reason": "peel-pause"})
                    continue
                peel_dates.append(p.isoformat())
            if not peel_dates:
                continue
            c["dates"] = peel_dates
        combination.append(c)
        sources.update(c["sources"])


#: The range of first-session dates a plan accepts: windows, deferrals and a series of sessions are
#: counted from it, so a date near the calendar's ends would run past what dates can hold.
EARLIEST_START, LATEST_START = date(1900, 1, 1), date(2999, 12, 31)


def _check_start(start: date) -> None:
    """Refuse a first-session date outside :data:`EARLIEST_START`..:data:`LATEST_START` in one line."""
    if not EARLIEST_START <= start <= LATEST_START:
        raise InputError(
            f"start {start.isoformat()} is out of range; valid: a date from {EARLIEST_START.isoformat()} "
            f"to {LATEST_START.isoformat()}",
            field="start",
        )


def _closed_days(weekdays: Collection[int]) -> frozenset[int]:
    """The weekdays the clinic is closed, checked: numbers 0 (Monday) to 6 (Sunday), at least one day open."""
    closed = frozenset(weekdays)
    if not closed <= set(range(7)) or len(closed) == 7:
        raise InputError(
            f"closed_weekdays: {sorted(closed)}; valid: weekday numbers 0 (Monday) to 6 (Sunday), not all seven",
            field="closed_weekdays",
        )
    return closed


def _moved_from(regions: list[dict[str, Any]]) -> dict[str, str]:
    """Every session day the regions moved off a closed day, with its original date; a day two regions were moved
    to keeps the earlier original."""
    moved: dict[str, str] = {}
    for r in regions:
        for day, was in (r["series"].get("moved_from") or {}).items():
            moved[day] = min(was, moved.get(day, was))
    return dict(sorted(moved.items()))


def make_plan(
    intake: PatientIntake,
    start: date | None = None,
    n_virtual: int = 200,
    seed: int = 0,
    devices: Mapping[str, Device] | None = None,
    parameters: ParameterValues | None = None,
    posterior: Any = "auto",
    closed_weekdays: Collection[int] = (),
) -> Plan:
    """Screen the patient and, unless treatment must not go ahead, propose a protocol per region.

    Parameters
    ----------
    intake : PatientIntake
        The validated patient: person, goals, conditions, medications, procedures and devices.
    start : date, optional
        Earliest date of the first session (default today); deferrals, pauses and procedure windows move it.
    n_virtual : int
        Virtual patients of this kind for the outcome distribution.
    seed : int
        Seed of the outcome simulation.
    devices : mapping of name to Device, optional
        The only devices the patient's ``devices`` may name (the clinic passes its catalogue and registered
        models, so nothing is read from disk); without it a name may also be a device file.
    parameters : ParameterValues, optional
        The model parameters of the predictions (default: :func:`needling.parameters.default_parameters`).
    posterior : Posterior, "auto" or None
        Posterior draws the predictions integrate over (:mod:`needling.cohort.bayes`). ``"auto"``: the
        shipped posterior when ``parameters`` is not given, none when it is (the given set alone).
    closed_weekdays : collection of int
        The weekdays the clinic is closed (0 Monday to 6 Sunday; the clinic passes Saturday and Sunday): a session
        day that falls on one moves to the next open day and pushes the following sessions, so no interval
        shrinks; the series records each moved day's original date in ``moved_from``. Empty by default (every
        day of the week, as the command line plans).

    Returns
    -------
    Plan
        The decision (``proceed``, ``proceed-with-caution``, ``defer`` or ``do-not-treat``), the reasons
        with their sources and grades, per-region settings (needle length in mm, interval in weeks),
        dates, home care, aftercare and the predicted outcome.
    """
    closed = _closed_days(closed_weekdays)
    pv = resolve(parameters)
    if isinstance(posterior, str):
        posterior = shipped() if parameters is None else None
    start = start or date.today()
    _check_start(start)
    screening = screen(intake, start)
    reasons = [f.to_json() for f in screening.findings]
    sources = {s for f in screening.findings for s in f.rule.sources}
    patient = intake.patient.model_dump(mode="json")
    base = {
        "reasons": reasons,
        "patient": patient,
        "start": start.isoformat(),
        "rules_version": rules_version(),
        "model_version": MODEL_VERSION,
        "aftercare": [],
    }
    stop = Plan(
        decision=screening.decision,
        regions=[],
        series={"sessions": 0, "interval_weeks": None, "dates": []},
        combination=[],
        home_care=None,
        sources=sorted(sources),
        not_treated=[],
        reassess_from=None,
        combination_dropped=[],
        **base,
    )
    if screening.decision in ("do-not-treat", "defer"):
        if screening.earliest_start:
            stop.reassess_from = screening.earliest_start.isoformat()
        return stop
    blackouts = screening.blackouts()
    first_allowed = max(start, screening.start_not_before() or start)
    regions, combination, dropped, not_treated = [], [], [], []
    for goal in intake.goals:
        if "skip_region" in screening.modifications(goal.region):
            not_treated.append({"region": goal.region, "indication": goal.indication, "reason": "grade-0"})
            continue
        r = _region_protocol(goal, intake, screening, devices, pv)
        r["_goal"] = goal
        r["_blackouts"] = sorted(blackouts.get(goal.region, []))
        regions.append(r)
    if not regions:
        stop.decision = "do-not-treat"
        stop.not_treated = [NotTreated.model_validate(n) for n in not_treated]
        return stop
    offsets = _anaesthetic_days(regions)
    visits: set[date] = set()
    load: dict[date, tuple[float, float]] = {}
    for r in regions:
        offset = offsets.get(r["site"], 0)
        visits.update(
            _schedule_region(
                r, offset, first_allowed, start, intake, sources, n_virtual, seed, pv, load, posterior, closed
            )
        )
    needling_days = sorted(visits)
    for r in regions:
        _region_combinations(r, intake, screening, combination, dropped, sources)
    for r in regions:
        r.pop("_dates")
        r.pop("_days")
    for a in AFTERCARE:
        sources.update(a["sources"])
    home = _home_care(intake, regions, first_allowed, dropped, pv)
    for r in regions:
        r.pop("_blackouts")
    if home:
        sources.update(home["sources"])
    if dropped:
        sources.add(T.PEEL_MIN_REGION_LIMIT.key)
    series: dict[str, Any] = {
        "sessions": len(needling_days),
        "interval_weeks": min(r["interval_weeks"] for r in regions),
        "dates": [d.isoformat() for d in needling_days],
    }
    moved_from = _moved_from(regions)
    if moved_from:
        series["moved_from"] = moved_from
    base["aftercare"] = AFTERCARE
    return Plan(
        decision=screening.decision,
        regions=regions,
        series=series,
        combination=combination,
        home_care=home,
        sources=sorted(sources),
        not_treated=not_treated,
        reassess_from=None,
        combination_dropped=dropped,
        **base,
    )


def _peel_refused(region: dict[str, Any], intake: PatientIntake, screening: Screening) -> str | None:
    """Why a peel is not scheduled in a region (None when it may be)."""
    if intake.setting == "home":
        return "home-setting"
    if "no_peel" in screening.modifications(region["site"]):
        return "rule"
    if region["limit_mm"] < T.PEEL_MIN_REGION_LIMIT.value:
        return "thin-skin"
    return None
