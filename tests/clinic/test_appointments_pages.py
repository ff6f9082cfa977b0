"""The calendar's pages: day and week views, booking, moving and cancelling by form (a refused form keeps what
was typed), the plan's series confirmed as appointments, reminder consent, the feed on the account page, and
the dashboard's appointments of today and this week. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from needling.clinic.appointments import week_of
from needling.clinic.appointments_models import Appointment, ReminderContact
from needling.clinic.models import Patient, User
from needling.i18n import table_date
from tests.clinic.conftest import login

TOMORROW = date.today() + timedelta(days=1)
SIMPLE_INTAKE = {
    "patient": {"age": 40, "sex": "female", "fitzpatrick": 2},
    "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 2}],
}


def people(app) -> tuple[int, int]:
    with app.state.Session() as db:
        patient = db.scalars(select(User.patient_id).where(User.role == "patient")).one()
        clinician = db.scalars(select(User.id).where(User.role == "clinician")).one()
    return patient, clinician


def form(c, url: str, **fields):
    return c.post(url, data={"csrf_token": c.csrf, **fields}, follow_redirects=False)


def test_book_by_form_refusal_keeps_what_was_typed_then_move_and_cancel(app):
    c = login(app, "clinician")
    patient, clinician = people(app)
    fields = {"patient_id": str(patient), "clinician_id": str(clinician), "room": "Room 2"}
    when = {"day": TOMORROW.isoformat(), "time": "09:15", "duration_min": "30", "note": "first visit"}
    r = form(c, "/appointments", **fields, **when)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/calendar?view=day&date={TOMORROW}")
    day = c.get(r.headers["location"])
    assert "09:15–09:45" in day.text and "Appointment booked." in day.text and "Pat Demo" in day.text

    clash = form(c, "/appointments", **fields, **(when | {"time": "09:30", "note": "second"}))
    assert clash.status_code == 422
    assert "already booked" in clash.text and "09:15 to 09:45" in clash.text
    sv = c.http.post(
        "/appointments",
        data={"csrf_token": c.csrf, **fields, **(when | {"time": "09:30"})},
        headers={"accept-language": "sv-SE,sv;q=0.9"},
    )  # the refusal in the page's language, the date in words
    booked = f"är redan bokad {table_date(TOMORROW, 'sv')} 09:15 till 09:45. Välj en tid när både behandlaren"
    assert sv.status_code == 422 and booked in sv.text and "already booked" not in sv.text
    assert 'value="09:30"' in clash.text and 'value="second"' in clash.text and 'value="30"' in clash.text
    assert re.search(r"<option selected>Room 2</option>", clash.text)

    garbled = form(c, "/appointments", **fields, **(when | {"day": "31/12", "duration_min": "x"}))
    assert garbled.status_code == 422 and 'value="31/12"' in garbled.text

    with app.state.Session() as db:
        a = db.scalars(select(Appointment)).one()
    page = c.get(f"/appointments/{a.id}")
    assert page.status_code == 200 and 'value="09:15"' in page.text
    moved = form(
        c,
        f"/appointments/{a.id}/move",
        day=TOMORROW.isoformat(),
        time="13:00",
        duration_min="45",
        clinician_id=str(clinician),
        room="Room 1",
    )
    assert moved.status_code == 303
    bad = form(
        c,
        f"/appointments/{a.id}/move",
        day=TOMORROW.isoformat(),
        time="25:00",
        duration_min="45",
        clinician_id=str(clinician),
        room="Room 1",
    )
    assert bad.status_code == 422 and 'value="25:00"' in bad.text
    other = c.post(
        "/api/appointments",
        json={"patient_id": patient, "clinician_id": clinician, "room": "Room 2", "starts_at": f"{TOMORROW}T16:00"},
    ).json()
    assert form(c, f"/appointments/{other['id']}/done").status_code == 303
    finished = c.get(f"/appointments/{other['id']}")
    assert ">done<" in finished.text and 'id="move"' not in finished.text
    cancelled = form(c, f"/appointments/{a.id}/cancel", reason="ill")
    assert cancelled.status_code == 303
    assert "cancelled" in c.get(f"/appointments/{a.id}").text
    assert "13:00–13:45" not in c.get(f"/calendar?view=day&date={TOMORROW}").text
    # Swedish, and a patient may not see the calendar.
    sv = c.get("/calendar", headers={"accept-language": "sv"})
    assert "<h1>Kalender</h1>" in sv.text or "Kalender" in sv.text
    assert "Boka en tid" in sv.text
    assert login(app, "patient").get("/calendar").status_code == 403


def test_week_view_lists_seven_days_and_navigates(app):
    c = login(app, "clinician")
    r = c.get(f"/calendar?view=week&date={TOMORROW}")
    monday, sunday = week_of(TOMORROW)
    assert r.status_code == 200
    assert f'id="day-{monday}"' in r.text and f'id="day-{sunday}"' in r.text
    assert len(re.findall(r'<section aria-labelledby="day-', r.text)) == 7
    assert f"date={monday - timedelta(days=7)}" in r.text and f"date={monday + timedelta(days=7)}" in r.text
    assert c.get("/calendar?view=day&date=not-a-date").status_code == 200  # falls back to today


def test_plan_series_confirmed_and_reminder_consent(app):
    c = login(app, "clinician")
    patient, clinician = people(app)
    empty = c.get(f"/patients/{patient}/appointments")
    assert empty.status_code == 200 and "No plan yet" in empty.text
    plan = c.post(f"/api/patients/{patient}/plan", json={"start": TOMORROW.isoformat()}).json()
    dates = plan["plan"]["series"]["dates"]
    page = c.get(f"/patients/{patient}/appointments?at=14:00")
    assert len(re.findall(r'name="session" value="\d+" checked', page.text)) == len(dates)
    r = c.post(
        f"/patients/{patient}/appointments/series",
        data={
            "csrf_token": c.csrf,
            "time": "14:00",
            "clinician_id": str(clinician),
            "room": "Room 1",
            "duration_min": "60",
            "session": ["1", "2"],
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    with app.state.Session() as db:
        booked = db.scalars(select(Appointment).order_by(Appointment.starts_at)).all()
    assert [(a.starts_at.date().isoformat(), a.session_number) for a in booked] == [(dates[0], 1), (dates[1], 2)]
    assert all(a.starts_at.hour == 14 and a.plan_id == plan["id"] for a in booked)
    again = c.get(f"/patients/{patient}/appointments?at=14:00")
    assert len(re.findall(r'value="\d+" disabled', again.text)) == 2
    # Booking session 3 onto a clash refuses the whole form and keeps the choice.
    c.post(
        "/api/appointments",
        json={"patient_id": patient, "clinician_id": clinician, "room": "Room 2", "starts_at": f"{dates[2]}T14:30"},
    )
    refused = c.post(
        f"/patients/{patient}/appointments/series",
        data={
            "csrf_token": c.csrf,
            "time": "14:00",
            "clinician_id": str(clinician),
            "room": "Room 1",
            "duration_min": "60",
            "session": ["3", "4"],
        },
    )
    assert refused.status_code == 422 and "already booked" in refused.text
    assert re.search(r'value="3" checked', refused.text) and re.search(r'value="4" checked', refused.text)
    with app.state.Session() as db:
        assert len(db.scalars(select(Appointment)).all()) == 3  # none of 3, 4 stored

    bad = form(c, f"/patients/{patient}/reminder-contact", email="nope", language="sv", consented="yes")
    assert bad.status_code == 422 and 'value="nope"' in bad.text
    ok = form(c, f"/patients/{patient}/reminder-contact", email="pat@example.se", language="sv", consented="yes")
    assert ok.status_code == 303
    with app.state.Session() as db:
        contact = db.scalars(select(ReminderContact)).one()
    assert (contact.email, contact.language, contact.consented) == ("pat@example.se", "sv", True)


def test_feed_on_the_account_page(app):
    c = login(app, "clinician")
    page = c.get("/account")
    assert "You have no feed address." in page.text
    made = form(c, "/account/calendar-feed")
    assert made.status_code == 200
    url = re.search(r'id="feed-url" readonly value="([^"]+)"', made.text).group(1)
    assert TestClient(app).get(url.replace("http://testserver", "")).status_code == 200
    assert "A feed address is active." in c.get("/account").text
    assert form(c, "/account/calendar-feed/revoke").status_code == 303
    assert TestClient(app).get(url.replace("http://testserver", "")).status_code == 404
    assert "calendar-feed" not in login(app, "patient").get("/account").text


def test_dashboard_shows_todays_and_this_weeks_appointments(app):
    c = login(app, "clinician")
    patient, clinician = people(app)
    today = date.today()
    _, sunday = week_of(today)
    later = today + timedelta(days=1) if today < sunday else None
    c.post(
        "/api/appointments",
        json={
            "patient_id": patient,
            "clinician_id": clinician,
            "room": "Room 1",
            "starts_at": f"{today}T23:00",
            "duration_min": 30,
        },
    )
    if later:
        c.post(
            "/api/appointments",
            json={"patient_id": patient, "clinician_id": clinician, "room": "Room 1", "starts_at": f"{later}T08:00"},
        )
    r = c.get("/dashboard")
    today_part = r.text.split('id="today-appointments"')[1].split("</ul>")[0]
    assert "23:00–23:30" in today_part and "Pat Demo" in today_part
    week_part = r.text.split('id="week-appointments"')[1].split("</section>")[0]
    assert ("08:00" in week_part) == bool(later)
    other = login(app, "admin")  # an admin sees everyone's, with the clinician named
    assert "Dr Clara Clinician" in other.get("/dashboard").text.split('id="today-appointments"')[1].split("</ul>")[0]


def test_each_proposed_visit_names_the_regions_needled_that_day(app):
    # a cheek and a thigh split over two days gave visits on consecutive days that did not say what each was for
    c = login(app, "clinician")
    intake = {
        "patient": {"age": 30, "sex": "female", "fitzpatrick": 2},
        "goals": [
            {"region": "cheek", "indication": "acne-scars", "grade": 2},
            {"region": "thigh", "indication": "striae", "striae_type": "alba"},
        ],
    }
    pid = c.post("/api/patients", json={"name": "Vera Visits", "intake": intake}).json()["id"]
    plan = c.post(f"/api/patients/{pid}/plan", json={"start": TOMORROW.isoformat()}).json()["plan"]
    by_day: dict[str, set[str]] = {}
    for region in plan["regions"]:
        parts = region["series"].get("part_dates")
        for d in [d for days in parts for d in days] if parts else region["series"]["dates"]:
            by_day.setdefault(d, set()).add(region["site"])
    proposals = c.get(f"/api/patients/{pid}/appointment-proposals").json()["proposals"]
    assert proposals and all(set(p["regions"]) == by_day[p["starts_at"][:10]] for p in proposals)
    assert {s for p in proposals for s in p["regions"]} == {"cheek", "thigh"}
    page = re.sub(r"\s+", " ", c.get(f"/patients/{pid}/appointments").text)
    first = proposals[0]
    label = ", ".join(first["regions"])  # cheek and thigh read as their codes in English
    assert re.search(rf"Session 1 of {len(proposals)}: [^<]* 09:00 · {label}", page), page[-3000:]


def test_the_patient_number_is_on_the_patients_page_and_list(app):
    c = login(app, "clinician")
    patient, _ = people(app)
    page = c.get(f"/patients/{patient}").text
    assert f'<span id="patient-number">Patient number {patient}</span>' in page
    listing = re.sub(r"\s+", " ", c.get("/patients").text)
    assert "<th>Patient number</th>" in listing and f"</a></td><td>{patient}</td>" in listing


def radios(html: str) -> dict[str, bool]:
    """The booking form's patient choices: patient number to checked."""
    found = re.findall(r'<input type="radio" class="auto" name="patient_id" value="(\d+)"( checked)?', html)
    return {number: bool(checked) for number, checked in found}


def test_the_booking_form_offers_the_patient_it_was_opened_for_chosen(app):
    # "Book one appointment" on a patient's page opened the calendar with a bare number in the form
    c = login(app, "clinician")
    patient, _ = people(app)
    with app.state.Session() as db:
        name = db.get(Patient, patient).name
    page = c.get("/calendar", params={"patient": str(patient)}).text
    assert radios(page) == {str(patient): True} and f'<span class="patient-name">{name}</span>' in page
    assert radios(c.get("/calendar", params={"patient": "99999"}).text) == {}
    empty = c.get("/calendar").text
    assert radios(empty) == {} and 'id="choose-hint"' in empty and 'id="patient_id"' not in empty


def test_the_clinician_finds_the_patient_by_name_or_birth_date_and_books_without_a_number(app):
    c = login(app, "clinician")
    _, clinician = people(app)
    ids = {}
    for name in ("Lina Lindqvist", "Lina Larsson", "Olle Berg"):
        ids[name] = c.post("/api/patients", json={"name": name, "intake": SIMPLE_INTAKE}).json()["id"]
    with app.state.Session() as db:
        db.get(Patient, ids["Lina Larsson"]).birth_date = date(1985, 3, 14)
        db.commit()
    by_name = c.get("/calendar", params={"find": "lina l", "date": TOMORROW.isoformat()}).text
    assert radios(by_name) == {str(ids["Lina Larsson"]): False, str(ids["Lina Lindqvist"]): False}
    assert 'value="lina l"' in by_name and "born Mar 14, 1985" in re.sub(r"\s+", " ", by_name)
    by_birth = c.get("/calendar", params={"find": "1985-03-14"}).text
    assert radios(by_birth) == {str(ids["Lina Larsson"]): True}  # the one match is chosen
    none = c.get("/calendar", params={"find": "Nobody Here"}).text
    assert radios(none) == {} and 'id="no-match"' in none
    bad = c.get("/calendar", params={"find": "1985-13-40"})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text and "is not a date" in bad.text
    sv = c.get("/calendar", params={"find": "1985-13-40"}, headers={"accept-language": "sv"}).text
    assert "Sökningen gjordes inte" in sv and "Skriv födelsedatumet som ÅÅÅÅ-MM-DD" in sv
    booked = form(
        c,
        "/appointments",
        patient_id=str(ids["Lina Larsson"]),
        clinician_id=str(clinician),
        room="Room 1",
        day=TOMORROW.isoformat(),
        time="11:00",
        duration_min="30",
    )
    assert booked.status_code == 303, booked.text[-500:]
    with app.state.Session() as db:
        assert db.scalars(select(Appointment.patient_id)).all() == [ids["Lina Larsson"]]
    unchosen = form(c, "/appointments", clinician_id=str(clinician), room="Room 1", day=TOMORROW.isoformat())
    assert unchosen.status_code == 422 and "Find the patient by name or date of birth and choose them." in unchosen.text


def test_a_proposed_visit_on_a_weekend_moves_to_monday_and_says_so(app):
    # a plan made to start on a Saturday proposed a visit on a day the clinic is closed
    c = login(app, "clinician")
    patient, _ = people(app)
    saturday = date.today() + timedelta(days=(5 - date.today().weekday()) % 7 or 7)
    monday = saturday + timedelta(days=2)
    plan = c.post(f"/api/patients/{patient}/plan", json={"start": saturday.isoformat()}).json()["plan"]
    days = [date.fromisoformat(d) for d in plan["series"]["dates"]]
    assert days[0] == monday and all(d.weekday() < 5 for d in days) and days == sorted(days)
    proposals = c.get(f"/api/patients/{patient}/appointment-proposals").json()["proposals"]
    assert proposals[0]["moved_from"] == saturday.isoformat()
    assert all(p["moved_from"] is None for p in proposals[1:])  # the series counts from the moved day
    en = re.sub(r"\s+", " ", c.get(f"/patients/{patient}/appointments").text)
    sv = re.sub(r"\s+", " ", c.get(f"/patients/{patient}/appointments", headers={"accept-language": "sv"}).text)
    assert en.count('class="moved"') == 1 and sv.count('class="moved"') == 1
    assert re.search(r"Session 1 of \d+: Monday[^<]*09:00 <span class=\"moved\">\(moved from Saturday", en)
    assert re.search(r"Behandling 1 av \d+: måndag[^<]*09:00 <span class=\"moved\">\(flyttad från lördag", sv), sv[
        -2500:
    ]
