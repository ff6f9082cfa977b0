"""Screening and protocol rules, loaded from ``rules.toml`` and evaluated against a patient.

A rule fires on a trigger (a condition, a medication or its class with a time window, pregnancy,
age, a recent procedure in a treated region, the setting, a region, the skin type, or always) and has
an effect: ``do-not-treat``, ``defer-until`` (with a date where one follows from the trigger),
``caution`` or ``modify`` (changes to the protocol). Every rule carries its sources and grade.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from needling.planner.intake import PatientIntake

MONTH_DAYS = 30.44


@dataclass(frozen=True)
class Rule:
    """A rule as data."""

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

    def to_json(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "effect": self.effect,
            "trigger": self.trigger,
            "message": self.message,
            "patient_message": self.patient,
            "modify": list(self.modify),
            "sources": list(self.sources),
            "grade": self.grade,
        }
        if self.conflict:
            out["conflict"] = {k: list(v) for k, v in self.conflict.items()}
        return out


@dataclass
class Finding:
    """A rule that fired for this patient (and for which regions)."""

    rule: Rule
    message: str
    patient_message: str
    until: date | None = None
    regions: tuple[str, ...] = ()
    #: What filled the message's placeholders (``date``, ``until``; ``until_months`` after the last dose).
    values: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = {
            "rule": self.rule.id,
            "effect": self.rule.effect,
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
        )
        for r in data["rule"]
    )
    return data["version"], rules


def list_rules() -> list[Rule]:
    """Every rule, in file order."""
    return list(_load()[1])


def rules_version() -> str:
    """The version of the rule set."""
    return _load()[0]


def _months(d: date, months: float) -> date:
    """``d`` plus a number of calendar months (the day clamped to the month's length)."""
    import calendar

    whole = int(months)
    y, m = divmod(d.month - 1 + whole, 12)
    year, month = d.year + y, m + 1
    out = date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
    return out + timedelta(days=round((months - whole) * MONTH_DAYS))


def evaluate(rule: Rule, intake: PatientIntake, on: date) -> Finding | None:
    """Return the finding if ``rule`` fires for ``intake`` on the date ``on``, else None."""
    t = rule.trigger
    p = intake.patient
    regions = tuple(g.region for g in intake.goals)
    if t.get("always"):
        return Finding(rule, rule.message, rule.patient)
    if "condition" in t:
        return Finding(rule, rule.message, rule.patient) if intake.has(t["condition"]) else None
    if "medication_class" in t:
        return Finding(rule, rule.message, rule.patient) if intake.drugs(t["medication_class"]) else None
    if "medication" in t:
        meds = [m for m in intake.medications if m.name == t["medication"]]
        if not meds:
            return None
        months = t.get("within_months")
        last = max((m.last_dose for m in meds if m.last_dose), default=None)
        ongoing = any(m.last_dose is None for m in meds)
        until = _months(last, months) if months and last and not ongoing else None
        if until is not None and until <= on:
            return None
        after = f"{months:g} months after the last dose" if months else "the end of treatment"
        msg = rule.message.replace("{until}", until.isoformat() if until else after)
        values = {"until": until.isoformat()} if until else ({"until_months": months} if months else {})
        return Finding(
            rule, msg, rule.patient.replace("{until}", until.isoformat() if until else after), until, values=values
        )
    if t.get("pregnant"):
        return Finding(rule, rule.message, rule.patient) if p.pregnant else None
    if t.get("breastfeeding"):
        return Finding(rule, rule.message, rule.patient) if p.breastfeeding else None
    if "age_below" in t:
        return Finding(rule, rule.message, rule.patient) if p.age < t["age_below"] else None
    if "procedure" in t:
        months = t.get("within_months", 6)
        hits = [
            pr
            for pr in intake.procedures
            if pr.kind == t["procedure"]
            and pr.date <= on
            and _months(pr.date, months) > on
            and (pr.region is None or pr.region in regions)
        ]
        if not hits:
            return None
        latest = max(hits, key=lambda pr: pr.date)
        until = _months(latest.date, months)
        hit_regions = tuple(sorted({pr.region for pr in hits if pr.region} & set(regions))) or regions
        fill = {"{date}": latest.date.isoformat(), "{until}": until.isoformat()}
        msg, pmsg = rule.message, rule.patient
        for k, v in fill.items():
            msg, pmsg = msg.replace(k, v), pmsg.replace(k, v)
        return Finding(rule, msg, pmsg, until, hit_regions, values={"date": fill["{date}"], "until": fill["{until}"]})
    if "setting" in t:
        return Finding(rule, rule.message, rule.patient) if intake.setting == t["setting"] else None
    if "region" in t:
        return Finding(rule, rule.message, rule.patient, regions=(t["region"],)) if t["region"] in regions else None
    if "fitzpatrick_at_least" in t:
        return Finding(rule, rule.message, rule.patient) if p.fitzpatrick >= t["fitzpatrick_at_least"] else None
    raise ValueError(f"rule {rule.id} has an unknown trigger {t}")


@dataclass
class Screening:
    """The screening of a patient on a date."""

    decision: str
    findings: list[Finding] = field(default_factory=list)
    earliest_start: date | None = None

    def of_effect(self, effect: str) -> list[Finding]:
        return [f for f in self.findings if f.rule.effect == effect]

    def modifications(self) -> set[str]:
        return {m for f in self.findings for m in f.rule.modify}

    def deferred_regions(self) -> dict[str, date]:
        """Regions deferred to a date by a region-specific rule."""
        out: dict[str, date] = {}
        for f in self.of_effect("defer-until"):
            if f.until and f.regions and f.rule.trigger.get("region") == "goal":
                for r in f.regions:
                    out[r] = max(out.get(r, f.until), f.until)
        return out


def screen(intake: PatientIntake, on: date | None = None) -> Screening:
    """Apply every rule; the decision is the strictest effect that fired.

    ``do-not-treat`` wins; then a whole-patient ``defer-until`` (pregnancy, breast-feeding, uncontrolled
    diabetes); region-specific deferrals only move those regions' dates; ``caution`` or ``modify`` give
    ``proceed-with-caution``.
    """
    on = on or date.today()
    findings = [f for r in list_rules() if (f := evaluate(r, intake, on)) is not None]
    s = Screening("proceed", findings)
    if s.of_effect("do-not-treat"):
        s.decision = "do-not-treat"
        return s
    whole_defer = [f for f in s.of_effect("defer-until") if f.rule.trigger.get("region") != "goal"]
    if whole_defer:
        s.decision = "defer"
        dates = [f.until for f in whole_defer if f.until]
        s.earliest_start = max(dates) if dates and len(dates) == len(whole_defer) else None
        return s
    if any(
        f.rule.effect in ("caution", "modify", "defer-until") and f.rule.id != "P01-intradermal-products"
        for f in findings
    ):
        s.decision = "proceed-with-caution"
    return s
