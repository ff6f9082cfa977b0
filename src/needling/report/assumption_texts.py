"""The named assumptions as texts people read: their readable names and reasoning in the reader's language.

Every :class:`needling.evidence.Assumption` of the parameter catalogue states its reasoning in English, where the
science core defines it. The report's appendix shows each one with a readable name and that reasoning translated,
through the gettext catalogues like every other text. The science core cannot mark its texts for the clinic's
catalogues (it knows nothing of them), so ``make messages`` first writes the list of every assumption's name and
reasoning to ``needling/i18n/assumption_texts.json`` (``python -m needling.report.assumption_texts``); the Babel
extractor :func:`needling.i18n.extract.assumption_texts_json` turns that list into msgids: the kebab-case name
(its translation is the readable name, in English too: the English catalogue carries the readable English
names) and the reasoning.

``tests/i18n/test_assumption_texts.py`` fails when the list is not current, an assumption has no Swedish or no
readable English name, so a new or reworded assumption is named and translated before it lands.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from needling.evidence import Assumption
from needling.i18n import LANGS, number, translations
from needling.report.parameter_catalogue import parameter_catalogue

#: The generated list the Babel extractor reads (``babel.cfg``).
TEXTS_PATH = Path(__file__).resolve().parents[1] / "i18n" / "assumption_texts.json"

_SUPERSCRIPT = str.maketrans("-0123456789", "\N{SUPERSCRIPT MINUS}⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class AssumptionText:
    """One named assumption as the appendix of a report shows it.

    Attributes
    ----------
    name : str
        The catalogue's kebab-case name (what ``needling parameters show`` takes).
    label : str
        The readable name in the reader's language.
    value : str
        The value with its unit, written as the reader's locale writes numbers ("0,25 mm").
    reasoning : str
        Why this value, in the reader's language.
    """

    name: str
    label: str
    value: str
    reasoning: str


def catalogue_assumptions() -> list[Assumption]:
    """Every named assumption of the parameter catalogue, sorted by name."""
    cat = parameter_catalogue()
    return sorted((p for p in cat.values() if isinstance(p, Assumption)), key=lambda p: p.name)


def texts_document() -> list[dict[str, str]]:
    """The list ``make messages`` writes for extraction: name, topic and reasoning of every assumption."""
    cat = parameter_catalogue()
    return [{"name": a.name, "topic": cat.topic(a.name), "reasoning": a.reasoning} for a in catalogue_assumptions()]


def write_texts(path: Path = TEXTS_PATH) -> None:
    """Write :func:`texts_document` to ``path`` (one entry per assumption, stable order, UTF-8)."""
    path.write_text(json.dumps(texts_document(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def untranslated(assumptions: list[Assumption], lang: str) -> list[str]:
    """The names among ``assumptions`` whose readable name or reasoning has no translation into ``lang``.

    In English the reasoning is the msgid itself; only the readable name is needed (the English catalogue's
    ``msgstr`` of the kebab name), so an English reader sees words rather than the key.
    """
    catalogue = translations(lang)
    return [
        a.name
        for a in assumptions
        if catalogue.gettext(a.name) == a.name or (lang != "en" and catalogue.gettext(a.reasoning) == a.reasoning)
    ]


def format_value(value: float, unit: str, lang: str) -> str:
    """A value with its unit as the locale writes it: six significant digits, a power of ten where :g uses one.

    Parameters
    ----------
    value : float
        The value, in ``unit``.
    unit : str
        Its unit ("1" or "" for a plain number, which is written without one).
    lang : str
        The reader's language.

    Returns
    -------
    str
        "0,426", "140 um", "1,42 × 10⁻⁸ cm2/s" (Swedish); "0.426", "140 um", "1.42 × 10⁻⁸ cm2/s" (English).
    """
    text = f"{value:g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        written = f"{number(float(mantissa), lang, 5)} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    else:
        written = number(float(text), lang, 6)
    return written if unit in ("1", "") else f"{written}\N{NO-BREAK SPACE}{unit}"


def assumption_text(parameter: Assumption, lang: str) -> AssumptionText:
    """``parameter`` in ``lang``: readable name, value in the locale's numbers, reasoning translated.

    A reasoning the catalogue does not know (a value a user set with its own reason) is shown as written.
    """
    catalogue = translations(lang if lang in LANGS else "en")
    return AssumptionText(
        name=parameter.name,
        label=catalogue.gettext(parameter.name),
        value=format_value(parameter.value, parameter.unit, lang),
        reasoning=catalogue.gettext(parameter.reasoning),
    )


def main(argv: list[str]) -> int:
    """``python -m needling.report.assumption_texts [PATH]``: write the list for ``make messages``."""
    write_texts(Path(argv[0]) if argv else TEXTS_PATH)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
