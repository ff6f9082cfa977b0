"""The dashboard (issue 15, item 1): the clinician's start page with patients due, the alert inbox across
patients (acknowledge, assign) and the patient search by name, date of birth or personnummer.

On SQLite and PostgreSQL; every page read is audited and never cached.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from needling.clinic.models import AdverseEvent, Alert, AuditEntry, InboxState, Lot, Patient
from needling.i18n import table_date
from tests.clinic.conftest import login
from tests.clinic.test_clinic_api import INTAKE, TODAY, session_body


def inbox_keys(html: str) -> list[str]:
    return re.findall(r'name="item" value="([^"]+)"', html)


def add_inbox_sources(app, pid: int) -> dict[str, str]:
    """One record of each source the inbox reads, stored as the clinic would store it."""
    today = date.today()
    with app.state.Session() as db:
        alert = Alert(
            patient_id=pid, created=datetime.now(), rule="too-frequent", severity="warning", message="rolled daily"
        )
        event = AdverseEvent(patient_id=pid, kind="broken-needle", description="needle left in skin", on=today)
        soon = Lot(lot_number="SOON-1", device_name="dermapen-11", expiry=today + timedelta(days=20))
        later = Lot(lot_number="LATER-1", device_name="dermapen-11", expiry=today + timedelta(days=31))
        db.add_all([alert, event, soon, later])
        db.commit()
        return {"alert": f"alert:{alert.id}", "event": f"adverse-event:{event.id}", "soon": f"lot-expiry:{soon.id}"}


def test_the_clinicians_start_page_is_the_dashboard_never_cached_and_audited(app):
    c = login(app, "clinician")
    home = c.get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/dashboard"
    r = c.get("/dashboard")
    assert r.status_code == 200 and "<h1>Dashboard</h1>" in r.text
    assert "no-store" in r.headers["cache-control"]
    with app.state.Session() as db:
        details = [e.detail for e in db.scalars(select(AuditEntry).where(AuditEntry.user_id == c.user["id"]))]
    assert "inbox" in details and "due" in details
    assert login(app, "patient").get("/dashboard").status_code == 403
    sv = c.get("/dashboard", headers={"accept-language": "sv-SE"})
    assert "<h1>Översikt</h1>" in sv.text and "Inkorg för varningar" in sv.text


def test_inbox_gathers_every_kind_and_acknowledge_and_assign_are_kept_and_audited(app):
    c = login(app, "clinician")
    pid = c.post("/api/patients", json={"name": "Ines Inbox", "intake": INTAKE}).json()["id"]
    keys = add_inbox_sources(app, pid)
    assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY}).status_code == 201
    assert c.post(f"/api/patients/{pid}/sessions", json=session_body()).status_code == 201
    lot = next(x["id"] for x in c.get("/api/lots").json() if x["lot_number"] == "DR15-2026-A")
    assert c.post(f"/api/lots/{lot}/recall", json={"reason": "needles bend"}).status_code == 200
    page = c.get("/dashboard").text
    shown = inbox_keys(page)
    for key in (keys["alert"], keys["event"], keys["soon"], f"recall:{lot}:{pid}"):
        assert key in shown, key
    assert not any(k.startswith("lot-expiry:") and k != keys["soon"] for k in shown)  # 31 days: not yet
    assert "needles bend" in page and "Recalled lot used on this patient" in page and "Ines Inbox" in page

    clara = c.user["id"]
    r = c.http.post("/dashboard/inbox/assign", data={"csrf_token": c.csrf, "item": keys["event"], "assign_to": clara})
    assert r.status_code == 200 and "Item assigned." in r.text and "Assigned to Dr Clara Clinician." in r.text
    r = c.http.post("/dashboard/inbox/acknowledge", data={"csrf_token": c.csrf, "item": keys["alert"]})
    assert r.status_code == 200 and keys["alert"] not in inbox_keys(r.text)
    everything = c.get("/dashboard?show=all").text  # still listed among the acknowledged, without its buttons
    item_id = "item-" + keys["alert"].replace(":", "-")
    assert f'id="{item_id}"' in everything and "Acknowledged." in everything.split(item_id, 1)[1].split("</li>")[0]
    with app.state.Session() as db:
        assert db.get(Alert, int(keys["alert"].split(":")[1])).acknowledged  # the portal's alert too
        state = db.scalars(select(InboxState).where(InboxState.key == keys["event"])).one()
        assert state.assigned_to_id == clara and state.acknowledged_at is None
        writes = list(db.scalars(select(AuditEntry).where(AuditEntry.entity == "inbox")))
    assert {(w.entity_id, w.detail, w.patient_id) for w in writes} == {
        (keys["event"], f"assigned to user {clara}", pid),
        (keys["alert"], "acknowledged", pid),
    }


def test_bad_inbox_requests_are_refused_in_one_line_and_change_nothing(app):
    c = login(app, "clinician")
    keys = add_inbox_sources(app, 1)
    bad = c.http.post("/dashboard/inbox/acknowledge", data={"csrf_token": c.csrf, "item": "../etc/passwd"})
    assert bad.status_code == 422 and "That item is not in the inbox." in bad.text
    missing = c.http.post("/dashboard/inbox/acknowledge", data={"csrf_token": c.csrf, "item": "alert:999999"})
    assert missing.status_code == 404
    patient_user = login(app, "patient")
    for who, status in ((patient_user, 403),):
        r = who.http.post("/dashboard/inbox/acknowledge", data={"csrf_token": who.csrf, "item": keys["alert"]})
        assert r.status_code == status
    r = c.http.post("/dashboard/inbox/assign", data={"csrf_token": c.csrf, "item": keys["alert"], "assign_to": "3"})
    assert r.status_code == 422 and "Choose an active clinician from the list." in r.text  # user 3 is the patient
    r = c.http.post("/dashboard/inbox/assign", data={"csrf_token": c.csrf, "item": keys["alert"], "assign_to": "x"})
    assert r.status_code == 422 and "assign_to" in r.text
    forged = c.http.post("/dashboard/inbox/acknowledge", data={"csrf_token": "forged", "item": keys["alert"]})
    assert forged.status_code == 403
    with app.state.Session() as db:
        assert db.scalars(select(InboxState)).all() == []
        assert not db.get(Alert, int(keys["alert"].split(":")[1])).acknowledged


def test_patients_due_this_week_or_overdue(app):
    c = login(app, "clinician")
    late = c.post("/api/patients", json={"name": "Lena Late", "intake": INTAKE}).json()["id"]
    started = (date.today() - timedelta(days=3)).isoformat()
    assert c.post(f"/api/patients/{late}/plan", json={"start": started}).status_code == 201
    far = c.post("/api/patients", json={"name": "Fred Far", "intake": INTAKE}).json()["id"]
    later = (date.today() + timedelta(days=30)).isoformat()
    assert c.post(f"/api/patients/{far}/plan", json={"start": later}).status_code == 201
    page = c.get("/dashboard").text
    due = page.split('id="due"', 1)[1].split("</table>", 1)[0]
    first = c.get(f"/api/patients/{late}").json()["schedule"]["dates"][0]
    assert "Lena Late" in due and table_date(first, "en") in due and "overdue" in due
    assert "Fred Far" not in due


def test_search_by_name_birth_date_and_personnummer_with_a_checked_identity(app):
    c = login(app, "clinician")
    pid = c.post("/api/patients", json={"name": "Tolvan Tolvansson", "intake": INTAKE}).json()["id"]
    c.post("/api/patients", json={"name": "Anna 100%_Percent", "intake": INTAKE})
    assert "Personnummer and date of birth" in c.get(f"/patients/{pid}").text
    form = {"csrf_token": c.csrf, "personnummer": "19121212-1213", "birth_date": ""}
    refused = c.http.post(f"/patients/{pid}/identity", data=form)
    assert refused.status_code == 422 and "The check digit of the personnummer is wrong." in refused.text
    assert 'value="19121212-1213"' in refused.text  # what was typed comes back
    clash = c.http.post(
        f"/patients/{pid}/identity", data={**form, "personnummer": "121212+1212", "birth_date": "1912-12-13"}
    )
    assert clash.status_code == 422 and "The date of birth Dec 13, 1912 differs from the personnummer" in clash.text
    with app.state.Session() as db:
        p = db.get(Patient, pid)
        assert p.personnummer is None and p.birth_date is None  # nothing stored by a refused form
    ok = c.http.post(f"/patients/{pid}/identity", data={**form, "personnummer": "121212+1212"})
    assert ok.status_code == 200 and "Identity saved." in ok.text
    with app.state.Session() as db:
        p = db.get(Patient, pid)
        assert (p.personnummer, p.birth_date) == ("191212121212", date(1912, 12, 12))

    def results(q: str) -> str:
        r = c.get("/dashboard", params={"q": q})
        assert r.status_code == 200, r.text[:500]
        return r.text.split('id="search-results"', 1)[1].split("</section>", 1)[0]

    for q in ("tolvan", "TOLVANSSON", "1912-12-12", "19121212-1212", "191212121212", "121212+1212"):
        assert "Tolvan Tolvansson" in results(q), q
    assert "No patient matches" in results("1912-12-13")
    assert "No patient matches" in results("19811228-9874")  # valid, but nobody has it
    assert "Tolvan" not in results("%") and "Anna 100%_Percent" in results("100%_")  # wildcards are plain text
    bad = c.get("/dashboard", params={"q": "19121212-1213"})
    assert bad.status_code == 422 and "Search not done: The check digit of the personnummer is wrong." in bad.text
    with app.state.Session() as db:
        searches = [e.detail for e in db.scalars(select(AuditEntry).where(AuditEntry.detail.like("search by%")))]
    assert "search by personnummer: 1 found" in searches and "search by name: 1 found" in searches
    assert not any("1912" in d for d in searches)  # the audit never keeps the number searched for

    cleared = c.http.post(f"/patients/{pid}/identity", data={**form, "personnummer": ""})
    assert cleared.status_code == 200
    with app.state.Session() as db:
        assert db.get(Patient, pid).personnummer is None  # optional: stored only while given
