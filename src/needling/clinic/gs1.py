"""A lot's GS1 barcode as a scanner types it: GTIN (AI 01), expiry (AI 17) and lot number (AI 10).

A barcode scanner set up as a keyboard types the GS1 element string of a GS1-128 or GS1 DataMatrix
symbol: the application identifiers (AIs) and their values run together, with the group separator
(ASCII 29, ``FNC1``) after a variable-length value, and sometimes the symbology identifier first
(``]C1``, ``]d2``, ``]Q3``, ``]e0``). People also copy the human-readable form with parentheses,
``(01)09506000134352(17)261231(10)A1``. Both are parsed by the GS1 library biip; the GTIN's check
digit is verified (the GS1 mod-10 check digit).

References
----------
GS1 General Specifications (GS1): application identifiers 01, 10 and 17, FNC1, the GTIN check digit.
biip, a Python GS1 and barcode parser: https://biip.readthedocs.io/
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from biip import ParseError
from biip.gs1_messages import GS1Message

from needling.errors import N_, InputError

GS = "\x1d"
"""The group separator a scanner types for FNC1 after a variable-length value."""
SYMBOLOGY_PREFIXES = ("]C1", "]d2", "]Q3", "]e0", "]J1")
"""Symbology identifiers of GS1 symbols a scanner may type before the element string."""
MAX_LENGTH = 200
VALID = (
    "valid: a GS1 element string with (01) GTIN, (17) expiry YYMMDD and (10) lot, "
    "e.g. (01)09506000134352(17)261231(10)A1"
)

#: What a page says when the text is not a lot's GS1 barcode.
NOT_GS1 = N_("This is not a lot's GS1 barcode. Scan it again, or type it as (01)09506000134352(17)261231(10)A1.")
EXPIRY_NOT_A_DATE = N_("The barcode's expiry date is not a date. Scan the barcode again.")


@dataclass(frozen=True)
class ScannedLot:
    """What a lot's GS1 barcode says: GTIN (14 digits), expiry date and lot number."""

    gtin: str
    expiry: date
    lot_number: str


def parse_gs1(text: str, today: date | None = None, field: str = "gs1") -> ScannedLot:
    """Parse the element string a scanner typed into the lot it names.

    Parameters
    ----------
    text
        The element string: AIs and values run together with GS (ASCII 29) separators, optionally after
        a symbology identifier, or the human-readable form with parentheses.
    today
        With a date, a lot that expired before it is refused (it cannot be registered).
    field
        The form field named in the error.

    Returns
    -------
    ScannedLot
        The GTIN, expiry (AI 17; a day of ``00`` is the month's last day) and lot number (AI 10).

    Raises
    ------
    InputError
        One line: the string is not GS1, a GTIN check digit is wrong, an AI is missing, or the lot expired.
    """
    raw = (text or "").strip()
    if not raw:
        raise InputError(
            f"{field}: empty; {VALID}",
            field=field,
            msgid=N_("Scan the lot's barcode, or type it as (01)09506000134352(17)261231(10)A1."),
        )
    if len(raw) > MAX_LENGTH:
        raise InputError(
            f"{field}: longer than {MAX_LENGTH} characters; {VALID}",
            field=field,
            msgid=N_("The barcode text is longer than %(high)s characters. Scan the barcode again."),
            params={"high": MAX_LENGTH},
        )
    if raw.startswith(SYMBOLOGY_PREFIXES):
        raw = raw[3:]
    shown = raw.replace(GS, "<GS>")[:60]
    try:
        message = GS1Message.parse_hri(raw) if raw.startswith("(") else GS1Message.parse(raw)
    except ParseError:
        raise InputError(
            f"{field}: {shown!r} is not a GS1 element string; {VALID}", field=field, msgid=NOT_GS1
        ) from None
    found = {e.ai.ai: e for e in message.element_strings}
    missing = [f"({ai}) {what}" for ai, what in (("01", "GTIN"), ("17", "expiry"), ("10", "lot")) if ai not in found]
    if missing:
        raise InputError(
            f"{field}: {shown!r} has no {', '.join(missing)}; {VALID}",
            field=field,
            msgid=N_(
                "The barcode lacks the GTIN (01), the expiry date (17) or the lot number (10). "
                "Scan a barcode that has all three."
            ),
        )
    gtin = found["01"]
    if gtin.gtin is None or gtin.gtin_error:
        raise InputError(
            f"{field}: GTIN {gtin.value} has a wrong check digit; valid: a GTIN ending in its GS1 check digit",
            field=field,
            msgid=N_("The check digit of GTIN %(gtin)s is wrong. Scan the barcode again."),
            params={"gtin": gtin.value},
        )
    expiry = found["17"].date
    if expiry is None:  # biip gives every valid AI 17 a date; kept for the type checker
        raise InputError(
            f"{field}: expiry {found['17'].value} is not a date; {VALID}", field=field, msgid=EXPIRY_NOT_A_DATE
        )
    if today is not None and expiry < today:
        raise InputError(
            f"{field}: lot {found['10'].value} expired on {expiry.isoformat()}; valid: a lot not yet expired",
            field=field,
            msgid=N_("Lot %(lot)s expired on %(date)s. Use another lot."),
            params={"lot": found["10"].value, "date": expiry},
        )
    return ScannedLot(gtin=gtin.value, expiry=expiry, lot_number=found["10"].value)
