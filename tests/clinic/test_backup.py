"""Backups and data at rest: backup and restore on SQLite and PostgreSQL, owner-only files, no data in errors."""

from __future__ import annotations

import io
import json
import stat
import tarfile
import uuid
from contextlib import contextmanager
from datetime import date

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from needling.clinic.models import Lot, Patient, Photo, SessionRegion, TreatmentSession, User
from needling.clinic.settings import Settings
from tests.clinic.conftest import PG_ADMIN, login, png_bytes
from tests.clinic.test_photos import jpeg_with_gps_and_comment
from tests.conftest import assert_one_line_error, invoke

TODAY = date.today().isoformat()
TABLES = (User, Patient, Lot, Photo, TreatmentSession, SessionRegion)


@contextmanager
def pg_database():
    name = f"needling_r_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def counts(url: str) -> dict[str, int]:
    from needling.clinic.db import make_engine, session_factory

    engine = make_engine(url)
    with session_factory(engine)() as db:
        out = {m.__tablename__: db.scalar(select(func.count()).select_from(m)) for m in TABLES}
        out["patient names"] = sorted(db.scalars(select(Patient.name)))
    engine.dispose()
    return out


def fill(app) -> list[str]:
    """A patient, a session and two photos; returns the photos' hashes."""
    c = login(app, "clinician")
    pid = c.post(
        "/api/patients",
        json={
            "name": "Backup Patient",
            "intake": {
                "patient": {"age": 40, "sex": "female", "fitzpatrick": 2},
                "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 2}],
            },
        },
    ).json()["id"]
    session = {
        "date": TODAY,
        "regions": [
            {
                "site": "cheek",
                "lot_number": "DR15-2026-A",
                "needle_length_mm": 1.5,
                "passes": 15,
                "override_justification": "backup test",
            }
        ],
    }
    assert c.post(f"/api/patients/{pid}/sessions", json=session).status_code == 201
    hashes = []
    for name, data, ctype in (
        ("a.png", png_bytes("red"), "image/png"),
        ("b.jpg", jpeg_with_gps_and_comment(), "image/jpeg"),
    ):
        r = c.post(
            f"/api/patients/{pid}/photos",
            data={"site": "cheek", "view": "front", "label": "before", "taken": TODAY},
            files={"file": (name, data, ctype)},
        )
        assert r.status_code == 201, r.text
        hashes.append(r.json()["sha256"])
    return hashes


def run_db(monkeypatch, data_dir, *args):
    monkeypatch.setenv("NEEDLING_DATA_DIR", str(data_dir))
    monkeypatch.setenv("NEEDLING_SECRET_KEY", "test-secret")
    return invoke("db", *args)


def test_backup_then_restore_brings_back_rows_and_photos(app, tmp_path, monkeypatch):
    url = app.state.settings.database_url
    data_dir = app.state.settings.data_dir
    hashes = fill(app)
    before = counts(url)
    archive = tmp_path / "clinic.tar"
    done = run_db(monkeypatch, data_dir, "backup", str(archive), "--database-url", url)
    assert done.code == 0, done.stderr
    assert "4 photo files" in done.stdout  # two photos and their thumbnails
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["backend"] in ("sqlite", "postgresql") and len(manifest["photos"]) == 4

    # into an empty database and data folder (another machine)
    elsewhere = tmp_path / "elsewhere"
    with pg_database() if url.startswith("postgresql") else _sqlite(elsewhere) as url2:
        back = run_db(monkeypatch, elsewhere, "restore", str(archive), "--database-url", url2)
        assert back.code == 0, back.stderr
        assert counts(url2) == before
        for h in hashes:
            restored = elsewhere / "photos" / h[:2] / h
            assert restored.read_bytes() == (data_dir / "photos" / h[:2] / h).read_bytes()
            assert stat.S_IMODE(restored.stat().st_mode) == 0o600

    # over the live database: refused without --replace, then the backup's state comes back
    c = login(app, "clinician")
    c.post(
        "/api/patients",
        json={
            "name": "After Backup",
            "intake": {
                "patient": {"age": 30, "sex": "male", "fitzpatrick": 2},
                "goals": [{"region": "forehead", "indication": "wrinkles"}],
            },
        },
    )
    (data_dir / "photos" / hashes[0][:2] / hashes[0]).unlink()
    app.state.engine.dispose()
    refused = run_db(monkeypatch, data_dir, "restore", str(archive), "--database-url", url)
    assert_one_line_error(refused, "already holds users", "--replace")
    assert "After Backup" in counts(url)["patient names"]
    replaced = run_db(monkeypatch, data_dir, "restore", str(archive), "--database-url", url, "--replace")
    assert replaced.code == 0, replaced.stderr
    assert counts(url) == before
    assert (data_dir / "photos" / hashes[0][:2] / hashes[0]).is_file()
    assert login(app, "clinician").get("/api/patients").status_code == 200  # the service works on the restored data


@contextmanager
def _sqlite(folder):
    yield f"sqlite:///{folder / 'needling.db'}"


def _archive(tmp_path, entries: dict[str, bytes], manifest: dict) -> str:
    path = tmp_path / f"crafted-{uuid.uuid4().hex[:6]}.tar"
    with tarfile.open(path, "w") as tar:
        for name, data in {"manifest.json": json.dumps(manifest).encode(), **entries}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return str(path)


def test_what_is_not_a_sound_backup_is_refused_before_anything_changes(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'data' / 'needling.db'}"
    from needling.clinic.db import upgrade

    upgrade(url)
    good = {
        "format": 1,
        "backend": "sqlite",
        "revision": "0001",
        "database": {"name": "database.sqlite", "sha256": "0" * 64},
        "photos": {},
    }
    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(b"\x00\xffnot a tar" * 100)
    cases = [
        (str(garbage), "not a needling backup"),
        (str(tmp_path), "not found"),
        (str(tmp_path / "missing.tar"), "not found"),
        (_archive(tmp_path, {"../evil.sh": b"rm -rf /"}, good), "unexpected entry"),
        (_archive(tmp_path, {"database.sqlite": b"x"}, good), "damaged"),
        (_archive(tmp_path, {"database.sqlite": b"x"}, {**good, "revision": "9999"}), "newer than this needling"),
        (_archive(tmp_path, {"database.pgdump": b"x"}, {**good, "backend": "postgresql"}), "postgresql backup"),
        (
            _archive(tmp_path, {"photos/ab/" + "cd" * 32: b"x"}, {**good, "photos": {"photos/ab/" + "cd" * 32: 1}}),
            "damaged",
        ),
    ]
    for path, needle in cases:
        r = run_db(monkeypatch, tmp_path / "data", "restore", path, "--database-url", url)
        assert_one_line_error(r, needle)
    exists = run_db(monkeypatch, tmp_path / "data", "backup", str(garbage), "--database-url", url)
    assert_one_line_error(exists, "already exists")
    nowhere = run_db(
        monkeypatch, tmp_path / "data", "backup", str(tmp_path / "no" / "such" / "x.tar"), "--database-url", url
    )
    assert_one_line_error(nowhere, "does not exist")


@pytest.mark.postgres
def test_missing_pg_tools_give_one_line(app, tmp_path, monkeypatch):
    url = app.state.settings.database_url
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    r = run_db(monkeypatch, app.state.settings.data_dir, "backup", str(tmp_path / "b.tar"), "--database-url", url)
    assert_one_line_error(r, "pg_dump not found on the PATH", "postgresql-client")
    assert not (tmp_path / "b.tar").exists()


def test_data_folder_photos_and_key_are_owner_only(tmp_path):
    s = Settings(data_dir=tmp_path / "deep" / "data")
    assert stat.S_IMODE(s.data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((s.data_dir / "secret.key").stat().st_mode) == 0o600
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    Settings(data_dir=loose, secret_key="k")
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700


def test_database_errors_carry_no_patient_data(app, caplog):
    secret = "Astrid Lindqvist 19850412-1234"
    with app.state.Session() as db:
        db.add(Lot(lot_number=secret, device_name="dermapen-11", expiry=date(2030, 1, 1)))
        db.commit()
        db.add(Lot(lot_number=secret, device_name="dermapen-11", expiry=date(2030, 1, 1)))
        with caplog.at_level("DEBUG", logger="sqlalchemy"), pytest.raises(IntegrityError) as err:
            db.commit()
    message = str(err.value)
    assert secret not in message and "lot_number" in message  # the schema names, not the values
    assert secret not in caplog.text
