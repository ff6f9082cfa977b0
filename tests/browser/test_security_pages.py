"""In a real browser: the API docs run offline under the Content-Security-Policy, and pages violate it nowhere."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_clinic_flows import login


def watch(page, server):
    """Collect CSP violations reported on the console and requests to any other origin."""
    seen = {"csp": [], "foreign": []}
    page.on(
        "console",
        lambda m: seen["csp"].append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on(
        "request",
        lambda r: None if r.url.startswith((server.url, "data:")) else seen["foreign"].append(r.url),
    )
    return seen


def test_api_docs_render_offline_without_csp_violations(browser, server):
    page = browser.new_page()
    seen = watch(page, server)
    page.goto(f"{server.url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("needling clinic")
    expect(page.locator(".opblock").first).to_be_visible()
    assert seen == {"csp": [], "foreign": []}


def test_pages_keep_to_the_csp(browser, server):
    page = browser.new_page()
    seen = watch(page, server)
    login(page, server, "patient")
    expect(page.locator("h1")).to_be_visible()
    login(page, server, "clinician")
    page.goto(f"{server.url}/patients/1")
    expect(page.locator("h1")).to_be_visible()
    assert seen == {"csp": [], "foreign": []}


def test_logout_cookie_is_worthless_afterwards(browser, server):
    context = browser.new_context()
    page = context.new_page()
    login(page, server, "clinician")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    stolen = [c for c in context.cookies() if c["name"] == "needling_session"]
    assert stolen
    page.click("header button")  # log out
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.locator(".flash")).to_contain_text("Logged out")
    replay = browser.new_context()
    replay.add_cookies(stolen)
    other = replay.new_page()
    other.goto(f"{server.url}/patients")
    expect(other).to_have_url(re.compile(r"/login$"))
    assert other.request.get(f"{server.url}/api/me").status == 401
    context.close()
    replay.close()
