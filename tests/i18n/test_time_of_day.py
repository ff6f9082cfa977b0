"""One time-of-day form in both languages: "09:05" (24-hour clock, two-digit hour, colon), never "9.05" or "9:05 AM"."""

from __future__ import annotations

import re
from datetime import datetime, time

import pytest

from needling.errors import InputError
from needling.i18n import N_, date_time, reason, time_of_day, time_range

MORNING = datetime(2026, 12, 1, 9, 5, 41)  # the seconds are never written
AFTERNOON = datetime(2026, 12, 1, 14, 30)


@pytest.mark.parametrize("lang", ["en", "sv", "de"])  # an unknown language gets English's form
def test_a_time_of_day_is_hours_colon_minutes_on_a_24_hour_clock(lang):
    assert time_of_day(MORNING, lang) == "09:05"
    assert time_of_day(AFTERNOON, lang) == "14:30"  # not "2:30 PM", English's CLDR default
    assert time_of_day(time(0, 0), lang) == "00:00"
    assert time_of_day("14:30", lang) == "14:30"  # what a time field sends
    assert time_of_day("2026-12-01T09:05:41", lang) == "09:05"
    assert time_of_day(None, lang) == ""


def test_a_range_is_two_times_joined_by_an_en_dash_without_spaces():
    for lang in ("en", "sv"):
        assert time_range(MORNING, AFTERNOON, lang) == "09:05\N{EN DASH}14:30"
        assert time_range(MORNING, None, lang) == "09:05"


def test_date_time_joins_the_date_and_the_same_time_as_the_locale_joins_them():
    assert date_time(MORNING, "sv") == "1 dec. 2026 09:05"
    assert date_time(MORNING, "en") == "Dec 1, 2026, 09:05"


def test_a_time_among_a_refusals_params_is_written_in_the_same_form():
    refused = InputError(
        "starts_at: Room 1 is already booked 2026-12-01 09:05-14:30; valid: a time when both are free",
        "starts_at",
        msgid=N_(
            "%(who)s is already booked %(start)s to %(end)s. Choose a time when both the clinician and the room "
            "are free."
        ),
        params={"who": "Room 1", "start": MORNING, "end": AFTERNOON.time()},
    )
    assert "är redan bokad 1 dec. 2026 09:05 till 14:30." in reason(refused, "sv")
    assert "is already booked Dec 1, 2026, 09:05 to 14:30." in reason(refused, "en")


def test_no_template_writes_a_time_of_its_own():
    from pathlib import Path

    import needling

    root = Path(needling.__file__).parent
    templates = [*root.glob("**/templates/*.html"), *root.glob("**/templates/*.j2")]
    assert templates
    own = [p.name for p in templates if re.search(r"strftime|%H|%M", p.read_text(encoding="utf-8"))]
    assert own == [], f"{own}: write a time with the time_of_day or time_range filter"
