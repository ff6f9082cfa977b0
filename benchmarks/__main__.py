"""Run every ``benchmarks/bench_*.py`` (or those named on the command line) and print their figures.

Each benchmark module has ``main() -> dict`` returning its figures (ratios against a baseline timed
in the same run, plus the raw times). The figures are printed and written to
``benchmarks/results/<name>.json``.

Usage: ``python -m benchmarks [NAME ...]``
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    names = argv or sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    for name in names:
        mod = importlib.import_module(f"benchmarks.{name if name.startswith('bench_') else 'bench_' + name}")
        t0 = time.perf_counter()
        figures = mod.main()
        figures["wall_s"] = round(time.perf_counter() - t0, 3)
        (out_dir / f"{mod.__name__.split('.')[-1]}.json").write_text(json.dumps(figures, indent=2))
        print(f"== {mod.__name__}")
        for k, v in figures.items():
            print(f"   {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
