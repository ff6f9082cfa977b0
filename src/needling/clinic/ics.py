"""Calendar export (.ics) of a patient's planned series."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar, Event


def series_calendar(patient_name: str, patient_id: int, dates: list[str], next_due: str | None) -> bytes:
    """One all-day event per planned session."""
    cal = Calendar()
    cal.add("prodid", "-//needling//clinic//EN")
    cal.add("version", "2.0")
    for i, d in enumerate(dates, start=1):
        day = date.fromisoformat(d)
        ev = Event()
        ev.add("uid", f"needling-p{patient_id}-s{i}-{d}@needling")
        ev.add("summary", f"Micro-needling session {i}/{len(dates)}" + (" (next due)" if d == next_due else ""))
        ev.add("dtstart", day)
        ev.add("dtend", day + timedelta(days=1))
        ev.add("dtstamp", datetime(2026, 1, 1))
        ev.add("description", f"Patient: {patient_name}")
        cal.add_component(ev)
    return cal.to_ical()
