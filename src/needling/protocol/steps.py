"""Protocol steps as readable text, parsed into typed steps.

Valid forms (case-insensitive; spaces flexible)::

    Roll 1.5 mm, 15 passes[, 3 directions]     a drum roller with needles of that length
    Pen 1.0 mm, 4 passes                       a motorised pen at that depth
    Apply vitamin C 20 %                       a topical after needling (vitamin C, tranexamic acid, ...)
    Peel TCA 15 %                              a chemical peel
    PRP topical | PRP injected                 platelet-rich plasma
    Minoxidil 5 % twice daily                  a home topical, continuous while the series runs
    Subcision                                  release of tethered scars
    Wait 4 weeks                               (in a session list: time until the next session)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from needling.errors import InputError

VALID_FORMS = (
    '"Roll 1.5 mm, 15 passes[, 3 directions]"',
    '"Pen 1.0 mm, 4 passes"',
    '"Apply vitamin C 20 %"',
    '"Peel TCA 15 %"',
    '"PRP topical"',
    '"Minoxidil 5 % twice daily"',
    '"Subcision"',
    '"Wait 4 weeks"',
)


@dataclass(frozen=True)
class Needle:
    """A needling step: ``device`` is "roller" or "pen"."""

    device: Literal["roller", "pen"]
    length_mm: float
    passes: int
    directions: int = 1


@dataclass(frozen=True)
class Apply:
    """A topical applied after needling, at a strength in %."""

    agent: str
    percent: float


@dataclass(frozen=True)
class Peel:
    """A chemical peel at a strength in %."""

    agent: str
    percent: float


@dataclass(frozen=True)
class PRP:
    """Platelet-rich plasma, topical or injected."""

    mode: Literal["topical", "injected"]


@dataclass(frozen=True)
class Minoxidil:
    """Minoxidil at a strength in %, applied daily (times per day) while the series runs."""

    percent: float
    per_day: int


@dataclass(frozen=True)
class Subcision:
    """Subcision of tethered scars."""


@dataclass(frozen=True)
class Wait:
    """Time until the next session, in weeks."""

    weeks: float


Step = Needle | Apply | Peel | PRP | Minoxidil | Subcision | Wait

_NUM = r"(\d+(?:\.\d+)?)"
_PATTERNS = [
    (re.compile(rf"^(roll|pen)\s+{_NUM}\s*mm\s*,\s*(\d+)\s*pass(?:es)?(?:\s*,\s*(\d+)\s*directions?)?$"), "needle"),
    (re.compile(rf"^apply\s+([a-z][a-z \-]*?)\s+{_NUM}\s*%$"), "apply"),
    (re.compile(rf"^peel\s+([a-z][a-z \-]*?)\s+{_NUM}\s*%$"), "peel"),
    (re.compile(r"^prp(?:\s+(topical|injected))?$"), "prp"),
    (re.compile(rf"^minoxidil\s+{_NUM}\s*%(?:\s+(once|twice)\s+daily)?$"), "minoxidil"),
    (re.compile(r"^subcision$"), "subcision"),
    (re.compile(rf"^wait\s+{_NUM}\s*(weeks?|days?)$"), "wait"),
]
AGENTS = {
    "vitamin c": "vitamin-c",
    "ascorbic acid": "vitamin-c",
    "l-ascorbic acid": "vitamin-c",
    "tranexamic acid": "tranexamic-acid",
    "txa": "tranexamic-acid",
    "hyaluronic acid": "hyaluronic-acid",
    "tca": "tca",
    "trichloroacetic acid": "tca",
}


def _bad(text: str, why: str = "") -> InputError:
    extra = f" ({why})" if why else ""
    return InputError(f"cannot read step {text!r}{extra}; valid forms: {', '.join(VALID_FORMS)}", field="step")


def parse_step(text: str) -> Step:
    """Parse one step of a protocol.

    Raises
    ------
    InputError
        Quoting the step and listing the valid forms.
    """
    s = " ".join(str(text).strip().lower().split())
    for pattern, kind in _PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        if kind == "needle":
            length, passes = float(m.group(2)), int(m.group(3))
            directions = int(m.group(4)) if m.group(4) else 1
            if not 0 < length <= 3.0:
                raise _bad(text, f"needle length {length:g} mm must be > 0 and <= 3 mm")
            if not 1 <= passes <= 100 or not 1 <= directions <= passes:
                raise _bad(text, "passes must be 1-100 and directions 1-passes")
            return Needle("roller" if m.group(1) == "roll" else "pen", length, passes, directions)
        if kind in ("apply", "peel"):
            agent = AGENTS.get(m.group(1).strip())
            if agent is None:
                raise _bad(text, f"unknown agent {m.group(1).strip()!r}; known: {', '.join(sorted(set(AGENTS)))}")
            pct = float(m.group(2))
            if not 0 < pct <= 100:
                raise _bad(text, "strength must be > 0 and <= 100 %")
            return Apply(agent, pct) if kind == "apply" else Peel(agent, pct)
        if kind == "prp":
            return PRP(m.group(1) or "topical")
        if kind == "minoxidil":
            pct = float(m.group(1))
            if not 0 < pct <= 20:
                raise _bad(text, "minoxidil strength must be > 0 and <= 20 %")
            return Minoxidil(pct, 2 if (m.group(2) or "twice") == "twice" else 1)
        if kind == "subcision":
            return Subcision()
        if kind == "wait":
            value = float(m.group(1))
            weeks = value if m.group(2).startswith("week") else value / 7.0
            if weeks < 1.0 / 7.0:
                raise _bad(text, "a wait must be at least one day")
            return Wait(weeks)
    raise _bad(text)


def describe(step: Step) -> str:
    """The step back as readable text."""
    if isinstance(step, Needle):
        verb = "Roll" if step.device == "roller" else "Pen"
        d = f", {step.directions} directions" if step.directions > 1 else ""
        return f"{verb} {step.length_mm:g} mm, {step.passes} passes{d}"
    if isinstance(step, Apply):
        return f"Apply {step.agent} {step.percent:g} %"
    if isinstance(step, Peel):
        return f"Peel {step.agent.upper()} {step.percent:g} %"
    if isinstance(step, PRP):
        return f"PRP {step.mode}"
    if isinstance(step, Minoxidil):
        return f"Minoxidil {step.percent:g} % {'twice' if step.per_day == 2 else 'once'} daily"
    if isinstance(step, Subcision):
        return "Subcision"
    return f"Wait {step.weeks:g} weeks"
