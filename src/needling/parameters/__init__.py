"""Parameters of the models, as named, cited values (``needling parameters list``).

Each topic module (:mod:`~needling.parameters.mechanics`, :mod:`~needling.parameters.transport`,
:mod:`~needling.parameters.healing`, :mod:`~needling.parameters.cohort`) defines its Cited values and
Assumptions; :class:`ParameterValues` gathers them by name so that the models take them as an argument
(``parameters=None`` is the default set) instead of reading module globals.
"""

from __future__ import annotations

import importlib
from functools import cache

from needling.errors import unknown_name_error
from needling.parameters.values import ParameterValues, cached_on_parameters, kebab, resolve

#: The topics of the default set and the module that defines each.
TOPICS: dict[str, str] = {
    "mechanics": "needling.parameters.mechanics",
    "transport": "needling.parameters.transport",
    "healing": "needling.parameters.healing",
    "cohort": "needling.parameters.cohort",
}


@cache
def _topic(name: str) -> ParameterValues:
    if name not in TOPICS:
        raise unknown_name_error("topic", name, TOPICS, field="topic")
    return ParameterValues.from_module(importlib.import_module(TOPICS[name]), name)


def load_topics(*topics: str) -> ParameterValues:
    """Return a changeable set of the given topics (all of them when none is named).

    Parameters
    ----------
    *topics : str
        Topic names (see :data:`TOPICS`); none for every topic.

    Returns
    -------
    ParameterValues
        A copy that :meth:`ParameterValues.update` may change.
    """
    out = ParameterValues()
    for t in topics or tuple(TOPICS):
        out = out | _topic(t)
    return out


@cache
def default_parameters() -> ParameterValues:
    """The shared, read-only default set: every topic. Take a copy to change it (``ParameterValues.default()``)."""
    full = load_topics()
    return ParameterValues(dict(full.items()), topics={k: full.topic(k) for k in full}, read_only=True)


__all__ = [
    "TOPICS",
    "ParameterValues",
    "cached_on_parameters",
    "default_parameters",
    "kebab",
    "load_topics",
    "resolve",
]
