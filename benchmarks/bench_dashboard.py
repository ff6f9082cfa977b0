"""The dashboard, the patient page and the week's calendar with 10,000 patients and 100,000 sessions in the
database (issue 15, item 10: p95 under 150 ms), against ``/api/health`` of the same live server in the same run.

The clinic is filled straight into the server's database (SQLite, the default) after it started: every patient
with the demonstration intake and a plan of six sessions (the stored plan of a real planning call, dates
shifted per patient), 0 to 20 recorded sessions each (100,000 in all, one region each), 2,000 appointments
over four weeks and 500 home-care alerts. One logged-in client asks in turn (no concurrency: this is the
latency a clinician sees on an otherwise idle server).
"""

from __future__ import annotations

import copy
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import bindparam, func, insert, select
from tests.clinic.server import Server

from needling.clinic.appointments_models import Appointment
from needling.clinic.db import make_engine
from needling.clinic.models import Alert, Lot, Patient, PlanRecord, SessionRegion, TreatmentSession, User
from needling.clinic.seed import DEMO_INTAKE
from needling.clinic.series_due import next_due

PATIENTS = 10_000
SESSIONS = 100_000
APPOINTMENTS = 2_000
ALERTS = 500
REQUESTS = 120
TARGET_P95_MS = 150.0
SEED = 20261124


def _fill(url: str, plan_json: dict, rules_version: str, model_version: str) -> dict[str, int]:
    """Add the patients, plans, sessions, appointments and alerts; returns how many of each."""
    rng = random.Random(SEED)
    engine = make_engine(url)
    today = date.today()
    now = datetime.now().replace(microsecond=0)
    with engine.begin() as conn:
        clinician = conn.execute(select(User.id).where(User.role == "clinician")).scalar_one()
        admin = conn.execute(select(User.id).where(User.role == "admin")).scalar_one()
        lot = conn.execute(select(Lot.id).where(Lot.lot_number == "DR15-2026-A")).scalar_one()
        first = (conn.execute(select(func.max(Patient.id))).scalar_one() or 0) + 1
        ids = list(range(first, first + PATIENTS))
        conn.execute(
            insert(Patient),
            [{"id": i, "name": f"Patient {i:05d}", "intake": DEMO_INTAKE, "created": now} for i in ids],
        )
        plans = []
        for n, pid in enumerate(ids):
            plan = copy.deepcopy(plan_json)
            start = today - timedelta(days=rng.randrange(0, 400))
            plan["series"]["dates"] = [(start + timedelta(weeks=4 * k)).isoformat() for k in range(6)]
            plans.append(
                {
                    "id": 100_000 + n,
                    "patient_id": pid,
                    "created": now,
                    "decision": "proceed",
                    "plan": plan,
                    "rules_version": rules_version,
                    "model_version": model_version,
                }
            )
        conn.execute(insert(PlanRecord), plans)
        counts = [rng.randrange(0, 21) for _ in ids]
        scale = SESSIONS / sum(counts)
        counts = [round(c * scale) for c in counts]
        counts[-1] += SESSIONS - sum(counts)
        sessions, regions = [], []
        sid = 1_000_000
        for pid, count, plan in zip(ids, counts, plans, strict=True):
            for k in range(max(count, 0)):
                sid += 1
                on = today - timedelta(days=(700 - 30 * k) % 700)
                sessions.append(
                    {
                        "id": sid,
                        "patient_id": pid,
                        "on": on,
                        "clinician_id": clinician,
                        "pain_vas": 3.0,
                        "notes": "",
                        "plan_id": plan["id"],
                    }
                )
                regions.append(
                    {
                        "session_id": sid,
                        "site": "cheek",
                        "device_name": "dermaroller-192-1.5",
                        "lot_id": lot,
                        "needle_length_mm": 1.5,
                        "passes": 8,
                        "endpoint": "pinpoint bleeding",
                        "anaesthesia": "",
                        "topicals": "",
                    }
                )
        # The next due session, kept on the patient by the services when a plan or a session is recorded.
        series = [plan["plan"]["series"]["dates"] for plan in plans]
        due = [(pid, next_due(dates, count)) for pid, count, dates in zip(ids, counts, series, strict=True)]
        table = Patient.__table__
        conn.execute(
            table.update()
            .where(table.c.id == bindparam("pid"))
            .values(next_due_on=bindparam("on"), next_due_number=bindparam("n"), series_length=bindparam("of")),
            [{"pid": pid, "on": d[0], "n": d[1], "of": d[2]} for pid, d in due if d is not None],
        )
        for chunk in range(0, len(sessions), 20_000):
            conn.execute(insert(TreatmentSession), sessions[chunk : chunk + 20_000])
            conn.execute(insert(SessionRegion), regions[chunk : chunk + 20_000])
        appointments = []
        rooms = ("Room 1", "Room 2")
        for n in range(APPOINTMENTS):  # back to back, one clinician per room, over 28 days (no double booking)
            day, slot = divmod(n, 72)
            room, who = rooms[slot % 2], (clinician, admin)[slot % 2]
            start = datetime.combine(today + timedelta(days=day % 28), datetime.min.time()) + timedelta(
                hours=7, minutes=20 * (slot // 2)
            )
            appointments.append(
                {
                    "patient_id": rng.choice(ids),
                    "clinician_id": who,
                    "room": room,
                    "starts_at": start,
                    "ends_at": start + timedelta(minutes=20),
                    "duration_min": 20,
                    "status": "booked",
                    "note": "",
                    "created": now,
                    "created_by": clinician,
                    "updated": now,
                }
            )
        conn.execute(insert(Appointment), appointments)
        conn.execute(
            insert(Alert),
            [
                {
                    "patient_id": rng.choice(ids),
                    "created": now,
                    "rule": "too-frequent",
                    "severity": "warning",
                    "message": "rolled daily",
                    "acknowledged": False,
                }
                for _ in range(ALERTS)
            ],
        )
    engine.dispose()
    return {"patients": PATIENTS, "sessions": len(sessions), "appointments": len(appointments), "alerts": ALERTS}


def _time(client: httpx.Client, paths: list[str]) -> dict[str, float]:
    latencies = []
    for path in paths:
        t0 = time.perf_counter()
        r = client.get(path)
        latencies.append(time.perf_counter() - t0)
        if r.status_code != 200:
            raise RuntimeError(f"GET {path}: {r.status_code}")
    latencies.sort()
    return {
        "requests": len(paths),
        "p50_ms": round(1e3 * statistics.median(latencies), 1),
        "p95_ms": round(1e3 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 1),
    }


def main() -> dict:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp))
        try:
            c = httpx.Client(base_url=server.url, timeout=120)
            r = c.post(
                "/api/login",
                json={"email": "clinician@demo.clinic", "password": server.logins["clinician@demo.clinic"]},
            )
            c.headers["x-csrf-token"] = r.json()["csrf_token"]
            planned = c.post("/api/patients/1/plan", json={"start": date.today().isoformat()}).json()
            t0 = time.perf_counter()
            filled = _fill(
                f"sqlite:///{Path(tmp) / 'needling.db'}",
                planned["plan"],
                planned["rules_version"],
                planned["model_version"],
            )
            fill_s = time.perf_counter() - t0
            c.get("/dashboard")  # warm: templates compiled, caches filled
            health = _time(c, ["/api/health"] * REQUESTS)
            dashboard = _time(c, ["/dashboard"] * REQUESTS)
            patient_ids = [rng.randrange(2, PATIENTS + 2) for _ in range(REQUESTS)]
            patient = _time(c, [f"/patients/{i}" for i in patient_ids])
            week = _time(c, ["/calendar?view=week"] * REQUESTS)
        finally:
            server.stop()
    return {
        **filled,
        "fill_s": round(fill_s, 1),
        "health": health,
        "dashboard": dashboard,
        "patient_page": patient,
        "calendar_week": week,
        "dashboard_p95_ratio_to_health": round(dashboard["p95_ms"] / health["p95_ms"], 1),
        "patient_p95_ratio_to_health": round(patient["p95_ms"] / health["p95_ms"], 1),
        "target_p95_ms": TARGET_P95_MS,
        "dashboard_meets_target": dashboard["p95_ms"] <= TARGET_P95_MS,
        "patient_page_meets_target": patient["p95_ms"] <= TARGET_P95_MS,
    }


if __name__ == "__main__":
    print(main())
