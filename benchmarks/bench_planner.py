"""A plan with predictions for five regions: p50 and p95 of the wall time (target: under 1 s).

Also timed in the same process: the simulator calls alone (five ``quick_session`` + five ``run_series`` with 200
virtual patients, and the anaesthetic's effect where one is planned: the baseline; ``overhead_ratio`` is plan time
over it; the planner caches the anaesthetic's effect, which depends only on agent, minutes, site and sex) and the
clinician HTML report.
"""

from __future__ import annotations

import statistics
import time
from datetime import date

from needling.cohort import run_series
from needling.planner import load_intake, make_plan
from needling.protocol import short_protocol
from needling.report import render_plan_html
from needling.simulation import Technique, anaesthesia_effect, quick_session

PATIENT = {
    "patient": {"age": 34, "sex": "female", "fitzpatrick": 3},
    "medications": [{"name": "isotretinoin", "last_dose": "2026-08-01"}],
    "conditions": ["history-of-herpes-labialis"],
    "goals": [
        {"region": "cheek", "indication": "acne-scars", "grade": 3},
        {"region": "forehead", "indication": "fine-lines"},
        {"region": "periorbital", "indication": "wrinkles"},
        {"region": "abdomen", "indication": "striae", "striae_type": "alba"},
        {"region": "scalp", "indication": "androgenetic-alopecia"},
    ],
}
RUNS = 30


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def _simulator_only(plan, seed: int) -> None:
    for r in plan.regions:
        eff = None
        if r["anaesthesia"]:
            eff = anaesthesia_effect(r["anaesthesia"]["agent"], r["anaesthesia"]["minutes"], r["site"])
        quick_session(
            r["device"], r["site"], Technique(passes=r["passes"], directions=r["directions"]), anaesthesia=eff
        )
        verb = "Pen" if r["device_kind"] == "pen" else "Roll"
        proto = short_protocol(
            r["sessions"], r["interval_weeks"], [f"{verb} {r['needle_length_mm']:g} mm, {r['passes']} passes"]
        )
        run_series(r["indication"], r["site"], proto, grade=r["grade"], follow_up_weeks=12, n=200, seed=seed)


def main() -> dict:
    intake = load_intake(PATIENT)
    start = date(2026, 12, 1)
    t0 = time.perf_counter()
    plan = make_plan(intake, start=start)  # the first plan of a process also fills the caches
    first = time.perf_counter() - t0
    plans, sims, reports = [], [], []
    for seed in range(RUNS):
        t0 = time.perf_counter()
        make_plan(intake, start=start, seed=seed)
        plans.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        _simulator_only(plan, seed)
        sims.append(time.perf_counter() - t0)
    for _ in range(5):
        t0 = time.perf_counter()
        render_plan_html(plan, "clinician", "en")
        reports.append(time.perf_counter() - t0)
    p50, p95 = _percentiles(plans)
    s50, _ = _percentiles(sims)
    r50, _ = _percentiles(reports)
    return {
        "regions": len(plan.regions),
        "runs": RUNS,
        "first_plan_s": round(first, 4),
        "p50_s": round(p50, 4),
        "p95_s": round(p95, 4),
        "max_s": round(max(plans), 4),
        "target_s": 1.0,
        "simulator_only_p50_s": round(s50, 4),
        "overhead_ratio": round(p50 / s50, 2),
        "report_html_p50_s": round(r50, 4),
    }


if __name__ == "__main__":
    print(main())
