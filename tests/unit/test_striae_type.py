"""Red and white stretch marks: needling improves red (rubra) ones more (Mohamed Ali 2017, sheet 8.5)."""

from __future__ import annotations

import pytest

from needling.cohort import run_series
from needling.errors import InputError
from needling.parameters import default_parameters
from needling.protocol import short_protocol

P = short_protocol(5, 4, ["Roll 1.5 mm, 15 passes, 3 directions"])


def _final(striae_type, posterior=None, indication="striae"):
    kw = {"parameters": default_parameters()} if posterior is None else {}
    return run_series(indication, "abdomen", P, n=200, seed=2, striae_type=striae_type, **kw).final()


def test_white_striae_reach_their_share_of_the_ceiling_and_the_same_collagen():
    rubra, alba, untyped = _final("rubra"), _final("alba"), _final(None)
    share = default_parameters().value("striae-alba-response")
    assert 0.0 < share < 1.0
    assert alba["improvement_pct_mean"] == pytest.approx(share * rubra["improvement_pct_mean"], rel=1e-3)
    assert alba["collagen_change_pct"] == pytest.approx(rubra["collagen_change_pct"])  # same dermis, same remodelling
    assert untyped["improvement_pct_mean"] == pytest.approx(rubra["improvement_pct_mean"])


def test_white_striae_over_the_posterior_and_only_for_striae():
    assert (
        _final("alba", posterior="auto")["improvement_pct_mean"]
        < _final("rubra", posterior="auto")["improvement_pct_mean"]
    )
    wrinkles = [_final(t, indication="wrinkles")["improvement_pct_mean"] for t in ("rubra", "alba")]
    assert wrinkles[0] == pytest.approx(wrinkles[1])


def test_unknown_striae_type_is_one_line():
    with pytest.raises(InputError, match="not rubra or alba"):
        _final("pink")


def test_the_plan_predicts_less_for_white_than_for_red_striae():
    from pathlib import Path

    from needling.planner.intake import load_intake
    from needling.planner.plan import make_plan

    intake = load_intake(Path(__file__).parents[2] / "examples" / "patients" / "anticoagulant-striae.yaml")
    assert [g.striae_type for g in intake.goals] == ["alba", "rubra"]
    regions = make_plan(intake).to_json()["regions"]
    alba, rubra = (r["predicted"]["outcome"]["improvement_pct_mean"] for r in regions)
    assert 0.0 < alba < rubra
