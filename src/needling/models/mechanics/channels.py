"""Channel maps from the kinematics of rolling and stamping.

A roller's drum carries ``rings`` rings of ``needles_per_ring`` needles across its width ``W``; rolling
without slip at radius ``r`` puts one channel per needle per revolution, so a pass leaves
``N / (2 pi r W)`` channels per area (sheet section 1.2). A pen stamps ``n`` needles ``f`` times a
second while moving at ``v`` along lines ``h`` apart: ``n f / (v h)`` per area (DESIGN.md).

All lengths in metres. Maps are built in the frame of each pass (``u`` along the stroke, ``v``
across), rotated by the pass direction, and clipped to a square treatment area centred on 0.

A map first holds every needle entry (a *puncture*). :func:`merge_punctures` then keeps the distinct
channels: a needle that enters where a channel already is (its shaft would overlap the channel's) re-opens
that channel rather than adding one, as a pen's stamps do when they land a fraction of a millimetre apart.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class ChannelMap:
    """Channel positions over a square area.

    Attributes
    ----------
    x, y : ndarray
        Channel centres, m.
    pass_index : ndarray of int
        The pass that made each channel.
    side : float
        Side of the square area, m.
    passes : int
        Number of passes.
    punctures : int, optional
        Needle entries that made these channels (re-openings included); the number of channels
        when the map has not been merged.
    """

    x: np.ndarray
    y: np.ndarray
    pass_index: np.ndarray
    side: float
    passes: int
    punctures: int = -1

    def __post_init__(self) -> None:
        if self.punctures < 0:
            object.__setattr__(self, "punctures", int(self.x.size))

    @property
    def count(self) -> int:
        """Number of channels."""
        return int(self.x.size)

    def kdtree(self) -> Any:
        """Return a ``scipy.spatial.cKDTree`` of the positions, built once per map (merging and injury share it).

        Returns
        -------
        scipy.spatial.cKDTree
            The tree over the channels' (x, y) positions, m.
        """
        tree = self.__dict__.get("_tree")
        if tree is None:
            from scipy.spatial import cKDTree

            # Unbalanced, uncompacted: builds about twice as fast; queries give the same answers.
            tree = cKDTree(np.column_stack([self.x, self.y]), balanced_tree=False, compact_nodes=False)
            object.__setattr__(self, "_tree", tree)
        return tree


def pass_directions(passes: int, directions: int) -> np.ndarray:
    """Direction of each pass, radians: passes cycle through ``directions`` angles spread over 180 deg.

    Parameters
    ----------
    passes : int
        Number of passes.
    directions : int
        Distinct directions.

    Returns
    -------
    ndarray (passes,)
        Angle of each pass, rad.

    Examples
    --------
    >>> [round(float(a), 4) for a in pass_directions(4, 2)]
    [0.0, 1.5708, 0.0, 1.5708]
    """
    k = np.arange(passes) % max(1, directions)
    return k * (math.pi / max(1, directions))


def _rotate_clip(u: np.ndarray, v: np.ndarray, theta: float, half: float) -> tuple[np.ndarray, np.ndarray]:
    c, s = math.cos(theta), math.sin(theta)
    x = c * u - s * v
    y = s * u + c * v
    keep = (np.abs(x) <= half) & (np.abs(y) <= half)
    return x[keep], y[keep]


def _row_points(
    v_rows: np.ndarray,
    u0_rows: np.ndarray,
    pitch: float,
    theta: float,
    half: float,
    rng: np.random.Generator,
    jitter: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Lattice points ``u0 + k pitch`` on rows at ``v``, only where the rotated row crosses the square.

    For a row at ``v`` the points inside the square satisfy ``|c u - s v| <= half`` and
    ``|s u + c v| <= half``: an interval of ``u``. Generating only that interval avoids drawing and
    discarding the corners of a bounding square.
    """
    c, s = math.cos(theta), math.sin(theta)
    lo = np.full(v_rows.shape, -np.inf)
    hi = np.full(v_rows.shape, np.inf)
    for a, b in ((c, -s), (s, c)):  # |a u + b v| <= half
        if abs(a) < 1e-12:
            bad = np.abs(b * v_rows) > half
            lo[bad], hi[bad] = np.inf, -np.inf
            continue
        e1 = (-half - b * v_rows) / a
        e2 = (half - b * v_rows) / a
        lo = np.maximum(lo, np.minimum(e1, e2))
        hi = np.minimum(hi, np.maximum(e1, e2))
    k_lo = np.ceil((lo - u0_rows) / pitch)
    k_hi = np.floor((hi - u0_rows) / pitch)
    counts = np.maximum(k_hi - k_lo + 1, 0).astype(np.int64)
    total = int(counts.sum())
    # Rotate each row's origin once; a point is origin + k * (rotated step). Isotropic jitter needs no rotation.
    x0 = c * u0_rows - s * v_rows
    y0 = s * u0_rows + c * v_rows
    starts = np.cumsum(counts) - counts
    k = np.arange(total, dtype=np.float64)
    k -= np.repeat(starts - k_lo, counts)
    x = np.repeat(x0, counts)
    y = np.repeat(y0, counts)
    x += k * (c * pitch)
    y += k * (s * pitch)
    if jitter > 0:
        # Uniform jitter with SD ``jitter`` (half-width sqrt(3) SD): as good a stand-in as a normal for an
        # assumed wobble, and several times cheaper to draw.
        noise = rng.random((2, total), dtype=np.float32)
        noise -= 0.5
        half_width = 2.0 * np.sqrt(3.0) * jitter
        x += half_width * noise[0]
        y += half_width * noise[1]
        np.clip(x, -half, half, out=x)  # jitter may push a few points across the edge
        np.clip(y, -half, half, out=y)
    return x, y


def roller_map(
    needles_per_ring: int,
    rings: int,
    rolling_radius: float,
    width: float,
    side: float,
    passes: int,
    directions: int,
    jitter: float,
    lane_wobble: float,
    rng: np.random.Generator,
) -> ChannelMap:
    """Map the channels left by ``passes`` passes of a drum roller over a square of side ``side``.

    Parameters
    ----------
    needles_per_ring, rings : int
        Drum layout.
    rolling_radius : float
        Radius at which the drum rolls on the skin, m (between drum radius and tip radius).
    width : float
        Drum width, m.
    side : float
        Side of the treated square, m.
    passes, directions : int
        Number of passes and of distinct directions they cycle through.
    jitter : float
        SD of each channel's random displacement, m.
    lane_wobble : float
        SD of each stroke's sideways placement, as a fraction of the drum width.
    rng : numpy.random.Generator
        Seeded generator.

    Returns
    -------
    ChannelMap
        Every needle entry (x, y in m, and its pass), in the order they were made.
    """
    half = side / 2.0
    span = side * math.sqrt(2.0)  # the rotated square fits in a circle of this diameter
    pitch_u = 2.0 * math.pi * rolling_radius / needles_per_ring
    pitch_v = width / rings
    n_lanes = math.ceil(span / width) + 1
    ring_v = (np.arange(rings) + 0.5) * pitch_v  # (R,)
    # Helical stagger: ring j's needles are shifted by a golden-ratio fraction of the pitch.
    ring_phase = (np.arange(rings) * 0.618033988749895 % 1.0) * pitch_u  # (R,)
    xs, ys, ps = [], [], []
    for p, theta in enumerate(pass_directions(passes, directions)):
        lane_v0 = -span / 2 + np.arange(n_lanes) * width + rng.normal(0.0, lane_wobble * width, n_lanes)
        lane_u0 = -rng.uniform(0.0, pitch_u, n_lanes)  # each stroke starts at a random drum angle
        v_rows = (lane_v0[:, None] + ring_v[None, :]).ravel()
        u0_rows = (lane_u0[:, None] + ring_phase[None, :]).ravel()
        x, y = _row_points(v_rows, u0_rows, pitch_u, float(theta), half, rng, jitter)
        xs.append(x)
        ys.append(y)
        ps.append(np.full(x.size, p, dtype=np.int32))
    return ChannelMap(np.concatenate(xs), np.concatenate(ys), np.concatenate(ps), side, passes)


def cartridge_offsets(needles: int, pitch: float) -> tuple[np.ndarray, np.ndarray]:
    """Needle positions in a cartridge: a centred square grid of ``needles`` points ``pitch`` apart, m.

    Parameters
    ----------
    needles : int
        Needles in the cartridge.
    pitch : float
        Needle spacing, m.

    Returns
    -------
    tuple of ndarray
        x and y offsets of the needles from the cartridge's centre, m.
    """
    n_side = math.ceil(math.sqrt(needles))
    idx = np.arange(needles)
    gx = (idx % n_side - (n_side - 1) / 2.0) * pitch
    gy = (idx // n_side - (math.ceil(needles / n_side) - 1) / 2.0) * pitch
    return gx, gy


def pen_map(
    needles_per_stamp: int,
    frequency: float,
    speed: float,
    line_spacing: float,
    pitch: float,
    side: float,
    passes: int,
    directions: int,
    jitter: float,
    rng: np.random.Generator,
) -> ChannelMap:
    """Map the channels left by a stamping pen over a square of side ``side``.

    Parameters
    ----------
    needles_per_stamp : int
        Needles in the cartridge.
    frequency : float
        Stamps per second, Hz.
    speed : float
        Hand speed along a stroke, m/s.
    line_spacing : float
        Distance between neighbouring strokes, m.
    pitch : float
        Needle spacing within the cartridge, m.
    side : float
        Side of the treated square, m.
    passes : int
        Number of passes.
    directions : int
        Number of distinct directions the passes cycle through.
    rng : numpy.random.Generator
        Seeded generator.
    jitter : float
        SD of each stamp's random displacement, m; the cartridge is rigid, so its needles move together.

    Returns
    -------
    ChannelMap
        Every needle entry (x, y in m, and its pass), in the order they were made.
    """
    half = side / 2.0
    span = side * math.sqrt(2.0)
    step = speed / frequency
    n_lines = math.ceil(span / line_spacing) + 1
    n_stamps = math.ceil(span / step) + 1
    gx, gy = cartridge_offsets(needles_per_stamp, pitch)
    xs, ys, ps = [], [], []
    for p, theta in enumerate(pass_directions(passes, directions)):
        line_v = -span / 2 + np.arange(n_lines) * line_spacing + rng.uniform(0, line_spacing)
        stamp_u = -span / 2 + np.arange(n_stamps) * step + rng.uniform(0, step)
        su = np.broadcast_to(stamp_u[None, :, None], (n_lines, n_stamps, needles_per_stamp))
        sv = np.broadcast_to(line_v[:, None, None], su.shape)
        wobble = rng.normal(0.0, jitter, (2, n_lines, n_stamps, 1))
        u = (su + gx[None, None, :] + wobble[0]).ravel()
        v = (sv + gy[None, None, :] + wobble[1]).ravel()
        x, y = _rotate_clip(u, v, float(theta), half)
        xs.append(x)
        ys.append(y)
        ps.append(np.full(x.size, p, dtype=np.int32))
    return ChannelMap(np.concatenate(xs), np.concatenate(ys), np.concatenate(ps), side, passes)


def roller_density(needle_count: int, rolling_radius: float, width: float) -> float:
    """Return the channels per m2 per pass of a roller: N / (2 pi r W) (sheet section 1.2).

    Parameters
    ----------
    needle_count : int
        Needles on the drum.
    rolling_radius : float
        Radius at which the needles enter the skin, m.
    width : float
        Drum width, m.

    Returns
    -------
    float
        Channels per m2 for one pass.

    Examples
    --------
    A 192-needle drum 20 mm wide rolling at 10.5 mm gives about 15 channels per cm2 per pass:

    >>> round(roller_density(192, 0.0105, 0.020) / 1e4, 1)
    14.6
    """
    return needle_count / (2.0 * math.pi * rolling_radius * width)


def pen_density(needles_per_stamp: int, frequency: float, speed: float, line_spacing: float) -> float:
    """Return the channels per m2 per pass of a pen: n f / (v h).

    Parameters
    ----------
    needles_per_stamp : int
        Needles of the cartridge.
    frequency : float
        Stamps per second, Hz.
    speed : float
        Hand speed, m/s.
    line_spacing : float
        Distance between neighbouring strokes, m.

    Returns
    -------
    float
        Channels per m2 for one pass.

    Examples
    --------
    >>> round(pen_density(11, 100.0, 0.02, 0.002) / 1e4)
    2750
    """
    return needles_per_stamp * frequency / (speed * line_spacing)


def density_grid(cmap: ChannelMap, cell: float = 0.01) -> np.ndarray:
    """Channel counts per cell of a square grid (default 1 cm cells), as channels per m2.

    Parameters
    ----------
    cmap : ChannelMap
        The channels.
    cell : float
        Side of a grid cell, m.

    Returns
    -------
    ndarray (n, n)
        Channels per m2 in each cell.
    """
    n = max(1, round(cmap.side / cell))
    edges = np.linspace(-cmap.side / 2, cmap.side / 2, n + 1)
    counts, _, _ = np.histogram2d(cmap.x, cmap.y, bins=(edges, edges))
    out: np.ndarray = counts / (cmap.side / n) ** 2
    return out


def coverage_from_density(density: np.ndarray | float, opening_diameter: float) -> float:
    """Fraction of the surface opened, counting overlaps once.

    Uses the Boolean-model union ``1 - exp(-rho a)`` for discs of area ``a`` at local density ``rho``
    (per m2), averaged over the grid cells; exact for random placement, and close for the lattice
    patterns here because openings cover about 1 % of the surface (sheet section 1.2).

    Parameters
    ----------
    density : float or ndarray
        Channels per m2 (one value, or one per grid cell).
    opening_diameter : float
        Diameter of a channel's opening, m.

    Returns
    -------
    float
        Fraction of the surface opened, 0-1.

    Examples
    --------
    200 channels per cm2 of 70 um openings open about 0.8 % of the surface:

    >>> round(coverage_from_density(200e4, 70e-6), 4)
    0.0077
    """
    a = math.pi * opening_diameter**2 / 4.0
    return float(np.mean(1.0 - np.exp(-np.asarray(density) * a)))


def _later_neighbours(i: np.ndarray, j: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``i < j`` as a CSR list: for each point, the later points within reach."""
    order = np.argsort(i, kind="stable")
    later = j[order]
    indptr = np.searchsorted(i[order], np.arange(n + 1))
    return indptr, later


def _gather(indptr: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Concatenated ``values[indptr[r]:indptr[r + 1]]`` for every row ``r`` of ``rows``."""
    lo, hi = indptr[rows], indptr[rows + 1]
    counts = hi - lo
    total = int(counts.sum())
    if total == 0:
        return values[:0]
    offsets = np.repeat(lo - (np.cumsum(counts) - counts), counts)
    return values[offsets + np.arange(total)]


def first_entries(x: np.ndarray, y: np.ndarray, merge_distance: float, tree: Any = None) -> np.ndarray:
    """Which punctures open a new channel, in the order given (the order they were made).

    A puncture opens a channel unless an earlier channel lies within ``merge_distance``, in which case
    it re-opens that channel. This is the lexicographically first maximal independent set of the
    "closer than ``merge_distance``" graph; it is found in rounds (each round decides every puncture
    whose earlier neighbours are all decided), so the work is vectorised and linear in the number of
    close pairs.

    Parameters
    ----------
    x, y : ndarray
        Puncture positions in the order they were made, m.
    merge_distance : float
        Centre distance below which two punctures share a channel, m.
    tree : scipy.spatial.cKDTree, optional
        A tree of exactly these positions (built here when None).

    Returns
    -------
    ndarray of bool
        True where a puncture opened a channel.
    """
    from scipy.spatial import cKDTree

    n = x.size
    if n == 0 or merge_distance <= 0:
        return np.ones(n, dtype=bool)
    tree = cKDTree(np.column_stack([x, y])) if tree is None else tree
    pairs = tree.query_pairs(merge_distance, output_type="ndarray")
    if pairs.size == 0:
        return np.ones(n, dtype=bool)
    i, j = pairs.min(axis=1), pairs.max(axis=1)
    indptr, later = _later_neighbours(i, j, n)
    undecided_before = np.bincount(j, minlength=n)
    state = np.zeros(n, dtype=np.int8)  # 0 undecided, 1 opens a channel, 2 re-opens one
    frontier = np.flatnonzero(undecided_before == 0)
    while frontier.size:
        # Every earlier neighbour of the frontier is decided and none is a channel: each opens one.
        state[frontier] = 1
        hit = _gather(indptr, later, frontier)
        hit = hit[state[hit] == 0]
        state[hit] = 2  # a later neighbour of a channel re-opens it, whatever else lies near
        reopened = np.flatnonzero(np.bincount(hit, minlength=0) > 0) if hit.size else hit
        # Re-openings are decided: their later neighbours have one undecided predecessor fewer each.
        nxt = _gather(indptr, later, reopened)
        np.subtract.at(undecided_before, nxt, 1)
        nxt = nxt[(state[nxt] == 0) & (undecided_before[nxt] == 0)]
        frontier = np.flatnonzero(np.bincount(nxt)) if nxt.size else nxt
    opened: np.ndarray = state == 1
    return opened


#: Close pairs up to which a map is merged in one go rather than pass by pass (memory about 16 bytes each).
MERGE_IN_ONE_GO_PAIRS = 2_000_000


def keep_punctured(cmap: ChannelMap, share: float, rng: np.random.Generator) -> ChannelMap:
    """The needle entries of a map that puncture, each with probability ``share`` (pressed short needles).

    Parameters
    ----------
    cmap : ChannelMap
        Every needle entry, in the order made.
    share : float
        Probability that an entry punctures, 0-1 (see ``insertion.pressed_puncture_fraction``).
    rng : numpy.random.Generator
        Seeded generator; not drawn from when ``share`` is 1, so the map of a long needle is unchanged.

    Returns
    -------
    ChannelMap
        The entries that punctured (all of them when ``share`` is 1).
    """
    if share >= 1.0:
        return cmap
    keep = rng.random(cmap.count) < share
    return ChannelMap(cmap.x[keep], cmap.y[keep], cmap.pass_index[keep], cmap.side, cmap.passes)


def merge_punctures(cmap: ChannelMap, merge_distance: float) -> ChannelMap:
    """The distinct channels of a map of punctures (see :func:`first_entries`).

    The map's order is the order the punctures were made. Sparse maps (few close pairs, as a roller's)
    are merged in one go; dense ones (a pen's) pass by pass, so that the close pairs stay few: those of a
    later pass that land within ``merge_distance`` of a channel already open re-open it, the rest are
    merged among themselves.

    Parameters
    ----------
    cmap : ChannelMap
        Every puncture, in the order made.
    merge_distance : float
        A puncture this close to an open channel re-opens it instead of adding one, m.

    Returns
    -------
    ChannelMap
        The distinct channels.
    """
    from scipy.spatial import cKDTree

    area = cmap.side**2
    expected_pairs = cmap.count**2 * math.pi * merge_distance**2 / (2.0 * area) if area > 0 else 0.0
    if expected_pairs < MERGE_IN_ONE_GO_PAIRS:
        keep = first_entries(cmap.x, cmap.y, merge_distance, tree=cmap.kdtree())
        return ChannelMap(cmap.x[keep], cmap.y[keep], cmap.pass_index[keep], cmap.side, cmap.passes, cmap.punctures)
    keep = np.zeros(cmap.count, dtype=bool)
    open_x = np.empty(0)
    open_y = np.empty(0)
    for p in range(cmap.passes):
        idx = np.flatnonzero(cmap.pass_index == p)
        if idx.size == 0:
            continue
        fresh = idx
        if open_x.size:
            dist, _ = cKDTree(np.column_stack([open_x, open_y])).query(
                np.column_stack([cmap.x[idx], cmap.y[idx]]), k=1, distance_upper_bound=merge_distance
            )
            fresh = idx[~(dist < merge_distance)]
        new = fresh[first_entries(cmap.x[fresh], cmap.y[fresh], merge_distance)]
        keep[new] = True
        open_x = np.concatenate([open_x, cmap.x[new]])
        open_y = np.concatenate([open_y, cmap.y[new]])
    return ChannelMap(cmap.x[keep], cmap.y[keep], cmap.pass_index[keep], cmap.side, cmap.passes, cmap.punctures)


@functools.lru_cache(maxsize=4)
def _halton(samples: int) -> np.ndarray:
    """A scrambled 2-D Halton sequence on the unit square (seed 0), computed once per size (read-only)."""
    from scipy.stats import qmc

    out: np.ndarray = np.asarray(qmc.Halton(d=2, scramble=True, seed=0).random(samples))
    out.setflags(write=False)
    return out


def injured_fraction(punctures: ChannelMap, needle_diameter: float, samples: int = 20000) -> float:
    """Fraction of the surface within a needle's cross-section of any puncture (quasi-Monte Carlo).

    Parameters
    ----------
    punctures : ChannelMap
        Every needle entry.
    needle_diameter : float
        Diameter of the needle at the skin surface, m.
    samples : int
        Points of a scrambled Halton sequence over the square (deterministic).

    Returns
    -------
    float
        Fraction of the surface injured, 0-1.
    """
    if punctures.count == 0:
        return 0.0
    pts = (_halton(samples) - 0.5) * punctures.side
    dist, _ = punctures.kdtree().query(pts, k=1, distance_upper_bound=needle_diameter / 2.0)
    return float(np.mean(dist < needle_diameter / 2.0))


def _rsa_table(jamming: float, n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Attempted coverage ``x`` against distinct coverage ``theta`` for random sequential adsorption.

    ``d theta / d x = (1 - theta/theta_J)**3 (1 + (3 - 4 theta_J) theta/theta_J)``: exact at low coverage
    (a channel keeps new centres out of a disc of four times its own disc's area, so the slope is
    ``1 - 4 theta``) and with the cubic approach to jamming of random packing in two dimensions.
    """
    theta = np.linspace(0.0, jamming * (1.0 - 1e-6), n)
    u = theta / jamming
    rate = (1.0 - u) ** 3 * (1.0 + (3.0 - 4.0 * jamming) * u)
    inv = 1.0 / rate
    x = np.concatenate([[0.0], np.cumsum(0.5 * (inv[1:] + inv[:-1]) * np.diff(theta))])
    return x, theta


def distinct_density(puncture_density: float, merge_distance: float, jamming: float) -> float:
    """Expected distinct channels per area when punctures land at random (closed form).

    Parameters
    ----------
    puncture_density : float
        Needle entries per area, 1/m2.
    merge_distance : float
        Centre distance below which two punctures share a channel, m.
    jamming : float
        Saturation coverage of random sequential adsorption of discs (0.547 in two dimensions).

    Returns
    -------
    float
        Distinct channels per area, 1/m2: about ``puncture_density`` while punctures are sparse,
        never more than ``jamming / (pi d**2 / 4)``.
    """
    if puncture_density <= 0 or merge_distance <= 0:
        return max(0.0, puncture_density)
    disc = math.pi * merge_distance**2 / 4.0
    x, theta = _rsa_table(jamming)
    attempted = puncture_density * disc
    if attempted >= x[-1]:
        return float(theta[-1] / disc)
    return float(np.interp(attempted, x, theta) / disc)
