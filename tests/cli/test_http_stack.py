"""``needling serve`` runs on httptools and uvloop (dependencies), and says which parser and loop it got."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from needling.cli.http_stack import http_stack

PROBE = "from needling.cli.http_stack import http_stack; print(*http_stack())"


def test_the_installed_stack_is_the_fast_one() -> None:
    assert http_stack() == ("httptools", "uvloop")


def test_without_them_uvicorn_falls_back_and_the_name_says_so(tmp_path: Path) -> None:
    for name in ("httptools", "uvloop"):  # modules that shadow the installed ones and cannot be imported
        (tmp_path / f"{name}.py").write_text("raise ImportError('not installed')\n")
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env={"PYTHONPATH": str(tmp_path)}, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["h11", "asyncio"]
