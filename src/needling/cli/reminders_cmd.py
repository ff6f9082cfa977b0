"""``needling reminders run``: send the appointment reminders that are due (safe to run from cron)."""

from __future__ import annotations

from datetime import datetime

import typer

from needling.errors import InputError


def _now(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=None)
    except ValueError:
        raise InputError(f"--now {text[:40]!r} is not a date and time; valid: e.g. 2026-12-01T08:00", "--now") from None


def register(app: typer.Typer) -> None:
    """Add ``reminders`` to the CLI."""
    reminders = typer.Typer(help="Appointment reminders by e-mail.", no_args_is_help=True)
    app.add_typer(reminders, name="reminders")

    @reminders.command("run")
    def run(
        database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL (default as for serve)."),
        now: str = typer.Option(None, "--now", help="The clinic's local time to act at (default: the clock)."),
        json_out: bool = typer.Option(False, "--json", help="Print what was done as JSON."),
    ) -> None:
        """Send the reminders that are due (NEEDLING_SMTP_URL, NEEDLING_REMINDER_LEAD_HOURS); none goes twice."""
        from rich.console import Console
        from rich.table import Table

        from needling.cli.common import emit_json
        from needling.cli.serve_cmd import _settings, clinic_db
        from needling.clinic.reminders import parse_smtp_url, run_due

        at = _now(now)
        settings = _settings(database_url)
        if not settings.smtp_url:
            raise InputError("NEEDLING_SMTP_URL is not set; valid: smtp://HOST[:PORT]", field="NEEDLING_SMTP_URL")
        parse_smtp_url(settings.smtp_url)  # a bad URL is one line before the database is touched
        with clinic_db(database_url) as db:
            result = run_due(db, settings.smtp_url, settings.mail_from, settings.reminder_lead_h, at)
        if json_out:
            emit_json(result.to_json())
            return
        table = Table(title=f"Reminders due within {settings.reminder_lead_h:g} h")
        table.add_column("what")
        table.add_column("appointments", justify="right")
        table.add_row("sent", str(len(result.sent)))
        table.add_row("already taken by another run", str(len(result.claimed_elsewhere)))
        table.add_row("not sent (error; retried next run)", str(len(result.failed)))
        table.add_row("no consent to reminders", str(result.without_consent))
        Console().print(table)
        for appointment_id, error in result.failed:
            typer.echo(f"appointment {appointment_id}: {error}", err=True)
        if result.failed:
            raise typer.Exit(1)
