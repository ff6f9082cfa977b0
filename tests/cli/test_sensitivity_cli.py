"""``needling sensitivity simulate|deliver|series``: JSON, Rich tables at 80 columns, figures, one-line errors."""

from __future__ import annotations

from tests.conftest import assert_one_line_error

SERIES = [
    "sensitivity", "series", "--indication", "acne-scars", "--grade", "3", "--site", "cheek",
    "--sessions", "3", "--interval-weeks", "4", "--step", "Roll 1.5 mm, 15 passes, 3 directions", "--n", "100",
]  # fmt: skip


def test_simulate_json_ranks_the_dimple_first_for_depth(cli):
    r = cli(
        "sensitivity", "simulate", "--device", "dermaroller-192-1.5", "--site", "cheek", "--passes", "15",
        "--parameters", "dimple-depth-reference,pinpoint-bleeding-threshold", "--samples", "4", "--json",
    )  # fmt: skip
    assert r.code == 0, r.stderr
    doc = r.json()
    assert doc["method"] == "morris" and doc["evaluations"] == 4 * 3
    depth = doc["outputs"]["depth_um.mean"]
    assert depth["ranking"][0] == "dimple-depth-reference"
    assert depth["indices"]["pinpoint-bleeding-threshold"]["mu_star"] == 0.0
    assert set(doc["outputs"]) == {"depth_um.mean", "channels_per_cm2", "bleeding.strikes_per_cm2", "pain.vas"}


def test_series_human_view_is_rich_tables_within_80_columns(cli, tmp_path):
    fig = tmp_path / "sens.png"
    r = cli(*SERIES, "--parameters", "wound-zone-radius,scar-response-saturation,dimple-cv",
            "--samples", "3", "--figure", str(fig))  # fmt: skip
    assert r.code == 0, r.stderr
    assert "final.grade_mean" in r.stdout and "┃ parameter" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 80
    assert "{" not in r.stdout  # never a printed dict
    assert fig.stat().st_size > 1000


def test_series_default_parameters_are_the_ones_the_result_used(cli):
    r = cli(*SERIES, "--samples", "2", "--json")
    assert r.code == 0, r.stderr
    names = {p["name"] for p in r.json()["parameters"]}
    assert {"wound-zone-radius", "dimple-depth-reference", "scar-response-saturation"} <= names


def test_deliver_sobol_json(cli):
    r = cli(
        "sensitivity", "deliver", "--compound", "caffeine", "--device", "dermaroller-192-0.5", "--site", "cheek",
        "--hours", "4", "--parameters", "closure-half-life-open-air,dermal-clearance-rate",
        "--method", "sobol", "--samples", "8", "--json",
    )  # fmt: skip
    assert r.code == 0, r.stderr
    doc = r.json()
    assert doc["method"] == "sobol" and doc["evaluations"] == 8 * 4
    half_life = doc["outputs"]["channel_half_life_h"]["indices"]
    assert half_life["closure-half-life-open-air"]["ST"] > 0.5
    assert abs(half_life["dermal-clearance-rate"]["ST"]) < 0.05


def test_unknown_parameter_is_one_line(cli):
    r = cli(*SERIES, "--parameters", "dimple-depth-refrence")
    assert_one_line_error(r, "unknown parameter 'dimple-depth-refrence'", "dimple-depth-reference")


def test_empty_parameter_list_and_bad_range_are_one_line(cli):
    assert_one_line_error(cli(*SERIES, "--parameters", ","), "--parameters is empty")
    assert_one_line_error(cli(*SERIES, "--relative-range", "2"), "--relative-range")


def test_figure_with_another_extension_is_one_line_before_any_run(cli, tmp_path):
    r = cli(*SERIES, "--figure", str(tmp_path / "sens.pdf"))
    assert_one_line_error(r, "must end in .png or .svg")
