"""Safety invariants of the planner, tried on random patients (hypothesis)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from needling.anatomy import site_names
from needling.devices import HOME_NEEDLE_LIMIT
from needling.evidence import bibliography
from needling.planner import load_intake, make_plan, min_interval_weeks, region_limit_mm
from needling.planner.vocabulary import CONDITIONS, INDICATIONS, MEDICATIONS, PROCEDURES

DAY = date(2026, 12, 1)


@st.composite
def patients(draw):
    goals = []
    for _ in range(draw(st.integers(1, 3))):
        ind = draw(st.sampled_from(INDICATIONS))
        goal = {"region": draw(st.sampled_from(site_names())), "indication": ind}
        if ind == "acne-scars":
            goal["grade"] = draw(st.integers(0, 4))
        goals.append(goal)
    meds = [{"name": m, **({"last_dose": (DAY - timedelta(days=draw(st.integers(0, 400)))).isoformat()}
                           if draw(st.booleans()) else {})}
            for m in draw(st.lists(st.sampled_from(sorted(MEDICATIONS)), max_size=2, unique=True))]
    procs = [{"kind": draw(st.sampled_from(PROCEDURES)),
              "date": (DAY - timedelta(days=draw(st.integers(0, 400)))).isoformat(),
              "region": draw(st.sampled_from(site_names()))} for _ in range(draw(st.integers(0, 2)))]
    return {"patient": {"age": draw(st.integers(12, 90)), "sex": draw(st.sampled_from(["female", "male"])),
                        "fitzpatrick": draw(st.integers(1, 6)), "pregnant": draw(st.booleans()),
                        "breastfeeding": draw(st.booleans())},
            "medications": meds, "conditions": draw(st.lists(st.sampled_from(CONDITIONS), max_size=3, unique=True)),
            "procedures": procs, "goals": goals, "setting": draw(st.sampled_from(["clinic", "home"]))}


def _numbers(obj, path=""):
    if isinstance(obj, bool):
        return
    if isinstance(obj, int | float):
        yield path, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _numbers(v, f"{path}.{k}" if path else k)


@settings(max_examples=40, deadline=None)
@given(data=patients())
def test_safety_invariants(data):
    intake = load_intake(data)
    plan = make_plan(intake, start=DAY, n_virtual=30)
    # 1. no protocol after a do-not-treat (or while the whole treatment is deferred)
    if plan.decision in ("do-not-treat", "defer"):
        assert plan.regions == [] and plan.series["dates"] == []
        return
    assert not [r for r in plan.reasons if r["effect"] == "do-not-treat"]
    bib = bibliography()
    for r in plan.regions:
        # 2. needle length within the region's limit and, at home, the home limit
        limit, _ = region_limit_mm(r["site"], intake.patient.sex)
        assert r["needle_length_mm"] <= limit + 1e-9
        if intake.setting == "home":
            assert r["needle_length_mm"] <= HOME_NEEDLE_LIMIT.value
        # 3. the interval never below the minimum for the depth
        floor, _ = min_interval_weeks(r["needle_length_mm"], r["site"])
        assert r["interval_weeks"] >= floor - 1e-9
        dates = [date.fromisoformat(d) for d in r["series"]["dates"]]
        assert all((b - a).days >= floor * 7 - 1 for a, b in itertools.pairwise(dates))
        # 4. every protocol number traced to a source or a named assumption
        for field in ("needle_length_mm", "passes", "sessions", "interval_weeks"):
            key = r["evidence"][field]
            assert key in bib or key.startswith("assumption:"), (field, key)
    for key in plan.sources:
        assert key in bib or key.startswith("assumption:"), key
    for c in plan.combination:
        assert c["sources"]
