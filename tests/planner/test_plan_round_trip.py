"""A stored plan reads back as the same typed plan: ``Plan.from_json(plan.to_json()) == plan`` for every named
patient file, and also for the copy the clinic stores (without the weekly timeline, which it recomputes)."""

from __future__ import annotations

import json

import pytest

from needling.planner import load_intake, make_plan
from needling.planner.plan_model import Plan
from tests.planner.test_patient_files import PATIENTS, _load


@pytest.mark.parametrize("path", PATIENTS, ids=[p.stem for p in PATIENTS])
def test_a_plan_reads_back_from_its_json_as_the_same_plan(path):
    data, start, _ = _load(path)
    plan = make_plan(load_intake(data), start=start, n_virtual=10)
    doc = json.loads(json.dumps(plan.to_json()))  # as the database's JSON column gives it back
    again = Plan.from_json(doc)
    assert again == plan
    assert again.to_json() == doc
    stored = json.loads(json.dumps(doc))
    for r in stored["regions"]:  # the clinic keeps the plan without the weekly timeline
        r["predicted"].pop("timeline", None)
    typed = Plan.from_json(stored)
    assert typed.to_json() == stored
    assert [r.predicted.depth_um for r in typed.regions if r.predicted] == [
        r.predicted.depth_um for r in plan.regions if r.predicted
    ]


def test_every_named_patient_file_is_read_back():
    assert len(PATIENTS) >= 93
