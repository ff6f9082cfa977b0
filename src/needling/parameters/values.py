"""Parameter values as an object: name -> :class:`Cited` or :class:`Assumption`, passed into the models.

Every model function takes ``parameters: ParameterValues | None = None``; None means the default set
(:func:`default_parameters`). A set is a read-only mapping unless it is a copy: take one with
:meth:`ParameterValues.default` (or :meth:`ParameterValues.copy`) and change it with
:meth:`ParameterValues.update`, which checks the names, the units and the physical bounds::

    >>> from needling.parameters import ParameterValues
    >>> pv = ParameterValues.default()
    >>> pv.update({"dimple-depth-reference": (0.12, "mm")})
    >>> round(pv["dimple-depth-reference"].value, 9), pv["dimple-depth-reference"].unit
    (120.0, 'um')

Names: an assumption is known by its own name (``dimple-depth-reference``); a cited value by the name of
the parameter in its topic module, in kebab case (``PUNCTURE_FORCE_PER_NEEDLE`` ->
``puncture-force-per-needle``); entries of a table of parameters add their key
(``HAND_FORCE["light"]`` is the assumption ``roller-hand-force-light``).
"""

from __future__ import annotations

import difflib
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import wraps
from types import ModuleType
from typing import Any, TypeVar

from needling.errors import InputError, unknown_name_error
from needling.evidence import Assumption, Cited
from needling.units import convert, dimension, units_of

#: What a user may give :meth:`ParameterValues.update` for one name.
NewValue = float | int | tuple[float, str] | str | Cited | Assumption


class UnknownParameterError(InputError, KeyError):
    """A parameter name that is not in the set: an :class:`InputError` (one line) and a ``KeyError`` (mapping)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _unknown(name: str, valid: Iterable[str]) -> UnknownParameterError:
    names = sorted(valid)
    near = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(near)}? " if near else ""
    listing = ", ".join(names) if len(names) <= 20 else "see `needling parameters list`"
    return UnknownParameterError(f"unknown parameter {name!r}; {hint}valid: {listing}", field="parameters")


def kebab(name: str) -> str:
    """Return a constant's name in kebab case: ``PUNCTURE_FORCE_PER_NEEDLE`` -> ``puncture-force-per-needle``.

    Parameters
    ----------
    name : str
        A module constant's name.

    Returns
    -------
    str
        Lower case, words joined by hyphens.
    """
    return name.strip("_").lower().replace("_", "-")


def _parse_quantity(name: str, text: str) -> tuple[float, str]:
    parts = text.split()
    if len(parts) != 2:
        raise InputError(f"{name}: cannot read {text!r}; valid: a number and a unit, e.g. '0.12 mm'", field=name)
    try:
        return float(parts[0]), parts[1]
    except ValueError:
        raise InputError(f"{name}: {parts[0]!r} is not a number; valid: e.g. '0.12 mm'", field=name) from None


class ParameterValues(Mapping[str, Cited | Assumption]):
    """A set of named parameters, each a :class:`Cited` value or an :class:`Assumption`.

    Parameters
    ----------
    values : mapping of str to Cited or Assumption, optional
        The parameters by name.
    topics : mapping of str to str, optional
        The topic of each name (``"mechanics"``, ``"transport"``, ...); ``"other"`` where not given.
    read_only : bool
        A read-only set refuses :meth:`update` (the shared default set is read-only).
    """

    def __init__(
        self,
        values: Mapping[str, Cited | Assumption] | None = None,
        *,
        topics: Mapping[str, str] | None = None,
        read_only: bool = False,
    ) -> None:
        self._values: dict[str, Cited | Assumption] = dict(values or {})
        self._topics: dict[str, str] = {k: (topics or {}).get(k, "other") for k in self._values}
        self._read_only = read_only
        self._fingerprint: tuple[tuple[str, float], ...] | None = None
        for k, v in self._values.items():
            if not isinstance(v, Cited | Assumption):
                raise TypeError(f"parameter {k!r} must be Cited or Assumption, not {type(v).__name__}")

    # --- building ---------------------------------------------------------------------------------------
    @classmethod
    def from_module(cls, module: ModuleType, topic: str) -> ParameterValues:
        """Collect every Cited value and Assumption defined in ``module`` (and in its dict tables), as one topic.

        Parameters
        ----------
        module : module
            A parameter module such as :mod:`needling.parameters.mechanics`.
        topic : str
            The topic name the parameters are filed under.

        Returns
        -------
        ParameterValues
            The module's parameters, named in kebab case.
        """
        values: dict[str, Cited | Assumption] = {}
        for var, obj in vars(module).items():
            if isinstance(obj, Cited | Assumption):
                items: list[tuple[str, Cited | Assumption]] = [(kebab(var), obj)]
            elif isinstance(obj, dict) and obj and all(isinstance(v, Cited | Assumption) for v in obj.values()):
                items = [(f"{kebab(var)}-{kebab(str(k))}", v) for k, v in obj.items()]
            elif (
                isinstance(obj, tuple)
                and obj
                and all(isinstance(e, tuple) and len(e) == 2 and isinstance(e[1], Cited | Assumption) for e in obj)
            ):  # a table of (key, parameter) rows, e.g. minimum intervals by needle length
                items = [(f"{kebab(var)}-{kebab(str(k))}", v) for k, v in obj]
            else:
                continue
            for derived, p in items:
                name = p.name if isinstance(p, Assumption) else derived
                if name in values and values[name] is not p:
                    raise ValueError(f"two parameters named {name!r} in {module.__name__}")
                values[name] = p
        return cls(values, topics=dict.fromkeys(values, topic))

    @classmethod
    def default(cls) -> ParameterValues:
        """A changeable copy of the default set (every topic of :mod:`needling.parameters`)."""
        return default_parameters().copy()

    @classmethod
    def load(cls, *topics: str) -> ParameterValues:
        """Return a changeable set of the named topics (see :data:`needling.parameters.TOPICS`).

        Parameters
        ----------
        *topics : str
            Topic names; none for every topic.

        Returns
        -------
        ParameterValues
            A copy that :meth:`update` may change.
        """
        from needling.parameters import load_topics

        return load_topics(*topics)

    def copy(self) -> ParameterValues:
        """Return a changeable copy.

        Returns
        -------
        ParameterValues
            The same names and values; changing it leaves this set as it is.
        """
        return ParameterValues(self._values, topics=self._topics)

    def __or__(self, other: ParameterValues) -> ParameterValues:
        """The union of two sets; where both name a parameter, ``other``'s value wins."""
        if not isinstance(other, ParameterValues):
            return NotImplemented
        values = {**self._values, **other._values}
        topics = {**self._topics, **other._topics}
        return ParameterValues(values, topics=topics)

    def select(self, topic: str | None = None, source: str | None = None) -> ParameterValues:
        """Return the parameters of one topic and/or one source key (``"Kalluri2011"``, ``"assumption"``).

        Parameters
        ----------
        topic : str or None
            Keep only this topic.
        source : str or None
            Keep only parameters from this bibliography key, or ``assumption`` for every named assumption.

        Returns
        -------
        ParameterValues
            The selected parameters.
        """
        if topic is not None and topic not in self.topics():
            raise unknown_name_error("topic", topic, self.topics(), field="topic")
        keep = {
            k: v
            for k, v in self._values.items()
            if (topic is None or self._topics[k] == topic)
            and (source is None or v.source == source or (source == "assumption" and isinstance(v, Assumption)))
        }
        return ParameterValues(keep, topics=self._topics)

    def select_names(self, names: Iterable[str]) -> ParameterValues:
        """Return the named parameters only (each name must exist).

        Parameters
        ----------
        names : iterable of str
            Parameter names.

        Returns
        -------
        ParameterValues
            Those parameters.

        Raises
        ------
        InputError
            For an unknown name (with the nearest names).
        """
        return ParameterValues({n: self[n] for n in names}, topics=self._topics)

    # --- reading ----------------------------------------------------------------------------------------
    def __getitem__(self, name: str) -> Cited | Assumption:
        try:
            return self._values[name]
        except KeyError:
            raise _unknown(name, self._values) from None

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"ParameterValues({len(self)} parameters, topics: {', '.join(self.topics())})"

    def si(self, name: str) -> float:
        """Return the value of ``name`` in SI units.

        Parameters
        ----------
        name : str
            The parameter's name (``needling parameters list``).

        Returns
        -------
        float
            The value, SI.
        """
        return self[name].si

    def value(self, name: str) -> float:
        """Return the value of ``name`` in its own unit.

        Parameters
        ----------
        name : str
            The parameter's name (``needling parameters list``).

        Returns
        -------
        float
            The value, in the parameter's ``unit``.
        """
        return self[name].value

    def values_of(self, names: Iterable[str]) -> tuple[float, ...]:
        """Return the values (own units) of several names, for caching a computation on exactly what it reads.

        Parameters
        ----------
        names : iterable of str
            Parameter names.

        Returns
        -------
        tuple of float
            Their values, each in its parameter's own unit, in the order given.
        """
        return tuple(self[n].value for n in names)

    def topic(self, name: str) -> str:
        """Return the topic ``name`` belongs to.

        Parameters
        ----------
        name : str
            The parameter's name (``needling parameters list``).

        Returns
        -------
        str
            The topic.
        """
        self[name]
        return self._topics[name]

    def topics(self) -> list[str]:
        """Return the topics present, sorted.

        Returns
        -------
        list of str
            Topic names.
        """
        return sorted(set(self._topics.values()))

    def find_key(self, key: str) -> str | None:
        """Return the name of the parameter whose source key is ``key`` (``assumption:...``), if any.

        Parameters
        ----------
        key : str
            A source key, e.g. ``assumption:tip-radius``.

        Returns
        -------
        str or None
            The parameter's name, or None when no parameter has that key.
        """
        if key.startswith("assumption:") and key[len("assumption:") :] in self._values:
            return key[len("assumption:") :]
        return next((k for k, v in self._values.items() if isinstance(v, Assumption) and v.key == key), None)

    @property
    def fingerprint(self) -> tuple[tuple[str, float], ...]:
        """Names and values, hashable: two sets with the same fingerprint give the same results."""
        if self._fingerprint is None:
            self._fingerprint = tuple((k, float(v.value)) for k, v in self._values.items())
        return self._fingerprint

    def describe(self, name: str) -> dict[str, Any]:
        """Return everything known about one parameter, JSON-ready (``needling parameters show``).

        Parameters
        ----------
        name : str
            The parameter's name (``needling parameters list``).

        Returns
        -------
        dict
            ``name``, ``topic``, ``value`` and ``unit``, ``sd``, ``bounds``, ``key``, ``grade``, ``kind`` (``cited`` or
            ``assumption``), ``source``, ``locator``, ``note``, ``reasoning`` and ``fitted_to``.
        """
        p = self[name]
        out: dict[str, Any] = {
            "name": name,
            "topic": self._topics[name],
            "value": p.value,
            "unit": p.unit,
            "sd": p.sd,
            "bounds": None if p.bounds is None else list(p.bounds),
            "key": p.key,
            "grade": str(p.grade),
        }
        if isinstance(p, Cited):
            out.update(kind="cited", source=p.source, locator=p.locator, note=p.note, reasoning=None)
        else:
            out.update(kind="assumption", source=p.key, locator=None, note=None, reasoning=p.reasoning)
        out["fitted_to"] = p.fitted_to or None
        return out

    # --- changing ---------------------------------------------------------------------------------------
    def update(self, new: Mapping[str, NewValue], reason: str = "") -> None:
        """Set parameters by name, checking names, units and bounds.

        Parameters
        ----------
        new : mapping
            Name -> a number in the parameter's own unit, ``(number, unit)``, ``"number unit"``, or a
            Cited value / Assumption of the same dimension.
        reason : str, optional
            Why the value was changed; kept in the new assumption's reasoning.

        Raises
        ------
        InputError
            For an unknown name (with the nearest names), a unit of another dimension (with the valid
            units), a value that is not finite or lies outside the parameter's physical bounds.
        """
        if self._read_only:
            raise TypeError(
                "the default parameter set is shared and read-only; change a copy: ParameterValues.default()"
            )
        staged = {name: self._new_parameter(name, value, reason) for name, value in new.items()}
        self._values.update(staged)
        self._fingerprint = None

    def _new_parameter(self, name: str, value: NewValue, reason: str) -> Cited | Assumption:
        old = self[name]
        if isinstance(value, Cited | Assumption):
            self._check_unit(name, old.unit, value.unit)
            return value
        if isinstance(value, str):
            number, unit = _parse_quantity(name, value)
        elif isinstance(value, tuple):
            if len(value) != 2 or not isinstance(value[1], str):
                raise InputError(f"{name}: give (value, unit), e.g. (0.12, 'mm'); got {value!r}", field=name)
            number, unit = float(value[0]), value[1]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            number, unit = float(value), old.unit
        else:
            raise InputError(f"{name}: {value!r} is not a value; valid: a number in {old.unit}, or (value, unit)")
        self._check_unit(name, old.unit, unit)
        number = convert(number, unit, old.unit)
        if not math.isfinite(number):
            raise InputError(f"{name} = {number} is not a finite number", field=name)
        if old.bounds is not None and not old.bounds[0] <= number <= old.bounds[1]:
            lo, hi = old.bounds
            raise InputError(
                f"{name} = {number:g} {old.unit} is out of its physical bounds; valid: {lo:g} to {hi:g} {old.unit}",
                field=name,
            )
        why = f"Set in place of {old.value:g} {old.unit} ({old.key})" + (f": {reason}" if reason else ".")
        fitted = getattr(old, "fitted_to", "")
        return Assumption(name, number, old.unit, why, bounds=old.bounds, fitted_to=fitted, registered=False)

    @staticmethod
    def _check_unit(name: str, own: str, unit: str) -> None:
        try:
            same = dimension(unit) == dimension(own)
        except ValueError:
            same = False
        if not same:
            valid = ", ".join(units_of(dimension(own)))
            raise InputError(f"{name}: unit {unit!r} does not fit a parameter in {own}; valid: {valid}", field=name)


def default_parameters() -> ParameterValues:
    """Return the shared, read-only default set (every topic of :mod:`needling.parameters`).

    Returns
    -------
    ParameterValues
        The default set; :meth:`ParameterValues.copy` gives one that may be changed.
    """
    from needling.parameters import default_parameters as _default

    return _default()


def resolve(parameters: ParameterValues | None) -> ParameterValues:
    """Return ``parameters``, or the default set for None (what every model function does first).

    Parameters
    ----------
    parameters : ParameterValues or None
        A parameter set, or None for :func:`default_parameters`.

    Returns
    -------
    ParameterValues
        The set to read.
    """
    if parameters is None:
        return default_parameters()
    if not isinstance(parameters, ParameterValues):
        raise TypeError(f"parameters must be ParameterValues or None, not {type(parameters).__name__}")
    return parameters


_R = TypeVar("_R")


def cached_on_parameters(maxsize: int = 128) -> Callable[[Callable[..., _R]], Callable[..., _R]]:
    """Cache a function ``f(pv, *args)`` on the parameter set's fingerprint and its other arguments.

    The decorated function is called as ``f(*args, parameters=None)``; two parameter sets with the same
    names and values share a cache entry, so a changed copy never sees the default set's results.

    Parameters
    ----------
    maxsize : int
        Entries kept (least recently used first out).

    Returns
    -------
    callable
        The decorator.
    """

    def decorate(fn: Callable[..., _R]) -> Callable[..., _R]:
        store: OrderedDict[tuple[Any, ...], _R] = OrderedDict()
        lock = threading.Lock()  # the clinic plans in several threads at once

        @wraps(fn)
        def wrapper(*args: Any, parameters: ParameterValues | None = None) -> _R:
            pv = resolve(parameters)
            key = (pv.fingerprint, args)
            with lock:
                if key in store:
                    store.move_to_end(key)
                    return store[key]
            out = fn(pv, *args)  # computed outside the lock: two threads may both compute a new entry, once
            with lock:
                store[key] = out
                if len(store) > maxsize:
                    store.popitem(last=False)
            return out

        wrapper.cache_clear = store.clear  # type: ignore[attr-defined]
        return wrapper

    return decorate
