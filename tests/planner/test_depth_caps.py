"""One depth cap per region: the strictest limit, naming every rule behind it.

An anticoagulant asks for two things (superficial needling and an erythema endpoint) and was shown as two caps on
the same region; a patient with two capping rules got one cap per rule. The needle is one, so is its cap.
"""

from __future__ import annotations

import json
from datetime import date

from needling.planner import load_intake, make_plan
from needling.planner import protocol_table as T
from needling.planner.plan import _one_cap
from needling.planner.plan_model import Region
from tests.conftest import invoke

DAY = date(2026, 12, 1)
WARFARIN = {
    "patient": {"age": 35, "sex": "female", "fitzpatrick": 2},
    "medications": [{"name": "Waran 5 mg"}],
    "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
}


def _plan(data):
    return make_plan(load_intake(data), start=DAY, n_virtual=10)


def test_an_anticoagulant_gives_one_cap_with_its_erythema_endpoint():
    plan = _plan(WARFARIN)
    (cheek,) = plan.regions
    (cap,) = cheek.depth_caps
    assert cap.rules == ["S08-anticoagulant"] and cap.endpoint == "erythema"
    assert cap.max_mm == cheek.needle_length_mm <= T.SUPERFICIAL_LIMIT.value
    assert len(cap.sources) == len(set(cap.sources)) and "Bordeaux2011" in cap.sources


def test_two_capping_rules_give_one_cap_with_both_rules_and_their_sources():
    # apixaban (S08: superficial, erythema) and rosacea (S19: superficial) both cap the cheek
    plan = _plan({**WARFARIN, "medications": [{"name": "apixaban"}], "conditions": ["rosacea"]})
    (cheek,) = plan.regions
    (cap,) = cheek.depth_caps
    assert cap.rules == ["S08-anticoagulant", "S19-rosacea"]
    assert {"Bordeaux2011", "assumption:screen-rosacea"} <= set(cap.sources)
    assert cap.max_mm <= T.SUPERFICIAL_LIMIT.value and cap.endpoint == "erythema"


def test_the_combined_cap_is_the_smaller_depth_whichever_rule_comes_first():
    a = {"rule": "S13-immunosuppression", "sources": ["Minutilli2024", "x"], "max_mm": 0.5}
    b = {"rule": "S08-anticoagulant", "sources": ["x", "Bordeaux2011"], "max_mm": 0.25, "endpoint": "erythema"}
    for caps in ([a, b], [b, a]):
        (cap,) = _one_cap(caps)
        assert cap["max_mm"] == 0.25 and cap["endpoint"] == "erythema"
        assert set(cap["rules"]) == {"S13-immunosuppression", "S08-anticoagulant"}
        assert sorted(cap["sources"]) == ["Bordeaux2011", "Minutilli2024", "x"]
    assert _one_cap([]) == []
    assert "endpoint" not in _one_cap([a])[0]


def test_a_plan_stored_with_one_rule_per_cap_reads_back():
    doc = _plan(WARFARIN).to_json()["regions"][0]
    doc["depth_caps"] = [{"rule": "S08-anticoagulant", "sources": ["Bordeaux2011"], "max_mm": 0.5}]
    (cap,) = Region.model_validate(doc).depth_caps
    assert cap.rules == ["S08-anticoagulant"] and cap.max_mm == 0.5


def test_the_plan_view_prints_one_cap_per_region(tmp_path):
    path = tmp_path / "warfarin.json"
    path.write_text(json.dumps({**WARFARIN, "medications": [{"name": "apixaban"}], "conditions": ["rosacea"]}))
    out = invoke("plan", str(path), "--start", DAY.isoformat())
    assert out.code == 0, out.stderr
    caps = [line for line in out.stdout.splitlines() if line.startswith("cheek: depth <=")]
    assert len(caps) == 1 and "S08-anticoagulant, S19-rosacea" in caps[0]


def test_the_home_limit_and_the_eye_area_are_named_in_the_cap_beside_the_anticoagulant():
    home = _plan({**WARFARIN, "setting": "home", "goals": [{"region": "cheek", "indication": "fine-lines"}]})
    (cheek,) = home.regions
    (cap,) = cheek.depth_caps
    assert cap.rules == ["S08-anticoagulant", "P02-home-limit"] and "AAMSSA2019" in cap.sources
    assert cap.max_mm == cheek.needle_length_mm <= 0.3 and cap.endpoint == "erythema"
    eyes = _plan({**WARFARIN, "goals": [{"region": "periorbital", "indication": "fine-lines"}]})
    (cap,) = eyes.regions[0].depth_caps
    assert cap.rules == ["S08-anticoagulant", "P03-periorbital"] and cap.max_mm <= 0.5
    plain = _plan({**WARFARIN, "medications": []})
    assert plain.regions[0].depth_caps == []  # nothing capped the cheek: no cap is shown


def test_the_report_shows_the_one_cap_with_the_length_in_the_readers_language():
    from needling.report import render_plan_html

    plan = _plan({**WARFARIN, "medications": [{"name": "apixaban"}], "conditions": ["rosacea"]})
    mm = plan.regions[0].depth_caps[0].max_mm
    sv = render_plan_html(plan, "clinician", "sv")
    row = sv[sv.index("S08-anticoagulant, S19-rosacea") :].split("</td>")[0]
    assert f"&lt;= {mm:g}".replace(".", ",") in row and sv.count("S08-anticoagulant, S19-rosacea") == 1
