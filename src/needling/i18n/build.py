"""The two steps of ``make messages`` and ``make compile-messages`` that Babel's command line does not do as needed.

``python -m needling.i18n.build tidy``: no dates in the ``.po`` headers (they only cause merge conflicts).
``python -m needling.i18n.build compile``: each ``.po`` to its ``.mo``. Babel's own ``compile`` refuses texts
such as "95 % range" whose "% r" it takes for a format placeholder; the placeholders that matter,
``%(name)s`` and ``{name}``, are checked by ``tests/i18n`` instead (:func:`placeholder_errors`).
"""

from __future__ import annotations

import re
import sys

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from needling.i18n import LANGS, po_path

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _read(lang: str):  # type: ignore[no-untyped-def]
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang)


def tidy(lang: str) -> None:
    """Rewrite ``lang``'s catalogue in place: sorted, 120 columns, no dates in the header."""
    path = po_path(lang)
    catalog = _read(lang)
    with path.open("wb") as f:
        write_po(f, catalog, width=120, sort_output=True, no_location=True, ignore_obsolete=True)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'^"(POT-Creation|PO-Revision)-Date: .*\n', "", text, flags=re.M), encoding="utf-8")


def compile_mo(lang: str) -> None:
    """Write ``lang``'s ``.mo`` next to its ``.po`` (fuzzy entries left out)."""
    catalog = _read(lang)
    with po_path(lang).with_suffix(".mo").open("wb") as f:
        write_mo(f, catalog, use_fuzzy=False)


def placeholder_errors(lang: str) -> list[str]:
    """Each msgid whose translation in ``lang`` does not have exactly the msgid's placeholders."""
    errors = []
    for message in _read(lang):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(" ".join(ids))) - {"%(num)d"}
        for s in strings:
            if s and set(PLACEHOLDER.findall(s)) - {"%(num)d"} != wanted:
                errors.append(ids[0])
    return errors


if __name__ == "__main__":
    step = {"tidy": tidy, "compile": compile_mo}[sys.argv[1]]
    for lang in LANGS:
        step(lang)
