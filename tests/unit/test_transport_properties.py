"""Properties of delivery (hypothesis): enhancement >= 1, monotone in time and dose, closure, determinism."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from needling.anatomy import get_site
from needling.compounds import get_compound
from needling.evidence import SourceSet
from needling.models.transport import closure
from needling.models.transport.reduced import reduced_cell
from needling.simulation import Technique, anaesthesia_effect, deliver
from needling.simulation.delivery import _layers

diffusing = [
    "caffeine",
    "l-ascorbic-acid",
    "minoxidil",
    "lidocaine",
    "tranexamic-acid",
    "hyaluronic-acid-lmw",
    "hyaluronic-acid-hmw",
    "lidocaine-prilocaine",
]
devices = ["dermaroller-192-0.5", "dermaroller-192-1.5", "dermapen-11", "home-roller-540-0.25"]


@settings(max_examples=20, deadline=None)
@given(
    compound=st.sampled_from(diffusing),
    device=st.sampled_from(devices),
    occluded=st.booleans(),
    hours=st.floats(0.1, 48.0),
    site=st.sampled_from(["cheek", "scalp", "abdomen"]),
)
def test_enhancement_at_least_one_and_uptake_never_falls_with_time(compound, device, occluded, hours, site):
    r = deliver(
        compound, device, site, Technique(passes=3), hours=hours, occluded=occluded, model="reduced", dose="infinite"
    )
    assert (r.enhancement_ratio is None and r.enhancement_note) or r.enhancement_ratio >= 1.0
    assert np.all(np.diff(r.cumulative_curve_ug_per_cm2) >= -1e-12 * max(1.0, r.cumulative_ug_per_cm2))
    assert np.all(np.diff(r.intact_cumulative_curve_ug_per_cm2) >= 0)


@settings(max_examples=15, deadline=None)
@given(compound=st.sampled_from(diffusing), a=st.floats(0.1, 20.0), b=st.floats(0.1, 20.0))
def test_uptake_never_falls_with_dose(compound, a, b):
    lo, hi = sorted((a, b))
    t = Technique(passes=5)
    r_lo = deliver(compound, "dermaroller-192-1.0", "cheek", t, dose_mg_cm2=lo, hours=6, model="reduced")
    r_hi = deliver(compound, "dermaroller-192-1.0", "cheek", t, dose_mg_cm2=hi, hours=6, model="reduced")
    r_inf = deliver(compound, "dermaroller-192-1.0", "cheek", t, hours=6, model="reduced", dose="infinite")
    assert r_hi.cumulative_ug_per_cm2 >= r_lo.cumulative_ug_per_cm2 * (1 - 1e-9)
    assert r_inf.cumulative_ug_per_cm2 >= r_hi.cumulative_ug_per_cm2 * (1 - 1e-9)


@settings(max_examples=15, deadline=None)
@given(compound=st.sampled_from(diffusing), h1=st.floats(0.2, 50.0), h2=st.floats(0.2, 50.0))
def test_faster_closure_never_raises_uptake(compound, h1, h2):
    fast, slow = sorted((h1, h2))
    layers, d_ch = _layers(
        get_compound(compound if compound != "lidocaine-prilocaine" else "lidocaine"),
        get_site("cheek"),
        "female",
        6.0,
        SourceSet(),
    )
    t = np.array([0.0, 3600.0 * 8])
    conc = 20.0
    runs = [
        reduced_cell(
            layers, 3.7e-4, 63e-6, 330e-6, d_ch, t, lambda s, h=h: float(closure.open_fraction(s / 3600, h)), conc, None
        )
        for h in (fast, slow)
    ]
    assert runs[0].cumulative[-1] <= runs[1].cumulative[-1] * (1 + 1e-9)


def test_same_inputs_same_result():
    t = Technique(passes=15, directions=3)
    a = deliver("minoxidil", "dermaroller-192-1.5", "scalp", t, hours=12, seed=1)
    b = deliver("minoxidil", "dermaroller-192-1.5", "scalp", t, hours=12, seed=1)
    assert a.to_json() == b.to_json()


def test_anaesthesia_lowers_pain_and_pre_needling_lowers_it_more():
    plain = anaesthesia_effect("lidocaine-prilocaine", 45, "cheek")
    pre = anaesthesia_effect("lidocaine-prilocaine", 45, "cheek", pre_needle_mm=0.5)
    assert 0 < pre.pain_multiplier < plain.pain_multiplier < 1.0
    longer = anaesthesia_effect("lidocaine-prilocaine", 90, "cheek")
    assert longer.pain_multiplier <= plain.pain_multiplier
