"""Table-driven: every named patient file in ``patients/`` carries the plan it must get.

Each file is a patient file (as ``needling plan`` reads it) plus ``start`` and ``expect``. ``expect`` may say:
``decision``; ``rules`` that must fire and ``not_rules`` that must not; per region ``max_needle_mm`` and
``min_needle_mm``, ``endpoint``, ``first_session`` (exact) and ``first_session_not_before``,
``no_session_between`` (an open interval), ``anaesthesia`` (false: none) and ``anaesthesia_day_offset``;
``peel`` (whether a TCA peel is scheduled) and ``dropped`` (combination id -> reason); ``not_treated`` and
``regions``; ``home_care_areas`` and ``home_care_starts_not_before``; ``reassess_from``; ``message_contains``
(rule id -> text); ``sources`` (rule id -> evidence keys it must cite). Together the files cover both sides of
the rules: a rule that fires, and a near case where it does not.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from needling.planner import list_rules, load_intake, make_plan
from needling.planner.intake import _Loader

PATIENTS = sorted((Path(__file__).parent / "patients").glob("*.yaml"))


def _load(path: Path) -> tuple[dict, date, dict]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    expect = data.pop("expect")
    start = date.fromisoformat(data.pop("start"))
    return data, start, expect


def test_there_are_at_least_sixty_named_patient_files():
    assert len(PATIENTS) >= 60


def test_every_rule_fires_in_some_file_and_is_absent_in_another():
    """Both sides of each rule are named: a file where it must fire, and one where it must not."""
    fired, absent = set(), set()
    for path in PATIENTS:
        _, _, expect = _load(path)
        fired.update(expect.get("rules", []))
        absent.update(expect.get("not_rules", []))
    every = {r.id for r in list_rules()}
    assert not every - fired, sorted(every - fired)
    # P01 applies to every patient: it has no side where it does not fire
    assert not every - absent - {"P01-intradermal-products"}, sorted(every - absent - {"P01-intradermal-products"})


def _check_rules_and_decision(doc: dict, expect: dict, fired: dict) -> None:
    if "decision" in expect:
        assert doc["decision"] == expect["decision"]
    for rule in expect.get("rules", []):
        assert rule in fired, (rule, sorted(fired))
    for rule in expect.get("not_rules", []):
        assert rule not in fired, rule
    if doc["decision"] in ("do-not-treat", "defer"):
        # a plan that stops prints no session date anywhere
        assert doc["regions"] == [] and doc["series"]["dates"] == [] and doc["home_care"] is None
        assert doc["combination"] == []
    if "reassess_from" in expect:
        assert doc["reassess_from"] == expect["reassess_from"]
    for rule, text in expect.get("message_contains", {}).items():
        assert text in fired[rule]["message"]
    for rule, keys in expect.get("sources", {}).items():
        assert set(keys) <= set(fired[rule]["sources"]), (rule, fired[rule]["sources"])


def _check_protocol(regions: dict, expect: dict) -> None:
    for region, mm in expect.get("max_needle_mm", {}).items():
        assert regions[region]["needle_length_mm"] <= mm + 1e-9
    for region, mm in expect.get("min_needle_mm", {}).items():
        assert regions[region]["needle_length_mm"] >= mm - 1e-9
    for region, endpoint in expect.get("endpoint", {}).items():
        assert regions[region]["endpoint"] == endpoint
    for region, has in expect.get("anaesthesia", {}).items():
        assert bool(regions[region]["anaesthesia"]) == has
    for region, offset in expect.get("anaesthesia_day_offset", {}).items():
        assert regions[region]["anaesthesia"]["day_offset"] == offset


def _check_dates(regions: dict, expect: dict) -> None:
    for region, day in expect.get("first_session", {}).items():
        assert regions[region]["series"]["dates"][0] == day
    for region, day in expect.get("first_session_not_before", {}).items():
        assert regions[region]["series"]["dates"][0] >= day, regions[region]["series"]["dates"]
    for region, (lo, hi) in expect.get("no_session_between", {}).items():
        assert not [d for d in regions[region]["series"]["dates"] if lo < d < hi]


def _check_combination_and_home(doc: dict, regions: dict, expect: dict) -> None:
    if "peel" in expect:
        assert any(c["id"] == "tca-peel" for c in doc["combination"]) == expect["peel"]
    for cid, reason in expect.get("dropped", {}).items():
        assert {"id": cid, "reason": reason} in [
            {"id": d["id"], "reason": d["reason"]} for d in doc["combination_dropped"]
        ]
    if "not_treated" in expect:
        assert [n["region"] for n in doc["not_treated"]] == expect["not_treated"]
    if "regions" in expect:
        assert list(regions) == expect["regions"]
    if "home_care_areas" in expect:
        assert doc["home_care"]["areas"] == expect["home_care_areas"]
    for region, day in expect.get("home_care_starts_not_before", {}).items():
        assert doc["home_care"]["area_starts"][region] >= day


@pytest.mark.parametrize("path", PATIENTS, ids=[p.stem for p in PATIENTS])
def test_patient_file_gets_its_expected_plan(path):
    data, start, expect = _load(path)
    plan = make_plan(load_intake(data), start=start, n_virtual=20)
    doc = plan.to_json()
    fired = {r["rule"]: r for r in doc["reasons"]}
    regions = {r["site"]: r for r in doc["regions"]}
    _check_rules_and_decision(doc, expect, fired)
    _check_protocol(regions, expect)
    _check_dates(regions, expect)
    _check_combination_and_home(doc, regions, expect)
