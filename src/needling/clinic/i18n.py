"""The message catalogues of the clinic's pages (English and Swedish) and the reader's language."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from fastapi import Request

from needling.clinic.models import User

LANGS = ("en", "sv")
MESSAGES = Path(__file__).resolve().parent / "messages"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of one language, by key."""
    return json.loads((MESSAGES / f"{lang}.json").read_text(encoding="utf-8"))


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


def message(lang: str, key: str, **args) -> str:
    """The catalogue's message ``key`` in ``lang`` with ``args`` filled in (English if ``lang`` lacks it)."""
    text = catalogue(lang).get(key) or catalogue("en")[key]
    try:
        return text.format(**args)
    except (KeyError, IndexError, ValueError):  # a placeholder without its argument: show the text as it is
        return text


def known(key: str) -> bool:
    """True if ``key`` is a message of the English catalogue."""
    return key in catalogue("en")
