"""The calibrated parameters as a standardised space: u = 0 is the prior's centre, one unit one prior sd."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass

import numpy as np

from needling.parameters import ParameterValues, resolve
from needling.parameters.healing_priors import Prior, priors


@dataclass(frozen=True)
class Space:
    """The calibrated parameters (``healing-calibrated`` priors present in the set) and their scales.

    Attributes
    ----------
    priors : tuple of Prior
        The prior of each calibrated parameter, in order.
    """

    priors: tuple[Prior, ...]

    @classmethod
    def of(cls, parameters: ParameterValues | None = None) -> Space:
        """Return the space of every calibrated parameter that ``parameters`` holds.

        Parameters
        ----------
        parameters : ParameterValues, optional
            The parameter set (default: the default set).

        Returns
        -------
        Space
            The calibrated parameters with their priors.
        """
        return cls(tuple(priors(parameters).values()))

    @property
    def names(self) -> tuple[str, ...]:
        """Parameter names, in order."""
        return tuple(p.name for p in self.priors)

    @property
    def dim(self) -> int:
        """Number of calibrated parameters."""
        return len(self.priors)

    def values(self, u: np.ndarray, parameters: ParameterValues | None = None) -> np.ndarray:
        """Return the parameter values (own units) at standardised points ``u`` (..., dim), kept inside their bounds.

        Parameters
        ----------
        u : numpy.ndarray
            Standardised points.
        parameters : ParameterValues, optional
            The set whose bounds apply (default: the default set).

        Returns
        -------
        numpy.ndarray
            The same shape, each value in its parameter's unit.
        """
        pv = resolve(parameters)
        u = np.asarray(u, float)
        out = np.empty_like(u)
        for k, p in enumerate(self.priors):
            x = p.mu + p.sigma * u[..., k]
            x = np.exp(x) if p.scale == "log" else x
            bounds = getattr(pv[p.name], "bounds", None)
            if bounds is not None:
                x = np.clip(x, bounds[0], bounds[1])
            out[..., k] = x
        return out

    def to_u(self, values: np.ndarray) -> np.ndarray:
        """Return the standardised points of parameter values (..., dim).

        Parameters
        ----------
        values : numpy.ndarray
            Parameter values, each in its own unit.

        Returns
        -------
        numpy.ndarray
            The same shape, standardised by the priors.
        """
        v = np.asarray(values, float)
        out = np.empty_like(v)
        for k, p in enumerate(self.priors):
            x = np.log(v[..., k]) if p.scale == "log" else v[..., k]
            out[..., k] = (x - p.mu) / p.sigma
        return out

    def parameters_at(self, u: np.ndarray, base: ParameterValues | None = None) -> ParameterValues:
        """Return a copy of ``base`` with the calibrated parameters set to the point ``u``.

        Parameters
        ----------
        u : numpy.ndarray
            A standardised point (dim,).
        base : ParameterValues, optional
            The set to change (default: the default set).

        Returns
        -------
        ParameterValues
            A changed copy.
        """
        pv = resolve(base).copy()
        x = self.values(u, pv)
        pv.update({n: float(v) for n, v in zip(self.names, x, strict=True)}, reason="calibration draw")
        return pv


#: Topics the cohort forward model never reads (it does not call the transport model), left out of the
#: fingerprint so that a change to uptake does not mark a healing posterior as fitted to another model.
UNUSED_TOPICS: frozenset[str] = frozenset({"transport"})


def model_fingerprint(parameters: ParameterValues | None = None) -> str:
    """A short hash of the cohort model: its parameters and the measurement model.

    The parameters are names and values (``UNUSED_TOPICS`` left out); the measurement model maps the model's
    outputs to the trials' scales (:func:`~needling.cohort.bayes.data.measurement_model`).

    It changes when the model a calibration fitted changes.

    Parameters
    ----------
    parameters : ParameterValues, optional
        The parameter set (default: the default set).

    Returns
    -------
    str
        Hexadecimal digest (its first characters).
    """
    from needling.cohort.bayes.data import measurement_model  # the trials' module tree, loaded when needed

    pv = resolve(parameters)
    doc: list[object] = [
        [k, round(float(v), 12) if math.isfinite(v) else str(v)]
        for k, v in pv.fingerprint
        if pv.topic(k) not in UNUSED_TOPICS
    ]
    doc.append(["measurement-model", measurement_model()])
    return hashlib.sha256(json.dumps(doc).encode()).hexdigest()[:16]
