"""``needling serve --workers 2`` on PostgreSQL: two processes on one port, sharing only the database.

Whatever must hold across requests lives in the database, so it holds across the workers too: a patient's
recordings are serialised by the row lock (two recordings of the same day, sent at once on fresh connections, give
one session and one interval refusal), an idempotent retry answered by either worker records nothing twice, failed
log-ins are counted together (the account is throttled after its allowance, wherever the attempts landed), and a
lot's count falls by exactly the sessions recorded. Each worker listens on a socket of its own, so the kernel
spreads the connections over them. SQLite is refused for more than one worker, in one line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.clinic.conftest import PG_ADMIN
from tests.clinic.server import Server
from tests.conftest import assert_one_line_error

TODAY = date.today()
INTAKE = {
    "patient": {"age": 35, "sex": "female", "fitzpatrick": 3},
    "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
    "setting": "clinic",
}
PATIENTS = 4
PG_PORT = 5432


def tcp_inodes(port: int, state: str | None = None, remote: bool = False) -> set[str]:
    """Inodes of the TCP sockets whose local (or ``remote``) port is ``port``, in ``state`` (Linux's hex code:
    ``01`` established, ``0A`` listening) if given, read from Linux's /proc."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[2 if remote else 1].rsplit(":", 1)[1], 16) == port and state in (None, fields[3]):
                found.add(fields[9])
    return found


def sockets_by_worker(pid: int) -> dict[int, set[str]]:
    """Each child process of ``pid`` -> the inodes of its open sockets."""
    found = {}
    for child in [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]:
        found[child] = set()
        for fd in Path(f"/proc/{child}/fd").iterdir():
            with contextlib.suppress(OSError):  # a descriptor closed meanwhile
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    found[child].add(target[8:-1])
    return found


def db_connections_by_worker(pid: int) -> dict[int, int]:
    """Each child process of ``pid`` -> its open TCP connections to PostgreSQL."""
    to_pg = tcp_inodes(PG_PORT, remote=True)
    return {child: len(sockets & to_pg) for child, sockets in sockets_by_worker(pid).items()}


def listening_by_worker(pid: int, port: int) -> dict[int, set[str]]:
    """Each child process of ``pid`` that listens on ``port`` -> the inodes of its listening sockets there."""
    listening = tcp_inodes(port, "0A")
    return {child: sockets & listening for child, sockets in sockets_by_worker(pid).items() if sockets & listening}


def connections_by_worker(pid: int, port: int) -> dict[int, int]:
    """Each child process of ``pid`` -> its established connections on ``port`` (the server's ends)."""
    established = tcp_inodes(port, "01")
    return {child: len(sockets & established) for child, sockets in sockets_by_worker(pid).items()}


@pytest.fixture
def served(tmp_path):
    """A live ``needling serve --workers 2`` on a fresh PostgreSQL database, and its clinician's log-in."""
    name = f"needling_w_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    server = Server(tmp_path, url, args=("--workers", "2"))
    try:
        yield server
    finally:
        server.stop()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_two_workers_share_locks_retries_throttling_and_stock(served):
    email = "clinician@demo.clinic"
    c = httpx.Client(base_url=served.url, timeout=60)
    r = c.post("/api/login", json={"email": email, "password": served.logins[email]})
    assert r.status_code == 200, r.text
    c.headers["x-csrf-token"] = r.json()["csrf_token"]
    patients = []
    for k in range(PATIENTS):
        pid = c.post("/api/patients", json={"name": f"Worker {k}", "intake": INTAKE}).json()["id"]
        assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code == 201
        patients.append(pid)
    planned = c.get(f"/api/patients/{patients[0]}/sessions/draft").json()["regions"][0]
    lot = {
        "device_name": planned["device_name"],
        "lot_number": "W-2026",
        "expiry": (TODAY + timedelta(days=365)).isoformat(),
        "quantity": 50,
    }
    assert c.post("/api/lots", json=lot).status_code == 201
    session = {
        "date": TODAY.isoformat(),
        "regions": [
            {"site": "cheek", "lot_number": "W-2026", "needle_length_mm": planned["needle_length_mm"], "passes": 8}
        ],
    }

    # Two recordings of each patient's session at once, each on a fresh connection (either worker may take it):
    # the patient's row lock makes the second wait and then meet the first, so one is stored and one refused.
    start = threading.Barrier(2 * PATIENTS)
    answers: dict[int, list[int]] = {pid: [] for pid in patients}

    def record(pid: int) -> None:
        with httpx.Client(base_url=served.url, timeout=60, cookies=c.cookies, headers=c.headers) as fresh:
            fresh.get("/api/health")
            start.wait()
            answers[pid].append(fresh.post(f"/api/patients/{pid}/sessions", json=session).status_code)

    threads = [threading.Thread(target=record, args=(pid,)) for pid in patients for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(sorted(codes) == [201, 422] for codes in answers.values()), answers

    # An idempotent retry, each copy on a new connection (so either worker may answer it).
    again = {**session, "date": (TODAY - timedelta(days=400)).isoformat()}
    key = {"Idempotency-Key": uuid.uuid4().hex}
    replies = []
    for _ in range(6):
        with httpx.Client(base_url=served.url, timeout=60, cookies=c.cookies, headers=c.headers) as fresh:
            replies.append(fresh.post(f"/api/patients/{patients[0]}/sessions", json=again, headers=key))
    assert [r.status_code for r in replies] == [201] * 6
    assert len({r.json()["id"] for r in replies}) == 1
    assert all(r.headers.get("idempotent-replayed") == "true" for r in replies[1:])

    stored = [len(c.get(f"/api/patients/{pid}").json()["sessions"]) for pid in patients]
    assert stored == [2, 1, 1, 1]
    left = next(x["quantity"] for x in c.get("/api/lots").json() if x["lot_number"] == "W-2026")
    assert left == 50 - sum(stored)

    # Failed log-ins, each on a fresh connection: counted in the database, so the allowance is the account's
    # whichever worker answered, and the next attempt is throttled.
    codes = []
    for _ in range(6):
        with httpx.Client(base_url=served.url, timeout=60) as fresh:
            codes.append(fresh.post("/api/login", json={"email": email, "password": "wrong-password-123"}).status_code)
    assert codes[:5] == [401] * 5 and codes[5] == 429, codes

    # Both workers answer: each opens its own connections to PostgreSQL once it has taken a request (which worker
    # accepts a new connection is the kernel's choice, so ask on fresh connections until both have).
    for _ in range(200):
        busy = [n for n in db_connections_by_worker(served.proc.pid).values() if n > 0]
        if len(busy) == 2:
            break
        with httpx.Client(base_url=served.url, timeout=60, cookies=c.cookies) as fresh:
            assert fresh.get("/api/me").status_code == 200
    assert len(busy) == 2, db_connections_by_worker(served.proc.pid)

    # Each worker serves on httptools' C parser and uvloop's loop (their compiled modules are mapped in it), and
    # the start-up line says so.
    assert "HTTP parser httptools, event loop uvloop" in served.started
    workers = [pid for pid, n in db_connections_by_worker(served.proc.pid).items() if n > 0]  # not the tracker
    assert len(workers) == 2
    for worker in workers:
        maps = Path(f"/proc/{worker}/maps").read_text()
        assert "/httptools/parser/" in maps and "/uvloop/loop." in maps, worker


def test_more_than_one_worker_on_sqlite_is_refused_in_one_line(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    assert_one_line_error(cli("serve", "--workers", "2", "--database-url", url), "--workers 2 needs PostgreSQL")
    assert not (tmp_path / "clinic.db").exists()  # refused before anything was written
    assert_one_line_error(cli("serve", "--workers", "0"), "--workers 0 is out of range; valid: 1-64")


def test_each_worker_listens_on_its_own_socket_and_the_connections_are_spread(served):
    """50 clients that connect at once were taken 30-44 by one of two workers on a shared socket (its clients then
    waited for one core); on a socket each, the kernel spreads them by their addresses. A worker that dies is
    started again on a socket of its own, and the port keeps answering."""
    deadline = time.monotonic() + 60
    while len(workers := listening_by_worker(served.proc.pid, served.port)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)  # the server answered once one worker had started
    assert len(workers) == 2, workers  # the command's own socket never listens; the tracker holds none
    assert all(len(inodes) == 1 for inodes in workers.values())
    assert len(set().union(*workers.values())) == 2  # two sockets, not one shared

    clients = [httpx.Client(base_url=served.url, timeout=60) for _ in range(40)]
    try:
        assert all(c.get("/api/health").status_code == 200 for c in clients)  # each its own kept-alive connection
        shares = connections_by_worker(served.proc.pid, served.port)
        assert sum(shares.values()) == 40 and len(shares) >= 2, shares
        # By the hash, each worker's share is Binomial(40, 1/2): fewer than 8 has a chance of 2e-5.
        assert min(shares[w] for w in workers) >= 8, shares
    finally:
        for c in clients:
            c.close()

    gone = next(iter(workers))
    os.kill(gone, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = listening_by_worker(served.proc.pid, served.port)
        if len(now) == 2 and gone not in now:
            break
        time.sleep(0.2)
    assert len(now) == 2 and gone not in now, now  # started again, listening on a new socket of its own
    assert len(set().union(*now.values())) == 2
    for _ in range(20):  # fresh connections: whichever worker the kernel picks answers
        with httpx.Client(base_url=served.url, timeout=60) as fresh:
            assert fresh.get("/api/health").status_code == 200
