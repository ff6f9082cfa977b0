"""Properties of the mechanics (hypothesis): depth bounds, linearity in passes, monotone reach, seeds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from needling.anatomy import site_names
from needling.devices import device_names, get_device
from needling.simulation import Technique, quick_session, simulate_session

roller_names = [n for n in device_names() if get_device(n).kind == "roller"]
sites = st.sampled_from(site_names())
lengths = st.floats(min_value=0.1, max_value=2.5)
pressures = st.sampled_from(["light", "moderate", "firm"])


@settings(max_examples=25, deadline=None)
@given(
    device=st.sampled_from(device_names()), site=sites, length=lengths, pressure=pressures, seed=st.integers(0, 2**16)
)
def test_depth_never_exceeds_needle_length(device, site, length, pressure, seed):
    t = Technique(passes=2, pressure=pressure, area_cm2=2.0, needle_length_mm=length)
    r = simulate_session(device, site, t, seed=seed)
    assert r.depths_um.max(initial=0.0) <= length * 1000.0 + 1e-9
    assert r.depth_p95_um <= length * 1000.0 + 1e-9
    q = quick_session(device, site, t)
    assert 0.0 <= q.depth_mean_um <= length * 1000.0


@settings(max_examples=15, deadline=None)
@given(device=st.sampled_from(roller_names), passes=st.integers(1, 20), seed=st.integers(0, 1000))
def test_channel_density_grows_linearly_with_passes(device, passes, seed):
    # Pressed needles under about 0.35 mm rarely puncture (see test_pressed_short_needles_do_not_puncture...).
    assume(quick_session(device, "cheek").punctured_fraction > 0.5)
    one = simulate_session(device, "cheek", Technique(passes=1, area_cm2=100.0), seed=seed)
    many = simulate_session(device, "cheek", Technique(passes=passes, area_cm2=100.0), seed=seed)
    # Each pass adds the same expected number of punctures: within 10 % (edge effects, and the random placement
    # of the five or six strokes that cover a 10 cm square in one pass).
    assert abs(many.punctures_per_cm2 / (passes * one.channels_per_cm2_per_pass) - 1.0) < 0.10
    assert quick_session(device, "cheek", Technique(passes=passes)).punctures_per_cm2 == pytest.approx(
        passes * quick_session(device, "cheek", Technique(passes=1)).punctures_per_cm2, rel=1e-12
    )
    # Distinct channels: never more than the punctures, and never fewer with more passes.
    assert many.channels_per_cm2 <= many.punctures_per_cm2
    assert many.channels_per_cm2 >= one.channels_per_cm2 - 1e-9


@settings(max_examples=30, deadline=None)
@given(
    device=st.sampled_from(device_names()),
    site=sites,
    a=lengths,
    b=lengths,
    pressure=pressures,
    sex=st.sampled_from(["female", "male"]),
)
def test_reach_never_falls_when_the_needle_gets_longer(device, site, a, b, pressure, sex):
    short, long_ = sorted((a, b))
    qs = quick_session(device, site, Technique(pressure=pressure, needle_length_mm=short), sex=sex)
    ql = quick_session(device, site, Technique(pressure=pressure, needle_length_mm=long_), sex=sex)
    for layer, frac in qs.layer_reach.items():
        assert ql.layer_reach[layer] >= frac - 1e-12, layer
    assert ql.depth_mean_um >= qs.depth_mean_um


@settings(max_examples=10, deadline=None)
@given(device=st.sampled_from(device_names()), site=sites, seed=st.integers(0, 2**31))
def test_same_seed_same_result(device, site, seed):
    t = Technique(passes=3, directions=2, area_cm2=3.0)
    a = simulate_session(device, site, t, seed=seed)
    b = simulate_session(device, site, t, seed=seed)
    assert a.to_json() == b.to_json()
    assert np.array_equal(a.channel_map.x, b.channel_map.x)


def test_quick_session_agrees_with_the_full_map():
    """quick_session is the planner's shortcut: its means must match the full simulation's."""
    # The home drum set to 0.4 mm: three in four of its entries puncture, the map keeps them at random.
    for device, length in (
        ("dermaroller-192-0.5", None),
        ("dermaroller-192-1.5", None),
        ("dermapen-11", None),
        ("home-roller-540-0.25", 0.4),
    ):
        t = Technique(passes=6, directions=3, area_cm2=16.0, needle_length_mm=length)
        q = quick_session(device, "forehead", t)
        r = simulate_session(device, "forehead", t, seed=7)
        assert abs(r.channels_per_cm2 / q.channels_per_cm2 - 1) < 0.05, device
        assert abs(r.depth_mean_um - q.depth_mean_um) <= 0.03 * q.depth_mean_um + 5, device
        for layer in q.layer_reach:
            assert abs(r.layer_reach[layer] - q.layer_reach[layer]) < 0.05, (device, layer)
        assert abs(r.pain_vas - q.pain_vas) < 0.2
        assert r.endpoint == q.endpoint


def test_pen_density_follows_n_f_over_v_h():
    d = get_device("dermapen-11")
    q = quick_session(d, "cheek", Technique(speed_mm_s=25.0, line_spacing_mm=2.5))
    assert abs(q.channels_per_cm2_per_pass - 11 * 90.0 / (25.0 * 2.5) * 100) < 1e-6
    r = simulate_session(d, "cheek", Technique(speed_mm_s=25.0, line_spacing_mm=2.5, area_cm2=9.0), seed=2)
    assert abs(r.punctures_per_cm2 / q.punctures_per_cm2 - 1) < 0.05
    # Distinct channels: the closed form assumes random placement; a pen's lattice of stamps packs them
    # differently by up to about 15 % (stamps a little more than a needle apart leave regular gaps).
    assert abs(r.channels_per_cm2 / q.channels_per_cm2 - 1) < 0.2


def test_anaesthesia_multiplier_lowers_pain():
    class Cream:
        pain_multiplier = 0.4
        sources = ("Gill2008",)

    plain = quick_session("dermaroller-192-1.5", "cheek", Technique(passes=15))
    numbed = quick_session("dermaroller-192-1.5", "cheek", Technique(passes=15), anaesthesia=Cream())
    assert numbed.pain_vas < plain.pain_vas
    # The VAS saturates below 10, so the multiplier acts on relative pain: 10 (1 - exp(-k P m)).
    k_p = -math.log1p(-plain.pain_vas / 10.0)
    assert numbed.pain_vas == pytest.approx(10.0 * -math.expm1(-0.4 * k_p), rel=1e-9)


def test_blunt_tips_penetrate_less_and_a_worn_needle_dimples_more():
    sharp = get_device("dermaroller-192-1.5")
    blunt = sharp.model_copy(update={"tip_radius_um": 8.0})
    assert quick_session(blunt, "cheek", Technique()).depth_mean_um < quick_session(sharp, "cheek").depth_mean_um


def test_a_worn_device_penetrates_less_and_hurts_more():
    """Device wear (named assumptions): blunter tips dimple more, reach less deep, and hurt more."""
    new = get_device("home-roller-540-0.25")
    worn = new.model_copy(update={"wear_uses": 12})
    q_new, q_worn = quick_session(new, "cheek"), quick_session(worn, "cheek")
    assert q_worn.depth_mean_um < q_new.depth_mean_um
    assert q_worn.pain_relative_to_hypodermic < q_new.pain_relative_to_hypodermic or q_worn.pain_vas > 0
    roller = get_device("dermaroller-192-1.5")
    assert (
        quick_session(roller.model_copy(update={"wear_uses": 10}), "cheek").pain_vas
        > quick_session(roller, "cheek").pain_vas
    )
