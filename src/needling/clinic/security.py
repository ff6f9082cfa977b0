"""Passwords (argon2), signed cookies carrying a random session id, and CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_hasher = PasswordHasher()
COOKIE = "needling_session"
#: The pre-session cookie of the log-in form: binds the form's CSRF token to this browser.
PRE_COOKIE = "needling_login"
#: How long a log-in form stays valid, s.
PRE_MAX_AGE_S = 3600


def hash_password(password: str) -> str:
    """An argon2id hash."""
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True if ``password`` matches the stored hash."""
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(24))


def verify_dummy(password: str) -> bool:
    """Do the work of a real verification against a hash nobody knows (unknown e-mails); always False."""
    verify_password(_dummy_hash(), password)
    return False


class Sessions:
    """Signed cookies carrying a random session id (looked up on the server) and CSRF tokens.

    Parameters
    ----------
    secret : str
        The signing key.
    max_age_s : int
        The absolute lifetime of a session cookie, s (the server also ends the session itself).
    """

    def __init__(self, secret: str, max_age_s: int) -> None:
        self._s = URLSafeTimedSerializer(secret, salt="needling-session")
        self._pre = URLSafeTimedSerializer(secret, salt="needling-login-form")
        self._secret = secret.encode()
        self.max_age_s = max_age_s

    def issue(self, session_id: str) -> str:
        """The cookie value for a server-side session id."""
        return self._s.dumps({"sid": session_id})

    def read(self, token: str | None) -> dict | None:
        """The cookie's content (``{"sid": ...}``) if its signature is good and it is not too old."""
        if not token:
            return None
        try:
            data = self._s.loads(token, max_age=self.max_age_s)
        except (BadSignature, SignatureExpired):
            return None
        return data if isinstance(data, dict) and isinstance(data.get("sid"), str) else None

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def csrf_token(self, session: dict) -> str:
        """The CSRF token of a session: an HMAC of its id."""
        return self._mac("csrf", session["sid"])

    def check_csrf(self, session: dict, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(session), token)

    def new_pre_session(self) -> str:
        """A signed pre-session cookie value for the log-in form."""
        return self._pre.dumps(secrets.token_urlsafe(24))

    def pre_session(self, cookie: str | None) -> str | None:
        """The pre-session id from a cookie value, if it is genuine and fresh."""
        if not cookie:
            return None
        try:
            value = self._pre.loads(cookie, max_age=PRE_MAX_AGE_S)
        except (BadSignature, SignatureExpired):
            return None
        return value if isinstance(value, str) else None

    def login_token(self, pre_session: str) -> str:
        """The log-in form's CSRF token, bound to the pre-session cookie."""
        return self._mac("login", pre_session)

    def check_login_token(self, cookie: str | None, token: str | None) -> bool:
        pre = self.pre_session(cookie)
        return bool(pre and token) and hmac.compare_digest(self.login_token(pre), token)
