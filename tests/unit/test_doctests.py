"""The examples in the science core's docstrings run, and give what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import needling

SCIENCE_PACKAGES = (
    "needling.units",
    "needling.errors",
    "needling.evidence",
    "needling.parameters",
    "needling.anatomy",
    "needling.devices",
    "needling.compounds",
    "needling.models",
    "needling.protocol",
    "needling.simulation",
    "needling.cohort",
    "needling.planner",
    "needling.api",
)


def _modules() -> list[str]:
    names = []
    for package in SCIENCE_PACKAGES:
        module = importlib.import_module(package)
        names.append(package)
        if hasattr(module, "__path__"):
            names += [m.name for m in pkgutil.walk_packages(module.__path__, prefix=package + ".")]
    names.append("needling")
    return sorted(set(names))


def test_docstring_examples_run():
    attempted = 0
    failures = []
    for name in _modules():
        module = importlib.import_module(name)
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
        attempted += result.attempted
        if result.failed:
            failures.append(f"{name}: {result.failed} of {result.attempted} failed")
    assert not failures, failures
    assert attempted >= 10, f"only {attempted} docstring examples found in {needling.__name__}'s science core"
