"""Protocol steps as readable text, parsed into typed steps.

Valid forms (case-insensitive; spaces flexible)::

    Roll 1.5 mm, 15 passes[, 3 directions]     the catalogue's 192-needle drum with needles of that length
    Roll home-roller-540-0.25, 10 passes       a named device (catalogue name or device file)
    Pen 1.0 mm, 4 passes                       the catalogue's 11-needle pen at that depth
    Pen dermapen4-16 0.5 mm, 4 passes          a named pen at that depth
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

from needling.devices import MAX_NEEDLE_LENGTH_MM, Device, device_names, get_device
from needling.errors import InputError

#: The catalogue devices a short form ("Roll 1.5 mm", "Pen 1.0 mm") stands for: a 192-needle drum of the
#: step's length (or the 1.5 mm drum set to another length), and the 11-needle pen set to the step's depth.
SHORT_FORM_ROLLER = "dermaroller-192-{length:.1f}"
SHORT_FORM_ROLLER_FALLBACK = "dermaroller-192-1.5"
SHORT_FORM_PEN = "dermapen-11"

VALID_FORMS = (
    '"Roll 1.5 mm, 15 passes[, 3 directions]"',
    '"Roll home-roller-540-0.25, 10 passes"',
    '"Pen 1.0 mm, 4 passes"',
    '"Pen dermapen4-16 0.5 mm, 4 passes"',
    '"Apply vitamin C 20 %"',
    '"Peel TCA 15 %"',
    '"PRP topical"',
    '"Minoxidil 5 % twice daily"',
    '"Subcision"',
    '"Wait 4 weeks"',
)


@dataclass(frozen=True)
class Needle:
    """A needling step: the device and its settings.

    Parameters
    ----------
    kind : {"roller", "pen"}
        What kind of device.
    length_mm : float, optional
        Needle length (a pen's depth setting), mm; None for the named device's own length.
    passes, directions : int
        Passes over the area and the distinct directions they cycle through.
    device : str or Device, optional
        A catalogue name, a device file or a :class:`~needling.devices.Device`; None for the short form's
        catalogue device (:data:`SHORT_FORM_ROLLER`, :data:`SHORT_FORM_PEN`).
    """

    kind: Literal["roller", "pen"]
    length_mm: float | None
    passes: int
    directions: int = 1
    device: str | Device | None = None

    @classmethod
    def with_device(
        cls, device: str | Device, passes: int, directions: int = 1, length_mm: float | None = None
    ) -> Needle:
        """Return a step with a named device (catalogue name, device file or Device) and its settings.

        Parameters
        ----------
        device : str or Device
            A catalogue name, a device file or a :class:`~needling.devices.Device`.
        passes : int
            Passes over the area, 1-100.
        directions : int
            Distinct directions the passes cycle through, 1 to ``passes``.
        length_mm : float or None
            Needle length or pen depth setting, mm; None for the device's own.

        Returns
        -------
        Needle
            The step.

        Raises
        ------
        InputError
            For an unknown device, passes outside 1-100, directions outside 1-passes, or a length the
            device cannot be set to.
        """
        dev = device if isinstance(device, Device) else get_device(device)
        _check_counts(str(dev.name), passes, directions)
        if length_mm is not None:
            dev.with_length(length_mm)  # validates a pen's depth range and the needle limit
        return cls(dev.kind, length_mm, passes, directions, device)

    def resolve_device(self) -> Device:
        """Return the device this step uses, at the step's needle length.

        Returns
        -------
        Device
            The named device, or the catalogue's short-form roller (a 192-needle drum) or pen, set to that length.
        """
        if isinstance(self.device, Device):
            dev = self.device
        elif self.device:
            dev = get_device(self.device)
        elif self.kind == "roller":
            name = SHORT_FORM_ROLLER.format(length=self.length_mm or 0.0)
            exact = name in device_names() and abs(get_device(name).needle_length_mm - (self.length_mm or 0.0)) < 1e-9
            dev = get_device(name if exact else SHORT_FORM_ROLLER_FALLBACK)
        else:
            dev = get_device(SHORT_FORM_PEN)
        if self.length_mm is not None and abs(dev.needle_length_mm - self.length_mm) > 1e-12:
            dev = dev.with_length(self.length_mm)
        return dev

    @property
    def device_name(self) -> str:
        """The name of the device this step uses."""
        if isinstance(self.device, Device):
            return self.device.name
        return self.device or self.resolve_device().name

    def settings(self) -> dict[str, int | float]:
        """Return the technique settings of the step: ``passes``, ``directions`` and ``needle_length_mm``.

        Returns
        -------
        dict
            ``passes``, ``directions`` and ``needle_length_mm`` (mm), as
            :class:`~needling.simulation.Technique` takes them.
        """
        length = self.length_mm if self.length_mm is not None else self.resolve_device().needle_length_mm
        return {"passes": self.passes, "directions": min(self.directions, self.passes), "needle_length_mm": length}


@dataclass(frozen=True)
class Apply:
    """A topical applied after needling, at a strength in %.

    Attributes
    ----------
    agent : str
        The topical applied.
    percent : float
        Its strength, %.
    """

    agent: str
    percent: float


@dataclass(frozen=True)
class Peel:
    """A chemical peel at a strength in %.

    Attributes
    ----------
    agent : str
        The peeling agent (for example TCA).
    percent : float
        Its strength, %.
    """

    agent: str
    percent: float


@dataclass(frozen=True)
class PRP:
    """Platelet-rich plasma, topical or injected.

    Attributes
    ----------
    mode : {"topical", "injected"}
        How the plasma is given.
    """

    mode: Literal["topical", "injected"]


@dataclass(frozen=True)
class Minoxidil:
    """Minoxidil at a strength in %, applied daily (times per day) while the series runs.

    Attributes
    ----------
    percent : float
        Its strength, %.
    per_day : int
        Applications per day, count.
    """

    percent: float
    per_day: int


@dataclass(frozen=True)
class Subcision:
    """Subcision of tethered scars."""


@dataclass(frozen=True)
class Wait:
    """Time until the next session, in weeks.

    Attributes
    ----------
    weeks : float
        The wait, weeks.
    """

    weeks: float


Step = Needle | Apply | Peel | PRP | Minoxidil | Subcision | Wait

_NUM = r"(\d+(?:\.\d+)?)"
_COUNTS = r"\s*,\s*(\d+)\s*pass(?:es)?(?:\s*,\s*(\d+)\s*directions?)?$"
#: A needling step that names its device: "Roll NAME, 10 passes", "Pen NAME 0.5 mm, 4 passes" (case kept).
_NAMED = re.compile(rf"^(roll|pen)\s+([A-Za-z./~][^\s,]*)(?:\s+{_NUM}\s*mm)?{_COUNTS}", re.IGNORECASE)
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


def _check_counts(text: str, passes: int, directions: int) -> None:
    if not 1 <= passes <= 100 or not 1 <= directions <= passes:
        raise _bad(text, "passes must be 1-100 and directions 1-passes")


def _named_step(text: str, m: re.Match[str]) -> Needle:
    name = m.group(2)
    length = float(m.group(3)) if m.group(3) else None
    passes, directions = int(m.group(4)), int(m.group(5)) if m.group(5) else 1
    _check_counts(text, passes, directions)
    try:
        step = Needle.with_device(name, passes, directions, length)
    except InputError as exc:
        raise _bad(text, str(exc)) from None
    expected = "roller" if m.group(1).lower() == "roll" else "pen"
    if step.kind != expected:
        raise _bad(text, f"{name} is a {step.kind}; write {'Roll' if step.kind == 'roller' else 'Pen'} {name}")
    return step


def _bad(text: str, why: str = "") -> InputError:
    extra = f" ({why})" if why else ""
    return InputError(f"cannot read step {text!r}{extra}; valid forms: {', '.join(VALID_FORMS)}", field="step")


def parse_step(text: str) -> Step:
    """Parse one step of a protocol.

    Parameters
    ----------
    text : str
        A readable step: ``Roll 1.5 mm, 15 passes, 3 directions``, ``Pen 1.0 mm, 4 passes``,
        ``Roll home-roller-540-0.25, 10 passes``, ``Apply vitamin C 20 %``, ``Peel TCA 15 %``,
        ``PRP topical``, ``Minoxidil 5 % twice daily``, ``Subcision``, ``Wait 4 weeks``.

    Returns
    -------
    Step
        The typed step (a :class:`Needle` carries its device and settings).

    Raises
    ------
    InputError
        Quoting the step and listing the valid forms.

    Examples
    --------
    >>> step = parse_step("Roll 1.5 mm, 15 passes, 3 directions")
    >>> step.kind, step.length_mm, step.passes
    ('roller', 1.5, 15)
    """
    kept = " ".join(str(text).strip().split())
    s = kept.lower()
    named = _NAMED.match(kept)
    if named and not re.match(r"^(roll|pen)\s+\d", s):
        return _named_step(text, named)
    for pattern, kind in _PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        if kind == "needle":
            length, passes = float(m.group(2)), int(m.group(3))
            directions = int(m.group(4)) if m.group(4) else 1
            if not 0 < length <= MAX_NEEDLE_LENGTH_MM:
                raise _bad(text, f"needle length {length:g} mm must be > 0 and <= {MAX_NEEDLE_LENGTH_MM:g} mm")
            _check_counts(text, passes, directions)
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
    """The step back as readable text.

    Parameters
    ----------
    step : Step
        A typed step.

    Returns
    -------
    str
        Text that :func:`parse_step` reads back to the same step.

    Examples
    --------
    >>> describe(parse_step("roll 1.5 mm,15 passes, 3 directions"))
    'Roll 1.5 mm, 15 passes, 3 directions'
    """
    if isinstance(step, Needle):
        verb = "Roll" if step.kind == "roller" else "Pen"
        d = f", {step.directions} directions" if step.directions > 1 else ""
        if step.device is None:
            return f"{verb} {step.length_mm:g} mm, {step.passes} passes{d}"
        length = f" {step.length_mm:g} mm" if step.length_mm is not None else ""
        return f"{verb} {step.device_name}{length}, {step.passes} passes{d}"
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
