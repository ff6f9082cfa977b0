"""A lot scanned from its GS1 barcode and recalled, in the browser on a desktop and on a phone (issue 15, items 7
and 9): the scanner types the element string into the scan field and presses Enter, the lot form comes back filled
(GTIN, expiry, lot), the lot is registered, a session is recorded from the plan with it, the lot is recalled, and
the recall shows as a banner on the patient's record and in the dashboard's inbox.

Both viewports share one live server (started once for the module); each case uses its own patient and lot."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS
from tests.browser.test_clinic_flows import login

GTIN = "09506000134352"  # GS1's example GTIN-14, with a valid check digit
EXPIRY = date(date.today().year + 2, 1, 15)


@pytest.mark.parametrize("device", sorted(VIEWPORTS))
def test_lot_scanned_from_gs1_used_in_a_session_recalled_and_shown_on_the_record(browser, shared_server, device):
    server = shared_server
    lot_number = f"SCAN-{device.upper()}-7"
    patient = f"Sam Scan {device.title()}"
    context = browser.new_context(**VIEWPORTS[device])
    page = context.new_page()
    login(page, server)
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    # the scanner types the DataMatrix's element string (symbology identifier, GTIN, expiry, lot last) and Enter
    page.goto(f"{server.url}/lots")
    scan = page.locator("#l-gs1")
    scan.focus()
    page.keyboard.type(f"]d201{GTIN}17{EXPIRY:%y%m%d}10{lot_number}")
    page.keyboard.press("Enter")
    expect(page.locator("#l-num")).to_have_value(lot_number)
    expect(page.locator("#l-exp")).to_have_value(EXPIRY.isoformat())
    expect(page.locator("#l-gtin")).to_contain_text(GTIN)
    page.select_option("#l-dev", "dermaroller-192-1.5")
    page.fill("#l-qty", "20")
    page.click("text=Register lot")
    row = page.locator("tr", has_text=lot_number)
    expect(row).to_contain_text("Dermaroller with 192 needles, 1.5 mm")
    expect(row.locator("td.stock")).to_have_text("20")

    # a patient, planned, and a session recorded from the plan with the scanned lot
    page.goto(f"{server.url}/patients")
    page.fill("#name", patient)
    page.fill("#age", "36")
    page.select_option("#fitzpatrick", "2")
    page.select_option("#region", "cheek")
    page.select_option("#indication", "acne-scars")
    page.fill("#grade", "3")
    page.click("text=Add patient")
    expect(page.locator("h1")).to_have_text(patient)
    patient_url = page.url.split("?")[0]
    page.click("text=Screen and plan")
    expect(page.locator("#r0-device")).to_have_value("dermaroller-192-1.5")
    page.fill("#r0-lot", lot_number)
    page.click("text=Record session")
    expect(page.locator(".flash")).to_contain_text("Session recorded")
    expect(page.locator("body")).to_contain_text(f"Dermaroller with 192 needles, 1.5 mm / {lot_number}")
    expect(page.locator(".recall")).to_have_count(0)  # nothing recalled yet
    page.goto(f"{server.url}/lots")
    expect(page.locator("tr", has_text=lot_number).locator("td.stock")).to_have_text("19")  # one item used

    # the maker recalls the lot: the register lists the patient the lot touched
    row = page.locator("tr", has_text=lot_number)
    row.locator("input[name=reason]").fill("sterility breach reported by the maker")
    row.locator("text=Recall").click()
    expect(page.locator("#affected")).to_contain_text(patient)

    # the patient's record opens with the recall banner
    page.goto(patient_url)
    banner = page.locator(".flash.recall")
    expect(banner).to_have_count(1)
    expect(banner).to_contain_text(f"Recalled lot {lot_number} (Dermaroller with 192 needles, 1.5 mm)")
    expect(banner).to_contain_text("sterility breach reported by the maker")

    # and the dashboard's inbox names the patient and the lot
    page.click("header >> text=Dashboard")
    item = page.locator("#inbox li", has_text=lot_number)
    expect(item).to_contain_text("Recalled lot used on this patient")
    expect(item).to_contain_text(patient)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scrolling
    context.close()
