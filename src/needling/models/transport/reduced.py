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
) -> CellResult:
    """Integrate the reduced model to ``t[-1]`` (s); same meaning as ``CellModel.run``.

    The result is reported on its own coarse time grid ending at ``t[-1]``.
    """
    coarse_t = time_grid(t[-1] / 3600.0, first_s=1.0, steps=STEPS)
    has_channel = channel_radius > 0 and channel_depth > 0
    mesh = build_mesh(
        layers, cell_radius, channel_radius, channel_depth, nr=NR if has_channel else 1, nz_per_layer=NZ_PER_LAYER
    )
    phi = phi_of_t if has_channel else (lambda s: 0.0)
    return CellModel(mesh, layers, channel_diffusivity).run(coarse_t, phi, vehicle_concentration, vehicle_thickness)
