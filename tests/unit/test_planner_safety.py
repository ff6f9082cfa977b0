"""Safety invariants of the planner, tried on random patients (hypothesis)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from needling.anatomy import site_names
from needling.devices import HOME_NEEDLE_LIMIT, list_devices
from needling.evidence import Assumption, all_parameters, bibliography
from needling.planner import load_intake, make_plan, min_interval_weeks, region_limit_mm
from needling.planner.medications import substances
from needling.planner.vocabulary import CONDITIONS, INDICATIONS, PROCEDURES

MEDICATION_NAMES = sorted({n for s in substances() for n in s.names})
#: Names that never stop treatment on their own (cytostatics do).
NON_STOPPING_NAMES = sorted({n for s in substances() if not s.atc.startswith("L01") for n in s.names})

DAY = date(2026, 12, 1)
DEVICES = [d if isinstance(d, str) else d.name for d in list_devices()]


#: Conditions that stop treatment (do-not-treat or a whole-patient deferral) under the current rules.
STOPPING = {
    "active-infection",
    "active-herpes",
    "open-wound",
    "active-acne",
    "skin-cancer-in-area",
    "keloid-tendency",
    "bleeding-disorder",
    "chemotherapy-or-radiotherapy",
    "diabetes-uncontrolled",
    "sunburn",
}


@st.composite
def patients(draw, treatable=False):
    goals = []
    for region in draw(st.lists(st.sampled_from(site_names()), min_size=1, max_size=3, unique=True)):
        ind = draw(st.sampled_from(INDICATIONS))
        goal = {"region": region, "indication": ind}
        if ind == "acne-scars":
            goal["grade"] = draw(st.integers(1 if treatable else 0, 4))
        goals.append(goal)
    meds = [
        {
            "name": m,
            **(
                {"last_dose": (DAY - timedelta(days=draw(st.integers(0, 400)))).isoformat()}
                if draw(st.booleans())
                else {}
            ),
        }
        for m in draw(
            st.lists(st.sampled_from(NON_STOPPING_NAMES if treatable else MEDICATION_NAMES), max_size=2, unique=True)
        )
    ]
    procs = [
        {
            "kind": draw(st.sampled_from(PROCEDURES)),
            "date": (DAY - timedelta(days=draw(st.integers(0, 400)))).isoformat(),
            "region": draw(st.sampled_from(site_names())),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    conditions = sorted(set(CONDITIONS) - STOPPING) if treatable else CONDITIONS
    return {
        "patient": {
            "age": draw(st.integers(18 if treatable else 12, 90)),
            "sex": draw(st.sampled_from(["female", "male"])),
            "fitzpatrick": draw(st.integers(1, 6)),
            "pregnant": False if treatable else draw(st.booleans()),
            "breastfeeding": False if treatable else draw(st.booleans()),
        },
        "medications": meds,
        "conditions": draw(st.lists(st.sampled_from(conditions), max_size=3, unique=True)),
        "procedures": procs,
        "goals": goals,
        "setting": draw(st.sampled_from(["clinic", "home"])),
        "devices": draw(st.lists(st.sampled_from(DEVICES), max_size=2, unique=True)),
    }


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
    _check_invariants(data)


@settings(max_examples=40, deadline=None)
@given(data=patients(treatable=True))
def test_safety_invariants_on_patients_who_get_a_protocol(data):
    """The same invariants where every patient gets regions, so the protocol checks always run."""
    plan = _check_invariants(data)
    assert plan.decision in ("proceed", "proceed-with-caution") and plan.regions


def _check_invariants(data):
    intake = load_intake(data)
    plan = make_plan(intake, start=DAY, n_virtual=30)
    # 1. no protocol after a do-not-treat (or while the whole treatment is deferred)
    if plan.decision in ("do-not-treat", "defer"):
        assert plan.regions == [] and plan.series["dates"] == []
        return plan
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
    named = {p.key for p in all_parameters() if isinstance(p, Assumption)}
    for key in plan.sources:
        assert key in bib or key in named, key  # an "assumption:" key must be a real named Assumption
    # 5. an anticoagulant keeps needling superficial; home care never above the home limit
    if intake.drugs(("B01AA", "B01AE", "B01AF", "B01AB"), "systemic"):
        assert all(r["needle_length_mm"] <= 0.5 for r in plan.regions)
    if plan.home_care:
        assert plan.home_care["needle_length_mm"] <= HOME_NEEDLE_LIMIT.value
    for c in plan.combination:
        assert c["sources"]
    return plan
