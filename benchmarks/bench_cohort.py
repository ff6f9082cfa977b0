"""The cohort engine against a per-patient ``scipy.integrate.solve_ivp`` loop, and a million patients.

Baseline: the same healing ODEs integrated patient by patient with ``solve_ivp`` (impulses applied by
restarting at each session), on a sample of patients, timed and scaled to the engine's cohort size;
the outputs (collagen at the end of follow-up) must agree within 1 %. Then 1,000,000 patients through
six monthly 1.5 mm sessions and 12 months of follow-up, in fixed chunks: time and peak memory.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import numpy as np
from scipy.integrate import solve_ivp

from needling.anatomy import get_site
from needling.cohort import calibration as K
from needling.cohort.engine import run_cohort
from needling.cohort.population import sample_patients
from needling.cohort.trial import load_trial, run_trial
from needling.models.healing import cascade as C
from needling.protocol import short_protocol

PROTOCOL = short_protocol(6, 4, ["Roll 1.5 mm, 15 passes, 3 directions"])
FOLLOW_UP = 52.0


def _engine(n: int):
    rng = np.random.default_rng(0)
    site = get_site("cheek")
    patients = sample_patients(n, rng, site, grade=3)
    return patients, run_cohort(PROTOCOL, site, patients, FOLLOW_UP)


def _solve_ivp_patient(doses: np.ndarray, days: np.ndarray, end_day: float) -> float:
    c = C.cascade()
    x = np.zeros(6)
    t0 = 0.0
    for d, dose in zip(days, doses, strict=True):
        if d > t0:
            x = solve_ivp(lambda t, y: c.rhs(y), (t0, d), x, rtol=1e-8, atol=1e-12).y[:, -1]
        x = x.copy()
        x[0] += dose
        t0 = d
    x = solve_ivp(lambda t, y: c.rhs(y), (t0, end_day), x, rtol=1e-8, atol=1e-12).y[:, -1]
    return x[2] + x[3]


def main() -> dict:
    n_engine, n_sample = 20_000, 50
    t0 = time.perf_counter()
    patients, run = _engine(n_engine)
    t_engine = time.perf_counter() - t0
    # per-patient baseline on a sample: the same injuries, integrated numerically
    days = np.array([s.week * 7.0 for s in PROTOCOL.sessions])
    end_day = (PROTOCOL.last_week + FOLLOW_UP) * 7.0
    from needling.cohort.engine import _session_mechanics, injury

    dens, depth, _ = _session_mechanics("roller", 1.5, 15, 3, "cheek", "female")
    dens_m, depth_m, _ = _session_mechanics("roller", 1.5, 15, 3, "cheek", "male")
    t1 = time.perf_counter()
    diffs = []
    for i in range(n_sample):
        d = (dens, depth) if patients.female[i] else (dens_m, depth_m)
        dose = float(injury(d[0], d[1], patients.epidermis_um[i : i + 1])[0])
        coll = _solve_ivp_patient(np.full(days.size, dose), days, end_day)
        ref = 1.0 + K.collagen_scale() * coll * patients.response[i]
        diffs.append(abs(run.collagen_rel[i, -1] / ref - 1.0))
    t_ivp = (time.perf_counter() - t1) / n_sample * n_engine
    # a million patients through the whole series, chunked
    trial = load_trial(
        Path(__file__).resolve().parents[1] / "src" / "needling" / "cohort" / "trials" / "majid-2009.toml"
    )
    trial.arms[0].protocol = PROTOCOL
    trial.follow_up_weeks = FOLLOW_UP
    t2 = time.perf_counter()
    run_trial(trial, n=1_000_000, seed=0)
    t_million = time.perf_counter() - t2
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {
        "engine_patients": n_engine,
        "engine_s": round(t_engine, 3),
        "solve_ivp_loop_s_scaled": round(t_ivp, 1),
        "speedup": round(t_ivp / t_engine, 0),
        "target_speedup": 100,
        "max_relative_difference": float(f"{max(diffs):.2e}"),
        "million_patients_s": round(t_million, 1),
        "peak_rss_mb": round(peak_mb, 0),
    }


if __name__ == "__main__":
    print(main())
