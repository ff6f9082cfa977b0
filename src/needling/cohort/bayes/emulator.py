"""A cheap surrogate of the outcome model over the calibrated parameters, validated against the model.

The model is run (``run_trial`` with the same virtual patients, so the surface is smooth in the
parameters) at a scrambled Sobol design over the standardised box the priors are truncated to; a
thin-plate-spline radial basis interpolator (:class:`scipy.interpolate.RBFInterpolator`) with a little
smoothing (the virtual patients' Monte-Carlo noise) maps parameters to every endpoint on its transformed
scale. Every fifth design point is kept out of a first fit to measure the emulator's error against the
model; the shipped emulator is then fitted on every point. :func:`refine` adds points where a pilot
posterior lies and measures the error there, where the likelihood needs it.
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
    the posterior rather than biasing it. After :func:`refine` it is the error where the pilot posterior
    lies, and ``box_error_sd`` keeps the error over the whole box the priors are truncated to, for what is
    predicted from draws that may lie elsewhere (a fit without one of the trials).

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
    box_error_sd : numpy.ndarray
        Root-mean-square error of each output over the whole box (the first design's held-out points).
    """

    data: list[Datum]
    design: np.ndarray
    outputs: np.ndarray
    error_sd: np.ndarray
    max_error: np.ndarray
    box_error_sd: np.ndarray
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
    with warnings.catch_warnings():  # any size is allowed; a power of two keeps the sequence balanced
        warnings.simplefilter("ignore", UserWarning)
        sobol = qmc.Sobol(space.dim, scramble=True, seed=seed).random(points)
    x = PRIOR_TRUNCATION * (2.0 * sobol - 1.0)
    x[0] = 0.0
    y = _run(trials, data, space, x, resolve(base), seed, progress)
    return _measured(data, x, y, np.arange(points) % 5 == 4)


def refine(
    em: Emulator,
    trials: list[Trial],
    data: list[Datum],
    space: Space,
    x: np.ndarray,
    base: ParameterValues | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Emulator:
    """Add design points ``x`` where a pilot posterior lies, and measure the emulator's error there.

    The first design spans the whole box the priors are truncated to, where the grade shares turn from 0 to 1
    within a fraction of a prior standard deviation; its held-out error, averaged over that box, was two to five
    times the error where the posterior lies (Garg & Baveja's grade 3 -> 2: 1.38 against 0.31 on the logit
    scale), so the likelihood treated the trials as that much less informative than they are. Points drawn from
    a pilot fit (on the first design's error, wider than the final posterior) are run, every fifth is kept out
    of a fit on the first design and the other new points, and the error on those is the error where the
    posterior is; the emulator is then fitted on every point.

    Parameters
    ----------
    em : Emulator
        The emulator of the first design.
    trials, data : list
        The trials and their published endpoints, as for :func:`build`.
    space : Space
        The calibrated parameters.
    x : numpy.ndarray
        The new points, standardised, (points, dim): draws of a pilot posterior.
    base : ParameterValues, optional
        The parameter set the points change (default: the default set).
    seed : int
        Seed of the virtual patients (the first design's).
    progress : callable, optional
        Called with (done, total) after each new point.

    Returns
    -------
    Emulator
        The emulator on both designs, with the error measured on the new points held out.
    """
    x = np.clip(np.atleast_2d(x), -PRIOR_TRUNCATION, PRIOR_TRUNCATION)
    y = _run(trials, data, space, x, resolve(base), seed, progress)
    held = np.concatenate([np.zeros(len(em.design), bool), np.arange(len(x)) % 5 == 4])
    return _measured(data, np.vstack([em.design, x]), np.vstack([em.outputs, y]), held, em.box_error_sd)


def _run(
    trials: list[Trial],
    data: list[Datum],
    space: Space,
    x: np.ndarray,
    pv: ParameterValues,
    seed: int,
    progress: Callable[[int, int], None] | None,
) -> np.ndarray:
    """The model's outputs as interpolated (:func:`_surface`) at every point of ``x``, (points, data)."""
    y = np.empty((len(x), len(data)))
    for k in range(len(x)):
        means, _ = forward(trials, data, space, x[k], pv, seed=seed)
        y[k] = _surface(data, means)
        if progress:
            progress(k + 1, len(x))
    return y


def _measured(
    data: list[Datum], x: np.ndarray, y: np.ndarray, held: np.ndarray, box_error_sd: np.ndarray | None = None
) -> Emulator:
    """The emulator on every point, with its error measured on the points ``held`` out of a first fit (and the
    error over the whole box, ``box_error_sd``: that same error when None)."""
    first = _rbf(x[~held], y[~held])
    err = _from_surface(data, first(x[held])) - _from_surface(data, y[held])
    rms = np.sqrt(np.mean(err**2, axis=0))
    box = rms if box_error_sd is None else box_error_sd
    return Emulator(data, x, y, rms, np.max(np.abs(err), axis=0), box, _rbf(x, y))
