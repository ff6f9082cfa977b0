"""The clinic's message catalogues (English and Swedish) and the reader's language."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from fastapi import Request

from needling.clinic.models import User

LANGS = ("en", "sv")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every text of the clinic in ``lang`` (``en`` or ``sv``), keyed by message id."""
    return json.loads((Path(__file__).resolve().parent / "messages" / f"{lang}.json").read_text(encoding="utf-8"))


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
