"""The session record obeys the plan (issue 11, item 8), on SQLite and on PostgreSQL.

Each refusal is a 422 naming the field and what is valid, stores nothing, and yields to a clinician's
written justification (stored with the region and audited), except a lot of another device. Lot numbers
are unique per device; a lot with a past expiry is not registered.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from needling.clinic.models import AuditEntry, Lot, SessionOverride, SessionRegion, TreatmentSession
from needling.planner import min_interval_weeks, region_limit_mm
from tests.clinic.conftest import login

TODAY = date.today()
INTAKE = {
    "patient": {"age": 40, "sex": "female", "fitzpatrick": 2},
    "goals": [
        {"region": "cheek", "indication": "acne-scars", "grade": 3},
        {"region": "forehead", "indication": "wrinkles"},
    ],
}
JUSTIFICATION = "Deep boxcar scar at the hairline; discussed with the patient, who consented."


def region(site="cheek", lot="DR15-2026-A", mm=1.5, **kw):
    return {"site": site, "lot_number": lot, "needle_length_mm": mm, "passes": 15, **kw}


def body(*regions, on=TODAY):
    return {"date": on.isoformat(), "regions": list(regions)}


def count(app, model) -> int:
    with app.state.Session() as db:
        return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def clinic(app):
    """A clinician, a planned patient (cheek 1.5 mm, forehead 0.5 mm) and lots of 1.0 and 2.0 mm rollers."""
    c = login(app, "clinician")
    pid = c.post("/api/patients", json={"name": "Plan Follower", "intake": INTAKE}).json()["id"]
    assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code == 201
    expiry = (TODAY + timedelta(days=300)).isoformat()
    for device, lot in (("dermaroller-192-1.0", "DR10-2027"), ("dermaroller-192-2.0", "DR20-2027")):
        r = c.post("/api/lots", json={"device_name": device, "lot_number": lot, "expiry": expiry})
        assert r.status_code == 201, r.text
    return c, pid


def refused(app, c, url, payload, field, *words):
    """Post, expect a one-line 422 naming ``field`` and containing ``words``, and nothing stored."""
    before = count(app, TreatmentSession), count(app, SessionRegion), count(app, SessionOverride)
    r = c.post(url, json=payload)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"][0]
    assert detail["loc"][-1] == field, detail
    assert "\n" not in detail["msg"] and "valid:" in detail["msg"], detail["msg"]
    for w in words:
        assert w in detail["msg"], (w, detail["msg"])
    assert (count(app, TreatmentSession), count(app, SessionRegion), count(app, SessionOverride)) == before
    return detail["msg"]


def test_draft_prefills_each_planned_region_with_device_and_depth(app, clinic):
    c, pid = clinic
    plan = c.get(f"/api/patients/{pid}").json()["plan"]
    draft = c.get(f"/api/patients/{pid}/sessions/draft")
    assert draft.status_code == 200, draft.text
    d = draft.json()
    planned = {r["site"]: r for r in plan["regions"]}
    assert {r["site"] for r in d["regions"]} == set(planned) == {"cheek", "forehead"}
    for r in d["regions"]:
        assert r["device_name"] == planned[r["site"]]["device"]
        assert r["needle_length_mm"] == planned[r["site"]]["needle_length_mm"]
        assert (r["limit_mm"], r["limit_source"]) == region_limit_mm(r["site"], "female")
        assert r["last_session"] is None and r["earliest"] is None
    # the draft, given lot numbers, is accepted as it stands
    lots = {"dermaroller-192-1.5": "DR15-2026-A", "dermaroller-192-0.5": "DR05-2026-B"}
    regions = [
        {k: r[k] for k in ("site", "device_name", "needle_length_mm", "passes", "endpoint", "anaesthesia")}
        | {"lot_number": lots[r["device_name"]]}
        for r in d["regions"]
    ]
    s = c.post(f"/api/patients/{pid}/sessions", json={"date": d["date"], "regions": regions})
    assert s.status_code == 201, s.text
    assert s.json()["plan_id"] == d["plan_id"] and all(not r["overrides"] for r in s.json()["regions"])
    again = c.get(f"/api/patients/{pid}/sessions/draft").json()
    cheek = next(r for r in again["regions"] if r["site"] == "cheek")
    days = round(7 * min_interval_weeks(1.5, "cheek")[0])
    assert cheek["last_session"] == TODAY.isoformat()
    assert cheek["earliest"] == (TODAY + timedelta(days=days)).isoformat()


def test_a_patient_without_a_plan_gets_an_empty_draft_and_sessions_are_refused(app):
    c = login(app, "clinician")
    assert c.get("/api/patients/1/sessions/draft").json()["regions"] == []
    refused(app, c, "/api/patients/1/sessions", body(region()), "regions[0].site", "no plan yet", "cheek")


def test_region_not_in_the_plan_is_refused(app, clinic):
    c, pid = clinic
    refused(
        app,
        c,
        f"/api/patients/{pid}/sessions",
        body(region("chin", "DR05-2026-B", 0.5)),
        "regions[0].site",
        "chin is not in the plan",
        "valid: cheek, forehead",
    )


def test_needle_above_the_region_limit_is_refused_with_its_source(app, clinic):
    c, pid = clinic
    limit, source = region_limit_mm("forehead", "female")
    refused(
        app,
        c,
        f"/api/patients/{pid}/sessions",
        body(region("forehead", "DR10-2027", 1.0)),
        "regions[0].needle_length_mm",
        f"above the {limit:g} mm limit for forehead ({source})",
        f"at most {limit:g} mm",
    )


def test_needle_above_the_plan_is_refused(app, clinic):
    c, pid = clinic
    refused(
        app,
        c,
        f"/api/patients/{pid}/sessions",
        body(region("cheek", "DR20-2027", 2.0)),
        "regions[0].needle_length_mm",
        "longer than the plan's 1.5 mm for cheek",
        "at most 1.5 mm",
    )
    # a pen set deeper than the plan on the forehead, within the region's limit
    refused(
        app,
        c,
        f"/api/patients/{pid}/sessions",
        body(region("forehead", "PEN11-2026-C", 0.75, device_name="dermapen-11")),
        "regions[0].needle_length_mm",
        "longer than the plan's 0.5 mm",
    )


def test_lot_of_another_device_is_refused_even_with_a_justification(app, clinic):
    c, pid = clinic
    for extra in ({}, {"override_justification": JUSTIFICATION}):
        refused(
            app,
            c,
            f"/api/patients/{pid}/sessions",
            body(region(device_name="dermapen-11", **extra)),
            "regions[0].lot_number",
            "lot DR15-2026-A is registered for dermaroller-192-1.5, not dermapen-11",
            "PEN11-2026-C",
        )


def test_interval_shorter_than_the_minimum_is_refused_on_either_side(app, clinic):
    c, pid = clinic
    weeks, source = min_interval_weeks(1.5, "cheek")
    days = round(7 * weeks)
    url = f"/api/patients/{pid}/sessions"
    first = TODAY - timedelta(days=days + 5)
    assert c.post(url, json=body(region(), on=first)).status_code == 201
    too_soon = first + timedelta(days=days - 1)
    msg = refused(
        app,
        c,
        url,
        body(region(), on=too_soon),
        "regions[0].date",
        f"cheek was needled on {first.isoformat()}",
        f"minimum interval is {days} days ({source})",
    )
    assert f"{days - 1} days apart" in msg
    # a session recorded late, dated just before the first one, is as close
    refused(app, c, url, body(region(), on=first - timedelta(days=3)), "regions[0].date", "3 days apart")
    # the forehead, needled the same day as the cheek, is another region
    assert c.post(url, json=body(region("forehead", "DR05-2026-B", 0.5), on=too_soon)).status_code == 201
    # on the day the interval allows, the cheek is accepted
    assert c.post(url, json=body(region(), on=first + timedelta(days=days))).status_code == 201


def test_override_with_a_written_justification_is_stored_and_audited(app, clinic):
    c, pid = clinic
    url = f"/api/patients/{pid}/sessions"
    nose = region("nose", "DR10-2027", 1.0, override_justification=f"  {JUSTIFICATION}  ")
    r = c.post(url, json=body(nose))
    assert r.status_code == 201, r.text
    overrides = r.json()["regions"][0]["overrides"]
    assert {o["check"] for o in overrides} == {"region-not-in-plan", "needle-above-limit"}
    assert all(o["justification"] == JUSTIFICATION and o["clinician_id"] == c.user["id"] for o in overrides)
    assert any("above the 0.5 mm limit for nose" in o["refusal"] for o in overrides)
    rec = c.get(f"/api/patients/{pid}").json()
    assert rec["sessions"][0]["regions"][0]["overrides"] == overrides
    with app.state.Session() as db:
        stored = db.scalars(select(SessionOverride)).all()
        assert {o.check for o in stored} == {"region-not-in-plan", "needle-above-limit"}
        audits = db.scalars(select(AuditEntry).where(AuditEntry.action == "override")).all()
    assert len(audits) == 2 and all(JUSTIFICATION in a.detail and a.user_id == c.user["id"] for a in audits)
    assert {a.entity_id for a in audits} == {str(r.json()["id"])}
    # a second nose session the same day also breaks the interval: overridden, stored, audited
    r2 = c.post(url, json=body(nose))
    assert r2.status_code == 201
    assert "interval-too-short" in {o["check"] for o in r2.json()["regions"][0]["overrides"]}
    # a planned region that passes every check stores no override, even with a justification
    ok = c.post(url, json=body(region("forehead", "DR05-2026-B", 0.5, override_justification=JUSTIFICATION)))
    assert ok.status_code == 201 and ok.json()["regions"][0]["overrides"] == []


def test_override_needs_a_real_justification_from_a_clinician(app, clinic):
    c, pid = clinic
    url = f"/api/patients/{pid}/sessions"
    refused(
        app,
        c,
        url,
        body(region("chin", "DR05-2026-B", 0.5, override_justification="ok")),
        "regions[0].override_justification",
        "has 2 characters",
    )
    admin = login(app, "admin")
    refused(
        app,
        admin,
        url,
        body(region("chin", "DR05-2026-B", 0.5, override_justification=JUSTIFICATION)),
        "regions[0].override_justification",
        "only a clinician",
    )
    # an admin may still record a session that follows the plan
    assert admin.post(url, json=body(region("forehead", "DR05-2026-B", 0.5))).status_code == 201


def test_one_refused_region_refuses_the_whole_session(app, clinic):
    c, pid = clinic
    refused(
        app,
        c,
        f"/api/patients/{pid}/sessions",
        body(region(), region("chin", "DR05-2026-B", 0.5)),
        "regions[1].site",
        "chin is not in the plan",
    )
    r = c.post(f"/api/patients/{pid}/sessions", json=body(region(), region()))
    assert r.status_code == 422 and "appears twice" in r.text


def test_lot_numbers_are_unique_per_device_and_expiry_is_not_past(app):
    c = login(app, "clinician")
    expiry = (TODAY + timedelta(days=100)).isoformat()
    for number in ("DR15-2026-A", "  DR15-2026-A "):
        r = c.post("/api/lots", json={"device_name": "dermaroller-192-1.5", "lot_number": number, "expiry": expiry})
        assert r.status_code == 422, r.text
        d = r.json()["detail"][0]
        assert d["loc"][-1] == "lot_number" and "already registered" in d["msg"] and "valid:" in d["msg"]
    # the same number on another device model is another lot
    other = c.post(
        "/api/lots", json={"device_name": "dermaroller-192-1.0", "lot_number": "DR15-2026-A", "expiry": expiry}
    )
    assert other.status_code == 201
    past = (TODAY - timedelta(days=1)).isoformat()
    r = c.post("/api/lots", json={"device_name": "dermaroller-192-1.0", "lot_number": "NEW-1", "expiry": past})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "expiry" and "in the past" in r.text
    today = c.post(
        "/api/lots", json={"device_name": "dermaroller-192-1.0", "lot_number": "NEW-2", "expiry": str(TODAY)}
    )
    assert today.status_code == 201
    # the database itself refuses a duplicate, whatever code writes it
    with app.state.Session() as db:
        db.add(Lot(lot_number="NEW-2", device_name="dermaroller-192-1.0", expiry=TODAY, single_use=True))
        with pytest.raises(IntegrityError):
            db.flush()
        db.rollback()
    # a lot number shared by two devices needs the device named
    r = c.post("/api/patients/1/sessions", json=body(region()))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "regions[0].device_name"


def test_the_page_prefills_from_the_plan_and_refuses_in_the_readers_language(app, clinic):
    c, pid = clinic
    page = c.get(f"/patients/{pid}")
    assert page.status_code == 200
    html = page.text
    assert 'name="r0-site" value="cheek"' in html and 'id="r0-len"' in html and 'value="1.5"' in html
    assert '<option value="dermaroller-192-1.5" selected>' in html
    form = {
        "csrf_token": c.csrf,
        "date": TODAY.isoformat(),
        "r0-include": "1",
        "r0-site": "cheek",
        "r0-device": "dermaroller-192-2.0",
        "r0-lot": "DR20-2027",
        "r0-len": "2.0",
        "r0-passes": "15",
        "r0-endpoint": "pinpoint bleeding",
        "r1-site": "forehead",  # not ticked: not treated today
        "r1-len": "0.5",
        "r1-passes": "8",
        "r2-site": "",
    }
    sv = c.http.post(f"/patients/{pid}/sessions", data=form, headers={"accept-language": "sv"}, follow_redirects=True)
    mm = "\N{NO-BREAK SPACE}mm"
    assert f"Behandlingen nekades: Nållängden 2{mm} är längre än planens 1,5{mm} för området kind." in sv.text
    assert count(app, TreatmentSession) == 0
    form["justification"] = JUSTIFICATION
    ok = c.http.post(f"/patients/{pid}/sessions", data=form, follow_redirects=True)
    assert "Session recorded." in ok.text and JUSTIFICATION in ok.text
    with app.state.Session() as db:
        sites = db.scalars(select(SessionRegion.site)).all()
    assert sites == ["cheek"]
    bad = c.http.post(f"/patients/{pid}/sessions", data={**form, "r0-len": "deep"}, follow_redirects=True)
    assert "Write a number, such as 0.5." in bad.text


def test_migration_down_and_up_keeps_the_sessions(app, clinic):
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    from needling.clinic.db import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    ours = next(r for r in scripts.walk_revisions() if "session_overrides" in r.doc or "overrides" in r.doc)
    c, pid = clinic
    assert c.post(f"/api/patients/{pid}/sessions", json=body(region())).status_code == 201
    url = app.state.settings.database_url
    app.state.engine.dispose()
    command.downgrade(alembic_config(url), ours.down_revision)
    assert "session_overrides" not in inspect(app.state.engine).get_table_names()
    command.upgrade(alembic_config(url), "head")
    assert "plan_id" in {col["name"] for col in inspect(app.state.engine).get_columns("sessions")}
    assert count(app, TreatmentSession) == 1 and count(app, SessionOverride) == 0
