"""Every parameter of the science core has a source in the bibliography or is a named assumption.

The test imports every module of the science core (and loads every catalogue through the modules'
own ``load_all()`` functions where they have one), then checks each Cited value and Assumption that
came into being, and scans the parameter modules for bare numbers that escaped citation.
"""

from __future__ import annotations

import importlib
import numbers
import pkgutil

import needling
from needling.evidence import Assumption, Cited, all_parameters, bibliography

SKIP = ("needling.cli", "needling.clinic")


def _import_science_core() -> list[object]:
    modules = []
    for info in pkgutil.walk_packages(needling.__path__, "needling."):
        if info.name.startswith(SKIP):
            continue
        mod = importlib.import_module(info.name)
        modules.append(mod)
        loader = getattr(mod, "load_all", None)
        if callable(loader):
            loader()
    return modules


def test_every_cited_value_names_a_source_in_the_bibliography():
    _import_science_core()
    bib = bibliography()
    params = all_parameters()
    missing = sorted({p.source for p in params if isinstance(p, Cited) and p.source not in bib})
    assert not missing, f"Cited values whose source is not in the bibliography: {missing}"


def test_every_assumption_has_reasoning_and_a_unique_name():
    _import_science_core()
    seen: dict[str, Assumption] = {}
    for p in all_parameters():
        if isinstance(p, Assumption):
            assert p.reasoning.strip()
            prior = seen.setdefault(p.name, p)
            assert (prior.value, prior.unit) == (p.value, p.unit), f"assumption {p.name} defined twice"


def test_parameter_modules_hold_no_bare_numbers():
    """Public module-level numbers in needling.parameters must be Cited or Assumption."""
    bare = []
    for mod in _import_science_core():
        if not mod.__name__.startswith("needling.parameters"):
            continue
        for name, value in vars(mod).items():
            if name.startswith("_") or (name.isupper() and name.endswith("_UNITLESS")):
                continue
            if isinstance(value, numbers.Number) and not isinstance(value, bool):
                bare.append(f"{mod.__name__}.{name}")
    assert not bare, f"uncited numbers: {bare}"
