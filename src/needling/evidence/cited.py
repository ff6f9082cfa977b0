"""Cited values and named assumptions.

A :class:`Cited` value carries its value, unit, source key (AuthorYear, a key of the bibliography),
a locator (table, figure or page), an evidence grade and a note. An :class:`Assumption` is a number
the literature does not give: it has a name, its reasoning and grade L, and its key is
``assumption:<name>``. Both are frozen so a parameter cannot drift after it was cited.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Union

from needling.units import to_si


class Grade(StrEnum):
    """Evidence grade as in the shared evidence sheet.

    H: primary paper or abstract read. M: review, secondary source or memory of a well-known paper.
    L: clinic, vendor or blog page; memory with real uncertainty; or a named assumption.
    """

    H = "H"
    M = "M"
    L = "L"


#: Every Cited value and Assumption created in this process, for the "nothing uncited" test.
_REGISTRY: list[Cited | Assumption] = []


def all_parameters() -> list[Cited | Assumption]:
    """Return every Cited value and Assumption created so far in this process.

    Returns
    -------
    list of Cited or Assumption
        The parameters, in the order they were created.
    """
    return list(_REGISTRY)


def _check_bounds(what: str, value: float, bounds: tuple[float, float] | None) -> None:
    if bounds is None:
        return
    low, high = bounds
    if not low <= high:
        raise ValueError(f"{what}: bounds {bounds} must be (low, high) with low <= high")
    if not low <= value <= high:
        raise ValueError(f"{what}: value {value} lies outside its bounds [{low}, {high}]")


class _InSI:
    """The SI view shared by :class:`Cited` and :class:`Assumption` (``value``, ``sd`` and ``unit`` as given)."""

    __slots__ = ()
    value: float
    sd: float | None
    unit: str

    @property
    def si(self) -> float:
        """The value in SI units."""
        return to_si(self.value, self.unit)

    @property
    def sd_si(self) -> float | None:
        """The standard deviation in SI units, or None."""
        return None if self.sd is None else to_si(self.sd, self.unit)


@dataclass(frozen=True, slots=True)
class Cited(_InSI):
    """A number from the literature.

    Parameters
    ----------
    value : float
        The value in ``unit`` as published (or derived from published numbers, see ``note``).
    unit : str
        A unit known to :mod:`needling.units` (``"1"`` for dimensionless).
    source : str
        The bibliography key (AuthorYear), for example ``"Kalluri2011"``.
    locator : str
        Where in the source: table, figure, page or section.
    grade : Grade
        Evidence grade H, M or L.
    note : str
        Conditions, derivation, caveats.
    sd : float, optional
        Standard deviation in the same unit, where the source gives a spread.
    bounds : (float, float), optional
        Physical bounds in the same unit (a fraction in [0, 1], a length above 0), where they exist.
    fitted_to : str, optional
        For a value fitted by needling: the data it was fitted to.
    """

    value: float
    unit: str
    source: str
    locator: str
    grade: Grade
    note: str = ""
    sd: float | None = None
    bounds: tuple[float, float] | None = None
    fitted_to: str = ""

    def __post_init__(self) -> None:
        if not self.source or self.source.startswith("assumption:"):
            raise ValueError("a Cited value needs a bibliography key; use Assumption otherwise")
        _check_bounds(self.source, self.value, self.bounds)
        _REGISTRY.append(self)

    @property
    def key(self) -> str:
        """The bibliography key this value relies on."""
        return self.source

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready description.

        Returns
        -------
        dict
            ``value`` (SI), ``unit``, ``sd``, ``source`` key and ``locator``, ``grade``, ``note``, ``bounds``, and
            ``fitted_to`` (the data a fitted value was fitted to).
        """
        return {
            "value": self.value,
            "unit": self.unit,
            "sd": self.sd,
            "source": self.source,
            "locator": self.locator,
            "grade": str(self.grade),
            "note": self.note,
            "bounds": None if self.bounds is None else list(self.bounds),
            "fitted_to": self.fitted_to or None,
        }


@dataclass(frozen=True, slots=True)
class Assumption(_InSI):
    """A number the literature does not give, stated as a named assumption (grade L).

    Parameters
    ----------
    name : str
        Kebab-case name, unique across needling (``"roller-rolling-radius-fraction"``).
    value : float
        The assumed value in ``unit``.
    unit : str
        A unit known to :mod:`needling.units`.
    reasoning : str
        Why this value: what it is derived from or bounded by.
    sd : float, optional
        Spread assumed, in the same unit.
    grade : Grade
        Always L.
    bounds : (float, float), optional
        Physical bounds in the same unit, where they exist.
    fitted_to : str, optional
        For a value fitted by needling: the data it was fitted to.
    registered : bool
        Whether the value joins the process-wide list of parameters (False for values a user sets
        through :meth:`needling.parameters.ParameterValues.update`).
    """

    name: str
    value: float
    unit: str
    reasoning: str
    sd: float | None = None
    grade: Grade = field(default=Grade.L)
    bounds: tuple[float, float] | None = None
    fitted_to: str = ""
    registered: bool = field(default=True, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.grade is not Grade.L:
            raise ValueError(f"assumption {self.name!r} must be grade L")
        if not self.reasoning.strip():
            raise ValueError(f"assumption {self.name!r} needs its reasoning")
        _check_bounds(self.name, self.value, self.bounds)
        if self.registered:
            _REGISTRY.append(self)

    @property
    def key(self) -> str:
        """The key under which results list this assumption."""
        return f"assumption:{self.name}"

    @property
    def source(self) -> str:
        """Same as :attr:`key`, so Cited and Assumption can be used alike."""
        return self.key

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready description.

        Returns
        -------
        dict
            ``value`` (SI), ``unit``, ``sd``, ``source`` (the ``assumption:<name>`` key), ``assumption``, ``reasoning``,
            ``grade``, ``bounds`` and ``fitted_to``.
        """
        return {
            "value": self.value,
            "unit": self.unit,
            "sd": self.sd,
            "source": self.key,
            "assumption": self.name,
            "reasoning": self.reasoning,
            "grade": str(self.grade),
            "bounds": None if self.bounds is None else list(self.bounds),
            "fitted_to": self.fitted_to or None,
        }


Parameter = Union[Cited, Assumption]  # noqa: UP007  (a runtime alias used in isinstance checks)
PARAMETER_TYPES = (Cited, Assumption)


def keys_of(*params: Parameter | Iterable[Parameter]) -> set[str]:
    """Return the source keys of the given parameters (or iterables of parameters).

    Parameters
    ----------
    *params : Cited, Assumption or iterable of them
        The parameters.

    Returns
    -------
    set of str
        Their bibliography and ``assumption:<name>`` keys.
    """
    out: set[str] = set()
    for p in params:
        if isinstance(p, PARAMETER_TYPES):
            out.add(p.key)
        else:
            out.update(q.key for q in p)
    return out


class SourceSet:
    """A growing set of source keys that a computation relied on.

    Examples
    --------
    >>> used = SourceSet()
    >>> used.add("Gill2008")
    >>> sorted(used)
    ['Gill2008']
    """

    def __init__(self, items: Iterable[str | Parameter] = ()) -> None:
        self._keys: set[str] = set()
        self.update(items)

    def add(self, item: str | Parameter) -> None:
        """Add a key or the key of a parameter.

        Parameters
        ----------
        item : str or Cited or Assumption
            A source key, or a parameter whose key is added.
        """
        self._keys.add(item if isinstance(item, str) else item.key)

    def use(self, param: Cited | Assumption) -> float:
        """Record ``param`` and return its SI value: ``x = used.use(P.tip_radius)``.

        Parameters
        ----------
        param : Cited or Assumption
            The parameter used.

        Returns
        -------
        float
            Its value in SI units.
        """
        self._keys.add(param.key)
        return param.si

    def update(self, items: Iterable[str | Parameter]) -> None:
        """Add several keys or parameters.

        Parameters
        ----------
        items : iterable of str or Cited or Assumption
            Source keys, or parameters whose keys are added.
        """
        for item in items:
            self.add(item)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._keys))

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def sorted(self) -> list[str]:
        """Return the keys, sorted, ready for a ``sources`` field.

        Returns
        -------
        list of str
            Bibliography keys and ``assumption:<name>`` keys.
        """
        return sorted(self._keys)
