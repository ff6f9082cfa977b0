"""Every human view of the command line is a Rich table or panel that stays within 80 columns:
never a printed dict or list, never a line a terminal of 80 columns would break."""

from __future__ import annotations

import re

import pytest

from needling.cli.main import COMMANDS

EXAMPLE = "examples/patients/example.yaml"
VIEWS = {
    "sources": ["sources"],
    "sources --assumptions": ["sources", "--assumptions"],
    "sites list": ["sites", "list"],
    "sites show": ["sites", "show", "cheek"],
    "devices list": ["devices", "list"],
    "devices show": ["devices", "show", "dermaroller-192-1.5"],
    "compounds list": ["compounds", "list"],
    "compounds show": ["compounds", "show", "caffeine"],
    "parameters list": ["parameters", "list", "--topic", "mechanics"],
    "parameters show": ["parameters", "show", "dimple-cv"],
    "rules list": ["rules", "list"],
    "simulate": ["simulate", "--device", "dermaroller-192-1.5", "--site", "cheek", "--passes", "15"],
    "deliver": ["deliver", "--compound", "caffeine", "--device", "dermaroller-192-0.5", "--site", "cheek",
                "--model", "reduced", "--hours", "4"],
    "series": ["series", "--indication", "acne-scars", "--grade", "3", "--site", "cheek", "--sessions", "3",
               "--interval-weeks", "4", "--step", "Roll 1.5 mm, 15 passes", "--n", "100"],
    "trial": ["trial", "src/needling/cohort/trials/lotfi-2013.toml", "--n", "100"],
    "plan": ["plan", EXAMPLE, "--start", "2026-12-01"],
    "sensitivity": ["sensitivity", "simulate", "--device", "dermaroller-192-1.5", "--site", "cheek",
                    "--parameters", "dimple-cv,dimple-depth-reference", "--samples", "2"],
}  # fmt: skip
PRINTED_DICT = re.compile(r"\{'|': |\['|\{\"")
BOX = re.compile(r"[┃│┏┌╭━─]")


def test_every_computing_command_has_a_view_here():
    covered = {args[0] for args in VIEWS.values()}
    assert {"sources", "sites", "devices", "compounds", "simulate", "deliver", "series", "trial", "plan"} <= covered
    assert covered <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_is_rich_and_fits_80_columns(cli, monkeypatch, name):
    monkeypatch.setenv("COLUMNS", "80")
    r = cli(*VIEWS[name])
    assert r.code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines, name
    too_wide = [ln for ln in lines if len(ln) > 80]
    assert not too_wide, too_wide[:3]
    assert BOX.search(r.stdout), f"{name}: no Rich table or panel"
    assert not PRINTED_DICT.search(r.stdout), PRINTED_DICT.search(r.stdout)


def test_the_series_view_writes_changes_shares_and_scores_with_their_units(cli, monkeypatch):
    # it printed "improved one grade or more 0.862" beside percentages and "score change pct -39.82"
    monkeypatch.setenv("COLUMNS", "100")
    r = cli(*VIEWS["series"])
    assert r.code == 0, r.stderr
    assert re.search(r"improved one grade or more\s*│\s*\d+\.\d % of patients", r.stdout), r.stdout
    assert re.search(r"collagen change\s*│\s*[+-]\d+\.\d %", r.stdout) and " pct" not in r.stdout
    assert re.search(r"score, mean \(Goodman & Baron\)\s*│\s*\d+\.\d points", r.stdout)
    assert "risk of PIH (darker patches)" in r.stdout


def test_the_trial_view_names_its_endpoints_in_full(cli, monkeypatch):
    # at 80 columns the endpoint column read "collagen_ch…" and "epidermis_c…"
    monkeypatch.setenv("COLUMNS", "80")
    r = cli(*VIEWS["trial"])
    assert r.code == 0, r.stderr
    assert "…" not in r.stdout and "_" not in r.stdout.split("┡", 1)[1], r.stdout
    words = " ".join(r.stdout.split())
    assert re.search(r"collagen\W+(?:\S+\W+){0,8}change %", words), r.stdout


def test_the_simulate_view_does_not_call_a_pass_s_entries_channels(cli, monkeypatch):
    # a pen showed "channels per cm2 782.5" above "per pass 4160.0": more per pass than in all passes
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("simulate", "--device", "dermapen4-16", "--site", "cheek")
    assert r.code == 0, r.stderr
    rows = {ln.split("│")[1].strip(): ln.split("│")[2].strip() for ln in r.stdout.splitlines() if ln.count("│") == 3}
    channels = float(rows["channels per cm2"].split()[0])
    entries = float(rows["needle entries per pass"].split()[0])
    assert entries > channels and "per pass" not in rows  # the larger number is named as entries, not channels
