"""Dates in page tables through Babel's locale formats: short, in words, never an ISO date in Swedish."""

from __future__ import annotations

import re
from datetime import date, datetime

from needling.i18n import table_date


def test_table_dates_in_both_languages():
    assert table_date(date(2026, 12, 1), "sv") == "1 dec. 2026"
    assert table_date("2026-12-01", "en") == "Dec 1, 2026"
    assert table_date(datetime(2026, 3, 4, 10, 30), "sv") == "4 mars 2026"
    assert table_date(None, "sv") == ""
    assert not re.search(r"\d{4}-\d{2}-\d{2}", table_date(date(2026, 1, 9), "sv"))
