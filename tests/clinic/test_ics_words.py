"""Calendar files (.ics) in the reader's language: an appointment's title and the plan's series, en and sv."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar

from tests.clinic.conftest import login, make_app
from tests.clinic.test_appointments import at, book, ids

HEADERS = {"en": {"accept-language": "en"}, "sv": {"accept-language": "sv-SE,sv;q=0.9"}}
APPOINTMENT = {
    "en": "Micro-needling: Pat Demo with Dr Clara Clinician",
    "sv": "Microneedling: Pat Demo hos Dr Clara Clinician",
}
FIRST = {"en": "Micro-needling session 1 of ", "sv": "Microneedling, behandling 1 av "}
NEXT = {"en": "(next due)", "sv": "(nästa)"}


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    yield application
    application.state.engine.dispose()


def events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_calendar_files_are_in_the_readers_language(app, lang):
    c = login(app, "clinician")
    patient, clinician, _ = ids(app)
    a = book(c, patient, clinician, at(9, 30)).json()
    r = c.http.get(f"/api/appointments/{a['id']}/ics", headers=HEADERS[lang])
    assert r.status_code == 200
    assert [str(e["summary"]) for e in events(r.content)] == [APPOINTMENT[lang]]

    assert c.post(f"/api/patients/{patient}/plan", json={"start": date.today().isoformat()}).status_code in (200, 201)
    r = c.http.get(f"/api/patients/{patient}/schedule.ics", headers=HEADERS[lang])
    assert r.status_code == 200
    series = events(r.content)
    assert series and str(series[0]["summary"]).startswith(FIRST[lang])
    assert sum(NEXT[lang] in str(e["summary"]) for e in series) <= 1
    assert all(str(e["description"]) == "Patient: Pat Demo" for e in series)
    other = "sv" if lang == "en" else "en"
    assert not any(FIRST[other] in str(e["summary"]) for e in series)
