"""Dashboard triage in the browser (issue 15, items 1 and 9), on a desktop and a phone: a lot about to expire
shows in the alert inbox, is assigned and acknowledged; a patient is found by personnummer after the identity
form refused a wrong one."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_clinic_flows import login

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.mark.parametrize("device", sorted(VIEWPORTS))  # each case on its own server: it starts from an empty inbox
def test_dashboard_triage_of_an_alert_and_search(browser, server, device):
    page = browser.new_page(viewport=VIEWPORTS[device])
    login(page, server)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.locator("#inbox-empty")).to_be_visible()  # the demo clinic has nothing open
    # a lot that expires in ten days is registered
    page.goto(f"{server.url}/lots")
    page.fill("#l-num", "SOON-2026")
    page.fill("#l-exp", (date.today() + timedelta(days=10)).isoformat())
    page.click("text=Register lot")
    page.click("header >> text=Dashboard")
    item = page.locator("#inbox li", has_text="SOON-2026")
    expect(item).to_contain_text("Lot expires within 30 days")
    # assigned to the clinician, then acknowledged
    item.locator("select").select_option(label="Dr Clara Clinician")
    item.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("Item assigned.")
    item = page.locator("#inbox li", has_text="SOON-2026")
    expect(item).to_contain_text("Assigned to Dr Clara Clinician.")
    item.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(".flash")).to_contain_text("Item acknowledged.")
    expect(page.locator("#inbox-empty")).to_be_visible()
    page.click("text=Show acknowledged items too")
    expect(page.locator("#inbox li", has_text="SOON-2026")).to_contain_text("Acknowledged.")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[device]["width"]  # no sideways scroll
    # the demo patient's personnummer: a wrong check digit is refused, the right one stored and found
    page.goto(f"{server.url}/patients/1")
    page.click("text=Personnummer and date of birth")
    page.fill("#personnummer", "19811228-9875")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("check digit of the personnummer is wrong")
    expect(page.locator("#personnummer")).to_have_value("19811228-9875")
    page.fill("#personnummer", "19811228-9874")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Identity saved.")
    page.click("header >> text=Dashboard")
    page.fill("#q", "811228-9874")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-results")).to_contain_text("Pat Demo")
    expect(page.locator("#search-results")).to_contain_text("19811228-9874")
