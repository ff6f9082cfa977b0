"""Verification of the transport solver: analytic solutions, mass balance, convergence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from needling.anatomy import get_site
from needling.compounds import get_compound
from needling.evidence import SourceSet
from needling.models.transport import closure
from needling.models.transport.cell import CellModel, Layer, build_mesh, time_grid
from needling.simulation.delivery import _layers

L, D, K, C = 100e-6, 1e-11, 2.0, 1.0


def crank_q(t: float) -> float:
    """Crank (1975) eq. 4.24a: amount through a membrane into a sink from a constant source, per area."""
    n = np.arange(1, 400)
    series = np.sum((-1.0) ** n / n**2 * np.exp(-D * n**2 * math.pi**2 * t / L**2))
    return L * C * K * (D * t / L**2 - 1.0 / 6.0 - 2.0 / math.pi**2 * series)


def _membrane(nz: int):
    layers = [Layer("membrane", L, D, K)]
    return CellModel(build_mesh(layers, 1e-4, 0.0, 0.0, nr=1, nz_per_layer=(nz,)), layers, 0.0)


def test_crank_membrane_amount_and_lag_time_within_half_a_percent():
    """Against Crank's lag-time solution: cumulative amount at 2-6 lag times and the lag time L^2/6D, 0.5 %."""
    lag = L**2 / (6 * D)
    t = np.linspace(0.0, 6 * lag, 601)
    r = _membrane(100).run(t, lambda s: 0.0, C, None)
    for frac in (2, 4, 6):
        i = int(frac * 100)
        assert r.sink[i] == pytest.approx(crank_q(t[i]), rel=0.005)
    slope = (r.sink[-1] - r.sink[-2]) / (t[-1] - t[-2])
    assert slope == pytest.approx(D * K * C / L, rel=0.005)
    assert t[-1] - r.sink[-1] / slope == pytest.approx(lag, rel=0.005)


def test_mass_balance_to_one_part_per_million():
    """Everything that entered is stored, cleared or gone through the bottom (relative 1e-6), with a
    closing channel, clearance and a finite dose."""
    layers, d_ch = _layers(get_compound("caffeine"), get_site("cheek"), "female", 6.0, SourceSet())
    mesh = build_mesh(layers, 3e-4, 50e-6, 300e-6)
    t = time_grid(6.0, 1.0, 60)
    r = CellModel(mesh, layers, d_ch).run(t, lambda s: float(closure.open_fraction(s / 3600, 1.5)), 20.0, 20e-6)
    assert r.mass_balance_error < 1e-6
    # and the vehicle lost exactly what the skin took up
    assert r.vehicle[0] - r.vehicle[-1] == pytest.approx(r.cumulative[-1], rel=1e-6)


def test_mesh_and_time_step_convergence():
    """Cumulative uptake converges as the mesh and time steps are refined together: successive
    differences shrink, and the default resolution is within 5 % of the finest."""
    layers, d_ch = _layers(get_compound("caffeine"), get_site("cheek"), "female", 6.0, SourceSet())
    values = []
    for refine in (1, 2, 3):
        mesh = build_mesh(layers, 3.7e-4, 63e-6, 330e-6, nr=12, nz_per_layer=(2, 4, 12), refine=refine)
        t = time_grid(4.0, 1.0, 30 * refine)
        r = CellModel(mesh, layers, d_ch).run(t, lambda s: float(closure.open_fraction(s / 3600, 5.0)), 20.0, None)
        values.append(r.cumulative[-1])
    d1, d2 = abs(values[1] - values[0]), abs(values[2] - values[1])
    assert d2 < d1
    assert abs(values[0] / values[2] - 1) < 0.05


def test_no_channel_reduces_to_the_one_dimensional_column():
    """A cell with no channel gives the same uptake whatever its radial resolution."""
    layers, d_ch = _layers(get_compound("lidocaine"), get_site("forehead"), "male", 9.0, SourceSet())
    t = time_grid(2.0, 1.0, 40)
    a = CellModel(build_mesh(layers, 3e-4, 0, 0, nr=1), layers, d_ch).run(t, lambda s: 0.0, 25.0, None)
    b = CellModel(build_mesh(layers, 3e-4, 0, 0, nr=8), layers, d_ch).run(t, lambda s: 0.0, 25.0, None)
    assert a.cumulative[-1] == pytest.approx(b.cumulative[-1], rel=1e-9)
