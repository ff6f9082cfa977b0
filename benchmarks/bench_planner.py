"""A plan with predictions for five regions: p50 and p95 of the wall time (target: under 1 s)."""

from __future__ import annotations

import statistics
import time
from datetime import date

from needling.planner import load_intake, make_plan

PATIENT = {
    "patient": {"age": 34, "sex": "female", "fitzpatrick": 3},
    "medications": [{"name": "isotretinoin", "last_dose": "2026-08-01"}],
    "conditions": ["history-of-herpes-labialis"],
    "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3},
              {"region": "forehead", "indication": "fine-lines"},
              {"region": "periorbital", "indication": "wrinkles"},
              {"region": "abdomen", "indication": "striae", "striae_type": "alba"},
              {"region": "scalp", "indication": "androgenetic-alopecia"}],
}


def main() -> dict:
    intake = load_intake(PATIENT)
    t0 = time.perf_counter()
    make_plan(intake, start=date(2026, 12, 1))  # the first plan of a process also fills the caches
    first = time.perf_counter() - t0
    times = []
    for seed in range(30):
        t0 = time.perf_counter()
        make_plan(intake, start=date(2026, 12, 1), seed=seed)
        times.append(time.perf_counter() - t0)
    times.sort()
    return {"regions": 5, "runs": len(times), "first_plan_s": round(first, 4),
            "p50_s": round(statistics.median(times), 4), "p95_s": round(times[int(0.95 * (len(times) - 1))], 4),
            "max_s": round(times[-1], 4), "target_s": 1.0}


if __name__ == "__main__":
    print(main())
