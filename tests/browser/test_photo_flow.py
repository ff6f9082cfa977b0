"""An outcome with photos compared by view, on a desktop and on a phone: the photo consent recorded, two photos
of one region and view taken on two dates (the view limited to the region's, the framing guide over the
preview), the outcome recorded, and the two dates compared side by side and with the slider by keyboard."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from needling.i18n import table_date
from tests.browser.test_clinic_flows import login
from tests.clinic.conftest import png_bytes

EARLIER = (date.today() - timedelta(days=90)).isoformat()
LATER = date.today().isoformat()


def no_sideways_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_outcome_with_photos_compared_by_view(browser, server, tmp_path):
    for viewport in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):  # desktop, then a phone
        page = browser.new_page(viewport=viewport)
        login(page, server)
        expect(page).to_have_url(re.compile(r"/dashboard$"))
        page.goto(f"{server.url}/patients/1")
        page.click("text=Photos: upload, consent and views")
        expect(page.locator("h1")).to_contain_text("Photos of")
        # the patient's choice, recorded
        page.check("input[name=scope][value=exports]")
        page.fill("#pc-note", "signed paper form")
        page.click("text=Record the choice")
        expect(page.locator(".flash")).to_contain_text("photo consent is recorded")
        expect(page.locator("#photo-consent")).to_contain_text("may leave it")
        # the scalp offers only its own views, and the guide follows the view
        page.select_option("#p-site", "scalp")
        assert page.locator("#p-view option[value=left-45]").is_disabled()
        page.select_option("#p-view", "scalp-top")
        expect(page.locator("svg[data-guide=scalp-top]")).to_be_visible()
        page.select_option("#p-site", "cheek")  # the cheek has no view from above: its first view is chosen
        expect(page.locator("#p-view")).to_have_value("front")
        # two dates of the cheek, turned 45 degrees to the left
        for taken, colour in ((EARLIER, "red"), (LATER, "green")):
            f = tmp_path / f"{colour}.png"
            f.write_bytes(png_bytes(colour))
            page.select_option("#p-site", "cheek")
            page.select_option("#p-view", "left-45")
            expect(page.locator("svg[data-guide=left-45]")).to_be_visible()
            expect(page.locator("svg[data-guide=front]")).to_be_hidden()
            assert page.get_attribute("#p-file", "capture") == "environment"
            page.set_input_files("#p-file", str(f))
            expect(page.locator("[data-preview]")).to_be_visible()  # the photo under the framing guide
            expect(page.locator("figure.framing")).to_have_class(re.compile("with-photo"))
            page.fill("#p-taken", taken)
            page.click("text=Upload photo")
            expect(page.locator(".flash")).to_contain_text("Photo stored")
        thumbs = page.locator("section.photo-region", has_text="cheek").locator("ul.thumbs img")
        thumbs.first.scroll_into_view_if_needed()  # thumbnails load lazily, when they come into view
        expect(thumbs.first).to_be_visible()
        page.wait_for_function(
            "() => { const el = document.querySelector('section.photo-region ul.thumbs img');"
            " return el.complete && el.naturalWidth > 0; }"
        )
        assert page.evaluate("() => document.querySelector('section.photo-region ul.thumbs img').naturalWidth") <= 320
        no_sideways_scroll(page)
        # the outcome, assessed on these two photos
        page.goto(f"{server.url}/patients/1/records")
        page.fill("#o-date", LATER)
        page.select_option("#o-site", "cheek")
        page.fill("#o-grade", "2")
        for taken in (EARLIER, LATER):
            label = page.locator("#o-photos label", has_text=table_date(taken, "en"))
            label.filter(has_text="left 45°").last.locator("input").check()
        page.click("text=Record outcome")
        outcome = page.locator("section[id^=outcome-]").last
        expect(outcome).to_contain_text("grade 2")
        expect(outcome.locator("img")).to_have_count(2)
        page.goto(f"{server.url}/patients/1/photos")
        # compared by view: side by side, then the slider by keyboard
        page.locator("h4", has_text="left 45°").locator("text=Compare two dates").click()
        expect(page.locator("#c-view")).to_have_value("left-45")
        expect(page.locator("#c-a")).to_have_value(EARLIER)
        expect(page.locator("#c-b")).to_have_value(LATER)
        expect(page.locator(".compare img")).to_have_count(2)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.compare img')].every(el => el.complete && el.naturalWidth > 0)"
        )
        slider = page.get_by_label("Share of the later photo shown, from the left, in percent")
        expect(slider).to_be_visible()
        slider.focus()
        for _ in range(10):
            page.keyboard.press("ArrowLeft")
        expect(slider).to_have_value("40")
        assert "60%" in page.get_attribute("[data-over]", "style")
        page.keyboard.press("End")
        expect(slider).to_have_value("100")
        no_sideways_scroll(page)
        expect(page.locator("body")).not_to_contain_text("without the photos")  # consent covers exports
        page.close()
