"""Swedish personal identity numbers (personnummer and samordningsnummer): parsed, checked, normalised.

A personnummer is the date of birth (YYMMDD), a three-digit birth number and a check digit computed
with the Luhn algorithm over the ten digits; a ``+`` instead of ``-`` marks a person aged 100 or more.
A samordningsnummer (co-ordination number) is built the same way with 60 added to the day. The clinic
stores the twelve-digit form ``YYYYMMDDNNNC``, only when one is given.

References
----------
Skatteverket, "Personnummer" (SKV 704, edition 8) and "Samordningsnummer" (SKV 707): structure,
century sign and check digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from needling.errors import N_, InputError

_FORM = re.compile(r"^(\d{2})?(\d{6})([-+]?)(\d{4})$")
VALID = "valid: YYYYMMDD-NNNN or YYMMDD-NNNN with a true date and a correct check digit"
COORDINATION_DAY_OFFSET = 60
"""Added to the day of birth in a samordningsnummer (Skatteverket, SKV 707)."""


@dataclass(frozen=True)
class Personnummer:
    """A checked number: ``digits`` is the twelve-digit stored form, ``birth_date`` the date it encodes."""

    digits: str
    birth_date: date
    coordination: bool

    def display(self) -> str:
        """The number as people write it: ``YYYYMMDD-NNNN``."""
        return f"{self.digits[:8]}-{self.digits[8:]}"


def luhn_ok(ten_digits: str) -> bool:
    """Whether the last of ten digits is the Luhn check digit of the first nine (weights 2, 1, 2, ...)."""
    total = 0
    for i, ch in enumerate(ten_digits[:9]):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10 == int(ten_digits[9])


def looks_like_personnummer(text: str) -> bool:
    """Whether ``text`` has the shape of a personnummer (ten or twelve digits, optional - or +)."""
    return _FORM.match(text.strip().replace(" ", "")) is not None


def parse_personnummer(text: str, today: date | None = None, field: str = "personnummer") -> Personnummer:
    """Check a personnummer or samordningsnummer and give its stored form and date of birth.

    Parameters
    ----------
    text : str
        As typed: ``YYYYMMDD-NNNN``, ``YYYYMMDDNNNN``, ``YYMMDD-NNNN``, ``YYMMDDNNNN`` or ``YYMMDD+NNNN``
        (aged 100 or more). Spaces are ignored.
    today : date, optional
        The date that decides the century of a ten-digit number (default: today).
    field : str
        The field named in an error.

    Returns
    -------
    Personnummer
        Twelve-digit form, date of birth, whether it is a samordningsnummer.

    Raises
    ------
    InputError
        One line naming what is wrong (form, date or check digit) and what is valid.
    """
    today = today or date.today()
    m = _FORM.match(text.strip().replace(" ", ""))
    if m is None:
        raise InputError(
            f"{field}: not a personnummer; {VALID}",
            field=field,
            msgid=N_("This is not a personnummer. Write it as YYYYMMDD-NNNN or YYMMDD-NNNN."),
        )
    century, yymmdd, sign, tail = m.groups()
    if century is not None and sign == "+":
        raise InputError(
            f"{field}: '+' belongs only to the ten-digit form; {VALID}",
            field=field,
            msgid=N_("Use '+' only in the ten-digit form YYMMDD+NNNN, for a person aged 100 or more."),
        )
    if not luhn_ok(yymmdd + tail):
        raise InputError(
            f"{field}: the check digit is wrong (Luhn); {VALID}",
            field=field,
            msgid=N_("The check digit of the personnummer is wrong. Check the number."),
        )
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    coordination = day > COORDINATION_DAY_OFFSET
    if coordination:
        day -= COORDINATION_DAY_OFFSET
    if century is not None:
        year = int(century) * 100 + yy
    else:
        year = (today.year // 100) * 100 + yy
        if year > today.year:
            year -= 100
        if sign == "+":
            year -= 100
    try:
        born = date(year, month, day)
    except ValueError:
        raise InputError(
            f"{field}: {year:04d}-{month:02d}-{day:02d} is not a date; {VALID}",
            field=field,
            msgid=N_("The personnummer does not begin with a real date. Check the number."),
        ) from None
    if born > today:
        raise InputError(
            f"{field}: the date of birth {born.isoformat()} is in the future; {VALID}",
            field=field,
            msgid=N_("The personnummer gives a date of birth in the future (%(date)s). Check the number."),
            params={"date": born},
        )
    return Personnummer(f"{year:04d}{yymmdd[2:]}{tail}", born, coordination)
