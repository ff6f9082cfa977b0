"""ParameterValues: names, units, bounds, copies, and the models reading their parameters from it."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from needling.errors import InputError
from needling.evidence import Assumption, Cited
from needling.parameters import TOPICS, ParameterValues, default_parameters, load_topics
from needling.protocol import short_protocol
from needling.simulation import Technique, quick_session

SRC = Path(__file__).resolve().parents[2] / "src" / "needling"


def test_default_set_has_every_topic_and_only_cited_or_assumptions():
    pv = default_parameters()
    assert pv.topics() == sorted(TOPICS)
    assert all(isinstance(p, Cited | Assumption) for p in pv.values())
    assert pv["dimple-depth-reference"].value == 140.0
    assert pv.topic("ci95-z-value") == "cohort"
    assert pv.si("pen-hand-speed") == pytest.approx(0.02)


def test_update_converts_units_and_keeps_the_default_untouched():
    pv = ParameterValues.default()
    pv.update({"dimple-depth-reference": (0.12, "mm"), "pen-hand-speed": "3 cm/s", "dimple-cv": 0.4})
    assert pv["dimple-depth-reference"].value == pytest.approx(120.0)
    assert pv["dimple-depth-reference"].unit == "um"
    assert pv.value("pen-hand-speed") == pytest.approx(30.0)
    assert isinstance(pv["dimple-cv"], Assumption) and "0.5" in pv["dimple-cv"].reasoning
    assert default_parameters()["dimple-depth-reference"].value == 140.0


@pytest.mark.parametrize(
    ("new", "needle"),
    [
        ({"dimple-depth-referense": 1.0}, "did you mean dimple-depth-reference"),
        ({"dimple-depth-reference": (1.0, "h")}, "valid: cm, m, mm, nm, um"),
        ({"dimple-depth-reference": "1.0 parsecs"}, "does not fit"),
        ({"capillary-loop-hit-probability": 1.5}, "valid: 0 to 1"),
        ({"dimple-cv": float("nan")}, "not a finite number"),
        ({"dimple-cv": "much"}, "valid: a number and a unit"),
    ],
)
def test_update_rejects_bad_names_units_and_values_in_one_line(new, needle):
    pv = ParameterValues.default()
    before = pv.fingerprint
    with pytest.raises(InputError) as exc:
        pv.update(new)
    assert needle in str(exc.value) and "\n" not in str(exc.value)
    assert pv.fingerprint == before  # nothing half-applied


def test_the_shared_default_set_is_read_only():
    with pytest.raises(TypeError, match="read-only"):
        default_parameters().update({"dimple-cv": 0.4})


def test_topics_load_select_and_combine():
    mech = ParameterValues.load("mechanics")
    heal = load_topics("healing")
    both = mech | heal
    assert len(both) == len(mech) + len(heal)
    assert set(both.select(topic="healing")) == set(heal)
    assert set(both.select(source="Kalluri2011")) <= set(mech)
    with pytest.raises(InputError, match="unknown topic"):
        both.select(topic="optics")


def test_a_changed_parameter_changes_the_session_and_only_its_own():
    t = Technique(passes=15, directions=3)
    base = quick_session("dermaroller-192-1.5", "cheek", t)
    pv = ParameterValues.default()
    pv.update({"roller-shaft-limit-reference": 0.05})
    deeper_dimple = quick_session("dermaroller-192-1.5", "cheek", t, parameters=pv)
    assert deeper_dimple.depth_mean_um < base.depth_mean_um - 50
    again = quick_session("dermaroller-192-1.5", "cheek", t)
    assert again.depth_mean_um == base.depth_mean_um


def test_series_and_trial_statistics_read_the_given_parameters():
    from needling.cohort import run_series

    proto = short_protocol(4, 4, ["Roll 1.5 mm, 15 passes, 3 directions"])
    base = run_series("acne-scars", "cheek", proto, grade=3, n=100)
    pv = ParameterValues.default()
    pv.update({"wound-zone-radius": 100.0, "fibroblast-time-constant": (4.0, "week")})
    weaker = run_series("acne-scars", "cheek", proto, grade=3, n=100, parameters=pv)
    assert weaker.final()["collagen_change_pct"] != base.final()["collagen_change_pct"]
    again = run_series("acne-scars", "cheek", proto, grade=3, n=100)
    np.testing.assert_array_equal(again.run.collagen_rel, base.run.collagen_rel)


def test_virtual_patients_take_their_age_range_from_the_parameters():
    from needling.anatomy import get_site
    from needling.cohort.population import sample_patients

    pv = ParameterValues.default()
    pv.update({"cohort-age-min": 60.0, "cohort-age-max": 70.0})
    p = sample_patients(500, np.random.default_rng(0), get_site("cheek"), parameters=pv)
    assert p.age.min() >= 60.0 and p.age.max() <= 70.0


def test_no_model_reads_a_parameter_module_global():
    """Models, simulation and cohorts get their parameters passed in, never from the topic modules."""
    topics = "mechanics|transport|healing|cohort"
    pattern = re.compile(rf"from needling\.parameters import ({topics})\b|from needling\.parameters\.({topics}) import")
    offenders = [
        str(path.relative_to(SRC))
        for pkg in ("models", "simulation", "cohort", "planner")
        for path in (SRC / pkg).rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_parameter_cache_is_keyed_on_values_and_safe_across_threads():
    import threading

    from needling.parameters import cached_on_parameters

    calls: list[tuple[float, int]] = []

    @cached_on_parameters(maxsize=2)
    def twice_cv(pv, k):
        calls.append((pv.value("dimple-cv"), k))
        return 2 * pv.value("dimple-cv") + k

    changed = ParameterValues.default()
    changed.update({"dimple-cv": 0.25})
    assert twice_cv(1) == 2.0 and twice_cv(1, parameters=changed) == 1.5 and twice_cv(1) == 2.0
    errors: list[BaseException] = []

    def hammer():
        try:
            for k in range(40):
                assert twice_cv(k % 5) == 1.0 + k % 5
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
