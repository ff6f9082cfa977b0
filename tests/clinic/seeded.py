"""The demonstration clinic migrated and seeded once per test process, copied for each test's app or live server."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from pathlib import Path

import psycopg

from needling.clinic.app import create_app
from needling.clinic.settings import Settings

PG_ADMIN = "host=127.0.0.1 port=5432 dbname=test user=postgres"


def pg_database_url(name: str) -> str:
    """The SQLAlchemy URL of the PostgreSQL database ``name`` on the machine's server."""
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg_database(name: str) -> None:
    """Drop the PostgreSQL database ``name``, ending any connection still open to it."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


class _SeededTemplates:
    """The demonstration clinic migrated and seeded once per test process, on SQLite (a file) and on PostgreSQL
    (a template database), with the log-ins the seeding printed. An app made from a copy starts exactly as a
    freshly seeded one (same schema and rows; only the seeding's time stamps are earlier in the run) without
    running every migration and hashing four passwords again for each test, which cost about half a second of
    processor time and several writes to disk per app."""

    def __init__(self) -> None:
        self.sqlite: tuple[Path, dict[str, str]] | None = None
        self.pg: tuple[str, dict[str, str]] | None = None

    def sqlite_file(self) -> tuple[Path, dict[str, str]]:
        if self.sqlite is None:
            folder = Path(tempfile.mkdtemp(prefix="needling-seeded-"))
            atexit.register(shutil.rmtree, folder, True)
            application = create_app(Settings(data_dir=folder, database_url="", secret_key="template"))
            application.state.engine.dispose()  # the last connection closed: the WAL is checkpointed into the file
            self.sqlite = (folder / "needling.db", dict(application.state.seeded_logins))
        return self.sqlite

    def pg_template(self) -> tuple[str, dict[str, str]]:
        if self.pg is None:
            name = f"needling_seeded_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            folder = Path(tempfile.mkdtemp(prefix="needling-seeded-"))
            atexit.register(shutil.rmtree, folder, True)
            settings = Settings(data_dir=folder, database_url=pg_database_url(name), secret_key="template")
            application = create_app(settings)
            application.state.engine.dispose()  # a template database must have no connection when it is copied
            self.pg = (name, dict(application.state.seeded_logins))
        return self.pg

    def drop(self) -> None:
        if self.pg is not None:
            drop_pg_database(self.pg[0])
            self.pg = None


SEEDED = _SeededTemplates()


def new_seeded_pg_database() -> tuple[str, dict[str, str]]:
    """A new PostgreSQL database holding the seeded demonstration clinic (a copy of the template) and its
    log-ins; drop it with :func:`drop_pg_database`."""
    template, logins = SEEDED.pg_template()
    name = f"needling_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name, logins


def copy_seeded_sqlite(data_dir: Path) -> dict[str, str] | None:
    """Put a copy of the seeded demonstration clinic at ``data_dir/needling.db`` (the default SQLite file of
    the settings) and return its log-ins; None, copying nothing, when that file exists already."""
    target = data_dir / "needling.db"
    if target.exists():
        return None
    template, logins = SEEDED.sqlite_file()
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return dict(logins)
