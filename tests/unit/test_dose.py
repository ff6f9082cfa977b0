"""Doses as people apply them (issue 13, item 5) and the uptake invariants (item 7)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needling.compounds import compound_names, get_compound
from needling.devices import device_names
from needling.simulation import Technique
from needling.simulation.delivery import deliver
from tests.conftest import assert_one_line_error

diffusing = [c for c in compound_names() if get_compound(c).mechanism == "diffusion"]


def test_dose_is_product_and_the_default_is_a_finite_serum_dose():
    """A 20 % vitamin C serum at 2 mg/cm2 of product holds 400 ug/cm2 of ascorbic acid (not 2 mg of active)."""
    r = deliver("l-ascorbic-acid", "dermaroller-192-1.5", "cheek", Technique(passes=15), model="reduced")
    assert r.dose == "2 mg/cm2" and r.applied_ug_per_cm2 == pytest.approx(400.0)
    assert 0 < r.cumulative_ug_per_cm2 <= r.applied_ug_per_cm2
    own = deliver(
        "l-ascorbic-acid",
        "dermaroller-192-1.5",
        "cheek",
        Technique(passes=15),
        model="reduced",
        dose_mg_cm2=5.0,
        concentration_percent=10.0,
    )
    assert own.applied_ug_per_cm2 == pytest.approx(500.0) and own.concentration_percent == pytest.approx(10.0)


def test_infinite_dose_stays_for_studies():
    r = deliver("caffeine", "dermaroller-192-0.5", "cheek", dose="infinite", model="reduced", hours=2.0)
    assert r.dose == "infinite" and r.applied_ug_per_cm2 is None and r.fraction_absorbed is None
    assert r.to_json()["applied_ug_per_cm2"] is None


def test_no_enhancement_is_stated_against_almost_nothing():
    r = deliver("hyaluronic-acid-hmw", "dermaroller-192-1.5", "cheek", Technique(passes=15), model="reduced")
    doc = r.to_json()
    assert doc["enhancement_ratio"] is None and "too little" in doc["enhancement_note"]
    ok = deliver("l-ascorbic-acid", "dermaroller-192-1.5", "cheek", model="reduced").to_json()
    assert ok["enhancement_ratio"] >= 1 and ok["enhancement_note"] is None


def test_anaesthetic_cream_goes_on_as_the_label_s_thick_layer():
    r = deliver("lidocaine-prilocaine", "dermaroller-192-0.5", "cheek", occluded=True, hours=1.0, model="reduced")
    # 100 mg/cm2 of cream holding 2.5 % of each base: 2,500 ug/cm2 of each
    assert r.applied_ug_per_cm2 == pytest.approx(5000.0)


@settings(max_examples=25, deadline=None)
@given(
    compound=st.sampled_from(diffusing),
    device=st.sampled_from(device_names()),
    dose=st.floats(0.1, 200.0),
    hours=st.floats(0.1, 48.0),
    occluded=st.booleans(),
    passes=st.integers(1, 20),
)
def test_uptake_never_exceeds_what_was_applied_and_never_falls(compound, device, dose, hours, occluded, passes):
    r = deliver(
        compound,
        device,
        "cheek",
        Technique(passes=passes),
        dose_mg_cm2=dose,
        hours=hours,
        occluded=occluded,
        model="reduced",
    )
    assert r.cumulative_ug_per_cm2 <= r.applied_ug_per_cm2 * (1 + 1e-9) + 1e-12
    assert r.intact_cumulative_ug_per_cm2 <= r.applied_ug_per_cm2 * (1 + 1e-9) + 1e-12
    # Net uptake may dip when solute diffuses back into an open film that is leaving the skin (what returns
    # leaves with it); under occlusion the film stays and uptake never falls. Either way by under 1 % of the dose.
    steps = np.diff(r.cumulative_curve_ug_per_cm2)
    if occluded:
        assert np.all(steps >= -1e-9 * max(1.0, r.applied_ug_per_cm2))
    assert r.cumulative_curve_ug_per_cm2[-1] >= np.max(r.cumulative_curve_ug_per_cm2) - 0.01 * r.applied_ug_per_cm2
    assert 0.0 <= r.fraction_absorbed <= 1.0 + 1e-9
    assert r.channel_half_life_h > 0 and np.isfinite(r.channel_half_life_h)


def test_cli_dose_options(cli):
    base = ["deliver", "--compound", "l-ascorbic-acid", "--device", "dermaroller-192-0.5", "--site", "cheek"]
    r = cli(*base, "--model", "reduced", "--hours", "2", "--json")
    assert r.code == 0, r.stderr
    doc = r.json()
    assert doc["applied_ug_per_cm2"] == pytest.approx(400.0) and 0 < doc["fraction_absorbed"] <= 1
    assert_one_line_error(cli(*base, "--dose", "infinite", "--dose-mg-cm2", "2"), "dose")
    assert_one_line_error(cli(*base, "--dose", "lots"), "dose")
    assert_one_line_error(cli(*base, "--concentration", "0"), "concentration")
    assert_one_line_error(cli(*base, "--concentration", "150"), "concentration")


def test_a_saturated_film_keeps_only_what_redissolves():
    """Minoxidil 5 % is above its water solubility (2.2 g/L): with no precipitate redissolving (the default,
    calibrated on Franz 1985) uptake is capped by the dissolved part; letting all of it redissolve (a reservoir
    held at saturation) raises uptake but never past what was applied, and mass is conserved either way."""
    from needling.parameters import ParameterValues

    t = Technique(passes=3)
    base = deliver("minoxidil", "dermaroller-192-0.5", "scalp", t, hours=24, model="reduced")
    pv = ParameterValues.default()
    pv.update({"precipitate-redissolved-fraction": 1.0})
    res = deliver("minoxidil", "dermaroller-192-0.5", "scalp", t, hours=24, model="reduced", parameters=pv)
    assert base.fraction_absorbed < 2.2 / 50 + 1e-9  # at most the dissolved share
    assert res.cumulative_ug_per_cm2 > 2 * base.cumulative_ug_per_cm2
    assert res.cumulative_ug_per_cm2 <= res.applied_ug_per_cm2 * (1 + 1e-9)
    assert res.mass_balance_error < 1e-9 and base.mass_balance_error < 1e-9


def test_large_molecules_are_partly_kept_out_of_channels():
    """Size exclusion (Renkin 1954, calibrated on fillers in at most 6.6 % of channels): high-MW hyaluronic
    acid enters channels far less than low-MW, and a small molecule is hardly excluded (under 1 %)."""
    from needling.models.transport import permeability
    from needling.parameters import default_parameters

    pv = default_parameters()
    cut = pv["channel-matrix-cutoff-diffusivity"].si

    def share(mw: float) -> float:
        d = 3.0 * permeability.dermis_diffusivity(mw)
        return permeability.steric_partition(d, cut)

    assert share(1.5e6) == pytest.approx(0.066, abs=0.005)
    assert 0.8 < share(5e4) < 0.9
    assert share(176.12) > 0.99
    t = Technique(passes=5)
    hmw = deliver("hyaluronic-acid-hmw", "dermaroller-192-1.5", "cheek", t, hours=4, occluded=True, model="reduced")
    lmw = deliver("hyaluronic-acid-lmw", "dermaroller-192-1.5", "cheek", t, hours=4, occluded=True, model="reduced")
    assert hmw.fraction_absorbed < 0.1 * lmw.fraction_absorbed


def test_a_thin_film_feeds_sparse_channels_slower_than_a_well_mixed_one():
    """A 20 um film reaches channels 2.7 mm apart (one roller pass) by diffusing sideways: uptake is lower than
    with a film that mixes 100 times faster, by more than with 15 passes (channels 0.8 mm apart); mass balance
    holds either way."""
    from needling.parameters import ParameterValues

    fast = ParameterValues.default()
    fast.update({"film-diffusivity-factor": 100.0})

    def pair(passes: int) -> tuple[float, float]:
        t = Technique(passes=passes, directions=3 if passes > 2 else 1)
        thin = deliver("l-ascorbic-acid", "dermaroller-192-1.5", "cheek", t, hours=24, model="reduced")
        mixed = deliver(
            "l-ascorbic-acid", "dermaroller-192-1.5", "cheek", t, hours=24, model="reduced", parameters=fast
        )
        assert thin.mass_balance_error < 1e-9 and mixed.mass_balance_error < 1e-9
        return thin.fraction_absorbed, mixed.fraction_absorbed

    thin1, mixed1 = pair(1)
    thin15, mixed15 = pair(15)
    assert thin1 < mixed1 and thin15 <= mixed15
    assert mixed1 - thin1 > mixed15 - thin15
