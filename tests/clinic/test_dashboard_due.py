"""The dashboard's due list from the next visit kept on each patient, and the pages of the due list and the inbox
(issue 15, item 10): kept by the services when a plan is made or a session recorded, filled by migration 0013 for
the records made before, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from needling.clinic import series_due as SD
from needling.clinic.dashboard import PAGE_SIZE
from needling.clinic.models import Alert, Patient, PlanRecord
from tests.clinic.conftest import login
from tests.clinic.test_clinic_api import INTAKE, TODAY, session_body


def kept(app, pid: int) -> tuple[date | None, int | None, int | None]:
    with app.state.Session() as db:
        p = db.get(Patient, pid)
        return p.next_due_on, p.next_due_number, p.series_length


def test_the_next_visit_is_kept_when_a_plan_is_made_and_a_session_recorded(app):
    c = login(app, "clinician")
    pid = c.post("/api/patients", json={"name": "Nina Next", "intake": INTAKE}).json()["id"]
    assert kept(app, pid) == (None, None, None)  # nothing planned
    assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY}).status_code == 201
    schedule = c.get(f"/api/patients/{pid}").json()["schedule"]
    n = len(schedule["dates"])
    assert kept(app, pid) == (date.fromisoformat(schedule["next_due"]), 1, n) and schedule["next_due"] == TODAY
    assert c.post(f"/api/patients/{pid}/sessions", json=session_body()).status_code == 201
    schedule = c.get(f"/api/patients/{pid}").json()["schedule"]
    assert kept(app, pid) == (date.fromisoformat(schedule["next_due"]), 2, n)  # the same as the patient's page


def test_next_due_is_the_first_planned_date_not_done():
    dates = ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert SD.next_due(dates, 0) == (date(2026, 1, 1), 1, 3)
    assert SD.next_due(dates, 2) == (date(2026, 3, 1), 3, 3)
    assert SD.next_due(dates, 3) is None and SD.next_due(dates, 7) is None and SD.next_due([], 0) is None


def due_rows(html: str) -> list[str]:
    table = html.split('id="due"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/patients/(\d+)">', table)


def test_the_due_list_and_the_inbox_come_in_pages(app):
    c = login(app, "clinician")
    assert c.post("/api/patients/1/plan", json={"start": TODAY}).status_code == 201
    late = (date.today() - timedelta(days=3)).isoformat()
    with app.state.Session() as db:  # 55 more patients on the same series, three days overdue
        stored = db.scalars(select(PlanRecord).where(PlanRecord.patient_id == 1)).one()
        plan = {
            **stored.plan,
            "series": {**stored.plan["series"], "dates": [late, *stored.plan["series"]["dates"][1:]]},
        }
        for k in range(55):
            p = Patient(name=f"Due {k:02d}", intake=INTAKE, created=datetime.now())
            db.add(p)
            db.flush()
            db.add(
                PlanRecord(
                    patient_id=p.id,
                    created=datetime.now(),
                    decision=stored.decision,
                    plan=plan,
                    rules_version=stored.rules_version,
                    model_version=stored.model_version,
                )
            )
            db.flush()
            SD.refresh(db, p)
            db.add(Alert(patient_id=p.id, created=datetime.now(), rule="too-soon", severity="warning", message="again"))
        db.commit()
    first = c.get("/dashboard")
    assert first.status_code == 200
    rows = due_rows(first.text)
    assert len(rows) == PAGE_SIZE and "1" not in rows  # the overdue first; the demo patient (due today) later
    assert "Page 1 of 2 (56 in all)" in first.text and "Page 1 of 2 (55 in all)" in first.text
    assert len(re.findall(r'id="item-alert-', first.text)) == PAGE_SIZE
    second = c.get("/dashboard", params={"due_page": 2, "inbox_page": 2})
    assert len(due_rows(second.text)) == 6 and due_rows(second.text)[-1] == "1"
    assert not set(due_rows(second.text)) & set(rows)
    assert len(re.findall(r'id="item-alert-', second.text)) == 5
    assert due_rows(c.get("/dashboard", params={"due_page": 99}).text) == due_rows(second.text)  # the last page
    bad = c.get("/dashboard", params={"due_page": "two"})
    assert bad.status_code == 422 and "List page not shown: The page number must be a whole number from 1." in bad.text
    assert 'id="q"' in bad.text and len(due_rows(bad.text)) == PAGE_SIZE  # the page still works


def test_migration_fills_the_next_visit_of_earlier_records(app):
    from alembic import command

    from needling.clinic.db import alembic_config

    c = login(app, "clinician")
    assert c.post("/api/patients/1/plan", json={"start": TODAY}).status_code == 201
    assert c.post("/api/patients/1/sessions", json=session_body()).status_code == 201
    before = kept(app, 1)
    assert before[1] == 2
    url = app.state.settings.database_url
    app.state.engine.dispose()
    command.downgrade(alembic_config(url), "0012")
    command.upgrade(alembic_config(url), "head")
    assert kept(app, 1) == before
