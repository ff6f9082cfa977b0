"""A region above the anaesthetic label alone is split into parts, each on its own day (issue 11, item 5).

The back (about 800 cm2, an assumption of the region's size) needs 120 g of lidocaine/prilocaine cream, twice the
label's 60 g and above its 600 cm2 a day (EMLA SmPC, section 4.2): every session is done in two parts on
consecutive days. The schedule, the JSON document, the clinician's and the patient's reports (en and sv) and the
command's human view all give each part its date.
"""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta

import pytest
from babel.dates import format_date

from needling.planner import make_plan
from needling.planner import protocol_table as T
from needling.planner.intake import PatientIntake
from needling.planner.plan_model import Plan
from needling.report import render_plan_html
from tests.conftest import invoke

START = date(2026, 12, 1)
INTAKE = {
    "patient": {"age": 35, "sex": "female", "fitzpatrick": 2},
    "goals": [
        {"region": "back", "indication": "acne-scars", "grade": 3},
        {"region": "cheek", "indication": "acne-scars", "grade": 3},
    ],
}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return make_plan(PatientIntake.model_validate(INTAKE), start=START, n_virtual=50)


def test_each_part_has_its_own_day_within_the_label(plan):
    regions = {r.site: r for r in plan.regions}
    back, cheek = regions["back"], regions["cheek"]
    an = back.anaesthesia
    assert an["parts"] == 2 and an["area_cm2"] > T.EMLA_MAX_AREA.value and an["amount_g"] > T.EMLA_MAX_DOSE.value
    assert an["part_area_cm2"] <= T.EMLA_MAX_AREA.value and an["part_amount_g"] <= T.EMLA_MAX_DOSE.value
    part_dates = back.series["part_dates"]
    assert len(part_dates) == back.sessions
    for session_day, days in zip(back.series.dates, part_dates, strict=True):
        first = date.fromisoformat(session_day)
        assert days == [first.isoformat(), (first + timedelta(days=1)).isoformat()]
    # every part day is a visit of the plan, and no other region is anaesthetised on a part day of the back
    visits = set(plan.series.dates)
    assert {d for days in part_dates for d in days} <= visits
    assert not {d for days in part_dates for d in days} & set(cheek.series.dates)
    assert "part_dates" not in cheek.series and cheek.anaesthesia["parts"] == 1
    # the JSON document keeps the parts and reads back
    doc = plan.to_json()
    assert doc["regions"][0]["series"]["part_dates"] == part_dates
    assert Plan.from_json(doc).regions[0].series["part_dates"] == part_dates


def test_the_interval_holds_between_the_same_part_of_successive_sessions(plan):
    back = next(r for r in plan.regions if r.site == "back")
    for j in range(back.anaesthesia["parts"]):
        days = [date.fromisoformat(s[j]) for s in back.series["part_dates"]]
        assert all((b - a).days >= 7 * back.min_interval_weeks - 1 for a, b in itertools.pairwise(days))


@pytest.mark.parametrize(
    ("audience", "lang", "words"),
    [
        ("clinician", "en", ["Dates by part", "Each session in 2 parts, one part a day on consecutive days"]),
        ("clinician", "sv", ["Datum per del", "Varje behandling delas i 2 delar, en del per dag"]),
        ("patient", "en", ["Each session is done in 2 parts, one part a day:"]),
        ("patient", "sv", ["Varje behandling görs i 2 delar, en del per dag:"]),
    ],
)
def test_the_reports_give_each_part_its_date(plan, audience, lang, words):
    html = render_plan_html(plan, audience=audience, lang=lang)
    for w in words:
        assert w in html, w
    first = plan.regions[0].series["part_dates"][0]
    shown = [format_date(date.fromisoformat(d), "medium", locale=lang) for d in first]
    assert f"{shown[0]} + {shown[1]}" in html  # the dates as the reader writes them, not ISO
    assert first[0] not in html


def test_the_command_prints_each_part_a_day(tmp_path):
    path = tmp_path / "back.json"
    path.write_text(json.dumps(INTAKE), encoding="utf-8")
    r = invoke("plan", str(path), "--start", START.isoformat())
    assert r.code == 0, r.stderr
    out = " ".join(r.stdout.split())
    assert "back: one part a day: 2026-12-01 + 2026-12-02, 2026-12-29 + 2026-12-30" in out, out
    # the --json document carries the same parts
    doc = invoke("plan", str(path), "--start", START.isoformat(), "--json").json()
    back = next(x for x in doc["regions"] if x["site"] == "back")
    assert back["series"]["part_dates"][0] == ["2026-12-01", "2026-12-02"]


def _cream_by_date(doc: dict) -> dict[str, tuple[float, float]]:
    """Cream area (cm2) and amount (g) on each calendar day of a plan, each anaesthetic part on its own day."""
    load: dict[str, tuple[float, float]] = {}
    for r in doc["regions"]:
        an = r["anaesthesia"]
        if not an:
            continue
        days = (
            [d for ds in r["series"]["part_dates"] for d in ds] if "part_dates" in r["series"] else r["series"]["dates"]
        )
        for d in days:
            area, grams = load.get(d, (0.0, 0.0))
            load[d] = (area + an["area_cm2"] / an["parts"], grams + an["amount_g"] / an["parts"])
    return load


@pytest.mark.parametrize("waxed_after_days", range(0, 30, 3))
def test_a_region_moved_by_a_window_never_lands_on_a_full_day(waxed_after_days):
    """Thighs (500 cm2, 75 g: two parts) and upper arms (300 cm2) cannot share a day; waxing on the thighs moves
    their sessions, which must not then fall on the arms' days (before, 82.5 g of cream fell on one date)."""
    intake = {
        "patient": {"age": 35, "sex": "female", "fitzpatrick": 2},
        "goals": [{"region": "thigh", "indication": "striae"}, {"region": "upper-arm", "indication": "striae"}],
        "procedures": [
            {"kind": "waxing", "date": (START + timedelta(days=waxed_after_days)).isoformat(), "region": "thigh"}
        ],
    }
    doc = make_plan(PatientIntake.model_validate(intake), start=START, n_virtual=10).to_json()
    load = _cream_by_date(doc)
    assert load
    for day, (area, grams) in load.items():
        assert area <= T.EMLA_MAX_AREA.value + 1e-9 and grams <= T.EMLA_MAX_DOSE.value + 1e-9, (day, area, grams)
