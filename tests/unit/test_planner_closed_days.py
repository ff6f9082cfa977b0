"""A clinic plan never puts a session on a day the clinic is closed (the clinic passes Saturday and Sunday): such a
day moves to the next open day, the following sessions count their interval from the moved day, so no interval
shrinks and the order is kept, and the series records the day each moved session would have had."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needling.errors import InputError
from needling.planner import load_intake, make_plan
from needling.planner.plan import _schedule

WEEKEND = (5, 6)
FRIDAY = date(2026, 12, 4)
SATURDAY = date(2026, 12, 5)


def test_a_weekly_series_from_a_friday_stays_on_fridays():
    dates, moves = _schedule(FRIDAY, 6, 1, [], closed=WEEKEND)
    assert dates == [FRIDAY + timedelta(weeks=k) for k in range(6)] and moves == {}


def test_a_weekly_series_from_a_saturday_moves_to_mondays_and_keeps_its_week():
    dates, moves = _schedule(SATURDAY, 4, 1, [], closed=WEEKEND)
    monday = date(2026, 12, 7)
    assert dates == [monday + timedelta(weeks=k) for k in range(4)]
    assert moves == {monday: SATURDAY}  # only the first moved: the others follow a week after the moved day


def test_a_weekly_series_in_two_parts_from_a_friday_moves_both_days_to_monday_and_tuesday():
    dates, moves = _schedule(FRIDAY, 3, 1, [], span=2, closed=WEEKEND)  # Friday and Saturday: Saturday is closed
    monday = date(2026, 12, 7)
    assert dates == [monday, monday + timedelta(weeks=1), monday + timedelta(weeks=2)]
    assert moves == {monday: FRIDAY}


def test_without_closed_days_nothing_moves():
    dates, moves = _schedule(SATURDAY, 3, 4, [])
    assert dates == [SATURDAY + timedelta(weeks=4 * k) for k in range(3)] and moves == {}


@settings(max_examples=300, deadline=None)
@given(
    first=st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)),
    n=st.integers(1, 8),
    interval_weeks=st.sampled_from([1, 1.5, 2, 3, 4, 6]),
    span=st.integers(1, 3),
    blackout=st.one_of(st.none(), st.tuples(st.integers(0, 60), st.integers(2, 30))),
)
def test_no_session_day_falls_on_a_weekend_the_order_is_kept_and_no_interval_shrinks(
    first, n, interval_weeks, span, blackout
):
    blackouts = [] if blackout is None else [(first + timedelta(days=blackout[0]), first + timedelta(sum(blackout)))]
    dates, moves = _schedule(first, n, interval_weeks, blackouts, span=span, closed=WEEKEND)
    plain, _ = _schedule(first, n, interval_weeks, blackouts, span=span)
    step = timedelta(days=round(7 * interval_weeks))
    assert len(dates) == n
    assert all((d + timedelta(days=j)).weekday() < 5 for d in dates for j in range(span))
    assert all(b - a >= step for a, b in itertools.pairwise(dates))  # sorted, interval kept
    assert all(d >= p for d, p in zip(dates, plain, strict=True))  # never earlier than without the rule
    for d, was in moves.items():  # a moved day had one of its days on a weekend
        assert was < d and any((was + timedelta(days=j)).weekday() >= 5 for j in range(span))


def test_a_clinic_plan_starting_on_a_saturday_says_where_its_first_session_moved():
    data = {
        "patient": {"age": 35, "sex": "female", "fitzpatrick": 2},
        "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
    }
    plan = make_plan(load_intake(data), start=SATURDAY, n_virtual=20, closed_weekdays=WEEKEND)
    days = [date.fromisoformat(d) for d in plan.series.dates]
    assert all(d.weekday() < 5 for d in days) and days[0] == date(2026, 12, 7)
    assert plan.series.moved_from == {"2026-12-07": "2026-12-05"}
    assert plan.regions[0].series.moved_from == {"2026-12-07": "2026-12-05"}
    assert plan.regions[0].deferred_until is None  # a weekend is not a deferral
    every_day = make_plan(load_intake(data), start=SATURDAY, n_virtual=20)
    assert every_day.series.dates[0] == "2026-12-05" and every_day.series.moved_from is None
    assert "moved_from" not in str(every_day.to_json())  # the command line's document is unchanged
    with pytest.raises(InputError, match="closed_weekdays"):
        make_plan(load_intake(data), start=SATURDAY, n_virtual=20, closed_weekdays=range(7))
