"""Signed consent in the browser (issue 15, item 3): a session is refused without consent, then recorded with the
clinician's written override; the patient signs on a phone by drawing with the mouse and then a finger, in
Swedish, and downloads the signed consent as a PDF whose text names the patient, the template version and the
hash."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.test_clinic_flows import login
from tests.clinic.server import Server

OVERRIDE = "Paper consent signed at the desk; scanned into the archive today."


@pytest.fixture
def consent_server(tmp_path, monkeypatch):
    """A live server with the consent check on, as a clinic runs it."""
    monkeypatch.setenv("NEEDLING_REQUIRE_CONSENT", "1")
    s = Server(tmp_path)
    yield s
    s.stop()


def draw(page, selector: str) -> None:
    """Draw a stroke across the pad with the pointer (mouse events, which the page receives as pointer events)."""
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + 0.1 * w, y + 0.7 * h)
    page.mouse.down()
    for i in range(1, 21):
        page.mouse.move(x + (0.1 + 0.04 * i) * w, y + (0.7 - 0.5 * ((i % 5) / 5)) * h)
    page.mouse.up()


def draw_by_touch(context, page, selector: str) -> None:
    """Draw a stroke with a finger: touch events sent through the browser's input pipeline (Chrome DevTools)."""
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    cdp = context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x + 0.2 * w, "y": y + 0.5 * h}]})
    for i in range(1, 16):
        point = {"x": x + (0.2 + 0.04 * i) * w, "y": y + (0.5 - 0.02 * i) * h}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_session_refused_then_overridden_and_consent_signed_on_a_phone(browser, consent_server):
    server = consent_server
    clin = browser.new_page()
    login(clin, server, "clinician")
    clin.goto(f"{server.url}/patients/1")
    clin.click("text=Screen and plan")
    expect(clin.locator("#decision")).to_have_text(re.compile("proceed", re.IGNORECASE))
    # no consent yet: the session is refused with the reason, and recorded with a written override
    clin.fill("#r0-lot", "DR15-2026-A")
    clin.click("text=Record session")
    expect(clin.locator(".flash")).to_contain_text("no valid signed consent")
    clin.fill("#r0-lot", "DR15-2026-A")
    clin.fill("#s-consent-override", OVERRIDE)
    clin.click("text=Record session")
    expect(clin.locator(".flash")).to_contain_text("Session recorded")

    # the patient signs on a phone, in Swedish, drawing with the pointer
    ctx = browser.new_context(
        locale="sv-SE",
        extra_http_headers={"Accept-Language": "sv-SE,sv;q=0.9"},
        viewport={"width": 390, "height": 844},
        has_touch=True,
        accept_downloads=True,
    )
    pat = ctx.new_page()
    login(pat, server, "patient")
    pat.click("#portal-consent")
    expect(pat.locator("#consent-text")).to_contain_text("Dina egna risker")
    expect(pat.locator("#consent-text")).to_contain_text(re.compile(r"ungefär \d+ av 100 personer"))
    assert pat.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    version = pat.locator("#consent-version").inner_text()
    digest = pat.locator("#consent-hash").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    draw(pat, "#signature-pad")
    assert pat.locator("#signature-png").input_value().startswith("data:image/png;base64,")
    pat.click("#signature-clear")  # start again, with a finger this time
    assert pat.locator("#signature-png").input_value() == ""
    draw_by_touch(ctx, pat, "#signature-pad")
    assert pat.locator("#signature-png").input_value().startswith("data:image/png;base64,")
    pat.click("#consent-sign")
    expect(pat.locator(".flash")).to_contain_text("Samtycket är undertecknat")
    expect(pat.locator("#consent-list")).to_contain_text("Gäller")
    with pat.expect_download() as info:
        pat.locator("a.consent-pdf").first.click()
    reader = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert 1 <= len(reader.pages) <= 3
    assert "Pat Demo" in text and version in " ".join(text.split()) and digest in re.sub(r"\s+", "", text)
    assert version.startswith("Samtycke till microneedling") and not re.search(r"needling v\d|Mall", text)

    # the clinician sees the signed consent on the tablet page
    clin.goto(f"{server.url}/patients/1/consent")
    expect(clin.locator("#consent-list")).to_contain_text("In force")
    expect(clin.locator("#consent-list")).to_contain_text(digest)
    ctx.close()
