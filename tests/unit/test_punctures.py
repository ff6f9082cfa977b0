"""Distinct channels from punctures (issue 13, item 4): stamps that land on a channel re-open it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needling.models.mechanics import channels
from needling.models.transport.cell import CellModel, Layer, build_mesh, time_grid
from needling.parameters import mechanics as P
from needling.simulation import Technique, quick_session, simulate_session
from needling.simulation.delivery import deliver

D = 0.25e-3  # merge distance, m


def test_a_puncture_within_a_needle_width_of_a_channel_reopens_it():
    x = np.array([0.0, 0.5 * D, 3 * D])
    y = np.zeros(3)
    assert channels.first_entries(x, y, D).tolist() == [True, False, True]


def test_order_decides_along_a_track_of_close_stamps():
    # Stamps 0.6 D apart along a line: 0 opens, 1 re-opens 0, 2 (1.2 D from 0) opens, 3 re-opens 2, ...
    x = np.arange(7) * 0.6 * D
    opened = channels.first_entries(x, np.zeros_like(x), D)
    assert opened.tolist() == [True, False, True, False, True, False, True]


def test_stamping_the_same_pattern_again_adds_no_channel():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(-0.005, 0.005, (2, 200))
    one = channels.merge_punctures(channels.ChannelMap(x, y, np.zeros(200, np.int32), 0.01, 1), D)
    again = channels.ChannelMap(
        np.concatenate([x, x]), np.concatenate([y, y]), np.repeat(np.arange(2, dtype=np.int32), 200), 0.01, 2
    )
    merged = channels.merge_punctures(again, D)
    assert merged.count == one.count and merged.punctures == 400


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 3000), seed=st.integers(0, 2**16))
def test_distinct_channels_are_at_least_a_merge_distance_apart(n, seed):
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(-0.005, 0.005, (2, n))
    m = channels.merge_punctures(channels.ChannelMap(x, y, np.zeros(n, np.int32), 0.01, 1), D)
    from scipy.spatial import cKDTree

    assert not cKDTree(np.column_stack([m.x, m.y])).query_pairs(D * (1 - 1e-9))
    # every puncture lies within a merge distance of a channel (the set is maximal)
    dist, _ = cKDTree(np.column_stack([m.x, m.y])).query(np.column_stack([x, y]))
    assert np.all(dist < D + 1e-12)


@pytest.mark.parametrize("density_per_cm2", [100.0, 1000.0, 5000.0])
def test_closed_form_distinct_density_matches_random_punctures(density_per_cm2):
    """quick_session's closed form (random sequential adsorption) against merging random points: within 5 %."""
    rng = np.random.default_rng(1)
    side = 0.03
    n = int(density_per_cm2 * side**2 * 1e4)
    x, y = rng.uniform(-side / 2, side / 2, (2, n))
    m = channels.merge_punctures(channels.ChannelMap(x, y, np.zeros(n, np.int32), side, 1), D)
    closed = channels.distinct_density(density_per_cm2 * 1e4, D, P.RSA_JAMMING_COVERAGE.value)
    assert m.count / side**2 == pytest.approx(closed, rel=0.05)
    assert closed <= P.RSA_JAMMING_COVERAGE.value / (math.pi * D**2 / 4)


def test_pen_passes_saturate_instead_of_multiplying():
    """Four passes of an 11-needle pen no longer give 9,901 channels/cm2 and 71 % of the surface opened."""
    four = simulate_session("dermapen-11", "cheek", Technique(passes=4, area_cm2=4.0), seed=0)
    one = simulate_session("dermapen-11", "cheek", Technique(passes=1, area_cm2=4.0), seed=0)
    assert four.punctures_per_cm2 == pytest.approx(4 * one.punctures_per_cm2, rel=0.05)
    assert four.channels_per_cm2 < 1.6 * one.channels_per_cm2
    assert four.channels_per_cm2 < 0.15 * four.punctures_per_cm2
    # openings of distinct channels do not overlap: the opened fraction is count x opening area
    opening = four.channel_diameter_um * 1e-4
    assert four.coverage_fraction == pytest.approx(four.channels_per_cm2 * math.pi * opening**2 / 4, rel=1e-9)
    assert four.coverage_fraction < 0.2
    assert four.coverage_fraction <= four.injured_fraction <= 1.0
    q = quick_session("dermapen-11", "cheek", Technique(passes=4))
    assert q.channels_per_cm2 == pytest.approx(four.channels_per_cm2, rel=0.08)


def test_a_cell_narrower_than_its_channel_is_a_fully_opened_layer():
    layers = [Layer("sc", 15e-6, 1e-13, 1.0), Layer("ve", 50e-6, 1e-10, 1.0), Layer("de", 1e-3, 2e-10, 1.0, 1e-4)]
    mesh = build_mesh(layers, cell_radius=40e-6, channel_radius=60e-6, channel_depth=200e-6)
    z_mid = 0.5 * (mesh.z_edges[1:] + mesh.z_edges[:-1])
    assert mesh.channel[z_mid < 200e-6].all() and not mesh.channel[z_mid > 200e-6].any()
    assert np.all(np.diff(mesh.r_edges) > 0)
    res = CellModel(mesh, layers, 6e-10).run(time_grid(2.0), lambda s: 1.0, 100.0, 20e-6)
    assert res.mass_balance_error < 1e-9
    assert 0 < res.cumulative[-1] <= 100.0 * 20e-6 * (1 + 1e-9)


@settings(max_examples=12, deadline=None)
@given(
    passes=st.integers(1, 20),
    speed=st.floats(0.5, 200.0),
    spacing=st.floats(0.05, 5.0),
    device=st.sampled_from(["dermapen-11", "pen-cartridge-36", "pro-pen-14"]),
)
def test_delivery_handles_any_pen_density(passes, speed, spacing, device):
    t = Technique(passes=passes, speed_mm_s=speed, line_spacing_mm=spacing)
    r = deliver("l-ascorbic-acid", device, "cheek", t, model="reduced", hours=2.0)
    assert np.isfinite(r.cumulative_ug_per_cm2) and r.cumulative_ug_per_cm2 >= 0


def test_cli_deliver_with_a_pen_at_four_passes(cli):
    r = cli(
        "deliver",
        "--compound",
        "l-ascorbic-acid",
        "--device",
        "dermapen-11",
        "--site",
        "cheek",
        "--passes",
        "4",
        "--hours",
        "2",
        "--json",
    )
    assert r.code == 0, r.stderr
    assert r.json()["channels_per_cm2"] < 1200
