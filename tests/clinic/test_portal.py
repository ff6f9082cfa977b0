"""The home-care portal through the API: prescription, devices, logs with warnings, alerts, lots, bad input."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from needling.clinic.models import Alert, HomeLog, HomePrescription
from needling.i18n import table_date, translate
from needling.planner.home_rules import DEFECT_LABELS
from tests.clinic.conftest import login

TODAY = date.today()


def setup(app):
    clin, pat = login(app, "clinician"), login(app, "patient")
    pid = pat.user["patient_id"]
    r = clin.post(
        f"/api/patients/{pid}/home-prescription",
        json={
            "device_name": "home-roller-540-0.25",
            "needle_length_mm": 0.25,
            "frequency_days": 7,
            "areas": ["cheek"],
            "topical": "none",
        },
    )
    assert r.status_code == 201, r.text
    dev = pat.post(
        "/api/portal/devices",
        json={
            "device_name": "home-roller-540-0.25",
            "needle_length_mm": 0.25,
            "lot_or_serial": "DR05-2026-B",
            "first_use": TODAY.isoformat(),
        },
    )
    assert dev.status_code == 201, dev.text
    return clin, pat, pid, dev.json()["id"]


def n(app, model):
    with app.state.Session() as db:
        return db.scalar(select(func.count()).select_from(model))


def test_prescription_respects_the_home_limit(app):
    clin = login(app, "clinician")
    r = clin.post(
        "/api/patients/1/home-prescription",
        json={"device_name": "dermaroller-192-1.5", "needle_length_mm": 1.5, "frequency_days": 28, "areas": ["cheek"]},
    )
    assert r.status_code == 422 and "needle_length_mm" in r.text


def test_logging_too_soon_warns_the_patient_and_alerts_the_clinician(app):
    clin, pat, pid, dev = setup(app)
    first = pat.post(
        "/api/portal/logs",
        json={"date": (TODAY - timedelta(days=1)).isoformat(), "area": "cheek", "device_id": dev, "passes": 6},
    )
    assert first.status_code == 201 and first.json()["warnings"] == []
    second = pat.post(
        "/api/portal/logs", json={"date": TODAY.isoformat(), "area": "cheek", "device_id": dev, "passes": 6}
    )
    rules = [w["rule"] for w in second.json()["warnings"]]
    assert "H03-too-soon" in rules
    alerts = clin.get(f"/api/patients/{pid}/alerts").json()
    assert any(a["rule"] == "H03-too-soon" for a in alerts)
    ack = clin.post(f"/api/alerts/{alerts[0]['id']}/acknowledge")
    assert ack.status_code == 200
    portal = pat.get("/api/portal").json()
    assert portal["prescription"]["needle_length_mm"] == 0.25 and portal["devices"][0]["uses"] == 2
    assert pat.get(f"/api/patients/{pid}/alerts").status_code == 403


def test_broken_needle_flags_the_lot(app):
    clin, pat, pid, dev = setup(app)
    r = pat.post(
        "/api/portal/logs",
        json={
            "date": TODAY.isoformat(),
            "area": "cheek",
            "device_id": dev,
            "passes": 4,
            "reactions": ["broken-needle"],
        },
    )
    assert any(w["rule"] == "H06-stop-sign" for w in r.json()["warnings"])
    lot_id = next(lot["id"] for lot in clin.get("/api/lots").json() if lot["lot_number"] == "DR05-2026-B")
    usage = clin.get(f"/api/lots/{lot_id}/usage").json()
    assert any(e["kind"] == "broken-needle" and e["patient_id"] == pid for e in usage["adverse_events"])
    inspection = pat.post(f"/api/portal/devices/{dev}/inspections", json={"defects": ["bent", "rust"]})
    assert inspection.status_code == 201 and "replace" in inspection.json()["advice"].lower()
    assert pat.get("/api/portal").json()["devices"][0]["retired"]


def test_bad_input_names_the_field_and_stores_nothing(app):
    _clin, pat, _pid, dev = setup(app)
    logs, alerts = n(app, HomeLog), n(app, Alert)
    future = (TODAY + timedelta(days=2)).isoformat()
    for body, field in [
        ({"date": future, "area": "cheek", "device_id": dev, "passes": 4}, "date"),
        (
            {"date": TODAY.isoformat(), "area": "cheek", "device_id": dev, "passes": 4, "needle_length_mm": 5},
            "needle_length_mm",
        ),
        ({"date": TODAY.isoformat(), "area": "cheek", "device_id": 999, "passes": 4}, "device_id"),
        ({"date": TODAY.isoformat(), "area": "elbow", "device_id": dev, "passes": 4}, "area"),
    ]:
        r = pat.post("/api/portal/logs", json=body)
        assert r.status_code == 422 and field in r.text, (field, r.text)
    bad_dev = pat.post(
        "/api/portal/devices",
        json={"device_name": "bargain-roller", "needle_length_mm": 0.25, "first_use": TODAY.isoformat()},
    )
    assert bad_dev.status_code == 422 and "device" in bad_dev.text
    assert (n(app, HomeLog), n(app, Alert)) == (logs, alerts)


def test_portal_pages_in_swedish(app):
    _, pat, _, _ = setup(app)
    page = pat.http.get("/portal", headers={"accept-language": "sv-SE,sv;q=0.9"})
    assert page.status_code == 200 and "Min egenvård" in page.text and "Dagens rutin" in page.text
    assert "My home care" in pat.http.get("/portal").text


SV = {"accept-language": "sv-SE,sv;q=0.9"}


def test_portal_form_refusals_are_in_swedish(app):
    """The log and device forms refuse in the page's language; the API keeps its English detail."""
    _, pat, _, dev = setup(app)
    logs = n(app, HomeLog)
    future = (TODAY + timedelta(days=2)).isoformat()
    good = {"csrf_token": pat.csrf, "date": TODAY.isoformat(), "area": "cheek", "device_id": dev, "passes": "4"}
    for change, swedish in [
        ({"date": future}, "Datumet ligger i framtiden."),
        ({"date": ""}, "Välj ett datum."),
        ({"passes": "many"}, "Skriv antalet drag som ett heltal."),
        ({"passes": "99"}, "Skriv antalet drag, från 1 till 50."),
        ({"pain": "11"}, "Ange smärtan som en siffra från 0 till 10."),
        ({"device_id": "999"}, "Välj ett av dina registrerade instrument."),
        ({"area": "elbow"}, "Välj ett område i listan."),
        ({"reactions": "sneezing"}, "Välj reaktioner i listan."),
    ]:
        page = pat.http.post("/portal/logs", data={**good, **change}, headers=SV)
        assert f"Inte sparat: {swedish}" in page.text, (change, page.text[-2000:])
        assert "valid:" not in page.text and "in the future" not in page.text
    device = {"csrf_token": pat.csrf, "device_name": "home-roller-540-0.25", "needle_length_mm": "0,25"}
    for change, swedish in [
        ({"first_use": future}, "Första dagen du använde instrumentet ligger i framtiden."),
        ({"first_use": TODAY.isoformat(), "needle_length_mm": "4"}, "Nålarna ska vara längre än 0 mm och högst 3 mm."),
        (
            {"first_use": TODAY.isoformat(), "needle_length_mm": "x"},
            "Skriv nållängden i millimeter, till exempel 0,25.",
        ),
        ({"first_use": TODAY.isoformat(), "device_name": "bargain-roller"}, "Välj ett instrument i listan."),
    ]:
        page = pat.http.post("/portal/devices", data={**device, **change}, headers=SV)
        assert f"Inte sparat: {swedish}" in page.text, (change, page.text[-2000:])
        assert "valid:" not in page.text
    api = pat.post("/api/portal/logs", json={"date": future, "area": "cheek", "device_id": dev, "passes": 4})
    assert api.status_code == 422 and "in the future; valid: today or earlier" in api.text
    assert n(app, HomeLog) == logs


def test_the_inspection_form_answers_in_the_patients_language(app):
    _, pat, _, dev = setup(app)
    passed = pat.http.post(f"/portal/devices/{dev}/inspect", data={"csrf_token": pat.csrf}, headers=SV)
    assert passed.status_code == 200 and "Instrumentet klarade kontrollen. Håll det rent och torrt." in passed.text
    assert not pat.get("/api/portal").json()["devices"][0]["retired"]
    failed = pat.http.post(
        f"/portal/devices/{dev}/inspect", data={"csrf_token": pat.csrf, "defects": "bent"}, headers=SV
    )
    assert failed.status_code == 200 and "Byt ut instrumentet nu och använd det inte igen." in failed.text
    assert pat.get("/api/portal").json()["devices"][0]["retired"]


def test_the_portal_calendar_names_weekdays_and_month_in_the_patients_language(app):
    # the calendar was headed "Mo Tu We ..." and "2026-11" on the Swedish portal
    _, pat, _, _ = setup(app)
    sv = pat.http.get("/portal", headers=SV).text
    assert "<th>mån</th><th>tis</th>" in sv and "<th>Mo</th>" not in sv
    months = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ]
    assert f"{months[date.today().month - 1]} {date.today().year}" in sv
    assert date.today().strftime("%Y-%m") + "<" not in sv
    en = pat.http.get("/portal", headers={"accept-language": "en"}).text
    assert "<th>Mon</th><th>Tue</th>" in en


def test_the_patients_devices_are_named_in_words_not_catalogue_codes(app):
    """Issue 16: the portal showed "home-roller-540-0.25 0.25 mm", an ISO first-use date and a retired device's
    defect codes; the patient reads the device, the date and the defects in words."""
    _, pat, _, dev = setup(app)
    pat.http.post(f"/portal/devices/{dev}/inspect", data={"csrf_token": pat.csrf, "defects": "bent"}, headers=SV)
    page = pat.http.get("/portal", headers=SV).text
    text = page.split("<h2>", 1)[1]
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"<(option|select)[^>]*value=\"[^\"]*\"", "<x", text))
    assert "Dermaroller med 540 nålar, 0,25\N{NO-BREAK SPACE}mm" in shown
    assert "Dermaroller med 192 nålar, 0,2\N{NO-BREAK SPACE}mm" in shown  # the catalogue's choices for a new one
    assert not re.search(r"\b(home-roller|dermaroller)-\d", shown), re.search(
        r"\b(home-roller|dermaroller)-\d.{20}", shown
    )
    assert TODAY.isoformat() not in shown and table_date(TODAY, "sv") in shown
    assert translate("sv", DEFECT_LABELS["bent"]) in shown and "(bent)" not in shown
    assert '<option value="home-roller-540-0.25">' in page  # the form still sends the catalogue's name
    assert "Dermaroller with 540 needles, 0.25\N{NO-BREAK SPACE}mm" in pat.http.get("/portal").text


def test_the_portal_names_the_patients_areas_as_they_say_them_and_its_dates_in_words(app):
    """Issue 16: "områden: kinderna" and the log form's "Kinderna", never the clinician's "kind" or the key
    "cheek"; the next allowed day and the clinic's dates in words, not ISO; "1 användning", not "1 användningar"."""
    clin, pat, pid, dev = setup(app)
    clin.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()})  # the clinic's dates come from it
    pat.post("/api/portal/logs", json={"date": TODAY.isoformat(), "area": "cheek", "device_id": dev, "passes": 6})
    page = pat.http.get("/portal", headers=SV).text
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "områden: kinderna" in shown and '<option value="cheek">Kinderna</option>' in page
    assert f"{table_date(TODAY, 'sv')} kinderna, 6 drag" in shown
    assert not re.search(r"(?i)\b(kind|cheek)\b", shown)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", shown), re.search(r".{40}\b\d{4}-\d{2}-\d{2}\b", shown)
    assert "(1 användning)" in shown and ": 1 användning " in shown
    english = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", pat.http.get("/portal").text))
    assert "areas: cheeks" in english and "(1 use)" in english and "cheeks, 6 passes" in english


def test_the_home_prescription_form_takes_areas_in_words_and_starts_from_the_plan(app):
    """The clinician's form was pre-filled with the key "cheek" whatever the plan; it starts from the plan's
    regions in the page's words and takes areas as a person writes them ("Kind, panna")."""
    clin = login(app, "clinician")
    pid = login(app, "patient").user["patient_id"]
    form = clin.http.get(f"/patients/{pid}", headers=SV).text
    assert re.search(r'id="h-areas" name="areas" value=""', form)  # no plan yet: nothing to start from
    clin.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()})
    form = clin.http.get(f"/patients/{pid}", headers=SV).text
    assert re.search(r'id="h-areas" name="areas" value="kind"', form)  # the seeded plan: cheek acne scars
    data = {"csrf_token": clin.csrf, "device_name": "home-roller-540-0.25", "needle_length_mm": "0.25"}
    r = clin.http.post(
        f"/patients/{pid}/home-prescription", data={**data, "frequency_days": "7", "areas": "Kind, panna"}
    )
    assert r.status_code == 200 and "flash error" not in r.text, r.text[:300]
    with app.state.Session() as db:
        assert db.scalars(select(HomePrescription).where(HomePrescription.active)).one().areas == ["cheek", "forehead"]
    r = clin.http.post(
        f"/patients/{pid}/home-prescription", data={**data, "frequency_days": "7", "areas": "armbåge"}, headers=SV
    )
    assert "armbåge är inget område. Skriv områdena med kommatecken emellan, till exempel kind, panna." in r.text


def test_without_a_prescription_the_portal_says_plainly_not_to_needle_at_home(app):
    page = login(app, "patient").http.get("/portal", headers=SV).text
    assert "Använd därför ingen dermaroller hemma." in page and "Behandla inte dig själv" not in page
