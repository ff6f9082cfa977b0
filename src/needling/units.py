"""Unit conversions at the edges of the science core.

The science core works in SI (metre, second, kilogram, mole). Human-facing fields carry their unit
in their name (``needle_length_mm``, ``interval_weeks``) and are converted here, and only here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TypeVar

if TYPE_CHECKING:
    import numpy as np

#: A quantity the short helpers accept and return: a number or a NumPy array of numbers.
Q = TypeVar("Q", float, "np.ndarray[Any, Any]")

#: Factor that turns one of the unit into its SI base unit.
_TO_SI: Final[dict[str, float]] = {
    # length -> m
    "m": 1.0,
    "cm": 1e-2,
    "mm": 1e-3,
    "um": 1e-6,
    "nm": 1e-9,
    # area -> m2
    "m2": 1.0,
    "cm2": 1e-4,
    "mm2": 1e-6,
    "um2": 1e-12,
    # areal density -> 1/m2
    "1/cm2": 1e4,
    "1/mm2": 1e6,
    "1/m2": 1.0,
    # time -> s
    "s": 1.0,
    "min": 60.0,
    "h": 3600.0,
    "day": 86400.0,
    "week": 604800.0,
    "year": 31557600.0,  # Julian year, 365.25 days
    # speed -> m/s
    "m/s": 1.0,
    "mm/s": 1e-3,
    "cm/s": 1e-2,
    # frequency -> 1/s
    "Hz": 1.0,
    "1/s": 1.0,
    "1/h": 1.0 / 3600.0,
    "1/day": 1.0 / 86400.0,
    # force -> N
    "N": 1.0,
    "mN": 1e-3,
    # diffusivity -> m2/s
    "m2/s": 1.0,
    "cm2/s": 1e-4,
    # permeability -> m/s
    "cm/h": 1e-2 / 3600.0,
    # mass -> kg
    "kg": 1.0,
    "g": 1e-3,
    "mg": 1e-6,
    "ug": 1e-9,
    # concentration -> kg/m3
    "kg/m3": 1.0,
    "g/L": 1.0,
    "mg/mL": 1.0,
    "mg/L": 1e-3,
    "ug/mL": 1e-3,
    # areal mass -> kg/m2
    "mg/cm2": 1e-6 / 1e-4,
    "ug/cm2": 1e-9 / 1e-4,
    # flux -> kg/(m2 s)
    "ug/cm2/h": 1e-9 / 1e-4 / 3600.0,
    # dimensionless
    "1": 1.0,
    "%": 1e-2,
    "fraction": 1.0,
}

DIMENSIONLESS: Final[frozenset[str]] = frozenset({"1", "fraction", "%"})

#: The physical dimension of each unit: two units convert into each other only within one dimension.
_DIMENSION: Final[dict[str, str]] = {
    **dict.fromkeys(("m", "cm", "mm", "um", "nm"), "length"),
    **dict.fromkeys(("m2", "cm2", "mm2", "um2"), "area"),
    **dict.fromkeys(("1/cm2", "1/mm2", "1/m2"), "areal density"),
    **dict.fromkeys(("s", "min", "h", "day", "week", "year"), "time"),
    **dict.fromkeys(("m/s", "mm/s", "cm/s", "cm/h"), "speed"),
    **dict.fromkeys(("Hz", "1/s", "1/h", "1/day"), "rate"),
    **dict.fromkeys(("N", "mN"), "force"),
    **dict.fromkeys(("m2/s", "cm2/s"), "diffusivity"),
    **dict.fromkeys(("kg", "g", "mg", "ug"), "mass"),
    **dict.fromkeys(("kg/m3", "g/L", "mg/mL", "mg/L", "ug/mL"), "concentration"),
    **dict.fromkeys(("mg/cm2", "ug/cm2"), "areal mass"),
    "ug/cm2/h": "flux",
    **dict.fromkeys(DIMENSIONLESS, "dimensionless"),
}


def known_units() -> list[str]:
    """Return the unit names this module can convert, sorted.

    Returns
    -------
    list of str
        Every unit name :func:`to_si` and :func:`from_si` accept, in alphabetical order.

    Examples
    --------
    >>> "mm" in known_units() and "ug/cm2/h" in known_units()
    True
    """
    return sorted(_TO_SI)


def dimension(unit: str) -> str:
    """Return the physical dimension of ``unit`` (``"length"``, ``"time"``, ``"dimensionless"``, ...).

    Parameters
    ----------
    unit : str
        One of :func:`known_units`.

    Returns
    -------
    str
        The dimension's name; two units convert into each other only within one dimension.

    Raises
    ------
    ValueError
        If ``unit`` is not one of :func:`known_units`.

    Examples
    --------
    >>> dimension("mm"), dimension("h"), dimension("%")
    ('length', 'time', 'dimensionless')
    """
    try:
        return _DIMENSION[unit]
    except KeyError:
        raise ValueError(f"unknown unit {unit!r}; known: {', '.join(known_units())}") from None


def units_of(dim: str) -> list[str]:
    """Return the units of one dimension, sorted.

    Parameters
    ----------
    dim : str
        A dimension name as :func:`dimension` returns it (``"length"``, ``"time"``, ...).

    Returns
    -------
    list of str
        The unit names of that dimension; empty if no unit has it.

    Examples
    --------
    >>> units_of("force")
    ['N', 'mN']
    """
    return sorted(u for u, d in _DIMENSION.items() if d == dim)


def to_si(value: Q, unit: str) -> Q:
    """Convert ``value`` given in ``unit`` to its SI base unit.

    Parameters
    ----------
    value : float or numpy.ndarray
        The quantity in ``unit``.
    unit : str
        One of :func:`known_units` (for example ``"mm"``, ``"h"``, ``"1/cm2"``).

    Returns
    -------
    float or numpy.ndarray
        The quantity in SI.

    Raises
    ------
    ValueError
        If ``unit`` is not one of :func:`known_units`.

    Examples
    --------
    >>> to_si(1.5, "mm")
    0.0015
    >>> to_si(2.0, "h")
    7200.0
    """
    try:
        return value * _TO_SI[unit]
    except KeyError:
        raise ValueError(f"unknown unit {unit!r}; known: {', '.join(known_units())}") from None


def from_si(value: Q, unit: str) -> Q:
    """Convert ``value`` in SI to ``unit`` (the inverse of :func:`to_si`).

    Parameters
    ----------
    value : float or numpy.ndarray
        The quantity in its SI base unit (m, s, kg, m2, 1/m2, ...).
    unit : str
        One of :func:`known_units`.

    Returns
    -------
    float or numpy.ndarray
        The quantity in ``unit``.

    Raises
    ------
    ValueError
        If ``unit`` is not one of :func:`known_units`.

    Examples
    --------
    >>> from_si(7200.0, "h")
    2.0
    """
    try:
        return value / _TO_SI[unit]
    except KeyError:
        raise ValueError(f"unknown unit {unit!r}; known: {', '.join(known_units())}") from None


def convert(value: float, unit_from: str, unit_to: str) -> float:
    """Convert ``value`` from ``unit_from`` to ``unit_to`` through SI.

    Parameters
    ----------
    value : float
        The quantity in ``unit_from``.
    unit_from : str
        The unit ``value`` is given in, one of :func:`known_units`.
    unit_to : str
        The unit wanted, one of :func:`known_units`.

    Returns
    -------
    float
        The quantity in ``unit_to``. The dimensions are not checked here; compare
        :func:`dimension` of both units first where that matters.

    Raises
    ------
    ValueError
        If either unit is not one of :func:`known_units`.

    Examples
    --------
    >>> round(convert(250.0, "um", "mm"), 12)
    0.25
    """
    return from_si(to_si(value, unit_from), unit_to)


# Short, explicit helpers used at the edges.
def mm_to_m(value_mm: Q) -> Q:
    """Convert millimetres to metres.

    Parameters
    ----------
    value_mm : float or numpy.ndarray
        Length in mm.

    Returns
    -------
    float or numpy.ndarray
        Length in m.

    Examples
    --------
    >>> mm_to_m(1.5)
    0.0015
    """
    return value_mm * 1e-3


def m_to_um(value_m: Q) -> Q:
    """Convert metres to micrometres.

    Parameters
    ----------
    value_m : float or numpy.ndarray
        Length in m.

    Returns
    -------
    float or numpy.ndarray
        Length in um.

    Examples
    --------
    >>> m_to_um(0.00025)
    250.0
    """
    return value_m * 1e6


def um_to_m(value_um: Q) -> Q:
    """Convert micrometres to metres.

    Parameters
    ----------
    value_um : float or numpy.ndarray
        Length in um.

    Returns
    -------
    float or numpy.ndarray
        Length in m.

    Examples
    --------
    >>> um_to_m(250.0)
    0.00025
    """
    return value_um * 1e-6


def per_cm2_to_per_m2(value: Q) -> Q:
    """Convert an areal density per cm2 to per m2.

    Parameters
    ----------
    value : float or numpy.ndarray
        Areal density in 1/cm2 (for example punctures per cm2).

    Returns
    -------
    float or numpy.ndarray
        Areal density in 1/m2.

    Examples
    --------
    >>> per_cm2_to_per_m2(2.0)
    20000.0
    """
    return value * 1e4


def per_m2_to_per_cm2(value: Q) -> Q:
    """Convert an areal density per m2 to per cm2.

    Parameters
    ----------
    value : float or numpy.ndarray
        Areal density in 1/m2.

    Returns
    -------
    float or numpy.ndarray
        Areal density in 1/cm2.

    Examples
    --------
    >>> per_m2_to_per_cm2(20000.0)
    2.0
    """
    return value * 1e-4


def hours_to_s(value_h: Q) -> Q:
    """Convert hours to seconds.

    Parameters
    ----------
    value_h : float or numpy.ndarray
        Time in h.

    Returns
    -------
    float or numpy.ndarray
        Time in s.

    Examples
    --------
    >>> hours_to_s(2.0)
    7200.0
    """
    return value_h * 3600.0


def s_to_hours(value_s: Q) -> Q:
    """Convert seconds to hours.

    Parameters
    ----------
    value_s : float or numpy.ndarray
        Time in s.

    Returns
    -------
    float or numpy.ndarray
        Time in h.

    Examples
    --------
    >>> s_to_hours(5400.0)
    1.5
    """
    return value_s / 3600.0
