"""In the browser: the patient switches the language in the account and the portal follows it whatever the
browser says; every patient page fits a 360 px phone without sideways scrolling, in Swedish and English."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_clinic_flows import login

PATIENT_PAGES = ("/portal", "/my-plan", "/account")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_patient_switches_language_and_every_patient_page_fits_360_px(browser, server):
    ctx = browser.new_context(
        locale="en-GB", extra_http_headers={"Accept-Language": "en-GB,en;q=0.9"}, viewport={"width": 360, "height": 740}
    )
    page = ctx.new_page()
    login(page, server, "patient")
    expect(page.locator("h1")).to_have_text("My home care")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for path in PATIENT_PAGES:
        page.goto(f"{server.url}{path}")
        assert fits(page), f"{path} scrolls sideways at 360 px (en)"

    page.goto(f"{server.url}/account")
    page.select_option("#language", "sv")
    page.click("form[action='/account/language'] button")
    expect(page.locator(".flash")).to_contain_text("Språket är sparat.")
    page.goto(f"{server.url}/portal")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_text("Min egenvård")  # the profile beats the English browser
    page.click("header >> text=Min plan")
    expect(page.locator("h1")).to_have_text("Min plan")
    for path in PATIENT_PAGES:
        page.goto(f"{server.url}{path}")
        assert fits(page), f"{path} scrolls sideways at 360 px (sv)"
    ctx.close()
