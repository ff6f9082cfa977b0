"""Pain of needling relative to a 26-G hypodermic, and as a 0-10 VAS.

Gill 2008: pain grows with needle length as about L**1.77 (3x length -> 7x pain) and with the number
of needles as about N**0.33 (10x needles -> about 2x pain); single arrays gave 5-40 % of a 26-G
hypodermic, for needles of 480-1450 um. The laws are used only inside that range: a depth past 1450 um
hurts as 1450 um does (no data say more). Passes and area add by named exponents. The session's pain is
turned into a VAS that saturates below 10, ``10 (1 - exp(-k P))``, with ``k`` calibrated on clinical
micro-needling VAS (a pen under cream; Naspolini 2019's roller through a roller factor); anaesthesia
multiplies ``P``, so it never raises the VAS.
"""

from __future__ import annotations

import math


def relative_to_hypodermic(
    depth_um: float,
    needles: float,
    *,
    rel_low: float,
    length_low_um: float,
    count_low: float,
    length_exponent: float,
    count_exponent: float,
    length_high_um: float = math.inf,
) -> float:
    """Pain relative to a 26-G hypodermic for needles reaching ``depth_um`` in groups of ``needles``.

    Parameters
    ----------
    depth_um : float
        Depth the needles reach, um (Gill's needles were fully inserted, so their length).
    needles : float
        Needles entering the skin together.
    rel_low, length_low_um, count_low : float
        Gill 2008's anchor: ``rel_low`` for ``count_low`` needles of ``length_low_um``.
    length_exponent, count_exponent : float
        Gill 2008's power laws.
    length_high_um : float
        Longest needle Gill 2008 measured, um: deeper reach is not extrapolated.

    Returns
    -------
    float
        Pain relative to a 26-G hypodermic (1 = as painful); 0 when the needles do not enter.

    References
    ----------
    Gill HS, Denson DD, Burris BA, Prausnitz MR. Effect of microneedle design on pain in human
    volunteers. Clin J Pain 2008;24:585-594.

    Examples
    --------
    >>> kw = dict(rel_low=0.05, length_low_um=480, count_low=5, length_exponent=1.77, count_exponent=0.33)
    >>> relative_to_hypodermic(2000, 5, length_high_um=1450, **kw) == relative_to_hypodermic(1450, 5, **kw)
    True
    """
    if depth_um <= 0:
        return 0.0
    depth = min(depth_um, length_high_um)
    return float(
        rel_low * (depth / length_low_um) ** length_exponent * (max(needles, 1.0) / count_low) ** count_exponent
    )


def session_factor(
    passes: float, area_cm2: float, *, ref_passes: float, ref_area_cm2: float, passes_exp: float, area_exp: float
) -> float:
    """How much more a session hurts than the reference one for its passes and area.

    Parameters
    ----------
    passes : float
        Passes over the same skin.
    area_cm2 : float
        Treated area, cm2.
    ref_passes, ref_area_cm2 : float
        The reference session the VAS is calibrated on (passes; cm2).
    passes_exp, area_exp : float
        Named exponents for passes and area.

    Returns
    -------
    float
        Multiplier of the relative pain, 1 at the reference session.

    Examples
    --------
    >>> session_factor(15, 25, ref_passes=15, ref_area_cm2=25, passes_exp=0.33, area_exp=0.1)
    1.0
    """
    return float((max(passes, 1.0) / ref_passes) ** passes_exp * (area_cm2 / ref_area_cm2) ** area_exp)


def vas(relative: float, scale: float, multiplier: float = 1.0) -> float:
    """0-10 VAS ``10 (1 - exp(-scale relative multiplier))``.

    Parameters
    ----------
    relative : float
        The session's pain relative to a 26-G hypodermic.
    scale : float
        ``k``: calibrated on clinical micro-needling VAS (see ``vas-per-relative-pain``).
    multiplier : float
        Anaesthesia's pain multiplier, 0-1 (1: none).

    Returns
    -------
    float
        VAS, never outside 0-10, never higher with a smaller multiplier.

    Examples
    --------
    >>> round(vas(0.2, 2.67), 3), vas(50.0, 2.67) <= 10.0, vas(0.2, 2.67, 0.5) < vas(0.2, 2.67)
    (4.137, True, True)
    """
    x = max(0.0, relative * multiplier * scale)
    return float(10.0 * -math.expm1(-x))
