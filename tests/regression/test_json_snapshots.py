"""What a user sees does not change its numbers: ``--json`` of simulate, deliver, series, trial and plan.

The snapshots in ``snapshots/`` were taken from the command line before the science core was refactored
(parameters passed in, typed results). A change of any number fails here. To take a deliberate change (and
say why in its own commit), regenerate with ``NEEDLING_UPDATE_SNAPSHOTS=1 pytest tests/regression``.

The plan snapshot keeps what the models compute (devices, settings, series, predictions, home care); the
screening reasons, rule and model versions and the evidence keys belong to the planner's rules, which
change on their own schedule.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import invoke

HERE = Path(__file__).parent
SNAPSHOTS = HERE / "snapshots"
ROOT = HERE.parent.parent
TRIALS = ROOT / "src" / "needling" / "cohort" / "trials"
PATIENTS = ROOT / "examples" / "patients"

CASES: dict[str, list[str]] = {
    "simulate-roller-cheek": [
        "simulate",
        "--device",
        "dermaroller-192-1.5",
        "--site",
        "cheek",
        "--passes",
        "15",
        "--directions",
        "3",
    ],
    "simulate-pen-forehead": [
        "simulate",
        "--device",
        "dermapen-11",
        "--site",
        "forehead",
        "--needle-length-mm",
        "0.5",
        "--speed-mm-s",
        "20",
        "--passes",
        "2",
    ],
    "simulate-home-scalp-male-light": [
        "simulate",
        "--device",
        "home-roller-540-0.25",
        "--site",
        "scalp",
        "--sex",
        "male",
        "--pressure",
        "light",
        "--passes",
        "4",
        "--seed",
        "3",
    ],
    "simulate-anaesthetic": [
        "simulate",
        "--device",
        "dermaroller-192-1.5",
        "--site",
        "cheek",
        "--passes",
        "15",
        "--anaesthetic",
        "lidocaine-prilocaine",
        "--anaesthetic-minutes",
        "45",
        "--pre-needle-mm",
        "0.5",
    ],
    "deliver-ascorbic-full": [
        "deliver",
        "--compound",
        "l-ascorbic-acid",
        "--device",
        "dermaroller-192-1.5",
        "--site",
        "cheek",
        "--passes",
        "15",
        "--hours",
        "24",
    ],
    "deliver-minoxidil-reduced": [
        "deliver",
        "--compound",
        "minoxidil",
        "--device",
        "dermaroller-192-0.5",
        "--site",
        "scalp",
        "--dose-mg-cm2",
        "2",
        "--occluded",
        "--model",
        "reduced",
        "--hours",
        "6",
    ],
    "series-acne": [
        "series",
        "--indication",
        "acne-scars",
        "--grade",
        "3",
        "--site",
        "cheek",
        "--sessions",
        "6",
        "--interval-weeks",
        "4",
        "--step",
        "Roll 1.5 mm, 15 passes, 3 directions",
        "--follow-up-weeks",
        "26",
    ],
    "series-alopecia-pen": [
        "series",
        "--indication",
        "androgenetic-alopecia",
        "--site",
        "scalp",
        "--sessions",
        "12",
        "--interval-weeks",
        "1",
        "--step",
        "Pen 1.0 mm, 4 passes",
        "--step",
        "Minoxidil 5 % twice daily",
    ],
    "series-striae-vitamin-c": [
        "series",
        "--indication",
        "striae",
        "--site",
        "abdomen",
        "--sessions",
        "4",
        "--interval-weeks",
        "4",
        "--step",
        "Roll 0.5 mm, 10 passes, 2 directions",
        "--step",
        "Apply vitamin C 20 %",
    ],
    "trial-garg-baveja": ["trial", str(TRIALS / "garg-baveja-2014.toml"), "--n", "300", "--seed", "1"],
    "trial-dhurat": ["trial", str(TRIALS / "dhurat-2013.toml"), "--n", "300"],
    "plan-example": ["plan", str(PATIENTS / "example.yaml"), "--start", "2026-12-01"],
    "plan-home-fine-lines": ["plan", str(PATIENTS / "home-fine-lines.yaml"), "--start", "2026-12-01"],
    "plan-alopecia-pen": ["plan", str(PATIENTS / "alopecia-pen.yaml"), "--start", "2026-12-01"],
    "plan-five-regions": ["plan", str(PATIENTS / "five-regions.yaml"), "--start", "2026-12-01"],
}

#: Plan keys that the models compute; the rest belongs to the screening rules.
PLAN_REGION_KEYS = (
    "site",
    "indication",
    "grade",
    "device",
    "device_kind",
    "pen_settings",
    "needle_length_mm",
    "passes",
    "directions",
    "endpoint",
    "anaesthesia",
    "sessions",
    "interval_weeks",
    "min_interval_weeks",
    "predicted",
    "series",
)


def _model_part(name: str, doc: dict[str, Any]) -> dict[str, Any]:
    if not name.startswith("plan-"):
        return doc
    return {
        "decision": doc["decision"],
        "series": doc["series"],
        "regions": [{k: r.get(k) for k in PLAN_REGION_KEYS} for r in doc["regions"]],
        "home_care": None
        if doc["home_care"] is None
        else {k: v for k, v in doc["home_care"].items() if k != "sources"},
    }


def _same(a: Any, b: Any, where: str = "$") -> None:
    """Equal JSON, floats to 1e-9 relative (the same numbers, whatever the last binary digit)."""
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, int | float) and isinstance(b, int | float), f"{where}: {a!r} != {b!r}"
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"{where}: {a!r} != {b!r}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), (
            f"{where}: keys {list(a)} != {list(b) if isinstance(b, dict) else b}"
        )
        for k in a:
            _same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{where}: {a!r} != {b!r}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_output_unchanged(name: str) -> None:
    result = invoke(*CASES[name], "--json")
    assert result.code == 0, result.stderr
    got = _model_part(name, result.json())
    path = SNAPSHOTS / f"{name}.json"
    if os.environ.get("NEEDLING_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    _same(got, expected)
