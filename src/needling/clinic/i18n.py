"""The reader's language on the clinic's pages; the texts and their Swedish are in :mod:`needling.i18n`."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from needling.clinic.models import User
from needling.i18n import LANGS, translate


def language(request: Request, user: User | None) -> str:
    """The language the user chose in their profile, else the browser's preference, else English.

    A profile's ``language`` of "" means no choice was made (the browser decides).
    """
    if user is not None and user.language in LANGS:
        return user.language
    accept = request.headers.get("accept-language", "")
    for part in accept.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return "en"


def message(lang: str, text: str, **args: Any) -> str:
    """A message the server set (a msgid, e.g. a flash banner's) in ``lang`` with ``args`` filled in.

    A placeholder without its argument shows the translated text as it is rather than failing the page.
    """
    try:
        return translate(lang, text, **args)
    except (KeyError, ValueError, TypeError):
        return translate(lang, text)
