"""Swedish personnummer: the forms people type, the Luhn check digit, the date, the century."""

from __future__ import annotations

from datetime import date

import pytest

from needling.clinic.personnummer import luhn_ok, parse_personnummer
from needling.errors import InputError

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("typed", ["19121212-1212", "191212121212", "19121212 1212", "121212+1212"])
def test_each_written_form_gives_the_same_number_and_birth_date(typed):
    pnr = parse_personnummer(typed, TODAY)
    assert pnr.digits == "191212121212"
    assert pnr.birth_date == date(1912, 12, 12)
    assert pnr.display() == "19121212-1212"
    assert not pnr.coordination


def test_ten_digits_take_the_latest_century_not_in_the_future_and_plus_means_a_century_more():
    assert parse_personnummer("811228-9874", TODAY).birth_date == date(1981, 12, 28)
    assert parse_personnummer("811228+9874", TODAY).birth_date == date(1881, 12, 28)
    assert parse_personnummer("201212-1212", TODAY).birth_date == date(2020, 12, 12)
    assert parse_personnummer("1212121212", TODAY).birth_date == date(2012, 12, 12)


def test_a_samordningsnummer_has_sixty_added_to_the_day():
    pnr = parse_personnummer("701063-2391", TODAY)
    assert pnr.coordination and pnr.birth_date == date(1970, 10, 3) and pnr.digits == "197010632391"


def test_luhn_check_digit():
    assert luhn_ok("8112289874")
    assert not luhn_ok("8112289875")


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("19121212-1213", "check digit"),  # one digit off
        ("811228-9875", "check digit"),
        ("19810230-1234", "not a date"),  # 30 February, Luhn correct
        ("abc", "not a personnummer"),
        ("12345", "not a personnummer"),
        ("19121212+1212", "ten-digit form"),
        ("20991212-1218", "future"),
    ],
)
def test_wrong_numbers_are_refused_in_one_line_naming_what_is_valid(typed, reason):
    with pytest.raises(InputError) as err:
        parse_personnummer(typed, TODAY)
    message = str(err.value)
    assert reason in message and "valid: YYYYMMDD-NNNN" in message and "\n" not in message
    assert err.value.field == "personnummer"
