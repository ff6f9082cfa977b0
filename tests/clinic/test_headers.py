"""Security headers, no caching of patient data, no inline script or style, and API docs without a CDN."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.clinic.conftest import login, make_app, png_bytes

TODAY = date.today().isoformat()


@pytest.fixture
def sqlite_app(tmp_path):
    application = make_app(tmp_path)
    yield application
    application.state.engine.dispose()


def assert_protected(r) -> None:
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "style-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["cache-control"] == "no-store", r.request.url


def test_every_response_with_patient_data_is_protected_and_not_cached(sqlite_app):
    c = login(sqlite_app, "clinician")
    c.post("/api/patients/1/plan", json={"start": TODAY})
    photo = c.post(
        "/api/patients/1/photos",
        data={"site": "cheek", "view": "front", "label": "before", "taken": TODAY},
        files={"file": ("a.png", png_bytes(), "image/png")},
    )
    assert photo.status_code == 201, photo.text
    urls = [
        "/api/patients",
        "/api/patients/1",
        "/api/patients/1/fhir",
        "/api/patients/1/schedule.ics",
        f"/api/photos/{photo.json()['id']}",
        "/patients",
        "/patients/1",
        "/lots",
        "/openapi.json",
        "/docs",
    ]
    for url in urls:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
        assert_protected(r)
    anonymous = TestClient(sqlite_app)
    for url in ("/login", "/api/health", "/api/patients", "/nowhere"):
        assert_protected(anonymous.get(url, follow_redirects=False))
    assert "strict-transport-security" not in anonymous.get("/login").headers


def test_static_files_may_be_cached(sqlite_app):
    r = TestClient(sqlite_app).get("/static/style.css")
    assert r.status_code == 200 and r.headers.get("cache-control") != "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_hsts_only_behind_tls(tmp_path):
    application = make_app(tmp_path, secure_cookies=True)
    r = TestClient(application).get("/api/health")
    assert r.headers["strict-transport-security"].startswith("max-age=31536000")
    application.state.engine.dispose()


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle=", re.I),
    re.compile(r"\son[a-z]+=", re.I),
    re.compile(r"javascript:", re.I),
]


def assert_no_inline_code(html: str, url: str) -> None:
    for pattern in INLINE:
        assert not pattern.search(html), (url, pattern.pattern, pattern.search(html))


def test_pages_carry_no_inline_script_or_style(sqlite_app):
    pages = {
        "clinician": ["/patients", "/patients/1", "/lots"],
        "admin": ["/patients", "/audit", "/lots"],
        "patient": ["/portal", "/patients/1"],
    }
    for role, urls in pages.items():
        c = login(sqlite_app, role)
        for url in urls:
            r = c.get(url)
            assert r.status_code == 200, (role, url)
            assert_no_inline_code(r.text, url)
    assert_no_inline_code(TestClient(sqlite_app).get("/login").text, "/login")


def test_api_docs_work_offline(sqlite_app):
    http = TestClient(sqlite_app)
    page = http.get("/docs")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text and "//" not in page.text.replace("<!--", "")
    assert_no_inline_code(page.text, "/docs")
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert len(refs) >= 3
    for ref in refs:
        assert ref.startswith("/"), ref
        asset = http.get(ref)
        assert asset.status_code == 200 and len(asset.content) > 100, ref
    assert http.get("/redoc").status_code == 404
