"""E-mail reminders of appointments, to patients who consented to them, in their language.

:func:`run_due` sends every reminder that is due (an active appointment starting within the lead time,
``Settings.reminder_lead_h``) and is safe to run from cron, also two runs at once: each reminder is first
claimed by inserting a :class:`~needling.clinic.appointments_models.SentReminder` row, whose unique
constraint on (appointment, start time) lets only one run have it, and committed before the message is
sent. A moved appointment gets a reminder for its new time. A failed send releases the claim, so the
next run tries again.

The message says when and where, nothing else: no treatment, no diagnosis, no clinician's notes.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from needling.clinic import services as S
from needling.clinic.appointments import ACTIVE
from needling.clinic.appointments_models import Appointment, ReminderContact, SentReminder
from needling.clinic.models import User
from needling.clinic.roles import STAFF
from needling.clinic.transactions import operation
from needling.errors import InputError, check_text
from needling.i18n import LANGS, day_and_date, time_of_day, translate

SMTP_TIMEOUT_S = 30
"""How long to wait for the mail server, s."""
STALE_CLAIM = timedelta(hours=1)
"""A claim this old without a sent time belongs to a run that stopped before sending: released for a retry."""
EMAIL_LENGTH = ReminderContact.__table__.c.email.type.length


@dataclass(frozen=True)
class SmtpTarget:
    """Where to send: host, port, TLS from the start or STARTTLS, and an optional log-in."""

    host: str
    port: int
    tls: bool
    starttls: bool
    user: str
    password: str


def parse_smtp_url(url: str) -> SmtpTarget:
    """``smtp://[USER:PASSWORD@]HOST[:PORT][?starttls=1]`` or ``smtps://...``; one-line error otherwise."""
    valid = "valid: smtp://[USER:PASSWORD@]HOST[:PORT][?starttls=1] or smtps://..."
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise InputError(f"NEEDLING_SMTP_URL is not an SMTP URL; {valid}", field="NEEDLING_SMTP_URL")
    try:
        port = parts.port
    except ValueError:
        raise InputError(f"NEEDLING_SMTP_URL has a bad port; {valid}", field="NEEDLING_SMTP_URL") from None
    tls = parts.scheme == "smtps"
    starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
    return SmtpTarget(
        host=parts.hostname,
        port=port or (465 if tls else 25),
        tls=tls,
        starttls=starttls,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


@operation
def set_contact(
    db: Session, actor: User, patient_id: int, email: str, language: str, consented: bool
) -> ReminderContact:
    """Record the patient's e-mail, language and consent to reminders (audited)."""
    S.require_role(actor, *STAFF)
    S.get_patient(db, actor, patient_id, "reminder contact")
    email = check_text("email", email.strip(), max_length=EMAIL_LENGTH)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or any(c.isspace() for c in email) or email.count("@") != 1:
        raise InputError(f"email: {email[:60]!r} is not an e-mail address; valid: name@example.org", "email")
    if language not in LANGS:
        raise InputError(f"language: {language[:10]!r} is not offered; valid: {', '.join(LANGS)}", "language")
    contact = db.scalars(select(ReminderContact).where(ReminderContact.patient_id == patient_id)).first()
    if contact is None:
        contact = ReminderContact(patient_id=patient_id)
        db.add(contact)
    contact.email, contact.language, contact.consented = email, language, consented
    contact.updated, contact.updated_by = S.now(), actor.id
    db.flush()
    S.audit(
        db,
        actor,
        "write",
        "reminder-contact",
        patient_id,
        f"consent {'given' if consented else 'not given'}, language {language}",
        patient_id=patient_id,
    )
    return contact


def account_language(db: Session, patient_id: int) -> str:
    """The language the patient chose for their portal account, or ``en`` when they have none or chose none.

    The reminder form starts from it, so a patient who reads the portal in Swedish is offered Swedish reminders.
    """
    chosen = db.scalars(select(User.language).where(User.patient_id == patient_id, User.language.in_(LANGS))).first()
    return chosen or "en"


def contact_of(db: Session, patient_id: int) -> ReminderContact | None:
    return db.scalars(select(ReminderContact).where(ReminderContact.patient_id == patient_id)).first()


def compose(appointment: Appointment, contact: ReminderContact, sender: str) -> EmailMessage:
    """The reminder in the patient's language: when, how long and where; no clinical detail."""
    lang = contact.language if contact.language in LANGS else "en"
    args = {
        "date": day_and_date(appointment.starts_at, lang),  # "onsdag 25 november 2026", not an ISO date
        "time": time_of_day(appointment.starts_at, lang),  # "10:30" in both languages
        "minutes": appointment.duration_min,
        "room": appointment.room,
    }
    msg = EmailMessage()
    msg["Subject"] = translate(lang, "Reminder: your appointment on %(date)s at %(time)s", **args)
    msg["From"] = sender
    msg["To"] = contact.email
    msg["Message-ID"] = make_msgid(domain="needling")
    msg.set_content(
        translate(
            lang,
            "Hello,\n\nThis is a reminder of your appointment at the clinic on %(date)s at %(time)s "
            "(%(minutes)s minutes), in %(room)s.\n\nIf you cannot come, tell the clinic as soon as you can, so that "
            "someone else can have the time.\n\nYou get this message because you asked for appointment reminders.\n",
            **args,
        )
    )
    msg["Content-Language"] = lang  # after the content: setting it clears every Content- header
    return msg


def send(target: SmtpTarget, msg: EmailMessage) -> None:
    """Send one message through the mail server at ``target``."""
    if target.tls:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            target.host, target.port, timeout=SMTP_TIMEOUT_S, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(target.host, target.port, timeout=SMTP_TIMEOUT_S)
    with client:
        if target.starttls:
            client.starttls(context=ssl.create_default_context())
        if target.user:
            client.login(target.user, target.password)
        client.send_message(msg)


@dataclass
class RunResult:
    """What one run did: reminders sent, already claimed by another run, failed, and skipped for lack of consent."""

    sent: list[int] = field(default_factory=list)  # appointment ids
    claimed_elsewhere: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    without_consent: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "sent": self.sent,
            "claimed_elsewhere": self.claimed_elsewhere,
            "failed": [{"appointment_id": i, "error": e} for i, e in self.failed],
            "without_consent": self.without_consent,
        }


def due(db: Session, now: datetime, lead_h: float) -> list[tuple[Appointment, ReminderContact | None]]:
    """Active appointments starting after ``now`` and within ``lead_h`` hours with no reminder for that time."""
    sent = select(SentReminder.id).where(
        SentReminder.appointment_id == Appointment.id, SentReminder.starts_at == Appointment.starts_at
    )
    rows = db.execute(
        select(Appointment, ReminderContact)
        .outerjoin(ReminderContact, ReminderContact.patient_id == Appointment.patient_id)
        .where(
            Appointment.status.in_(ACTIVE),
            Appointment.starts_at > now,
            Appointment.starts_at <= now + timedelta(hours=lead_h),
            ~sent.exists(),
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()
    return [(a, c) for a, c in rows]


def run_due(db: Session, smtp_url: str, sender: str, lead_h: float, now: datetime | None = None) -> RunResult:
    """Send every reminder that is due (see the module's docstring); commits as it goes.

    Parameters
    ----------
    smtp_url : str
        ``Settings.smtp_url``; nothing is claimed or sent if it is empty (one-line error).
    lead_h : float
        Hours before an appointment its reminder is due.
    now : datetime, optional
        The clinic's local time (default: the clock).
    """
    if not smtp_url:
        raise InputError("NEEDLING_SMTP_URL is not set; valid: smtp://HOST[:PORT]", field="NEEDLING_SMTP_URL")
    target = parse_smtp_url(smtp_url)
    now = now or S.now()
    result = RunResult()
    stale = db.execute(
        delete(SentReminder).where(SentReminder.sent.is_(None), SentReminder.claimed < S.now() - STALE_CLAIM)
    ).rowcount
    if stale:
        S.audit(db, None, "write", "reminder", "*", f"{stale} stale claims released for a retry", result="failed")
    db.commit()
    candidates = due(db, now, lead_h)
    db.rollback()  # end the read; each claim below is its own transaction
    for appointment, contact in candidates:
        if contact is None or not contact.consented:
            result.without_consent += 1
            continue
        claim = SentReminder(appointment_id=appointment.id, starts_at=appointment.starts_at, claimed=S.now(), error="")
        db.add(claim)
        try:
            db.commit()
        except IntegrityError:  # another run has it
            db.rollback()
            result.claimed_elsewhere.append(appointment.id)
            continue
        try:
            send(target, compose(appointment, contact, sender))
        except (OSError, smtplib.SMTPException) as exc:
            db.execute(delete(SentReminder).where(SentReminder.id == claim.id))
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]
            S.audit(
                db,
                None,
                "write",
                "reminder",
                appointment.id,
                f"not sent: {reason}",
                patient_id=appointment.patient_id,
                result="failed",
            )
            db.commit()
            result.failed.append((appointment.id, reason))
            continue
        claim.sent = S.now()
        S.audit(
            db,
            None,
            "write",
            "reminder",
            appointment.id,
            f"sent for {appointment.starts_at:%Y-%m-%d %H:%M}",
            patient_id=appointment.patient_id,
        )
        db.commit()
        result.sent.append(appointment.id)
    return result
