"""The series and trial commands: JSON keys, figures, bad input."""

from __future__ import annotations

import pytest

from tests.conftest import assert_one_line_error

STEP = "Roll 1.5 mm, 15 passes, 3 directions"


def test_series_json_keys(cli, tmp_path):
    fig = tmp_path / "s.png"
    r = cli(
        "series",
        "--indication",
        "acne-scars",
        "--grade",
        "3",
        "--site",
        "cheek",
        "--sessions",
        "6",
        "--interval-weeks",
        "4",
        "--step",
        STEP,
        "--follow-up-weeks",
        "12",
        "--n",
        "300",
        "--json",
        "--figure",
        str(fig),
    )
    assert r.code == 0, r.stderr
    doc = r.json()
    assert {"timeline", "final", "adverse_events", "sources"} <= set(doc)
    assert len(doc["timeline"]) == 20 + 12 + 1  # weeks 0..32
    assert {"week", "collagen_rel", "grade_mean", "score_mean"} <= set(doc["timeline"][0])
    assert {"grade_mean", "grade_distribution", "collagen_change_pct"} <= set(doc["final"])
    assert set(doc["adverse_events"]) == {"pih", "tram_track", "prolonged_erythema"}
    assert abs(sum(doc["final"]["grade_distribution"].values()) - 1) < 1e-3
    assert fig.read_bytes()[:4] == b"\x89PNG"


def test_series_with_protocol_file_and_human_view(cli, tmp_path):
    f = tmp_path / "p.toml"
    f.write_text(
        "[protocol]\n[[protocol.block]]\nsessions = 12\ninterval_weeks = 1\n"
        'steps = ["Roll 1.5 mm, 15 passes"]\n[protocol.continuous]\nsteps = ["Minoxidil 5 % twice daily"]\n'
    )
    r = cli("series", "--indication", "androgenetic-alopecia", "--site", "scalp", "--protocol", str(f))
    assert r.code == 0 and "hair count change, mean" in r.stdout


def test_trial_json_and_figure(cli, tmp_path):
    from needling.cohort import trial as T

    path = T.__file__.replace("trial.py", "trials/dogra-2014.toml")
    fig = tmp_path / "t.svg"
    r = cli("trial", path, "--n", "200", "--json", "--figure", str(fig))
    assert r.code == 0, r.stderr
    arm = r.json()["arms"][0]
    assert {"name", "n", "endpoints"} <= set(arm)
    e = arm["endpoints"]["score_change_pct"]
    assert e["ci95"][0] <= e["mean"] <= e["ci95"][1]
    assert "Dogra2014" in r.json()["sources"]
    assert cli("trial", path, "--n", "100").code == 0


@pytest.mark.parametrize(
    "args, needle",
    [
        (
            ["--indication", "acne", "--site", "cheek", "--sessions", "3", "--interval-weeks", "4", "--step", STEP],
            "acne-scars",
        ),
        (
            [
                "--indication",
                "acne-scars",
                "--site",
                "cheek",
                "--sessions",
                "3",
                "--interval-weeks",
                "4",
                "--step",
                "Roll fast",
            ],
            "Roll fast",
        ),
        (
            [
                "--indication",
                "acne-scars",
                "--grade",
                "5",
                "--site",
                "cheek",
                "--sessions",
                "3",
                "--interval-weeks",
                "4",
                "--step",
                STEP,
            ],
            "grade",
        ),
        (
            [
                "--indication",
                "acne-scars",
                "--site",
                "cheek",
                "--sessions",
                "3",
                "--interval-weeks",
                "0.1",
                "--step",
                STEP,
            ],
            "interval_weeks",
        ),
        (["--indication", "acne-scars", "--site", "cheek"], "--protocol"),
    ],
)
def test_series_bad_input(cli, args, needle):
    assert_one_line_error(cli("series", *args), needle)


def test_trial_missing_field_is_one_line(cli, tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text(
        '[trial]\nname = "x"\nindication = "acne-scars"\nsite = "cheek"\nfollow_up_weeks = 4\n'
        '[[trial.endpoint]]\nname = "grade_mean"\n'
    )
    assert_one_line_error(cli("trial", str(f)), "arm")
    f.write_text('[trial]\nname = "x"\nsite = "cheek"\n')
    assert_one_line_error(cli("trial", str(f)), "indication")
