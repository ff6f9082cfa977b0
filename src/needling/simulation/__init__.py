"""Where models, parameters and protocols meet: one call per kind of result."""

from typing import Any

from needling.anatomy import Site
from needling.compounds import Compound
from needling.devices import Device
from needling.simulation.anaesthesia import AnaesthesiaEffect, anaesthesia_effect
from needling.simulation.delivery import DeliveryResult, channel_half_life, deliver
from needling.simulation.session import SessionResult, Technique, quick_session, simulate_session


def reduced_uptake(
    compound: Compound | str,
    device: Device | str,
    site: Site | str,
    technique: Technique | None = None,
    **kwargs: Any,
) -> DeliveryResult:
    """The reduced (fast) transport model: ``deliver(..., model="reduced")``."""
    return deliver(compound, device, site, technique, model="reduced", **kwargs)


__all__ = [
    "AnaesthesiaEffect",
    "DeliveryResult",
    "SessionResult",
    "Technique",
    "anaesthesia_effect",
    "channel_half_life",
    "deliver",
    "quick_session",
    "reduced_uptake",
    "simulate_session",
]
