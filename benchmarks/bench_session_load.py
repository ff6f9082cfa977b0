"""Recording sessions with 50 concurrent clients on PostgreSQL (issue 15, item 10: p99 under 300 ms with nothing
lost), against ``/api/health`` of the same live server under the same 50 clients, in the same run.

A fresh PostgreSQL database (dropped afterwards) behind one live ``needling serve --workers N``, N the machine's
cores (``WORKERS`` below; pass a number to choose). Each of 50 patients has a plan and a signed consent (the consent
check runs, as in a clinic); a counted lot of single-use needles serves every session. 50 clients, each with its own
keep-alive connection and its own patient, start together and each records ``PER_CLIENT`` sessions one after
another (the same day again, so each carries a written interval override, as in ``bench_clinic``). Afterwards the
database is counted: every 201 answer is a stored session with its region, the lot's count fell by exactly the
sessions recorded, and no answer was a server error.

The load generator is one asyncio loop in its own process speaking plain HTTP/1.1 over the 50 connections: a
request costs it a few tens of microseconds, so it does not queue the requests it measures (50 client threads
in the benchmark's process were GIL-bound and measured themselves). Its processor time is reported next to the
wall time (``client_cpu_share``). The clients are closed-loop: each sends its next request when the last one is
answered, so by Little's law the mean latency is 50 / throughput; a p99 under 300 ms needs the server to
record some 200 sessions a second. The ratio of the session p99 to the health p99 of the same run is the figure
to compare across machines and loads.

Each phase also reports where the processor time went, read from ``/proc`` (Linux): the server's processes (the
uvicorn workers) and the benchmark database's PostgreSQL backends, in ms per answered request and in cores, and
the whole machine's busy cores and 1-minute load average during the phase (other users' work included: on a
shared machine the server gets what is left). Together they give the ceiling: ``cores / (server + database ms)``
sessions a second, and by Little's law a mean latency of at least 50 clients over that.

After the count, ``row_commit_ms`` times a one-row decrement and its commit on a scratch table: every recording
takes from the same lot, whose row is locked from its decrement (the last statement) until the commit has been
flushed to the write-ahead log, so ``one_lot_ceiling_per_s`` (1000 / that) is the most sessions a second one lot
lets through on this storage, whatever the cores.

What limits it, measured on two cores shared with other engineers' work (the machine 2.0 cores busy, load average
3-8): the processor. The server got about one core of the two and spent 9-11 ms on each recording, the database's
backends 2-3 ms (before the recording's statements were built once and its flushes halved, 12-13 ms: 75-82
sessions a second, now 100-108). With a lot for each client instead of the one, the throughput did not change
(only the tail), so the shared lot's row is not the bound at this rate; its commit took 0.3-3.8 ms over the
evening, a ceiling of 260-3000 sessions a second. A p99 of 300 ms with 50 closed-loop clients needs a mean of
100-150 ms (the p99 was 1.8-2.8 times the mean 50 / throughput here), so some 330-500 sessions a second: about
4-6 cores for the server and the database alone at today's 12-13 ms of processor time per recording, and the
lot's decrement and commit within 2-3 ms.

With the session, its regions and overrides written by prepared inserts instead of the ORM's flush, measured
alternately against the version before on the same machine, load average 3.7-5.7 (other work running): the
server's processor time per recording 10.6-10.8 ms before, 9.4-10.1 ms after; 88-95 sessions a second before,
99-100 after; p50 389-502 ms before, 314-356 ms after; p99 1.08-1.60 s before, 1.27-1.54 s after (the tail is
the shared machine's as much as the server's). Nothing lost in any run.

Then the audit entries and the next visit were written by statements instead of a flush (none is left in a plain
recording) and the session count came back with the session's insert (13 statements instead of 14, plus the pool's
ping, BEGIN and COMMIT); and ``--workers N`` got TCP_NODELAY back on its connections (uvicorn left it off there, so
each answer on a kept-alive connection waited some 40 ms for the client's delayed acknowledgement: with one client a
health check took 44 ms and a recording 60 ms, now 0.7 ms and 9.7 ms). Measured alternately, five runs before and
four after, load average 0.4-4.1: the server's processor time per recording 9.5-10.5 ms before, 7.6-10.3 (median
8.9) after; the database's 2.3-4.3 ms before, 1.5-4.5 after (it moved with the machine more than with the change);
83-110 sessions a second before, 97-128 after; p50 377-446 ms before, 326-463 after; p95 0.80-1.49 s before,
0.74-0.87 after; p99 1.05-1.72 s before, 0.84-1.17 s after; the health check under the same 50 clients 680-900 a
second before, 1100-1650 after (p50 52-56 ms before, 18-28 after). Nothing lost in any run.

So p99 still misses 300 ms on two shared cores, by three to four times, and the processor is what limits it: the
machine was 1.6-2.0 cores busy in every run, a recording costs some 9 ms of the server and 2-4 ms of the database,
and the p99 is 1.9-2.9 times the mean (50 clients over the throughput). About half of the server's 9 ms is the
recording's own work (its 13 statements, each a round trip of 0.1-0.4 ms of processor time on this machine, and its
checks); the rest is the web stack every request pays (HTTP parsing, middleware, routing, the dependencies' hops to
the thread pool, the request and answer models, the pool's ping). 300 ms needs a mean of 100-160 ms, some 320-490
sessions a second: 4-6 cores at today's 12 ms per recording, or under 4-6 ms of processor time per recording in all
on two cores of its own.

Then the web stack's share. uvicorn had run on the pure-Python h11 parser and asyncio's own loop (httptools and
uvloop were not installed; they are dependencies now, and ``needling serve`` names what it got). Measured
on the same machine, four runs on h11 and asyncio (two before installing them, two with them hidden, alternating
with the others) against three on httptools and uvloop, load average 1.7-5.5, the difference was inside the
machine's noise: server 7.6-9.4 ms a recording against 7.8-9.6, 88-118 sessions a second against 104-125, p99
0.96-2.06 s against 1.52-1.65 s; the health check 0.60-0.84 ms of the server against 0.46-0.80. The parser
and the loop were not where the web stack's time went. Profiled in process,
it went to Starlette's ``BaseHTTPMiddleware`` (the anonymous-request counter ran every request in a task of its own
with its body through memory streams; now a pure ASGI middleware reading the answer's head) and to the trips to
the thread pool (``get_db`` was a sync generator, two trips; now it opens the session on the event loop and sends
only its end to the pool; the health check no longer goes there at all). In process, with the client's own work
included, a health check went from 0.76-0.81 ms to 0.38-0.54 and a recording from 8.5-8.9 ms to 7.0-7.5.

Live, the whole of it (main before against after, alternately, three runs each, load average 2.3-7.9, 1.97-1.98
cores busy): the server's processor time per recording 8.8-9.7 ms before, 7.2-8.1 after; the database's 2.9-4.6
before, 2.6-4.0 after; 97-118 sessions a second before, 104-128 after; p50 255-387 ms before, 237-333 after; p95
0.87-1.21 s before, 0.91-1.03 after; p99 1.29-2.10 s before, 1.26-1.48 s after. The health check under the same 50
clients: 1040-1610 a second before, 5310-7760 after; 0.56-0.96 ms of the server each before, 0.14 after; p50 21-32
ms before, 4.7-8.3 after. Nothing lost in any run.

So p99 still misses 300 ms, now by four to five times, and it is still the processor: a recording costs some 7-8 ms
of the server and 3-4 ms of the database on two cores that other work kept 2.0 busy (load average up to 8 during
these runs). What is left of the server's share is mostly the recording's own work (its 13 statements and their
round trips, the checks, the ORM objects it reads) and FastAPI's per-request work: routing over every route in
order, resolving the dependencies, validating the body and the answer against their models, and the two trips to
the thread pool that do input/output (the log-in's read and the endpoint).

Then profiled in process again (500 recordings through the ASGI app on a scratch database, the thread pool's trips
run inline so one profile sees them all): the recording's statements were most of its time (a read of a row 70
microseconds of processor time on the connection, 110 through the session, 155 with ORM objects, plus the
database's), FastAPI's own work (routing, dependencies, the answer's model) a small part. So: the day's appointment
is read by the session's insert (12 statements, not 13); the reads of columns and the lot's decrement run on the
session's connection, not through the ORM's execution layer; the pool pings a connection only after a second idle,
not at every checkout (a round trip and two autocommit switches each request); a request that committed closes its
session on the event loop (one trip to the thread pool fewer). And each worker runs its database routes on 8
threads, not the framework's 40 (``NEEDLING_THREADS``): with 25 clients a worker, 40 threads only took turns for the
one core (and, as it seems, the one whose decrement held the lot's row lock waited its turn to commit while the
others' decrements queued behind it). Measured alternately, main before against this after, four runs each, load
average 1.6-5.6: the server's processor time per recording 7.9-11.1 ms before, 5.8-6.9 after; the database's 2.3-5.7
before, 2.5-3.3 after; 87-108 sessions a second before, 119-169 after; p50 310-412 ms before, 217-329 after; p95
0.78-1.40 s before, 0.54-0.71 after; p99 1.08-1.94 s before, 0.59-0.80 after. Nothing lost in any run. (The threads
alone, alternately 40 and 8 on this branch, three runs each: p99 1.61-1.92 s against 0.90-1.18, the database 3.5-4.1
ms a recording against 2.2-2.7.)

So p99 still misses 300 ms, by two to three times: some 8-10 ms of processor time per recording (server and
database) on two cores that other work keeps busy too; the mean by Little's law is 50 clients over 120-170 a
second, 300-420 ms, already above the target, so only more throughput brings the p99 under it.

Then the recording's route and every request's log-in. The route is async and makes one trip to the thread pool,
not three (the log-in's read, the endpoint, the answer's validation): the cookie and CSRF checks stay on the event
loop, the log-in is read, the session recorded and the answer validated and written to JSON in the one trip (the
same bytes and OpenAPI schema as ``response_model`` gives). The log-in and its user are read as columns on the
session's connection, the user put in the session as if loaded: some 60 microseconds of processor time fewer on
every request. In process, with the client's work, a recording went from 4.2 to 3.8 ms. Live, main before
against this after, alternately, three runs each, load average 1.1-4.2: the server's processor time per recording
5.1-5.8 ms before, 4.7-5.3 after; the database's 2.0-3.3 before, 2.4-2.6 after; 132-152 sessions a second before,
162-213 after; p50 265-342 ms before, 190-193 after; p95 0.60-0.94 s before, 0.32-0.56 after; p99 0.69-1.00 s
before, 0.37-0.64 after. Nothing lost in any run. Still some 7-8 ms of processor time a recording in all, and the
mean by Little's law 50 over 160-210 a second, 235-310 ms: the p99 misses 300 ms by 1.2-2 times; the reads after
the patient's lock (plan, lots, areas, consents: four statements) are the next to merge.

Then the three things the next profile and a count of each worker's connections showed. The reads merged: the lots
come with the patient's lock, the plan, the areas' past sessions and the consents in one statement after it (12
statements, now 9). The workers' connections: on the one shared socket one worker took 27-47 of the 50 (counted in
every run), and its clients queued for one core while the other idled; now each worker listens on a socket of its
own (``SO_REUSEPORT``, ``needling.cli.workers_socket``) and the kernel's hash split them 25-31 in most runs (38
once). These two together, measured alternately against main, four runs each, made no difference the machine's
noise let through (server 5.6-7.4 ms a recording against 5.9-6.3, p99 426-569 ms against 418-533). And the recordings
in flight: with each process's 8 threads all recording, the one holding the shared lot's row waited for the
interpreter's lock among the others before it could commit, while every other recording queued behind the row in
the database; with fewer at once (``NEEDLING_RECORDING_SLOTS``, the rest waiting on the event loop holding no
connection), the database's processor time a recording fell from 2.2-2.5 ms to 1.3-1.7. Measured alternately, main
then one slot then two, three rounds, and three more rounds of one and two slots, load average under 2: main p99
344-469 ms, 167-233 sessions a second, server 5.0-6.2 ms and database 2.2-2.5 ms a recording; one slot (the default)
p99 235-324 ms (five of six runs under 300; the one over had its clients split 31 to 19), 212-291 a second, server
4.2-5.1 ms, database 1.3-1.7; two slots p99 210-415 ms (five of six under 300; the one over had the server at 7.3 ms a
recording, the machine busy elsewhere), 181-355 a second. Nothing lost in any run. So the target is met on this
machine in most runs, not all: the p99 is 1.4-1.6 times the mean of 50 clients over the throughput, and what is left
over 300 ms comes with an uneven split of the clients or a busy machine. On main with all three, seven runs in a row:
p99 228-290 ms, p95 215-272, p50 154-198, 225-284 sessions a second, server 3.5-5.2 ms and database 1.2-1.6 ms a
recording (the health check's p99 under the same clients 8-9 ms in the two runs that reported it); the target met in
all seven, nothing lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
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
WORKERS = os.cpu_count() or 1
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


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """Send one HTTP/1.1 request on a kept-alive connection; read the whole answer; return its status."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(lines[0].split()[1])


def _request(method: str, path: str, port: int, headers: dict[str, str], body: dict | None = None) -> bytes:
    payload = json.dumps(body).encode() if body is not None else b""
    lines = [f"{method} {path} HTTP/1.1", f"host: 127.0.0.1:{port}", f"content-length: {len(payload)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body is not None:
        lines.append("content-type: application/json")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def _clients(port: int, requests: list[list[bytes]], answer) -> tuple[list[tuple[float, int]], float, float]:
    """One client per list of requests, all at once on their own connections; (latency s, status) and wall s.

    Once every connection answers, ``answer`` (the pipe to the benchmark) gets ``"ready"`` and the clients start
    on its ``"go"``: the benchmark starts its meters in between."""
    conns = [await asyncio.open_connection("127.0.0.1", port) for _ in requests]
    warm = _request("GET", "/api/health", port, {})
    for _ in range(3):  # every connection open and answering, all at once, before the clock starts
        await asyncio.gather(*(_exchange(reader, writer, warm) for reader, writer in conns))
    start = asyncio.Event()

    async def client(reader, writer, reqs: list[bytes]) -> list[tuple[float, int]]:
        await start.wait()
        out = []
        for req in reqs:
            t0 = time.perf_counter()
            status = await _exchange(reader, writer, req)
            out.append((time.perf_counter() - t0, status))
        return out

    tasks = [asyncio.create_task(client(r, w, reqs)) for (r, w), reqs in zip(conns, requests, strict=True)]
    await asyncio.sleep(0)
    answer.send("ready")
    answer.recv()  # "go"
    cpu0, t0 = time.process_time(), time.perf_counter()
    start.set()
    results = [x for rs in await asyncio.gather(*tasks) for x in rs]
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    for _, writer in conns:
        writer.close()
    return results, wall, cpu


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_s(pid: int) -> float:
    """Processor time (user + system, s) a process has used so far; 0 if it is gone or unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime (fields 14 and 15 of stat)


def _run_s(pid: int) -> float:
    """Processor time (s) of a single-threaded process so far, to the nanosecond (``/proc/PID/schedstat``): a
    database backend's few ms per request are below the 10 ms clock tick ``/proc/PID/stat`` counts in."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return _cpu_s(pid)


def _tree(pid: int) -> list[int]:
    """A process and its descendants (the server and its uvicorn workers)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # a thread or process ended meanwhile
                todo += [int(c) for c in task.read_text().split()]
    return found


def _busy_cores() -> tuple[float, float]:
    """(busy, all) jiffies of the whole machine so far, from ``/proc/stat``."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle and waiting for input/output
    return sum(values) - idle, sum(values)


class _Meter:
    """Processor time of the server's processes and of the database's backends over one phase, the machine's busy
    cores (everyone's work: the machine is shared) and its 1-minute load average sampled during the phase."""

    def __init__(self, server_pid: int, database: str) -> None:
        self.server_pid, self.database = server_pid, database

    def _backends(self) -> list[int]:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.database,)).fetchall()
        return [int(r[0]) for r in rows]

    def __enter__(self) -> _Meter:
        self.backends0 = {p: _run_s(p) for p in self._backends()}
        self.server0 = sum(_cpu_s(p) for p in _tree(self.server_pid))
        self.busy0 = _busy_cores()
        self.loads: list[float] = []
        self.done = threading.Event()
        self.sampler = threading.Thread(target=self._sample, daemon=True)
        self.sampler.start()
        return self

    def _sample(self) -> None:
        while not self.done.wait(0.5):
            self.loads.append(os.getloadavg()[0])

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.sampler.join()
        self.server_s = sum(_cpu_s(p) for p in _tree(self.server_pid)) - self.server0
        self.backends_s = sum(_run_s(p) - self.backends0.get(p, 0.0) for p in self._backends())
        busy, total = _busy_cores()
        self.busy_cores = (busy - self.busy0[0]) / max(1, total - self.busy0[1]) * (os.cpu_count() or 1)
        self.loads.append(os.getloadavg()[0])

    def figures(self, answered: int, wall_s: float) -> dict:
        """Per answered request: the server's and the database's processor ms; the machine's busy cores."""
        return {
            "server_cpu_ms_per_request": round(1e3 * self.server_s / answered, 2),
            "database_cpu_ms_per_request": round(1e3 * self.backends_s / answered, 2),
            "server_cores": round(self.server_s / wall_s, 2),
            "database_cores": round(self.backends_s / wall_s, 2),
            "machine_busy_cores": round(self.busy_cores, 2),  # everything on the machine, other users' work too
            "load_average_1min": [round(min(self.loads), 1), round(max(self.loads), 1)],
        }


def _load(port: int, requests: list[list[bytes]], answer) -> None:
    answer.send(asyncio.run(_clients(port, requests, answer)))


def _together(port: int, requests: list[list[bytes]], meter: _Meter) -> dict:
    """Run the clients in a process of their own; the figures of their answers and of the processor time used."""
    ctx = multiprocessing.get_context("spawn")
    mine, theirs = ctx.Pipe()
    proc = ctx.Process(target=_load, args=(port, requests, theirs))
    proc.start()
    theirs.close()  # the child's end only: if the child dies, recv raises instead of waiting for ever
    assert mine.recv() == "ready"
    with meter:  # from the clients' start to their last answer
        mine.send("go")
        results, wall, cpu = mine.recv()
    proc.join()
    figures = _figures([t for t, _ in results], [c for _, c in results], wall)
    figures["client_cpu_share"] = round(cpu / wall, 2)  # of one core: the load generator's own work
    figures.update(meter.figures(len(results), wall))
    return figures


def _row_commit_ms(url: str, n: int = 200) -> float:
    """Median ms from a one-row decrement to the end of its commit, on a scratch table of the database at ``url``.

    Every recording takes from the same lot, so the lot's row is locked from its decrement to its commit's flush to
    the write-ahead log; the next recording's decrement waits for it. 1000 / this is the most sessions a second the
    one lot lets through on this machine's storage, however many cores serve the requests.
    """
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        conn.execute("CREATE TABLE commit_probe (id integer PRIMARY KEY, quantity integer NOT NULL)")
        conn.execute("INSERT INTO commit_probe VALUES (1, %s)", (n,))
        conn.commit()
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            conn.execute("UPDATE commit_probe SET quantity = quantity - 1 WHERE id = 1 AND quantity > 0 RETURNING 1")
            conn.commit()
            times.append(time.perf_counter() - t0)
    return round(1e3 * statistics.median(times), 2)


def main(workers: int = WORKERS) -> dict:
    name = f"needling_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    today = date.today()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            server = Server(Path(tmp), url, env={"NEEDLING_REQUIRE_CONSENT": "1"}, args=("--workers", str(workers)))
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

                cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
                auth = {**headers, "cookie": cookie}
                health = [[_request("GET", "/api/health", server.port, auth)] * PER_CLIENT for _ in patients]
                record = [
                    [_request("POST", f"/api/patients/{pid}/sessions", server.port, auth, session)] * PER_CLIENT
                    for pid in patients
                ]
                baseline = _together(server.port, health, _Meter(server.proc.pid, name))
                sessions = _together(server.port, record, _Meter(server.proc.pid, name))
                stored = [len(c.get(f"/api/patients/{pid}").json()["sessions"]) for pid in patients]
                left = next(x["quantity"] for x in c.get("/api/lots").json() if x["id"] == lot_id)
                row_commit_ms = _row_commit_ms(url)  # after the count: a table of its own, the lots untouched
            finally:
                server.stop()
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    recorded = sessions["ok"]
    return {
        "workers": workers,
        "cores": os.cpu_count(),
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
        "row_commit_ms": row_commit_ms,
        "one_lot_ceiling_per_s": round(1e3 / row_commit_ms),
        "session_meets_target": sessions["p99_ms"] <= TARGET_P99_MS and recorded == CLIENTS * PER_CLIENT,
    }


if __name__ == "__main__":
    print(main(int(sys.argv[1]) if len(sys.argv) > 1 else WORKERS))
