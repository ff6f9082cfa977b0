"""Reminders sent to a real SMTP server (aiosmtpd) started in the test, on SQLite and PostgreSQL.

What is checked: only patients who consented get one, in their language, with the appointment's date and
time and nothing clinical; a second run sends nothing; two runs at once send a moved appointment's new
reminder once; a failed send is retried by the next run; ``needling reminders run`` does the same from cron.
"""

from __future__ import annotations

import json
import socket
import threading
from datetime import date, datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from needling.clinic import appointments as AP
from needling.clinic import reminders as R
from needling.clinic.appointments_models import SentReminder
from needling.clinic.models import User
from needling.clinic.seed import DEMO_INTAKE
from needling.i18n import day_and_date
from tests.clinic.conftest import login
from tests.conftest import assert_one_line_error

TOMORROW = date.today() + timedelta(days=1)
START = datetime(TOMORROW.year, TOMORROW.month, TOMORROW.day, 10, 30)
RUN_AT = START - timedelta(hours=20)  # within the default lead of 24 h
CLINICAL_WORDS = ("needl", "acne", "scar", "plan", " mm", "Pat Demo", "Dr ", "nålning", "ärr")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{controller.port}"
    yield inbox
    controller.stop()


def subject(msg: Message) -> str:
    return str(make_header(decode_header(msg["Subject"])))


def body(msg: Message) -> str:
    return msg.get_payload(decode=True).decode(msg.get_content_charset() or "utf-8")


def setup_clinic(app) -> tuple[int, int, int]:
    """Two appointments tomorrow: one for a patient who consented (Swedish), one for a patient who did not."""
    c = login(app, "clinician")
    with app.state.Session() as db:
        patient = db.scalars(select(User.patient_id).where(User.role == "patient")).one()
        clinician = db.scalars(select(User.id).where(User.role == "clinician")).one()
    other = c.post("/api/patients", json={"name": "Olle Other", "intake": DEMO_INTAKE}).json()["id"]
    r = c.put(
        f"/api/patients/{patient}/reminder-contact",
        json={"email": "pat@example.se", "language": "sv", "consented": True},
    )
    assert r.status_code == 200, r.text
    c.put(f"/api/patients/{other}/reminder-contact", json={"email": "olle@example.se", "consented": False})
    ids = []
    for pid, room, hour in ((patient, "Room 1", 10), (other, "Room 2", 11)):
        body_ = {"patient_id": pid, "clinician_id": clinician, "room": room, "starts_at": f"{TOMORROW}T{hour}:30"}
        r = c.post("/api/appointments", json=body_)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids[0], ids[1], patient


def test_reminder_in_the_patients_language_once(app, smtp):
    consented, _, _ = setup_clinic(app)
    s = app.state.settings
    with app.state.Session() as db:
        early = R.run_due(db, smtp.url, "clinic@example.se", s.reminder_lead_h, now=START - timedelta(hours=25))
    assert early.sent == [] and smtp.messages == []  # not yet due
    with app.state.Session() as db:
        result = R.run_due(db, smtp.url, "clinic@example.se", s.reminder_lead_h, now=RUN_AT)
    assert result.sent == [consented] and result.without_consent == 1 and not result.failed
    assert len(smtp.messages) == 1 and smtp.recipients == [["pat@example.se"]]
    msg = smtp.messages[0]
    assert subject(msg) == f"Påminnelse: du har en tid {day_and_date(TOMORROW, 'sv')} kl. 10:30"
    assert msg["Content-Language"] == "sv" and msg["From"] == "clinic@example.se"
    text = body(msg)
    assert f"{day_and_date(TOMORROW, 'sv')} kl. 10:30" in text and "45 minuter" not in text and "60 minuter" in text
    assert "Room 1" in text
    assert not any(w in text or w in subject(msg) for w in CLINICAL_WORDS), text
    # Idempotent: a second run sends nothing.
    with app.state.Session() as db:
        again = R.run_due(db, smtp.url, "clinic@example.se", s.reminder_lead_h, now=RUN_AT + timedelta(minutes=5))
    assert again.sent == [] and len(smtp.messages) == 1
    with app.state.Session() as db:
        claims = db.scalars(select(SentReminder)).all()
    assert [(c.appointment_id, c.starts_at) for c in claims] == [(consented, START)] and claims[0].sent is not None


def test_two_runs_at_once_send_a_moved_appointments_reminder_once(app, smtp):
    consented, _, _ = setup_clinic(app)
    s = app.state.settings
    with app.state.Session() as db:
        R.run_due(db, smtp.url, "c@example.se", s.reminder_lead_h, now=RUN_AT)
    assert len(smtp.messages) == 1
    with app.state.Session() as db:  # moved three hours later: the new time gets its own reminder
        actor = db.scalars(select(User).where(User.role == "clinician")).one()
        AP.move_appointment(db, actor, consented, START + timedelta(hours=3))
        db.commit()
    barrier = threading.Barrier(4, timeout=60)
    results: list[R.RunResult] = []

    def run() -> None:
        with app.state.Session() as db:
            barrier.wait()
            results.append(R.run_due(db, smtp.url, "c@example.se", s.reminder_lead_h, now=RUN_AT))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == 4
    assert sum(len(r.sent) for r in results) == 1, [r.to_json() for r in results]
    assert len(smtp.messages) == 2
    assert "kl. 13:30" in subject(smtp.messages[1])


def test_failed_send_is_retried_and_english_by_default(app, smtp):
    consented, _, patient = setup_clinic(app)
    c = login(app, "clinician")
    c.put(f"/api/patients/{patient}/reminder-contact", json={"email": "pat@example.org", "consented": True})
    s = app.state.settings
    with app.state.Session() as db:
        failed = R.run_due(db, f"smtp://127.0.0.1:{free_port()}", "c@example.se", s.reminder_lead_h, now=RUN_AT)
    assert failed.sent == [] and [i for i, _ in failed.failed] == [consented]
    with app.state.Session() as db:
        assert db.scalars(select(SentReminder)).all() == []  # the claim was released
        retried = R.run_due(db, smtp.url, "c@example.se", s.reminder_lead_h, now=RUN_AT)
    assert retried.sent == [consented]
    assert subject(smtp.messages[0]) == f"Reminder: your appointment on {day_and_date(TOMORROW, 'en')} at 10:30"
    assert smtp.messages[0]["Content-Language"] == "en"


def test_a_claim_left_by_a_stopped_run_is_released_after_an_hour(app, smtp):
    consented, _, _ = setup_clinic(app)
    with app.state.Session() as db:  # a run claimed it and stopped before sending
        db.add(SentReminder(appointment_id=consented, starts_at=START, claimed=datetime.now() - timedelta(minutes=5)))
        db.commit()
        fresh = R.run_due(db, smtp.url, "c@example.se", 24, now=RUN_AT)
    assert fresh.sent == [] and smtp.messages == []  # maybe still sending: left alone
    with app.state.Session() as db:
        claim = db.scalars(select(SentReminder)).one()
        claim.claimed = datetime.now() - timedelta(hours=2)
        db.commit()
        retried = R.run_due(db, smtp.url, "c@example.se", 24, now=RUN_AT)
    assert retried.sent == [consented] and len(smtp.messages) == 1


def test_cancelled_appointment_gets_no_reminder(app, smtp):
    consented, _, _ = setup_clinic(app)
    c = login(app, "clinician")
    assert c.post(f"/api/appointments/{consented}/cancel", json={}).status_code == 200
    with app.state.Session() as db:
        result = R.run_due(db, smtp.url, "c@example.se", 24, now=RUN_AT)
    assert result.sent == [] and smtp.messages == []


def test_bad_contacts_are_refused(app):
    c = login(app, "clinician")
    with app.state.Session() as db:
        patient = db.scalars(select(User.patient_id).where(User.role == "patient")).one()
    for email in ("not an address", "a@b", "two@@example.se"):
        r = c.put(f"/api/patients/{patient}/reminder-contact", json={"email": email, "consented": True})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "email", (email, r.text)


def test_cli_sends_what_is_due_and_is_idempotent(cli, tmp_path, monkeypatch, smtp):
    from tests.clinic.conftest import make_app

    app = make_app(tmp_path)
    setup_clinic(app)
    url = app.state.settings.database_url
    monkeypatch.setenv("NEEDLING_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NEEDLING_SECRET_KEY", "test-secret")
    monkeypatch.delenv("NEEDLING_SMTP_URL", raising=False)
    assert_one_line_error(cli("reminders", "run", "--database-url", url), "NEEDLING_SMTP_URL")
    monkeypatch.setenv("NEEDLING_SMTP_URL", "http://example.org")
    assert_one_line_error(cli("reminders", "run", "--database-url", url), "NEEDLING_SMTP_URL")
    monkeypatch.setenv("NEEDLING_SMTP_URL", smtp.url)
    assert_one_line_error(cli("reminders", "run", "--database-url", url, "--now", "tomorrow"), "--now")
    first = cli("reminders", "run", "--database-url", url, "--now", RUN_AT.isoformat(), "--json")
    assert first.code == 0, first.stderr
    assert json.loads(first.stdout)["sent"] and len(smtp.messages) == 1
    second = cli("reminders", "run", "--database-url", url, "--now", RUN_AT.isoformat())
    assert second.code == 0 and "sent" in second.stdout and len(smtp.messages) == 1
    monkeypatch.setenv("NEEDLING_REMINDER_LEAD_HOURS", "0")
    assert_one_line_error(cli("reminders", "run", "--database-url", url), "NEEDLING_REMINDER_LEAD_HOURS")
    app.state.engine.dispose()
