"""Recording sessions with 50 concurrent clients on PostgreSQL (issue 15, item 10: p99 under 300 ms with nothing
lost), against ``/api/health`` of the same live server under the same 50 clients, in the same run.

A fresh PostgreSQL database (dropped afterwards) behind one live ``needling serve``. Each of 50 patients has a plan
and a signed consent (the consent check runs, as in a clinic); a counted lot of single-use needles serves every
session. 50 client threads, each with its own connection and its own patient, start together and each records
``PER_CLIENT`` sessions one after another (the same day again, so each carries a written interval override, as
in ``bench_clinic``). Afterwards the database is counted: every 201 answer is a stored session with its region,
the lot's count fell by exactly the sessions recorded, and no answer was a server error.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import httpx
import psycopg
from tests.clinic.server import Server

PG_ADMIN = "host=127.0.0.1 port=5432 dbname=test user=postgres"
CLIENTS = 50
PER_CLIENT = 10
QUANTITY = 5_000
TARGET_P99_MS = 300.0
INTAKE = {
    "patient": {"age": 35, "sex": "female", "fitzpatrick": 3},
    "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
    "setting": "clinic",
}


def _figures(latencies: list[float], codes: list[int], wall: float) -> dict:
    latencies = sorted(latencies)
    n = len(latencies)
    return {
        "requests": n,
        "ok": sum(200 <= c < 300 for c in codes),
        "server_errors": sum(c >= 500 for c in codes),
        "rps": round(n / wall, 1),
        "p50_ms": round(1e3 * statistics.median(latencies), 1),
        "p95_ms": round(1e3 * latencies[min(n - 1, int(0.95 * n))], 1),
        "p99_ms": round(1e3 * latencies[min(n - 1, int(0.99 * n))], 1),
    }


def _together(server: Server, cookies, headers: dict, work) -> dict:
    """Run ``work(client, k)`` -> list of (seconds, status) in CLIENTS threads started at once."""
    start = threading.Barrier(CLIENTS)

    def client(k: int) -> list[tuple[float, int]]:
        with httpx.Client(base_url=server.url, timeout=120, cookies=cookies, headers=headers) as c:
            c.get("/api/health")  # the connection is open before the clock starts
            start.wait()
            return work(c, k)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [r for rs in pool.map(client, range(CLIENTS)) for r in rs]
    wall = time.perf_counter() - t0
    return _figures([t for t, _ in results], [c for _, c in results], wall)


def _timed(c: httpx.Client, method: str, path: str, body: dict | None = None) -> tuple[float, int]:
    t0 = time.perf_counter()
    r = c.request(method, path, json=body)
    return time.perf_counter() - t0, r.status_code


def main() -> dict:
    name = f"needling_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    today = date.today()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            server = Server(Path(tmp), url, env={"NEEDLING_REQUIRE_CONSENT": "1"})
            try:
                c = httpx.Client(base_url=server.url, timeout=120)
                r = c.post(
                    "/api/login",
                    json={"email": "clinician@demo.clinic", "password": server.logins["clinician@demo.clinic"]},
                )
                headers = {"x-csrf-token": r.json()["csrf_token"]}
                c.headers.update(headers)
                lot = {
                    "device_name": "dermaroller-192-1.5",
                    "lot_number": "LOAD-2026",
                    "expiry": (today + timedelta(days=365)).isoformat(),
                    "quantity": QUANTITY,
                }
                lot_id = c.post("/api/lots", json=lot).raise_for_status().json()["id"]
                patients = []
                t0 = time.perf_counter()
                for k in range(CLIENTS):
                    pid = c.post("/api/patients", json={"name": f"Load {k:02d}", "intake": INTAKE}).json()["id"]
                    c.post(f"/api/patients/{pid}/plan", json={"start": today.isoformat()}).raise_for_status()
                    form = c.get(f"/api/patients/{pid}/consents/form", params={"procedure": "needling-peel"}).json()
                    sign = {
                        "procedure": "needling-peel",  # the plan of this intake adds a peel
                        "content_sha256": form["content_sha256"],
                        "signer_name": f"Load {k:02d}",
                        "typed_signature": f"Load {k:02d}",
                    }
                    c.post(f"/api/patients/{pid}/consents", json=sign).raise_for_status()
                    patients.append(pid)
                setup_s = time.perf_counter() - t0
                session = {
                    "date": today.isoformat(),
                    "regions": [
                        {
                            "site": "cheek",
                            "lot_number": "LOAD-2026",
                            "needle_length_mm": 1.5,
                            "passes": 8,
                            "endpoint": "pinpoint bleeding",
                            "override_justification": "benchmark load, not a treatment",
                        }
                    ],
                    "pain_vas": 3.0,
                }

                def health(cl: httpx.Client, k: int) -> list[tuple[float, int]]:
                    return [_timed(cl, "GET", "/api/health") for _ in range(PER_CLIENT)]

                def record(cl: httpx.Client, k: int) -> list[tuple[float, int]]:
                    return [
                        _timed(cl, "POST", f"/api/patients/{patients[k]}/sessions", session) for _ in range(PER_CLIENT)
                    ]

                baseline = _together(server, c.cookies, headers, health)
                sessions = _together(server, c.cookies, headers, record)
                stored = [len(c.get(f"/api/patients/{pid}").json()["sessions"]) for pid in patients]
                left = next(x["quantity"] for x in c.get("/api/lots").json() if x["id"] == lot_id)
            finally:
                server.stop()
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    recorded = sessions["ok"]
    return {
        "clients": CLIENTS,
        "sessions_per_client": PER_CLIENT,
        "setup_s": round(setup_s, 1),
        "health": baseline,
        "session": sessions,
        "sessions_stored": sum(stored),
        "lot_items_taken": QUANTITY - left,
        "nothing_lost": sum(stored) == recorded == QUANTITY - left and sessions["server_errors"] == 0,
        "session_p99_ratio_to_health": round(sessions["p99_ms"] / baseline["p99_ms"], 1),
        "target_p99_ms": TARGET_P99_MS,
        "session_meets_target": sessions["p99_ms"] <= TARGET_P99_MS and recorded == CLIENTS * PER_CLIENT,
    }


if __name__ == "__main__":
    print(main())
