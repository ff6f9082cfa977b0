"""Fixtures for the clinic: the app on SQLite and on the machine's real PostgreSQL, logged-in clients."""

from __future__ import annotations

import io
import uuid

import psycopg
import pytest
from fastapi.testclient import TestClient

from needling.clinic.app import create_app
from needling.clinic.settings import Settings

PG_ADMIN = "host=127.0.0.1 port=5432 dbname=test user=postgres"


@pytest.fixture(scope="session")
def pg_url():
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    name = f"needling_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def make_app(tmp_path, url: str | None = None, **kw):
    settings = Settings(data_dir=tmp_path, database_url=url or "", secret_key="test-secret", **kw)
    return create_app(settings)


@pytest.fixture(params=["sqlite", "postgres"])
def app(request, tmp_path):
    """The app on each backend (PostgreSQL gets a fresh database per test)."""
    if request.param == "sqlite":
        application = make_app(tmp_path)
        yield application
        application.state.engine.dispose()
        return
    name = f"needling_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    application = make_app(tmp_path, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    yield application
    application.state.engine.dispose()
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


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
