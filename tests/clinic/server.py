"""Start a real ``needling serve`` process on a free port for tests that need a live server."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.clinic.seeded import copy_seeded_sqlite


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A live server; ``logins`` holds the demonstration log-ins it printed.

    On SQLite (no ``database_url``) a new ``data_dir`` starts with a copy of the demonstration clinic seeded
    once per test run, whose log-ins are then in ``logins`` (the server finds the clinic there and prints none):
    the server starts without running every migration and hashing the passwords again.
    """

    def __init__(
        self,
        data_dir: Path,
        database_url: str | None = None,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.logins: dict[str, str] = {}
        self.started = ""
        if database_url is None and not {**os.environ, **(env or {})}.get("NEEDLING_DATABASE_URL"):
            self.logins.update(copy_seeded_sqlite(Path(data_dir)) or {})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "NEEDLING_DATA_DIR": str(data_dir),
            "NEEDLING_SECRET_KEY": "live-test-secret",
            **(env or {}),
        }
        if database_url:
            env["NEEDLING_DATABASE_URL"] = database_url
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "needling.cli.main", "serve", "--port", str(self.port), *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                if self.proc.poll() is not None:
                    raise RuntimeError("server exited before it was ready")
                continue
            m = re.match(r"\s+(\S+@demo\.clinic)\s+(\S+)", line)
            if m:
                self.logins[m.group(1)] = m.group(2)
            if "needling clinic at" in line:
                self.started = line  # names the HTTP parser and event loop
                break
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not answer /api/health")

    def kill(self) -> None:
        """Kill -9: no chance to clean up."""
        self.proc.kill()
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
