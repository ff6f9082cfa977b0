"""Protocol steps, files and the short form."""

from __future__ import annotations

import pytest

from needling.errors import InputError
from needling.protocol import (
    PRP,
    Apply,
    Minoxidil,
    Needle,
    Peel,
    Subcision,
    Wait,
    parse_protocol_file,
    parse_step,
    short_protocol,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Roll 1.5 mm, 15 passes, 3 directions", Needle("roller", 1.5, 15, 3)),
        ("roll 0.5mm,4 passes", Needle("roller", 0.5, 4, 1)),
        ("Pen 1.0 mm, 4 passes", Needle("pen", 1.0, 4, 1)),
        ("Apply vitamin C 20 %", Apply("vitamin-c", 20.0)),
        ("Peel TCA 15 %", Peel("tca", 15.0)),
        ("PRP topical", PRP("topical")),
        ("PRP injected", PRP("injected")),
        ("Minoxidil 5 % twice daily", Minoxidil(5.0, 2)),
        ("Subcision", Subcision()),
        ("Wait 4 weeks", Wait(4.0)),
        ("Wait 3 days", Wait(3 / 7)),
    ],
)
def test_steps_parse(text, expected):
    assert parse_step(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Roll 1.5 mm",
        "Roll 4 mm, 15 passes",
        "Apply glitter 5 %",
        "Wait 0 days",
        "Peel TCA 150 %",
        "Laser 1550 nm",
        "Roll 1.5 mm, 0 passes",
    ],
)
def test_bad_steps_quote_the_step_and_show_valid_forms(text):
    with pytest.raises(InputError) as err:
        parse_step(text)
    assert repr(text) in str(err.value) and "Roll 1.5 mm, 15 passes" in str(err.value)


def test_short_form_and_continuous_minoxidil():
    p = short_protocol(12, 1, ["Roll 1.5 mm, 15 passes", "Minoxidil 5 % twice daily"])
    assert len(p.sessions) == 12 and p.last_week == 11
    assert p.minoxidil() == Minoxidil(5.0, 2)
    assert all(not isinstance(s, Minoxidil) for sess in p.sessions for s in sess.steps)
    with pytest.raises(InputError, match="interval_weeks"):
        short_protocol(3, 0.1, ["Roll 1.5 mm, 15 passes"])


def test_alternating_protocol_file(tmp_path):
    f = tmp_path / "gb.toml"
    f.write_text(
        '[protocol]\nname = "alt"\n[[protocol.block]]\nsessions = 6\ninterval_weeks = 4\n'
        'steps = ["Roll 1.5 mm, 15 passes"]\n[[protocol.block]]\nstart_week = 2\nsessions = 6\n'
        'interval_weeks = 4\nsteps = ["Peel TCA 15 %"]\n'
    )
    p = parse_protocol_file(f)
    assert [s.week for s in p.sessions] == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22]
    assert p.needling_sessions == 6
    f.write_text("[protocol]\n[[protocol.block]]\nsessions = 2\n")
    with pytest.raises(InputError, match="steps"):
        parse_protocol_file(f)
