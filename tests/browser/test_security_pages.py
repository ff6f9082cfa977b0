"""In a real browser: the API docs run offline under the Content-Security-Policy, and pages violate it nowhere."""

from __future__ import annotations

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
