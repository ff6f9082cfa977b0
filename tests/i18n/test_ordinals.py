"""Ordinals in figures from one function: Swedish ":a" after a number ending in 1 or 2 except 11 and 12, else
":e"; English "st", "nd", "rd", "th" (both from the locale's ordinal rule in Babel's CLDR data)."""

from __future__ import annotations

import pytest

from needling.i18n import how_often, ordinal

SWEDISH = {
    **dict.fromkeys((1, 2, 21, 22, 31, 32, 101, 102, 1001), ":a"),
    **dict.fromkeys((3, 4, 10, 11, 12, 13, 20, 23, 100, 111, 112, 113), ":e"),
}
ENGLISH = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd"}
ENGLISH |= {23: "23rd", 101: "101st", 111: "111th", 112: "112th", 113: "113th"}


@pytest.mark.parametrize(("n", "ending"), sorted(SWEDISH.items()))
def test_swedish_ordinal(n, ending):
    assert ordinal(n, "sv") == f"{n}{ending}"


@pytest.mark.parametrize(("n", "written"), sorted(ENGLISH.items()))
def test_english_ordinal(n, written):
    assert ordinal(n, "en") == written


def test_how_often_says_every_nth_day_or_week_with_the_ordinal():
    assert how_often(10, "sv") == "en gång var 10:e dag" and how_often(10, "en") == "once every 10th day"
    assert how_often(21, "sv") == "en gång var 3:e vecka" and how_often(21, "en") == "once every 3rd week"
    assert how_often(22, "sv") == "en gång var 22:a dag"  # the old translation wrote "var 22:e dag"
    assert how_often(11, "sv") == "en gång var 11:e dag"
    assert how_often(147, "sv") == "en gång var 21:a vecka"
    assert how_often(14, "sv") == "varannan vecka" and how_often(2, "en") == "every other day"
