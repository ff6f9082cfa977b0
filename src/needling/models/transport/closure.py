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
    """Closure half-life, h: longer for longer needles and under occlusion."""
    t = float(open_air_half_life_h * (needle_length_mm / reference_length_mm) ** length_exponent)
    return t * occlusion_factor if occluded else t


def open_fraction(t_h: np.ndarray | float, half_life_h: float) -> np.ndarray | float:
    """Fraction of the channels' opening left at time ``t_h`` (h).

    Examples
    --------
    >>> float(open_fraction(2.0, half_life_h=2.0))
    0.5
    """
    return np.exp(-math.log(2.0) * np.asarray(t_h) / half_life_h)


def time_to_recover(half_life_h: float, recovered_fraction: float = 0.9) -> float:
    """Hours until ``recovered_fraction`` of the opening has closed.

    Examples
    --------
    90 % closed after log2(10), about 3.3 half-lives:

    >>> round(time_to_recover(1.0, 0.9), 2)
    3.32
    """
    return half_life_h * math.log2(1.0 / (1.0 - recovered_fraction))
