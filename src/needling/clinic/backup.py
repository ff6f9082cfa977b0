"""Backups of the clinic: the database and the photo store in one tar archive, and restoring them.

The archive (an uncompressed tar, written with owner-only permissions) holds ``manifest.json`` (format,
backend, schema revision, creation time, the SHA-256 of every file), the database (``database.sqlite``,
taken with SQLite's online backup API while the service runs; or ``database.pgdump``, PostgreSQL's custom
format from ``pg_dump``) and every photo as ``photos/ab/<sha256>``. The signing key is not included:
after a restore on another machine users simply log in again.

Restoring checks the whole archive first (names, hashes, a schema revision this version knows), then
replaces the database (SQLite's backup API; ``pg_restore --clean --single-transaction``), brings it to
the newest schema, and writes the photos back. A database that already holds users is only replaced
when asked (``replace=True``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url

from needling import __version__
from needling.clinic.db import alembic_config, make_engine, upgrade
from needling.clinic.models import User
from needling.clinic.settings import Settings, private_dir
from needling.errors import InputError

FORMAT = 1
MANIFEST = "manifest.json"
PHOTO_NAME = re.compile(r"photos/([0-9a-f]{2})/([0-9a-f]{64})")
DB_NAMES = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}


@dataclass(frozen=True)
class BackupSummary:
    """What a backup or a restore covered.

    Attributes
    ----------
    path : Path
        The archive.
    backend : str
        ``sqlite`` or ``postgresql``.
    revision : str
        The schema revision of the database in the archive.
    photos : int
        Photos in the archive.
    size_bytes : int
        Size of the archive.
    """

    path: Path
    backend: str
    revision: str
    photos: int
    size_bytes: int


def _backend(url: str) -> str:
    if url.startswith("sqlite"):
        return "sqlite"
    if url.startswith("postgresql"):
        return "postgresql"
    raise InputError(
        f"database URL {url.split('@')[-1]} is not supported; valid: sqlite:/// or postgresql://",
        field="--database-url",
    )


def _sqlite_path(url: str) -> Path:
    path = make_url(url).database if url.startswith("sqlite:///") else None  # as SQLAlchemy reads it
    if not path or path == ":memory:":
        raise InputError(
            "an in-memory SQLite database cannot be backed up or restored; valid: sqlite:///FILE",
            field="--database-url",
        )
    return Path(path)


def _pg_env(url: str) -> dict[str, str]:
    """libpq environment for ``url``: the password travels in the environment, never on the command line."""
    u = make_url(url)
    env = dict(os.environ)
    for var, value in (
        ("PGHOST", u.host),
        ("PGPORT", u.port),
        ("PGUSER", u.username),
        ("PGPASSWORD", u.password),
        ("PGDATABASE", u.database),
    ):
        if value is not None:
            env[var] = str(value)
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise InputError(
            f"{name} not found on the PATH; install the PostgreSQL client tools (Debian: apt-get install "
            f"postgresql-client) of the server's major version",
            field=name,
        )
    return found


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = next((ln for ln in reversed(done.stderr.splitlines()) if ln.strip()), f"exit code {done.returncode}")
        raise InputError(f"{what} failed: {last.strip()}", field="--database-url")


def _revision(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if "alembic_version" not in inspect(conn).get_table_names():
                raise InputError(
                    "the database has no schema yet; run needling db upgrade first", field="--database-url"
                )
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
    finally:
        engine.dispose()


def _dump_database(url: str, backend: str, out: Path) -> None:
    if backend == "sqlite":
        source = _sqlite_path(url)
        if not source.is_file():
            raise InputError(f"no SQLite database at {source}", field="--database-url")
        src = sqlite3.connect(source, timeout=30)  # read only by use; a WAL file needs a writable connection
        dst = sqlite3.connect(out)
        try:
            src.backup(dst)  # a consistent copy while the service keeps writing
        finally:
            dst.close()
            src.close()
        return
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={out}"], _pg_env(url), "pg_dump"
    )


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _target(path: Path) -> Path:
    if path.is_dir():
        return path / f"needling-backup-{datetime.now():%Y%m%d-%H%M%S}.tar"
    if path.exists():
        raise InputError(f"{path} already exists; valid: a new file name or a folder", field="PATH")
    if not path.parent.is_dir():
        raise InputError(f"folder {path.parent} does not exist; valid: a path in an existing folder", field="PATH")
    return path


def backup(settings: Settings, path: Path) -> BackupSummary:
    """Write the database and the photo store to a new archive at ``path`` (a file, or a folder to put it in).

    Raises
    ------
    InputError
        For an existing file, a missing folder, an unreachable database or a missing ``pg_dump``.
    """
    url = settings.database_url
    backend = _backend(url)
    target = _target(Path(path))
    revision = _revision(url)
    photo_dir = settings.photo_dir
    photos = (
        sorted(
            p
            for p in photo_dir.glob("??/*")
            if p.is_file() and PHOTO_NAME.fullmatch(f"photos/{p.parent.name}/{p.name}")
        )
        if photo_dir.is_dir()
        else []
    )
    with tempfile.TemporaryDirectory(prefix="needling-backup-") as tmp:
        db_file = Path(tmp) / DB_NAMES[backend]
        _dump_database(url, backend, db_file)
        manifest = {
            "format": FORMAT,
            "needling": __version__,
            "created": datetime.now().isoformat(timespec="seconds"),
            "backend": backend,
            "revision": revision,
            "database": {"name": db_file.name, "sha256": _sha256(db_file)},
            "photos": {f"photos/{p.parent.name}/{p.name}": p.stat().st_size for p in photos},
        }
        partial = target.with_name(target.name + ".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                data = json.dumps(manifest, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(data), 0o600
                tar.addfile(info, io.BytesIO(data))
                tar.add(db_file, arcname=db_file.name, recursive=False)
                for p in photos:
                    tar.add(p, arcname=f"photos/{p.parent.name}/{p.name}", recursive=False)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupSummary(target, backend, revision, len(photos), target.stat().st_size)


def _known_revisions(url: str) -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config(url)).walk_revisions()}


def _open_archive(path: Path) -> tuple[tarfile.TarFile, dict]:
    if not path.is_file():
        raise InputError(f"backup {path} not found (or not a file)", field="PATH")
    tar = None
    try:
        tar = tarfile.open(path, mode="r:")  # noqa: SIM115  (the caller closes it)
        manifest = json.loads(tar.extractfile(tar.getmember(MANIFEST)).read())
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError("unknown format")
    except (tarfile.TarError, KeyError, ValueError, AttributeError, OSError, UnicodeDecodeError):
        if tar is not None:
            tar.close()
        raise InputError(f"{path} is not a needling backup (made by needling db backup)", field="PATH") from None
    return tar, manifest


def _check_archive(tar: tarfile.TarFile, manifest: dict, path: Path) -> None:
    """Every member expected, a regular file, with the recorded hash; nothing else (no path tricks)."""
    db = manifest.get("database", {})
    expected = {MANIFEST, db.get("name")} | set(manifest.get("photos", {}))
    for m in tar.getmembers():
        if m.name not in expected or not m.isfile():
            raise InputError(f"{path} holds an unexpected entry {m.name!r}; not restoring it", field="PATH")
        if m.name == db.get("name"):
            if hashlib.sha256(tar.extractfile(m).read()).hexdigest() != db.get("sha256"):
                raise InputError(f"{path}: the database copy is damaged (hash differs); not restoring it", field="PATH")
        elif (match := PHOTO_NAME.fullmatch(m.name)) is not None:
            if not match.group(2).startswith(match.group(1)) or hashlib.sha256(
                tar.extractfile(m).read()
            ).hexdigest() != match.group(2):
                raise InputError(f"{path}: photo {m.name} is damaged (hash differs); not restoring it", field="PATH")
        elif m.name != MANIFEST:
            raise InputError(f"{path} holds an unexpected entry {m.name!r}; not restoring it", field="PATH")
    missing = expected - set(tar.getnames())
    if missing:
        raise InputError(f"{path} is incomplete: {', '.join(sorted(missing))} missing", field="PATH")


def _holds_users(url: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if "users" not in inspect(conn).get_table_names():
                return False
            return (conn.execute(select(func.count()).select_from(User.__table__)).scalar_one() or 0) > 0
    finally:
        engine.dispose()


def _restore_database(url: str, backend: str, dump: Path) -> None:
    if backend == "sqlite":
        target = _sqlite_path(url)
        private_dir(target.parent, tighten=False)
        src = sqlite3.connect(dump)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)  # replaces every page of the target in one step
        finally:
            dst.close()
            src.close()
        return
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={make_url(url).database}",
            str(dump),
        ],
        _pg_env(url),
        "pg_restore",
    )


def restore(settings: Settings, path: Path, replace: bool = False) -> BackupSummary:
    """Restore the database and the photos from an archive made by :func:`backup`.

    Parameters
    ----------
    settings : Settings
        Where to restore: the database URL and the data folder.
    path : Path
        The archive.
    replace : bool
        Replace a database that already holds users (otherwise refused).

    Raises
    ------
    InputError
        For anything but a sound archive of the same backend and a schema this version knows, a database
        holding data without ``replace``, or a missing ``pg_restore``.
    """
    url = settings.database_url
    backend = _backend(url)
    path = Path(path)
    tar, manifest = _open_archive(path)
    with tar:
        if manifest.get("backend") != backend:
            raise InputError(
                f"{path} is a {manifest.get('backend')} backup; restore it into a {manifest.get('backend')} database",
                field="--database-url",
            )
        if manifest.get("revision") not in _known_revisions(url):
            raise InputError(
                f"{path} has schema revision {manifest.get('revision')!r}, newer than this needling ({__version__}); "
                "upgrade needling first",
                field="PATH",
            )
        _check_archive(tar, manifest, path)
        if backend == "postgresql":
            _tool("pg_restore")
        if not replace and _holds_users(url):
            raise InputError(
                f"the database at {url.split('@')[-1]} already holds users; "
                "add --replace to overwrite it with the backup",
                field="--replace",
            )
        with tempfile.TemporaryDirectory(prefix="needling-restore-") as tmp:
            dump = Path(tmp) / manifest["database"]["name"]
            with tar.extractfile(manifest["database"]["name"]) as src, dump.open("wb") as out:
                shutil.copyfileobj(src, out)
            _restore_database(url, backend, dump)
        upgrade(url)
        photo_dir = private_dir(settings.photo_dir)
        for name in manifest.get("photos", {}):
            match = PHOTO_NAME.fullmatch(name)
            dest = private_dir(photo_dir / match.group(1)) / match.group(2)
            part = dest.with_name(dest.name + ".part")
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out, tar.extractfile(name) as src:
                shutil.copyfileobj(src, out)
            os.replace(part, dest)
    return BackupSummary(path, backend, manifest["revision"], len(manifest.get("photos", {})), path.stat().st_size)
