"""The session page refuses a device other than the planned one, then accepts it with a clinician's written
override that the audit log shows (issue 11, item 8), in the browser against a live server, on a desktop and a
phone sharing one server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS
from tests.browser.test_clinic_flows import login

JUSTIFICATION = "Planned roller out of stock; the 0.5 mm roller chosen with the patient, who agreed to it."


@pytest.mark.parametrize("device", sorted(VIEWPORTS))
def test_session_with_another_device_is_refused_then_overridden_and_audited(browser, shared_server, device):
    server = shared_server
    context = browser.new_context(**VIEWPORTS[device])
    clin = context.new_page()
    login(clin, server, "clinician")
    clin.goto(f"{server.url}/patients")
    clin.fill("#name", f"Dana Device {device.title()}")
    clin.fill("#age", "34")
    clin.select_option("#fitzpatrick", "2")
    clin.select_option("#region", "cheek")
    clin.select_option("#indication", "acne-scars")
    clin.fill("#grade", "3")
    clin.click("text=Add patient")
    expect(clin.locator("h1")).to_have_text(f"Dana Device {device.title()}")
    patient_id = re.search(r"/patients/(\d+)", clin.url).group(1)
    clin.click("text=Screen and plan")
    expect(clin.locator("#decision")).to_have_text(re.compile("Proceed"))
    expect(clin.locator("#r0-device")).to_have_value("dermaroller-192-1.5")

    # a 0.5 mm roller on the cheek: shorter than the plan's needle and within the region's limit, with a valid lot of
    # its own, but not the plan's device: refused with the reason, the form kept as typed
    clin.select_option("#r0-device", "dermaroller-192-0.5")
    clin.fill("#r0-lot", "DR05-2026-B")
    clin.fill("#r0-len", "0.5")
    clin.click("text=Record session")
    flash = clin.locator(".flash")
    expect(flash).to_contain_text(
        "The plan names Dermaroller with 192 needles, 1.5 mm for the area cheek, "
        "not Dermaroller with 192 needles, 0.5 mm."
    )
    expect(clin.locator("#r0-device")).to_have_value("dermaroller-192-0.5")
    expect(clin.locator("#r0-len")).to_have_value("0.5")
    expect(clin.locator("tr.override")).to_have_count(0)  # nothing was recorded

    # the same session with the clinician's written justification is recorded, the override shown with the session
    clin.fill("#r0-lot", "DR05-2026-B")
    clin.fill("#s-just", JUSTIFICATION)
    clin.click("text=Record session")
    expect(clin.locator(".flash")).to_contain_text("Session recorded")
    override = clin.locator("tr.override")
    expect(override).to_have_count(1)
    expect(override).to_contain_text("another device than the plan's")
    expect(override).to_contain_text(JUSTIFICATION)

    # the administrator finds the refusal and the override, with its justification, in the audit log
    admin = browser.new_page()
    login(admin, server, "admin")
    admin.goto(f"{server.url}/audit?patient_id={patient_id}")
    rows = admin.locator("tr", has_text="device-not-planned")
    expect(rows.filter(has_text=JUSTIFICATION)).to_have_count(1)
    expect(rows.filter(has_text="override")).not_to_have_count(0)
    admin.close()
    context.close()
