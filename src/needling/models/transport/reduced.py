"""Reduced transport model: the cell model on a coarse mesh with few, long time steps.

A 10 x 16 axisymmetric mesh (10 radial cells; 2, 4 and 10 rows in stratum corneum, viable
epidermis and dermis) and 30 geometric time steps instead of 24 x 36 cells and 80 steps: the
same physics, mass-conserving, in about 5 ms instead of about 100 ms. Its error against the full
model is checked by the tests over the range stated there (within 15 % of cumulative uptake).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from needling.models.transport.cell import CellModel, CellResult, Layer, build_mesh, time_grid
from needling.units import s_to_hours

NR = 10
NZ_PER_LAYER = (4, 4, 10)
STEPS = 40


def reduced_cell(
    layers: list[Layer],
    cell_radius: float,
    channel_radius: float,
    channel_depth: float,
    channel_diffusivity: float,
    t: np.ndarray,
    phi_of_t: Callable[[float], float],
    vehicle_concentration: float,
    vehicle_thickness: float | None,
    vehicle_loss_rate: float = 0.0,
    saturation: float = float("inf"),
    channel_partition: float = 1.0,
    film_diffusivity: float | None = None,
) -> CellResult:
    """Integrate the reduced model to ``t[-1]`` (s); same meaning as ``CellModel.run``.

    The result is reported on its own coarse time grid ending at ``t[-1]``.

    Parameters
    ----------
    layers : list of Layer
        Stratum corneum, viable epidermis, dermis: thickness (m), diffusivity (m2/s), partition, clearance (1/s).
    cell_radius : float
        Radius of the periodic cell around one channel, m (``1 / sqrt(pi rho)``).
    channel_radius, channel_depth : float
        The channel's opening radius and depth, m (0 for intact skin).
    channel_diffusivity : float
        Diffusivity in the open channel's fluid, m2/s.
    t : ndarray
        Times, s; only ``t[-1]`` is used.
    phi_of_t : callable
        Open fraction of the channel at a time in s (:func:`~needling.models.transport.closure.open_fraction`).
    vehicle_concentration : float
        Concentration of the topical on top, kg/m3.
    vehicle_thickness : float or None
        Thickness of a finite film, m; None for an infinite dose.
    vehicle_loss_rate : float
        First-order rate at which a finite film leaves the surface, 1/s.
    saturation : float
        Solubility in the film, kg/m3 (``CellModel.run``).
    channel_partition : float
        Partition of the open channel's fluid with the vehicle (size exclusion).
    film_diffusivity : float, optional
        Diffusivity in a finite film, m2/s (``CellModel``); None treats the film as well mixed.

    Returns
    -------
    CellResult
        Fluxes, cumulative uptake, depth profile and mass balance on the coarse grid.
    """
    coarse_t = time_grid(s_to_hours(float(t[-1])), first_s=1.0, steps=STEPS)
    has_channel = channel_radius > 0 and channel_depth > 0
    mesh = build_mesh(
        layers, cell_radius, channel_radius, channel_depth, nr=NR if has_channel else 1, nz_per_layer=NZ_PER_LAYER
    )
    phi = phi_of_t if has_channel else (lambda s: 0.0)
    return CellModel(mesh, layers, channel_diffusivity, channel_partition, film_diffusivity).run(
        coarse_t,
        phi,
        vehicle_concentration,
        vehicle_thickness,
        vehicle_loss_rate=vehicle_loss_rate,
        saturation=saturation,
    )
