"""Redirects go only to paths of this site; banners show only messages the server itself set."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from needling.clinic.redirects import safe_path
from tests.clinic.conftest import login, make_app

OFFSITE = [
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "evil.example",
    "",
    "/" + "a" * 400,
]


@pytest.mark.parametrize("target", OFFSITE)
def test_offsite_targets_are_refused(target):
    assert safe_path(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/", "/patients/3", "/lots?x=1", "/portal#today"])
def test_same_site_paths_are_kept(target):
    assert safe_path(target) == target


@pytest.fixture
def sqlite_app(tmp_path):
    application = make_app(tmp_path)
    yield application
    application.state.engine.dispose()


def log_in_form(app, next_path: str):
    browser = TestClient(app, follow_redirects=False)
    page = browser.get("/login", params={"next": next_path}).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    sent_next = re.search(r'name="next" value="([^"]*)"', page).group(1)
    email = "clinician@demo.clinic"
    form = {"email": email, "password": app.state.seeded_logins[email], "csrf_token": token, "next": next_path}
    return browser.post("/login", data=form), sent_next


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example", "https://evil.example/"])
def test_login_never_redirects_off_site(sqlite_app, target):
    r, sent_next = log_in_form(sqlite_app, target)
    assert r.status_code == 303 and r.headers["location"] == "/" and sent_next == "/"


def test_login_returns_to_a_same_site_path(sqlite_app):
    r, _ = log_in_form(sqlite_app, "/lots")
    assert r.status_code == 303 and r.headers["location"] == "/lots"


def flash_of(html: str) -> str | None:
    m = re.search(r'<div class="flash[^"]*" role="status">(.*?)</div>', html, re.S)
    return m.group(1) if m else None


def test_banner_shows_only_what_the_server_set(sqlite_app):
    c = login(sqlite_app, "clinician")
    assert flash_of(c.get("/patients?flash=Call+0700+123+456&kind=error").text) is None
    assert flash_of(c.get("/patients?m=Call+0700+123+456").text) is None
    expiry = (date.today() + timedelta(days=90)).isoformat()
    r = c.http.post(
        "/lots",
        data={"csrf_token": c.csrf, "device_name": "dermapen-11", "lot_number": "PEN-77", "expiry": expiry},
        follow_redirects=False,
    )
    location = r.headers["location"]
    assert "PEN-77" not in location  # only a signed id and its arguments, not readable text to alter
    assert flash_of(c.get(location).text) == "Lot PEN-77 registered."
    swedish = c.get(location, headers={"accept-language": "sv-SE,sv;q=0.9"}).text
    assert flash_of(swedish) == "Batch PEN-77 är registrerad."
    value = location.split("m=")[1]
    tampered = location.replace(value, value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"))
    assert flash_of(c.get(tampered).text) is None


def test_portal_warnings_come_only_from_the_patients_own_log(sqlite_app):
    clin, pat = login(sqlite_app, "clinician"), login(sqlite_app, "patient")
    pid = pat.user["patient_id"]
    prescription = {"device_name": "home-roller-540-0.25", "needle_length_mm": 0.25, "frequency_days": 7}
    clin.post(f"/api/patients/{pid}/home-prescription", json={**prescription, "areas": ["cheek"], "topical": "none"})
    dev = pat.post(
        "/api/portal/devices",
        json={
            **{k: prescription[k] for k in ("device_name", "needle_length_mm")},
            "first_use": date.today().isoformat(),
        },
    ).json()["id"]
    day = (date.today() - timedelta(days=1)).isoformat()
    form = {"csrf_token": pat.csrf, "date": day, "area": "cheek", "device_id": dev, "passes": 6}
    pat.http.post("/portal/logs", data=form)
    r = pat.http.post("/portal/logs", data={**form, "date": date.today().isoformat()}, follow_redirects=False)
    page = pat.get(r.headers["location"]).text
    assert 'id="warnings"' in page
    forged = quote(json.dumps(["Your clinic has moved: call 0700 123 456"]))
    assert "0700" not in pat.get(f"/portal?warnings={forged}").text
