"""``needling db backup PATH`` and ``needling db restore PATH``: the database and the photo store in one archive."""

from __future__ import annotations

from pathlib import Path

import typer


def _settings(database_url: str | None):
    from needling.clinic.settings import Settings

    return Settings(database_url=database_url or "")


def register_db(db: typer.Typer) -> None:
    """Add ``backup`` and ``restore`` to the ``db`` group."""

    @db.command("backup")
    def db_backup(
        path: Path = typer.Argument(..., help="New archive file, or an existing folder to put it in."),
        database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL (default as for serve)."),
    ) -> None:
        """Back up the database and the photo store into one tar archive (owner-only permissions)."""
        from needling.clinic.backup import backup

        done = backup(_settings(database_url), path)
        typer.echo(
            f"backed up the {done.backend} database (schema {done.revision}) and {done.photos} photo files "
            f"to {done.path} ({done.size_bytes / 1e6:.1f} MB)"
        )

    @db.command("restore")
    def db_restore(
        path: Path = typer.Argument(..., help="An archive made by needling db backup."),
        replace: bool = typer.Option(False, "--replace", help="Overwrite a database that already holds users."),
        database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL (default as for serve)."),
    ) -> None:
        """Restore the database and the photos from a backup archive (checked whole before anything changes)."""
        from needling.clinic.backup import restore

        done = restore(_settings(database_url), path, replace=replace)
        typer.echo(
            f"restored the {done.backend} database (schema {done.revision}) and {done.photos} photo files "
            f"from {done.path}"
        )
