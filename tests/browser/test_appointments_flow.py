"""Appointments in the browser (issue 15, items 2 and 9) on a desktop and on a phone: the patient consents to
reminders in Swedish, an appointment is booked, a conflicting booking is refused with what was typed kept, the
appointment is moved, and ``needling reminders run`` delivers its reminder to an SMTP server started here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header

import pytest
from playwright.sync_api import expect

from needling.i18n import day_and_date
from tests.browser.test_clinic_flows import login
from tests.clinic.test_appointments_reminders import Inbox, free_port

TOMORROW = date.today() + timedelta(days=1)
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.mark.parametrize("device", sorted(VIEWPORTS))  # each case on its own server: the reminders run reads it all
def test_book_move_conflict_refused_and_reminder_received(browser, server, tmp_path, device):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        page = browser.new_page(viewport=VIEWPORTS[device])
        login(page, server)
        expect(page).to_have_url(re.compile(r"/dashboard$"))
        expect(page.locator("#today-appointments")).to_be_visible()

        # The patient agrees to reminders, in Swedish.
        page.goto(f"{server.url}/patients/1")
        page.click("text=Appointments and reminders")
        page.fill("#email", "pat@example.se")
        page.select_option("#reminder-language", "sv")
        page.check("input[name=consented]")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".flash")).to_contain_text("Reminder settings saved.")

        # Book tomorrow at 10:00 from the patient's page (the patient is chosen already).
        page.click("text=Book one appointment")
        expect(page.locator("#patient-choice input[value='1']")).to_be_checked()
        page.fill("#day", TOMORROW.isoformat())
        page.fill("#time", "10:00")
        page.fill("#duration_min", "45")
        page.select_option("#room", "Room 1")
        page.get_by_role("button", name="Book", exact=True).click()
        expect(page.locator(".flash")).to_contain_text("Appointment booked.")
        booked = page.locator("li.appointment", has_text="10:00–10:45")
        expect(booked).to_contain_text("Pat Demo")

        # The same clinician at 10:30 in the other room, the patient found by name: refused, and what was typed
        # is still there.
        page.fill("#find", "pat dem")
        page.get_by_role("button", name="Search", exact=True).click()
        page.get_by_role("radio", name=re.compile("Pat Demo")).check()
        page.fill("#day", TOMORROW.isoformat())
        page.fill("#time", "10:30")
        page.select_option("#room", "Room 2")
        page.get_by_role("button", name="Book", exact=True).click()
        expect(page.locator(".flash.error")).to_contain_text("already booked")
        expect(page.locator("#time")).to_have_value("10:30")
        expect(page.locator("#room")).to_have_value("Room 2")
        expect(page.get_by_role("radio", name=re.compile("Pat Demo"))).to_be_checked()
        assert page.locator("li.appointment").count() == 1

        # Move it to 14:00 with the keyboard only.
        page.locator("li.appointment >> text=Move or cancel").focus()
        page.keyboard.press("Enter")
        expect(page.locator("h1")).to_have_text("Appointment")
        page.fill("#time", "14:00")
        page.locator("#move button[type=submit]").focus()
        page.keyboard.press("Enter")
        expect(page.locator(".flash")).to_contain_text("Appointment moved.")
        expect(page.locator("li.appointment")).to_contain_text("14:00–14:45")
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[device]["width"]  # no sideways scroll
        page.goto(f"{server.url}/calendar?view=week&date={TOMORROW}")
        expect(page.locator("li.appointment")).to_contain_text("14:00–14:45")
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[device]["width"]
        page.close()

        # Cron runs the reminders 20 hours before: one message, in Swedish, for the new time.
        start = datetime.combine(TOMORROW, datetime.min.time()).replace(hour=14)
        env = {
            **os.environ,
            "NEEDLING_DATA_DIR": str(tmp_path),
            "NEEDLING_SECRET_KEY": "live-test-secret",
            "NEEDLING_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
            "NEEDLING_MAIL_FROM": "klinik@example.se",
        }
        env.pop("NEEDLING_DATABASE_URL", None)
        run = [sys.executable, "-m", "needling.cli.main", "reminders", "run", "--now"]
        for _ in range(2):  # the second run sends nothing
            done = subprocess.run(
                [*run, (start - timedelta(hours=20)).isoformat()], env=env, capture_output=True, text=True, timeout=120
            )
            assert done.returncode == 0, done.stderr
        assert len(inbox.messages) == 1 and inbox.recipients == [["pat@example.se"]]
        subject = str(make_header(decode_header(inbox.messages[0]["Subject"])))
        assert subject == f"Påminnelse: du har en tid {day_and_date(TOMORROW, 'sv')} kl. 14:00"
    finally:
        smtp.stop()
