"""Calendar export (.ics) of a patient's planned series."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from needling.i18n import translate


def series_calendar(
    patient_name: str, patient_id: int, dates: list[str], next_due: str | None, lang: str = "en"
) -> bytes:
    """One all-day event per planned session, its title and description in ``lang``."""
    cal = Calendar()
    cal.add("prodid", "-//needling//clinic//EN")
    cal.add("version", "2.0")
    for i, d in enumerate(dates, start=1):
        day = date.fromisoformat(d)
        ev = Event()
        ev.add("uid", f"needling-p{patient_id}-s{i}-{d}@needling")
        summary = translate(lang, "Micro-needling session %(number)s of %(of)s", number=i, of=len(dates))
        ev.add("summary", summary + (" " + translate(lang, "(next due)") if d == next_due else ""))
        ev.add("dtstart", day)
        ev.add("dtend", day + timedelta(days=1))
        ev.add("dtstamp", datetime(2026, 1, 1))
        ev.add("description", translate(lang, "Patient: %(name)s", name=patient_name))
        cal.add_component(ev)
    return cal.to_ical()
