"""Passwords (argon2), signed session cookies, CSRF tokens and a log-in rate limiter."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_hasher = PasswordHasher()
COOKIE = "needling_session"


def hash_password(password: str) -> str:
    """An argon2id hash."""
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True if ``password`` matches the stored hash."""
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


class Sessions:
    """Signed, expiring session cookies carrying the user id and a per-session nonce for CSRF."""

    def __init__(self, secret: str, max_age_s: int) -> None:
        self._s = URLSafeTimedSerializer(secret, salt="needling-session")
        self._secret = secret.encode()
        self.max_age_s = max_age_s

    def issue(self, user_id: int) -> str:
        return self._s.dumps({"uid": user_id, "nonce": secrets.token_urlsafe(16)})

    def read(self, token: str | None) -> dict | None:
        if not token:
            return None
        try:
            return self._s.loads(token, max_age=self.max_age_s)
        except (BadSignature, SignatureExpired):
            return None

    def csrf_token(self, session: dict) -> str:
        """The CSRF token of a session: an HMAC of its nonce."""
        return hmac.new(self._secret, session["nonce"].encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, session: dict, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(session), token)


class LoginLimiter:
    """At most ``attempts`` failed log-ins per key within ``window_s`` seconds."""

    def __init__(self, attempts: int, window_s: int) -> None:
        self.attempts, self.window_s = attempts, window_s
        self._fails: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque:
        q = self._fails[key]
        while q and now - q[0] > self.window_s:
            q.popleft()
        return q

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._prune(key, time.monotonic())) >= self.attempts

    def fail(self, key: str) -> None:
        with self._lock:
            self._prune(key, time.monotonic()).append(time.monotonic())

    def reset(self, key: str) -> None:
        with self._lock:
            self._fails.pop(key, None)
