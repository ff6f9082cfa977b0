"""The healing model's solver against a per-patient ``scipy.integrate.solve_ivp`` loop, a million patients, Dask.

Baseline: the same ODEs (:func:`needling.models.healing.wound.rhs`) integrated patient by patient with
``solve_ivp`` (LSODA, restarted at each session with the same jumps), on a sample of patients, timed and
scaled to the engine's cohort size; collagen at the end of follow-up must agree within 1 %. Then
1,000,000 patients through six monthly 1.5 mm sessions and 12 months of follow-up (time and peak
memory), and a small trial run on one and on two Dask workers, which must give the same numbers. Also
``needling series`` over the posterior in one solver call against one call per posterior draw.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import numpy as np
from scipy.integrate import solve_ivp

from needling.cohort.trial import load_trial, run_trial
from needling.models.healing import wound as W
from needling.parameters import default_parameters
from needling.protocol import short_protocol

PROTOCOL = short_protocol(6, 4, ["Roll 1.5 mm, 15 passes, 3 directions"])
FOLLOW_UP = 52.0
TRIALS = Path(__file__).resolve().parents[1] / "src" / "needling" / "cohort" / "trials"


def _solve_ivp_patient(days, injuries, end_day, rates, kappa, k_e) -> float:
    x = np.zeros(6)
    bounds = [*days[1:], end_day]
    for d, u, t1 in zip(days, injuries, bounds, strict=True):
        x[0] += u * (1.0 - x[1])
        x[1] += (1.0 - x[1]) * -np.expm1(-u / rates.u_r)
        x = (
            solve_ivp(lambda t, y: W.rhs(y, rates, kappa, k_e), (d, t1), x, rtol=1e-8, atol=1e-12, method="LSODA")
            .y[:, -1]
            .copy()
        )
    return float(x[3] + x[4])


def _prior_draws(k: int, seed: int) -> list:
    """``k`` parameter sets drawn from the priors of the healing-calibrated set (clipped to the bounds)."""
    from needling.parameters import ParameterValues
    from needling.parameters.healing_priors import priors

    rng = np.random.default_rng(seed)
    out = []
    for _ in range(k):
        pv = ParameterValues.default()
        new = {}
        for name, prior in priors(pv).items():
            x = rng.normal(prior.mu, prior.sigma)
            value = float(np.exp(x)) if prior.scale == "log" else float(x)
            lo, hi = pv[name].bounds or (-np.inf, np.inf)
            new[name] = min(max(value, lo), hi)
        pv.update(new, reason="prior draw")
        out.append(pv)
    return out


def _draws_figures() -> dict:
    """100 prior draws x 200 patients: one simulate_draws call against a loop of simulate_arm calls."""
    from needling.anatomy import get_site
    from needling.cohort.engine import simulate_arm, simulate_draws
    from needling.cohort.population import sample_patients

    draws = _prior_draws(100, 1)
    site = get_site("cheek")
    patients = sample_patients(200, np.random.default_rng(2), site, grade=3)
    for pv in draws:  # fill the per-set caches (reference session) for both ways alike
        simulate_arm(PROTOCOL, "acne-scars", site, patients, parameters=pv, follow_up_weeks=4, end_only=True)
    t0 = time.perf_counter()
    simulate_draws(PROTOCOL, "acne-scars", site, patients, draws, follow_up_weeks=12, end_only=True)
    t_one = time.perf_counter() - t0
    t1 = time.perf_counter()
    for pv in draws:
        simulate_arm(PROTOCOL, "acne-scars", site, patients, parameters=pv, follow_up_weeks=12, end_only=True)
    t_loop = time.perf_counter() - t1
    return {
        "draws_100x200_one_call_s": round(t_one, 3),
        "draws_loop_s": round(t_loop, 3),
        "draws_speedup": round(t_loop / t_one, 1),
    }


def _series_figures(repeats: int = 10) -> dict:
    """``needling series`` over the shipped posterior (200 patients in 10 draws): one solver call against one per
    draw, on the same patients; the ratio is the one call's time over the loop's (below 1 is faster)."""
    from needling.anatomy import get_site
    from needling.cohort.bayes.posterior import shipped
    from needling.cohort.bayes.predict import series_over_posterior, series_over_posterior_by_draw

    post, pv, site = shipped(), default_parameters(), get_site("cheek")

    def one() -> object:
        return series_over_posterior(PROTOCOL, site, 200, np.random.default_rng(0), 12, "acne-scars", post, pv, grade=3)

    def loop() -> object:
        rng = np.random.default_rng(0)
        return series_over_posterior_by_draw(PROTOCOL, site, 200, rng, 12, "acne-scars", post, pv, grade=3)

    a, b = one(), loop()  # fills the per-set caches for both ways alike
    t0 = time.perf_counter()
    for _ in range(repeats):
        one()
    t_one = (time.perf_counter() - t0) / repeats
    t1 = time.perf_counter()
    for _ in range(repeats):
        loop()
    t_loop = (time.perf_counter() - t1) / repeats
    return {
        "series_posterior_one_call_s": round(t_one, 4),
        "series_posterior_loop_s": round(t_loop, 4),
        "series_posterior_ratio_one_over_loop": round(t_one / t_loop, 3),
        "series_posterior_max_collagen_difference": float(f"{np.max(np.abs(a.collagen_rel - b.collagen_rel)):.1e}"),
    }


def main() -> dict:
    pv = default_parameters()
    rates = W.wound_rates(pv)
    rng = np.random.default_rng(0)
    n_engine, n_sample = 20_000, 40
    days = np.array([s.week * 7.0 for s in PROTOCOL.sessions])
    end_day = (PROTOCOL.last_week + FOLLOW_UP) * 7.0
    inj = rng.uniform(0.02, 0.5, (n_engine, days.size))
    kappa = pv.value("collagen-synthesis-rate") * rng.lognormal(0.0, 0.35, n_engine)
    k_e = np.full(n_engine, pv.value("epidermal-growth-rate"))
    sessions = W.Sessions(days, inj, np.ones(days.size), np.ones(days.size))
    t0 = time.perf_counter()
    st = W.solve(sessions, np.array([end_day]), rates, kappa, k_e)
    t_engine = time.perf_counter() - t0
    t1 = time.perf_counter()
    diffs = []
    for i in range(n_sample):
        ref = _solve_ivp_patient(days, inj[i], end_day, rates, kappa[i], k_e[i])
        diffs.append(abs((st.collagen_i[i, 0] + st.collagen_iii[i, 0]) / ref - 1.0))
    t_ivp = (time.perf_counter() - t1) / n_sample * n_engine
    trial = load_trial(TRIALS / "majid-2009.toml")
    trial.arms[0].protocol = PROTOCOL
    trial.follow_up_weeks = FOLLOW_UP
    t2, c2 = time.perf_counter(), time.process_time()
    run_trial(trial, n=1_000_000, seed=0)
    t_million, cpu_million = time.perf_counter() - t2, time.process_time() - c2
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    small = load_trial(TRIALS / "dogra-2014.toml")
    one = run_trial(small, n=50_000, seed=3, workers=1).to_json()
    two = run_trial(small, n=50_000, seed=3, workers=2).to_json()
    local = run_trial(small, n=50_000, seed=3).to_json()
    return {
        **_draws_figures(),
        **_series_figures(),
        "engine_patients": n_engine,
        "engine_s": round(t_engine, 3),
        "solve_ivp_loop_s_scaled": round(t_ivp, 1),
        "speedup": round(t_ivp / t_engine, 0),
        "target_speedup": 100,
        "max_relative_difference": float(f"{max(diffs):.2e}"),
        "million_patients_s": round(t_million, 1),
        "million_patients_cpu_s": round(cpu_million, 1),
        "target_million_s": 30,
        "peak_rss_mb": round(peak_mb, 0),
        "dask_same_result_1_2_workers_and_local": one == two == local,
    }


if __name__ == "__main__":
    print(main())
