"""The mechanics commands as a user meets them: JSON keys, human view, figures, bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import assert_one_line_error

KEYS = {
    "channels_per_cm2",
    "channels_per_cm2_per_pass",
    "coverage_fraction",
    "depth_um",
    "layer_reach",
    "bleeding",
    "pain",
    "sources",
}


def test_simulate_json_has_the_stable_keys(cli):
    r = cli(
        "simulate",
        "--device",
        "dermaroller-192-1.5",
        "--site",
        "cheek",
        "--passes",
        "15",
        "--directions",
        "3",
        "--json",
    )
    assert r.code == 0, r.stderr
    doc = r.json()
    assert set(doc) >= KEYS
    assert set(doc["depth_um"]) == {"mean", "p5", "p95"}
    assert set(doc["layer_reach"]) == {"stratum_corneum", "viable_epidermis", "papillary_dermis", "reticular_dermis"}
    assert set(doc["bleeding"]) == {"strikes_per_cm2", "share_of_channels", "endpoint"}
    assert set(doc["pain"]) == {"vas", "relative_to_hypodermic"}
    assert "Gill2008" in doc["sources"] and "Meng2022" in doc["sources"]
    assert 180 <= doc["punctures_per_cm2"] <= 260
    assert doc["channels_per_cm2"] <= doc["punctures_per_cm2"]
    assert 0 < doc["coverage_fraction"] <= doc["injured_fraction"] <= 1


def test_simulate_sources_are_all_in_the_bibliography_or_assumptions(cli):
    from needling.evidence import bibliography

    doc = cli("simulate", "--device", "dermapen-11", "--site", "scalp", "--json").json()
    bib = bibliography()
    assert all(k in bib or k.startswith("assumption:") for k in doc["sources"])


def test_simulate_human_view_and_figures(cli, tmp_path):
    png, svg = tmp_path / "a.png", tmp_path / "b.svg"
    r = cli(
        "simulate",
        "--device",
        "dermapen-11",
        "--site",
        "forehead",
        "--needle-length-mm",
        "0.5",
        "--speed-mm-s",
        "30",
        "--line-spacing-mm",
        "2",
        "--figure",
        str(png),
    )
    assert r.code == 0 and "channels per cm2" in r.stdout
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert cli("simulate", "--device", "dermaroller-192-0.5", "--site", "neck", "--figure", str(svg)).code == 0
    assert svg.read_text().lstrip().startswith("<?xml")


def test_user_device_file_through_the_cli(cli, tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(
        '[device]\nname = "my-roller"\nkind = "roller"\nneedle_count = 300\nneedle_length_mm = 0.5\n'
        "needle_diameter_mm = 0.15\ntip_radius_um = 5\ndrum_diameter_mm = 18\ndrum_width_mm = 25\n"
        "rings = 30\n"
    )
    assert cli("devices", "show", str(f), "--json").json()["needle_count"] == 300
    assert cli("simulate", "--device", str(f), "--site", "cheek", "--json").json()["device"] == "my-roller"


def test_sites_and_devices_listing(cli):
    sites = cli("sites", "list", "--json").json()
    assert len(sites) == 14
    show = cli("sites", "show", "cheek", "--json").json()
    assert show["layers"]["male"]["reticular_dermis"]["source"] == "Meng2022"
    devices = cli("devices", "list", "--json").json()
    assert all({"name", "kind", "needle_count", "needle_length_mm"} <= set(d) for d in devices)
    assert cli("devices", "list").code == 0 and cli("sites", "show", "scalp").code == 0


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--device", "dermaroler-192-1.5", "--site", "cheek"], "dermaroller-192-1.5"),
        (["--device", "dermaroller-192-1.5", "--site", "cheeks"], "cheek"),
        (["--device", "dermaroller-192-1.5", "--site", "cheek", "--needle-length-mm", "0"], "needle_length_mm"),
        (["--device", "dermaroller-192-1.5", "--site", "cheek", "--needle-length-mm", "3.5"], "<= 3"),
        (["--device", "dermaroller-192-1.5", "--site", "cheek", "--passes", "0"], "passes"),
        (["--device", "dermaroller-192-1.5", "--site", "cheek", "--area-cm2", "0"], "area_cm2"),
        (["--device", "dermaroller-192-1.5", "--site", "cheek", "--area-cm2", "-4"], "area_cm2"),
        (["--device", "dermaroller-192-1.5", "--site", "cheek", "--pressure", "hard"], "pressure"),
        (["--device", "dermaroller-192-1.5", "--site", "cheek", "--figure", "x.pdf"], ".png or .svg"),
        (["--device", "missing-file.toml", "--site", "cheek"], "not found"),
    ],
)
def test_bad_input_is_one_line(cli, args, needle):
    assert_one_line_error(cli("simulate", *args), needle)


def test_malformed_device_file_is_one_line(cli, tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text("[device\nname = ")
    assert_one_line_error(cli("simulate", "--device", str(f), "--site", "cheek"), "not valid TOML")
    f.write_text('[device]\nname = "x"\nkind = "roller"\n')
    assert_one_line_error(cli("simulate", "--device", str(f), "--site", "cheek"), "needle_count")


def test_the_installed_command_never_prints_a_traceback():
    r = subprocess.run(
        [sys.executable, "-m", "needling.cli.main", "simulate", "--device", "nope", "--site", "cheek"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.startswith("error: unknown device")


def test_demo_writes_figure_and_json(cli, tmp_path):
    r = cli("demo", "--out", str(tmp_path))
    assert r.code == 0
    assert (tmp_path / "demo-session.png").exists() and (tmp_path / "demo-session.json").exists()
