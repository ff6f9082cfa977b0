"""Axisymmetric (r, z) finite-volume model of one channel in its periodic cell.

The cell is a cylinder of radius ``R = 1 / sqrt(pi rho)`` around one channel (``rho`` channels per
area), layered in depth: stratum corneum, viable epidermis, dermis (with first-order clearance),
and a sink at the bottom of the dermis. The channel (radius ``r_c``, depth ``d_c``) is aqueous fluid
while open; as it closes, its cells become their layer again: partition and conductance mix the open
share ``phi(t)`` of fluid with the layer's own values. Where channels are so dense that
one is as wide as its cell, they have merged: the whole cell is open down to the channel depth.

Unknowns are the potentials ``u = c / K`` per cell (continuous across partition jumps; ``c`` is
mass per volume), fluxes ``F_ij = G_ij (u_i - u_j)`` with
``G_ij = A_ij / (h_i / (D_i K_i) + h_j / (D_j K_j))``. Backward Euler in time conserves mass exactly
in the discrete sense, also while ``K`` changes with closure; each step is one banded Cholesky
solve. The vehicle on top is either held at a fixed concentration (infinite dose) or is a
well-mixed film that depletes (finite dose).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.linalg import solveh_banded
from threadpoolctl import threadpool_limits

from needling.units import hours_to_s


def graded_edges(length: float, n: int, first: float | None = None) -> np.ndarray:
    """``n`` cells over ``[0, length]``, geometrically graded from ``first`` (uniform if None).

    Parameters
    ----------
    length : float
        Length to divide, m.
    n : int
        Number of cells, at least 1.
    first : float, optional
        Width of the first cell, m; uniform cells when None or when ``first * n >= length``.

    Returns
    -------
    ndarray (n + 1,)
        Cell edges from 0 to ``length``, m.

    Examples
    --------
    >>> graded_edges(1.0, 4).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    if n < 1:
        raise ValueError("need at least one cell")
    if first is None or first * n >= length:
        return np.linspace(0.0, length, n + 1)
    # solve first * (q**n - 1) / (q - 1) = length for q > 1
    lo, hi = 1.0 + 1e-12, 10.0
    for _ in range(200):
        q = 0.5 * (lo + hi)
        s = first * (q**n - 1.0) / (q - 1.0)
        lo, hi = (q, hi) if s < length else (lo, q)
    widths = first * q ** np.arange(n)
    widths *= length / widths.sum()
    return np.concatenate([[0.0], np.cumsum(widths)])


@dataclass
class Layer:
    """A layer of the cell: thickness (m), diffusivity (m2/s), partition with the vehicle, clearance (1/s).

    Attributes
    ----------
    name : str
        Name of the layer.
    thickness : float
        Thickness of the layer, m.
    diffusivity : float
        Diffusivity of the compound in the layer, m2/s.
    partition : float
        Partition coefficient between the layer and the vehicle (dimensionless).
    clearance : float
        First-order clearance rate (to the blood), 1/s; 0 for none.
    """

    name: str
    thickness: float
    diffusivity: float
    partition: float
    clearance: float = 0.0


@dataclass
class Mesh:
    """Cell edges in r and z, and per-cell layer index and channel flag.

    Attributes
    ----------
    r_edges : numpy.ndarray
        Cell edges along the radius from the channel's axis, m, (nr + 1,).
    z_edges : numpy.ndarray
        Cell edges along the depth from the surface, m, (nz + 1,).
    layer_of_row : numpy.ndarray of int
        Index of the layer each row of cells lies in, (nz,).
    channel : numpy.ndarray of bool
        Whether each cell lies inside the channel, (nz, nr).
    """

    r_edges: np.ndarray
    z_edges: np.ndarray
    layer_of_row: np.ndarray
    channel: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        """Cells along depth and radius: ``(nz, nr)``."""
        return self.z_edges.size - 1, self.r_edges.size - 1

    @property
    def volumes(self) -> np.ndarray:
        """Cell volumes, m3 (nz, nr)."""
        ring = math.pi * (self.r_edges[1:] ** 2 - self.r_edges[:-1] ** 2)
        out: np.ndarray = np.diff(self.z_edges)[:, None] * ring[None, :]
        return out

    @property
    def top_areas(self) -> np.ndarray:
        """Areas of the top faces of the first row, m2 (nr,)."""
        out: np.ndarray = math.pi * (self.r_edges[1:] ** 2 - self.r_edges[:-1] ** 2)
        return out


def build_mesh(
    layers: list[Layer],
    cell_radius: float,
    channel_radius: float,
    channel_depth: float,
    nr: int = 24,
    nz_per_layer: tuple[int, ...] = (4, 8, 24),
    refine: int = 1,
) -> Mesh:
    """Mesh the cell; the channel's wall and bottom fall on cell faces.

    Parameters
    ----------
    layers : list of Layer
        From the surface down.
    cell_radius, channel_radius, channel_depth : float
        m. A channel radius or depth of 0 gives a cell without a channel (intact skin); a channel at
        least as wide as its cell (channels merged) opens the whole cell down to ``channel_depth``.
    nr, nz_per_layer : int
        Cells across the radius and per layer (before ``refine``).
    refine : int
        Multiplies every count (mesh convergence studies).

    Returns
    -------
    Mesh
        Cell edges in r and z (m), the layer of each row and the cells inside the channel.
    """
    has_channel = channel_radius > 0 and channel_depth > 0
    # Channels as wide as their cell have merged: the channelled depth is one opened surface layer.
    merged = has_channel and channel_radius >= cell_radius
    if merged:
        r_edges = np.linspace(0.0, cell_radius, max(1, nr * refine) + 1)
    elif has_channel:
        n_in = max(2, (nr * refine) // 4)
        inner = np.linspace(0.0, channel_radius, n_in + 1)
        outer = channel_radius + graded_edges(
            cell_radius - channel_radius, nr * refine - n_in, first=channel_radius / n_in
        )
        r_edges = np.concatenate([inner, outer[1:]])
    else:
        r_edges = np.array([0.0, cell_radius]) if nr <= 1 else np.linspace(0.0, cell_radius, nr * refine + 1)
    z_parts, layer_rows, top = [0.0], [], 0.0
    for i, layer in enumerate(layers):
        n = nz_per_layer[min(i, len(nz_per_layer) - 1)] * refine
        bottom = top + layer.thickness
        cuts = [top, bottom]
        if has_channel and top < channel_depth < bottom:
            cuts = [top, channel_depth, bottom]
        for a, b in itertools.pairwise(cuts):
            m = max(1, round(n * (b - a) / layer.thickness))
            if b - a > 4 * (bottom - top) / n and i == len(layers) - 1:
                e = a + graded_edges(b - a, m, first=(b - a) / (4 * m))
            else:
                e = np.linspace(a, b, m + 1)
            z_parts.extend(e[1:])
            layer_rows.extend([i] * m)
        top = bottom
    z_edges = np.array(z_parts)
    z_mid = 0.5 * (z_edges[1:] + z_edges[:-1])
    r_mid = 0.5 * (r_edges[1:] + r_edges[:-1])
    channel = (
        (z_mid[:, None] < channel_depth) & (r_mid[None, :] < min(channel_radius, cell_radius))
        if has_channel
        else np.zeros((z_mid.size, r_mid.size), bool)
    )
    return Mesh(r_edges, z_edges, np.array(layer_rows), channel)


@dataclass
class CellResult:
    """Time course of one cell: flux and cumulative uptake per area, and the final depth profile.

    Attributes
    ----------
    t : numpy.ndarray
        Step ends, s (``t[0] = 0``).
    flux : numpy.ndarray
        Flux across the surface per area, mean over each step, kg/(m2 s).
    cumulative : numpy.ndarray
        Amount per area that has entered the skin by ``t``, kg/m2.
    stored : numpy.ndarray
        Amount per area in the tissue at ``t``, kg/m2.
    cleared : numpy.ndarray
        Amount per area removed by clearance by ``t``, kg/m2.
    sink : numpy.ndarray
        Amount per area gone out through the bottom by ``t``, kg/m2.
    vehicle : numpy.ndarray
        Amount per area left in the vehicle at ``t``, kg/m2.
    z_mid : numpy.ndarray
        Depth of the middle of each row of cells, m.
    profile : numpy.ndarray
        Area-averaged concentration of each row at the end, kg/m3.
    """

    t: np.ndarray
    flux: np.ndarray
    cumulative: np.ndarray
    stored: np.ndarray
    cleared: np.ndarray
    sink: np.ndarray
    vehicle: np.ndarray
    z_mid: np.ndarray
    profile: np.ndarray

    @property
    def mass_balance_error(self) -> float:
        """``max |entered - (stored + cleared + sink)|`` relative to the amount entered."""
        resid = self.cumulative - (self.stored + self.cleared + self.sink)
        scale = max(float(np.max(np.abs(self.cumulative))), 1e-300)
        return float(np.max(np.abs(resid)) / scale)


def time_grid(hours: float, first_s: float = 1.0, steps: int = 80) -> np.ndarray:
    """Geometric time grid from 0 to ``hours`` h: fine early (fast filling), coarse late.

    Parameters
    ----------
    hours : float
        Duration, h.
    first_s : float
        First step, s.
    steps : int
        Number of steps.

    Returns
    -------
    ndarray (steps + 1,)
        Times, s, from 0 to ``hours`` x 3600.
    """
    total = hours_to_s(hours)
    if first_s * steps >= total:
        return np.linspace(0.0, total, steps + 1)
    return graded_edges(total, steps, first=first_s)


class CellModel:
    """The discretised cell: assemble once, step in time with changing channel openness.

    Parameters
    ----------
    mesh : Mesh
    layers : list of Layer
    channel_diffusivity : float
        Diffusivity in the open channel's fluid, m2/s.
    channel_partition : float
        Partition of the open channel's fluid with the vehicle (1 for a small molecule; below 1 where the
        fibrin and tissue debris filling a fresh channel exclude a large one by size).
    film_diffusivity : float, optional
        Diffusivity in a finite film, m2/s. A film a few micrometres thick feeds a channel's mouth by
        diffusing sideways from the rest of the cell: the channel's top faces then see the film's radial
        resistance ``ln(R / a) / (2 pi h D_film)`` in series. None treats the film as well mixed.
    """

    def __init__(
        self,
        mesh: Mesh,
        layers: list[Layer],
        channel_diffusivity: float,
        channel_partition: float = 1.0,
        film_diffusivity: float | None = None,
    ) -> None:
        self.mesh = mesh
        self.K_channel = channel_partition
        self.film_diffusivity = film_diffusivity
        self._film_thickness: float | None = None
        nz, nr = mesh.shape
        self.n = nz * nr
        lay = [layers[i] for i in mesh.layer_of_row]
        self.D_tissue = np.repeat([[layer.diffusivity] for layer in lay], nr, axis=1)
        self.K_tissue = np.repeat([[layer.partition] for layer in lay], nr, axis=1)
        self.k_clear = np.repeat([[layer.clearance] for layer in lay], nr, axis=1)
        self.D_channel = channel_diffusivity
        self.V = mesh.volumes
        dz = np.diff(mesh.z_edges)
        re = mesh.r_edges
        dr = np.diff(re)
        rm = 0.5 * (re[1:] + re[:-1])
        idx = np.arange(self.n).reshape(nz, nr)
        # radial faces between (k, j) and (k, j+1)
        self.rad_i = idx[:, :-1].ravel()
        self.rad_j = idx[:, 1:].ravel()
        self.rad_area = (2 * math.pi * re[1:-1][None, :] * dz[:, None]).ravel()
        self.rad_hi = np.broadcast_to((re[1:-1] - rm[:-1])[None, :], (nz, nr - 1)).ravel()
        self.rad_hj = np.broadcast_to((rm[1:] - re[1:-1])[None, :], (nz, nr - 1)).ravel()
        # axial faces between (k, j) and (k+1, j)
        self.ax_i = idx[:-1, :].ravel()
        self.ax_j = idx[1:, :].ravel()
        ring = math.pi * (re[1:] ** 2 - re[:-1] ** 2)
        self.ax_area = np.broadcast_to(ring[None, :], (nz - 1, nr)).ravel()
        self.ax_hi = np.broadcast_to((dz[:-1] / 2)[:, None], (nz - 1, nr)).ravel()
        self.ax_hj = np.broadcast_to((dz[1:] / 2)[:, None], (nz - 1, nr)).ravel()
        self.top_idx = idx[0, :]
        self.top_area = ring
        self.top_h = dz[0] / 2
        self.bot_idx = idx[-1, :]
        self.bot_area = ring
        self.bot_h = dz[-1] / 2
        self.cell_area = float(ring.sum())
        del dr
        fi = np.concatenate([self.rad_i, self.ax_i])
        fj = np.concatenate([self.rad_j, self.ax_j])
        self._faces_i, self._faces_j = fi, fj
        self._area = np.concatenate([self.rad_area, self.ax_area])
        self._hi = np.concatenate([self.rad_hi, self.ax_hi])
        self._hj = np.concatenate([self.rad_hj, self.ax_hj])

    def properties(self, phi: float) -> tuple[np.ndarray, np.ndarray]:
        """Return the diffusivity and partition of every cell at open fraction ``phi``.

        Parameters
        ----------
        phi : float
            Open fraction of the channels, 0-1 (1: just made, 0: closed).

        Returns
        -------
        tuple of numpy.ndarray
            Diffusivity (m2/s) and partition coefficient (dimensionless) per cell.
        """
        D = self.D_tissue.copy()
        K = self.K_tissue.copy()
        ch = self.mesh.channel
        # A closing channel is two paths side by side: the open share phi of aqueous fluid (K = 1, D_channel)
        # and the share 1 - phi where the layer has grown back with its own partition and diffusivity. Both
        # the capacity K and the conductance D K mix by share, so a closed channel's stratum corneum rows are
        # stratum corneum again (with K kept at 1 they stayed an aqueous short-cut through the barrier).
        k_mix = phi * self.K_channel + (1 - phi) * self.K_tissue[ch]
        dk_mix = phi * self.D_channel * self.K_channel + (1 - phi) * self.D_tissue[ch] * self.K_tissue[ch]
        K[ch] = k_mix
        D[ch] = dk_mix / k_mix
        return D.ravel(), K.ravel()

    def conductances(self, D: np.ndarray, K: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the face conductances (interior, top, bottom), m3/s per unit potential.

        Parameters
        ----------
        D : numpy.ndarray
            Diffusivity of every cell, m2/s.
        K : numpy.ndarray
            Partition coefficient of every cell (dimensionless).

        Returns
        -------
        tuple of numpy.ndarray
            Interior, top-boundary and bottom-boundary conductances, m3/s.
        """
        DK = D * K
        g = self._area / (self._hi / DK[self._faces_i] + self._hj / DK[self._faces_j])
        g_top = self.top_area * DK[self.top_idx] / self.top_h
        g_bot = self.bot_area * DK[self.bot_idx] / self.bot_h
        top = self.mesh.channel[0]
        h = self._film_thickness
        if h is not None and self.film_diffusivity is not None and top.any() and not top.all():
            # A thin film reaches the channel's mouth by diffusing sideways from the rest of the cell: the
            # radial resistance of an annulus of film from the cell's edge R to the mouth's radius a, in series.
            a = float(self.mesh.r_edges[1:][top].max())
            r_film = math.log(float(self.mesh.r_edges[-1]) / a) / (2.0 * math.pi * h * self.film_diffusivity)
            g_mouth = float(g_top[top].sum())
            g_top = g_top.copy()
            g_top[top] *= 1.0 / (1.0 + r_film * g_mouth)
        return g, g_top, g_bot

    def banded_operator(self, g: np.ndarray, g_top: np.ndarray, g_bot: np.ndarray, storage: np.ndarray) -> np.ndarray:
        """Return the symmetric positive-definite step matrix in LAPACK upper banded form (bandwidth ``nr``).

        ``storage`` is the diagonal's storage and clearance part (V K / dt + k V K); conductances add the
        graph Laplacian of the faces and the boundary conductances.

        Parameters
        ----------
        g : numpy.ndarray
            Interior face conductances, m3/s, as :meth:`conductances` gives them.
        g_top, g_bot : numpy.ndarray
            Conductances of the top and bottom boundary faces, m3/s.
        storage : numpy.ndarray
            Storage and clearance of every cell, m3/s.

        Returns
        -------
        numpy.ndarray
            The matrix in upper banded storage, shape ``(nr + 1, cells)``.
        """
        nr = self.mesh.shape[1]
        n = self.n
        ab = np.zeros((nr + 1, n))
        diag = storage.copy()
        np.add.at(diag, self._faces_i, g)
        np.add.at(diag, self._faces_j, g)
        diag[self.top_idx] += g_top
        diag[self.bot_idx] += g_bot
        ab[nr] = diag
        n_rad = self.rad_i.size
        # radial neighbours: offset 1 (entry for column j sits at ab[nr - 1, j])
        ab[nr - 1, self.rad_j] = -g[:n_rad]
        # axial neighbours: offset nr
        ab[0, self.ax_j] = -g[n_rad:]
        return ab

    def run(
        self,
        t: np.ndarray,
        phi_of_t: Callable[[float], float],
        vehicle_concentration: float,
        vehicle_thickness: float | None,
        keep_profile: bool = True,
        vehicle_loss_rate: float = 0.0,
        saturation: float = math.inf,
    ) -> CellResult:
        """Integrate over the time grid ``t`` (s) by backward Euler in the potential ``u = c / K``.

        Mass ``sum V K u`` is conserved exactly in the discrete sense, also while ``K`` changes with
        closure: each step solves ``(V K'/dt + k V K' + L') u' = V K u / dt + b`` with the symmetric
        positive-definite banded matrix of :meth:`banded_operator` (Cholesky, LAPACK pbsv).

        Parameters
        ----------
        t : ndarray
            Step ends, s, starting at 0.
        phi_of_t : callable
            Open fraction of the channel at time t (s).
        vehicle_concentration : float
            Concentration of the diffusing form in the vehicle at t = 0, kg/m3 (for a finite film, all of it,
            dissolved or not).
        vehicle_thickness : float or None
            Film thickness for a finite dose, m; None holds the vehicle constant (infinite dose).
        keep_profile : bool
            Keep the final depth profile.
        vehicle_loss_rate : float
            First-order rate at which a finite film leaves the skin surface (dries, is rubbed or washed
            off), 1/s; what leaves does not enter.
        saturation : float
            Solubility in the film, kg/m3: above it the dissolved part is held at saturation and the rest is a
            reservoir that dissolves as the skin takes up the dissolved part (Tsai 1993: after the drug
            precipitates from an evaporating film, the driving force is the dissolved drug only).

        Returns
        -------
        CellResult
            Flux, cumulative uptake, mass balance and the final profile.
        """
        with threadpool_limits(limits=1, user_api="blas"):
            return self._run(
                t, phi_of_t, vehicle_concentration, vehicle_thickness, keep_profile, vehicle_loss_rate, saturation
            )

    def _run(
        self,
        t: np.ndarray,
        phi_of_t: Callable[[float], float],
        vehicle_concentration: float,
        vehicle_thickness: float | None,
        keep_profile: bool,
        vehicle_loss_rate: float = 0.0,
        saturation: float = math.inf,
    ) -> CellResult:
        # One BLAS thread: the banded solves are small, and threads cost more than they give (8x here).
        n = self.n
        self._film_thickness = vehicle_thickness
        V = self.V.ravel()
        kcl = self.k_clear.ravel()
        _, K_old = self.properties(float(phi_of_t(t[0])))
        u = np.zeros(n)
        finite = vehicle_thickness is not None
        cv = vehicle_concentration
        area = self.cell_area
        nsteps = t.size - 1
        flux = np.zeros(nsteps)
        cum, stored, cleared, sink, veh = (np.zeros(t.size) for _ in range(5))
        veh[0] = cv * vehicle_thickness if vehicle_thickness is not None else np.nan
        cache: dict[float, tuple[Any, ...]] = {}
        for s in range(nsteps):
            dt = t[s + 1] - t[s]
            phi = float(phi_of_t(t[s + 1]))
            if phi not in cache:
                D, K = self.properties(phi)
                cache.clear()
                cache[phi] = (K, *self.conductances(D, K))
            K, g, g_top, g_bot = cache[phi]
            ab = self.banded_operator(g, g_top, g_bot, V * K / dt + kcl * V * K)
            rhs = V * K_old * u / dt
            saturated_step = False
            if vehicle_thickness is not None and cv > saturation:
                # Saturated film: the dissolved part is held at saturation (a fixed potential on the top face);
                # the film's total (dissolved and undissolved) loses what enters and, first-order, what leaves.
                rhs_sat = rhs.copy()
                rhs_sat[self.top_idx] += g_top * saturation
                u_sat = solveh_banded(ab, rhs_sat, check_finite=False)
                j_sat = float(g_top @ (saturation - u_sat[self.top_idx]))
                total = (cv * vehicle_thickness * area - j_sat * dt) / (1.0 + vehicle_loss_rate * dt)
                if total >= saturation * vehicle_thickness * area:
                    saturated_step = True
                    u_new, cv_new = u_sat, total / (vehicle_thickness * area)
                    j_in = j_sat
            if not saturated_step and vehicle_thickness is not None:
                vol_v = area * vehicle_thickness
                b = np.zeros(n)
                b[self.top_idx] = g_top
                x = solveh_banded(ab, np.column_stack([rhs, b]), check_finite=False)
                x0, x1 = x[:, 0], x[:, 1]
                # vehicle film: vol_v (cv' - cv) / dt = -sum g_top (cv' - u'_top) - k vol_v cv', u' = x0 + x1 cv'
                gsum = g_top.sum()
                cv_new = (vol_v / dt * cv + g_top @ x0[self.top_idx]) / (
                    vol_v / dt + vehicle_loss_rate * vol_v + gsum - g_top @ x1[self.top_idx]
                )
                u_new = x0 + x1 * cv_new
                j_in = float(g_top @ (cv_new - u_new[self.top_idx]))  # kg/s
            elif not saturated_step:
                rhs[self.top_idx] += g_top * cv
                u_new = solveh_banded(ab, rhs, check_finite=False)
                cv_new = cv
                j_in = float(g_top @ (cv_new - u_new[self.top_idx]))  # kg/s
            j_out = float(g_bot @ u_new[self.bot_idx])
            c_new = K * u_new
            j_cl = float((kcl * V) @ c_new)
            flux[s] = j_in / area
            cum[s + 1] = cum[s] + j_in * dt / area
            cleared[s + 1] = cleared[s] + j_cl * dt / area
            sink[s + 1] = sink[s] + j_out * dt / area
            stored[s + 1] = float(V @ c_new) / area
            if finite:
                cv = cv_new
                veh[s + 1] = cv * vehicle_thickness
            u, K_old = u_new, K
        nz, nr = self.mesh.shape
        z_mid = 0.5 * (self.mesh.z_edges[1:] + self.mesh.z_edges[:-1])
        c = K_old * u
        prof = (c.reshape(nz, nr) * self.V).sum(axis=1) / self.V.sum(axis=1) if keep_profile else np.zeros(nz)
        return CellResult(t, flux, cum, stored, cleared, sink, veh, z_mid, prof)
