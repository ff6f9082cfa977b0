"""Sessions held on the server: log-out, idle and absolute timeouts, password change, deactivation."""

from __future__ import annotations

import time
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from needling.clinic.models import LoginSession
from needling.clinic.passwords import check_password
from needling.clinic.security import COOKIE
from tests.clinic.conftest import Client, login, make_app

NEW_PASSWORD = "heron-lantern-violet-42"


def sessions_in_db(app) -> int:
    with app.state.Session() as db:
        return db.scalar(select(func.count()).select_from(LoginSession))


def replay(app, cookie: str) -> TestClient:
    """A fresh client that presents an old session cookie, as an attacker who copied it would."""
    return TestClient(app, cookies={COOKIE: cookie}, follow_redirects=False)


def test_logout_ends_the_session_on_the_server(app):
    c = login(app, "clinician")
    cookie = c.http.cookies[COOKIE]
    assert replay(app, cookie).get("/api/patients").status_code == 200
    assert sessions_in_db(app) == 1
    assert c.post("/api/logout").status_code == 200
    assert sessions_in_db(app) == 0
    stolen = replay(app, cookie)
    assert stolen.get("/api/patients").status_code == 401
    page = stolen.get("/patients")
    assert page.status_code == 303 and page.headers["location"] == "/login"


def test_page_logout_ends_the_session_too(app):
    c = login(app, "clinician")
    cookie = c.http.cookies[COOKIE]
    r = c.http.post("/logout", data={"csrf_token": c.csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert replay(app, cookie).get("/api/me").status_code == 401


def test_the_database_keeps_no_usable_cookie(app):
    c = login(app, "clinician")
    with app.state.Session() as db:
        stored = db.scalars(select(LoginSession.token_hash)).one()
    assert stored not in c.http.cookies[COOKIE] and len(stored) == 64


def age_session(app, client: Client, *, idle_s: float = 0, age_s: float = 0) -> None:
    """Move a session's last request ``idle_s`` and its log-in ``age_s`` seconds into the past."""
    with app.state.Session() as db:
        row = db.scalars(select(LoginSession).where(LoginSession.user_id == client.user["id"])).one()
        row.last_seen -= timedelta(seconds=idle_s)
        row.created -= timedelta(seconds=age_s)
        db.commit()


def test_idle_timeout_ends_a_quiet_session_but_not_a_busy_one(app):
    idle = app.state.settings.session_idle_s
    busy, quiet = login(app, "clinician"), login(app, "admin")
    age_session(app, quiet, idle_s=idle + 5)
    age_session(app, busy, idle_s=idle - 5)
    assert quiet.get("/api/me").status_code == 401
    assert busy.get("/api/me").status_code == 200  # just in time: the request moves its last use to now
    age_session(app, busy, idle_s=idle - 5)
    assert busy.get("/api/me").status_code == 200
    assert sessions_in_db(app) == 1  # the quiet one was deleted, not just refused


def test_absolute_timeout_ends_even_a_busy_session(app):
    busy = login(app, "clinician")
    age_session(app, busy, age_s=app.state.settings.session_max_age_s + 5)
    assert busy.get("/api/me").status_code == 401


def test_timeouts_in_real_time(tmp_path):
    short = make_app(tmp_path, session_idle_s=1)
    c = login(short, "clinician")
    time.sleep(1.5)
    assert c.get("/api/me").status_code == 401
    short.state.engine.dispose()


def test_password_change_ends_the_other_sessions(app):
    email = "clinician@demo.clinic"
    old = app.state.seeded_logins[email]
    here, elsewhere = login(app, "clinician"), login(app, "clinician")
    wrong = here.post("/api/me/password", json={"old_password": "not-the-password", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 422 and "old_password" in wrong.text
    weak = here.post("/api/me/password", json={"old_password": old, "new_password": "password1234"})
    assert weak.status_code == 422 and "new_password" in weak.text and "common" in weak.text
    ok = here.post("/api/me/password", json={"old_password": old, "new_password": NEW_PASSWORD})
    assert ok.status_code == 200 and ok.json()["other_sessions_ended"] == 1
    assert here.get("/api/me").status_code == 200
    assert elsewhere.get("/api/me").status_code == 401
    assert TestClient(app).post("/api/login", json={"email": email, "password": old}).status_code == 401
    Client(app, email, NEW_PASSWORD)


def test_password_change_page(app):
    c = login(app, "patient")
    other = login(app, "patient")
    old = app.state.seeded_logins["patient@demo.clinic"]
    assert "new_password_again" in c.get("/account").text
    form = {"csrf_token": c.csrf, "old_password": old, "new_password": NEW_PASSWORD}
    differ = c.http.post("/account/password", data={**form, "new_password_again": "something-else-entirely"})
    assert "differ" in differ.text and other.get("/api/me").status_code == 200
    r = c.http.post("/account/password", data={**form, "new_password_again": NEW_PASSWORD})
    assert r.status_code == 200 and "Password changed" in r.text
    assert other.get("/api/me").status_code == 401 and c.get("/api/me").status_code == 200


def test_admin_deactivates_a_user_and_ends_their_sessions(app):
    admin, clin = login(app, "admin"), login(app, "clinician")
    users = {u["email"]: u for u in admin.get("/api/users").json()}
    assert clin.get("/api/users").status_code == 403
    target = users["clinician@demo.clinic"]["id"]
    assert clin.post(f"/api/users/{target}/deactivate").status_code == 403
    assert admin.post(f"/api/users/{admin.user['id']}/deactivate").status_code == 422
    assert admin.post("/api/users/999999/deactivate").status_code == 404
    r = admin.post(f"/api/users/{target}/deactivate")
    assert r.status_code == 200 and r.json() == {"id": target, "active": False, "sessions_ended": 1}
    assert clin.get("/api/patients").status_code == 401
    password = app.state.seeded_logins["clinician@demo.clinic"]
    answer = TestClient(app).post("/api/login", json={"email": "clinician@demo.clinic", "password": password})
    assert answer.status_code == 401 and answer.json()["detail"] == "wrong e-mail or password"


def test_admin_users_page_deactivates(app):
    admin, pat = login(app, "admin"), login(app, "patient")
    page = admin.get("/users")
    assert page.status_code == 200 and "patient@demo.clinic" in page.text
    assert pat.get("/users").status_code == 403
    r = admin.http.post(f"/users/{pat.user['id']}/deactivate", data={"csrf_token": admin.csrf})
    assert r.status_code == 200 and "deactivated" in r.text
    assert pat.get("/api/me").status_code == 401
    assert admin.http.post(f"/users/{pat.user['id']}/deactivate", data={}).status_code == 403  # no CSRF token


def test_seeded_passwords_satisfy_the_policy(app):
    for email, password in app.state.seeded_logins.items():
        check_password(password, email)
