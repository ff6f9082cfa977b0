"""How deep a needle goes: the skin dimples before it is punctured, so depth < needle length.

Model (each factor cited or a named assumption, see ``needling.parameters.mechanics``):

``depth = L - delta``, ``delta = delta_ref * (F_ref / F_n)**beta * (r_tip / r_ref)**2 * s_site * s_press * s_impact``

where ``F_n`` is the force per needle (hand force shared by the needles in contact: the bed-of-nails
effect), ``r_tip`` the tip radius (puncture force is linear in tip area, Davis 2004), and a needle
whose force is below the puncture force (Olatunji 2013) does not puncture at all. ``delta_ref`` is
calibrated on 600 um needles reaching 460 um in vivo (Donnelly 2011).

A roller's needles are pressed in by the hand alone, shared among the needles in contact; the skin
grips the shaft, so the resistance grows with the depth already reached (friction along the shaft) and
a pressed needle stops where that resistance meets its share of the force. The roller depth is the
smooth minimum of the tip-limited depth ``L - delta`` and this shaft-limited depth ``D_s``, which is
proportional to the force per needle: :func:`shaft_limited_depth`. Pens drive their needles by a motor at
speed and reach close to their setting (Sasaki 2019), so the shaft limit applies to rollers only.

A pressed needle shorter than the skin's deflection at puncture meets the skin with its base first and leaves no
channel (Verbaan 2008: 245-300 um arrays pressed by hand did not puncture human skin):
:func:`pressed_puncture_fraction` gives the share of a roller's needle entries that puncture.
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

    Parameters
    ----------
    needles_per_ring : int
        Needles around one ring of the drum.
    rings : int
        Rings across the drum's width.
    drum_radius : float
        Radius of the drum's surface, m.
    length : float
        Needle length, m.
    depth : float
        Depth the needle tips reach below the skin surface, m.

    Returns
    -------
    float
        Needles in the skin at once (at least 1): they share the hand's force (the bed of nails).
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
    """Depth lost to dimpling, m (infinite when the force is below puncture: handled by the caller).

    ``delta = dimple_ref (force_ref / F) ** force_exponent (r_tip / tip_ref) ** tip_exponent factor``.

    Parameters
    ----------
    force_per_needle : float
        Force on one needle, N.
    tip_radius : float
        Tip radius, m.
    dimple_ref : float
        Dimple of a sharp tip at the reference force, m (calibrated on Donnelly 2011: 600 um needles
        reached 460 um).
    force_ref : float
        Reference force per needle, N.
    force_exponent : float
        How the dimple shrinks as the force grows (named assumption).
    tip_ref : float
        Reference tip radius, m (Kalluri 2011's SEM).
    tip_exponent : float
        Power of the tip radius: 2, as insertion force is linear in tip area (Davis 2004).
    factor : float
        Site, pressure and impact factors multiplied (named assumptions).

    Returns
    -------
    float
        Dimple depth, m.

    References
    ----------
    Davis SP, Landis BJ, Adams ZH, Allen MG, Prausnitz MR. Insertion of microneedles into skin:
    measurement and prediction of insertion force and needle fracture force. J Biomech 2004;37:1155-1163.
    """
    return float(
        dimple_ref * (force_ref / force_per_needle) ** force_exponent * (tip_radius / tip_ref) ** tip_exponent * factor
    )


def shaft_limit(force_per_needle: float, *, limit_ref: float, force_ref: float) -> float:
    """Depth at which shaft friction takes up a pressed needle's share of the force (linear in force).

    Parameters
    ----------
    force_per_needle : float
        The needle's share of the hand force, N.
    limit_ref : float
        Shaft-limited depth at the reference force, m (calibrated on Chung 2020).
    force_ref : float
        Reference force per needle, N.

    Returns
    -------
    float
        Shaft-limited depth, m.

    Examples
    --------
    >>> round(shaft_limit(0.3, limit_ref=0.1364e-3, force_ref=0.1) * 1e6, 1)
    409.2
    """
    return limit_ref * force_per_needle / force_ref


def shaft_limited_depth(free_depth: float, limit: float) -> float:
    """Smooth minimum of the tip-limited depth and the shaft limit: ``(a**-2 + b**-2)**-1/2``.

    Close to ``free_depth`` for needles much shorter than the limit, and to ``limit`` for long ones, so
    depth grows almost one for one with a short needle's length and little with a long one's.

    Parameters
    ----------
    free_depth : float
        Depth the tip would reach if the shaft slid freely (length less the dimple), m.
    limit : float
        Shaft-limited depth (:func:`shaft_limit`), m.

    Returns
    -------
    float
        Depth reached, m (0 if either is 0).

    Examples
    --------
    >>> round(shaft_limited_depth(1.36e-3, 0.41e-3) * 1e6)
    393
    """
    if free_depth <= 0.0 or limit <= 0.0:
        return 0.0
    return float((free_depth**-2 + limit**-2) ** -0.5)


def punctures(
    force_per_needle: float, tip_radius: float, puncture_force: float, tip_ref: float, tip_exponent: float
) -> bool:
    """Whether the force per needle exceeds the puncture force of this tip (linear in tip area).

    Parameters
    ----------
    force_per_needle : float
        Force on one needle, N.
    tip_radius : float
        Tip radius, m.
    puncture_force : float
        Force that punctures skin with a tip of ``tip_ref``, N (about 0.03 N, Olatunji 2013).
    tip_ref : float
        Tip radius of that puncture force, m.
    tip_exponent : float
        Power of the tip radius (2: force linear in tip area, Davis 2004).

    Returns
    -------
    bool
        True when the needle punctures.

    References
    ----------
    Olatunji O, Das DB, Garland MJ, Belaid L, Donnelly RF. Influence of array interspacing on the force
    required for successful microneedle skin penetration. J Pharm Sci 2013;102:1209-1221.

    Examples
    --------
    >>> punctures(0.1, 4e-6, 0.03, 4e-6, 2.0), punctures(0.1, 8e-6, 0.03, 4e-6, 2.0)
    (True, False)
    """
    return bool(force_per_needle >= puncture_force * (tip_radius / tip_ref) ** tip_exponent)


def pressed_puncture_fraction(length: float, deflection: float, spread: float) -> float:
    """Share of pressed needles of length ``length`` that puncture the skin before their base meets it.

    Pressed slowly, the skin is pushed in ahead of the tip by ``d_p`` before it breaks; a needle shorter than
    ``d_p`` meets the skin with its base (a roller's drum) first and leaves no channel. ``d_p`` varies from
    needle to needle, log-normal with median ``deflection`` and log-SD ``spread``:
    ``P(d_p < L) = Phi(ln(L / deflection) / spread)``. Impact insertion (pens) does not need it.

    Parameters
    ----------
    length : float
        Needle length, m.
    deflection : float
        Median deflection at puncture, m (named assumption ``pressed-puncture-deflection``).
    spread : float
        SD of its logarithm (named assumption ``pressed-puncture-deflection-spread``); 0 for a sharp threshold.

    Returns
    -------
    float
        Share of needle entries that puncture, 0-1.

    References
    ----------
    Verbaan FJ, Bal SM, van den Berg DJ, et al. Improved piercing of microneedle arrays in dermatomed human
    skin by an impact insertion method. J Control Release 2008;128:80-88.

    Examples
    --------
    >>> round(pressed_puncture_fraction(300e-6, 380e-6, 0.08), 4), pressed_puncture_fraction(1.5e-3, 380e-6, 0.08)
    (0.0016, 1.0)
    """
    from scipy.special import ndtr

    if length <= 0.0:
        return 0.0
    if deflection <= 0.0:
        return 1.0
    if spread <= 0.0:
        return 1.0 if length > deflection else 0.0
    return float(ndtr(math.log(length / deflection) / spread))


def sample_depths(mean_depth: float, length: float, cv: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Depth of ``n`` channels: the needle length less a log-normal dimple.

    The dimple ``length - mean_depth`` varies from channel to channel with coefficient of variation
    ``cv`` (log-normal, so it is never negative and no channel goes deeper than the needle).

    Parameters
    ----------
    mean_depth : float
        Mean depth reached, m.
    length : float
        Needle length, m.
    cv : float
        Coefficient of variation of the dimple (named assumption).
    n : int
        Channels.
    rng : numpy.random.Generator
        Seeded generator.

    Returns
    -------
    ndarray (n,)
        Depths, m, each between 0 and ``length``.
    """
    if mean_depth <= 0.0:
        return np.zeros(n)
    dimple = length - mean_depth
    if dimple <= 0.0:
        return np.full(n, length)
    sigma = np.sqrt(np.log1p(cv**2))
    d = dimple * np.exp(rng.normal(-0.5 * sigma**2, sigma, n))
    return np.clip(length - d, 0.0, length)


def sample_pressed_depths(mean_depth: float, length: float, cv: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Depth of ``n`` channels of a pressed (roller) needle: log-normal around ``mean_depth``, never past the needle.

    A roller needle stops where the hand's share of force runs out, far short of its length, so it varies
    by a share ``cv`` of the depth it reached rather than of the length it did not use. The shape does not
    change with the needle, so a longer needle's depths are never stochastically shallower.

    Parameters
    ----------
    mean_depth : float
        Mean depth, m.
    length : float
        Needle length, m (no channel goes deeper).
    cv : float
        Coefficient of variation of the depth.
    n : int
        Number of channels.
    rng : numpy.random.Generator
        Seeded generator.

    Returns
    -------
    ndarray
        Depths, m.
    """
    if mean_depth <= 0.0:
        return np.zeros(n)
    sigma = np.sqrt(np.log1p(cv**2))
    return np.clip(mean_depth * np.exp(rng.normal(-0.5 * sigma**2, sigma, n)), 0.0, length)


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

    Returns
    -------
    ndarray (k,)
        Fraction of channels reaching at least each layer, 0-1.
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
    """Same as :func:`reach_fractions` in closed form: P(depth > top) for normal depth and top.

    Parameters
    ----------
    mean_depth, depth_sd : float
        Mean and SD of the channels' depth, m.
    layer_tops, layer_sds : ndarray (k,)
        Mean depth of the top of each layer and its SD, m.

    Returns
    -------
    ndarray (k,)
        Fraction of channels reaching at least each layer, 0-1 (1 for the surface layer).
    """
    from scipy.special import ndtr

    if mean_depth <= 0.0:
        return np.zeros(layer_tops.size)
    sd = np.sqrt(depth_sd**2 + layer_sds**2)
    out = np.where(
        sd > 0, ndtr((mean_depth - layer_tops) / np.where(sd > 0, sd, 1.0)), (mean_depth > layer_tops).astype(float)
    )
    out[layer_tops <= 0] = 1.0
    return out


def reach_fractions_pressed(
    mean_depth: float, cv: float, length: float, layer_tops: np.ndarray, layer_sds: np.ndarray, nodes: int = 24
) -> np.ndarray:
    """:func:`reach_fractions` in closed form for log-normal depths (:func:`sample_pressed_depths`).

    P(depth > top) with the log-normal depth (clipped at ``length``) and each layer top normal, by
    Gauss-Hermite quadrature over the top.

    Parameters
    ----------
    mean_depth : float
        Mean depth, m.
    cv : float
        Coefficient of variation of the depth.
    length : float
        Needle length, m.
    layer_tops, layer_sds : ndarray
        Mean depth of each layer's top and its SD, m.
    nodes : int
        Quadrature nodes.

    Returns
    -------
    ndarray
        Fraction of channels reaching at least each layer.
    """
    from scipy.special import ndtr

    if mean_depth <= 0.0:
        return np.zeros(layer_tops.size)
    sigma = np.sqrt(np.log1p(cv**2))
    x, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / w.sum()
    tops = np.maximum(layer_tops[:, None] + layer_sds[:, None] * x[None, :], 0.0)  # (k, nodes)
    with np.errstate(divide="ignore"):
        z = (np.log(mean_depth) - 0.5 * sigma**2 - np.log(np.where(tops > 0, tops, 1e-300))) / sigma
    p = np.where(tops >= length, 0.0, ndtr(z))
    out: np.ndarray = np.asarray(p @ w, dtype=float)
    out[layer_tops <= 0] = 1.0
    return out
