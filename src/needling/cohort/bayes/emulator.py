"""A cheap surrogate of the outcome model over the calibrated parameters, validated against the model.

The model is run (``run_trial`` with the same virtual patients, so the surface is smooth in the
parameters) at a scrambled Sobol design over the standardised box the priors are truncated to; a
thin-plate-spline radial basis interpolator (:class:`scipy.interpolate.RBFInterpolator`) with a little
smoothing (the virtual patients' Monte-Carlo noise) maps parameters to every endpoint on its transformed
scale. Every fifth design point is kept out of a first fit to measure the emulator's error against the
model; the shipped emulator is then fitted on every point.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import RBFInterpolator
from scipy.stats import qmc

from needling.cohort.bayes.data import LOGIT_FAMILIES, Datum, model_values, to_z
from needling.cohort.bayes.priors import PRIOR_TRUNCATION
from needling.cohort.bayes.space import Space
from needling.cohort.trial import Trial, run_trial
from needling.parameters import ParameterValues, resolve

#: Virtual patients per arm in each design run (the same seed at every point).
DESIGN_PATIENTS = 800
SMOOTHING = 1e-3


def forward(
    trials: list[Trial],
    data: list[Datum],
    space: Space,
    u: np.ndarray,
    base: ParameterValues | None = None,
    n: int = DESIGN_PATIENTS,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Run the model at the point ``u``: every datum's arm mean and per-patient sd, in ``data`` order.

    Parameters
    ----------
    trials : list of Trial
        The trials.
    data : list of Datum
        Their published endpoints.
    space : Space
        The calibrated parameters.
    u : numpy.ndarray
        The point, standardised (one value per calibrated parameter).
    base : ParameterValues, optional
        The parameter set the point changes (default: the default set).
    n : int
        Virtual patients per arm.
    seed : int
        Seed of the virtual patients.

    Returns
    -------
    tuple of numpy.ndarray
        Arm means and per-patient standard deviations, in the endpoints' units (NaN for a datum of no trial).
    """
    pv = space.parameters_at(u, base)
    means = np.full(len(data), np.nan)
    sds = np.full(len(data), np.nan)
    for t in trials:
        idx = [i for i, d in enumerate(data) if d.trial == t.name]
        if not idx:
            continue
        result = run_trial(t, n=n, seed=seed, parameters=pv)
        m, s = model_values(result, [data[i] for i in idx])
        means[idx], sds[idx] = m, s
    return means, sds


def transform(data: list[Datum], means: np.ndarray, n: int = DESIGN_PATIENTS) -> np.ndarray:
    """Return model means (..., M) on each datum's transformed scale.

    Parameters
    ----------
    data : list of Datum
        The M published endpoints.
    means : numpy.ndarray
        Model means, last axis one per datum, in the endpoints' units.
    n : int
        Virtual patients behind a fraction (keeps it off 0 and 1).

    Returns
    -------
    numpy.ndarray
        The same shape, on the transformed scales.
    """
    out = np.empty_like(np.asarray(means, float))
    for i, d in enumerate(data):
        out[..., i] = to_z(d.family, means[..., i], d.sign, n)
    return out


def _surface(data: list[Datum], means: np.ndarray) -> np.ndarray:
    """What is interpolated: fractions as they are (bounded, smooth), other means transformed."""
    out = np.empty_like(np.asarray(means, float))
    for i, d in enumerate(data):
        out[..., i] = means[..., i] if _bounded(d) else to_z(d.family, means[..., i], d.sign)
    return out


def _bounded(d: Datum) -> bool:
    return d.family in LOGIT_FAMILIES or d.family == "improvement"


def _from_surface(data: list[Datum], y: np.ndarray) -> np.ndarray:
    out = np.empty_like(y)
    for i, d in enumerate(data):
        out[..., i] = to_z(d.family, y[..., i], d.sign, DESIGN_PATIENTS) if _bounded(d) else y[..., i]
    return out


@dataclass
class Emulator:
    """Transformed model outputs as a function of standardised parameters, with its measured error.

    ``error_sd`` is the root-mean-square error of each output on the points held out of the first fit
    (transformed scale); it is added to the likelihood's variance so that the emulator's own error widens
    the posterior rather than biasing it.

    Attributes
    ----------
    data : list of Datum
        The published numbers whose model values are emulated.
    design : numpy.ndarray
        The design points, standardised parameters, (points, dim).
    outputs : numpy.ndarray
        The model's values at the design points as interpolated (fractions as they are, other means
        transformed), (points, data).
    error_sd : numpy.ndarray
        Root-mean-square error of each output on the held-out points, transformed scale.
    max_error : numpy.ndarray
        Largest absolute error of each output on the held-out points, transformed scale.
    """

    data: list[Datum]
    design: np.ndarray
    outputs: np.ndarray
    error_sd: np.ndarray
    max_error: np.ndarray
    _fit: RBFInterpolator

    def __call__(self, u: np.ndarray) -> np.ndarray:
        """Transformed outputs (W, M) at points ``u`` (W, dim)."""
        return _from_surface(self.data, np.asarray(self._fit(np.atleast_2d(u))))


def fewest_points(dim: int) -> int:
    """Return the smallest design whose first fit (four points in five) still has dim + 2 points.

    Parameters
    ----------
    dim : int
        Number of calibrated parameters.

    Returns
    -------
    int
        Design points.
    """
    return -(-5 * (dim + 2) // 4) + 1


def _rbf(x: np.ndarray, y: np.ndarray) -> RBFInterpolator:
    return RBFInterpolator(x, y, kernel="thin_plate_spline", degree=1, smoothing=SMOOTHING)


def build(
    trials: list[Trial],
    data: list[Datum],
    space: Space,
    points: int = 256,
    base: ParameterValues | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Emulator:
    """Run the model at a Sobol design of ``points`` and fit the emulator of every datum.

    Parameters
    ----------
    trials, data : list
        The trials and their published endpoints (all of them: calibration and held-out).
    space : Space
        The calibrated parameters.
    points : int
        Design size (a power of two keeps the Sobol sequence balanced).
    base : ParameterValues, optional
        The parameter set the draws change (default: the default set).
    seed : int
        Seed of the scrambled design and of the virtual patients.
    progress : callable, optional
        Called with (done, total) after each design point.

    Returns
    -------
    Emulator
        The RBF emulator of every datum, with its held-out error.
    """
    pv = resolve(base)
    with warnings.catch_warnings():  # any size is allowed; a power of two keeps the sequence balanced
        warnings.simplefilter("ignore", UserWarning)
        sobol = qmc.Sobol(space.dim, scramble=True, seed=seed).random(points)
    x = PRIOR_TRUNCATION * (2.0 * sobol - 1.0)
    x[0] = 0.0
    y = np.empty((points, len(data)))
    for k in range(points):
        means, _ = forward(trials, data, space, x[k], pv, seed=seed)
        y[k] = _surface(data, means)
        if progress:
            progress(k + 1, points)
    test = np.arange(points) % 5 == 4
    first = _rbf(x[~test], y[~test])
    err = _from_surface(data, first(x[test])) - _from_surface(data, y[test])
    return Emulator(data, x, y, np.sqrt(np.mean(err**2, axis=0)), np.max(np.abs(err), axis=0), _rbf(x, y))
