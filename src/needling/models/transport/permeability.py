"""Permeability and diffusivity correlations (cm/s and cm2/s as published; SI returned)."""

from __future__ import annotations


def potts_guy_kp(
    log_kow: float, mw: float, intercept: float = -6.3, slope_kow: float = 0.71, slope_mw: float = -0.0061
) -> float:
    """Intact-skin permeability coefficient, m/s (Potts & Guy 1992; their equation gives cm/s)."""
    return 10.0 ** (intercept + slope_kow * log_kow + slope_mw * mw) * 1e-2


def dermis_diffusivity(mw: float, intercept: float = -4.15, exponent: float = -0.655) -> float:
    """Diffusivity in the dermis, m2/s (Kretsos 2008 as in the sheet: 10**-4.15 MW**-0.655 cm2/s)."""
    return 10.0**intercept * mw**exponent * 1e-4
