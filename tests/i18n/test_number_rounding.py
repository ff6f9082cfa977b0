"""One rounding for every number a person reads: a half goes away from zero, as on paper.

``needling.i18n.number`` is the implementation; the clinic's ``number`` filter (``pages.number``) and the plan
report's ``num`` are thin uses of it, so a page and the report print the same digits for the same value.
"""

from __future__ import annotations

import pytest

from needling.clinic.pages import number as page_number
from needling.i18n import number
from needling.report.plan_report import num

HALVES = [  # value, decimals, English, Swedish
    (0.25, 1, "0.3", "0,3"),  # Babel's half to even gave 0.2
    (2.5, 0, "3", "3"),  # Python's round(2.5) is 2
    (3.5, 0, "4", "4"),
    (-2.5, 0, "-3", "-3"),
    (0.125, 2, "0.13", "0,13"),
    (0.35, 1, "0.4", "0,4"),  # stored as 0.34999..., written 0.35: f"{0.35:.1f}" gave 0.3
    (2.675, 2, "2.68", "2,68"),  # stored as 2.67499...
    (1.005, 2, "1.01", "1,01"),
    (1.45, 1, "1.5", "1,5"),
    (0.24, 1, "0.2", "0,2"),  # below the half: down
]


@pytest.mark.parametrize(("value", "digits", "en", "sv"), HALVES)
def test_a_half_is_rounded_away_from_zero_by_every_formatter(value, digits, en, sv):
    for lang, expected in (("en", en), ("sv", sv)):
        shown = {number(value, lang, digits), page_number(value, lang, digits), num(value, digits, lang)}
        assert {s.replace("\N{MINUS SIGN}", "-") for s in shown} == {expected}, (value, digits, lang, shown)


def test_without_decimals_given_a_page_shows_four_significant_digits_and_whole_numbers_whole():
    assert page_number(0.000123, "en") == "0.000123"  # no exponent
    assert page_number(123.45, "en") == "123.5"  # the half again away from zero
    assert page_number(12.345, "sv") == "12,35"
    assert page_number(12345.5, "en") == "12,346"
    assert page_number(12345.5, "sv") == "12\N{NO-BREAK SPACE}346"
    assert page_number(-0.04, "en", 1) == "0"  # never "-0"
    assert page_number(None, "en") == "" and page_number("n/a", "en") == "n/a" and page_number(True, "en") == "True"


def test_counts_said_in_words_round_a_half_up_too():
    from needling.clinic.consent_text import frequency_phrase, natural_frequency
    from needling.i18n import whole
    from needling.planner.plan_model import Risks
    from needling.report.plain_words import risk_lines

    assert [whole(x) for x in (12.5, 2.5, 0.5, 2.4999, -2.5)] == [13, 3, 1, 2, -3]  # round() gives 12, 2, 0
    assert natural_frequency(0.125) == (13, 100)  # the consent form
    assert frequency_phrase(0.125, "sv") == "ungefär 13 av 100 personer"
    assert frequency_phrase(0.0001, "sv") == "färre än 1 av 1\N{NO-BREAK SPACE}000 personer"
    lines = risk_lines(Risks(pih=0.125, tram_track=0.025, prolonged_erythema=0.005), "en")  # the patient's plan
    assert lines[:2] == ["about 13 get darker patches", "about 3 get track-like marks"], lines
