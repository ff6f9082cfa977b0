"""The transport commands: compounds, deliver, simulate with a topical anaesthetic, bad input."""

from __future__ import annotations

import pytest

from tests.conftest import assert_one_line_error

REQUIRED = [
    "l-ascorbic-acid",
    "minoxidil",
    "lidocaine",
    "prilocaine",
    "lidocaine-prilocaine",
    "hyaluronic-acid-lmw",
    "hyaluronic-acid-hmw",
    "tranexamic-acid",
    "caffeine",
    "tca",
]


def test_compound_catalogue(cli, tmp_path):
    names = [c["name"] for c in cli("compounds", "list", "--json").json()]
    assert names == REQUIRED
    tca = cli("compounds", "show", "tca", "--json").json()
    assert tca["mechanism"] == "coagulation"
    f = tmp_path / "niacinamide.toml"
    f.write_text(
        '[compound]\nname = "my-serum"\nmw = 122.12\nlog_kow = -0.37\nsolubility_g_l = 50\nconcentration_g_l = 50\n'
    )
    assert cli("compounds", "show", str(f), "--json").json()["mw"] == 122.12
    assert cli("compounds", "list").code == 0


def test_deliver_json_keys(cli, tmp_path):
    fig = tmp_path / "d.svg"
    r = cli(
        "deliver",
        "--compound",
        "l-ascorbic-acid",
        "--device",
        "dermaroller-192-1.5",
        "--site",
        "cheek",
        "--passes",
        "15",
        "--hours",
        "6",
        "--json",
        "--figure",
        str(fig),
    )
    assert r.code == 0, r.stderr
    doc = r.json()
    for key in (
        "enhancement_ratio",
        "cumulative_ug_per_cm2",
        "intact_cumulative_ug_per_cm2",
        "channel_half_life_h",
        "flux_ug_per_cm2_h",
        "sources",
    ):
        assert key in doc
    assert set(doc["flux_ug_per_cm2_h"]) == {"t_h", "value"}
    assert len(doc["flux_ug_per_cm2_h"]["t_h"]) == len(doc["flux_ug_per_cm2_h"]["value"]) > 10
    assert doc["enhancement_ratio"] >= 1 and "PottsGuy1992" in doc["sources"]
    assert fig.read_text().lstrip().startswith("<?xml")


def test_deliver_human_view_finite_dose_occluded_reduced(cli):
    r = cli(
        "deliver",
        "--compound",
        "minoxidil",
        "--device",
        "dermaroller-192-0.5",
        "--site",
        "scalp",
        "--dose-mg-cm2",
        "2",
        "--occluded",
        "--model",
        "reduced",
        "--hours",
        "8",
    )
    assert r.code == 0 and "enhancement" in r.stdout


def test_simulate_with_anaesthetic_lowers_vas(cli):
    base = ["simulate", "--device", "dermaroller-192-1.5", "--site", "cheek", "--passes", "15", "--json"]
    plain = cli(*base).json()["pain"]["vas"]
    cream = cli(*base, "--anaesthetic", "lidocaine-prilocaine", "--anaesthetic-minutes", "45").json()
    pre = cli(
        *base, "--anaesthetic", "lidocaine-prilocaine", "--anaesthetic-minutes", "45", "--pre-needle-mm", "0.5"
    ).json()
    assert pre["pain"]["vas"] < cream["pain"]["vas"] < plain
    assert cream["anaesthesia"]["pain_multiplier"] < 1


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--compound", "vitamin-c"], "l-ascorbic-acid"),
        (["--compound", "caffeine", "--dose-mg-cm2", "-1"], "dose_mg_cm2"),
        (["--compound", "caffeine", "--ph", "15"], "ph"),
        (["--compound", "caffeine", "--ph", "-0.5"], "ph"),
        (["--compound", "caffeine", "--hours", "0"], "hours"),
        (["--compound", "caffeine", "--hours", "-3"], "hours"),
        (["--compound", "caffeine", "--dose", "lots"], "--dose"),
        (["--compound", "tca"], "coagulation"),
        (["--compound", "caffeine", "--age", "-4"], "age_years"),
        (["--compound", "caffeine", "--age", "400"], "age_years"),
        (["--compound", "caffeine", "--sex", "other"], "sex"),
    ],
)
def test_bad_input_is_one_line(cli, args, needle):
    r = cli("deliver", "--device", "dermaroller-192-1.5", "--site", "cheek", *args)
    assert_one_line_error(r, needle)


def test_bad_anaesthetic_is_one_line(cli):
    r = cli("simulate", "--device", "dermaroller-192-1.5", "--site", "cheek", "--anaesthetic", "caffeine")
    assert_one_line_error(r, "lidocaine-prilocaine")


def test_age_lengthens_closure_and_sex_does_not(cli):
    """Kelchen 2016: channels close slower in the elderly; no closure study reports an effect of sex."""
    base = ["deliver", "--compound", "caffeine", "--device", "dermaroller-192-1.0", "--site", "cheek"]
    base += ["--model", "reduced", "--hours", "2", "--json"]
    young, old = cli(*base, "--age", "30").json(), cli(*base, "--age", "80").json()
    assert old["channel_half_life_h"] > young["channel_half_life_h"]
    female, male = cli(*base, "--sex", "female").json(), cli(*base, "--sex", "male").json()
    assert female["channel_half_life_h"] == male["channel_half_life_h"]
