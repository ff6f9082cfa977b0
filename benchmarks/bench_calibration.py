"""The full calibration (``needling calibrate`` defaults; target: under 30 minutes) and its emulator.

Figures: wall time of each stage of the default run (emulator design, sampling), the worst R-hat and
the smallest ESS; and the emulator's speed-up: one vectorised log-posterior call over 40 walkers against
the model runs it stands for (every trial at one parameter point, 800 virtual patients per arm, timed
in the same process).
"""

from __future__ import annotations

import time

import numpy as np

from needling.cohort.bayes import emulator as E
from needling.cohort.bayes.calibrate import Settings, _fit, calibrate


def main() -> dict:
    st = Settings()
    t0 = time.perf_counter()
    cal = calibrate(settings=Settings(draws=st.draws, chains=2, steps=200, points=st.points))
    t_emulator = time.perf_counter() - t0
    t0 = time.perf_counter()
    fit = _fit(cal.data, cal.used, cal.sd, cal.space, cal.emulator, st, None)
    t_sampling = time.perf_counter() - t0
    rng = np.random.default_rng(0)
    u = rng.uniform(-1, 1, (40, cal.space.dim))
    t0 = time.perf_counter()
    for _ in range(20):
        cal.emulator(u)
    t_emulated = (time.perf_counter() - t0) / 20 / 40
    t0 = time.perf_counter()
    for k in range(3):
        E.forward(cal.trials, cal.data, cal.space, u[k])
    t_model = (time.perf_counter() - t0) / 3
    return {
        "emulator_design_s": round(t_emulator, 1),
        "sampling_s": round(t_sampling, 1),
        "total_s": round(t_emulator + t_sampling, 1),
        "under_30_min": t_emulator + t_sampling < 1800,
        "worst_rhat": round(max(fit.rhat.values()), 4),
        "smallest_ess": round(min(fit.ess.values()), 1),
        "model_point_ms": round(1000 * t_model, 2),
        "emulated_point_ms": round(1000 * t_emulated, 4),
        "emulator_speedup": round(t_model / t_emulated, 1),
        "emulator_worst_rms_error": round(float(np.max(cal.emulator.error_sd)), 4),
    }
