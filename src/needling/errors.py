"""Errors a user can cause and must see as one clear line.

Anything raised as :class:`InputError` is printed by the CLI as ``error: <message>`` on stderr with
exit code 2, and answered by the API as 422 with the field named. The message says what is wrong
and what is valid.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping


def N_(message: str) -> str:  # noqa: N802 (the name gettext tools know; this layer sits below needling.i18n)
    """Mark ``message`` for the catalogues and return it unchanged."""
    return message


class Words(str):
    """A refusal's param that is itself a msgid (marked with ``N_``), such as a field's label: a page shows it
    translated (:func:`needling.i18n.reason`), the English line keeps it as written."""

    __slots__ = ()


class InputError(ValueError):
    """Bad input from a user: the message names what is wrong and what is valid.

    Parameters
    ----------
    message : str
        One line: what is wrong and what is valid.
    field : str, optional
        The name of the offending field (``--needle-length-mm``, ``patient.age``), if known.
    msgid : str, optional
        The same reason for a person reading a page, as a gettext msgid (marked with ``N_``) with ``%(name)s``
        placeholders; pages show it in their language (:func:`needling.i18n.reason`), the API and the CLI keep
        ``message``.
    params : dict, optional
        The values of the msgid's placeholders.
    """

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        msgid: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.msgid = msgid
        self.params = dict(params or {})


def unknown_name_error(
    kind: str, name: str, valid: Iterable[str], field: str | None = None, msgid: str | None = None
) -> InputError:
    """Build the error for an unknown identifier, suggesting the nearest valid names.

    Parameters
    ----------
    kind : str
        What was looked up ("device", "site", "compound").
    name : str
        What the user gave.
    valid : iterable of str
        Every valid name.
    field : str, optional
        The field the name came from.
    msgid : str, optional
        The reason a page shows instead (marked with ``N_``), such as "Choose a device from the list."
    """
    valid = sorted(valid)
    near = difflib.get_close_matches(name, valid, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    return InputError(f"unknown {kind} {name!r}{hint} valid: {', '.join(valid)}", field=field, msgid=msgid)


def check_range(
    name: str,
    value: float,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    unit: str = "",
    msgid: str | None = None,
) -> float:
    """Return ``value`` if it lies in the range, else raise :class:`InputError` naming the range.

    ``msgid`` (marked with ``N_``) is the reason a page shows instead, with the placeholders ``%(low)s`` and
    ``%(high)s`` (written with the page's decimal sign).
    """
    ok = True
    if low is not None:
        ok &= value >= low if low_inclusive else value > low
    if high is not None:
        ok &= value <= high if high_inclusive else value < high
    if value != value:  # NaN
        ok = False
    if not ok:
        lo = "" if low is None else f"{'>=' if low_inclusive else '>'} {low:g}"
        hi = "" if high is None else f"{'<=' if high_inclusive else '<'} {high:g}"
        rng = " and ".join(part for part in (lo, hi) if part)
        u = f" {unit}" if unit else ""
        params = {"low": "" if low is None else low, "high": "" if high is None else high}  # a page writes them
        raise InputError(
            f"{name} = {value:g}{u} is out of range; valid: {rng}{u}", field=name, msgid=msgid, params=params
        )
    return value


def check_text(name: str, value: str, *, max_length: int, min_length: int = 0) -> str:
    """Return ``value`` if a database can store it (length in range, no NUL, no lone surrogate).

    Parameters
    ----------
    name : str
        The field, for the message.
    value : str
        The text.
    max_length, min_length : int
        Bounds in characters.
    """
    if not min_length <= len(value) <= max_length:
        raise InputError(
            f"{name} has {len(value)} characters; valid: {min_length} to {max_length}",
            field=name,
            msgid=N_("The text has %(count)s characters. Write from %(low)s to %(high)s characters."),
            params={"count": len(value), "low": min_length, "high": max_length},
        )
    unreadable = N_("The text contains characters that cannot be saved. Write ordinary text.")
    if "\x00" in value:
        raise InputError(f"{name} contains a NUL character; valid: printable text", field=name, msgid=unreadable)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            f"{name} is not valid Unicode (a lone surrogate); valid: printable text", field=name, msgid=unreadable
        ) from None
    return value
