"""The plan's series booked in the browser (issue 15, items 2 and 9) on a desktop and on a phone: the clinician
asks for the plan's proposals at 14:00, confirms three of them, is refused because the third double-books them
(nothing is booked and the ticks are kept), confirms the first two, and the patient sees those two on My plan."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS
from tests.browser.test_clinic_flows import login

TOMORROW = date.today() + timedelta(days=1)
OTHER_INTAKE = {
    "patient": {"age": 35, "sex": "male", "fitzpatrick": 3},
    "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
}


def _api(server, role: str) -> httpx.Client:
    email = f"{role}@demo.clinic"
    c = httpx.Client(base_url=server.url, timeout=60)
    r = c.post("/api/login", json={"email": email, "password": server.logins[email]})
    assert r.status_code == 200, r.text
    c.headers["x-csrf-token"] = r.json()["csrf_token"]
    return c


def _plan_and_clash(server) -> tuple[int, list[str]]:
    """The demonstration patient's plan from tomorrow, and another patient booked with the same clinician at
    14:30 on the plan's third date in the other room: the series' third session at 14:00 would double-book them.
    Returns the patient's number and the plan's dates."""
    api, own = _api(server, "clinician"), _api(server, "patient")
    try:
        patient = own.get("/api/me").json()["patient_id"]
        clinician = api.get("/api/me").json()["id"]
        r = api.post(f"/api/patients/{patient}/plan", json={"start": TOMORROW.isoformat()})
        assert r.status_code in (200, 201), r.text
        dates = r.json()["plan"]["series"]["dates"]
        assert len(dates) >= 3, dates
        other = api.post("/api/patients", json={"name": "Sam Other", "intake": OTHER_INTAKE})
        assert other.status_code == 201, other.text
        clash = {
            "patient_id": other.json()["id"],
            "clinician_id": clinician,
            "room": "Room 2",
            "starts_at": f"{dates[2]}T14:30",
            "duration_min": 30,
        }
        r = api.post("/api/appointments", json=clash)
        assert r.status_code == 201, r.text
    finally:
        api.close()
        own.close()
    return patient, dates


@pytest.mark.parametrize("device", sorted(VIEWPORTS))  # each case on its own server: one demonstration patient
def test_series_proposals_confirmed_with_a_double_booking_refused_and_shown_on_my_plan(browser, server, device):
    patient, dates = _plan_and_clash(server)
    width = VIEWPORTS[device]["viewport"]["width"]
    ctx = browser.new_context(**VIEWPORTS[device])
    page = ctx.new_page()
    login(page, server)
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    # The plan's sessions proposed at 14:00, every open one ticked.
    page.goto(f"{server.url}/patients/{patient}/appointments")
    expect(page.locator("#series-title")).to_have_text("The plan's series")
    page.fill("#at", "14:00")
    page.get_by_role("button", name="Propose").click()
    boxes = page.locator("#series input[name=session]")
    expect(boxes).to_have_count(len(dates))
    expect(page.locator("#series legend")).to_have_text("Sessions to book at 14:00")
    for n in range(len(dates)):
        expect(boxes.nth(n)).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll

    # Sessions 1 to 3: the third double-books the clinician, so none is booked and the ticks stay.
    for n in range(3, len(dates)):
        boxes.nth(n).uncheck()
    page.fill("#series-duration", "60")
    page.select_option("#series-room", "Room 1")
    page.get_by_role("button", name="Confirm and book").click()
    expect(page.locator(".flash.error")).to_contain_text("already booked")
    expect(page.locator(".flash.error")).to_contain_text("14:30 to 15:00")  # the other patient's booking
    expect(page.locator("li.appointment")).to_have_count(0)
    for n in range(len(dates)):
        assert boxes.nth(n).is_checked() == (n < 3), f"session {n + 1}: the choice typed was not kept"
    expect(page.locator("#series-duration")).to_have_value("60")
    expect(page.locator("#series-room")).to_have_value("Room 1")

    # Without the third: sessions 1 and 2 booked, shown as the plan's sessions and no longer offered.
    boxes.nth(2).uncheck()
    page.get_by_role("button", name="Confirm and book").click()
    expect(page.locator(".flash")).to_contain_text("The series' appointments are booked.")
    booked = page.locator("li.appointment")
    expect(booked).to_have_count(2)
    for n in (0, 1):
        expect(booked.nth(n)).to_contain_text("14:00–15:00")
        expect(booked.nth(n)).to_contain_text(f"session {n + 1} of the plan")
        expect(boxes.nth(n)).to_be_disabled()
    expect(boxes.nth(2)).to_be_enabled()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ctx.close()

    # The patient sees the two confirmed appointments, and nothing else, on My plan.
    ctx = browser.new_context(**VIEWPORTS[device])
    page = ctx.new_page()
    login(page, server, role="patient")
    page.goto(f"{server.url}/my-plan")
    mine = page.locator("#my-appointments li")
    expect(mine).to_have_count(2)
    for n in (0, 1):
        expect(mine.nth(n)).to_contain_text("14:00–15:00, Room 1")
    expect(page.locator("#no-appointments")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ctx.close()
