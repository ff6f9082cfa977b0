"""Log-in: throttled per account and per client address in the database, the same work for any e-mail.

Pages and API log in and out through the same two functions, :func:`open_session` and :func:`log_out`; they
differ only in how they answer (a page or JSON) and in the log-in form's own CSRF check.

Failed attempts are rows of ``login_failures`` (keyed by an HMAC of the e-mail or the address, so the
table holds neither), counted over ``login_window_s`` and pruned past it. Because they live in the
database, the limits hold across workers and restarts.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from fastapi import Request, Response
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from needling.clinic import login_sessions as LS
from needling.clinic import services as S
from needling.clinic.client import client_address
from needling.clinic.models import LoginFailure, User
from needling.clinic.security import COOKIE, verify_dummy, verify_password
from needling.clinic.settings import Settings
from needling.clinic.transactions import operation
from needling.i18n import N_


class LoginRefusedError(Exception):
    """A refused log-in: ``status`` 401 (wrong e-mail or password) or 429 (throttled); ``code`` a message key."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


WRONG = LoginRefusedError(401, N_("Wrong e-mail or password."), "wrong e-mail or password")
THROTTLED = LoginRefusedError(
    429, N_("Too many failed log-ins; wait a few minutes and try again."), "too many failed log-ins; wait a few minutes"
)


def _key(settings: Settings, kind: str, value: str) -> str:
    return hmac.new(settings.secret_key.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _failures(db: Session, settings: Settings, kind: str, key: str) -> int:
    since = LS.utcnow() - timedelta(seconds=settings.login_window_s)
    query = select(func.count()).where(LoginFailure.kind == kind, LoginFailure.key == key, LoginFailure.at >= since)
    return db.scalar(query) or 0


def prune(db: Session, settings: Settings) -> None:
    """Delete failures older than the throttling window."""
    db.execute(delete(LoginFailure).where(LoginFailure.at < LS.utcnow() - timedelta(seconds=settings.login_window_s)))


def throttled(db: Session, settings: Settings, email: str, address: str) -> bool:
    """True if the account or the address has used up its failed attempts within the window."""
    account = _failures(db, settings, "account", _key(settings, "account", email))
    by_address = _failures(db, settings, "address", _key(settings, "address", address))
    return account >= settings.login_attempts or by_address >= settings.login_address_attempts


def record_failure(db: Session, settings: Settings, email: str, address: str) -> None:
    """Count one failed attempt against the account and against the address."""
    now = LS.utcnow()
    db.add(LoginFailure(kind="account", key=_key(settings, "account", email), at=now))
    db.add(LoginFailure(kind="address", key=_key(settings, "address", address), at=now))


def forget_account_failures(db: Session, settings: Settings, email: str) -> None:
    """After a successful log-in the account starts afresh (the address does not: one good account
    must not reset an address that is guessing others)."""
    key = _key(settings, "account", email)
    db.execute(delete(LoginFailure).where(LoginFailure.kind == "account", LoginFailure.key == key))


def printable(text: str, limit: int = 200) -> str:
    """``text`` without control characters (NUL cannot be stored in PostgreSQL), at most ``limit`` long."""
    return "".join(c for c in text if c.isprintable())[:limit]


def log_in(db: Session, settings: Settings, email: str, password: str, address: str) -> tuple[User, str]:
    """Check the credentials and start a session; commit; return the user and the new session id.

    Raises
    ------
    LoginRefusedError
        429 if the account or address is throttled, 401 if the e-mail or password is wrong or the
        account is deactivated (the same answer and the same argon2 work in every case).
    """
    email = email.strip().lower()
    shown = printable(email)
    prune(db, settings)
    if throttled(db, settings, email, address):
        S.audit(db, None, "login-throttled", "user", shown[:40], f"from {address}")
        db.commit()
        raise THROTTLED
    plausible = shown == email and 3 <= len(email) <= 200  # anything else cannot be an account's e-mail
    user = db.scalars(select(User).where(User.email == email)).first() if plausible else None
    ok = verify_password(user.password_hash, password) if user is not None else verify_dummy(password)
    if not ok or user is None or not user.active:
        record_failure(db, settings, email, address)
        S.audit(db, user, "login-failed", "user", shown[:40], f"from {address}")  # the e-mail as typed
        db.commit()
        raise WRONG
    forget_account_failures(db, settings, email)
    session_id = LS.start(db, settings, user, address[:45])
    S.audit(db, user, "login", "user", user.id, f"from {address}")
    db.commit()
    return user, session_id


@operation
def check_password_for_change(db: Session, settings: Settings, user: User, password: str, address: str) -> bool:
    """Verify a logged-in user's current password (for a password change), throttled like a log-in."""
    if throttled(db, settings, user.email, address):
        raise THROTTLED
    if verify_password(user.password_hash, password):
        return True
    record_failure(db, settings, user.email, address)
    return False


def open_session(db: Session, request: Request, response: Response, email: str, password: str) -> tuple[User, str]:
    """The one log-in of pages and API: :func:`log_in`, then the session cookie set on ``response``.

    The cookie carries the signed server-session id: HTTP only, same-site lax, HTTPS only when
    ``secure_cookies`` is set, and no longer than the session's absolute lifetime.

    Raises
    ------
    LoginRefusedError
        As :func:`log_in` (401 or 429); ``response`` is left untouched.
    """
    settings = request.app.state.settings
    user, session_id = log_in(db, settings, email, password, client_address(request))
    response.set_cookie(
        COOKIE,
        request.app.state.sessions.issue(session_id),
        max_age=settings.session_max_age_s,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return user, session_id


@operation
def log_out(db: Session, user: User, session_id: str) -> None:
    """End the server session ``session_id`` of ``user`` (its cookie is worthless afterwards) and audit it."""
    LS.end(db, session_id)
    S.audit(db, user, "logout", "user", user.id)
