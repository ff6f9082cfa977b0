"""``needling users``: passwords only from a prompt or stdin, the policy enforced, sessions ended."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from fastapi.testclient import TestClient

from tests.clinic.conftest import login, make_app
from tests.conftest import assert_one_line_error

GOOD = "heron-lantern-violet-42"


def db_url(tmp_path) -> str:
    return f"sqlite:///{(tmp_path / 'needling.db').as_posix()}"


def with_stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_password_is_never_an_argument(cli, tmp_path):
    r = cli("users", "create", "--email", "a@b.se", "--name", "A", "--role", "admin", "--password", GOOD)
    assert r.code == 2 and "--password" in r.stderr


def test_create_reads_stdin_and_enforces_the_policy(cli, tmp_path, monkeypatch):
    url = db_url(tmp_path)
    args = [
        "users",
        "create",
        "--email",
        "Eva@Clinic.se",
        "--name",
        "Eva",
        "--role",
        "clinician",
        "--database-url",
        url,
    ]
    for weak, needle in (("short", "at least 12"), ("password1234", "common"), ("eva@clinic.se", "e-mail")):
        with_stdin(monkeypatch, weak + "\n")
        assert_one_line_error(cli(*args, "--password-stdin"), needle)
    with_stdin(monkeypatch, "")
    assert_one_line_error(cli(*args, "--password-stdin"), "no password on stdin")
    with_stdin(monkeypatch, "")  # not a terminal: no prompt to fall back to
    assert_one_line_error(cli(*args), "--password-stdin")
    with_stdin(monkeypatch, GOOD + "\n")
    r = cli(*args, "--password-stdin")
    assert r.code == 0 and "created clinician eva@clinic.se" in r.stdout
    listed = cli("users", "list", "--json", "--database-url", url)
    assert [u["email"] for u in listed.json()] == ["eva@clinic.se"] and listed.json()[0]["active"]


def test_create_from_a_real_pipe(tmp_path):
    env = {**os.environ, "NEEDLING_DATA_DIR": str(tmp_path)}
    cmd = [sys.executable, "-m", "needling.cli.main", "users", "create", "--email", "piped@clinic.se"]
    cmd += ["--name", "P", "--role", "admin", "--password-stdin", "--database-url", db_url(tmp_path)]
    done = subprocess.run(cmd, input=GOOD + "\n", capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert GOOD not in " ".join(cmd)


def test_deactivate_and_reset_password_end_sessions(cli, tmp_path, monkeypatch):
    app = make_app(tmp_path)  # the seeded clinic, in tmp_path/needling.db
    url = app.state.settings.database_url
    clin, pat = login(app, "clinician"), login(app, "patient")
    r = cli("users", "deactivate", "--email", "clinician@demo.clinic", "--database-url", url)
    assert r.code == 0 and "1 session(s) ended" in r.stdout
    assert clin.get("/api/me").status_code == 401
    with_stdin(monkeypatch, GOOD + "\n")
    r = cli("users", "reset-password", "--email", "patient@demo.clinic", "--password-stdin", "--database-url", url)
    assert r.code == 0 and "1 session(s) ended" in r.stdout
    assert pat.get("/api/me").status_code == 401
    again = TestClient(app).post("/api/login", json={"email": "patient@demo.clinic", "password": GOOD})
    assert again.status_code == 200
    listed = {u["email"]: u for u in cli("users", "list", "--json", "--database-url", url).json()}
    assert not listed["clinician@demo.clinic"]["active"] and listed["patient@demo.clinic"]["sessions"] == 1
    assert cli("users", "list", "--database-url", url).code == 0
    assert_one_line_error(cli("users", "deactivate", "--email", "nobody@x.se", "--database-url", url), "no user")
    app.state.engine.dispose()
