"""Every named parameter of needling in one :class:`ParameterValues`: the models' default set and the data.

The models' default set (:func:`needling.parameters.default_parameters`) has the topics mechanics,
transport, healing and cohort; the catalogue adds the numbers of the data layers and the planner
(anatomy, devices, compounds, planner, home-care) and the calibration's hyperpriors, so that every
``assumption:...`` key a result lists resolves to a name here (``needling parameters show``) whatever a run
happened to import before.
"""

from __future__ import annotations

import importlib
from functools import cache

from needling.evidence import Assumption, all_parameters
from needling.parameters import ParameterValues, default_parameters

#: The data topics beyond the models' default set, and the module that defines each.
DATA_TOPICS: dict[str, str] = {
    "anatomy": "needling.anatomy.thickness_data",
    "devices": "needling.devices.parameters",
    "compounds": "needling.compounds.data",
    "planner": "needling.planner.protocol_table",
    "home-care": "needling.planner.home_rules",
    "calibration": "needling.cohort.bayes.priors",
}


@cache
def parameter_catalogue() -> ParameterValues:
    """Every parameter by name, each in one topic (read it; take ``.copy()`` to change it)."""
    out = default_parameters().copy()
    for topic, module in DATA_TOPICS.items():
        extra = ParameterValues.from_module(importlib.import_module(module), topic)
        out = out | extra.select_names([k for k in extra if k not in out])
    # Anything registered elsewhere (a module not listed above) still resolves, under "other".
    known = {id(v) for v in out.values()}
    rest = {p.name: p for p in all_parameters() if isinstance(p, Assumption) and id(p) not in known and p.registered}
    return out | ParameterValues(rest, topics=dict.fromkeys(rest, "other"))


def resolve_name(name: str) -> str:
    """The catalogue name for ``name`` or for a result's key ``assumption:<name>``."""
    cat = parameter_catalogue()
    if name in cat:
        return name
    found = cat.find_key(name)
    if found is not None:
        return found
    cat[name]  # raises the one-line error with the nearest names
    return name
