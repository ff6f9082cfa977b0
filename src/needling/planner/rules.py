"""Screening and protocol rules, loaded from ``rules.toml`` and evaluated against a patient.

A rule fires on a trigger (a condition, medications by ATC group and route with a window after the last dose,
an unrecognised medication, pregnancy, age, a procedure done or booked in a treated region, the setting, a
region, the skin type, a grade-0 goal, or always) and has an effect: ``do-not-treat``, ``defer-until`` (with a
date where one follows from the trigger), ``caution`` or ``modify`` (changes to the protocol). A rule's scope is
the patient or the regions it names. Every rule carries its sources and grade.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from needling.planner import protocol_table as T
from needling.planner.intake import PatientIntake

MONTH_DAYS = 30.44


@dataclass(frozen=True)
class Rule:
    """A rule as data.

    Attributes
    ----------
    id : str
        The rule's id.
    effect : {"do-not-treat", "defer-until", "caution", "modify"}
        What the rule does when it fires.
    trigger : dict
        What makes it fire (a condition, ATC groups, a procedure, a patient feature, ...).
    message, patient : str
        The clinician's and the patient's message.
    sources : tuple of str
        Evidence keys.
    grade : str
        Grade of the evidence.
    modify : tuple of str
        Protocol changes it asks for.
    conflict : dict of str to tuple of str
        Where guidance conflicts, the sources on each side.
    scope : {"patient", "region"}
        Whether it acts on the whole patient or on the regions its finding names.
    when_stopped : str or None
        The effect while a stopped medication's window runs, where it differs.
    """

    id: str
    effect: str
    trigger: dict[str, Any]
    message: str
    patient: str
    sources: tuple[str, ...]
    grade: str
    modify: tuple[str, ...] = ()
    #: Where guidance conflicts: the sources on each side (e.g. ``{"avoid": [...], "no_delay": [...]}``).
    conflict: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: ``patient`` or ``region`` (the rule acts on the regions its finding names).
    scope: str = "patient"
    #: The effect while a stopped medication's window runs, where it differs from the effect while it is taken.
    when_stopped: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the rule as JSON (``needling rules list --json``).

        Returns
        -------
        dict
            ``id``, ``effect``, ``trigger``, ``message``, ``patient_message``, ``modify``, ``sources``
            (evidence keys), ``grade`` and ``scope``; ``when_stopped`` and ``conflict`` when the rule has them.
        """
        out = {
            "id": self.id,
            "effect": self.effect,
            "trigger": self.trigger,
            "message": self.message,
            "patient_message": self.patient,
            "modify": list(self.modify),
            "sources": list(self.sources),
            "grade": self.grade,
            "scope": self.scope,
        }
        if self.when_stopped:
            out["when_stopped"] = self.when_stopped
        if self.conflict:
            out["conflict"] = {k: list(v) for k, v in self.conflict.items()}
        return out


@dataclass
class Finding:
    """A rule that fired for this patient (and for which regions).

    Attributes
    ----------
    rule : Rule
        The rule.
    message, patient_message : str
        The clinician's and the patient's message, placeholders filled.
    until : date or None
        End of a deferral.
    regions : tuple of str
        The regions it acts on (empty: the whole patient).
    values : dict
        What filled the message's placeholders.
    windows : tuple of tuple of (str, date, date)
        Periods with no needling, per region, as open intervals.
    effect_override : str or None
        The effect that applies instead of the rule's (its ``when_stopped`` effect).
    """

    rule: Rule
    message: str
    patient_message: str
    until: date | None = None
    regions: tuple[str, ...] = ()
    #: What filled the message's placeholders (``date``, ``from``, ``until``, ``names``; ``until_months`` after
    #: the last dose).
    values: dict[str, Any] = field(default_factory=dict)
    #: Periods with no needling, per region: (region, first day excluded..., last day excluded) as open intervals
    #: ``(lo, hi)``: a session on ``d`` is allowed only if ``d <= lo`` or ``d >= hi``.
    windows: tuple[tuple[str, date, date], ...] = ()
    #: The effect that applies (the rule's, or its ``when_stopped`` effect).
    effect_override: str | None = None

    @property
    def effect(self) -> str:
        """The effect that applies: the rule's, or its ``when_stopped`` effect."""
        return self.effect_override or self.rule.effect

    def to_json(self) -> dict[str, Any]:
        """Return the finding as JSON, as the plan's reasons store it.

        Returns
        -------
        dict
            ``rule``, ``effect``, ``message``, ``sources`` (evidence keys) and ``grade``; ``conflict``,
            ``until`` (ISO date), ``regions``, ``values`` and ``windows`` (ISO dates) when present.
        """
        out = {
            "rule": self.rule.id,
            "effect": self.effect,
            "message": self.message,
            "sources": list(self.rule.sources),
            "grade": self.rule.grade,
        }
        if self.rule.conflict:
            out["conflict"] = {k: list(v) for k, v in self.rule.conflict.items()}
        if self.until:
            out["until"] = self.until.isoformat()
        if self.regions:
            out["regions"] = list(self.regions)
        if self.values:
            out["values"] = dict(self.values)
        if self.windows:
            out["windows"] = [
                {"region": r, "from": lo.isoformat(), "until": hi.isoformat()} for r, lo, hi in self.windows
            ]
        return out


@cache
def _load() -> tuple[str, tuple[Rule, ...]]:
    data = tomllib.loads((resources.files("needling.planner") / "rules.toml").read_text(encoding="utf-8"))
    rules = tuple(
        Rule(
            id=r["id"],
            effect=r["effect"],
            trigger=dict(r["trigger"]),
            message=r["message"],
            patient=r["patient"],
            sources=tuple(r["sources"]),
            grade=r["grade"],
            modify=tuple(r.get("modify", ())),
            conflict={k: tuple(v) for k, v in r.get("conflict", {}).items()},
            scope=r.get("scope", "patient"),
            when_stopped=r.get("when_stopped"),
        )
        for r in data["rule"]
    )
    return data["version"], rules


def list_rules() -> list[Rule]:
    """Return every rule, in file order.

    Returns
    -------
    list of Rule
        The bundled rule set (``rules.toml``), each rule with its sources and grade.
    """
    return list(_load()[1])


def rules_version() -> str:
    """Return the version of the rule set.

    Returns
    -------
    str
        The rule set's ``version``, stored with each plan.
    """
    return _load()[0]


def _months(d: date, months: float) -> date:
    """``d`` plus a number of calendar months (the day clamped to the month's length)."""
    import calendar

    whole = int(months)
    y, m = divmod(d.month - 1 + whole, 12)
    year, month = d.year + y, m + 1
    out = date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
    return out + timedelta(days=round((months - whole) * MONTH_DAYS))


def _fill(text: str, values: dict[str, Any]) -> str:
    for k, v in values.items():
        text = text.replace("{" + k + "}", str(v))
    return text


def _after_last_dose(last: date, days: float) -> date:
    """The end of a medication's window: whole calendar months for windows of a month or more, else days."""
    if days >= 28:
        return _months(last, round(days / MONTH_DAYS, 3))
    return last + timedelta(days=math.ceil(days))


def _medication_finding(rule: Rule, intake: PatientIntake, on: date) -> Finding | None:
    t = rule.trigger
    window = T.MEDICATION_WINDOWS[t["window"]].value if "window" in t else None
    meds = intake.drugs(tuple(t["atc"]), t.get("route"))
    active = [m for m in meds if m.last_dose is None or window is None or _after_last_dose(m.last_dose, window) > on]
    if len({m.code for m in active}) < t.get("min_count", 1) or not active:
        return None
    ongoing = any(m.last_dose is None for m in active)
    until = None
    if window is not None:
        if not ongoing:
            until = max(_after_last_dose(m.last_dose, window) for m in active if m.last_dose)
        elif "pause_before_start" in rule.modify:
            until = on + timedelta(days=math.ceil(window))
    if until is not None:
        values: dict[str, Any] = {"until": until.isoformat()}
        text = until.isoformat()
    elif window is not None and window >= 28:
        months = round(window / MONTH_DAYS)
        values = {"until_months": months}
        text = f"{months:g} months after the last dose"
    else:
        values, text = {}, "the end of treatment"
    values["names"] = ", ".join(m.label for m in active)
    effect = rule.when_stopped if (rule.when_stopped and not ongoing) else None
    fill = {"until": text, "names": values["names"]}
    return Finding(
        rule, _fill(rule.message, fill), _fill(rule.patient, fill), until, values=values, effect_override=effect
    )


def procedure_window_days(kind: str, needle_length_mm: float | None, region: str) -> tuple[int, int]:
    """Return the days without needling (after a procedure, before a booked one) for a procedure kind in a region.

    Parameters
    ----------
    kind : str
        The procedure kind (``microneedling`` or a kind of ``PROCEDURE_WINDOWS``: peels, lasers, fillers, ...).
    needle_length_mm : float or None
        For an earlier needling session, its needle length, mm; None when not recorded (a named assumption,
        ``previous-needling-length-unknown``, is used).
    region : str
        The skin site, for the interval after needling.

    Returns
    -------
    after_days : int
        Days after the procedure without needling.
    before_days : int
        Days before a booked procedure without needling.
    """
    if kind == "microneedling":
        length = needle_length_mm if needle_length_mm is not None else T.UNKNOWN_PREVIOUS_NEEDLE.value
        weeks, _ = T.min_interval_weeks(length, region)
        days = math.ceil(weeks * 7 - 1e-9)
        return days, days
    after, before = T.PROCEDURE_WINDOWS[kind]
    return math.ceil(after.value), math.ceil(before.value)


def _procedure_finding(rule: Rule, intake: PatientIntake, on: date, regions: tuple[str, ...]) -> Finding | None:
    kinds = set(rule.trigger["procedure"])
    windows: list[tuple[str, date, date]] = []
    latest: tuple[date, date, date] | None = None
    for pr in intake.procedures:
        if pr.kind not in kinds:
            continue
        targets = [pr.region] if pr.region is not None else list(regions)
        for region in targets:
            if region not in regions:
                continue
            after, before = procedure_window_days(pr.kind, pr.needle_length_mm, region)
            lo, hi = pr.date - timedelta(days=before), pr.date + timedelta(days=after)
            if hi <= on:
                continue  # a past procedure whose window has ended
            windows.append((region, lo, hi))
            if latest is None or hi > latest[2]:
                latest = (pr.date, lo, hi)
    if not windows or latest is None:
        return None
    fill = {"date": latest[0].isoformat(), "from": latest[1].isoformat(), "until": latest[2].isoformat()}
    hit = tuple(sorted({w[0] for w in windows}))
    return Finding(
        rule, _fill(rule.message, fill), _fill(rule.patient, fill), latest[2], hit, values=fill, windows=tuple(windows)
    )


def _unrecognised_finding(rule: Rule, intake: PatientIntake) -> Finding | None:
    """The finding naming the medications the coded table does not know, or None when it knows them all."""
    names = ", ".join(m.label for m in intake.unrecognised_medications())
    if not names:
        return None
    fill = {"names": names}
    return Finding(rule, _fill(rule.message, fill), _fill(rule.patient, fill), values=fill)


def _procedure_ever_finding(rule: Rule, intake: PatientIntake, on: date, regions: tuple[str, ...]) -> Finding | None:
    """The finding for a procedure done at any time up to ``on`` in a treated region (e.g. past radiotherapy)."""
    kinds = set(rule.trigger["procedure_ever"])
    hits = [
        pr
        for pr in intake.procedures
        if pr.kind in kinds and pr.date <= on and (pr.region is None or pr.region in regions)
    ]
    if not hits:
        return None
    hit_regions = tuple(
        sorted(
            {pr.region for pr in hits if pr.region} | (set(regions) if any(pr.region is None for pr in hits) else set())
        )
    )
    fill = {"date": max(pr.date for pr in hits).isoformat()}
    return Finding(rule, _fill(rule.message, fill), _fill(rule.patient, fill), None, hit_regions, values=fill)


def evaluate(rule: Rule, intake: PatientIntake, on: date) -> Finding | None:
    """Return the finding if ``rule`` fires for ``intake`` on the date ``on``, else None.

    Parameters
    ----------
    rule : Rule
        One rule of :func:`list_rules`.
    intake : PatientIntake
        The validated patient.
    on : date
        The day of screening (medication windows and procedure dates are counted from it).

    Returns
    -------
    Finding or None
        The finding with its message, regions, dates and values; None when the rule does not fire.

    Raises
    ------
    ValueError
        If the rule has a trigger this function does not know (a fault of the rule set, not of the input).
    """
    t = rule.trigger
    p = intake.patient
    regions = tuple(g.region for g in intake.goals)
    plain = Finding(rule, rule.message, rule.patient)
    if t.get("always"):
        return plain
    if "condition" in t:
        return plain if intake.has(t["condition"]) else None
    if "atc" in t:
        return _medication_finding(rule, intake, on)
    if t.get("unrecognised_medication"):
        return _unrecognised_finding(rule, intake)
    if t.get("pregnant"):
        return plain if p.pregnant else None
    if t.get("breastfeeding"):
        return plain if p.breastfeeding else None
    if "age_below" in t:  # "Aged 18-21" fired for a 17-year-old beside "Under 18: not treated" without age_from
        return plain if t.get("age_from", 0) <= p.age < t["age_below"] else None
    if "procedure" in t:
        return _procedure_finding(rule, intake, on, regions)
    if "procedure_ever" in t:
        return _procedure_ever_finding(rule, intake, on, regions)
    if "setting" in t:
        return plain if intake.setting == t["setting"] else None
    if "region" in t:
        return Finding(rule, rule.message, rule.patient, regions=(t["region"],)) if t["region"] in regions else None
    if "fitzpatrick_at_least" in t:
        return plain if p.fitzpatrick >= t["fitzpatrick_at_least"] else None
    if t.get("goal_grade_zero"):
        zero = tuple(g.region for g in intake.goals if g.indication == "acne-scars" and g.grade == 0)
        return Finding(rule, rule.message, rule.patient, regions=zero) if zero else None
    raise ValueError(f"rule {rule.id} has an unknown trigger {t}")


@dataclass
class Screening:
    """The screening of a patient on a date.

    Attributes
    ----------
    decision : {"proceed", "proceed-with-caution", "defer", "do-not-treat"}
        The strictest effect that fired.
    findings : list of Finding
        Every rule that fired.
    earliest_start : date or None
        End of a whole-patient deferral, when known.
    """

    decision: str
    findings: list[Finding] = field(default_factory=list)
    earliest_start: date | None = None

    def of_effect(self, effect: str) -> list[Finding]:
        """Return the findings with one effect.

        Parameters
        ----------
        effect : {"do-not-treat", "defer-until", "caution", "modify"}
            The effect wanted.

        Returns
        -------
        list of Finding
            The findings whose applying effect is ``effect``, in rule order.
        """
        return [f for f in self.findings if f.effect == effect]

    def modifications(self, region: str | None = None) -> set[str]:
        """Return the protocol changes for the whole patient, and for ``region`` when given.

        Parameters
        ----------
        region : str, optional
            A treated region; None for the patient-wide changes only.

        Returns
        -------
        set of str
            The ``modify`` codes of the findings that act there.
        """
        return {
            m
            for f in self.findings
            if f.rule.scope == "patient" or (region is not None and region in f.regions)
            for m in f.rule.modify
        }

    def findings_for(self, region: str) -> list[Finding]:
        """Return the findings that act on a region: the patient-wide ones and those naming it.

        Parameters
        ----------
        region : str
            A treated region.

        Returns
        -------
        list of Finding
            Those findings, in rule order.
        """
        return [f for f in self.findings if f.rule.scope == "patient" or region in f.regions]

    def blackouts(self) -> dict[str, list[tuple[date, date]]]:
        """Return, per region, the open intervals ``(lo, hi)`` in which no session may fall.

        Returns
        -------
        dict of str to list of tuple of (date, date)
            A session on ``d`` is allowed only if ``d <= lo`` or ``d >= hi`` for every interval of its region.
        """
        out: dict[str, list[tuple[date, date]]] = {}
        for f in self.findings:
            for region, lo, hi in f.windows:
                out.setdefault(region, []).append((lo, hi))
        return out

    def start_not_before(self) -> date | None:
        """Return the earliest first session a pause before needling allows (e.g. a topical retinoid), else None.

        Returns
        -------
        date or None
            The latest end of the findings' pauses before the start; None when no finding asks for one.
        """
        dates = [f.until for f in self.findings if "pause_before_start" in f.rule.modify and f.until]
        return max(dates) if dates else None


def screen(intake: PatientIntake, on: date | None = None) -> Screening:
    """Apply every rule; the decision is the strictest effect that fired.

    ``do-not-treat`` wins, whatever else fired; then a whole-patient ``defer-until`` (what ends: an active
    infection, cold sore, open wound or active acne until healed or controlled, sunburn, pregnancy,
    breast-feeding, uncontrolled diabetes, recent chemotherapy); region-scoped deferrals only move those regions'
    dates; ``caution`` or ``modify`` give ``proceed-with-caution``.

    Parameters
    ----------
    intake : PatientIntake
        The validated patient.
    on : date, optional
        The day of screening (default today).

    Returns
    -------
    Screening
        The decision (``proceed``, ``proceed-with-caution``, ``defer`` or ``do-not-treat``), every finding
        with its sources and grade, and the earliest start of a whole-patient deferral when known.
    """
    on = on or date.today()
    findings = [f for r in list_rules() if (f := evaluate(r, intake, on)) is not None]
    s = Screening("proceed", findings)
    if s.of_effect("do-not-treat"):
        s.decision = "do-not-treat"
        return s
    whole_defer = [f for f in s.of_effect("defer-until") if f.rule.scope == "patient"]
    if whole_defer:
        s.decision = "defer"
        dates = [f.until for f in whole_defer if f.until]
        s.earliest_start = max(dates) if dates and len(dates) == len(whole_defer) else None
        return s
    if any(
        f.effect in ("caution", "modify", "defer-until") and f.rule.id != "P01-intradermal-products" for f in findings
    ):
        s.decision = "proceed-with-caution"
    return s
