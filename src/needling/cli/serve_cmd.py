"""``needling serve``, ``needling db upgrade`` and ``needling users create``: the clinic service."""

from __future__ import annotations

import getpass
import os
from enum import StrEnum

import typer

from needling.cli.backup_cmd import register_db
from needling.errors import InputError


class Role(StrEnum):
    admin = "admin"
    clinician = "clinician"
    patient = "patient"


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
    ) -> None:
        """Start the clinic service (migrates the database and seeds a demonstration clinic on first run)."""
        import uvicorn

        from needling.clinic.app import create_app

        if not 1 <= port <= 65535:
            raise InputError(f"--port {port} is out of range; valid: 1-65535", field="--port")
        application = create_app(_settings(database_url))
        logins = application.state.seeded_logins
        if logins:
            typer.echo("Demonstration clinic created. Log-ins (shown once):")
            for email, password in logins.items():
                typer.echo(f"  {email}  {password}")
        typer.echo(f"needling clinic at http://{host}:{port}  (API docs: /docs, OpenAPI: /openapi.json)")
        uvicorn.run(application, host=host, port=port, log_level=os.environ.get("NEEDLING_LOG_LEVEL", "warning"))

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
        password: str = typer.Option(None, "--password", help="Password (asked for if not given)."),
        database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL."),
    ) -> None:
        """Create a user with an argon2-hashed password."""
        from needling.clinic.db import make_engine, session_factory, upgrade
        from needling.clinic.models import Patient
        from needling.clinic.seed import create_user

        if password is None:
            password = getpass.getpass("Password: ")
        if len(password) < 8:
            raise InputError("password must have at least 8 characters", field="--password")
        if role is Role.patient and patient_id is None:
            raise InputError("a patient account needs --patient-id", field="--patient-id")
        s = _settings(database_url)
        upgrade(s.database_url)
        with session_factory(make_engine(s.database_url))() as session:
            if patient_id is not None and session.get(Patient, patient_id) is None:
                raise InputError(f"no patient {patient_id}", field="--patient-id")
            try:
                user = create_user(session, email.lower(), name, role.value, password, patient_id)
            except ValueError as exc:
                raise InputError(str(exc), field="--email") from None
            session.commit()
            typer.echo(f"created {role.value} {user.email} (id {user.id})")
