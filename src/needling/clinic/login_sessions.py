"""Log-in sessions kept on the server: started at log-in, looked up on every request, ended on demand.

The cookie carries a random id; the database keeps only its SHA-256, so a copy of the database gives no
live cookie. A session ends at log-out, after ``session_idle_s`` without a request, ``session_max_age_s``
after log-in, when its user changes the password elsewhere, and when its user is deactivated.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, or_, select
from sqlalchemy.orm import Session

from needling.clinic.models import LoginSession, User
from needling.clinic.settings import Settings


def utcnow() -> datetime:
    """The time now in UTC, without a time zone (as the database columns keep it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def digest(session_id: str) -> str:
    """What the database keeps of a session id: its SHA-256, hex."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def _expired(settings: Settings, now: datetime):
    return or_(
        LoginSession.created < now - timedelta(seconds=settings.session_max_age_s),
        LoginSession.last_seen < now - timedelta(seconds=settings.session_idle_s),
    )


def prune(db: Session, settings: Settings) -> None:
    """Delete every session past its idle or absolute timeout."""
    db.execute(delete(LoginSession).where(_expired(settings, utcnow())))


def start(db: Session, settings: Settings, user: User, address: str) -> str:
    """Start a session for ``user``; return the random session id for the cookie (never stored)."""
    prune(db, settings)
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(LoginSession(token_hash=digest(session_id), user_id=user.id, created=now, last_seen=now, address=address))
    db.flush()
    return session_id


def lookup(db: Session, settings: Settings, session_id: str) -> LoginSession | None:
    """The live session with this id, its last use moved to now; None (and deleted) if it has timed out."""
    row = db.scalars(select(LoginSession).where(LoginSession.token_hash == digest(session_id))).first()
    return _live(db, settings, row)


_LIVE_USER = (
    select(LoginSession, User)
    .join(User, User.id == LoginSession.user_id)
    .where(LoginSession.token_hash == bindparam("token_hash"))
)
"""The session and its user by the token's hash;
built once, so a request binds its values and builds neither the statement nor its cache key."""


def live_user(db: Session, settings: Settings, session_id: str) -> User | None:
    """The user of the live session with this id (as :func:`lookup`), read with the session in one query.

    Every request asks this, so it costs one round trip: the session and its user joined.
    """
    found = db.execute(_LIVE_USER, {"token_hash": digest(session_id)}).first()
    if found is None:
        return None
    row, user = found
    return user if _live(db, settings, row) is not None else None


def _live(db: Session, settings: Settings, row: LoginSession | None) -> LoginSession | None:
    """``row`` if it has not timed out, its last use moved to now; None (and deleted) if it has."""
    if row is None:
        return None
    now = utcnow()
    if now - row.created > timedelta(seconds=settings.session_max_age_s) or now - row.last_seen > timedelta(
        seconds=settings.session_idle_s
    ):
        db.delete(row)
        return None
    # Write at most every tenth of the idle timeout (and at least once a minute): fewer writes, same timeout.
    if now - row.last_seen > timedelta(seconds=min(60.0, settings.session_idle_s / 10)):
        row.last_seen = now
    return row


def end(db: Session, session_id: str) -> None:
    """End one session (log-out)."""
    db.execute(delete(LoginSession).where(LoginSession.token_hash == digest(session_id)))


def end_all(db: Session, user_id: int, keep: str | None = None) -> int:
    """End every session of a user except ``keep`` (a session id); return how many ended."""
    query = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep is not None:
        query = query.where(LoginSession.token_hash != digest(keep))
    return db.execute(query).rowcount or 0


def count(db: Session, user_id: int) -> int:
    """How many live or not yet pruned sessions a user has."""
    return len(db.scalars(select(LoginSession.id).where(LoginSession.user_id == user_id)).all())
