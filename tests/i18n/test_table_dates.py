"""Dates in page tables through Babel's locale formats: short, in words, never an ISO date in Swedish."""

from __future__ import annotations

import re
from datetime import date, datetime

from needling.errors import InputError
from needling.i18n import N_, date_time, reason, table_date


def test_table_dates_in_both_languages():
    assert table_date(date(2026, 12, 1), "sv") == "1 dec. 2026"
    assert table_date("2026-12-01", "en") == "Dec 1, 2026"
    assert table_date(datetime(2026, 3, 4, 10, 30), "sv") == "4 mars 2026"
    assert table_date(None, "sv") == ""
    assert not re.search(r"\d{4}-\d{2}-\d{2}", table_date(date(2026, 1, 9), "sv"))


def test_date_times_and_refusal_params_are_in_words_in_both_languages():
    at = datetime(2026, 12, 1, 14, 30)
    assert date_time(at, "sv") == "1 dec. 2026 14:30" and date_time(at, "en") == "Dec 1, 2026, 14:30"
    assert date_time(None, "sv") == ""
    refused = InputError(
        "starts_at: 2026-12-01 14:30 is in the past; valid: today or later",
        "starts_at",
        msgid=N_("The time %(start)s has passed. Choose today or a later day."),
        params={"start": at},
    )
    assert reason(refused, "sv") == "Tiden 1 dec. 2026 14:30 har redan varit. Välj i dag eller en senare dag."
    assert reason(InputError("plain English"), "sv") == "plain English"  # no msgid: the message as it is
    assert str(refused).startswith("starts_at: 2026-12-01")  # the API and the CLI keep the English line
