"""Engine, sessions and migrations."""

from __future__ import annotations

import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import sessionmaker

from needling.clinic.settings import private_dir

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
IDLE_PING_S = 1.0
"""A pooled PostgreSQL connection idle longer than this (s) is pinged before it is handed out (see
:func:`_ping_when_idle`); one used again sooner is not."""


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets WAL, foreign keys and a busy timeout so concurrent writers wait, not fail.

    Errors never carry the bound parameters (``hide_parameters=True``), nor PostgreSQL's quotes of the
    values (:func:`_without_data`): a failed statement is logged without the patient data it was writing.
    """
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            private_dir(Path(path).parent, tighten=False)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.close()

        return engine
    engine = create_engine(url, pool_size=20, max_overflow=40, hide_parameters=True)
    event.listen(engine, "handle_error", _without_data)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before handing it out only if it lay idle longer than :data:`IDLE_PING_S`.

    SQLAlchemy's ``pool_pre_ping`` pings at every checkout: a round trip and two changes of the driver's
    autocommit on every request. A connection given back moments ago is alive as surely as a ping could tell;
    one that lay idle (the database restarted, an idle timeout dropped it) is pinged, and a failed ping makes the
    pool replace it before it is used, as ``pool_pre_ping`` would. A connection broken within the last second is
    found by its first statement instead: that request fails, and SQLAlchemy then replaces every connection of
    the pool older than the break.
    """

    @event.listens_for(engine.pool, "checkin")
    def _given_back(dbapi_connection, record) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _handed_out(dbapi_connection, record, proxy) -> None:
        since = record.info.pop("idle_since", None)  # none: connected just now
        if since is None or time.monotonic() - since <= IDLE_PING_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as e:
            raise DisconnectionError("idle connection failed its ping") from e  # the pool connects anew


def _without_data(context) -> DBAPIError | None:
    """Reduce a PostgreSQL error to its class, SQLSTATE and schema names before it is raised or logged.

    The server's own message and DETAIL quote values (``Key (lot_number)=(...) already exists``, ``invalid
    input syntax for type integer: "..."``); these may be patient data. Errors without a SQLSTATE (no
    connection) are left as they are: they name the host, not data.
    """
    orig = context.original_exception
    state = getattr(orig, "sqlstate", None)
    if not state:
        return None
    diag = getattr(orig, "diag", None)
    parts = [type(orig).__name__, f"SQLSTATE {state}"]
    for attr, label in (("table_name", "table"), ("column_name", "column"), ("constraint_name", "constraint")):
        value = getattr(diag, attr, None)
        if value:
            parts.append(f"{label} {value}")
    orig.args = ("; ".join(parts),)
    wrapped = context.sqlalchemy_exception
    if isinstance(wrapped, DBAPIError):  # its message was composed from the original text: compose it again
        return type(wrapped)(
            wrapped.statement,
            None,
            orig,
            hide_parameters=True,
            connection_invalidated=wrapped.connection_invalidated,
            code=wrapped.code,
        )
    return None


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    """Bring the database at ``url`` to the newest schema (Alembic ``upgrade head``)."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        private_dir(Path(url.removeprefix("sqlite:///")).parent, tighten=False)
    command.upgrade(alembic_config(url), "head")
