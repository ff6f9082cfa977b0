"""The audit log is complete: refusals, reads of patient data, anonymous attempts; its page, filters and CSV.

On SQLite and PostgreSQL. Each entry names the user, the action, the target patient, the result and the
client's address.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from needling.clinic.audit_log import safe_cell
from needling.clinic.models import AuditEntry, UnauthenticatedAttempt
from tests.clinic.conftest import login, png_bytes
from tests.clinic.test_clinic_api import INTAKE, TODAY, session_body


def entries(app, **where) -> list[AuditEntry]:
    with app.state.Session() as db:
        q = select(AuditEntry).order_by(AuditEntry.id)
        for k, v in where.items():
            q = q.where(getattr(AuditEntry, k) == v)
        return list(db.scalars(q))


def test_refused_requests_of_a_logged_in_user_are_audited(app):
    clin = login(app, "clinician")
    other = clin.post("/api/patients", json={"name": "Other", "intake": INTAKE}).json()["id"]
    pat = login(app, "patient")
    assert pat.get(f"/api/patients/{other}").status_code == 404  # another patient's record
    assert pat.get(f"/api/patients/{other}/schedule.ics").status_code == 404
    assert clin.get("/api/audit").status_code == 403  # a role refused
    no_csrf = clin.http.post("/api/patients/1/outcomes", json={"date": TODAY, "site": "cheek"})
    assert no_csrf.status_code == 403  # no CSRF header
    assert clin.get("/api/lots/999/usage").status_code == 404
    refused = entries(app, user_id=pat.user["id"], result="not-found")
    assert [(e.patient_id, e.action) for e in refused] == [(other, "read"), (other, "read")]
    assert all(e.client == "testclient" for e in refused)
    forbidden = entries(app, user_id=clin.user["id"], result="forbidden")
    assert {e.detail.split(":")[0] for e in forbidden} == {"GET /api/audit", "POST /api/patients/1/outcomes"}
    assert [e.patient_id for e in forbidden if "outcomes" in e.detail] == [1]
    assert entries(app, user_id=clin.user["id"], result="not-found")[0].detail.startswith("GET /api/lots/999/usage")


def test_every_read_of_patient_data_is_audited_with_its_patient(app):
    c = login(app, "clinician")
    c.post("/api/patients/1/plan", json={"start": TODAY})
    assert c.post("/api/patients/1/sessions", json=session_body()).status_code == 201
    photo = c.post(
        "/api/patients/1/photos",
        data={"site": "cheek", "view": "front", "label": "before", "taken": TODAY},
        files={"file": ("a.png", png_bytes(), "image/png")},
    ).json()["id"]
    lot = next(x["id"] for x in c.get("/api/lots").json() if x["lot_number"] == "DR15-2026-A")
    before = len(entries(app))
    for url in (
        "/api/patients/1",
        "/api/patients/1/fhir",
        "/api/patients/1/schedule.ics",
        "/api/patients/1/alerts",
        f"/api/photos/{photo}",
        f"/api/lots/{lot}/usage",
        "/patients/1",
        f"/lots/{lot}",
    ):
        assert c.get(url).status_code == 200, url
    reads = [e for e in entries(app)[before:] if e.action == "read"]
    assert all(e.patient_id == 1 and e.user_id == c.user["id"] and e.result == "ok" for e in reads)
    details = [e.detail for e in reads]
    for what in ("record", "fhir", "ics", "alerts", f"photo {photo}", f"lot {lot} usage list"):
        assert what in details, (what, details)
    assert len([d for d in details if d == f"lot {lot} usage list"]) == 2  # the API and the page


def test_unauthenticated_attempts_on_patient_routes_are_counted(app):
    anonymous = TestClient(app, follow_redirects=False)
    for url in ("/api/patients/1", "/api/patients/1/fhir", "/api/photos/1", "/patients/1"):
        assert anonymous.get(url).status_code in (401, 303), url
    anonymous.get("/api/health")
    anonymous.get("/login")
    with app.state.Session() as db:
        rows = list(db.scalars(select(UnauthenticatedAttempt)))
    assert [(r.day, r.client, r.count, r.last_path) for r in rows] == [(date.today(), "testclient", 4, "/patients/1")]
    admin = login(app, "admin")
    page = admin.get("/audit").text
    assert "testclient" in page and "/patients/1" in page


def test_audit_page_names_filters_and_pages(app):
    admin, clin, pat = login(app, "admin"), login(app, "clinician"), login(app, "patient")
    for _ in range(60):
        clin.get("/api/patients/1")
    pat.get(f"/api/patients/{pat.user['patient_id']}")
    everything = admin.get("/api/audit").json()
    assert everything["total"] >= 64 and len(everything["items"]) == 50  # one page
    assert all(re.search(r"[+-]\d\d:\d\d$|Z$", e["at"]) for e in everything["items"])  # RFC 3339 with offset
    second = admin.get("/api/audit?page=2").json()["items"]
    assert second and not {e["id"] for e in second} & {e["id"] for e in everything["items"]}
    mine = admin.get(f"/api/audit?user_id={pat.user['id']}&patient_id={pat.user['patient_id']}").json()
    assert mine["total"] >= 1 and all(e["user_name"] == "Pat Demo" for e in mine["items"])
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert admin.get(f"/api/audit?since={tomorrow}").json()["total"] == 0
    assert admin.get(f"/api/audit?until={TODAY}&since={TODAY}").json()["total"] == everything["total"]
    for bad in ("patient_id=abc", "since=2026-13-01", f"user_id={2**64}", "page=0", "per_page=100000"):
        assert admin.get(f"/api/audit?{bad}").status_code == 422, bad
    html = admin.get(f"/audit?patient_id=1&user_id={clin.user['id']}&since={TODAY}&until={TODAY}&page=2")
    assert html.status_code == 200 and "Dr Clara Clinician" in html.text and "Pat Demo</td>" not in html.text
    assert 'rel="prev"' in html.text and 'rel="next"' not in html.text
    bad = admin.get("/audit?since=tomorrow")
    assert bad.status_code == 422 and "since" in bad.text  # the page says which filter is wrong
    swedish = admin.get("/audit", headers={"accept-language": "sv"}).text
    assert "Granskningslogg" in swedish
    assert clin.get("/audit").status_code == 403


def test_csv_export_is_admin_only_and_guarded_against_formulas(app):
    anonymous = TestClient(app)
    anonymous.post("/api/login", json={"email": '=hyperlink("http://x")', "password": "x"})
    anonymous.post("/api/login", json={"email": "@sum(a1)", "password": "x"})
    admin, clin = login(app, "admin"), login(app, "clinician")
    assert clin.get("/audit.csv").status_code == 403
    r = admin.get("/audit.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:5] == ["id", "at", "user_id", "user", "action"]
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=hyperlink("http://x")' in cells and "'@sum(a1)" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    only = list(csv.reader(io.StringIO(admin.get(f"/audit.csv?user_id={admin.user['id']}").text)))
    assert {row[3] for row in only[1:]} == {"Ada Admin"}
    assert entries(app, entity="audit")[-1].detail.startswith("CSV export")  # the export is itself audited


def test_safe_cell_prefixes_every_formula_start():
    for text in ("=1+1", "+1", "-1", "@x", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("plain") == "plain" and safe_cell(None) == "" and safe_cell(-3) == "'-3"
