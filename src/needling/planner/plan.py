"""Plan assembly: screening, per-region protocol with its evidence, predictions, schedule. Pure functions."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from needling import __version__ as MODEL_VERSION
from needling.anatomy import get_site
from needling.cohort import run_series
from needling.devices import HOME_NEEDLE_LIMIT, HOME_NEEDLE_RECOMMENDED, Device, get_device
from needling.errors import unknown_name_error
from needling.evidence import Assumption, Cited
from needling.parameters import ParameterValues, cached_on_parameters, resolve
from needling.planner import protocol_table as T
from needling.planner.intake import Goal, PatientIntake
from needling.planner.plan_model import Plan
from needling.planner.rules import Screening, rules_version, screen
from needling.protocol import Needle, short_protocol
from needling.simulation import Technique, anaesthesia_effect, quick_session

ROLLER_LENGTHS = (0.2, 0.5, 1.0, 1.5, 2.0)


def region_limit_mm(site_name: str, sex: str) -> tuple[float, str]:
    """The longest needle for a region and the key of its source: the depth chart, else the thickness rule."""
    if site_name in T.REGION_MAX:
        p = T.REGION_MAX[site_name]
        return p.value, p.key
    bottom_mm = get_site(site_name).layer_bottoms_um(sex)["reticular_dermis"] / 1000.0
    limit = math.floor(T.THICKNESS_LIMIT_FACTOR.value * bottom_mm * 4) / 4
    return min(limit, T.ABSOLUTE_MAX.value), T.THICKNESS_LIMIT_FACTOR.key


def min_interval_weeks(length_mm: float, site_name: str) -> tuple[float, str]:
    """The shortest interval allowed after needling of this length on this site, and its source key."""
    if site_name == "scalp" and length_mm > 0.5:
        return T.MIN_INTERVAL_SCALP.value, T.MIN_INTERVAL_SCALP.key
    for top, p in T.MIN_INTERVAL:
        if length_mm <= top + 1e-9:
            weeks = p.value / 7.0 if p.unit == "day" else p.value
            return weeks, p.key
    raise ValueError(f"needle length {length_mm} mm above 3 mm")


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

    Returns
    -------
    (device, needle length in mm, note) : the note says why the catalogue was used instead of an available device.
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
def _anaesthesia(pv: ParameterValues, agent: str, minutes: float, site: str, sex: str) -> Any:
    """The anaesthetic's effect (deterministic in its arguments, so computed once per agent, time, site and sex)."""
    return anaesthesia_effect(agent, minutes, site, sex=sex, parameters=pv)


def _region_protocol(
    goal: Goal,
    intake: PatientIntake,
    screening: Screening,
    devices: Mapping[str, Device] | None = None,
    pv: ParameterValues | None = None,
) -> dict[str, Any]:
    pv = resolve(pv)
    sex = intake.patient.sex
    mods = screening.modifications()
    evidence: dict[str, str] = {}
    length, evidence["needle_length_mm"] = _param(T.LENGTH_BY_INDICATION[goal.indication])
    cap, cap_key = region_limit_mm(goal.region, sex)
    limits = [(cap, cap_key)]
    if intake.setting == "home" or "max_needle_mm=home" in mods:
        limits.append((HOME_NEEDLE_RECOMMENDED.value, HOME_NEEDLE_RECOMMENDED.key))
    if "max_needle_mm=0.5" in mods:
        limits.append((0.5, "ClinicContraindications"))
    for lim, key in limits:
        if lim < length:
            length, evidence["needle_length_mm"] = lim, key
    device, length, device_note = choose_device(length, intake.setting, intake.devices, devices)
    kind = device.kind if isinstance(device, Device) else "roller"
    device_name = device.name if isinstance(device, Device) else device
    pen_settings = None
    if kind == "pen":
        passes, evidence["passes"] = _param(T.PASSES_PEN)
        directions = 2
        step = Needle.with_device(device, int(passes), directions, length_mm=length)
        pen_settings = {
            "depth_mm": length,
            "passes": int(passes),
            "directions": directions,
            "frequency_hz": device.frequency_hz,
            "skin": "stretched",
        }
    else:
        short = length <= 0.5
        passes, evidence["passes"] = _param(T.PASSES_ROLLER_SHORT if short else T.PASSES_ROLLER)
        directions = 2 if short else 3
        step = Needle.with_device(device, int(passes), directions)
    # The region's session and its series (make_plan) are computed from this one step: same device, same settings.
    technique = Technique(**step.settings())
    used_device = step.resolve_device()
    anaesthesia = None
    effect = None
    if length >= T.ANAESTHESIA_FROM_MM.value and "no_topical_anaesthetic" not in mods:
        minutes = pv.value("emla-time")
        effect = _anaesthesia("lidocaine-prilocaine", minutes, goal.region, sex, parameters=pv)
        anaesthesia = {
            "agent": "lidocaine-prilocaine",
            "minutes": minutes,
            "occluded": True,
            "pain_multiplier": round(effect.pain_multiplier, 3),
        }
        evidence["anaesthesia.minutes"] = pv["emla-time"].key
    session = quick_session(used_device, goal.region, technique, sex=sex, anaesthesia=effect, parameters=pv)
    raw_vas = (
        quick_session(used_device, goal.region, technique, sex=sex, parameters=pv).pain_vas
        if effect is not None
        else session.pain_vas
    )
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


def _final_interval(timeline: list[dict[str, Any]]) -> dict[str, Any]:
    """The 2.5-97.5 % range of the main outcome at the end of follow-up (grade, hair count or improvement)."""
    last = timeline[-1]
    for key in ("grade", "hair_count_change", "improvement_pct", "collagen_rel"):
        if f"{key}_p2_5" in last:
            mean = last[key] if key == "collagen_rel" else last[f"{key}_mean"]
            return {"measure": key, "mean": mean, "low": last[f"{key}_p2_5"], "high": last[f"{key}_p97_5"]}
    return {}


def _home_care(intake: PatientIntake, regions: list[dict[str, Any]], mods: set[str]) -> dict[str, Any] | None:
    # home rolling fits between clinic sessions only if the interval leaves room for the pause before and after
    suitable = [
        r
        for r in regions
        if r["indication"] in ("fine-lines", "androgenetic-alopecia", "topical-delivery", "pih", "melasma")
        and r["interval_weeks"] * 7 > 2 * T.HOME_PAUSE_DAYS.value
    ]
    if intake.setting != "home" and not suitable:
        return None
    areas = [r["site"] for r in (regions if intake.setting == "home" else suitable)]
    return {
        "device": "home-roller-540-0.25",
        "needle_length_mm": 0.25,
        "max_needle_mm": HOME_NEEDLE_LIMIT.value,
        "frequency_weeks": T.HOME_FREQUENCY.value,
        "areas": areas,
        "topical": "none during needling; only sterile products fit for intradermal use",
        "pause_days_around_clinic_and_peels": T.HOME_PAUSE_DAYS.value,
        "stop_if": ["signs of infection", "redness lasting more than a week", "bleeding", "a broken needle"],
        "stop_if_ids": ["infection", "long-redness", "bleeding", "broken-needle"],
        "sources": [HOME_NEEDLE_LIMIT.key, HOME_NEEDLE_RECOMMENDED.key, T.HOME_FREQUENCY.key, T.HOME_PAUSE_DAYS.key],
    }


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


def make_plan(
    intake: PatientIntake,
    start: date | None = None,
    n_virtual: int = 200,
    seed: int = 0,
    devices: Mapping[str, Device] | None = None,
    parameters: ParameterValues | None = None,
) -> Plan:
    """Screen the patient and, unless treatment must not go ahead, propose a protocol per region.

    Parameters
    ----------
    intake : PatientIntake
    start : date, optional
        Earliest date of the first session (default today); deferrals move it.
    n_virtual : int
        Virtual patients of this kind for the outcome distribution.
    seed : int
        Seed of the outcome simulation.
    devices : mapping of name to Device, optional
        The only devices the patient's ``devices`` may name (the clinic passes its catalogue and registered
        models, so nothing is read from disk); without it a name may also be a device file.
    parameters : ParameterValues, optional
        The model parameters of the predictions (default: :func:`needling.parameters.default_parameters`).
    """
    pv = resolve(parameters)
    start = start or date.today()
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
    if screening.decision in ("do-not-treat", "defer"):
        if screening.earliest_start:
            base["start"] = screening.earliest_start.isoformat()
        return Plan(
            decision=screening.decision,
            regions=[],
            series={"sessions": 0, "interval_weeks": None, "dates": []},
            combination=[],
            home_care=None,
            sources=sorted(sources),
            **base,
        )
    deferred = screening.deferred_regions()
    regions, combination, visits = [], [], set()
    for goal in intake.goals:
        r = _region_protocol(goal, intake, screening, devices, pv)
        session = r.pop("_session")
        raw_vas = r.pop("_raw_vas")
        sources.update(session.sources)
        sources.update(r["evidence"].values())
        first = max(start, deferred.get(goal.region, start))
        dates = [first + timedelta(days=round(7 * r["interval_weeks"] * k)) for k in range(r["sessions"])]
        visits.update(dates)
        step = r.pop("_step")
        proto = short_protocol(r["sessions"], r["interval_weeks"], [step])
        series = run_series(
            goal.indication,
            goal.region,
            proto,
            grade=goal.grade,
            follow_up_weeks=12,
            n=n_virtual,
            seed=seed,
            fitzpatrick=intake.patient.fitzpatrick,
            sex=intake.patient.sex,
            age=intake.patient.age,
            parameters=pv,
        )
        sources.update(series.sources)
        outcome = series.outcome()
        timeline = [dict(row) for row in series.timeline()]
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
        }
        r["series"] = {
            "sessions": r["sessions"],
            "interval_weeks": r["interval_weeks"],
            "dates": [d.isoformat() for d in dates],
        }
        if goal.region in deferred:
            r["deferred_until"] = deferred[goal.region].isoformat()
        regions.append(r)
        for c in _combination(goal, intake, r["interval_weeks"]):
            if "offset_weeks" in c:  # the peel between needling sessions (Garg & Baveja: alternating)
                c["dates"] = [(d + timedelta(weeks=c["offset_weeks"])).isoformat() for d in dates]
            combination.append(c)
            sources.update(c["sources"])
    for a in AFTERCARE:
        sources.update(a["sources"])
    home = _home_care(intake, regions, screening.modifications())
    if home:
        sources.update(home["sources"])
    dates = sorted(visits)
    series = {
        "sessions": len(dates),
        "interval_weeks": min(r["interval_weeks"] for r in regions),
        "dates": [d.isoformat() for d in dates],
    }
    base["aftercare"] = AFTERCARE
    return Plan(
        decision=screening.decision,
        regions=regions,
        series=series,
        combination=combination,
        home_care=home,
        sources=sorted(sources),
        **base,
    )
