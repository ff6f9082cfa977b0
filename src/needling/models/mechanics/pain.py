"""Pain of needling relative to a 26-G hypodermic, and as a 0-10 VAS.

Gill 2008: pain grows with needle length as about L**1.77 (3x length -> 7x pain) and with the number
of needles as about N**0.33 (10x needles -> about 2x pain); single arrays gave 5-40 % of a 26-G
hypodermic. The relative pain is turned into VAS points by a factor calibrated on the clinical
micro-needling VAS of Naspolini 2019.
"""

from __future__ import annotations


def relative_to_hypodermic(
    depth_um: float,
    needles: float,
    *,
    rel_low: float,
    length_low_um: float,
    count_low: float,
    length_exponent: float,
    count_exponent: float,
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

    Returns
    -------
    float
        Pain relative to a 26-G hypodermic (1 = as painful); 0 when the needles do not enter.

    References
    ----------
    Gill HS, Denson DD, Burris BA, Prausnitz MR. Effect of microneedle design on pain in human
    volunteers. Clin J Pain 2008;24:585-594.
    """
    if depth_um <= 0:
        return 0.0
    return float(
        rel_low * (depth_um / length_low_um) ** length_exponent * (max(needles, 1.0) / count_low) ** count_exponent
    )


def vas(relative: float, vas_per_relative: float, multiplier: float = 1.0) -> float:
    """0-10 VAS from relative pain, times an anaesthesia multiplier, capped at 10.

    Parameters
    ----------
    relative : float
        Pain relative to a 26-G hypodermic (:func:`relative_to_hypodermic`).
    vas_per_relative : float
        VAS points per unit of relative pain (calibrated on the clinical micro-needling VAS of Naspolini 2019).
    multiplier : float
        Anaesthesia's pain multiplier, 0-1 (1: none).

    Returns
    -------
    float
        VAS, 0-10.

    Examples
    --------
    >>> vas(0.5, 9.27), vas(5.0, 9.27), vas(0.5, 9.27, multiplier=0.5)
    (4.635, 10.0, 2.3175)
    """
    return float(min(10.0, max(0.0, relative * vas_per_relative * multiplier)))
