"""The minimum interval counts the patient's home-care logs, and two recordings at once cannot both pass it.

Issue 11: the interval since the last session on a region counts the portal's home-care logs for that area
as well as the clinic's sessions (SQLite and PostgreSQL); two concurrent recordings for the same patient are
serialised by a lock on the patient's row (PostgreSQL) or the write lock (SQLite), so at most one of them
passes (two threads, both backends).
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from needling.clinic.models import HomeDevice, HomeLog, SessionOverride, TreatmentSession
from needling.clinic.session_guard import required_gap_days
from needling.planner import min_interval_weeks
from tests.clinic.conftest import login
from tests.clinic.test_session_plan import INTAKE, JUSTIFICATION, TODAY, body, refused, region


@pytest.fixture
def clinic(app):
    """A clinician and a planned patient (cheek 1.5 mm, forehead 0.5 mm), as in test_session_plan."""
    c = login(app, "clinician")
    pid = c.post("/api/patients", json={"name": "Interval Keeper", "intake": INTAKE}).json()["id"]
    assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code == 201
    return c, pid


def add_home_log(app, pid: int, area: str, on, mm: float = 0.5) -> None:
    """A home-care log as the portal stores it: the patient's device and one session on ``area``."""
    with app.state.Session() as db:
        device = HomeDevice(patient_id=pid, device_name="dermaroller-192-0.5", needle_length_mm=mm, first_use=on)
        db.add(device)
        db.flush()
        db.add(
            HomeLog(
                patient_id=pid,
                device_id=device.id,
                on=on,
                area=area,
                needle_length_mm=mm,
                passes=5,
                pain=None,
                reactions=[],
                findings=[],
                created=datetime.now(),
            )
        )
        db.commit()


def test_a_home_care_log_on_the_region_counts_for_the_minimum_interval(app, clinic):
    c, pid = clinic
    url = f"/api/patients/{pid}/sessions"
    home_day = TODAY - timedelta(days=3)
    add_home_log(app, pid, "cheek", home_day)
    days, source = required_gap_days(0.5, 1.5, "cheek")  # the longer of the home and the clinic needle's
    msg = refused(
        app,
        c,
        url,
        body(region()),
        "regions[0].date",
        f"cheek was needled at home on {home_day.isoformat()}",
        "home-care log",
        "3 days apart",
        f"minimum interval is {days} days ({source})",
    )
    assert "valid:" in msg
    # the draft names the home session as the last one on the cheek and the first date the interval allows
    draft = {r["site"]: r for r in c.get(f"/api/patients/{pid}/sessions/draft").json()["regions"]}
    assert draft["cheek"]["last_session"] == home_day.isoformat()
    assert draft["cheek"]["earliest"] == (home_day + timedelta(days=days)).isoformat()
    # a home log on another area does not hold the forehead back
    assert c.post(url, json=body(region("forehead", "DR05-2026-B", 0.5))).status_code == 201
    # a clinician may still override it with a written justification, which is stored
    r = c.post(url, json=body(region(override_justification=JUSTIFICATION)))
    assert r.status_code == 201, r.text
    assert [o["check"] for o in r.json()["regions"][0]["overrides"]] == ["interval-too-short"]
    assert "home-care log" in r.json()["regions"][0]["overrides"][0]["refusal"]


def test_a_home_log_long_enough_ago_does_not_refuse(app, clinic):
    c, pid = clinic
    days = round(7 * min_interval_weeks(1.5, "cheek")[0])
    add_home_log(app, pid, "cheek", TODAY - timedelta(days=days))
    r = c.post(f"/api/patients/{pid}/sessions", json=body(region()))
    assert r.status_code == 201, r.text
    assert r.json()["regions"][0]["overrides"] == []


def test_two_concurrent_recordings_for_one_patient_cannot_both_pass_the_interval(app, clinic):
    """Two clinicians record the same cheek at the same moment, in rounds: exactly one of each pair is stored."""
    c, pid = clinic
    clients = [c, login(app, "clinician")]
    url = f"/api/patients/{pid}/sessions"
    days = round(7 * min_interval_weeks(1.5, "cheek")[0])
    rounds = 6
    results: list[list[int]] = []
    for k in range(rounds):
        on = TODAY - timedelta(days=(k + 1) * 3 * days)  # rounds far enough apart not to refuse each other
        barrier = threading.Barrier(len(clients), timeout=60)
        codes: list[int] = [0] * len(clients)

        def send(i: int, on=on, barrier=barrier, codes=codes) -> None:
            barrier.wait()
            codes[i] = clients[i].post(url, json=body(region(), on=on)).status_code

        threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
        results.append(sorted(codes))
    assert results == [[201, 422]] * rounds, results
    with app.state.Session() as db:
        assert db.scalar(select(func.count()).select_from(TreatmentSession)) == rounds
        assert db.scalar(select(func.count()).select_from(SessionOverride)) == 0


def test_the_home_interval_refusal_reads_in_swedish():
    from needling.clinic.session_guard import PAGE_INTERVAL_HOME, REFUSE_INTERVAL_HOME, Refusal

    params = {"site": "cheek", "other": "2026-11-21", "other_mm": "0.5", "gap": 3, "days": 14, "source": "Farber2020"}
    words = {"site": "cheek", "other": date(2026, 11, 21), "other_mm": 0.5, "gap_days": 3, "min_days": 14}
    r = Refusal(
        "interval-too-short", "regions[0].date", REFUSE_INTERVAL_HOME, params, page=PAGE_INTERVAL_HOME, words=words
    )
    assert "needled at home on 2026-11-21" in r.line() and "valid:" in r.line()  # the API's line
    sv = r.text("sv")
    assert "behandlade området kind hemma 21 nov. 2026" in sv and "minst 14 dagar mellan" in sv
    assert "giltigt" not in sv and "2026-11-21" not in sv and "regions[" not in sv
