"""The home-care companion in the browser: the clinician prescribes; the patient (on a phone, in Swedish)
registers a roller and logs two sessions a day apart, is warned for the second; the clinician sees the alert."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.test_clinic_flows import login


def test_patient_logs_too_soon_and_the_clinician_sees_the_alert(browser, server):
    clin = browser.new_page()
    login(clin, server, "clinician")
    clin.goto(f"{server.url}/patients/1")
    clin.select_option("#h-dev", "home-roller-540-0.25")
    clin.fill("#h-len", "0.25")
    clin.fill("#h-freq", "7")
    clin.fill("#h-areas", "cheek")
    clin.click("text=Prescribe home care")
    expect(clin.locator(".flash")).to_contain_text("Home care prescribed")

    ctx = browser.new_context(
        locale="sv-SE", extra_http_headers={"Accept-Language": "sv-SE,sv;q=0.9"}, viewport={"width": 390, "height": 844}
    )
    pat = ctx.new_page()
    login(pat, server, "patient")
    expect(pat).to_have_url(re.compile(r"/portal"))
    expect(pat.locator("h1")).to_have_text("Min egenvård")
    pat.select_option("#d-name", "home-roller-540-0.25")
    pat.fill("#d-lot", "HR-12345")
    pat.click("text=Spara >> nth=-1")
    expect(pat.locator(".flash")).to_contain_text("Sparat")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    pat.fill("#l-date", yesterday)
    pat.fill("#l-passes", "6")
    pat.click("form[action='/portal/logs'] button")
    expect(pat.locator(".flash")).to_contain_text("Sparat")
    pat.fill("#l-date", date.today().isoformat())
    pat.click("form[action='/portal/logs'] button")
    expect(pat.locator("#warnings")).to_contain_text("Vänta minst")
    expect(pat.locator("td.logged")).to_have_count(2 if date.today().day > 1 else 1)

    # the patient changes their own photo choice on "My plan"; the clinician's photo page shows it
    pat.goto(f"{server.url}/my-plan")
    expect(pat.locator("#photo-consent")).to_contain_text("Du har inte gjort något val än")
    pat.get_by_label("Foton bara i journalen, för min vård").check()
    pat.click("#save-photo-choice")
    expect(pat.locator(".flash")).to_contain_text("Ditt val om foton är sparat")
    expect(pat.locator("#photo-consent")).to_contain_text("Foton bara i journalen, för min vård")
    expect(pat.get_by_label("Foton bara i journalen, för min vård")).to_be_checked()

    clin.goto(f"{server.url}/patients/1")
    expect(clin.locator("#alerts")).to_contain_text("H03-too-soon")
    expect(clin.locator("#alerts")).to_contain_text("Wait at least")
    clin.goto(f"{server.url}/patients/1/photos")
    expect(clin.locator("#photo-consent")).to_contain_text("Photos in the record only, for my care")
