"""First-order closure of micro-channels, fitted jointly to human and animal recovery data.

The open fraction falls as ``exp(-ln2 t / t_half)`` with

``t_half = t_ref (L / L_ref) ** n * f_occ ** [occluded] * f_rat ** [rat] * f_age(age)``

(``L`` the needle length). :func:`fit_closure` fits ``ln t_ref``, ``n``, ``ln f_occ`` and ``ln f_rat`` by
least squares in log time to the published recovery and closure times, each turned into a half-life with
the fraction its endpoint means (barrier back to baseline: 90 %; pore closed to a dye: 99 %), so the
dependence on length and occlusion comes from the data rather than being assumed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


def half_life(
    needle_length_mm: float,
    occluded: bool,
    *,
    open_air_half_life_h: float,
    reference_length_mm: float,
    length_exponent: float,
    occlusion_factor: float,
    age_factor: float = 1.0,
) -> float:
    """Closure half-life of the channels in human skin: longer for longer needles, under occlusion, with age.

    ``t_half = t_open (L / L_ref) ** n``, times the occlusion factor when occluded, times the age factor.

    Parameters
    ----------
    needle_length_mm : float
        Length of the needles that made the channels, mm.
    occluded : bool
        Whether the site is kept under occlusion.
    open_air_half_life_h : float
        Half-life in open air for needles of ``reference_length_mm``, h (fitted, :func:`fit_closure`).
    reference_length_mm : float
        Needle length of ``open_air_half_life_h``, mm.
    length_exponent : float
        Power of the length ratio (fitted).
    occlusion_factor : float
        How many times longer the channels stay open under occlusion (fitted).
    age_factor : float
        How many times longer they stay open at the patient's age (:func:`age_factor`).

    Returns
    -------
    float
        Half-life, h.

    References
    ----------
    Gupta J, Gill HS, Andrews SN, Prausnitz MR. Kinetics of skin resealing after insertion of microneedles
    in human subjects. J Control Release 2011;154:148-155.

    Kalluri H, Kolli CS, Banga AK. Characterization of microchannels created by metal microneedles:
    formation and closure. AAPS J 2011;13:473-481.

    Examples
    --------
    >>> round(half_life(1.5, False, open_air_half_life_h=0.6, reference_length_mm=0.75, length_exponent=0.5,
    ...                 occlusion_factor=40.0), 3)
    0.849
    """
    t = float(open_air_half_life_h * (needle_length_mm / reference_length_mm) ** length_exponent) * age_factor
    return t * occlusion_factor if occluded else t


def age_factor(age_years: float, *, reference_age: float, elderly_age: float, elderly_factor: float) -> float:
    """How many times longer channels stay open at ``age_years`` than at ``reference_age``.

    Log-linear in age between the two ages of Kelchen 2016's groups, 1 at and below ``reference_age``:
    ``elderly_factor ** ((age - reference_age) / (elderly_age - reference_age))``.

    Parameters
    ----------
    age_years : float
        The patient's age, years.
    reference_age, elderly_age : float
        Mean ages of the young and the elderly group, years.
    elderly_factor : float
        Half-life of the elderly over that of the young, >= 1.

    Returns
    -------
    float
        Factor on the half-life, >= 1.

    References
    ----------
    Kelchen MN, Siefers KJ, Converse CC, Farley MJ, Holdren GO, Brogden NK. J Control Release
    2016;225:294-300.

    Examples
    --------
    >>> age_factor(20, reference_age=25.6, elderly_age=77.3, elderly_factor=1.5)
    1.0
    >>> round(age_factor(77.3, reference_age=25.6, elderly_age=77.3, elderly_factor=1.5), 3)
    1.5
    """
    x = max(0.0, (age_years - reference_age) / (elderly_age - reference_age))
    return float(elderly_factor**x)


def endpoint_half_life(hours: float, recovered_fraction: float) -> float:
    """The half-life that puts ``recovered_fraction`` of the closure at ``hours`` (first-order).

    Parameters
    ----------
    hours : float
        Time of the endpoint, h.
    recovered_fraction : float
        Fraction of the opening gone at the endpoint, 0-1 (1 is not allowed).

    Returns
    -------
    float
        Half-life, h.

    Examples
    --------
    >>> round(endpoint_half_life(3.32, 0.9), 2)
    1.0
    """
    return hours / math.log2(1.0 / (1.0 - recovered_fraction))


@dataclass(frozen=True)
class ClosureFit:
    """The joint fit: human open-air half-life at the reference length, exponent, occlusion and rat factors.

    Attributes
    ----------
    open_air_half_life_h : float
        Human, open air, at ``reference_length_mm``, h.
    reference_length_mm : float
        mm.
    length_exponent : float
        Power of needle length (dimensionless).
    occlusion_factor : float
        Occluded over open-air half-life, ratio.
    rat_factor : float
        Hairless rat over human half-life, ratio (used only to read the rat data).
    residual_log_sd : float
        Root-mean-square residual of the fit in natural-log time (dimensionless).
    """

    open_air_half_life_h: float
    reference_length_mm: float
    length_exponent: float
    occlusion_factor: float
    rat_factor: float
    residual_log_sd: float


def fit_closure(
    observations: Iterable[tuple[float, float, bool, bool]], reference_length_mm: float = 1.0
) -> ClosureFit:
    """Least squares in log half-life over ``(half_life_h, needle_length_mm, occluded, rat)`` observations.

    Parameters
    ----------
    observations : iterable of (float, float, bool, bool)
        Half-life (h, from :func:`endpoint_half_life`), needle length (mm), occluded, hairless rat.
    reference_length_mm : float
        Length at which the open-air half-life is reported, mm.

    Returns
    -------
    ClosureFit
        The fitted values.

    Examples
    --------
    >>> obs = [(1.0, 1.0, False, False), (2.0, 4.0, False, False), (30.0, 1.0, True, False), (3.0, 1.0, False, True)]
    >>> f = fit_closure(obs)
    >>> round(f.length_exponent, 3), round(f.occlusion_factor, 1), round(f.rat_factor, 1)
    (0.5, 30.0, 3.0)
    """
    rows, y = [], []
    for t, length, occ, rat in observations:
        rows.append([1.0, math.log(length / reference_length_mm), float(occ), float(rat)])
        y.append(math.log(t))
    a = np.array(rows)
    b = np.array(y)
    coef, *_ = np.linalg.lstsq(a, b, rcond=None)
    resid = b - a @ coef
    return ClosureFit(
        open_air_half_life_h=float(math.exp(coef[0])),
        reference_length_mm=reference_length_mm,
        length_exponent=float(coef[1]),
        occlusion_factor=float(math.exp(coef[2])),
        rat_factor=float(math.exp(coef[3])),
        residual_log_sd=float(math.sqrt(np.mean(resid**2))),
    )


def open_fraction(t_h: np.ndarray | float, half_life_h: float) -> np.ndarray | float:
    """Fraction of the channels' opening left at time ``t_h``: ``exp(-ln 2 t / t_half)``.

    Parameters
    ----------
    t_h : float or ndarray
        Time since needling, h.
    half_life_h : float
        Closure half-life, h (:func:`half_life`).

    Returns
    -------
    float or ndarray
        Open fraction, 0-1, shaped like ``t_h``.

    Examples
    --------
    >>> float(open_fraction(2.0, half_life_h=2.0))
    0.5
    """
    return np.exp(-math.log(2.0) * np.asarray(t_h) / half_life_h)


def time_to_recover(half_life_h: float, recovered_fraction: float = 0.9) -> float:
    """Return the hours until ``recovered_fraction`` of the opening has closed.

    Parameters
    ----------
    half_life_h : float
        Closure half-life, h.
    recovered_fraction : float
        Fraction closed, 0-1 (0.9: the 90 % recovery a barrier measurement reports).

    Returns
    -------
    float
        Time, h.

    Examples
    --------
    90 % closed after log2(10), about 3.3 half-lives:

    >>> round(time_to_recover(1.0, 0.9), 2)
    3.32
    """
    return half_life_h * math.log2(1.0 / (1.0 - recovered_fraction))
