"""Record forms in the browser on a phone (issue 15, item 4): an outcome with the photos of its region, a
session note written from the region's template, and an amendment shown under the original, which stays."""

from __future__ import annotations

import re
from datetime import date

import httpx
from playwright.sync_api import expect

from tests.browser.test_clinic_flows import login
from tests.clinic.conftest import png_bytes


def _session_and_photos(server) -> None:
    c = httpx.Client(base_url=server.url, timeout=60)
    r = c.post(
        "/api/login", json={"email": "clinician@demo.clinic", "password": server.logins["clinician@demo.clinic"]}
    )
    c.headers["x-csrf-token"] = r.json()["csrf_token"]
    today = date.today().isoformat()
    assert c.post("/api/patients/1/plan", json={"start": today}).status_code == 201
    region = {"site": "cheek", "lot_number": "DR15-2026-A", "needle_length_mm": 1.5, "passes": 8, "endpoint": "none"}
    assert c.post("/api/patients/1/sessions", json={"date": today, "regions": [region]}).status_code == 201
    for colour in ("red", "blue"):
        up = c.post(
            "/api/patients/1/photos",
            data={"site": "cheek", "view": "front", "label": "after", "taken": today},
            files={"file": ("p.png", png_bytes(colour), "image/png")},
        )
        assert up.status_code == 201, up.text
    c.close()


def test_outcome_note_and_amendment_on_a_phone(browser, server):
    _session_and_photos(server)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    login(page, server)
    page.goto(f"{server.url}/patients/1")
    page.click("#records-link")
    # an outcome with a grade typed wrong: refused, marked, kept; then saved with both photos
    page.select_option("#o-site", "cheek")
    page.fill("#o-grade", "two")
    page.locator("input[name=o-photos]").first.check()
    page.click("text=Record outcome")
    expect(page.locator("#o-grade")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#o-grade")).to_have_value("two")
    expect(page.locator("input[name=o-photos]").first).to_be_checked()
    page.fill("#o-grade", "2")
    page.locator("input[name=o-photos]").nth(1).check()
    page.click("text=Record outcome")
    expect(page.locator(".flash")).to_contain_text("Outcome recorded.")
    expect(page.locator(".outcome-photos img")).to_have_count(2)
    # a note from the cheek's template
    page.click("a.write-notes")
    note = page.locator("#note-cheek")
    expect(note).to_have_value(re.compile("^Skin before: "))
    note.fill(note.input_value().replace("Skin before: ", "Skin before: calm", 1))
    page.click("text=Save notes")
    expect(page.locator(".flash")).to_contain_text("Session notes saved.")
    expect(page.locator(".note-text")).to_contain_text("Skin before: calm")
    # an amendment of the note: both are shown
    page.locator(".note + p a.amend-link").first.click()
    page.fill("#text", "Skin before: two papules on the left")
    page.fill("#reason", "seen under the lamp")
    page.click("text=Save amendment")
    expect(page.locator(".flash")).to_contain_text("the original is kept")
    expect(page.locator(".note-text")).to_contain_text("Skin before: calm")
    expect(page.locator(".amendment")).to_contain_text("two papules on the left")
    expect(page.locator(".amendment")).to_contain_text("seen under the lamp")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.close()
