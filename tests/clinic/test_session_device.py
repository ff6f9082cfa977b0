"""A session region needled with another device than the plan's is refused, even within the limits (issue 11).

The refusal names the plan's device and the one entered, in one line; a clinician may override it with a
written justification, which is stored with the region and audited. SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from needling.clinic.models import AuditEntry
from needling.clinic.session_guard import PAGE_DEVICE_NOT_PLANNED, REFUSE_DEVICE_NOT_PLANNED, Refusal
from tests.clinic.conftest import login
from tests.clinic.test_session_plan import INTAKE, JUSTIFICATION, TODAY, body, refused, region


@pytest.fixture
def clinic(app):
    """A clinician, a planned patient (cheek 1.5 mm roller, forehead 0.5 mm) and a lot of a 1.0 mm roller."""
    c = login(app, "clinician")
    pid = c.post("/api/patients", json={"name": "Device Keeper", "intake": INTAKE}).json()["id"]
    assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code == 201
    expiry = (TODAY + timedelta(days=300)).isoformat()
    r = c.post("/api/lots", json={"device_name": "dermaroller-192-1.0", "lot_number": "DR10-2027", "expiry": expiry})
    assert r.status_code == 201, r.text
    return c, pid


def test_another_device_than_planned_is_refused_even_within_the_limits(app, clinic):
    c, pid = clinic
    url = f"/api/patients/{pid}/sessions"
    planned = {r["site"]: r for r in c.get(f"/api/patients/{pid}").json()["plan"]["regions"]}["cheek"]
    assert planned["device"] == "dermaroller-192-1.5" and planned["needle_length_mm"] >= 1.0
    # a 1.0 mm roller on the cheek: shorter than the plan's needle and within the limit, still not the plan's device
    refused(
        app,
        c,
        url,
        body(region("cheek", "DR10-2027", 1.0)),
        "regions[0].lot_number",
        "the plan names dermaroller-192-1.5 for cheek, not dermaroller-192-1.0",
        "valid: a lot of dermaroller-192-1.5",
    )
    # when the device was entered by name, that field is the one named
    refused(
        app,
        c,
        url,
        body(region("cheek", "DR10-2027", 1.0, device_name="dermaroller-192-1.0")),
        "regions[0].device_name",
        "not dermaroller-192-1.0",
    )
    # the planned device passes
    assert c.post(url, json=body(region(), on=TODAY - timedelta(days=200))).status_code == 201


def test_a_clinician_may_override_the_planned_device_with_a_justification(app, clinic):
    c, pid = clinic
    r = c.post(
        f"/api/patients/{pid}/sessions",
        json=body(region("cheek", "DR10-2027", 1.0, override_justification=JUSTIFICATION)),
    )
    assert r.status_code == 201, r.text
    overrides = r.json()["regions"][0]["overrides"]
    assert [o["check"] for o in overrides] == ["device-not-planned"]
    assert "not dermaroller-192-1.0" in overrides[0]["refusal"] and overrides[0]["justification"] == JUSTIFICATION
    with app.state.Session() as db:
        audits = db.scalars(select(AuditEntry).where(AuditEntry.action == "override")).all()
    assert len(audits) == 1 and "device-not-planned" in audits[0].detail and JUSTIFICATION in audits[0].detail
    assert audits[0].patient_id == pid  # the audit log filtered by this patient shows the override


def test_the_device_refusal_reads_in_swedish():
    params = {"site": "cheek", "planned": "dermaroller-192-1.5", "device": "dermaroller-192-1.0"}
    r = Refusal(
        "device-not-planned",
        "regions[0].lot_number",
        REFUSE_DEVICE_NOT_PLANNED,
        params,
        page=PAGE_DEVICE_NOT_PLANNED,
        words=params,
    )
    assert r.line().startswith("regions[0].lot_number: the plan names dermaroller-192-1.5 for cheek")
    sv = r.text("sv")
    assert sv.startswith("Planen anger dermaroller-192-1.5 för området kind, inte dermaroller-192-1.0.")
    assert "Välj en batch av dermaroller-192-1.5" in sv and "giltigt" not in sv
