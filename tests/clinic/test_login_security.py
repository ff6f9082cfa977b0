"""Log-in: throttling in the database (per account, per address, across restarts, pruned), trusted proxies
only, the same work for unknown e-mails, and a log-in form that cannot be submitted from another site."""

from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from needling.clinic.client import forwarded_for
from needling.clinic.login_sessions import utcnow
from needling.clinic.models import AuditEntry, LoginFailure
from needling.clinic.security import COOKIE, PRE_COOKIE
from needling.clinic.settings import Settings
from needling.errors import InputError
from tests.clinic.conftest import make_app

ADMIN = "admin@demo.clinic"


def from_address(app, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000), follow_redirects=False)


def attempt(app, address: str, email: str, password: str, **headers) -> int:
    return from_address(app, address).post("/api/login", json={"email": email, "password": password}, headers=headers)


def failures(app) -> int:
    with app.state.Session() as db:
        return db.scalar(select(func.count()).select_from(LoginFailure))


def test_account_throttle_holds_whatever_the_address(app):
    password = app.state.seeded_logins[ADMIN]
    for i in range(app.state.settings.login_attempts):
        assert attempt(app, f"192.0.2.{i + 1}", ADMIN, "wrong password").status_code == 401
    r = attempt(app, "198.51.100.7", ADMIN, password)
    assert r.status_code == 429 and "wait" in r.json()["detail"]
    assert (
        attempt(
            app, "198.51.100.7", "clinician@demo.clinic", app.state.seeded_logins["clinician@demo.clinic"]
        ).status_code
        == 200
    )


def test_address_throttle_holds_whatever_the_account(tmp_path):
    app = make_app(tmp_path, login_address_attempts=3)
    for i in range(3):
        assert attempt(app, "203.0.113.9", f"nobody{i}@example.org", "guess-guess-guess").status_code == 401
    assert attempt(app, "203.0.113.9", ADMIN, app.state.seeded_logins[ADMIN]).status_code == 429
    assert attempt(app, "203.0.113.10", ADMIN, app.state.seeded_logins[ADMIN]).status_code == 200
    app.state.engine.dispose()


def test_throttle_holds_across_workers_and_restarts(app, tmp_path):
    url = app.state.settings.database_url
    for _ in range(app.state.settings.login_attempts):
        assert attempt(app, "192.0.2.1", ADMIN, "wrong password").status_code == 401
    second_worker = make_app(tmp_path / "second", url)  # another process's app on the same database
    assert attempt(second_worker, "192.0.2.2", ADMIN, app.state.seeded_logins[ADMIN]).status_code == 429
    second_worker.state.engine.dispose()


def test_old_failures_are_pruned_and_success_resets_the_account(app):
    window = app.state.settings.login_window_s
    with app.state.Session() as db:
        old = utcnow() - timedelta(seconds=2 * window)
        db.add_all([LoginFailure(kind="account", key="0" * 64, at=old) for _ in range(50)])
        db.commit()
    assert failures(app) == 50
    assert attempt(app, "192.0.2.1", ADMIN, "wrong password").status_code == 401
    assert failures(app) == 2  # the stale 50 pruned; this failure counted per account and per address
    assert attempt(app, "192.0.2.1", ADMIN, app.state.seeded_logins[ADMIN]).status_code == 200
    assert failures(app) == 1  # the account starts afresh, the address does not


def test_forwarded_for_is_believed_only_from_trusted_proxies(tmp_path):
    assert forwarded_for("192.0.2.1", ["6.6.6.6"], []) == "192.0.2.1"
    assert forwarded_for("192.0.2.1", ["6.6.6.6"], ["10.0.0.0/8"]) == "192.0.2.1"
    assert forwarded_for("10.0.0.2", ["198.51.100.4"], ["10.0.0.0/8"]) == "198.51.100.4"
    # a client that sends its own header cannot choose its address: the proxy appends the real one
    assert forwarded_for("10.0.0.2", ["6.6.6.6, 198.51.100.4"], ["10.0.0.0/8"]) == "198.51.100.4"
    assert forwarded_for("10.0.0.2", ["198.51.100.4, 10.0.0.3"], ["10.0.0.0/8"]) == "198.51.100.4"
    assert forwarded_for("10.0.0.2", ["not-an-ip"], ["10.0.0.0/8"]) == "10.0.0.2"
    app = make_app(tmp_path, trusted_proxies=["10.0.0.2"])
    attempt(app, "10.0.0.2", ADMIN, "wrong password", **{"x-forwarded-for": "198.51.100.4"})
    attempt(app, "192.0.2.50", ADMIN, "wrong password", **{"x-forwarded-for": "198.51.100.5"})
    with app.state.Session() as db:
        details = [a.detail for a in db.scalars(select(AuditEntry).where(AuditEntry.action == "login-failed"))]
    assert any(d.endswith("from 198.51.100.4") for d in details)
    assert any(d.endswith("from 192.0.2.50") for d in details) and not any("198.51.100.5" in d for d in details)
    app.state.engine.dispose()


def test_unknown_and_known_emails_take_the_same_time(tmp_path):
    app = make_app(tmp_path, login_attempts=100, login_address_attempts=100)

    def timed(email: str) -> float:
        start = time.perf_counter()
        assert attempt(app, "192.0.2.1", email, "wrong password").status_code == 401
        return time.perf_counter() - start

    timed(ADMIN)  # warm up
    # interleaved, so a change in the machine's load during the test weighs on both sides alike
    pairs = [(timed(ADMIN), timed(f"nobody{i}@example.org")) for i in range(9)]
    known = statistics.median(k for k, _ in pairs)
    unknown = statistics.median(u for _, u in pairs)
    assert 0.5 < unknown / known < 2.0, (unknown, known)
    app.state.engine.dispose()


def form_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_login_form_needs_its_pre_session_token(app):
    password = app.state.seeded_logins[ADMIN]
    browser = TestClient(app, follow_redirects=False)
    bare = browser.post("/login", data={"email": ADMIN, "password": password})
    assert bare.status_code == 403 and COOKIE not in bare.cookies
    # an attacker's own page and token, submitted from the victim's browser (a different pre-session cookie)
    attacker = TestClient(app)
    token = form_token(attacker.get("/login").text)
    victim = TestClient(app, follow_redirects=False)
    victim.get("/login")
    forged = victim.post("/login", data={"email": ADMIN, "password": password, "csrf_token": token})
    assert forged.status_code == 403 and COOKIE not in forged.cookies
    good = victim.post(
        "/login", data={"email": ADMIN, "password": password, "csrf_token": form_token(victim.get("/login").text)}
    )
    assert good.status_code == 303 and good.cookies.get(COOKIE) and victim.cookies.get(PRE_COOKIE) is None


def test_session_and_proxy_settings_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NEEDLING_SESSION_IDLE_MINUTES", "5")
    monkeypatch.setenv("NEEDLING_SESSION_MAX_HOURS", "2")
    monkeypatch.setenv("NEEDLING_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
    s = Settings(data_dir=tmp_path, secret_key="k")
    assert (s.session_idle_s, s.session_max_age_s, s.trusted_proxies) == (300, 7200, ["127.0.0.1", "10.0.0.0/8"])
    for name, value, needle in (
        ("NEEDLING_SESSION_IDLE_MINUTES", "soon", "not a number"),
        ("NEEDLING_SESSION_MAX_HOURS", "-1", "out of range"),
        ("NEEDLING_TRUSTED_PROXIES", "proxy.example", "not an address"),
    ):
        monkeypatch.setenv(name, value)
        with pytest.raises(InputError, match=needle):
            Settings(data_dir=tmp_path, secret_key="k")
        monkeypatch.delenv(name)
