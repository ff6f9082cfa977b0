"""Sensitivity analysis: SALib's Morris and Sobol over parameter ranges, on the real models."""

from __future__ import annotations

import math

import pytest

from needling.cohort.sensitivity import parameter_range, sensitivity
from needling.cohort.sensitivity_targets import SESSION_OUTPUTS, outputs_of, pick, used_parameters
from needling.errors import InputError
from needling.parameters import ParameterValues, default_parameters
from needling.simulation import Technique, quick_session


def _linear(pv: ParameterValues) -> dict[str, float]:
    """A known function of two parameters: y = 3 a, z = a + 10 b (own units)."""
    a = pv.value("dimple-depth-reference")
    b = pv.value("dimple-cv")
    return {"y": 3.0 * a, "z": a + 10.0 * b}


def test_morris_recovers_a_known_linear_function():
    names = ["dimple-depth-reference", "dimple-cv"]
    res = sensitivity(_linear, names, "morris", n=6, bounds={"dimple-depth-reference": (100, 200)})
    # y = 3 a: every elementary effect of a is the same (sigma 0), and b has none.
    assert res.indices["y"]["dimple-cv"]["mu_star"] == pytest.approx(0.0, abs=1e-12)
    assert res.indices["y"]["dimple-depth-reference"]["sigma"] == pytest.approx(0.0, abs=1e-9)
    assert res.indices["y"]["dimple-depth-reference"]["mu_star"] > 0
    assert res.ranking("y")[0][0] == "dimple-depth-reference"
    # z: a spans 100 um (weight 1), b spans 0.5 (weight 10): a's effect is 100/5 = 20 times b's
    ratio = res.indices["z"]["dimple-depth-reference"]["mu_star"] / res.indices["z"]["dimple-cv"]["mu_star"]
    assert ratio == pytest.approx(20.0, rel=1e-9)
    assert res.evaluations == 6 * 3
    assert res.ranges["dimple-depth-reference"] == (100.0, 200.0, "um")


def test_sobol_shares_of_a_known_function():
    res = sensitivity(_linear, ["dimple-depth-reference", "dimple-cv"], "sobol", n=256, seed=1)
    # y depends on a alone: S1 = ST = 1 for a, 0 for b
    assert res.indices["y"]["dimple-depth-reference"]["S1"] == pytest.approx(1.0, abs=0.05)
    assert res.indices["y"]["dimple-cv"]["ST"] == pytest.approx(0.0, abs=0.02)
    assert res.evaluations == 256 * 4


def test_depth_is_driven_by_the_dimple_not_by_bleeding_thresholds():
    def depth(pv):
        return quick_session("dermaroller-192-1.5", "cheek", Technique(passes=15, directions=3), parameters=pv)

    res = sensitivity(
        outputs_of(depth, SESSION_OUTPUTS),
        ["dimple-depth-reference", "pinpoint-bleeding-threshold", "vas-per-relative-pain"],
        n=4,
    )
    assert res.ranking("depth_um.mean")[0][0] == "dimple-depth-reference"
    assert res.indices["depth_um.mean"]["pinpoint-bleeding-threshold"]["mu_star"] == 0.0
    assert res.ranking("pain.vas")[0][0] in {"vas-per-relative-pain", "dimple-depth-reference"}
    assert res.indices["pain.vas"]["vas-per-relative-pain"]["mu_star"] > 0
    doc = res.to_json()
    assert set(doc) >= {"method", "evaluations", "parameters", "outputs", "failed"}
    assert doc["outputs"]["depth_um.mean"]["ranking"][0] == "dimple-depth-reference"


def test_the_default_set_is_not_changed():
    before = default_parameters().fingerprint
    sensitivity(_linear, ["dimple-depth-reference", "dimple-cv"], n=2)
    assert default_parameters().fingerprint == before


def test_ranges_use_the_spread_then_a_relative_width_within_bounds():
    pv = default_parameters()
    with_sd = next(n for n in pv if pv[n].sd and pv[n].value - 2 * pv[n].sd > 0)
    low, high = parameter_range(pv, with_sd)
    assert low == pytest.approx(pv[with_sd].value - 2 * pv[with_sd].sd)
    low, high = parameter_range(pv, "dimple-depth-reference", relative=0.5)
    assert (low, high) == (70.0, 210.0)
    low, high = parameter_range(pv, "channel-relaxation-fraction", relative=0.99)
    assert 0.0 <= low < high <= 1.0


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"parameters": ["dimple-depth-refrence"]}, "dimple-depth-reference"),
        ({"parameters": []}, "at least one parameter"),
        ({"parameters": ["dimple-cv", "dimple-cv"]}, "named twice"),
        ({"parameters": ["dimple-cv"], "method": "fast"}, "valid: morris, sobol"),
        ({"parameters": ["dimple-cv"], "n": 1}, "n = 1"),
        ({"parameters": ["dimple-cv"], "bounds": {"dimple-cv": (-1.0, 1.0)}}, "valid: 0 to 5"),
    ],
)
def test_bad_input_is_one_clear_line(kwargs, needle):
    with pytest.raises(InputError) as err:
        sensitivity(_linear, **kwargs)
    assert needle in str(err.value)
    assert "\n" not in str(err.value)


def test_runs_without_an_answer_are_left_out_of_morris():
    def sometimes(pv):
        a = pv.value("dimple-depth-reference")
        if a > 190:
            raise ZeroDivisionError("no answer here")
        return {"y": a}

    res = sensitivity(sometimes, ["dimple-depth-reference", "dimple-cv"], n=8)
    assert res.failed > 0
    assert "ZeroDivisionError" in res.first_failure
    mu = res.indices["y"]["dimple-depth-reference"]["mu_star"]
    assert mu is not None and math.isfinite(mu) and mu > 0


def test_pick_and_used_parameters():
    assert pick({"a": {"b": 2}, "c": "x", "d": True}, ["a.b", "c", "d", "e.f"]) == {"a.b": 2.0}
    sources = quick_session("dermaroller-192-1.5", "cheek").sources
    names = used_parameters(sources)
    assert "dimple-depth-reference" in names
    assert all(not isinstance(default_parameters()[n].value, int) for n in names)
