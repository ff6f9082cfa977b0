"""``needling parameters list|show`` and ``needling sources --assumptions``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_one_line_error

ROOT = Path(__file__).resolve().parents[2]


def test_list_a_topic_as_json(cli):
    r = cli("parameters", "list", "--topic", "mechanics", "--json")
    assert r.code == 0, r.stderr
    rows = r.json()
    names = {row["name"] for row in rows}
    assert {"dimple-depth-reference", "puncture-force-per-needle", "session-solver-iterations"} <= names
    assert {row["topic"] for row in rows} == {"mechanics"}
    cited = next(row for row in rows if row["name"] == "puncture-force-per-needle")
    assert (cited["source"], cited["unit"], cited["grade"]) == ("Olatunji2013", "N", "H")
    assert cited["locator"]


def test_list_every_topic_readable(cli):
    r = cli("parameters", "list")
    assert r.code == 0, r.stderr
    for name in ("dimple-depth-reference", "cohort-age-min", "home-needle-limit", "max-needle-length"):
        assert name in r.stdout


def test_show_an_assumption_with_its_reasoning_and_fit(cli):
    r = cli("parameters", "show", "assumption:acne-grade-3-responsiveness", "--json")
    assert r.code == 0, r.stderr
    d = r.json()
    assert d["name"] == "acne-grade-3-responsiveness" and d["kind"] == "assumption"
    assert d["reasoning"] and "Garg" in d["fitted_to"]
    text = cli("parameters", "show", "dimple-depth-reference")
    assert "Donnelly" in text.stdout and "reasoning" in text.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("parameters", "show", "dimple-dept"), "did you mean"),
        (("parameters", "list", "--topic", "optics"), "unknown topic"),
    ],
)
def test_unknown_names_are_one_line_errors(cli, args, needle):
    assert_one_line_error(cli(*args), needle)


def test_sources_lists_the_assumptions(cli):
    r = cli("sources", "--assumptions", "--json")
    assert r.code == 0, r.stderr
    keys = {row["key"] for row in r.json()}
    assert {"assumption:cohort-age-min", "assumption:dimple-depth-reference"} <= keys
    assert all(row["reasoning"] for row in r.json())


@pytest.mark.parametrize(
    "args",
    [
        ("simulate", "--device", "home-roller-540-0.25", "--site", "scalp", "--passes", "4"),
        ("simulate", "--device", "dermapen-11", "--site", "forehead", "--needle-length-mm", "0.5"),
        (
            "deliver",
            "--compound",
            "lidocaine",
            "--device",
            "dermaroller-192-0.5",
            "--site",
            "cheek",
            "--model",
            "reduced",
        ),
        (
            "series",
            "--indication",
            "acne-scars",
            "--site",
            "cheek",
            "--sessions",
            "3",
            "--interval-weeks",
            "4",
            "--step",
            "Roll 1.5 mm, 15 passes",
            "--step",
            "Peel TCA 15 %",
            "--step",
            "PRP topical",
        ),
        ("plan", str(ROOT / "examples" / "patients" / "five-regions.yaml"), "--start", "2026-12-01"),
    ],
)
def test_every_assumption_a_result_lists_resolves(cli, args):
    r = cli(*args, "--json")
    assert r.code == 0, r.stderr
    keys = {k for k in r.json()["sources"] if k.startswith("assumption:")}
    assert keys
    for key in sorted(keys):
        shown = cli("parameters", "show", key, "--json")
        assert shown.code == 0, (key, shown.stderr)
        assert shown.json()["key"] == key
