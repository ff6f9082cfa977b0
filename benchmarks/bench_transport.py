"""The full transport model against FiPy solving the same problem on the same mesh, in the same run.

Problem: caffeine, infinite dose, one channel of a 1.5 mm 192-needle roller (15 passes) in its
periodic cell on the cheek, channel held open, 4 h, 80 geometric backward-Euler steps. FiPy gets the
same cylindrical non-uniform grid, the same cell-wise D K with distance-weighted harmonic face values,
the same boundary conditions (vehicle potential on top, sink at the bottom, no flux at the sides) and
the same implicit clearance. Target: at least 10x faster, cumulative uptake within 1 %.
Also reports one reduced-model evaluation, and re-checks the reduced model against the full one over the
finite-dose range people apply (default doses by product type, 0.5 and 5 mg/cm2 of product, open or
occluded, 1 and 24 h) as well as the infinite dose: the largest relative error of cumulative uptake, and
the largest absolute error of the fraction absorbed.
"""

from __future__ import annotations

import math
import time

import numpy as np

from needling.anatomy import get_site
from needling.compounds import get_compound
from needling.evidence import SourceSet
from needling.models.transport.cell import CellModel, build_mesh, time_grid
from needling.simulation import Technique, deliver, quick_session
from needling.simulation.delivery import _layers

HOURS, STEPS, CONC = 4.0, 80, 20.0


def _problem():
    site = get_site("cheek")
    s = quick_session("dermaroller-192-1.5", site, Technique(passes=15, directions=3))
    layers, d_ch = _layers(get_compound("caffeine"), site, "female", 6.0, SourceSet())
    radius = 1.0 / math.sqrt(math.pi * s.channels_per_cm2 * 1e4)
    mesh = build_mesh(layers, radius, s.channel_diameter_um * 0.5e-6, s.residual_channel_depth_um * 1e-6)
    return mesh, layers, d_ch


def run_needling(mesh, layers, d_ch):
    model = CellModel(mesh, layers, d_ch)
    r = model.run(time_grid(HOURS, 1.0, STEPS), lambda s: 1.0, CONC, None)
    return r.cumulative[-1]


def run_fipy(mesh, layers, d_ch):
    import fipy as fp

    model = CellModel(mesh, layers, d_ch)
    D, K = model.properties(1.0)
    grid = fp.CylindricalGrid2D(dx=np.diff(mesh.r_edges), dy=np.diff(mesh.z_edges))
    # FiPy orders cells x (radius) fastest, then y (depth): the same as our (row, column) ravel.
    DK = fp.CellVariable(mesh=grid, value=D * K)
    Kc = fp.CellVariable(mesh=grid, value=K)
    kcl = fp.CellVariable(mesh=grid, value=model.k_clear.ravel())
    u = fp.CellVariable(mesh=grid, value=0.0, hasOld=True)
    u.constrain(CONC, grid.facesBottom)  # y = 0 is the skin surface
    u.constrain(0.0, grid.facesTop)  # bottom of the dermis: sink
    coeff = DK.harmonicFaceValue
    eq = fp.TransientTerm(coeff=Kc) == fp.DiffusionTerm(coeff=coeff) - fp.ImplicitSourceTerm(coeff=kcl * Kc)
    t = time_grid(HOURS, 1.0, STEPS)
    vol = np.asarray(grid.cellVolumes) * 2 * math.pi  # FiPy's cylindrical volumes are per radian
    cleared = sink = 0.0
    g_bot = model.bot_area * (D * K)[model.bot_idx] / model.bot_h
    for k in range(STEPS):
        dt = t[k + 1] - t[k]
        u.updateOld()
        eq.solve(var=u, dt=dt)
        val = np.asarray(u.value)
        cleared += float(np.sum(model.k_clear.ravel() * K * val * vol)) * dt
        sink += float(np.sum(g_bot * val[model.bot_idx])) * dt
    stored = float(np.sum(K * np.asarray(u.value) * vol))
    return (stored + cleared + sink) / model.cell_area


def _best(fn, repeat):
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


REDUCED_CASES = [
    (compound, device, passes, dose, occluded, hours)
    for compound in ("l-ascorbic-acid", "caffeine", "minoxidil", "lidocaine-prilocaine", "hyaluronic-acid-lmw")
    for device, passes in (("dermaroller-192-0.5", 15), ("dermaroller-192-1.5", 5), ("dermapen-11", 2))
    for dose in (None, 0.5, 5.0, "infinite")
    for occluded in (False, True)
    for hours in (1.0, 24.0)
]


def reduced_against_full() -> dict:
    """Largest errors of the reduced model against the full one over :data:`REDUCED_CASES`."""
    worst_rel, worst_abs, where = 0.0, 0.0, ""
    for compound, device, passes, dose, occluded, hours in REDUCED_CASES:
        kw = {"dose": "infinite"} if dose == "infinite" else {"dose_mg_cm2": dose}
        t = Technique(passes=passes, directions=3 if passes > 2 else 2)
        full = deliver(compound, device, "cheek", t, hours=hours, occluded=occluded, **kw)
        red = deliver(compound, device, "cheek", t, hours=hours, occluded=occluded, model="reduced", **kw)
        if full.cumulative_ug_per_cm2 > 1e-3:
            rel = abs(red.cumulative_ug_per_cm2 / full.cumulative_ug_per_cm2 - 1)
            if rel > worst_rel:
                worst_rel, where = rel, f"{compound} {device} dose={dose} occluded={occluded} {hours:g} h"
        if full.fraction_absorbed is not None and red.fraction_absorbed is not None:
            worst_abs = max(worst_abs, abs(red.fraction_absorbed - full.fraction_absorbed))
    return {
        "reduced_cases": len(REDUCED_CASES),
        "reduced_max_relative_error": float(f"{worst_rel:.3g}"),
        "reduced_worst_case": where,
        "reduced_max_fraction_absorbed_error": float(f"{worst_abs:.3g}"),
    }


def main() -> dict:
    mesh, layers, d_ch = _problem()
    t_ours, q_ours = _best(lambda: run_needling(mesh, layers, d_ch), 5)
    t_fipy, q_fipy = _best(lambda: run_fipy(mesh, layers, d_ch), 2)
    t_red, _ = _best(
        lambda: deliver("caffeine", "dermaroller-192-1.5", "cheek", Technique(passes=15), hours=HOURS, model="reduced"),
        10,
    )
    return {
        "cells": int(mesh.shape[0] * mesh.shape[1]),
        "steps": STEPS,
        "needling_full_s": round(t_ours, 4),
        "fipy_s": round(t_fipy, 4),
        "speedup": round(t_fipy / t_ours, 1),
        "target_speedup": 10,
        "cumulative_ug_per_cm2_needling": round(q_ours * 1e5, 3),
        "cumulative_ug_per_cm2_fipy": round(q_fipy * 1e5, 3),
        "relative_difference": float(f"{abs(q_ours / q_fipy - 1):.3g}"),
        "reduced_deliver_call_s": round(t_red, 4),
        **reduced_against_full(),
    }


if __name__ == "__main__":
    print(main())
