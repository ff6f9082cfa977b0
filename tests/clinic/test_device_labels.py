"""Clinicians read a device in words on every form and list ("Dermaroller with 192 needles, 1.5 mm"), never its
catalogue name (``dermaroller-192-1.5``), while a select still submits the name and the API keeps names.

Each page a clinician opens with devices on it is rendered in English and Swedish with a plan, a session, a home
prescription, a lot near expiry and a lot low on stock in place; its visible text (text, titles, labels) must
name the devices in words and no catalogue name.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from needling.clinic.device_words import DeviceNames, device_label
from needling.clinic.session_guard import Refusal
from needling.devices import device_names
from needling.errors import InputError
from needling.i18n import reason
from tests.clinic.conftest import login, make_app
from tests.clinic.test_portal import setup
from tests.clinic.test_swedish_pages import visible

SV = {"accept-language": "sv-SE,sv;q=0.9"}
EN = {"accept-language": "en"}
TODAY = date.today()
#: Every catalogue name, longest first so ``dermaroller-192-1.5`` is not read as a shorter one.
CATALOGUE = re.compile("|".join(re.escape(n) for n in sorted(device_names(), key=len, reverse=True)))


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    yield application
    application.state.engine.dispose()


def test_each_catalogue_device_has_its_own_label_in_both_languages():
    for lang in ("en", "sv"):
        labels = [device_label(n, lang) for n in device_names()]
        assert len(set(labels)) == len(labels), labels
        assert not any(CATALOGUE.search(label) for label in labels), labels
    assert device_label("dermaroller-192-1.5") == "Dermaroller with 192 needles, 1.5\N{NO-BREAK SPACE}mm"
    assert device_label("dermaroller-192-1.5", "sv") == "Dermaroller med 192 nålar, 1,5\N{NO-BREAK SPACE}mm"
    assert device_label("dermapen-11") == "Dermapen with 11 needles, depth up to 2.5\N{NO-BREAK SPACE}mm"
    assert device_label("dermapen-11", "sv") == "Dermapen med 11 nålar, djup upp till 2,5\N{NO-BREAK SPACE}mm"
    assert device_label("Clinic pen X") == "Clinic pen X"  # a registered model keeps the clinic's own name


def test_a_refusal_names_devices_in_words_on_the_page_and_by_name_in_the_api_line():
    names = DeviceNames(["dermapen-11", "dermaroller-192-0.5"])
    error = InputError(
        "lot L1 is registered for several devices",
        msgid="Lot %(lot)s is registered for several devices (%(devices)s). Choose the device.",
        params={"lot": "L1", "devices": names},
    )
    assert str(names) == "dermapen-11, dermaroller-192-0.5"
    assert "Dermapen med 11 nålar" in reason(error, "sv") and not CATALOGUE.search(reason(error, "sv"))
    refusal = Refusal(
        "device-not-planned",
        "regions[0].lot_number",
        "%(field)s: the plan names %(planned)s, not %(device)s",
        {"planned": "dermapen-11", "device": "dermaroller-192-0.5"},
        page="The plan names %(planned)s for the area %(site)s, not %(device)s. Choose a lot of %(planned)s, or "
        "write a reason to record it anyway.",
        words={"site": "cheek", "planned": DeviceNames("dermapen-11"), "device": DeviceNames("dermaroller-192-0.5")},
    )
    assert "dermapen-11" in refusal.line()
    for lang in ("en", "sv"):
        text = refusal.text(lang)
        assert device_label("dermapen-11", lang) in text and not CATALOGUE.search(text), text


def clinic_with_devices(app):
    """A plan, a session, a home prescription, a lot expiring within 30 days and one low on stock."""
    clin, _pat, pid, _dev = setup(app)
    assert clin.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code in (200, 201)
    region = {"site": "cheek", "lot_number": "DR15-2026-A", "needle_length_mm": 1.5, "passes": 8, "endpoint": "none"}
    r = clin.post(f"/api/patients/{pid}/sessions", json={"date": TODAY.isoformat(), "regions": [region]})
    assert r.status_code == 201, r.text
    soon = {"device_name": "ms4-96-1.5", "lot_number": "MS4-SOON", "expiry": (TODAY + timedelta(days=10)).isoformat()}
    low = {"device_name": "pro-pen-14", "lot_number": "PRO-LOW", "expiry": (TODAY + timedelta(days=300)).isoformat()}
    for body in (soon, {**low, "quantity": 1, "low_stock_at": 2}):
        assert clin.post("/api/lots", json=body).status_code == 201
    lot = next(x["id"] for x in clin.get("/api/lots").json() if x["lot_number"] == "DR15-2026-A")
    return clin, pid, lot


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_clinician_pages_show_devices_in_words_and_no_catalogue_name(app, lang):
    clin, pid, lot = clinic_with_devices(app)
    headers = SV if lang == "sv" else EN
    roller, pen = device_label("dermaroller-192-1.5", lang), device_label("dermapen-11", lang)
    expected = {
        "/dashboard": [device_label("ms4-96-1.5", lang), device_label("pro-pen-14", lang)],  # expiry, low stock
        f"/patients/{pid}": [roller, pen, device_label("home-roller-540-0.25", lang)],  # plan, session form, home
        "/lots": [roller, pen, device_label("dermaroller-192-1.0", lang)],
        f"/lots/{lot}": [roller],
        "/patients/new": [roller, pen],
        f"/patients/{pid}/intake": [roller, pen],
        f"/patients/{pid}/records": [roller],
    }
    for url, labels in expected.items():
        r = clin.get(url, headers=headers)
        assert r.status_code == 200, (url, r.status_code)
        text, page_lang = visible(r.text)
        assert page_lang == lang, url
        assert not CATALOGUE.search(text), (url, CATALOGUE.search(text).group(0), lang)
        for label in labels:
            assert " ".join(label.split()) in text, (url, label, lang)  # visible text has plain spaces


def test_the_selects_still_submit_the_catalogue_name(app):
    clin, pid, _lot = clinic_with_devices(app)
    lots = clin.get("/lots", headers=SV).text
    label = re.escape(device_label("dermapen-11", "sv"))
    assert re.search(rf'<option value="dermapen-11"[^>]*>{label}</option>', lots)
    patient = clin.get(f"/patients/{pid}", headers=SV).text
    assert re.search(rf'<option value="dermapen-11"[^>]*>{label}</option>', patient)
    home = re.escape(device_label("home-roller-540-0.25", "sv"))
    assert re.search(rf'<option value="home-roller-540-0.25"[^>]*>{home}</option>', patient)
    intake = clin.get(f"/patients/{pid}/intake", headers=SV).text
    assert 'value="dermapen-11"' in intake
    form = {"csrf_token": clin.csrf, "device_name": "dermapen-11", "lot_number": "PEN-FORM-1"}
    form |= {"expiry": (TODAY + timedelta(days=200)).isoformat(), "single_use": "1"}
    r = clin.http.post("/lots", data=form)
    assert r.status_code == 200, r.text[:300]
    stored = [x for x in clin.get("/api/lots").json() if x["lot_number"] == "PEN-FORM-1"]
    assert [x["device_name"] for x in stored] == ["dermapen-11"]  # the API keeps the name


def test_a_duplicate_lot_is_refused_with_the_device_in_words(app):
    clin = login(app, "clinician")
    form = {"csrf_token": clin.csrf, "device_name": "dermaroller-192-1.5", "lot_number": "DR15-2026-A"}
    form |= {"expiry": (TODAY + timedelta(days=200)).isoformat()}
    r = clin.http.post("/lots", data=form, headers=SV)
    assert r.status_code == 422
    text, _ = visible(r.text)
    label = " ".join(device_label("dermaroller-192-1.5", "sv").split())
    assert f"Batch DR15-2026-A av {label} är redan registrerad." in text, text
    assert not CATALOGUE.search(text), CATALOGUE.search(text).group(0)
