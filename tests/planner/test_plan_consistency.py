"""Plans that agree with themselves: a plan that stops shows no session date in JSON or any report."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from needling.planner import load_intake, make_plan
from needling.planner.intake import _Loader
from needling.report.plan_report import render_plan_html

PATIENTS = Path(__file__).parent / "patients"
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _plan(name: str):
    data = yaml.load((PATIENTS / f"{name}.yaml").read_text(encoding="utf-8"), Loader=_Loader)
    data.pop("expect")
    start = date.fromisoformat(data.pop("start"))
    return make_plan(load_intake(data), start=start, n_virtual=20)


@pytest.mark.parametrize(
    "name", ["s11-pregnancy", "s16b-cytostatic-stopped-recently", "s01-active-infection", "p05-grade-zero-only"]
)
def test_a_plan_that_stops_prints_no_session_date_anywhere(name):
    plan = _plan(name)
    doc = plan.to_json()
    assert doc["decision"] in ("defer", "do-not-treat")
    assert doc["series"]["dates"] == [] and doc["regions"] == [] and doc["home_care"] is None
    # the only dates a stopped plan may print: the screening date, when to screen again, and the dates the
    # screening rules themselves name (e.g. the end of a medication's window)
    allowed = {doc["start"], doc.get("reassess_from")} | {d for r in doc["reasons"] for d in ISO.findall(str(r))}
    for audience in ("clinician", "patient"):
        for lang in ("en", "sv"):
            html = render_plan_html(plan, audience, lang)
            assert set(ISO.findall(html)) <= allowed, (audience, lang, set(ISO.findall(html)) - allowed)
            assert ("Första behandlingen" if lang == "sv" else "First session") not in html


def test_a_deferral_with_an_end_says_when_to_screen_again():
    plan = _plan("s16b-cytostatic-stopped-recently")
    assert plan.reassess_from == "2027-01-31"
    assert "31 januari 2027" in render_plan_html(plan, "patient", "sv")  # the date in words, not ISO
