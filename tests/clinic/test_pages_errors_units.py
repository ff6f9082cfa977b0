"""Pages people can use (issue 15, item 8, in part): styled error pages instead of JSON, a refused form
comes back (422) with what was typed, and units and codes shown as people write them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from needling.i18n import table_date
from tests.clinic.conftest import login, make_app

TODAY = date.today().isoformat()


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    yield application
    application.state.engine.dispose()


def is_error_page(r, status: int, title: str) -> None:
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert '<link rel="stylesheet" href="/static/style.css">' in r.text  # the site's look, not a bare page
    assert re.search(rf'<h1 id="error-title">{re.escape(title)}</h1>', r.text), r.text[:800]


def main_text(html: str) -> str:
    """The visible text of the page's main part (tags removed)."""
    main = html.split("<main>", 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", main)


def test_browser_errors_are_styled_pages_and_the_api_keeps_json(app):
    patient = login(app, "patient")
    is_error_page(patient.get("/no-such-page"), 404, "Not found")
    is_error_page(patient.get("/patients/999"), 404, "Not found")
    forbidden = patient.get("/lots")
    is_error_page(forbidden, 403, "Not allowed")
    assert "Pat Demo" in forbidden.text  # the header still shows who is logged in
    assert "Your role may not do this." in forbidden.text  # the service's reason, worded for the reader
    swedish = patient.get("/lots", headers={"accept-language": "sv-SE,sv;q=0.9"})
    is_error_page(swedish, 403, "Inte tillåtet")
    assert "Din roll får inte göra det här." in swedish.text and "may not" not in swedish.text
    missing = patient.get("/patients/999", headers={"accept-language": "sv-SE,sv;q=0.9"})
    assert "not found" not in main_text(missing.text)  # an English-only reason is left out of a Swedish page
    for url, status in (("/api/no-such-thing", 404), ("/api/lots", 403), ("/api/patients/999", 404)):
        r = patient.get(url)
        assert r.status_code == status and r.headers["content-type"] == "application/json", url
    clinician = login(app, "clinician")
    bad_csrf = clinician.http.post("/lots/1/recall", data={"csrf_token": "forged", "reason": "x"})
    is_error_page(bad_csrf, 403, "Not allowed")
    assert "reload the page" in bad_csrf.text
    is_error_page(TestClient(app).get("/no-such-page"), 404, "Not found")  # logged out


def test_a_refused_new_patient_comes_back_with_what_was_typed(app):
    c = login(app, "clinician")
    form = {
        "csrf_token": c.csrf,
        "name": "Kim Typed",
        "age": "forty",
        "sex": "male",
        "fitzpatrick": "5",
        "region": "upper-arm",
        "indication": "striae",
        "grade": "",
        "conditions": "",
        "medications": "isotretinoin",
    }
    r = c.http.post("/patients", data=form)
    assert r.status_code == 422
    assert "Not saved: age: &#39;forty&#39; is not a whole number; valid: 0-120" in r.text
    assert 'value="Kim Typed"' in r.text and 'value="forty"' in r.text and 'value="isotretinoin"' in r.text
    assert '<option value="male" selected>male</option>' in r.text and "<option selected>5</option>" in r.text
    assert '<option value="upper-arm" selected>upper arm</option>' in r.text
    ok = c.http.post("/patients", data={**form, "age": "40"}, follow_redirects=False)
    assert ok.status_code == 303


def test_the_quick_patient_form_offers_conditions_as_words_and_keeps_the_ticks(app):
    # it asked for "comma-separated identifiers" such as history-of-herpes-labialis
    c = login(app, "clinician")
    page = c.get("/patients").text
    assert "identifiers" not in page and "history-of-herpes-labialis" not in main_text(page)
    assert 'value="history-of-herpes-labialis"> cold sores in the past' in page
    form = {"csrf_token": c.csrf, "name": "Tove Ticks", "age": "x", "sex": "female", "fitzpatrick": "2"}
    form |= {"region": "cheek", "indication": "acne-scars", "grade": "2", "medications": ""}
    form["conditions"] = ["history-of-herpes-labialis", "eczema"]
    refused = c.http.post("/patients", data=form)
    assert refused.status_code == 422
    assert 'value="eczema" checked' in refused.text and 'value="rosacea" checked' not in refused.text
    ok = c.http.post("/patients", data={**form, "age": "30"}, follow_redirects=False)
    pid = int(ok.headers["location"].split("?")[0].rsplit("/", 1)[1])
    assert c.get(f"/api/patients/{pid}").json()["intake"]["conditions"] == ["history-of-herpes-labialis", "eczema"]


def test_a_refused_lot_comes_back_with_what_was_typed(app):
    c = login(app, "clinician")
    past = (date.today() - timedelta(days=2)).isoformat()
    form = {"csrf_token": c.csrf, "device_name": "dermapen-11", "lot_number": "PEN-OLD-7", "expiry": past}
    r = c.http.post("/lots", data=form)
    assert r.status_code == 422
    assert "Lot not registered: The expiry date" in r.text and "has passed" in r.text
    sv = c.http.post("/lots", data=form, headers={"accept-language": "sv-SE,sv;q=0.9"})
    when = table_date(date.today() - timedelta(days=2), "sv")  # the date in words, never ISO, in the refusal
    assert f"Batchen registrerades inte: Utgångsdatumet {when} har passerat." in sv.text
    assert "is in the past" not in sv.text
    assert 'value="PEN-OLD-7"' in r.text and f'value="{past}"' in r.text
    assert '<option value="dermapen-11" selected>' in r.text
    assert 'name="single_use" value="1" class="auto"' in r.text  # unticked as sent
    bad = c.http.post("/lots", data={**form, "expiry": "soon"})
    assert bad.status_code == 422 and "Lot not registered: Choose a date." in bad.text


def test_a_refused_session_comes_back_with_what_was_typed(app):
    c = login(app, "clinician")
    form = {
        "csrf_token": c.csrf,
        "date": TODAY,
        "pain_vas": "3.5",
        "r0-include": "1",
        "r0-site": "chin",
        "r0-device": "dermaroller-192-0.5",
        "r0-lot": "DR05-2026-B",
        "r0-len": "0.5",
        "r0-passes": "9",
        "r0-endpoint": "erythema",
        "r0-an": "none",
        "justification": "short",
    }
    r = c.http.post("/patients/1/sessions", data=form)
    assert r.status_code == 422
    assert "Session refused: The justification is too short: 5 characters. Write at least 10 characters." in r.text
    for typed in ('value="DR05-2026-B"', 'value="9"', 'value="3.5"', ">short</textarea>"):
        assert typed in r.text, typed
    assert '<option value="chin" selected>chin</option>' in r.text
    assert 'id="r0-include" name="r0-include" value="1" class="auto" checked' in r.text
    sv = c.http.post("/patients/1/sessions", data={**form, "r0-passes": "500"}, headers={"accept-language": "sv"})
    assert sv.status_code == 422 and "Behandlingen nekades: Skriv antalet drag, från 1 till 100." in sv.text
    assert "out of range" not in sv.text  # the service's English line stays in the API


def test_units_and_codes_read_as_people_write_them(app):
    c = login(app, "clinician")
    intake = {
        "patient": {"age": 35, "sex": "male", "fitzpatrick": 3},
        "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
    }
    pid = c.post("/api/patients", json={"name": "Unit Reader", "intake": intake}).json()["id"]
    c.post(f"/api/patients/{pid}/plan", json={"start": TODAY})
    text = main_text(c.get(f"/patients/{pid}").text)
    assert re.search(r"depth \d+(\.\d+)? µm", text) and " um" not in text
    assert "6 sessions, 4 weeks apart" in text and " wk" not in text
    assert "acne scars" in text and "acne-scars" not in text
    assert "upper arm" in text and "upper-arm" not in text  # the region menus
    records = main_text(c.get(f"/patients/{pid}/records").text)  # the outcome form (the page's table is empty)
    assert "Hair count per cm²" in records and "cm2" not in text + records
    assert re.search(r"Decision:\s+Proceed( with caution)?\b", text) and "proceed-with" not in text
    assert "1.5 mm" in text and "4.0" not in text


def test_lot_page_names_events_in_words(app):
    c = login(app, "clinician")
    ev = c.post(
        "/api/patients/1/adverse-events",
        json={"kind": "broken-needle", "date": TODAY, "lot_number": "DR05-2026-B", "description": "tip left"},
    )
    assert ev.status_code == 201, ev.text
    lot_id = next(lot["id"] for lot in c.get("/api/lots").json() if lot["lot_number"] == "DR05-2026-B")
    text = main_text(c.get(f"/lots/{lot_id}").text)
    assert "broken needle" in text and "broken-needle" not in text


def test_the_patient_list_searches_by_name(app):
    # /patients?q= was ignored: the list had no search of its own
    c = login(app, "clinician")
    for name in ("Alva Sök", "Berit Annan"):
        goals = [{"region": "cheek", "indication": "acne-scars", "grade": 2}]
        intake = {"patient": {"age": 30, "sex": "female", "fitzpatrick": 2}, "goals": goals}
        assert c.post("/api/patients", json={"name": name, "intake": intake}).status_code == 201
    page = c.get("/patients", params={"q": "alva"}).text
    assert 'role="search"' in page and "Alva Sök" in page and "Berit Annan" not in page
    assert "Berit Annan" in c.get("/patients").text
    none = c.get("/patients", params={"q": "Zyx"}).text
    assert 'id="no-match"' in none and "add the patient below" in none
    bad = c.get("/patients", params={"q": "1985-02-30"})
    assert bad.status_code == 422 and "Search not done" in bad.text
