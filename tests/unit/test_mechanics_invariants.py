"""Invariants of depth, bleeding and pain over the whole input space (issue 13, item 7)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from needling.anatomy import site_names
from needling.devices import device_names, get_device
from needling.simulation import Technique, quick_session

devices = st.sampled_from(device_names())
sites = st.sampled_from(site_names())
pressures = st.sampled_from(["light", "moderate", "firm"])
lengths = st.floats(min_value=0.1, max_value=2.5)


class _Cream:
    sources = ("Gill2008",)

    def __init__(self, m: float) -> None:
        self.pain_multiplier = m


@settings(max_examples=60, deadline=None)
@given(
    device=devices,
    site=sites,
    length=lengths,
    pressure=pressures,
    passes=st.integers(1, 100),
    area=st.floats(0.5, 10000.0),
    cream=st.floats(0.01, 1.0),
)
def test_vas_stays_in_0_10_and_anaesthesia_never_raises_it(device, site, length, pressure, passes, area, cream):
    t = Technique(passes=passes, pressure=pressure, needle_length_mm=length, area_cm2=area)
    plain = quick_session(device, site, t)
    numbed = quick_session(device, site, t, anaesthesia=_Cream(cream))
    assert 0.0 <= numbed.pain_vas <= plain.pain_vas <= 10.0
    assert 0.0 <= plain.depth_mean_um <= length * 1000.0
    assert 0.0 <= plain.bleeding_share <= 1.0


@settings(max_examples=60, deadline=None)
@given(device=devices, site=sites, a=lengths, b=lengths, pressure=pressures, passes=st.integers(1, 30))
def test_bleeding_endpoint_never_milder_with_deeper_channels(device, site, a, b, pressure, passes):
    short, long_ = sorted((a, b))
    qs = quick_session(device, site, Technique(passes=passes, pressure=pressure, needle_length_mm=short))
    ql = quick_session(device, site, Technique(passes=passes, pressure=pressure, needle_length_mm=long_))
    assert ql.depth_mean_um >= qs.depth_mean_um - 1e-9
    if qs.endpoint == "pinpoint bleeding":
        assert ql.endpoint == "pinpoint bleeding", (short, long_, qs.bleeding_share, ql.bleeding_share)


@settings(max_examples=30, deadline=None)
@given(device=devices, site=sites, p=st.integers(1, 50), q=st.integers(1, 50))
def test_more_passes_add_bleeding_points_not_a_new_endpoint(device, site, p, q):
    a = quick_session(device, site, Technique(passes=min(p, q)))
    b = quick_session(device, site, Technique(passes=max(p, q)))
    assert a.endpoint == b.endpoint
    assert b.bleeding_strikes_per_cm2 >= a.bleeding_strikes_per_cm2 - 1e-9
    assert b.pain_vas >= a.pain_vas - 1e-9


def test_no_catalogue_device_predicts_more_than_published_procedural_pain():
    """Published procedural VAS: 5.37 +/- 0.99 for a 2.5 mm pen over 20 passes (Healio 2016), 5.23 +/- 1.39 for
    micro-needling of the abdomen (Naspolini 2019). Each catalogue device, at its own needle length and a typical
    session (rollers 15 passes, pens 4), without cream, on the face: at most the larger mean plus 2 SD (7.35)."""
    for name in device_names():
        kind = get_device(name).kind
        t = Technique(passes=15 if kind == "roller" else 4, directions=3)
        for site in ("cheek", "forehead", "periorbital", "scalp"):
            vas = quick_session(name, site, t).pain_vas
            assert vas <= 5.37 + 2 * 0.99, (name, site, vas)
