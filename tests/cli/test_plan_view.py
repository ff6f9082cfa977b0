"""The plan's terminal view read as a clinician reads it at 80 columns: every value whole, plurals right, and
the expected outcome in the table the same number the sentence under it states."""

from __future__ import annotations

import re

import pytest

FIVE_REGIONS = "examples/patients/five-regions.yaml"
HOME = "examples/patients/example.yaml"  # a clinic plan with home care around the eyes, weekly


@pytest.fixture(scope="module")
def views():
    import os

    from tests.conftest import invoke

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"
    try:
        return {f: invoke("plan", f, "--start", "2026-12-01") for f in (FIVE_REGIONS, HOME)}
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


@pytest.mark.parametrize("patient", [FIVE_REGIONS, HOME])
def test_no_value_is_cut_short(views, patient):
    out = views[patient].stdout
    assert views[patient].code == 0
    assert "…" not in out, [ln for ln in out.splitlines() if "…" in ln][:3]


def test_once_a_week_is_not_every_1_week_s(views):
    out = views[HOME].stdout
    assert "week(s)" not in out and "every 1 week" not in out
    assert "every week" in out


def test_the_table_states_the_expected_grade_the_sentence_states(views):
    out = views[FIVE_REGIONS].stdout
    said = re.search(r"cheek: Expected grade (\d\.\d)", out)
    assert said is not None, out
    table = next(ln for ln in out.splitlines() if ln.startswith("│ expected"))
    assert f"grade {said.group(1)}" in table, (said.group(1), table)


def test_each_region_lists_its_own_dates_and_home_care_its_start(cli, monkeypatch):
    # the filler defers the perioral region: its dates were merged into the cheek's in one unlabelled list
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("plan", "examples/patients/isotretinoin-conflict.yaml", "--start", "2026-12-01", "--json")
    plan = r.json()
    view = cli("plan", "examples/patients/isotretinoin-conflict.yaml", "--start", "2026-12-01").stdout
    flat = " ".join(view.split())
    for region in plan["regions"]:
        assert f"{region['site']} dates: {', '.join(region['series']['dates'])}" in flat, region["site"]
    assert f"every week from {plan['home_care']['start']} on perioral" in flat
