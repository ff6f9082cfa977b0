"""The cohort engine: exactness against a numerical integrator, seeds, workers, and the shape of the response."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from needling.cohort import run_series
from needling.cohort.trial import load_trial, run_trial
from needling.models.healing import wound as W
from needling.protocol import short_protocol


def _reference_solution(days, injuries, out_days, rates, kappa, k_e):
    """solve_ivp at tight tolerance between sessions, with the same jumps at the sessions."""
    x = np.zeros(6)
    outs = {}
    bounds = [*days[1:], out_days[-1]]
    for k, (d, u) in enumerate(zip(days, injuries, strict=True)):
        x[0] += u * (1.0 - x[1])
        x[1] += (1.0 - x[1]) * -np.expm1(-u / rates.u_r)
        t1 = bounds[k]
        want = [t for t in out_days if d <= t <= t1 and t not in outs]
        sol = solve_ivp(
            lambda t, y: W.rhs(y, rates, kappa, k_e),
            (d, t1),
            x,
            t_eval=want or None,
            rtol=1e-10,
            atol=1e-13,
            method="LSODA",
        )
        for i, t in enumerate(want):
            outs[t] = sol.y[:, i]
        x = sol.y[:, -1].copy()
    return np.array([outs[t] for t in out_days])


def test_wound_model_matches_solve_ivp_within_1_percent():
    """The exponential scheme equals a tight numerical integration of the same ODEs to within 1 % (states F, C3,
    C1, E; three sessions of different injuries, a year of follow-up)."""
    rates = W.wound_rates()
    days = np.array([0.0, 14.0, 42.0])
    inj = np.array([0.05, 0.3, 0.1])
    out = np.arange(7.0, 400.0, 7.0)
    kappa, k_e = 0.0134, 1.66
    ours = W.solve(
        W.Sessions(days, inj[None, :], np.ones(3), np.ones(3)), out, rates, np.array([kappa]), np.array([k_e])
    )
    ref = _reference_solution(days, inj, out, rates, kappa, k_e)
    for got, col in ((ours.fibroblasts, 2), (ours.collagen_iii, 3), (ours.collagen_i, 4), (ours.epidermis, 5)):
        scale = np.abs(ref[:, col]).max()
        assert np.max(np.abs(got[0] - ref[:, col])) <= 0.01 * scale, col


def test_improvement_continues_after_the_last_session():
    """Remodelling lag: collagen I keeps rising for weeks after the last of three monthly sessions."""
    p = short_protocol(3, 4, ["Roll 1.5 mm, 15 passes, 3 directions"])
    r = run_series("acne-scars", "cheek", p, grade=3, follow_up_weeks=26, n=200, seed=1)
    remod = r.run.remodelled.mean(axis=0)
    last = int(p.last_week)
    assert remod[last + 8] > remod[last] and remod[last + 4] > remod[last]


def test_more_sessions_more_collagen_and_lower_grade():
    one = run_series(
        "acne-scars",
        "cheek",
        short_protocol(1, 4, ["Roll 1.5 mm, 15 passes"]),
        grade=3,
        follow_up_weeks=8,
        n=500,
        seed=2,
    )
    five = run_series(
        "acne-scars",
        "cheek",
        short_protocol(5, 4, ["Roll 1.5 mm, 15 passes"]),
        grade=3,
        follow_up_weeks=8,
        n=500,
        seed=2,
    )
    assert five.final()["collagen_change_pct"] > one.final()["collagen_change_pct"]
    assert five.final()["grade_mean"] < one.final()["grade_mean"]


def test_same_seed_same_result_and_run_series_is_fast():
    import time

    p = short_protocol(6, 4, ["Roll 1.5 mm, 15 passes, 3 directions"])
    # the engine alone (one parameter set): integrating over posterior draws is timed in `make bench`
    a = run_series("acne-scars", "cheek", p, grade=3, n=200, seed=5, posterior=None)
    t0 = time.process_time()  # this process's processor time: other work on a busy machine does not count
    b = run_series("acne-scars", "cheek", p, grade=3, n=200, seed=5, posterior=None)
    elapsed = time.process_time() - t0
    assert a.to_json() == b.to_json()
    assert elapsed < 1.0  # generous bound; `make bench` reports the real figure


@pytest.mark.parametrize(
    "indication, key",
    [
        ("androgenetic-alopecia", "hair_count_change_mean"),
        ("striae", "improvement_pct_mean"),
        ("wrinkles", "improvement_pct_mean"),
    ],
)
def test_other_indications_have_their_measures(indication, key):
    p = short_protocol(4, 4, ["Roll 1.0 mm, 10 passes"])
    r = run_series(indication, "abdomen" if indication == "striae" else "cheek", p, n=100, seed=1)
    assert key in r.timeline()[-1] and key in r.final()


def test_trial_result_does_not_depend_on_the_number_of_workers(tmp_path):
    """Fixed chunks with seeds from (seed, arm, chunk): local, 1 and 2 Dask workers give the same numbers."""
    from pathlib import Path

    import needling.cohort.trial as T

    trial = load_trial(Path(T.__file__).parent / "trials" / "chawla-2014.toml")
    T_CHUNK = T.CHUNK
    try:
        T.CHUNK = 300  # several chunks per arm even for a small n
        local = run_trial(trial, n=1000, seed=3).to_json()
        one = run_trial(trial, n=1000, seed=3, workers=1).to_json()
        two = run_trial(trial, n=1000, seed=3, workers=2).to_json()
    finally:
        T.CHUNK = T_CHUNK
    assert local == one == two


def test_calibrated_set_names_default_parameters_with_priors_around_them():
    """Every calibrated name exists, and its default lies inside its prior's 95 % range."""
    from needling.parameters import default_parameters
    from needling.parameters.healing_priors import calibrated_names, priors

    pv = default_parameters()
    ps = priors(pv)
    assert set(ps) == set(calibrated_names()) and ps
    for name, prior in ps.items():
        assert prior.low <= pv.value(name) <= prior.high, name
        lo, hi = pv[name].bounds or (0.0, float("inf"))
        assert lo <= prior.low and prior.high <= hi, name


def test_simulate_arm_is_run_cohort_with_arrays_over_patients_and_weeks():
    """The calibration's forward model gives (n, W) arrays and reacts to a calibrated parameter."""
    from needling.anatomy import get_site
    from needling.cohort.engine import simulate_arm
    from needling.cohort.population import sample_patients
    from needling.parameters import ParameterValues

    p = short_protocol(3, 4, ["Roll 1.5 mm, 15 passes, 3 directions"])
    patients = sample_patients(300, np.random.default_rng(3), get_site("cheek"), grade=3)
    a = simulate_arm(p, "acne-scars", "cheek", patients, follow_up_weeks=8)
    assert a.severity.shape == (300, a.weeks.size) and a.pih.shape == (300,)
    pv = ParameterValues.default()
    pv.update({"acne-grade-3-responsiveness": 3.0})
    b = simulate_arm(p, "acne-scars", "cheek", patients, parameters=pv, follow_up_weeks=8)
    assert b.severity[:, -1].mean() < a.severity[:, -1].mean()


def test_end_only_outputs_equal_the_weekly_ones():
    """Trials ask for baseline and end of follow-up only; the numbers are the weekly run's, bit for bit (every
    week is a grid point of the solver whatever outputs are asked for)."""
    from needling.anatomy import get_site
    from needling.cohort.engine import simulate_arm
    from needling.cohort.population import sample_patients

    p = short_protocol(4, 3, ["Pen dermapen4-16 1.0 mm, 3 passes", "PRP"])
    patients = sample_patients(500, np.random.default_rng(8), get_site("cheek"), grade={2: 1, 3: 1, 4: 1})
    weekly = simulate_arm(p, "acne-scars", "cheek", patients, follow_up_weeks=10)
    ends = simulate_arm(p, "acne-scars", "cheek", patients, follow_up_weeks=10, end_only=True)
    assert ends.weeks.tolist() == [0.0, weekly.weeks[-1]]
    for name in ("collagen_rel", "epidermis_rel", "severity", "grade", "score"):
        np.testing.assert_array_equal(getattr(ends, name)[:, -1], getattr(weekly, name)[:, -1])
        np.testing.assert_array_equal(getattr(ends, name)[:, 0], getattr(weekly, name)[:, 0])


def test_simulate_draws_equals_one_run_per_draw():
    """Several parameter sets in one vectorised call give, block by block, what a run per set gives (to single
    precision), so posterior draws can be integrated over in one solver call."""
    from needling.anatomy import get_site
    from needling.cohort.engine import simulate_arm, simulate_draws
    from needling.cohort.population import sample_patients
    from needling.parameters import ParameterValues

    p = short_protocol(3, 2, ["Roll 1.5 mm, 15 passes, 3 directions", "PRP", "Apply tranexamic acid 4 %"])
    patients = sample_patients(300, np.random.default_rng(4), get_site("cheek"), grade={2: 1, 3: 1, 4: 1})
    a = ParameterValues.default()
    b = ParameterValues.default()
    b.update(
        {
            "acne-grade-3-responsiveness": 2.5,
            "refractory-time-constant": 30.0,
            "collagen-synthesis-rate": 0.02,
            "prp-growth-factor-boost": 1.0,
            "tranexamic-acid-melanogenesis-inhibition": 0.8,
            "pih-risk-fitzpatrick-4": 0.3,
        }
    )
    for indication in ("acne-scars", "melasma"):
        both = simulate_draws(p, indication, "cheek", patients, [a, b], follow_up_weeks=8)
        for d, pv in enumerate((a, b)):
            one = simulate_arm(p, indication, "cheek", patients, parameters=pv, follow_up_weeks=8)
            rows = slice(d * patients.n, (d + 1) * patients.n)
            for name in ("collagen_rel", "epidermis_rel", "severity", "improvement_pct", "pih"):
                np.testing.assert_allclose(getattr(both, name)[rows], getattr(one, name), rtol=1e-5, atol=1e-6)
            assert np.mean(both.grade[rows] == one.grade) > 0.99
    same = simulate_draws(p, "acne-scars", "cheek", patients, [a, a], follow_up_weeks=8)
    one = simulate_arm(p, "acne-scars", "cheek", patients, parameters=a, follow_up_weeks=8)
    np.testing.assert_array_equal(same.collagen_rel[: patients.n], one.collagen_rel)
    np.testing.assert_array_equal(same.collagen_rel[patients.n :], one.collagen_rel)
