"""A recording's two reads (needling.clinic.recording_reads) give what the separate reads they replace gave.

Issue 15, item 10: the patient's lock reads the lots the session names, and one statement after it reads the latest
plan, the areas' clinic sessions and home-care logs, and the patient's consents. Each part is compared here with the
statement of its own that the draft and the consent pages still use, on PostgreSQL and SQLite, for a patient with
two plans, sessions on two areas, a home-care log, and consents current, superseded and withdrawn.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from needling.clinic import recording_reads as RR
from needling.clinic.consent_service import _current_terms, current_of
from needling.clinic.models import Lot, Patient
from needling.clinic.session_guard import plan_context, region_histories
from tests.clinic.conftest import login
from tests.clinic.test_session_interval import add_home_log

TODAY = date.today()
INTAKE = {
    "patient": {"age": 35, "sex": "female", "fitzpatrick": 3},
    "goals": [
        {"region": "cheek", "indication": "acne-scars", "grade": 3},
        {"region": "forehead", "indication": "fine-lines"},
    ],
    "setting": "clinic",
}
WHY = "a test of the recording's reads, not a treatment"


@pytest.fixture
def recorded(app):
    """A patient with sessions on cheek and forehead, a home log on the cheek, and three consents: the needling
    one superseded by a second, the peel one withdrawn; two lots of one number and one of another (on each
    database: the conftest's ``app``)."""
    c = login(app, "clinician")
    expiry = (TODAY + timedelta(days=365)).isoformat()
    for number, device in [("RR-1", "dermaroller-192-1.5"), ("RR-1", "dermaroller-192-0.5"), ("RR-2", "ms4-96-1.5")]:
        lot = {"device_name": device, "lot_number": number, "expiry": expiry, "quantity": 10}
        assert c.post("/api/lots", json=lot).status_code == 201, number
    pid = c.post("/api/patients", json={"name": "Read Once", "intake": INTAKE}).json()["id"]
    for _ in range(2):  # two plans: the latest is read
        assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code == 201
    for procedure in ["needling", "needling", "needling-peel"]:
        form = c.get(f"/api/patients/{pid}/consents/form", params={"procedure": procedure}).json()
        sign = {
            "procedure": procedure,
            "content_sha256": form["content_sha256"],
            "signer_name": "Read Once",
            "typed_signature": "Read Once",
        }
        r = c.post(f"/api/patients/{pid}/consents", json=sign)
        assert r.status_code == 201, r.text
    assert c.post(f"/api/consents/{r.json()['id']}/withdraw", json={"reason": "changed my mind"}).status_code == 200
    for days_ago, site, mm in [(60, "cheek", 1.5), (30, "forehead", 0.5), (10, "cheek", 1.5)]:
        body = {
            "date": (TODAY - timedelta(days=days_ago)).isoformat(),
            "regions": [
                {
                    "site": site,
                    "lot_number": "RR-1",
                    "device_name": f"dermaroller-192-{mm}",
                    "needle_length_mm": mm,
                    "passes": 4,
                    "override_justification": WHY,
                }
            ],
            "consent_override": WHY,
        }
        assert c.post(f"/api/patients/{pid}/sessions", json=body).status_code == 201
    add_home_log(app, pid, "cheek", TODAY - timedelta(days=20))
    add_home_log(app, pid, "chin", TODAY - timedelta(days=5))  # an area the reads below do not ask for
    return app, pid


def test_the_lock_reads_the_patient_and_the_lots_named(recorded):
    app, pid = recorded
    with app.state.Session() as db, db.begin():
        patient, lots = RR.lock_with_lots(db, pid, [" RR-1 ", "RR-2", "RR-1", "NOT-A-LOT"])
        assert isinstance(patient, Patient) and patient.id == pid and patient.name == "Read Once"
        assert [(lot.lot_number, lot.device_name) for lot in lots] == [
            ("RR-1", "dermaroller-192-1.5"),
            ("RR-1", "dermaroller-192-0.5"),
            ("RR-2", "ms4-96-1.5"),
        ]
        assert all(isinstance(lot, Lot) for lot in lots)
        assert (lots[0].quantity, lots[1].quantity) == (10 - 2, 10 - 1)  # two cheek sessions, one forehead
        assert RR.lock_with_lots(db, pid, [])[1] == []  # no lot named: the patient alone
        assert RR.lock_with_lots(db, 10**9, ["RR-1"]) == (None, [])  # no such patient


def test_one_statement_after_the_lock_reads_what_three_did(recorded):
    app, pid = recorded
    with app.state.Session() as db, db.begin():
        patient = db.get(Patient, pid)
        sites = ["cheek", "forehead", "nose"]
        reads = RR.after_lock(db, patient, sites, consents=True)
        assert reads.plan == plan_context(db, patient)  # the latest of the two plans, typed the same
        assert reads.histories == region_histories(db, pid, sites)  # clinic sessions, then home logs, per area
        assert [p.home for p in reads.histories["cheek"]] == [False, False, True]
        assert reads.histories["nose"] == []
        procedures = ("needling", "needling-peel", "prp", "home-care")
        current = _current_terms(db, pid, procedures)
        mine = current_of(reads.consents, procedures)
        assert mine.keys() == current.keys() == {"needling"}  # superseded and withdrawn ones are not current
        assert mine["needling"].id == current["needling"].id
        assert mine["needling"].signed_at == current["needling"].signed_at
        assert mine["needling"].plan_id == current["needling"].plan_id
        assert [t.withdrawn for t in reads.consents] == [True, False, False]  # newest first
        without = RR.after_lock(db, patient, sites, consents=False)
        assert without.consents == [] and without.histories == reads.histories and without.plan == reads.plan
        assert RR.after_lock(db, patient, [], consents=False).histories == {}
