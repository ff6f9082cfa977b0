"""What ``needling sensitivity simulate|deliver|series`` analyses: the outputs of each model, and its parameters.

Each target turns one model call into a function of the parameter set returning named outputs, read
from the result's stable ``to_json()`` keys (so the names are the ones the ``--json`` documents use):

* ``simulate``: ``depth_um.mean``, ``channels_per_cm2``, ``bleeding.strikes_per_cm2``, ``pain.vas``
  (the closed-form session, :func:`~needling.simulation.quick_session`);
* ``deliver``: ``cumulative_ug_per_cm2``, ``enhancement_ratio``, ``channel_half_life_h``;
* ``series``: ``final.grade_mean`` (acne scars), the indication's final measure,
  ``final.collagen_change_pct``, ``adverse_events.pih``.

:func:`used_parameters` names the parameters a result relied on (its ``sources``), which is the default
set to vary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from needling.parameters import ParameterValues, resolve

TARGETS = ("simulate", "deliver", "series")

SESSION_OUTPUTS = ("depth_um.mean", "channels_per_cm2", "bleeding.strikes_per_cm2", "pain.vas")
DELIVERY_OUTPUTS = ("cumulative_ug_per_cm2", "enhancement_ratio", "channel_half_life_h")
SERIES_OUTPUTS = (
    "final.grade_mean",
    "final.hair_count_change_mean",
    "final.improvement_pct_mean",
    "final.collagen_change_pct",
    "adverse_events.pih",
)


def pick(doc: Mapping[str, Any], keys: Iterable[str]) -> dict[str, float]:
    """The numeric values at dotted ``keys`` of a JSON document (keys absent or not numbers are skipped).

    Parameters
    ----------
    doc : mapping
        A result's ``to_json()`` document.
    keys : iterable of str
        Dotted paths, e.g. ``"depth_um.mean"``.

    Returns
    -------
    dict of str to float
        The values found, by key.

    Examples
    --------
    >>> pick({"depth_um": {"mean": 880.5}, "endpoint": "erythema"}, ["depth_um.mean", "endpoint", "pain.vas"])
    {'depth_um.mean': 880.5}
    """
    out: dict[str, float] = {}
    for key in keys:
        node: Any = doc
        for part in key.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if isinstance(node, int | float) and not isinstance(node, bool):
            out[key] = float(node)
    return out


def outputs_of(call: Callable[[ParameterValues], Any], keys: Iterable[str]) -> Callable[[ParameterValues], dict]:
    """``call(pv).to_json()`` reduced to the numeric ``keys``: a function :func:`sensitivity` can run.

    Parameters
    ----------
    call : callable
        Runs the model with a parameter set and returns a result with ``to_json()``.
    keys : iterable of str
        The outputs, as dotted ``--json`` keys.

    Returns
    -------
    callable
        ``fn(pv) -> dict`` of the outputs.
    """
    wanted = tuple(keys)

    def fn(pv: ParameterValues) -> dict[str, float]:
        return pick(call(pv).to_json(), wanted)

    return fn


def used_parameters(sources: Iterable[str], parameters: ParameterValues | None = None) -> list[str]:
    """Return the names of the parameters behind a result's ``sources`` keys that can be varied.

    An ``assumption:<name>`` key is that assumption; a bibliography key stands for every cited value from
    that source. Integer-valued parameters (solver iterations, quadrature nodes) and values of zero without
    a spread (no range to sample) are left out.

    Parameters
    ----------
    sources : iterable of str
        A result's ``sources``: bibliography keys and ``assumption:<name>`` keys.
    parameters : ParameterValues, optional
        The set to look the names up in (default set when None).

    Returns
    -------
    list of str
        Parameter names, in the set's order.
    """
    pv = resolve(parameters)
    keys = set(sources)
    names = []
    for name in pv:
        p = pv[name]
        if p.key not in keys:
            continue
        if isinstance(p.value, int) or (p.value == 0 and not p.sd):
            continue
        names.append(name)
    return names
