"""The shipped leave-one-trial-out table belongs to the shipped posterior (the README test is with the figures)."""

from __future__ import annotations

import json
from importlib import resources

from needling.cohort.bayes.calibrate import coverage, draws_hash
from needling.cohort.bayes.posterior import shipped


def _loto() -> dict:
    return json.loads((resources.files("needling.cohort.bayes") / "loto.json").read_text())


def test_loto_was_computed_on_the_shipped_model_and_data():
    # A table left over from an earlier model (no Al Chalabi rows, another fingerprint) fails here.
    doc, post = _loto(), shipped().doc
    assert doc["model_fingerprint"] == post["model_fingerprint"]
    assert doc["data_hash"] == post["data_hash"]
    assert doc["posterior_hash"] == draws_hash(post["draws"])  # the held-out rows came from these draws
    assert {r["source"] for r in doc["rows"]} == set(post["trials"])
    assert doc["coverage"] == coverage(doc["rows"])
    assert doc["settings"]["chains"] >= 2 and doc["settings"]["steps"] >= 20
