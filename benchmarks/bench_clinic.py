"""Requests per second and p99 latency of the plan and session endpoints against a trivial endpoint
(``/api/health``) of the same live server, in the same run (SQLite, 8 client threads, loopback only)."""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx
from tests.clinic.server import Server

THREADS = 8


def _load(server: Server, method: str, path: str, body: dict | None, n: int, headers: dict, cookies) -> dict:
    latencies: list[float] = []
    local = threading.local()

    def one(_):
        c = getattr(local, "client", None)
        if c is None:  # one keep-alive connection per client thread
            c = local.client = httpx.Client(base_url=server.url, timeout=60, cookies=cookies)
        t0 = time.perf_counter()
        r = c.request(method, path, json=body, headers=headers)
        latencies.append(time.perf_counter() - t0)
        return r.status_code

    t0 = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        codes = list(pool.map(one, range(n)))
    wall = time.perf_counter() - t0
    latencies.sort()
    return {
        "requests": n,
        "ok": sum(200 <= c < 300 for c in codes),
        "rps": round(n / wall, 1),
        "p50_ms": round(1e3 * statistics.median(latencies), 1),
        "p99_ms": round(1e3 * latencies[min(n - 1, int(0.99 * n))], 1),
    }


def main() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp))
        try:
            c = httpx.Client(base_url=server.url)
            r = c.post(
                "/api/login",
                json={"email": "clinician@demo.clinic", "password": server.logins["clinician@demo.clinic"]},
            )
            headers = {"x-csrf-token": r.json()["csrf_token"]}
            cookies = c.cookies
            today = date.today().isoformat()
            session = {
                "date": today,
                "regions": [
                    {
                        "site": "cheek",
                        "lot_number": "DR15-2026-A",
                        "needle_length_mm": 1.5,
                        "passes": 15,
                        # repeated on one day, so past the minimum-interval check: every write is an override
                        "override_justification": "benchmark load, not a treatment",
                    }
                ],
                # the plan is made again below, so the patient's signed consent no longer covers it: a clinician's
                # written override, as in a clinic entering paper consents (without it every session is refused)
                "consent_override": "benchmark load, not a treatment",
            }
            trivial = _load(server, "GET", "/api/health", None, 1000, headers, cookies)
            plan = _load(server, "POST", "/api/patients/1/plan", {"start": today}, 60, headers, cookies)
            sess = _load(server, "POST", "/api/patients/1/sessions", session, 200, headers, cookies)
        finally:
            server.stop()
    return {
        "trivial": trivial,
        "plan": plan,
        "session": sess,
        "plan_rps_ratio": round(plan["rps"] / trivial["rps"], 4),
        "session_rps_ratio": round(sess["rps"] / trivial["rps"], 4),
    }


if __name__ == "__main__":
    print(main())
