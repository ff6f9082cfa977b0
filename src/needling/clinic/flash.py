"""Flash messages the server itself set: a signed message id (and its arguments) in the redirect's URL.

A page shows a banner only for a parameter ``m`` whose signature is good and at most ``MAX_AGE_S`` old, so
a link crafted elsewhere (``/patients?flash=Call+this+number``) shows nothing. The id is the message's
gettext msgid, shown in the reader's language.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from starlette.types import ASGIApp, Receive, Scope, Send

#: A flash message is shown at most this long after the server set it, s.
MAX_AGE_S = 600
PARAM = "m"

_signer: ContextVar[URLSafeTimedSerializer | None] = ContextVar("needling_flash_signer", default=None)


def signer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="needling-flash")


class FlashSigning:
    """ASGI middleware making the app's flash signer available to :func:`sign` during a request."""

    def __init__(self, app: ASGIApp, secret: str) -> None:
        self.app = app
        self.signer = signer(secret)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _signer.set(self.signer)
        try:
            await self.app(scope, receive, send)
        finally:
            _signer.reset(token)


def sign(key: str, kind: str = "ok", **args: Any) -> str:
    """The signed value of ``m`` for message ``key`` (a gettext msgid), ``kind`` ok or error, and ``args``."""
    current = _signer.get()
    if current is None:
        raise RuntimeError("flash messages can only be signed while a request is being handled")
    return current.dumps({"m": key, "k": "error" if kind == "error" else "ok", "a": args})


def read(secret: str, value: str | None) -> dict | None:
    """The flash (``{"m": key, "k": kind, "a": args}``) if ``value`` is genuine and fresh, else None."""
    if not value:
        return None
    try:
        data = signer(secret).loads(value, max_age=MAX_AGE_S)
    except (BadSignature, SignatureExpired):
        return None
    ok = isinstance(data, dict) and isinstance(data.get("m"), str) and isinstance(data.get("a"), dict)
    return data if ok else None
