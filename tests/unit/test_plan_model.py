"""The typed plan: attributes for every part, ``to_json()`` exactly the ``--json`` document, stored plans read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import needling as nd
from needling.planner import Combination, HomeCare, Reason, Region

PATIENTS = Path(__file__).resolve().parents[2] / "examples" / "patients"


@pytest.fixture(scope="module")
def plan():
    return nd.plan(PATIENTS / "five-regions.yaml", start=date(2026, 12, 1), n_virtual=30)


def test_parts_are_typed_and_read_as_attributes(plan):
    assert all(isinstance(r, Reason) for r in plan.reasons)
    assert all(isinstance(r, Region) for r in plan.regions)
    assert all(isinstance(c, Combination) for c in plan.combination)
    # the home roller steps down to 0.2 mm where 0.25 mm would draw blood (bleeding is a home stop rule)
    assert isinstance(plan.home_care, HomeCare) and plan.home_care.needle_length_mm in (0.2, 0.25)
    cheek = next(r for r in plan.regions if r.site == "cheek")
    assert cheek.predicted.depth_um > 0 and cheek.predicted.final_interval_95.measure == "grade"
    assert cheek.series.dates[0] >= "2026-12-01"
    # recent isotretinoin caps the cheek at 0.5 mm (no cream below 1 mm) and drops the TCA peel, with reasons
    assert cheek.needle_length_mm <= 0.5 and cheek.anaesthesia is None
    assert [c.rules for c in cheek.depth_caps] == [["S10-isotretinoin"]]
    assert any((d.id, d.region, d.reason) == ("tca-peel", "cheek", "rule") for d in plan.combination_dropped)


def test_to_json_keeps_optional_keys_only_where_set(plan):
    doc = plan.to_json()
    assert list(doc) == [
        "decision",
        "reasons",
        "regions",
        "series",
        "combination",
        "home_care",
        "aftercare",
        "patient",
        "start",
        "rules_version",
        "model_version",
        "sources",
        "not_treated",
        "reassess_from",
        "combination_dropped",
    ]
    assert all("device_note" not in r and "deferred_until" not in r for r in doc["regions"])
    assert [("dates" in c, "offset_weeks" in c) for c in doc["combination"]].count((True, True)) == 0  # peel dropped
    assert isinstance(doc["regions"][0]["sessions"], int)


def test_a_stored_plan_reads_back(plan):
    doc = plan.to_json()
    for r in doc["regions"]:
        r["predicted"].pop("timeline")  # the clinic stores plans without the weekly timeline
    again = nd.Plan.from_json(doc)
    assert again.to_json() == doc
    assert again.regions[0].predicted.timeline is None
    assert again.regions[0]["device"] == again.regions[0].device  # key access, for code written on the JSON
    assert again.regions[0].get("device_note", "none") == "none"
