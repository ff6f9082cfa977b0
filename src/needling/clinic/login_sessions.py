"""Log-in sessions kept on the server: started at log-in, looked up on every request, ended on demand.

The cookie carries a random id; the database keeps only its SHA-256, so a copy of the database gives no
live cookie. A session ends at log-out, after ``session_idle_s`` without a request, ``session_max_age_s``
after log-in, when its user changes the password elsewhere, and when its user is deactivated.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from needling.clinic.models import LoginSession, User
from needling.clinic.settings import Settings
from needling.clinic.transactions import core_execute


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


_SESSIONS = LoginSession.__table__
_USERS = User.__table__
_USER_KEYS = [c.key for c in _USERS.c]
_LIVE_USER = (
    select(_SESSIONS.c.id.label("login_id"), _SESSIONS.c.created, _SESSIONS.c.last_seen, *_USERS.c)
    .join(_USERS, _USERS.c.id == _SESSIONS.c.user_id)
    .where(_SESSIONS.c.token_hash == bindparam("token_hash"))
)
"""The session's times and its user's columns by the token's hash, in columns (no ORM objects); built once, so a
request binds its values and builds neither the statement nor its cache key."""
_USER_MANAGER = User.__mapper__.class_manager
_TOUCH = update(_SESSIONS).where(_SESSIONS.c.id == bindparam("login_id")).values(last_seen=bindparam("now"))
_DROP = delete(_SESSIONS).where(_SESSIONS.c.id == bindparam("login_id"))


class LiveUser(NamedTuple):
    """What :func:`live_user` found: the user (None if the session is unknown or timed out) and whether it wrote
    (the session's last use moved, or the timed-out session deleted), so the caller commits only then."""

    user: User | None
    wrote: bool


def live_user(db: Session, settings: Settings, session_id: str) -> LiveUser:
    """The user of the live session with this id (as :func:`lookup`), read with the session in one query.

    Every request asks this, so it costs one round trip, the session and its user joined, read as columns on the
    session's connection rather than through the ORM's loading (some 60 microseconds of processor time fewer a
    request, benchmarks/bench_session_load.py). The user is put in the session as if loaded (persistent, nothing
    to write), so a route changes it as any loaded row; the session's last use is written by a statement, at
    most every tenth of the idle timeout as in :func:`lookup`.
    """
    found = core_execute(db, _LIVE_USER, {"token_hash": digest(session_id)}).first()
    if found is None:
        return LiveUser(None, False)
    now = utcnow()
    if _timed_out(settings, now, found.created, found.last_seen):
        core_execute(db, _DROP, {"login_id": found.login_id})
        return LiveUser(None, True)
    wrote = _due(settings, now, found.last_seen)
    if wrote:
        core_execute(db, _TOUCH, {"login_id": found.login_id, "now": now})
    user = _USER_MANAGER.new_instance()
    row = found._mapping
    for key in _USER_KEYS:
        set_committed_value(user, key, row[key])
    make_transient_to_detached(user)
    db.add(user)
    return LiveUser(user, wrote)


def _timed_out(settings: Settings, now: datetime, created: datetime, last_seen: datetime) -> bool:
    """Whether a session started at ``created`` and last used at ``last_seen`` is past a timeout."""
    return now - created > timedelta(seconds=settings.session_max_age_s) or now - last_seen > timedelta(
        seconds=settings.session_idle_s
    )


def _due(settings: Settings, now: datetime, last_seen: datetime) -> bool:
    """Whether a live session's last use is written now: at most every tenth of the idle timeout (and at least once
    a minute), so fewer writes, same timeout."""
    return now - last_seen > timedelta(seconds=min(60.0, settings.session_idle_s / 10))


def _live(db: Session, settings: Settings, row: LoginSession | None) -> LoginSession | None:
    """``row`` if it has not timed out, its last use moved to now; None (and deleted) if it has."""
    if row is None:
        return None
    now = utcnow()
    if _timed_out(settings, now, row.created, row.last_seen):
        db.delete(row)
        return None
    if _due(settings, now, row.last_seen):
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
