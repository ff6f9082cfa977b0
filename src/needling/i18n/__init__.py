"""One translation system for every text a person reads: gettext catalogues (``.po``) read with Babel.

The English text is the message id; ``locale/<lang>/LC_MESSAGES/needling.po`` holds each language's
translation. ``make messages`` extracts the ids from the Python sources and the Jinja templates and merges
them into the catalogues; installing compiles them to ``.mo``. When a ``.mo`` is missing or older than its
``.po`` (a plain ``pip install``, or a catalogue just edited), the ``.po`` is read directly.

In Python, mark a text with :func:`translate` (or :func:`translate_plural`) and the reader's language::

    translate(lang, "Session recorded.")
    translate(lang, "Lot %(lot)s registered.", lot=number)
    translate_plural(lang, "%(num)d session ended.", "%(num)d sessions ended.", n)

A text that is defined in one place and translated later (rule tables, choices) is marked with :func:`N_`.
A text that reads differently in another place has a context: ``NP_(context, message)`` marks it and
:func:`translate_in_context` translates it.

In a template, ``{{ _("Save") }}``, ``{% trans name=x %}Hello {{ name }}{% endtrans %}`` and
``{{ ngettext("%(num)d week", "%(num)d weeks", n) }}`` use the language of the template's ``lang``
variable, so one environment serves every request and thread (see :func:`install`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton, get_datetime_format
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from needling.errors import Words

LANGS = ("en", "sv")
DEFAULT = "en"
DOMAIN = "needling"
LOCALE = Path(__file__).resolve().parent / "locale"


def po_path(lang: str) -> Path:
    """The ``.po`` source of ``lang``'s catalogue."""
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _known(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT


def load(po: Path) -> Translations:
    """The catalogue of one ``.po`` file: its compiled ``.mo`` when that is current, else the ``.po`` itself."""
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as f:
            return Translations(f, domain=DOMAIN)
    with po.open("rb") as f:
        catalog = read_po(f, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@cache
def translations(lang: str) -> NullTranslations:
    """The catalogue of ``lang``; an unknown language gets English, which is the message ids themselves."""
    return load(po_path(_known(lang)))


def _fill(text: str, args: Mapping[str, Any]) -> str:
    return text % args if args else text


def translate(lang: str, message: str, /, **args: Any) -> str:
    """``message`` (its English text, the msgid) in ``lang``, with ``%(name)s`` placeholders filled from ``args``."""
    return _fill(translations(_known(lang)).gettext(message), args)


def translate_plural(lang: str, singular: str, plural: str, n: int, /, **args: Any) -> str:
    """The singular or plural form for ``n`` in ``lang``; ``%(num)d`` is ``n`` unless ``args`` gives it."""
    return _fill(translations(_known(lang)).ngettext(singular, plural, n), {"num": n, **args})


def translate_in_context(lang: str, context: str, message: str, /, **args: Any) -> str:
    """``message`` in ``lang`` as it reads in ``context`` (gettext's ``pgettext``): one English word may need two
    translations, such as a region as the clinician labels it ("kind") and as a patient reads it ("kinderna")."""
    return _fill(translations(_known(lang)).pgettext(context, message), args)


def N_(message: str) -> str:  # noqa: N802 (the name gettext tools know)
    """Mark ``message`` for extraction only; translate it where it is shown with :func:`translate`."""
    return message


def NP_(context: str, message: str) -> str:  # noqa: N802 (like N_, with gettext's context)
    """Mark ``message`` in ``context`` for extraction only; translate it with :func:`translate_in_context`."""
    return message


# ---- numbers, units and dates in the reader's locale (Babel's CLDR formats) ----


def rounded(value: float | int, digits: int) -> Decimal:
    """``value`` to ``digits`` decimals, a half rounded away from zero as on paper: 0.25 -> 0.3, 2.5 -> 3,
    -2.5 -> -3, 0.125 -> 0.13 (to two decimals).

    The half is the half of the number as it is written (the shortest decimal that reads back as the same
    float, ``repr``), not of its binary value: 2.675 is stored as 2.67499999..., yet a reader who sees "2.675"
    expects "2.68". Python's ``round`` and ``f"{x:.2f}"`` (the half to even, on the binary value: 2.5 -> 2,
    0.35 -> 0.3, 2.675 -> 2.67) and Babel's own quantisation (the half to even: 0.25 -> 0.2) are not used.
    """
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP) + 0  # + 0: no "-0"


def whole(value: float | int) -> int:
    """``value`` as the whole number a person expects, a half away from zero (:func:`rounded`): 12.5 -> 13,
    2.5 -> 3 (Python's ``round`` gives 12 and 2). For counts said in words: "13 av 100", "9 in 10"."""
    return int(rounded(value, 0))


def number(value: float | int | None, lang: str, digits: int = 3, *, significant: int | None = None) -> str:
    """A number as the locale writes it: "0,25" in Swedish, "0.25" in English, "12 346" / "12,346" grouped;
    at most ``digits`` decimals, or with ``significant`` at most that many significant digits (whole numbers
    stay whole: 0.0001234 -> "0.0001234", 123.45 -> "123.5", 12345.5 -> "12,346"); never an exponent; trailing
    zeros dropped. A half is rounded away from zero (:func:`rounded`): 0.25 -> "0.3" to one decimal, 2.5 -> "3".
    """
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return format_decimal(value, locale=_known(lang))
    if significant is not None:
        magnitude = math.floor(math.log10(abs(value))) if value else 0
        digits = max(0, significant - 1 - magnitude)
    shown = rounded(value, digits)
    return format_decimal(shown, format="#,##0." + "#" * digits if digits else "#,##0", locale=_known(lang))


def millimetres(value: float | None, lang: str) -> str:
    """A length in millimetres with its unit: "0,25 mm" (sv), "0.25 mm" (en)."""
    return "" if value is None else f"{number(value, lang, 2)}\N{NO-BREAK SPACE}mm"


def days(n: int, lang: str) -> str:
    """ "1 day", "2 days" / "1 dag", "2 dagar"."""
    return translate_plural(lang, "%(num)d day", "%(num)d days", n)


def weeks(n: int, lang: str) -> str:
    """ "1 week", "2 weeks" / "1 vecka", "2 veckor"."""
    return translate_plural(lang, "%(num)d week", "%(num)d weeks", n)


def months(n: int, lang: str) -> str:
    """ "1 month", "2 months" / "1 månad", "2 månader"."""
    return translate_plural(lang, "%(num)d month", "%(num)d months", n)


#: The ending of an ordinal by its CLDR ordinal category (Babel's ``Locale.ordinal_form``), per language.
ORDINAL_ENDINGS = {
    "sv": {"one": ":a", "other": ":e"},
    "en": {"one": "st", "two": "nd", "few": "rd", "other": "th"},
}


@cache
def _ordinal_rule(lang: str) -> Callable[[int], str]:
    return Locale.parse(lang).ordinal_form  # type: ignore[no-any-return]


def ordinal(n: int, lang: str) -> str:
    """``n`` as an ordinal in figures: "1:a", "2:a", "3:e", "11:e", "21:a", "112:e" / "1st", "2nd", "3rd", "11th".

    The category comes from the locale's ordinal rule in Babel's CLDR data; Swedish: ":a" after a number
    ending in 1 or 2 except 11 and 12 (1:a, 2:a, 21:a, 22:a, 31:a, 101:a, 102:a), ":e" otherwise (3:e, 11:e,
    12:e, 111:e, 112:e).
    """
    lang = _known(lang)
    category = _ordinal_rule(lang)(abs(int(n)))
    endings = ORDINAL_ENDINGS[lang]
    return f"{int(n)}{endings.get(category, endings['other'])}"


def how_often(every_days: int | float, lang: str) -> str:
    """How often something is done, as people say it: "once a week" / "en gång i veckan", "every other week" /
    "varannan vecka" (not "var 2:a vecka"), else with an ordinal (:func:`ordinal`): "once every 10th day" /
    "en gång var 10:e dag", "once every 3rd week" / "en gång var 3:e vecka", "en gång var 21:a dag"."""
    n = round(float(every_days))
    if n == 1:
        return translate(lang, "once a day")
    if n == 2:
        return translate(lang, "every other day")
    if n == 7:
        return translate(lang, "once a week")
    if n == 14:
        return translate(lang, "every other week")
    if n % 7 == 0:
        return translate(lang, "once every %(nth)s week", nth=ordinal(n // 7, lang))
    return translate(lang, "once every %(nth)s day", nth=ordinal(n, lang))


def sessions_apart(sessions: int, interval_weeks: float, lang: str) -> str:
    """ "6 sessions, 4 weeks apart" / "6 behandlingar med 4 veckors mellanrum" ("en veckas" for one week)."""
    if float(interval_weeks).is_integer():
        return translate_plural(
            lang,
            "%(n)s sessions, one week apart",
            "%(n)s sessions, %(num)d weeks apart",
            int(interval_weeks),
            n=sessions,
        )
    return translate(lang, "%(n)s sessions, %(w)s weeks apart", n=sessions, w=number(interval_weeks, lang, 1))


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if isinstance(value, datetime) else value


def long_date(value: date | datetime | str | None, lang: str) -> str:
    """ "3 March 2026" / "3 mars 2026"."""
    return "" if value is None else format_date(_as_date(value), format="long", locale=_known(lang))


def reason(exc: Exception, lang: str) -> str:
    """A refusal's one-line reason for a page in ``lang``: the error's msgid translated when it has one, else its
    English message (``InputError(..., msgid=N_("..."), params={...})``). A date or date-time among the params is
    written in ``lang`` ("1 dec. 2026", "1 dec. 2026 14:30"), never in ISO form, and a time of day as
    :func:`time_of_day` ("09:05"); a float with the locale's decimal sign ("0,25"); a
    :class:`~needling.errors.Words` (a msgid, such as a field's label) translated; a value with an
    ``in_words(lang)`` method (a device's name in the clinic) as that method writes it."""
    msgid = getattr(exc, "msgid", None)
    if not msgid:
        return str(exc)
    params = {k: _in_words(v, lang) for k, v in getattr(exc, "params", {}).items()}
    return translate(lang, msgid, **params)


def _in_words(value: Any, lang: str) -> Any:
    in_words = getattr(value, "in_words", None)
    if callable(in_words):  # a value an upper layer words itself, such as a device's name as its label
        return in_words(lang)
    if isinstance(value, Words):  # a msgid among the params: a field's label, a choice
        return translate(lang, value)
    if isinstance(value, float):
        return number(value, lang)
    if isinstance(value, datetime):
        return date_time(value, lang)
    if isinstance(value, time):
        return time_of_day(value, lang)
    return table_date(value, lang) if isinstance(value, date) else value


def date_time(value: datetime | str | None, lang: str) -> str:
    """A date and a time of day outside tables: "Dec 1, 2026, 14:30" / "1 dec. 2026 14:30" (never ISO).

    The locale's medium date and :func:`time_of_day`, joined as the locale joins them (CLDR's date-time pattern:
    a comma in English, a space in Swedish).
    """
    if value is None:
        return ""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    day = format_date(at.date(), format="medium", locale=_known(lang))
    joined = str(get_datetime_format("medium", locale=_known(lang)))
    return joined.replace("{1}", day).replace("{0}", time_of_day(at, lang))


def _as_time(value: time | datetime | str) -> time:
    if isinstance(value, str):
        text = value.strip()
        return time.fromisoformat(text) if len(text) <= 8 else datetime.fromisoformat(text).time()
    return value.time() if isinstance(value, datetime) else value


def time_of_day(value: time | datetime | str | None, lang: str) -> str:
    """A time of day, the one form every page, e-mail and document writes: "09:05", "14:30" in both languages.

    Babel's 24-hour pattern of the locale (the CLDR skeleton ``Hm``: ``HH:mm`` in Swedish and in English).
    Swedish: Språkrådet accepts both "kl. 10.30" and "10:30"; we write "10:30", the form of the time field
    the clinician types the booking into, of phones and calendar apps, and of the English pages, so a time
    reads the same wherever a patient or a clinician meets it (a Swedish sentence still puts the word "kl."
    before it: "kl. 10:30"). English: the 24-hour clock ("14:30", not "2:30 PM", which is English's CLDR
    default): the clinic books on a 24-hour clock and an AM/PM slip would move an appointment by half a day.
    Seconds are never written.
    """
    if value is None:
        return ""
    return format_skeleton("Hm", _as_time(value), locale=_known(lang))


def time_range(start: time | datetime | str | None, end: time | datetime | str | None, lang: str) -> str:
    """From one time of day to another: "09:05–09:50", an en dash without spaces in both languages (the
    Swedish rule for a range, and the closed en dash of English style guides)."""
    if start is None or end is None:
        return time_of_day(start if end is None else end, lang)
    return f"{time_of_day(start, lang)}\N{EN DASH}{time_of_day(end, lang)}"


def table_date(value: date | datetime | str | None, lang: str) -> str:
    """A date for a table cell, short but in words: "1 Dec 2026" / "1 dec. 2026" (never an ISO date in Swedish)."""
    return "" if value is None else format_date(_as_date(value), format="medium", locale=_known(lang))


def weekday(value: date | datetime | str | None, lang: str) -> str:
    """The day of the week: "Tuesday" / "tisdag"."""
    return "" if value is None else format_date(_as_date(value), format="EEEE", locale=_known(lang))


def day_and_date(value: date | datetime | str | None, lang: str) -> str:
    """ "Tuesday 3 March 2026" / "tisdag 3 mars 2026"."""
    if value is None:
        return ""
    return f"{weekday(value, lang)} {long_date(value, lang)}"


# ---- Jinja2 ----


def install(env: Any) -> None:
    """Give a Jinja2 environment gettext (``_``, ``gettext``, ``ngettext``, ``{% trans %}``) and locale filters.

    The callables read the language from the rendering context's ``lang`` variable, so one environment is
    shared by every request and thread; each render passes its own ``lang``. Filters: ``number``,
    ``mm``, ``days``, ``weeks``, ``months``, ``long_date``, ``table_date``, ``date_time``,
    ``time_of_day``, ``time_range`` (``{{ a.starts_at|time_range(a.ends_at) }}``), ``weekday``, ``day_and_date``.
    """
    from jinja2 import pass_context

    def lang_of(context: Any) -> str:
        return _known(context.get("lang"))

    def escape_and_fill(context: Any, text: str, variables: dict[str, Any]) -> str:
        # A plain string, so autoescaping escapes the translation and its values alike: no markup in msgids.
        return text % variables if variables else text

    @pass_context
    def gettext(context: Any, message: str, /, **variables: Any) -> str:
        return escape_and_fill(context, translations(lang_of(context)).gettext(message), variables)

    @pass_context
    def ngettext(context: Any, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        text = translations(lang_of(context)).ngettext(singular, plural, num)
        return escape_and_fill(context, text, {"num": num, **variables})

    @pass_context
    def pgettext(context: Any, ctxt: str, message: str, /, **variables: Any) -> str:
        return escape_and_fill(context, translations(lang_of(context)).pgettext(ctxt, message), variables)

    env.add_extension("jinja2.ext.i18n")
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext)
    env.newstyle_gettext = True

    def with_lang(fn: Callable[..., str]) -> Callable[..., str]:
        @pass_context
        def filt(context: Any, value: Any, *args: Any) -> str:
            return fn(value, lang_of(context), *args)

        return filt

    for name, fn in {
        "number": number,
        "mm": millimetres,
        "days": days,
        "weeks": weeks,
        "months": months,
        "long_date": long_date,
        "table_date": table_date,
        "date_time": date_time,
        "time_of_day": time_of_day,
        "weekday": weekday,
        "day_and_date": day_and_date,
        "how_often": how_often,
    }.items():
        env.filters[name] = with_lang(fn)

    @pass_context
    def range_filter(context: Any, start: Any, end: Any) -> str:
        return time_range(start, end, lang_of(context))

    env.filters["time_range"] = range_filter
