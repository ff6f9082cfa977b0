"""A Morris screening of 20 parameters on ``series`` (target: under a minute), against the model runs alone.

Series: grade-3 acne scars on the cheek, six monthly 1.5 mm sessions, 200 virtual patients per run,
10 Morris trajectories (10 x 21 = 210 runs). Baseline, timed in the same process: the same number of
``run_series`` calls with the default parameters (whose per-parameter-set caches are warm), i.e. what
the runs would cost if changing the parameters cost nothing; ``overhead_ratio`` is the screening over it.
"""

from __future__ import annotations

import time

from needling.cohort import run_series
from needling.cohort.sensitivity import sensitivity
from needling.cohort.sensitivity_targets import SERIES_OUTPUTS, outputs_of, used_parameters
from needling.parameters import default_parameters
from needling.protocol import short_protocol

PROTOCOL = short_protocol(6, 4, ["Roll 1.5 mm, 15 passes, 3 directions"])
TRAJECTORIES = 10
N_PARAMETERS = 20


def _series(pv):
    return run_series("acne-scars", "cheek", PROTOCOL, grade=3, follow_up_weeks=26, n=200, seed=0, parameters=pv)


def main() -> dict:
    names = used_parameters(_series(None).to_json()["sources"])
    # the healing and cohort parameters first (they move the grade), then the mechanics, 20 in all
    pv = default_parameters()
    chosen = sorted(names, key=lambda n: pv.topic(n) not in ("healing", "cohort"))[:N_PARAMETERS]
    t0 = time.perf_counter()
    result = sensitivity(outputs_of(_series, SERIES_OUTPUTS), chosen, "morris", TRAJECTORIES, seed=0)
    screening = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(result.evaluations):
        outputs_of(_series, SERIES_OUTPUTS)(None)
    baseline = time.perf_counter() - t0
    top = result.ranking("final.grade_mean")[:3]
    return {
        "parameters": len(chosen),
        "runs": result.evaluations,
        "failed_runs": result.failed,
        "screening_s": round(screening, 3),
        "under_a_minute": screening < 60.0,
        "baseline_default_runs_s": round(baseline, 3),
        "overhead_ratio": round(screening / baseline, 2),
        "ms_per_run": round(1e3 * screening / result.evaluations, 2),
        "top_for_grade": [[name, None if v is None else round(v, 4)] for name, v in top],
    }


if __name__ == "__main__":
    print(main())
