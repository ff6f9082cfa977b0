"""Bleeding: capillary loops of the papillary dermis struck by the channels that reach them.

The epidermis is avascular; capillary loops rise into the dermal papillae from the sub-papillary
plexus (Braverman 1997). A channel that passes the loop zone strikes a loop with a fixed probability
(named assumption); the endpoint is pinpoint bleeding above a strike density, erythema below.
"""

from __future__ import annotations


def capillary_strikes(channels_per_area: float, fraction_reaching_loops: float, hit_probability: float) -> float:
    """Expected capillary strikes per area (same unit as ``channels_per_area``).

    Parameters
    ----------
    channels_per_area : float
        Channel density, per cm2 or per m2.
    fraction_reaching_loops : float
        Share of the channels that run into the capillary-loop zone, 0-1.
    hit_probability : float
        Probability that such a channel strikes a loop, 0-1 (named assumption).

    Returns
    -------
    float
        Strikes per area, in the unit of ``channels_per_area``.

    References
    ----------
    Braverman IM. The cutaneous microcirculation: ultrastructure and microanatomical organization.
    Microcirculation 1997;4:329-340.

    Examples
    --------
    >>> capillary_strikes(200.0, 0.5, 0.5)
    50.0
    """
    return channels_per_area * fraction_reaching_loops * hit_probability


def endpoint(strikes_per_cm2: float, threshold_per_cm2: float) -> str:
    """The clinical endpoint to expect: ``"pinpoint bleeding"`` or ``"erythema"``.

    Parameters
    ----------
    strikes_per_cm2 : float
        Capillary-loop strikes per cm2 (:func:`capillary_strikes`).
    threshold_per_cm2 : float
        Strikes per cm2 from which the endpoint is uniform pinpoint bleeding (named assumption).

    Returns
    -------
    str
        ``"pinpoint bleeding"`` at or above the threshold, ``"erythema"`` below it.

    Examples
    --------
    >>> endpoint(80.0, 60.0), endpoint(10.0, 60.0)
    ('pinpoint bleeding', 'erythema')
    """
    return "pinpoint bleeding" if strikes_per_cm2 >= threshold_per_cm2 else "erythema"
