"""A static audit of the clinic: no code path from a request reaches a function that opens a user-named file.

File paths (device, compound, protocol, trial, patient files) stay a command-line feature. In the clinic,
devices are looked up in the catalogue plus registered models (``clinic_devices``); compounds, protocols
and trials are never named by a request at all (anaesthesia and topicals are stored as text, not looked up).
"""

from __future__ import annotations

import ast
from pathlib import Path

import needling.clinic

#: Functions that accept a file path from their caller.
OPENS_USER_FILES = {
    "get_device",
    "load_device_file",
    "get_compound",
    "load_compound_file",
    "parse_protocol_file",
    "load_trial",
    "run_trial",
    "read_toml",
    "read_table",
}
#: Functions that accept a path unless given the clinic's devices (argument position, keyword).
NEEDS_DEVICES = {"load_intake": (1, "devices"), "make_plan": (4, "devices"), "choose_device": (3, "devices")}


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            yield node, f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")


def test_the_clinic_never_calls_a_function_that_opens_a_user_named_file():
    sources = sorted(Path(needling.clinic.__file__).parent.rglob("*.py"))
    assert len(sources) > 10
    found, unbounded = [], []
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, name in _calls(tree):
            where = f"{path.name}:{node.lineno} {name}"
            if name in OPENS_USER_FILES:
                found.append(where)
            if name in NEEDS_DEVICES:
                pos, kw = NEEDS_DEVICES[name]
                if len(node.args) <= pos and kw not in {k.arg for k in node.keywords}:
                    unbounded.append(where)
    assert found == [], f"clinic code calls functions that open user-named files: {found}"
    assert unbounded == [], f"clinic code plans or validates without the clinic's devices: {unbounded}"
    assert any(name == "load_intake" for p in sources for _, name in _calls(ast.parse(p.read_text())))
