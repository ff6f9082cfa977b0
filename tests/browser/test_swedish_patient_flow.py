"""In the browser, one patient in Swedish from end to end (issue 16, item 6): the patient switches the language
in the account with an English browser; the portal and My plan follow it, the consent form shows the Swedish text
and is signed, My plan lists the signed consent; the clinician's reminder form starts in the patient's language,
and ``needling reminders run`` delivers a Swedish reminder to an SMTP server started here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header

from playwright.sync_api import expect

from tests.browser.test_clinic_flows import login
from tests.browser.test_consent_flow import draw
from tests.clinic.test_appointments_reminders import Inbox, body, free_port

TOMORROW = date.today() + timedelta(days=1)


def test_patient_in_swedish_portal_consent_and_reminder(browser, server, tmp_path):
    from aiosmtpd.controller import Controller

    clin = browser.new_page(extra_http_headers={"Accept-Language": "en-GB,en;q=0.9"})
    login(clin, server, "clinician")
    clin.goto(f"{server.url}/patients/1")
    clin.click("text=Screen and plan")
    expect(clin.locator("#decision")).to_have_text(re.compile("proceed", re.IGNORECASE))

    # The patient, with an English browser, chooses Swedish in the account.
    ctx = browser.new_context(
        locale="en-GB", extra_http_headers={"Accept-Language": "en-GB,en;q=0.9"}, viewport={"width": 360, "height": 740}
    )
    pat = ctx.new_page()
    login(pat, server, "patient")
    expect(pat.locator("h1")).to_have_text("My home care")
    pat.goto(f"{server.url}/account")
    pat.select_option("#language", "sv")
    pat.click("form[action='/account/language'] button")
    expect(pat.locator(".flash")).to_contain_text("Språket är sparat.")
    pat.goto(f"{server.url}/portal")
    expect(pat.locator("html")).to_have_attribute("lang", "sv")
    expect(pat.locator("h1")).to_have_text("Min egenvård")
    pat.goto(f"{server.url}/my-plan")
    expect(pat.locator("#consents")).to_have_text("Dina samtycken")
    expect(pat.locator("main")).to_contain_text("Du har inte skrivit under något samtycke än.")

    # The consent form in Swedish, signed on the phone; My plan then lists it.
    pat.goto(f"{server.url}/portal")
    pat.click("#portal-consent")
    expect(pat.locator("#consent-text")).to_have_attribute("lang", "sv")
    expect(pat.locator("#consent-text")).to_contain_text("Dina egna risker")
    draw(pat, "#signature-pad")
    pat.click("#consent-sign")
    expect(pat.locator(".flash")).to_contain_text("Samtycket är undertecknat")
    pat.goto(f"{server.url}/my-plan")
    expect(pat.locator("main")).to_contain_text("undertecknat")
    expect(pat.locator("main")).to_contain_text("Gäller")
    assert pat.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    ctx.close()

    # The clinician's reminder form starts in the patient's language; a booking tomorrow gets a Swedish reminder.
    clin.goto(f"{server.url}/patients/1")
    clin.click("text=Appointments and reminders")
    expect(clin.locator("#reminder-language")).to_have_value("sv")
    clin.fill("#email", "pat@example.se")
    clin.check("input[name=consented]")
    clin.get_by_role("button", name="Save").click()
    expect(clin.locator(".flash")).to_contain_text("Reminder settings saved.")
    clin.click("text=Book one appointment")
    clin.fill("#day", TOMORROW.isoformat())
    clin.fill("#time", "10:00")
    clin.fill("#duration_min", "45")
    clin.get_by_role("button", name="Book", exact=True).click()
    expect(clin.locator(".flash")).to_contain_text("Appointment booked.")

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        env = {
            **os.environ,
            "NEEDLING_DATA_DIR": str(tmp_path),
            "NEEDLING_SECRET_KEY": "live-test-secret",
            "NEEDLING_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        }
        env.pop("NEEDLING_DATABASE_URL", None)
        at = datetime.combine(TOMORROW, datetime.min.time()).replace(hour=10) - timedelta(hours=20)
        done = subprocess.run(
            [sys.executable, "-m", "needling.cli.main", "reminders", "run", "--now", at.isoformat()],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    finally:
        smtp.stop()
    assert len(inbox.messages) == 1 and inbox.recipients == [["pat@example.se"]]
    msg = inbox.messages[0]
    assert str(make_header(decode_header(msg["Subject"]))).startswith("Påminnelse: du har en tid")
    assert msg["Content-Language"] == "sv" and "kl. 10:00" in body(msg)
