"""Start-up of the command line: ``needling --version`` and ``needling --help`` against ``python -c pass``.

Each is a fresh process of the same interpreter, run alternately (so a busy machine slows all of them
alike); the figures are medians over the runs. Target: under 0.3 s for ``--help`` and ``--version``.
For scale, also a command that loads the science core (``needling sites list --json``).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15
CASES: dict[str, list[str]] = {
    "python_pass": [sys.executable, "-c", "pass"],
    "version": [sys.executable, "-m", "needling.cli.main", "--version"],
    "help": [sys.executable, "-m", "needling.cli.main", "--help"],
    "sites_list": [sys.executable, "-m", "needling.cli.main", "sites", "list", "--json"],
}


def _once(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> dict:
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for cmd in CASES.values():  # warm the file cache and the bytecode
        _once(cmd)
    for _ in range(RUNS):
        for name, cmd in CASES.items():
            times[name].append(_once(cmd))
    med = {name: statistics.median(ts) for name, ts in times.items()}
    base = med["python_pass"]
    return {
        "runs": RUNS,
        **{f"{name}_s": round(m, 4) for name, m in med.items()},
        "version_over_python_pass": round(med["version"] / base, 2),
        "help_over_python_pass": round(med["help"] / base, 2),
        "help_minus_python_pass_s": round(med["help"] - base, 4),
        "help_under_0_3_s": med["help"] < 0.3,
        "version_under_0_3_s": med["version"] < 0.3,
    }


if __name__ == "__main__":
    print(main())
