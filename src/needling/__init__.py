"""needling: evidence-linked micro-needling (collagen induction therapy): simulator, planner and clinic service.

The main path in a few names (``import needling as nd``)::

    nd.simulate("dermaroller-192-1.5", "cheek", passes=15, directions=3)      # one session
    nd.deliver("l-ascorbic-acid", "dermaroller-192-1.5", "cheek", passes=15)  # uptake through the channels
    protocol = nd.Protocol.parse(["Roll 1.5 mm, 15 passes, 3 directions"], sessions=6, interval_weeks=4)
    nd.run_series(protocol, "acne-scars", "cheek", grade=3)                   # a series, with its spread
    nd.run_trial("garg-baveja-2014.toml", n=2000)                             # an in-silico trial
    nd.plan("patient.yaml")                                                   # screening and a protocol
    pv = nd.ParameterValues.default(); pv.update({"dimple-cv": 0.4})          # other parameter values
    nd.print_citations(result)                                                # what a result relied on
    nd.sensitivity(lambda pv: nd.simulate("dermapen-11", "cheek", full=False, parameters=pv).depth_mean_um,
                   ["dimple-depth-reference", "pen-force-per-needle"], method="morris", n=8)

Names are loaded on first use, so ``import needling`` (and ``needling --help``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Public name -> (module, attribute), imported on first access.
_LAZY: dict[str, tuple[str, str]] = {
    "simulate": ("needling.api", "simulate"),
    "deliver": ("needling.api", "deliver"),
    "run_series": ("needling.api", "run_series"),
    "run_trial": ("needling.api", "run_trial"),
    "plan": ("needling.api", "plan"),
    "print_citations": ("needling.report.citations", "print_citations"),
    "sensitivity": ("needling.cohort.sensitivity", "sensitivity"),
    "SensitivityResult": ("needling.cohort.sensitivity", "SensitivityResult"),
    "ParameterValues": ("needling.parameters", "ParameterValues"),
    "default_parameters": ("needling.parameters", "default_parameters"),
    "Protocol": ("needling.protocol", "Protocol"),
    "Needle": ("needling.protocol", "Needle"),
    "Technique": ("needling.simulation", "Technique"),
    "Device": ("needling.devices", "Device"),
    "get_device": ("needling.devices", "get_device"),
    "get_site": ("needling.anatomy", "get_site"),
    "get_compound": ("needling.compounds", "get_compound"),
    "SessionResult": ("needling.simulation", "SessionResult"),
    "DeliveryResult": ("needling.simulation", "DeliveryResult"),
    "SeriesResult": ("needling.cohort", "SeriesResult"),
    "TrialResult": ("needling.cohort.trial", "TrialResult"),
    "Trial": ("needling.cohort.trial", "Trial"),
    "Plan": ("needling.planner.plan_model", "Plan"),
    "Region": ("needling.planner.plan_model", "Region"),
    "Reason": ("needling.planner.plan_model", "Reason"),
    "Combination": ("needling.planner.plan_model", "Combination"),
    "HomeCare": ("needling.planner.plan_model", "HomeCare"),
    "Cited": ("needling.evidence", "Cited"),
    "Assumption": ("needling.evidence", "Assumption"),
    "InputError": ("needling.errors", "InputError"),
}

__all__ = [
    "Assumption",
    "Cited",
    "Combination",
    "DeliveryResult",
    "Device",
    "HomeCare",
    "InputError",
    "Needle",
    "ParameterValues",
    "Plan",
    "Protocol",
    "Reason",
    "Region",
    "SensitivityResult",
    "SeriesResult",
    "SessionResult",
    "Technique",
    "Trial",
    "TrialResult",
    "__version__",
    "default_parameters",
    "deliver",
    "get_compound",
    "get_device",
    "get_site",
    "plan",
    "print_citations",
    "run_series",
    "run_trial",
    "sensitivity",
    "simulate",
]


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'needling' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
