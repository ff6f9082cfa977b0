"""Recording a session costs a bounded number of database round trips, whatever its regions or history.

Issue 15, item 10 (50 clients recording at once on PostgreSQL): every statement of a recording is a round trip
made while the patient's row is locked, and the lot's row is locked from its decrement to the commit. The checks
read what they need once for all regions (the lots named with the patient's lock; the plan, the past sessions on
the areas and the current consents in one statement after it), the log-in and its user in one query, and the lot's
new count comes back with its decrement. A query per region
or per past session (an N+1) coming back makes these counts grow and fails here.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import psycopg
import pytest
from sqlalchemy import event, func, select

from needling.clinic.models import AuditEntry, Lot, Patient, PlanRecord, SessionOverride, SessionRegion
from tests.clinic.conftest import PG_ADMIN, login, make_app

TODAY = date.today()
INTAKE = {
    "patient": {"age": 35, "sex": "female", "fitzpatrick": 3},
    "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
    "setting": "clinic",
}
WHY = "benchmark of the recording's queries, not a treatment"
MAX_STATEMENTS = 9
"""Statements of a one-region recording on PostgreSQL, consent checked: the log-in with its user; the patient
locked and read with the lots named; the latest plan, the areas' past sessions and the consents in one; the session
(which counts the patient's sessions and finds the day's appointment too), its regions and their overrides; the
audit entries; the patient's next visit; the lot's decrement. Before this was cut it was 22, then 14 (the session
count a query of its own), then 13 (the day's appointment a query of its own), then 12 (the lots, the plan, the
areas' past sessions and the consents four queries of their own)."""
MAX_FLUSHES = 0
"""ORM flushes of a plain recording (no appointment that day, no consent override, no adverse event): the session,
its regions, their overrides, the audit entries and the patient's next visit are statements of their own. Each
flush costs the unit of work's processor time: there were four, then two, then one (the audit entries and the next
visit) before (benchmarks/bench_session_load.py)."""


@pytest.fixture(params=["postgres", "sqlite"])
def clinic(request, tmp_path):
    """The app with the consent check on, a planned patient with a signed consent, and a counted lot."""
    name = None
    if request.param == "postgres":
        name = f"needling_q_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        app = make_app(tmp_path, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", require_consent=True)
    else:
        app = make_app(tmp_path, require_consent=True)
    c = login(app, "clinician")
    lot = {
        "device_name": "dermaroller-192-1.5",
        "lot_number": "Q-2026",
        "expiry": (TODAY + timedelta(days=365)).isoformat(),
        "quantity": 100,
    }
    assert c.post("/api/lots", json=lot).status_code == 201
    pid = c.post("/api/patients", json={"name": "Query Count", "intake": INTAKE}).json()["id"]
    assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code == 201
    form = c.get(f"/api/patients/{pid}/consents/form", params={"procedure": "needling-peel"}).json()
    sign = {
        "procedure": "needling-peel",
        "content_sha256": form["content_sha256"],
        "signer_name": "Query Count",
        "typed_signature": "Query Count",
    }
    assert c.post(f"/api/patients/{pid}/consents", json=sign).status_code == 201
    yield app, c, pid
    app.state.engine.dispose()
    if name is not None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def recording(sites: list[str]) -> dict:
    """A session on ``sites`` with the one lot; each region justified (the same day again, or not planned)."""
    regions = [
        {
            "site": site,
            "lot_number": "Q-2026",
            "needle_length_mm": 1.5 if site == "cheek" else 0.5,
            "passes": 8,
            "endpoint": "pinpoint bleeding",
            "override_justification": WHY,
        }
        for site in sites
    ]
    return {"date": TODAY.isoformat(), "regions": regions, "pain_vas": 3.0}


def statements(app, c, pid: int, body: dict) -> tuple[int, int, int, int]:
    """Record ``body``; the SQL statements, the reads among them, the commits and the ORM flushes it took."""
    seen = {"sql": 0, "read": 0, "commit": 0, "flush": 0}

    def count_sql(conn, cursor, statement, *_):
        seen["sql"] += 1
        seen["read"] += statement.lstrip().upper().startswith("SELECT")

    def count_commit(*_):
        seen["commit"] += 1

    def count_flush(*_):
        seen["flush"] += 1

    event.listen(app.state.engine, "before_cursor_execute", count_sql)
    event.listen(app.state.engine, "commit", count_commit)
    event.listen(app.state.Session, "after_flush", count_flush)
    try:
        r = c.post(f"/api/patients/{pid}/sessions", json=body)
    finally:
        event.remove(app.state.engine, "before_cursor_execute", count_sql)
        event.remove(app.state.engine, "commit", count_commit)
        event.remove(app.state.Session, "after_flush", count_flush)
    assert r.status_code == 201, r.text
    return seen["sql"], seen["read"], seen["commit"], seen["flush"]


def test_a_recording_takes_a_bounded_number_of_statements_and_one_commit(clinic):
    app, c, pid = clinic
    first = statements(app, c, pid, recording(["cheek"]))
    again = [statements(app, c, pid, recording(["cheek"])) for _ in range(4)]  # history grows, the count does not
    three = statements(app, c, pid, recording(["cheek", "forehead", "chin"]))
    postgres = app.state.engine.dialect.name == "postgresql"
    for sql, reads, commits, flushes in [first, *again, three]:
        assert commits == 1  # the log-in check commits nothing it did not change: one transaction per recording
        assert reads == first[1]  # no read per past session or per region, on either database
        assert flushes == MAX_FLUSHES  # every row of a plain recording is a statement of its own
        if postgres:
            assert sql <= MAX_STATEMENTS
    if postgres:  # the rows of a kind go in one statement (SQLite's driver inserts them one by one, in-process)
        assert {sql for sql, *_ in again} == {again[0][0]}
        assert again[0][0] <= first[0] + 1  # the first had no interval override to store
        assert three[0] == again[0][0]
    with app.state.Session() as db:  # and everything was done: 8 regions stored, 6 items taken, all audited
        assert db.scalar(select(func.count()).select_from(SessionRegion)) == 8
        assert db.scalar(select(Lot.quantity).where(Lot.lot_number == "Q-2026")) == 100 - 6
        assert db.scalar(select(func.count()).select_from(SessionOverride)) >= 7
        writes = select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "session")
        assert db.scalar(writes.where(AuditEntry.action == "write")) == 6


def test_a_recordings_own_statements_write_what_the_unit_of_work_wrote(clinic):
    """The audit entries in the order they were made, each naming the patient and the client; the patient's next
    visit moved on by the session, and cleared when the series is done; the lot's count down by one each time."""
    app, c, pid = clinic
    with app.state.Session() as db:
        dates = PlanRecord.typed(db.scalars(select(PlanRecord).where(PlanRecord.patient_id == pid)).one()).series.dates
        last = db.scalar(select(func.max(AuditEntry.id)))
    for k in range(len(dates) + 1):
        statements(app, c, pid, recording(["cheek"]))
        with app.state.Session() as db:
            patient = db.get(Patient, pid)
            due = (patient.next_due_on, patient.next_due_number, patient.series_length)
            if k + 1 < len(dates):
                assert due == (date.fromisoformat(dates[k + 1]), k + 2, len(dates))
            else:
                assert due == (None, None, None)
            assert db.scalar(select(Lot.quantity).where(Lot.lot_number == "Q-2026")) == 100 - (k + 1)
    with app.state.Session() as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id)).all()
    assert len(rows) == 3 * (len(dates) + 1) - 1  # the first has no interval override
    first, *rest = [rows[:2], *(rows[i : i + 3] for i in range(2, len(rows), 3))]
    assert [(e.action, e.entity) for e in first] == [("read", "patient"), ("write", "session")]
    for three in rest:
        assert [(e.action, e.entity) for e in three] == [
            ("read", "patient"),
            ("override", "session"),
            ("write", "session"),
        ]
        assert "interval-too-short" in three[1].detail and WHY in three[1].detail
    session_ids = {e.entity_id for e in rows if e.entity == "session"}
    assert len(session_ids) == len(dates) + 1
    assert {(e.patient_id, e.user_id is not None, e.result, e.client) for e in rows} == {
        (pid, True, "ok", "testclient")
    }
