"""One transaction per clinic operation: the service commits when it returns, the route never does.

A service function marked :func:`operation` commits its writes and audit entries when it returns, unless it
runs inside another operation or inside :func:`one_transaction`: then the outermost one commits, so an
operation made of others is still all or nothing. When it raises, nothing is committed; the request's
session (``deps.get_db``) rolls back and closes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import CursorResult, Executable
from sqlalchemy.orm import Session

P = ParamSpec("P")
R = TypeVar("R")
DEPTH = "operation_depth"


@contextmanager
def held(db: Session) -> Iterator[int]:
    """Operations inside do not commit; the caller commits them (with more of its own) afterwards.

    Yields how many operations were already open (0 at a request's top level).
    """
    depth = db.info.get(DEPTH, 0)
    db.info[DEPTH] = depth + 1
    try:
        yield depth
    finally:
        db.info[DEPTH] = depth


@contextmanager
def one_transaction(db: Session) -> Iterator[None]:
    """Run the operations inside as one: they commit together when the block ends, or not at all."""
    with held(db) as depth:
        yield
    if depth == 0:
        db.commit()


def operation(fn: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[Session, P], R]:
    """Mark ``fn(db, ...)`` as one operation: it commits when it returns (see the module's docstring)."""

    @wraps(fn)
    def run(db: Session, *args: P.args, **kwargs: P.kwargs) -> R:
        with one_transaction(db):
            return fn(db, *args, **kwargs)

    return run


def core_execute(db: Session, statement: Executable, params: Mapping[str, Any]) -> CursorResult[Any]:
    """Run a statement of columns (no ORM objects) in the session's transaction, on its connection.

    The same rows as ``db.execute``, and its pending changes are flushed first as there (unless autoflush is off,
    as inside ``db.no_autoflush``), without the ORM's execution layer: some 40 microseconds of processor time a
    statement, on every recording's reads of its plan, areas and consents and its lot's decrement
    (benchmarks/bench_session_load.py).
    """
    if db.autoflush:
        db.flush()
    return db.connection().execute(statement, params)
