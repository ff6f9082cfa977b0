"""The hierarchical calibration: data, emulator against the model, a short real emcee run, the command.

The short run here is only a check that the machinery works end to end (few steps: its R-hat is not
expected to pass); the full run is ``needling calibrate`` (default settings) and ``make bench``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needling.cohort.bayes import emulator as E
from needling.cohort.bayes.calibrate import Settings, calibrate, checks_json, leave_one_trial_out, summary
from needling.cohort.bayes.data import (
    FAMILIES,
    LOGIT_FAMILIES,
    RATIO_FAMILIES,
    SIZE_FAMILIES,
    collect,
    family_of,
    from_z,
    load_trials,
    sign_of,
    to_z,
)
from needling.cohort.bayes.space import Space
from tests.conftest import assert_one_line_error

SHORT = Settings(draws=200, chains=2, steps=200, walkers=40, points=48, seed=0)
#: A subset that keeps the short run short: histology, hair (two trials 47-fold apart), acne score and
#: adverse events, and a held-out trial.
SUBSET = ("lotfi-2013.toml", "dhurat-2013.toml", "kumar-2018.toml", "dogra-2014.toml", "majid-2009.toml")


def _paths(names):
    from needling.cohort.bayes.data import shipped_trial_paths

    return [p for p in shipped_trial_paths() if p.name in names]


@pytest.fixture(scope="module")
def short_calibration():
    return calibrate(load_trials(_paths(SUBSET)), settings=SHORT)


def test_data_roles_and_families():
    data = collect(load_trials())
    assert {d.family for d in data} <= set(FAMILIES)
    calibrated = {d.source for d in data if d.role == "calibration"}
    held_out = {d.source for d in data if d.role == "prediction"}
    assert not calibrated & held_out, "a trial is either calibrated on or held out"
    assert {"Dhurat2013", "Kumar2018", "Dogra2014", "GargBaveja2014", "Lotfi2013", "AlChalabi2020"} == calibrated
    assert {"Aust2008", "Chawla2014", "Majid2009", "Adistri2024", "Cachafeiro2016", "Budamakuntla2013"} == held_out
    assert family_of("grade_3_to_2") == "grade" and family_of("pih") == "adverse"


@settings(max_examples=60, deadline=None)
@given(
    family=st.sampled_from(FAMILIES),
    z=st.floats(min_value=-30, max_value=30, allow_nan=False),
    sign=st.sampled_from([-1.0, 1.0]),
)
def test_back_transform_is_bounded_and_keeps_the_sign(family, z, sign):
    v = float(from_z(family, np.array(z), sign))
    if family in LOGIT_FAMILIES:
        assert 0.0 <= v <= 1.0
    elif family == "improvement":
        assert 0.0 <= v <= 100.0
    elif family in RATIO_FAMILIES:
        assert -100.0 <= v <= 0.0, "a treated arm's mean score ends between none and its baseline"
    else:
        assert v * sign >= 0.0
    if abs(z) < 6:
        assert abs(float(to_z(family, v, sign, n=1e9)) - z) < 1e-5


@settings(max_examples=80, deadline=None)
@given(
    endpoint=st.sampled_from(["collagen_change_pct", "epidermis_change_pct"]),
    gain=st.floats(min_value=0.01, max_value=500.0, allow_nan=False),
    shift=st.floats(min_value=-20.0, max_value=20.0, allow_nan=False),
)
def test_a_trial_effect_on_a_tissue_gain_scales_it_and_never_makes_it_a_loss(endpoint, gain, shift):
    fam = family_of(endpoint)
    assert fam in SIZE_FAMILIES and fam not in RATIO_FAMILIES
    sign = sign_of(fam, gain)
    v = float(from_z(fam, to_z(fam, gain, sign) + shift, sign))
    assert v >= 0.0, "a new trial's effect turned a tissue gain into a loss"
    assert v == pytest.approx(gain * np.exp(shift), rel=1e-9)


@settings(max_examples=80, deadline=None)
@given(
    change=st.floats(min_value=-99.0, max_value=-0.5, allow_nan=False),
    shift=st.floats(min_value=-20.0, max_value=20.0, allow_nan=False),
)
def test_a_trial_effect_on_a_score_change_keeps_it_between_none_and_the_baseline(change, shift):
    """Measurement model 3: a score's change is taken on the logit scale of the ratio after/before, so no trial
    effect makes a treated arm end with more scarring than it started with (on the log scale of the ratio, Dogra
    2014 predicted from Al Chalabi 2020 alone reached +298 %), and a larger effect always means a larger fall."""
    fam = family_of("score_change_pct")
    assert fam in RATIO_FAMILIES
    v = float(from_z(fam, to_z(fam, change) + shift))
    assert -100.0 <= v <= 0.0
    assert (v - change) * shift >= -1e-9  # it moves the way the effect points
    assert float(to_z(fam, -44.6)) == pytest.approx(np.log(0.554 / 0.446), rel=1e-9)


def test_an_absolute_mean_score_is_a_size_of_its_own_family():
    fam = family_of("score_mean")
    assert fam == "score-level" and fam in SIZE_FAMILIES and fam != family_of("score_change_pct")
    assert float(from_z(fam, to_z(fam, 6.5, 1.0) + 0.5, 1.0)) == pytest.approx(6.5 * np.exp(0.5), rel=1e-9)


def test_a_tissue_loss_keeps_its_sign():
    assert sign_of("histology", -12.0) == -1.0 and sign_of("histology", 12.0) == 1.0
    assert sign_of("score", -12.0) == 1.0  # a score's change is a ratio after/before, no sign
    assert float(from_z("histology", to_z("histology", -12.0, -1.0) + 1.0, -1.0)) < 0.0


def test_histology_predictive_draws_never_go_below_no_change(short_calibration):
    idx = [i for i, d in enumerate(short_calibration.data) if d.family == "histology"]
    assert idx
    for i in idx:
        assert short_calibration.data[i].published > 0
        assert float(short_calibration.predictive(i).min()) >= 0.0


def test_emulator_matches_the_model_at_new_points(short_calibration):
    """Validation of the surrogate (predicted, never fitted): at points not in its design, within its own
    measured error over the prior box (3 rms, or 0.05 on the log scale where the model is nearly exact)."""
    cal = short_calibration
    rng = np.random.default_rng(7)
    for u in rng.uniform(-1.0, 1.0, (3, cal.space.dim)):
        means, _ = E.forward(cal.trials, cal.data, cal.space, u)
        model = E.transform(cal.data, means)
        emulated = cal.emulator(u[None, :])[0]
        for i, d in enumerate(cal.data):
            tol = max(3 * cal.emulator.box_error_sd[i], 0.05)
            assert abs(model[i] - emulated[i]) <= tol, (d.source, d.endpoint, model[i], emulated[i])


def test_emulator_is_refined_where_the_pilot_posterior_lies(short_calibration):
    """The design gains ``refine_points`` draws of a pilot fit, and the error measured on them holds at fresh
    points among them (midpoints of two added points; 3 rms, or 0.05): the error the likelihood uses is the
    error where the posterior lies, the box's is kept for predictions."""
    cal = short_calibration
    assert len(cal.emulator.design) == SHORT.points + SHORT.refine_points
    assert cal.emulator.box_error_sd.shape == cal.emulator.error_sd.shape
    added = cal.emulator.design[SHORT.points :]
    rng = np.random.default_rng(3)
    for a, b in rng.choice(len(added), (3, 2), replace=False):
        u = 0.5 * (added[a] + added[b])
        model = E.transform(cal.data, E.forward(cal.trials, cal.data, cal.space, u)[0])
        emulated = cal.emulator(u[None, :])[0]
        for i, d in enumerate(cal.data):
            tol = max(3 * cal.emulator.error_sd[i], 0.05)
            assert abs(model[i] - emulated[i]) <= tol, (d.source, d.endpoint, model[i], emulated[i])


def test_no_refinement_keeps_the_first_design():
    assert Settings(points=64, refine=0).refine_points == 0 and Settings(points=64).refine_points == 32
    assert Settings(points=64, steps=4000).pilot().steps == 500 and Settings(points=64).pilot().draws == 32


def test_short_run_gives_draws_diagnostics_and_document(short_calibration, tmp_path):
    cal = short_calibration
    doc = summary(cal)
    assert len(doc["draws"]["acne-grade-3-responsiveness"]) == SHORT.draws
    assert set(doc["diagnostics"]) == set(doc["draws"])
    assert all(d["rhat"] > 0.9 and d["ess"] > 0 for d in doc["diagnostics"].values())
    assert doc["model_fingerprint"] and doc["data_hash"]
    # the hair trials disagree 47-fold: the posterior puts their spread far above the prior's scale
    tau_hair = np.median(doc["draws"]["trial-effect-sd-hair"])
    tau_histology = np.median(doc["draws"]["trial-effect-sd-histology"])
    assert tau_hair > tau_histology
    for name, prior in zip(cal.space.names, cal.space.priors, strict=True):
        assert all(v > 0 for v in doc["draws"][name]), name
        assert prior.low / 20 < np.median(doc["draws"][name]) < prior.high * 20


def test_figures_of_a_fit_are_drawn(short_calibration, tmp_path):
    from needling.report.calibration_figures import draw_all

    paths = draw_all(short_calibration, tmp_path)
    assert [p.name for p in paths] == ["prior-posterior.png", "predictive.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths)


def test_predictive_interval_covers_a_calibration_value(short_calibration):
    cal = short_calibration
    i = next(k for k, d in enumerate(cal.data) if d.source == "Lotfi2013" and d.endpoint == "collagen_change_pct")
    lo, hi = np.quantile(cal.predictive(i), [0.05, 0.95])
    assert lo < 53.2 < hi


def test_leave_one_trial_out_rows(short_calibration):
    rows = checks_json(leave_one_trial_out(short_calibration, SHORT))
    assert len(rows) == len(short_calibration.data)
    for r in rows:
        lo, hi = r["pi90"]
        assert lo <= r["predicted_median"] <= hi
        assert r["interval_score"] >= hi - lo - 1e-3
        assert r["inside"] == (lo <= r["published"] <= hi)
    assert {r["predicted_by"] for r in rows if r["role"] == "prediction"} == {"held out of the fit"}
    assert {r["predicted_by"] for r in rows if r["role"] == "calibration"} == {"refit without this trial"}


def test_calibrate_command_short_run(cli, tmp_path):
    out = tmp_path / "post.json"
    trials = [x for p in _paths(("lotfi-2013.toml", "dogra-2014.toml")) for x in ("--trials", str(p))]
    r = cli(
        "calibrate",
        *trials,
        "--draws",
        "100",
        "--chains",
        "2",
        "--steps",
        "200",
        "--points",
        "32",
        "--out",
        str(out),
        "--json",
    )
    assert r.code == 0, r.stderr
    doc = json.loads(out.read_text())
    assert doc["format"] == 1 and len(doc["draws"]["tca-15-injury"]) == 100
    assert set(r.json()["diagnostics"]) == set(doc["draws"])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--draws", "5"], "draws"),
        (["--chains", "1"], "chains"),
        (["--steps", "10"], "steps"),
        (["--points", "4"], "points"),
        (["--points", "9", "--trials", "src/needling/cohort/trials/lotfi-2013.toml"], "too few"),
    ],
)
def test_calibrate_bad_input_is_one_line(cli, args, needle):
    assert_one_line_error(cli("calibrate", *args), needle)


def test_calibrate_refuses_bad_places_to_write(cli, tmp_path):
    folder = tmp_path / "a.json"
    folder.mkdir()
    assert_one_line_error(cli("calibrate", "--out", str(folder)), "folder")
    assert_one_line_error(cli("calibrate", "--out", str(tmp_path / "x.txt")), ".json")
    assert_one_line_error(cli("calibrate", "--out", str(tmp_path / "no" / "x.json")), "does not exist")
    assert_one_line_error(cli("calibrate", "--figures", str(tmp_path / "none")), "existing folder")


def test_space_round_trip():
    sp = Space.of()
    u = np.linspace(-2, 2, sp.dim)
    assert np.allclose(sp.to_u(sp.values(u)), u, atol=1e-9)
