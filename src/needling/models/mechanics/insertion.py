"""How deep a needle goes: the skin dimples before it is punctured, so depth < needle length.

Model (each factor cited or a named assumption, see ``needling.parameters.mechanics``):

``depth = L - delta``, ``delta = delta_ref * (F_ref / F_n)**beta * (r_tip / r_ref)**2 * s_site * s_press * s_impact``

where ``F_n`` is the force per needle (hand force shared by the needles in contact: the bed-of-nails
effect), ``r_tip`` the tip radius (puncture force is linear in tip area, Davis 2004), and a needle
whose force is below the puncture force (Olatunji 2013) does not puncture at all. ``delta_ref`` is
calibrated on 600 um needles reaching 460 um in vivo (Donnelly 2011).
"""

from __future__ import annotations

import math

import numpy as np


def roller_needles_in_contact(
    needles_per_ring: int, rings: int, drum_radius: float, length: float, depth: float
) -> float:
    """Mean number of a drum's needles inside the skin at once.

    A needle is in the skin over the arc where its tip lies below the surface: half-angle
    ``acos((R_tip - depth) / R_tip)`` with ``R_tip = drum_radius + length``.
    """
    r_tip = drum_radius + length
    ratio = min(1.0, max(-1.0, (r_tip - depth) / r_tip))
    half_angle = math.acos(ratio)
    per_ring = needles_per_ring * half_angle / math.pi
    return max(1.0, rings * per_ring)


def dimple_depth(
    force_per_needle: float,
    tip_radius: float,
    *,
    dimple_ref: float,
    force_ref: float,
    force_exponent: float,
    tip_ref: float,
    tip_exponent: float,
    factor: float,
) -> float:
    """Depth lost to dimpling, m (infinite when the force is below puncture: handled by the caller)."""
    return float(
        dimple_ref * (force_ref / force_per_needle) ** force_exponent * (tip_radius / tip_ref) ** tip_exponent * factor
    )


def punctures(
    force_per_needle: float, tip_radius: float, puncture_force: float, tip_ref: float, tip_exponent: float
) -> bool:
    """Whether the force per needle exceeds the puncture force of this tip (linear in tip area)."""
    return bool(force_per_needle >= puncture_force * (tip_radius / tip_ref) ** tip_exponent)


def sample_depths(mean_depth: float, length: float, cv: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Depth of ``n`` channels: the needle length less a log-normal dimple.

    The dimple ``length - mean_depth`` varies from channel to channel with coefficient of variation
    ``cv`` (log-normal, so it is never negative and no channel goes deeper than the needle).
    """
    if mean_depth <= 0.0:
        return np.zeros(n)
    dimple = length - mean_depth
    if dimple <= 0.0:
        return np.full(n, length)
    sigma = np.sqrt(np.log1p(cv**2))
    d = dimple * np.exp(rng.normal(-0.5 * sigma**2, sigma, n))
    return np.clip(length - d, 0.0, length)


def reach_fractions(
    depths: np.ndarray, layer_tops: np.ndarray, layer_sds: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Fraction of channels reaching at least each layer, with the layers' thickness spread.

    Parameters
    ----------
    depths : ndarray (n,)
        Channel depths, m.
    layer_tops : ndarray (k,)
        Mean depth of the top of each layer, m (the first is 0: every channel reaches the surface layer
        once it has any depth).
    layer_sds : ndarray (k,)
        SD of the depth of each layer's top, m (the thickness SDs above it, added in quadrature).
    rng : numpy.random.Generator
        Seeded generator (one draw of the layer boundaries per channel).
    """
    n = depths.size
    if n == 0:
        return np.zeros(layer_tops.size)
    tops = layer_tops[None, :] + rng.standard_normal((n, 1)) * layer_sds[None, :]
    tops = np.maximum(tops, 0.0)
    out: np.ndarray = np.mean((depths[:, None] > tops) & (depths[:, None] > 0), axis=0)
    return out


def reach_fractions_analytic(
    mean_depth: float, depth_sd: float, layer_tops: np.ndarray, layer_sds: np.ndarray
) -> np.ndarray:
    """Same as :func:`reach_fractions` in closed form: P(depth > top) for normal depth and top."""
    from scipy.special import ndtr

    if mean_depth <= 0.0:
        return np.zeros(layer_tops.size)
    sd = np.sqrt(depth_sd**2 + layer_sds**2)
    out = np.where(
        sd > 0, ndtr((mean_depth - layer_tops) / np.where(sd > 0, sd, 1.0)), (mean_depth > layer_tops).astype(float)
    )
    out[layer_tops <= 0] = 1.0
    return out
