"""A clinician's day in the browser: log in, add a patient, screen and plan, record a session with a lot,
recall the lot and find the patient listed, compare two photos."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.clinic.conftest import png_bytes


def login(page, server, role="clinician"):
    email = f"{role}@demo.clinic"
    page.goto(f"{server.url}/login")
    page.fill("#email", email)
    page.fill("#password", server.logins[email])
    page.click("button[type=submit]")


def test_clinician_flow(browser, server, tmp_path):
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    login(page, server)
    expect(page).to_have_url(re.compile(r"/dashboard$"))  # the clinician's start page
    page.click("header >> text=Patients")
    expect(page).to_have_url(re.compile(r"/patients$"))
    # add a patient
    page.fill("#name", "Robin Roller")
    page.fill("#age", "31")
    page.select_option("#fitzpatrick", "3")
    page.select_option("#region", "cheek")
    page.select_option("#indication", "acne-scars")
    page.fill("#grade", "3")
    page.click("text=Add patient")
    expect(page.locator("h1")).to_have_text("Robin Roller")
    # screen and plan
    page.click("text=Screen and plan")
    expect(page.locator("#decision")).to_have_text(re.compile("Proceed"))
    expect(page.locator("body")).to_contain_text("Dermaroller with 192 needles, 1.5 mm")
    # record a session from the plan: the planned region is pre-filled with its device and depth
    expect(page.locator("#r0-site-name")).to_have_text("cheek")
    expect(page.locator("#r0-include")).to_be_checked()
    expect(page.locator("#r0-device")).to_have_value("dermaroller-192-1.5")
    expect(page.locator("#r0-len")).to_have_value("1.5")
    expect(page.locator("#r1-include")).not_to_be_checked()  # the extra row, for a region not in the plan
    page.fill("#r0-lot", "DR15-2026-A")
    page.fill("#s-pain", "4")
    page.click("text=Record session")
    expect(page.locator(".flash")).to_contain_text("Session recorded")
    expect(page.locator("body")).to_contain_text("DR15-2026-A")
    patient_url = page.url.split("?")[0]
    # an expired lot is refused with the reason
    page.select_option("#r0-device", "dermaroller-192-1.0")
    page.fill("#r0-lot", "DR10-OLD")
    page.fill("#r0-len", "1.0")
    page.click("text=Record session")
    expect(page.locator(".flash")).to_contain_text("expired")
    # the refused form comes back as typed; a second session on the same day is within the minimum interval:
    # refused, then overridden in writing
    expect(page.locator("#r0-device")).to_have_value("dermaroller-192-1.0")
    expect(page.locator("#r0-len")).to_have_value("1.0")
    page.select_option("#r0-device", "dermaroller-192-1.5")
    page.fill("#r0-len", "1.5")
    page.fill("#r0-lot", "DR15-2026-A")
    page.click("text=Record session")
    expect(page.locator(".flash")).to_contain_text("Sessions on an area must be at least")
    page.fill("#r0-lot", "DR15-2026-A")
    page.fill("#s-just", "Touch-up of one scar the patient asked for; consented.")
    page.click("text=Record session")
    expect(page.locator(".flash")).to_contain_text("Session recorded")
    expect(page.locator("tr.override")).to_contain_text("Touch-up of one scar")
    # two photos, compared side by side
    page.click("text=Photos: upload, consent and views")
    for label, colour, taken in (("before", "red", "2026-01-05"), ("after", "green", "2026-03-05")):
        f = tmp_path / f"{label}.png"
        f.write_bytes(png_bytes(colour))
        page.select_option("#p-site", "cheek")
        page.select_option("#p-view", "front")
        page.select_option("#p-label", label)
        page.fill("#p-taken", taken)
        page.set_input_files("#p-file", str(f))
        page.click("text=Upload photo")
        expect(page.locator(".flash")).to_contain_text("Photo stored")
    page.click("text=Compare two dates")
    expect(page.locator(".compare img")).to_have_count(2)
    page.wait_for_function(  # both photos load and decode (on a busy machine this takes a moment)
        "() => [...document.querySelectorAll('.compare img')].every(el => el.complete && el.naturalWidth > 0)"
    )
    # recall the lot and find the patient listed
    page.goto(patient_url.rsplit("/patients", 1)[0] + "/lots")
    row = page.locator("tr", has_text="DR15-2026-A")
    row.locator("input[name=reason]").fill("bent needles reported")
    row.locator("text=Recall").click()
    expect(page.locator("#affected")).to_contain_text("Robin Roller")
    expect(page.locator("body")).to_contain_text("bent needles reported")


def test_patient_sees_only_their_record(browser, server):
    page = browser.new_page()
    login(page, server, "patient")
    expect(page.locator("h1")).to_have_text("My home care")
    page.click("text=My plan")
    expect(page.locator("h1")).to_have_text("My plan")  # the plan in plain words, not the clinician's record
    expect(page.locator("body")).not_to_contain_text("FHIR")
    page.goto(f"{server.url}/patients/999")
    expect(page.locator("h1")).to_have_text("Not found")
    page.goto(f"{server.url}/lots")
    assert "Device lots" not in page.content()
