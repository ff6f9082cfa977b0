"""``needling serve``, ``needling db upgrade`` and ``needling users create|list|deactivate|reset-password``."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from needling.cli.backup_cmd import register_db
from needling.clinic.roles import Role
from needling.errors import InputError

MAX_WORKERS = 64
"""A bound on ``--workers`` against typing errors (each worker holds its own pool of database connections)."""


def _settings(database_url: str | None):
    from needling.clinic.settings import Settings

    return Settings(database_url=database_url or "")


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``db`` and ``users`` to the CLI."""

    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", help="Port to listen on."),
        database_url: str = typer.Option(
            None, "--database-url", help="SQLAlchemy URL (default NEEDLING_DATABASE_URL, else SQLite in var/)."
        ),
        workers: int = typer.Option(
            1,
            "--workers",
            help=f"Worker processes, 1-{MAX_WORKERS} (default 1). More than 1 needs PostgreSQL; about one per core.",
        ),
    ) -> None:
        """Start the clinic service (migrates the database and seeds a demonstration clinic on first run).

        With ``--workers N`` (N > 1) uvicorn runs N processes on the one port, each with its own connection
        pool; everything they share is in the database (log-ins and their throttling, idempotency keys, stock
        counts, the locks that serialise a patient's recordings). SQLite is refused for more than one worker.

        The start-up line names the HTTP parser and event loop uvicorn took: httptools and uvloop when they are
        installed (they are dependencies), else the slower pure-Python h11 and asyncio's own loop.
        """
        run_server(host, port, database_url, workers)

    db = typer.Typer(help="Database maintenance.", no_args_is_help=True)
    app.add_typer(db, name="db")
    register_db(db)  # backup, restore

    @db.command("upgrade")
    def db_upgrade(database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL.")) -> None:
        """Run the Alembic migrations up to the newest schema."""
        from needling.clinic.db import upgrade

        s = _settings(database_url)
        upgrade(s.database_url)
        typer.echo(f"database at {s.database_url.split('@')[-1]} is up to date")

    users = typer.Typer(help="User accounts.", no_args_is_help=True)
    app.add_typer(users, name="users")

    @users.command("create")
    def users_create(
        email: str = typer.Option(..., "--email", help="Log-in e-mail."),
        name: str = typer.Option(..., "--name", help="Display name."),
        role: Role = typer.Option(..., "--role", help="admin, clinician or patient."),
        patient_id: int = typer.Option(None, "--patient-id", help="For a patient: their record's id."),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="Read the password from the first line of stdin (else it is asked for)."
        ),
        database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL."),
    ) -> None:
        """Create a user; the password (12+ characters, not common, not the e-mail) is asked for or read from stdin."""
        from needling.clinic.accounts import create_user
        from needling.clinic.models import Patient
        from needling.clinic.passwords import check_password

        if role is Role.PATIENT and patient_id is None:
            raise InputError("a patient account needs --patient-id", field="--patient-id")
        password = read_new_password(password_stdin)
        check_password(password, email, field="password")
        with clinic_db(database_url) as session:
            if patient_id is not None and (not 0 < patient_id < 2**31 or session.get(Patient, patient_id) is None):
                raise InputError(f"no patient {patient_id}", field="--patient-id")
            user = create_user(session, email, name, role.value, password, patient_id)
            session.commit()
            typer.echo(f"created {role.value} {user.email} (id {user.id})")

    @users.command("list")
    def users_list(
        database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL."),
        as_json: bool = typer.Option(
            False, "--json", help="JSON: a list of {id, email, name, role, active, patient_id}."
        ),
    ) -> None:
        """List the accounts: e-mail, name, role, active or deactivated, live sessions."""
        from rich.console import Console
        from rich.table import Table

        from needling.clinic import login_sessions as LS
        from needling.clinic.accounts import list_users

        with clinic_db(database_url) as session:
            rows = [
                {
                    "id": u.id,
                    "email": u.email,
                    "name": u.name,
                    "role": u.role,
                    "active": u.active,
                    "patient_id": u.patient_id,
                    "sessions": LS.count(session, u.id),
                }
                for u in list_users(session)
            ]
        if as_json:
            from needling.cli.common import emit_json

            emit_json(rows)
            return
        table = Table(title="Users")
        for col in ("id", "e-mail", "name", "role", "status", "sessions"):
            table.add_column(col)
        for r in rows:
            status = "active" if r["active"] else "deactivated"
            table.add_row(str(r["id"]), r["email"], r["name"], r["role"], status, str(r["sessions"]))
        Console().print(table)

    @users.command("deactivate")
    def users_deactivate(
        email: str = typer.Option(..., "--email", help="The account's log-in e-mail."),
        database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL."),
    ) -> None:
        """Deactivate an account: it can no longer log in, and its sessions end now."""
        from needling.clinic.accounts import deactivate, find_user

        with clinic_db(database_url) as session:
            user = find_user(session, email)
            ended = deactivate(session, None, user)
            session.commit()
            typer.echo(f"deactivated {user.email}; {ended} session(s) ended")

    @users.command("reset-password")
    def users_reset_password(
        email: str = typer.Option(..., "--email", help="The account's log-in e-mail."),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="Read the new password from the first line of stdin (else it is asked for)."
        ),
        database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL."),
    ) -> None:
        """Give an account a new password (policy enforced); every session of the account ends."""
        from needling.clinic.accounts import find_user, set_password

        password = read_new_password(password_stdin)
        with clinic_db(database_url) as session:
            user = find_user(session, email)
            ended = set_password(session, None, user, password)
            session.commit()
            typer.echo(f"new password set for {user.email}; {ended} session(s) ended")


def run_server(host: str, port: int, database_url: str | None, workers: int) -> None:
    """Check the options, migrate and seed once, then serve in this process or in ``workers`` processes."""
    import uvicorn

    from needling.clinic.app import create_app

    if not 1 <= port <= 65535:
        raise InputError(f"--port {port} is out of range; valid: 1-65535", field="--port")
    if not 1 <= workers <= MAX_WORKERS:
        raise InputError(f"--workers {workers} is out of range; valid: 1-{MAX_WORKERS}", field="--workers")
    settings = _settings(database_url)
    if workers > 1 and settings.database_url.startswith("sqlite"):
        raise InputError(
            f"--workers {workers} needs PostgreSQL: SQLite lets one process write at a time, so the workers "
            "would queue on its lock or fail after its timeout; valid: --workers 1 with SQLite, or a "
            "postgresql+psycopg:// --database-url (or NEEDLING_DATABASE_URL)",
            field="--workers",
        )
    application = create_app(settings)  # migrates and seeds once, before any worker starts
    logins = application.state.seeded_logins
    if logins:
        typer.echo("Demonstration clinic created. Log-ins (shown once):")
        for email, password in logins.items():
            typer.echo(f"  {email}  {password}")
    where = f"http://{host}:{port}"
    from needling.cli.http_stack import http_stack

    stack = "HTTP parser {}, event loop {}".format(*http_stack())  # what uvicorn's "auto" takes here
    log_level = os.environ.get("NEEDLING_LOG_LEVEL", "warning")
    if workers == 1:
        typer.echo(f"needling clinic at {where}  ({stack}; API docs: /docs, OpenAPI: /openapi.json)")
        uvicorn.run(application, host=host, port=port, log_level=log_level)
        return
    application.state.engine.dispose()  # the workers open their own connections
    os.environ["NEEDLING_DATABASE_URL"] = settings.database_url  # the workers read their settings from here
    typer.echo(f"needling clinic at {where} with {workers} workers  ({stack}; API docs: /docs, OpenAPI: /openapi.json)")
    from needling.cli.workers_socket import run_workers

    run_workers(f"{__name__}:worker_app", workers, host, port, log_level)  # every answer at once (TCP_NODELAY)


def worker_app():
    """One worker's app for ``needling serve --workers N``: settings from the environment, as the command set them.

    The command has migrated the database and seeded it before starting the workers, so a worker does neither.
    """
    from needling.clinic.app import create_app
    from needling.clinic.settings import Settings

    return create_app(Settings(), migrate=False, seed=False)


def read_new_password(from_stdin: bool) -> str:
    """A new password from the first line of stdin, or asked twice at the terminal; never an argument.

    Raises
    ------
    InputError
        Nothing on stdin, no terminal to ask at, or the two typed passwords differ.
    """
    if from_stdin:
        try:
            password = sys.stdin.readline().rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:  # closed, unreadable or not text
            raise InputError(f"cannot read the password from stdin: {exc}", field="--password-stdin") from None
        if not password:
            raise InputError("no password on stdin; pipe it in, e.g. from a password manager", field="--password-stdin")
        return password
    if not sys.stdin.isatty():
        raise InputError(
            "no terminal to ask for the password; pipe it in with --password-stdin", field="--password-stdin"
        )
    password = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != password:
        raise InputError("the two passwords differ", field="password")
    return password


@contextmanager
def clinic_db(database_url: str | None) -> Iterator:
    """A database session on the migrated clinic database; one-line error if it cannot be reached."""
    from sqlalchemy.exc import ArgumentError, OperationalError

    from needling.clinic.db import make_engine, session_factory, upgrade

    s = _settings(database_url)
    try:
        upgrade(s.database_url)
        engine = make_engine(s.database_url)
    except (OperationalError, ArgumentError) as exc:
        where = s.database_url.split("@")[-1]
        raise InputError(
            f"cannot open the database at {where}: {str(exc).splitlines()[0]}", field="--database-url"
        ) from None
    try:
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()
