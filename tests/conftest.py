"""Shared test helpers: run the CLI in-process and capture what a user would see."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import settings

# Property tests explore the same examples on every run (derandomized), so CI cannot turn red by chance;
# HYPOTHESIS_PROFILE=explore searches afresh.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "ci"))

# Tests written before signed consents record sessions without one, so the check is off by default here (it is on
# by default in the service); the consent tests switch it on (tests/clinic/test_consent*.py, the consent flow).
__import__("os").environ["NEEDLING_REQUIRE_CONSENT"] = "0"


@dataclass
class CliResult:
    """What one ``needling`` invocation printed and returned."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """Parse stdout as JSON."""
        return json.loads(self.stdout)


def invoke(*args: str) -> CliResult:
    """Run ``needling ARGS`` in this process through the real entry point."""
    from needling.cli.main import run

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            run([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    """The :func:`invoke` helper as a fixture."""
    return invoke


def assert_one_line_error(result: CliResult, *needles: str) -> None:
    """Bad input: exit 2, one line on stderr containing each needle, no traceback."""
    assert result.code == 2, (result.code, result.stdout, result.stderr)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for n in needles:
        assert n in lines[0], (n, lines[0])
