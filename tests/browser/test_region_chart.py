"""The region chart in the browser (issue 15, item 6): a region chosen on the intake chart by click and by
keyboard is what the form submits; on the patient page the plan colours the planned region by its depth band,
and the session form's chart toggles a region by mouse, touch and keyboard, and the session records it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from needling.clinic.region_chart import depth_band
from tests.browser.test_clinic_flows import login


def test_regions_chosen_on_the_chart_are_submitted_and_the_plan_is_coloured(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)  # a phone
    page = context.new_page()
    login(page, server)
    page.goto(f"{server.url}/patients")
    chart = page.locator(".region-chart[data-form=intake-form]")
    expect(chart).to_be_visible()  # shown once the script has bound it to the form
    drawn = chart.bounding_box()
    assert drawn is not None and drawn["x"] >= 0 and drawn["x"] + drawn["width"] <= 360  # fits a 360 px phone
    # the thinnest shape (under the jaw, 12 units high) is still a target of 24 CSS px or more on a phone,
    # the minimum of WCAG 2.2 success criterion 2.5.8 (target size)
    thinnest = page.get_by_role("radio", name="under the jaw").bounding_box()
    assert thinnest is not None and thinnest["height"] >= 24
    # by mouse: the scalp is chosen in the form's own select
    page.get_by_role("radio", name="scalp").click()
    expect(page.locator("#region")).to_have_value("scalp")
    expect(page.get_by_role("radio", name="scalp")).to_have_attribute("aria-checked", "true")
    # by keyboard: Tab from the nose reaches the cheek, Space chooses it
    page.get_by_role("radio", name="nose").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("radio", name="cheek")).to_be_focused()
    page.keyboard.press("ArrowLeft")  # the arrows move too, wrapping around
    expect(page.get_by_role("radio", name="nose")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="cheek")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#region")).to_have_value("cheek")
    expect(page.get_by_role("radio", name="scalp")).to_have_attribute("aria-checked", "false")
    # the form's select moves the chart too
    page.select_option("#region", "neck")
    expect(page.get_by_role("radio", name="neck")).to_have_attribute("aria-checked", "true")
    page.get_by_role("radio", name="forehead").focus()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="back")).to_be_focused()
    page.get_by_role("radio", name="cheek").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#region")).to_have_value("cheek")
    page.fill("#name", "Chart Chooser")
    page.fill("#age", "34")
    page.select_option("#indication", "acne-scars")
    page.fill("#grade", "3")
    page.click("text=Add patient")
    expect(page.locator("h1")).to_have_text("Chart Chooser")
    expect(page.locator("main > p.muted").first).to_contain_text("cheek: acne scars")
    # the plan: the cheek coloured by the band of its planned needle, the rest not in the plan
    page.click("text=Screen and plan")
    expect(page.locator("#decision")).to_have_text(re.compile("Proceed"))
    needle = float(page.locator("#r0-len").input_value())
    cheek = page.locator("#plan-chart path[data-site=cheek]")
    expect(cheek).to_have_class(f"region depth-{depth_band(needle)}")
    expect(cheek).to_have_attribute("aria-label", re.compile(r"^cheek: needle 1.5\smm, \d+ sessions every"))
    expect(page.locator("#plan-chart path[data-site=forehead]")).to_have_class("region unplanned")
    colour = cheek.evaluate("e => getComputedStyle(e).fill")
    unplanned = page.locator("#plan-chart path[data-site=forehead]").evaluate("e => getComputedStyle(e).fill")
    assert colour != unplanned
    # the session form's chart: checkboxes bound to the form, the planned cheek pre-ticked
    session_chart = page.locator(".region-chart[data-form=session-form]")
    box = session_chart.get_by_role("checkbox", name="cheek")
    expect(box).to_have_attribute("aria-checked", "true")
    size = box.bounding_box()
    assert size is not None
    box.tap(position={"x": size["width"] * 0.15, "y": size["height"] / 2})  # touch, on the left cheek: left out
    expect(page.locator("#r0-include")).not_to_be_checked()
    expect(box).to_have_attribute("aria-checked", "false")
    box.focus()
    page.keyboard.press("Space")  # keyboard: back in
    expect(page.locator("#r0-include")).to_be_checked()
    # a region not in the plan goes to the form's extra row, and out again
    forehead = session_chart.get_by_role("checkbox", name="forehead")
    forehead.click()
    expect(page.locator("#r1-site")).to_have_value("forehead")
    expect(page.locator("#r1-include")).to_be_checked()
    forehead.press("Enter")
    expect(page.locator("#r1-include")).not_to_be_checked()
    expect(forehead).to_have_attribute("aria-checked", "false")
    page.fill("#r0-lot", "DR15-2026-A")
    page.click("text=Record session")
    expect(page.locator(".flash")).to_contain_text("Session recorded")
    expect(page.locator("#plan-chart path[data-site=cheek]")).to_have_attribute("aria-label", re.compile("1 recorded"))
    context.close()


def test_the_chart_is_named_in_swedish(browser, server):
    context = browser.new_context(locale="sv-SE", extra_http_headers={"accept-language": "sv-SE,sv;q=0.9"})
    page = context.new_page()
    login(page, server)
    page.goto(f"{server.url}/patients")
    expect(page.get_by_role("radiogroup", name="Områden på ansikte och kropp")).to_be_visible()
    page.get_by_role("radio", name="hårbotten").click()
    expect(page.locator("#region")).to_have_value("scalp")
    context.close()
