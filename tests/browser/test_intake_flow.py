"""The intake edited with its history in the browser (issue 15, items 4 and 9), on a desktop and on a 360 px phone:
the medication search suggests names as the clinician types, a wrong date comes back marked with everything
typed kept, the saved edit is a new version listed with who, when and what changed, and the plan names the
intake version it was made from."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_clinic_flows import login


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}])
def test_intake_edited_with_its_history(browser, server, viewport):
    page = browser.new_page(viewport=viewport)
    login(page, server)
    page.goto(f"{server.url}/patients/1")
    page.click("text=Screen and plan")
    expect(page.locator("#plan-intake-version")).to_have_text("intake version 1")
    page.click("#edit-intake")
    expect(page.locator("h1")).to_contain_text("Intake of")
    # the medication search fills the suggestions as the clinician types
    page.locator("#med-0-name").press_sequentially("roacc", delay=30)
    expect(page.locator("#med-names option[value=Roaccutane]")).to_have_count(1)
    page.fill("#med-0-name", "Roaccutane 20 mg")
    page.fill("#med-0-last_dose", "2025-01-10")
    page.check("#pregnant")
    page.select_option("#proc-0-kind", "filler")
    page.fill("#proc-0-date", "2025-06-01")
    page.select_option("#proc-0-region", "cheek")
    page.select_option("#goal-1-region", "forehead")
    page.select_option("#goal-1-indication", "fine-lines")
    page.fill("#proc-1-date", "next spring")  # a date no one can read: refused, marked, nothing lost
    page.select_option("#proc-1-kind", "botulinum-toxin")
    page.click("text=Save intake")
    expect(page.locator(".flash.error")).to_contain_text("Choose a date.")  # the reason in words; the field is marked
    expect(page.locator("#proc-1-date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#err-proc-1-date")).to_be_visible()
    expect(page.locator("#med-0-name")).to_have_value("Roaccutane 20 mg")
    expect(page.locator("#med-0-match")).to_contain_text("isotretinoin (ATC D10BA01)")
    expect(page.locator("#pregnant")).to_be_checked()
    expect(page.locator("#goal-1-region")).to_have_value("forehead")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    page.fill("#proc-1-date", "2025-03-01")
    page.click("text=Save intake")
    expect(page.locator(".flash")).to_contain_text("Intake saved as version 2.")
    version = page.locator("#version-2")
    expect(version.locator(".who")).to_have_text("Dr Clara Clinician")
    expect(version).to_contain_text("Pregnant: no → yes")
    expect(version).to_contain_text(re.compile(r"Medications, added: Roaccutane 20 mg, last dose Jan 10, 2025"))
    expect(version).to_contain_text("Procedures, added: filler Jun 1, 2025, cheek")
    expect(version).to_contain_text("Goals, added: forehead: fine lines")
    expect(page.locator("#version-1")).to_contain_text("made from this version")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # a new plan is made from version 2
    page.click("text=Back to the patient")
    page.click("text=Screen and plan")
    expect(page.locator("#plan-intake-version")).to_have_text("intake version 2")
    page.close()


def test_each_goal_chooses_its_region_on_its_own_chart(browser, server):
    page = browser.new_page(viewport={"width": 360, "height": 740})  # a phone
    login(page, server)
    page.goto(f"{server.url}/patients/1/intake")
    first, second = page.locator("#goal-0-region"), page.locator("#goal-1-region")
    kept = first.input_value()
    assert kept  # the stored goal's region
    charts = page.locator("#goals [data-region-chart]")
    expect(charts.first).to_be_visible()  # bound by the script, one per goal row, each closed until opened
    assert charts.count() == page.locator("#goals .goal-row").count()
    two = page.get_by_role("radiogroup", name="Region of goal 2 on the face and body")
    expect(two).to_be_hidden()
    charts.nth(1).get_by_text("Choose on the chart", exact=True).click()
    expect(two).to_be_visible()
    # by mouse: goal 2's chart sets goal 2's own select, goal 1 keeps its region
    two.get_by_role("radio", name="forehead").click()
    expect(second).to_have_value("forehead")
    expect(first).to_have_value(kept)
    expect(two.get_by_role("radio", name="forehead")).to_have_attribute("aria-checked", "true")
    # by keyboard: goal 1's chart, Tab to a region and Space
    charts.first.get_by_text("Choose on the chart", exact=True).click()
    one = page.get_by_role("radiogroup", name="Region of goal 1 on the face and body")
    expect(one.get_by_role("radio", name=re.compile(f"^{kept.replace('-', ' ')}$"))).to_have_attribute(
        "aria-checked", "true"
    )
    one.get_by_role("radio", name="nose").focus()
    page.keyboard.press("Tab")
    expect(one.get_by_role("radio", name="cheek")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(one.get_by_role("radio", name="nose")).to_be_focused()
    page.keyboard.press("Space")
    expect(first).to_have_value("nose")
    expect(second).to_have_value("forehead")  # the other row's chart and select are left alone
    expect(two.get_by_role("radio", name="nose")).to_have_attribute("aria-checked", "false")
    # the row's select moves its own chart
    second.select_option("chin")
    expect(two.get_by_role("radio", name="chin")).to_have_attribute("aria-checked", "true")
    expect(one.get_by_role("radio", name="chin")).to_have_attribute("aria-checked", "false")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # fits the phone
    page.select_option("#goal-1-indication", "fine-lines")
    page.click("text=Save intake")
    expect(page.locator(".flash")).to_contain_text(re.compile(r"Intake saved as version \d+\."))
    expect(page.locator("[id^=version-]").first).to_contain_text("Goals, added: chin: fine lines")
    expect(page.locator("[id^=version-]").first).to_contain_text("nose")
