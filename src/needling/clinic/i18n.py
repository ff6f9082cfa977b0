"""The reader's language, and the clinic's texts by key while they move to gettext calls.

The texts themselves and their Swedish live in the gettext catalogues of :mod:`needling.i18n`.
``messages/en.json`` only maps the older keys (``t.key`` in templates, ``message(lang, key)``) to their
English text, the msgid; new texts are written with ``_()`` in templates and ``translate`` in Python.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from fastapi import Request

from needling.clinic.models import User
from needling.i18n import LANGS, translate
from needling.i18n.extract import brace_to_percent

MESSAGES = Path(__file__).resolve().parent / "messages"


@cache
def _keys() -> dict[str, str]:
    """Key -> English msgid (``%(name)s`` placeholders)."""
    english = json.loads((MESSAGES / "en.json").read_text(encoding="utf-8"))
    return {key: brace_to_percent(text) for key, text in english.items()}


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every keyed text in ``lang`` with ``{name}`` placeholders, for ``str.format`` and templates' ``t``."""
    return {key: re.sub(r"%\((\w+)\)s", r"{\1}", translate(lang, msgid)) for key, msgid in _keys().items()}


def language(request: Request, user: User | None) -> str:
    """The profile's language, else the browser's preference, else English."""
    if user is not None and user.language in LANGS and user.language != "en":
        return user.language
    accept = request.headers.get("accept-language", "")
    for part in accept.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return "en"


def message(lang: str, key: str, **args: object) -> str:
    """The text of ``key`` (or, for a flash that carries it, the English msgid itself) in ``lang``, filled."""
    msgid = _keys().get(key, key)
    try:
        return translate(lang, msgid, **args)
    except (KeyError, ValueError, TypeError):  # a placeholder without its argument: show the text as it is
        return translate(lang, msgid)


def known(key: str) -> bool:
    """True if ``key`` is an older key, or an English msgid the catalogue translates."""
    return key in _keys() or translate("sv", key) != key
