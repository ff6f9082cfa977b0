"""The models' public functions have numpydoc docstrings: every argument described (with its unit in the
text), and what they return."""

from __future__ import annotations

import importlib
import inspect

import pytest
from numpydoc.docscrape import FunctionDoc

#: Model modules held to the full numpydoc form.
MODULES = (
    "needling.models.mechanics.bleeding",
    "needling.models.mechanics.pain",
    "needling.models.mechanics.insertion",
    "needling.models.mechanics.channels",
    "needling.models.transport.closure",
    "needling.models.transport.permeability",
    "needling.models.transport.reduced",
    "needling.models.transport.cell",
    "needling.models.healing.wound",
    "needling.models.healing.injury",
    "needling.models.healing.follicles",
    "needling.cohort.sensitivity",
    "needling.cohort.sensitivity_targets",
    "needling.api",
)


def _public_functions():
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if not attr.startswith("_") and inspect.isfunction(obj) and obj.__module__ == name:
                yield f"{name}.{attr}", obj


@pytest.mark.parametrize(("name", "fn"), list(_public_functions()), ids=lambda v: v if isinstance(v, str) else "")
def test_numpydoc_sections(name, fn):
    doc = FunctionDoc(fn)
    assert doc["Summary"], f"{name}: no summary line"
    documented: set[str] = set()
    for param in doc["Parameters"]:
        documented.update(p.strip().lstrip("*") for p in param.name.split(","))
    wanted = [p for p in inspect.signature(fn).parameters if p not in {"self", "settings", "kwargs"}]
    missing = [p for p in wanted if p not in documented]
    assert not missing, f"{name}: arguments without a description: {missing}"
    returns = inspect.signature(fn).return_annotation
    if returns not in (None, "None", inspect.Signature.empty):
        assert doc["Returns"], f"{name}: no Returns section"
