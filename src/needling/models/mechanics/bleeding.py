"""Bleeding: capillary loops of the papillary dermis struck by the channels that reach them.

The epidermis is avascular; capillary loops rise into the dermal papillae from the sub-papillary
plexus (Braverman 1997). Each channel that passes the loops' apex strikes one with a probability that
grows with how far it runs through the loop zone (named assumption). The endpoint follows the share of
channels that bleed, a property of depth: denser needling gives more bleeding points per area, not a
different endpoint.
"""

from __future__ import annotations


def capillary_strikes(channels_per_area: float, bleeding_share: float) -> float:
    """Expected bleeding points per area.

    Parameters
    ----------
    channels_per_area : float
        Channel density, per cm2 or per m2.
    bleeding_share : float
        Probability that one channel strikes a loop, 0-1 (:func:`bleeding_share`).

    Returns
    -------
    float
        Bleeding points per area, in the unit of ``channels_per_area``.

    References
    ----------
    Braverman IM. The cutaneous microcirculation: ultrastructure and microanatomical organization.
    Microcirculation 1997;4:329-340.

    Examples
    --------
    >>> capillary_strikes(200.0, 0.25)
    50.0
    """
    return channels_per_area * bleeding_share


def bleeding_share(fraction_through_loops: float, hit_probability: float) -> float:
    """Probability that one channel strikes a capillary loop.

    Parameters
    ----------
    fraction_through_loops : float
        Mean fraction of the loop zone the channels run through, 0-1.
    hit_probability : float
        Probability that a channel through the whole zone strikes a loop, 0-1 (named assumption).

    Returns
    -------
    float
        Share of channels that bleed, 0-1.

    Examples
    --------
    >>> bleeding_share(0.8, 0.5)
    0.4
    """
    return min(1.0, max(0.0, fraction_through_loops * hit_probability))


def endpoint(share: float, threshold: float) -> str:
    """The clinical endpoint to expect: ``"pinpoint bleeding"`` or ``"erythema"``.

    Parameters
    ----------
    share : float
        Share of channels that strike a loop (:func:`bleeding_share`).
    threshold : float
        Share from which the endpoint is uniform pinpoint bleeding (calibrated, see
        ``pinpoint-bleeding-threshold``).

    Returns
    -------
    str
        ``"pinpoint bleeding"`` at or above the threshold, ``"erythema"`` below it.

    Examples
    --------
    >>> endpoint(0.45, 0.354), endpoint(0.17, 0.354)
    ('pinpoint bleeding', 'erythema')
    """
    return "pinpoint bleeding" if share >= threshold else "erythema"
