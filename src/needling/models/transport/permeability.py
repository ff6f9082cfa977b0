"""Permeability and diffusivity correlations (cm/s and cm2/s as published; SI returned)."""

from __future__ import annotations

from needling.units import to_si


def potts_guy_kp(
    log_kow: float, mw: float, intercept: float = -6.3, slope_kow: float = 0.71, slope_mw: float = -0.0061
) -> float:
    """Intact-skin permeability coefficient, m/s (Potts & Guy 1992; their equation gives cm/s).

    Parameters
    ----------
    log_kow : float
        Octanol-water partition coefficient, log10.
    mw : float
        Molecular weight, g/mol.
    intercept, slope_kow, slope_mw : float
        The correlation's coefficients (``log10 kp[cm/s] = intercept + slope_kow log Kow + slope_mw MW``).

    Returns
    -------
    float
        Permeability coefficient, m/s.

    References
    ----------
    Potts RO, Guy RH. Predicting skin permeability. Pharm Res 1992;9:663-669.

    Examples
    --------
    Caffeine (log Kow -0.07, MW 194.19) through intact skin, in cm/h:

    >>> round(potts_guy_kp(-0.07, 194.19) * 100 * 3600, 6)
    0.000105
    """
    return float(to_si(10.0 ** (intercept + slope_kow * log_kow + slope_mw * mw), "cm/s"))


def dermis_diffusivity(mw: float, intercept: float = -4.15, exponent: float = -0.655) -> float:
    """Diffusivity in the dermis, m2/s (Kretsos 2008 as in the sheet: 10**-4.15 MW**-0.655 cm2/s).

    Parameters
    ----------
    mw : float
        Molecular weight, g/mol.
    intercept, exponent : float
        The correlation's coefficients (``D[cm2/s] = 10**intercept MW**exponent``).

    Returns
    -------
    float
        Diffusivity, m2/s.

    References
    ----------
    Kretsos K, Miller MA, Zamora-Estrada G, Kasting GB. Partitioning, diffusivity and clearance of skin
    permeants in mammalian dermis. Int J Pharm 2008;346:64-79.

    Examples
    --------
    Caffeine (MW 194.19), in 1e-6 cm2/s:

    >>> round(dermis_diffusivity(194.19) * 1e4 * 1e6, 2)
    2.24
    """
    return float(to_si(10.0**intercept * mw**exponent, "cm2/s"))


def steric_partition(diffusivity: float, cutoff_diffusivity: float) -> float:
    """Share of a molecule's concentration that enters a pore network by size (Renkin 1954).

    ``(1 - a / r) ** 2`` for a sphere of radius ``a`` in pores of radius ``r``, 0 when ``a >= r``; with
    Stokes-Einstein, ``a / r = D_cut / D``.

    Parameters
    ----------
    diffusivity : float
        The molecule's free diffusivity in the pore fluid, m2/s.
    cutoff_diffusivity : float
        Diffusivity of a molecule as large as the pores, m2/s.

    Returns
    -------
    float
        Partition into the pores, 0-1.

    References
    ----------
    Renkin EM. Filtration, diffusion, and molecular sieving through porous cellulose membranes. J Gen Physiol
    1954;38:225-243.

    Examples
    --------
    >>> steric_partition(2e-9, 1e-9)
    0.25
    >>> steric_partition(1e-9, 2e-9)
    0.0
    """
    ratio = cutoff_diffusivity / diffusivity
    return float((1.0 - ratio) ** 2) if ratio < 1.0 else 0.0
