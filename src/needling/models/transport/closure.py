"""First-order closure of micro-channels: the open fraction falls as exp(-ln2 t / t_half)."""

from __future__ import annotations

import math

import numpy as np


def half_life(
    needle_length_mm: float,
    occluded: bool,
    *,
    open_air_half_life_h: float,
    reference_length_mm: float,
    length_exponent: float,
    occlusion_factor: float,
) -> float:
    """Closure half-life of the channels: longer for longer needles and under occlusion.

    ``t_half = t_open (L / L_ref) ** n``, times the occlusion factor when occluded.

    Parameters
    ----------
    needle_length_mm : float
        Length of the needles that made the channels, mm.
    occluded : bool
        Whether the site is kept under occlusion.
    open_air_half_life_h : float
        Half-life in open air for needles of ``reference_length_mm``, h (calibrated on Kalluri 2011's
        recovery of transepidermal water loss).
    reference_length_mm : float
        Needle length of that calibration, mm.
    length_exponent : float
        Power of the length ratio (named assumption).
    occlusion_factor : float
        How many times longer the channels stay open under occlusion (calibrated on Gupta 2021).

    Returns
    -------
    float
        Half-life, h.

    References
    ----------
    Kalluri H, Kolli CS, Banga AK. Characterization of microchannels created by metal microneedles:
    formation and closure. AAPS J 2011;13:473-481.

    Examples
    --------
    >>> half_life(1.54, False, open_air_half_life_h=1.355, reference_length_mm=0.77, length_exponent=2.0,
    ...           occlusion_factor=17.2)
    5.42
    """
    t = float(open_air_half_life_h * (needle_length_mm / reference_length_mm) ** length_exponent)
    return t * occlusion_factor if occluded else t


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
    """Hours until ``recovered_fraction`` of the opening has closed.

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
