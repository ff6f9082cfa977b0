"""The server's way to the database: a pooled PostgreSQL connection is pinged before use only after lying idle (a
broken one is replaced), and each server process runs its database routes on ``NEEDLING_THREADS`` threads.

``make_engine`` pings a connection at checkout only when it was idle longer than ``IDLE_PING_S``, not at every
checkout as SQLAlchemy's ``pool_pre_ping`` does (a round trip on every request): a connection whose backend ended
while it lay in the pool (a restarted database, an idle timeout) is still replaced before a request uses it.
"""

from __future__ import annotations

import time

import anyio.to_thread
import psycopg
import pytest

from needling.clinic import db as DB
from tests.clinic.conftest import PG_ADMIN, login, seeded_pg_app

IDLE_S = 0.3


@pytest.fixture
def clinic(tmp_path, monkeypatch):
    """The app on PostgreSQL with a short idle limit, a logged-in clinician, and the list of pings made."""
    monkeypatch.setattr(DB, "IDLE_PING_S", IDLE_S)
    with seeded_pg_app(tmp_path) as app:
        dialect = type(app.state.engine.dialect)
        real = dialect.do_ping
        pings: list[int] = []

        def counted(self, dbapi_connection):
            pings.append(1)
            return real(self, dbapi_connection)

        monkeypatch.setattr(dialect, "do_ping", counted)
        yield app, login(app, "clinician"), pings


def test_a_connection_used_again_at_once_is_not_pinged_and_an_idle_one_is(clinic):
    _, c, pings = clinic
    for _ in range(5):
        assert c.get("/api/me").status_code == 200
    assert pings == []
    time.sleep(IDLE_S + 0.2)
    assert c.get("/api/me").status_code == 200
    assert pings == [1]


def test_a_connection_broken_while_idle_is_replaced_before_a_request_uses_it(clinic):
    app, c, pings = clinic
    assert c.get("/api/me").status_code == 200
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:  # as a restarted database would: every backend ends
        ended = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (app.state.engine.url.database,),
        ).fetchall()
    assert ended
    time.sleep(IDLE_S + 0.2)
    r = c.get("/api/me")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == c.user["id"]
    assert pings


@pytest.mark.parametrize(("given", "threads"), [(None, 8), ("3", 3)])
def test_a_server_process_runs_its_database_routes_on_the_threads_set(tmp_path, monkeypatch, given, threads):
    """``NEEDLING_THREADS`` (default 8, not the framework's 40) sizes the thread pool when the app starts."""
    from fastapi.testclient import TestClient

    from tests.clinic.conftest import make_app

    if given is not None:
        monkeypatch.setenv("NEEDLING_THREADS", given)
    app = make_app(tmp_path)
    with TestClient(app) as client:  # runs the app's start-up, as uvicorn does
        assert client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens) == threads
        assert client.get("/api/health").status_code == 200
