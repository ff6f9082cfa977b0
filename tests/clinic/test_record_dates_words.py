"""Dates a clinician reads on the records page (the photos an outcome was assessed on, the sessions an adverse
event can be tied to) and on a lot's page (expiry, recall) are written in words in the page's language, never in
ISO form."""

from __future__ import annotations

import io
import re

from PIL import Image

from tests.clinic.conftest import login
from tests.clinic.test_stock import _planned_patient, session_body
from tests.clinic.test_swedish_pages import visible

SV = {"accept-language": "sv-SE,sv;q=0.9"}
ISO = re.compile(r"\b\d{4}-\d\d-\d\d\b")


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 90)).save(buf, format="JPEG")
    return buf.getvalue()


def test_records_and_lot_pages_write_dates_in_words(app):
    c = login(app, "clinician")
    pid = _planned_patient(c, "Rut Records")
    assert c.post(f"/api/patients/{pid}/sessions", json=session_body()).status_code == 201
    photo = c.post(
        f"/api/patients/{pid}/photos",
        data={"site": "cheek", "view": "front", "label": "before", "taken": "2025-10-01"},
        files={"file": ("p.jpg", jpeg(), "image/jpeg")},
    )
    assert photo.status_code == 201, photo.text
    lot = next(x["id"] for x in c.get("/api/lots").json() if x["lot_number"] == "DR15-2026-A")
    assert c.post(f"/api/lots/{lot}/recall", json={"reason": "needles blunt"}).status_code == 200
    for url in (f"/patients/{pid}/records", f"/lots/{lot}"):
        for headers in ({}, SV):
            text = visible(c.get(url, headers=headers).text)[0]
            assert not ISO.search(text), (url, headers, ISO.findall(text))
    records = visible(c.get(f"/patients/{pid}/records", headers=SV).text)[0]
    assert "1 okt. 2025, kind" in records


def test_the_sessions_table_gives_the_pain_scale(app):
    c = login(app, "clinician")
    pid = _planned_patient(c, "Pia Pain")
    assert c.post(f"/api/patients/{pid}/sessions", json={**session_body(), "pain_vas": 4}).status_code == 201
    page = c.get(f"/patients/{pid}").text
    assert "<th>Pain (VAS 0-10)</th>" in page  # a bare "4" under "Pain" gave no scale
    assert "<th>Smärta (VAS 0-10)</th>" in c.get(f"/patients/{pid}", headers=SV).text


def test_the_swedish_chart_counts_recorded_sessions_without_a_wrong_plural(app):
    # it read "1 gjorda" (a plural after one)
    c = login(app, "clinician")
    pid = _planned_patient(c, "Gun Gjord")
    assert c.post(f"/api/patients/{pid}/sessions", json=session_body()).status_code == 201
    text = visible(c.get(f"/patients/{pid}", headers=SV).text)[0]
    assert "gjorda: 1" in text and "1 gjorda" not in text


def test_a_visit_recorded_under_the_plan_is_not_offered_for_booking_again(app):
    # after today's session was recorded, the series still proposed "Session 1 of 6: today", ticked
    c = login(app, "clinician")
    pid = _planned_patient(c, "Bo Booked")
    assert c.post(f"/api/patients/{pid}/sessions", json=session_body()).status_code == 201
    proposals = c.get(f"/api/patients/{pid}/appointment-proposals").json()["proposals"]
    assert [p["recorded"] for p in proposals[:2]] == [True, False]
    page = c.get(f"/patients/{pid}/appointments").text
    assert re.search(r'name="session" value="1" disabled>\s*Session 1 of \d+: [^<]*\(already recorded\)', page)
    assert 'name="session" value="2" checked' in page
    r = c.post(
        f"/patients/{pid}/appointments/series",
        data={"csrf_token": c.csrf, "time": "09:00", "clinician_id": str(c.user["id"]), "room": "Room 1",
              "duration_min": "60", "session": ["1"]},
    )  # fmt: skip
    assert r.status_code == 422 and "is not an open session" in r.text


def test_recalling_a_lot_by_its_form_counts_the_sessions_in_words_without_a_plural_in_brackets(app):
    c = login(app, "clinician")
    pid = _planned_patient(c, "Lo Lot")
    assert c.post(f"/api/patients/{pid}/sessions", json=session_body()).status_code == 201
    lot = next(x["id"] for x in c.get("/api/lots").json() if x["lot_number"] == "DR15-2026-A")
    r = c.post(f"/lots/{lot}/recall", data={"csrf_token": c.csrf, "reason": "blunt"})
    assert r.status_code == 200
    assert "Lot recalled. Sessions that used it: 1." in r.text and "session(s)" not in r.text


def test_a_lots_adverse_events_name_the_patient(app):
    # the lot's page listed "pih (patient 3)": a number no clinician knows by heart
    c = login(app, "clinician")
    pid = _planned_patient(c, "Ella Event")
    session = c.post(f"/api/patients/{pid}/sessions", json=session_body()).json()
    r = c.post(
        f"/patients/{pid}/adverse-events",
        data={"csrf_token": c.csrf, "e-kind": "pih", "e-date": session["date"], "e-session": str(session["id"])},
    )
    assert r.status_code == 200, r.text[:500]
    lot = next(x["id"] for x in c.get("/api/lots").json() if x["lot_number"] == "DR15-2026-A")
    text = visible(c.get(f"/lots/{lot}").text)[0]
    assert re.search(r"\(\s*Ella Event\s*\)", text) and f"patient {pid}" not in text
