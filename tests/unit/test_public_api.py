"""``import needling as nd``: the public names, lazily loaded, giving the same results as the layers below."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

import needling as nd

ROOT = Path(__file__).resolve().parents[2]


def test_import_needling_is_cheap():
    heavy = "('numpy', 'scipy', 'typer', 'needling.simulation')"
    code = f"import sys, needling; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_every_public_name_resolves():
    for name in nd.__all__:
        assert getattr(nd, name) is not None, name
    assert set(nd.__all__) <= set(dir(nd))
    with pytest.raises(AttributeError, match="no attribute 'simulat'"):
        nd.simulat  # noqa: B018


def test_simulate_is_the_session_simulation():
    from needling.simulation import Technique, quick_session, simulate_session

    t = Technique(passes=15, directions=3)
    full = nd.simulate("dermaroller-192-1.5", "cheek", passes=15, directions=3)
    assert full.to_json() == simulate_session("dermaroller-192-1.5", "cheek", t).to_json()
    quick = nd.simulate("dermaroller-192-1.5", "cheek", t, full=False)
    assert quick.to_json() == quick_session("dermaroller-192-1.5", "cheek", t).to_json()
    with pytest.raises(TypeError, match="either a Technique"):
        nd.simulate("dermaroller-192-1.5", "cheek", t, passes=3)


def test_the_main_path_runs_with_other_parameters():
    pv = nd.ParameterValues.default()
    pv.update({"dimple-depth-reference": 250.0})
    shallow = nd.deliver("caffeine", "dermaroller-192-1.0", "cheek", passes=10, model="reduced", hours=2, parameters=pv)
    usual = nd.deliver("caffeine", "dermaroller-192-1.0", "cheek", passes=10, model="reduced", hours=2)
    assert shallow.channel_depth_um < usual.channel_depth_um
    protocol = nd.Protocol.parse(["Roll home-roller-540-0.25, 10 passes, 2 directions"], sessions=4, interval_weeks=2)
    series = nd.run_series(protocol, "fine-lines", "forehead", n=50)
    assert series.run.mechanics[0][2].device == "home-roller-540-0.25"
    trial = nd.run_trial(ROOT / "src" / "needling" / "cohort" / "trials" / "dogra-2014.toml", n=60)
    assert trial.n == 60 and trial.arms
    plan = nd.plan(ROOT / "examples" / "patients" / "example.yaml", n_virtual=20)
    assert plan.decision in ("proceed", "proceed-with-caution")


def test_print_citations_gives_references_and_assumptions():
    result = nd.simulate("dermaroller-192-1.5", "cheek", passes=15, full=False)
    out = io.StringIO()
    nd.print_citations(result, file=out)
    text = out.getvalue()
    assert "[Gill2008]" in text and "Named assumptions" in text and "dimple-depth-reference = 140 um" in text
    again = io.StringIO()
    nd.print_citations(result.to_json(), file=again)
    assert again.getvalue() == text


def test_results_plot_their_figures(tmp_path):
    session = nd.simulate("dermaroller-192-1.5", "cheek", passes=3, area_cm2=4.0)
    uptake = nd.deliver("caffeine", "dermaroller-192-0.5", "cheek", passes=5, model="reduced", hours=2)
    series = nd.run_series(nd.Protocol.parse(["Roll 1.5 mm, 15 passes"], sessions=3), "acne-scars", "cheek", n=40)
    trial = nd.run_trial(ROOT / "src" / "needling" / "cohort" / "trials" / "dogra-2014.toml", n=40)
    for name, result in (("session", session), ("uptake", uptake), ("series", series), ("trial", trial)):
        path = result.plot(tmp_path / f"{name}.png")
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    assert series.plot(tmp_path / "series.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_series_and_trial_results_are_typed():
    from needling.cohort.series import AdverseEvents, SeriesOutcome
    from needling.cohort.trial import EndpointResult

    protocol = nd.Protocol.parse(["Roll 1.5 mm, 15 passes, 3 directions"], sessions=3)
    series = nd.run_series(protocol, "acne-scars", "cheek", grade=3, n=60)
    outcome = series.outcome()
    assert isinstance(outcome, SeriesOutcome) and outcome.grade_mean is not None
    assert outcome.hair_count_change_mean is None and series.final() == outcome.to_json()
    assert isinstance(series.risks(), AdverseEvents) and series.adverse_events() == series.risks().to_json()
    hair = nd.run_series(
        nd.Protocol.parse(["Pen 1.0 mm, 4 passes"], sessions=4, interval_weeks=1),
        "androgenetic-alopecia",
        "scalp",
        n=40,
    )
    assert hair.outcome().grade_mean is None and "hair_count_change_mean" in hair.final()
    trial = nd.run_trial(ROOT / "src" / "needling" / "cohort" / "trials" / "dogra-2014.toml", n=60)
    e = trial.arms[0].endpoints["pih"]
    assert isinstance(e, EndpointResult) and e.low <= e.mean <= e.high and e.published is not None
    assert trial.to_json()["arms"][0]["endpoints"]["pih"] == e.to_json() and e["ci95"] == [e.low, e.high]
