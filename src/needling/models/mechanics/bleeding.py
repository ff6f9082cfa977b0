"""Bleeding: capillary loops of the papillary dermis struck by the channels that reach them.

The epidermis is avascular; capillary loops rise into the dermal papillae from the sub-papillary
plexus (Braverman 1997). A channel that passes the loop zone strikes a loop with a fixed probability
(named assumption); the endpoint is pinpoint bleeding above a strike density, erythema below.
"""

from __future__ import annotations


def capillary_strikes(channels_per_area: float, fraction_reaching_loops: float, hit_probability: float) -> float:
    """Expected capillary strikes per area (same unit as ``channels_per_area``)."""
    return channels_per_area * fraction_reaching_loops * hit_probability


def endpoint(strikes_per_cm2: float, threshold_per_cm2: float) -> str:
    """The clinical endpoint to expect: ``"pinpoint bleeding"`` or ``"erythema"``."""
    return "pinpoint bleeding" if strikes_per_cm2 >= threshold_per_cm2 else "erythema"
