"""Every page and e-mail that shows an appointment's time writes it in one form, in English and in Swedish.

Appointments at 09:05-09:50 and 14:30-15:15 (a one-digit hour and an afternoon hour, where "9.05", "9:05" and
"2:30 PM" would show a second form) are shown on the calendar's day and week views, the dashboard, the
appointment's page, the patient's appointments with the plan's proposals, the refusal of a double booking, the
patient's "My plan" in the portal and the reminder e-mail. Every way of writing one of those times found in the
visible text must be the one form of :func:`needling.i18n.time_of_day`: "09:05", "14:30".
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from needling.clinic import reminders as R
from needling.clinic.appointments_models import Appointment, ReminderContact
from needling.clinic.models import User
from tests.clinic.conftest import login, make_app
from tests.clinic.test_swedish_pages import visible

TODAY = date.today()
TOMORROW = TODAY + timedelta(days=1)
TIMES = ((9, 5), (9, 50), (14, 30), (15, 15), (7, 5), (7, 35))
HEADERS = {"en": {"accept-language": "en"}, "sv": {"accept-language": "sv-SE,sv;q=0.9"}}


def written(text: str, hour: int, minute: int) -> list[str]:
    """Every way ``hour:minute`` is written in ``text``: "09:05", "9.05", "9:05 AM", "2:30 p.m." ..."""
    hours = {hour, hour % 12 or 12}
    alternatives = "|".join(rf"0?{h}" for h in sorted(hours))
    pattern = rf"(?<![\d.,:])(?:kl\.\s?)?(?:{alternatives})[.:]{minute:02d}(?![\d])(?:\s?[AaPp]\.?\s?[Mm]\.?)?"
    return [m.strip() for m in re.findall(pattern, text)]


def one_form(text: str, where: str) -> set[tuple[int, int]]:
    """The booked times found in ``text``; fails on any written in another form than "HH:MM"."""
    found = set()
    for hour, minute in TIMES:
        for token in written(text, hour, minute):
            bare = token.removeprefix("kl.").strip()
            assert bare == f"{hour:02d}:{minute:02d}", f"{where}: {token!r}, the one form is {hour:02d}:{minute:02d}"
            found.add((hour, minute))
    assert not re.search(r"\d\s?[AaPp]\.?[Mm]\b", text), f"{where}: a 12-hour clock"
    return found


@pytest.fixture
def clinic(tmp_path):
    app = make_app(tmp_path)
    c = login(app, "clinician")
    with app.state.Session() as db:
        patient = db.scalars(select(User.patient_id).where(User.role == "patient")).one()
        clinician = db.scalars(select(User.id).where(User.role == "clinician")).one()
    ids = []
    for room, start, minutes in (("Room 1", "09:05", 45), ("Room 2", "14:30", 45)):
        r = c.post(
            "/api/appointments",
            json={
                "patient_id": patient,
                "clinician_id": clinician,
                "room": room,
                "starts_at": f"{TOMORROW}T{start}",
                "duration_min": minutes,
            },
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    with app.state.Session() as db:  # one today, early (the booking form refuses a time that has passed)
        now = datetime.now()
        start = datetime.combine(TODAY, datetime.min.time()).replace(hour=7, minute=5)
        db.add(
            Appointment(
                patient_id=patient,
                clinician_id=clinician,
                room="Room 1",
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                duration_min=30,
                created=now,
                updated=now,
            )
        )
        db.commit()
    plan = c.post(f"/api/patients/{patient}/plan", json={"start": TOMORROW.isoformat()})
    assert plan.status_code in (200, 201), plan.text
    yield app, c, patient, clinician, ids
    app.state.engine.dispose()


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_page_writes_an_appointments_time_in_one_form(clinic, lang):
    app, c, patient, clinician, (morning, _) = clinic
    h = HEADERS[lang]
    pages = {
        "day view": (f"/calendar?view=day&date={TOMORROW}", {(9, 5), (9, 50), (14, 30), (15, 15)}),
        "week view": (f"/calendar?view=week&date={TOMORROW}", {(9, 5), (9, 50), (14, 30), (15, 15)}),
        "dashboard": ("/dashboard", {(7, 5), (7, 35)}),
        "appointment": (f"/appointments/{morning}", {(9, 5), (9, 50)}),
        "patient's appointments": (f"/patients/{patient}/appointments?at=09:05", {(9, 5), (14, 30), (15, 15)}),
    }
    for where, (url, expected) in pages.items():
        r = c.http.get(url, headers=h)
        assert r.status_code == 200, (where, r.text[:300])
        text, page_lang = visible(r.text)
        assert page_lang == lang, where
        assert expected <= one_form(text, where), (where, text[:2000])
        if lang == "sv":  # the status next to the time, in Swedish too (the macro needs the page's language)
            assert not re.search(r"\b(booked|moved|cancelled)\b", text), (where, text[:2000])

    clash = c.http.post(
        "/appointments",
        data={
            "csrf_token": c.csrf,
            "patient_id": str(patient),
            "clinician_id": str(clinician),
            "room": "Room 1",
            "day": TOMORROW.isoformat(),
            "time": "09:30",
            "duration_min": "30",
        },
        headers=h,
    )
    assert clash.status_code == 422
    refusal = re.search(r"(?:already booked|redan bokad) .*?(?:Choose|Välj)", visible(clash.text)[0])
    assert refusal, visible(clash.text)[0][:1000]
    assert one_form(refusal.group(0), "refusal of a double booking") == {(9, 5), (9, 50)}, refusal.group(0)

    portal = login(app, "patient").http.get("/my-plan", headers=h)
    text, page_lang = visible(portal.text)
    assert portal.status_code == 200 and page_lang == lang
    assert {(9, 5), (9, 50), (14, 30), (15, 15)} <= one_form(text, "my plan")


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_reminder_e_mail_writes_the_time_in_the_same_form(clinic, lang):
    app, *_, (morning, _) = clinic
    with app.state.Session() as db:
        appointment = db.get(Appointment, morning)
        contact = ReminderContact(
            patient_id=appointment.patient_id, email="pat@example.se", language=lang, consented=True
        )
        msg = R.compose(appointment, contact, "clinic@example.se")
    text = f"{msg['Subject']}\n{msg.get_content()}"
    assert one_form(text, f"reminder ({lang})") == {(9, 5)}
    assert ("kl. 09:05" if lang == "sv" else "at 09:05") in msg["Subject"]


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_audit_log_writes_when_in_the_same_form(clinic, lang):
    from needling.i18n import date_time

    app, *_ = clinic
    html = login(app, "admin").http.get("/audit", headers=HEADERS[lang]).text
    stamps = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', html)
    assert stamps, html[:500]
    for machine, shown in stamps:  # the exact time stays in the attribute (and the CSV export)
        assert shown == date_time(datetime.fromisoformat(machine), lang), (machine, shown)
    assert not re.search(r"<td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}", html)  # a raw datetime in a cell
