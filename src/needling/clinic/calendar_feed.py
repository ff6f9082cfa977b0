"""Appointments as iCalendar: one ``.ics`` per appointment, and a private feed per clinician.

A feed's URL carries a random token (256 bits); only its SHA-256 is stored, so a copy of the database
does not give the URLs away. A clinician makes a new token (the old URL stops working) or revokes it
from the account page. The feed needs no log-in, so it says as little as it can: the patient's initials,
the room and the appointment's number; never a diagnosis or a treatment.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from needling.clinic import appointments as AP
from needling.clinic import services as S
from needling.clinic.appointments_models import CalendarFeed
from needling.clinic.models import User
from needling.clinic.roles import STAFF
from needling.clinic.transactions import operation
from needling.i18n import translate

FEED_PAST_DAYS = 30
"""A feed holds appointments from this many days ago ..."""
FEED_AHEAD_DAYS = 365
"""... to this many days ahead."""
TOKEN_BYTES = 32


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def initials(name: str) -> str:
    """``"Pat Demo"`` -> ``"P. D."``: enough for a clinician to recognise a booking in their own calendar."""
    return " ".join(f"{part[0]}." for part in name.split() if part) or "?"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//needling//clinic//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def _event(a: AP.AppointmentView, summary: str, stamp: datetime) -> Event:
    ev = Event()
    ev.add("uid", f"needling-appointment-{a.id}@needling")
    ev.add("summary", summary)
    ev.add("dtstart", a.starts_at)  # the clinic's local time, written without a zone ("floating")
    ev.add("dtend", a.ends_at)
    ev.add("dtstamp", stamp)
    ev.add("location", a.room)
    ev.add("status", "CANCELLED" if a.status == "cancelled" else "CONFIRMED")
    return ev


def appointment_ics(a: AP.AppointmentView, lang: str = "en") -> bytes:
    """One appointment as an ``.ics`` file (for a logged-in user: it names the patient and the clinician), its
    title in ``lang``."""
    cal = _calendar("needling")
    who = {"patient": a.patient_name, "clinician": a.clinician_name}
    summary = translate(lang, "Micro-needling: %(patient)s with %(clinician)s", **who)
    cal.add_component(_event(a, summary, S.now()))
    return bytes(cal.to_ical())


@operation
def new_token(db: Session, actor: User) -> str:
    """Make the actor's feed token (replacing any earlier one, whose URL stops working); returns it once."""
    S.require_role(actor, *STAFF)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.execute(delete(CalendarFeed).where(CalendarFeed.user_id == actor.id))
    db.add(CalendarFeed(user_id=actor.id, token_hash=_digest(token), created=S.now()))
    S.audit(db, actor, "write", "calendar-feed", actor.id, "new token")
    return token


@operation
def revoke(db: Session, actor: User) -> bool:
    """Revoke the actor's feed; True if there was one."""
    gone = db.execute(delete(CalendarFeed).where(CalendarFeed.user_id == actor.id)).rowcount
    S.audit(db, actor, "write", "calendar-feed", actor.id, "revoked")
    return bool(gone)


def has_feed(db: Session, user: User) -> bool:
    return db.scalars(select(CalendarFeed.id).where(CalendarFeed.user_id == user.id)).first() is not None


def feed_owner(db: Session, token: str) -> User | None:
    """The active clinician whose feed ``token`` opens, or None (unknown, revoked, or a deactivated user)."""
    if not 20 <= len(token) <= 100:
        return None
    row = db.scalars(select(CalendarFeed).where(CalendarFeed.token_hash == _digest(token))).first()
    user = db.get(User, row.user_id) if row is not None else None
    return user if user is not None and user.active else None


@operation
def feed_ics(db: Session, owner: User, today: date | None = None) -> bytes:
    """The owner's appointments from :data:`FEED_PAST_DAYS` ago to :data:`FEED_AHEAD_DAYS` ahead (read audited)."""
    today = today or date.today()
    rows = AP.between(
        db,
        owner,
        today - timedelta(days=FEED_PAST_DAYS),
        today + timedelta(days=FEED_AHEAD_DAYS),
        clinician_id=owner.id,
        include_cancelled=True,
        audit=False,
    )
    S.audit(db, owner, "read", "calendar-feed", owner.id, f"{len(rows)} appointments")
    cal = _calendar(f"needling: {owner.name}")
    stamp = S.now()
    for a in rows:
        cal.add_component(_event(a, f"{initials(a.patient_name)} #{a.id}", stamp))
    return bytes(cal.to_ical())
