"""Fixtures for the clinic: the app on SQLite and on the machine's real PostgreSQL, logged-in clients."""

from __future__ import annotations

import contextlib
import io
import uuid
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from needling.clinic.app import create_app
from needling.clinic.settings import Settings
from tests.clinic.seeded import (
    PG_ADMIN,
    SEEDED,
    copy_seeded_sqlite,
    drop_pg_database,
    new_seeded_pg_database,
    pg_database_url,
)


@pytest.fixture(scope="session")
def pg_url():
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    name = f"needling_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_database_url(name)
    drop_pg_database(name)


@pytest.fixture(autouse=True, scope="session")
def _drop_the_seeded_template():
    """Drop the PostgreSQL template database at the end of the run (it is made on first use)."""
    yield
    SEEDED.drop()


def make_app(tmp_path, url: str | None = None, **kw):
    """The app on ``url``, or on SQLite in ``tmp_path``; a new SQLite file starts as a copy of the seeded
    demonstration clinic (``app.state.seeded_logins`` as if it had just been seeded), an existing one is opened
    as it is."""
    copied = copy_seeded_sqlite(Path(tmp_path)) if url is None else None
    settings = Settings(data_dir=tmp_path, database_url=url or "", secret_key="test-secret", **kw)
    application = create_app(settings)
    if copied is not None:
        application.state.seeded_logins = dict(copied)
    return application


@contextlib.contextmanager
def seeded_pg_app(tmp_path, **kw):
    """The app (settings ``kw``) on a new PostgreSQL database holding the seeded demonstration clinic, with its
    log-ins in ``app.state.seeded_logins``; the database is dropped afterwards."""
    name, logins = new_seeded_pg_database()
    application = make_app(tmp_path, pg_database_url(name), **kw)
    application.state.seeded_logins = dict(logins)
    try:
        yield application
    finally:
        application.state.engine.dispose()
        drop_pg_database(name)


@pytest.fixture(params=["sqlite", "postgres"])
def app(request, tmp_path):
    """The app on each backend (PostgreSQL gets a fresh database per test, a copy of the seeded template)."""
    if request.param == "sqlite":
        application = make_app(tmp_path)
        yield application
        application.state.engine.dispose()
        return
    with seeded_pg_app(tmp_path) as application:
        yield application


class Client:
    """A logged-in API client that sends its CSRF token on unsafe requests."""

    def __init__(self, app, email: str, password: str) -> None:
        self.http = TestClient(app)
        r = self.http.post("/api/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        self.csrf = r.json()["csrf_token"]
        self.user = r.json()["user"]

    def get(self, url, **kw):
        return self.http.get(url, **kw)

    def post(self, url, **kw):
        return self.http.post(url, headers={"x-csrf-token": self.csrf}, **kw)

    def put(self, url, **kw):
        return self.http.put(url, headers={"x-csrf-token": self.csrf}, **kw)


def login(app, role: str) -> Client:
    email = f"{role}@demo.clinic"
    return Client(app, email, app.state.seeded_logins[email])


def png_bytes(colour: str = "red") -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(1, 1))
    fig.patch.set_facecolor(colour)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()
