"""The posterior of the hierarchical calibration, sampled with emcee; R-hat and ESS from ArviZ.

Statistical model (Kennedy & O'Hagan 2001), for published value i of trial j in family f, on the
transformed scale (:mod:`needling.cohort.bayes.data`)::

    z_i = eta_i(theta) + b_jf + delta_i + eps_i
    b_jf ~ N(0, tau_f^2)          trial effect: population, measurement scale, open protocol details
    delta_i ~ N(0, sigma_d^2)     model discrepancy
    eps_i ~ N(0, s_i^2 + e_i^2)   the trial's sampling error for its real patients, and the emulator's error

The trial effects are integrated out exactly (a trial's values are jointly normal), so the sampler
moves only theta (standardised, N(0, 1) truncated), log tau_f and log sigma_d (half-normal priors).
emcee's affine-invariant ensemble sampler needs no gradients (the model has none) and installs from
PyPI as pure Python; several independent ensembles are the chains of the diagnostics.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from needling.cohort.bayes.data import FAMILIES, Datum
from needling.cohort.bayes.emulator import Emulator
from needling.cohort.bayes.priors import DISCREPANCY_PRIOR_SCALE, PRIOR_TRUNCATION, TAU_PRIOR_SCALE
from needling.cohort.bayes.space import Space

#: Spreads are kept between exp(-5) and exp(5) (0.007 to 148 on the log or logit scale).
LOG_LIMIT = 5.0


@dataclass
class Likelihood:
    """The calibration data grouped by trial, with the fixed parts of their variance.

    Attributes
    ----------
    z : numpy.ndarray
        The fitted published values on the transformed scale.
    var0 : numpy.ndarray
        Their fixed variance: sampling error plus the emulator's error, transformed scale squared.
    groups : list of numpy.ndarray
        Datum indices of each trial.
    family_index : numpy.ndarray of int
        Index in ``FAMILIES`` of every datum's family.
    """

    z: np.ndarray
    var0: np.ndarray
    groups: list[np.ndarray]
    family_index: np.ndarray

    @classmethod
    def of(cls, data: list[Datum], indices: list[int], sd_z: np.ndarray, emulator: Emulator) -> Likelihood:
        """Build the likelihood of the data at ``indices`` (positions in the emulator's outputs).

        Parameters
        ----------
        data : list of Datum
            Every published endpoint.
        indices : list of int
            The ones fitted.
        sd_z : numpy.ndarray
            Each datum's sampling error on the transformed scale.
        emulator : Emulator
            The emulator (its held-out error adds to the variance).

        Returns
        -------
        Likelihood
            The data grouped by trial.
        """
        idx = np.array(indices, int)
        z = np.array([data[i].z for i in idx])
        var0 = sd_z[idx] ** 2 + emulator.error_sd[idx] ** 2
        trials = [data[i].trial for i in idx]
        groups = [idx[[k for k, t in enumerate(trials) if t == name]] for name in dict.fromkeys(trials)]
        fam = np.array([FAMILIES.index(d.family) for d in data])
        return cls(z, var0, groups, fam)


def log_posterior(
    x: np.ndarray, space: Space, emulator: Emulator, like: Likelihood, data_index: dict[int, int]
) -> np.ndarray:
    """Return the log posterior density at walkers ``x`` (W, dim + families + 1), up to a constant.

    Parameters
    ----------
    x : numpy.ndarray
        Walkers: standardised parameters, log trial-effect sd per family, log discrepancy sd.
    space : Space
        The calibrated parameters.
    emulator : Emulator
        The model's emulator.
    like : Likelihood
        The data.
    data_index : dict of int to int
        Datum index to its position in ``like``.

    Returns
    -------
    numpy.ndarray
        Log density per walker (-inf outside the priors' support).
    """
    x = np.atleast_2d(x)
    d, nf = space.dim, len(FAMILIES)
    u, log_tau, log_sd = x[:, :d], x[:, d : d + nf], x[:, d + nf]
    inside = np.all(np.abs(u) <= PRIOR_TRUNCATION, axis=1) & np.all(np.abs(log_tau) < LOG_LIMIT, axis=1)
    inside &= np.abs(log_sd) < LOG_LIMIT
    u = np.clip(u, -PRIOR_TRUNCATION, PRIOR_TRUNCATION)
    log_tau, log_sd = np.clip(log_tau, -LOG_LIMIT, LOG_LIMIT), np.clip(log_sd, -LOG_LIMIT, LOG_LIMIT)
    tau, sd = np.exp(log_tau), np.exp(log_sd)
    lp = -0.5 * np.sum(u**2, axis=1)
    lp += np.sum(-0.5 * (tau / TAU_PRIOR_SCALE.value) ** 2 + log_tau, axis=1)
    lp += -0.5 * (sd / DISCREPANCY_PRIOR_SCALE.value) ** 2 + log_sd
    mu = emulator(u)
    for g in like.groups:
        k = len(g)
        pos = np.array([data_index[i] for i in g])
        r = like.z[pos][None, :] - mu[:, g]
        fam = like.family_index[g]
        same = (fam[:, None] == fam[None, :]).astype(float)
        t2 = tau[:, fam] ** 2  # (W, k)
        cov = np.sqrt(t2)[:, :, None] * np.sqrt(t2)[:, None, :] * same[None]
        cov += np.eye(k)[None] * (like.var0[pos][None, :, None] + sd[:, None, None] ** 2)
        chol = np.linalg.cholesky(cov)
        sol = np.linalg.solve(chol, r[:, :, None])[:, :, 0]
        lp += -0.5 * np.sum(sol**2, axis=1) - np.sum(np.log(np.diagonal(chol, axis1=1, axis2=2)), axis=1)
        lp -= 0.5 * k * math.log(2 * math.pi)
    return np.where(inside, lp, -np.inf)


@dataclass
class Fit:
    """Posterior draws and their diagnostics.

    ``chains`` holds every kept sample (chains x walkers, steps, dims) for the diagnostics; ``draws`` the
    thinned draws shipped (draws, dims). Columns: the calibrated parameters (standardised), log tau of each
    family, log sigma of the discrepancy.

    Attributes
    ----------
    columns : tuple of str
        Names of the sampled quantities (see :func:`columns`).
    chains : numpy.ndarray
        Every kept sample on the sampled scale, (chains x walkers, steps, dims).
    draws : numpy.ndarray
        The thinned draws shipped on the sampled scale, (draws, dims).
    rhat : dict of str to float
        R-hat of each column (1 = converged).
    ess : dict of str to float
        Effective sample size of each column, draws.
    acceptance : float
        Mean acceptance fraction of the walkers, 0-1.
    """

    columns: tuple[str, ...]
    chains: np.ndarray
    draws: np.ndarray
    rhat: dict[str, float]
    ess: dict[str, float]
    acceptance: float


def columns(space: Space) -> tuple[str, ...]:
    """Return the names of the sampled quantities: parameters, then ``trial-effect-sd-<family>``, ``discrepancy-sd``.

    Parameters
    ----------
    space : Space
        The calibrated parameters.

    Returns
    -------
    tuple of str
        Column names of the draws.
    """
    return (*space.names, *(f"trial-effect-sd-{f}" for f in FAMILIES), "discrepancy-sd")


def sample(
    space: Space,
    emulator: Emulator,
    like: Likelihood,
    data_index: dict[int, int],
    draws: int = 1000,
    chains: int = 4,
    steps: int = 3000,
    walkers: int = 40,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    moves: str = "de",
) -> Fit:
    """Sample the posterior: ``chains`` independent emcee ensembles, the first half of each discarded.

    Parameters
    ----------
    draws : int
        Draws kept for shipping (thinned evenly from all chains).
    chains : int
        Independent ensembles (each a set of chains for R-hat).
    steps : int
        Steps per ensemble, half of them burn-in.
    walkers : int
        Walkers per ensemble.
    seed : int
        Seed of the starting points and of the moves.
    progress : callable, optional
        Called with (done, total) steps.
    space : Space
        The calibrated parameters.
    emulator : Emulator
        The model's emulator.
    like : Likelihood
        The data.
    data_index : dict of int to int
        Datum index to its position in ``like``.
    moves : {"de", "stretch"}
        Differential-evolution moves (``de``), or emcee's default stretch move.

    Returns
    -------
    Fit
        The kept draws with their diagnostics (R-hat, ESS, acceptance).
    """
    import emcee

    with warnings.catch_warnings():  # ArviZ announces its coming refactor on import
        warnings.simplefilter("ignore", FutureWarning)
        import arviz as az

    dim = space.dim + len(FAMILIES) + 1
    walkers = max(walkers, 2 * dim + 2)
    kept = []
    accepted = []
    for c in range(chains):
        rng = np.random.default_rng([seed, c])
        start = np.concatenate(
            [
                rng.normal(0.0, 0.3, (walkers, space.dim)),
                np.log(0.5) + rng.normal(0.0, 0.3, (walkers, len(FAMILIES))),
                np.log(0.2) + rng.normal(0.0, 0.3, (walkers, 1)),
            ],
            axis=1,
        )
        sampler = emcee.EnsembleSampler(
            walkers,
            dim,
            log_posterior,
            vectorize=True,
            args=(space, emulator, like, data_index),
            moves=[(emcee.moves.DEMove(), 0.8), (emcee.moves.DESnookerMove(), 0.2)] if moves == "de" else None,
        )
        sampler._random = np.random.RandomState(int(rng.integers(2**31)))  # seeded moves
        for i, _ in enumerate(sampler.sample(start, iterations=steps)):
            if progress and (i + 1) % 100 == 0:
                progress(c * steps + i + 1, chains * steps)
        kept.append(np.swapaxes(sampler.get_chain(discard=steps // 2), 0, 1))  # (walkers, steps, dim)
        accepted.append(float(np.mean(sampler.acceptance_fraction)))
    chain = np.concatenate(kept, axis=0)
    natural = chain.copy()
    natural[..., space.dim :] = np.exp(natural[..., space.dim :])
    names = columns(space)
    with warnings.catch_warnings():  # a short run has more walkers than steps: ArviZ says so, and it is fine
        warnings.simplefilter("ignore", UserWarning)
        ds = az.convert_to_dataset({n: natural[..., k] for k, n in enumerate(names)})
        rhat = {n: float(v) for n, v in az.rhat(ds).data_vars.items()}
        ess = {n: float(v) for n, v in az.ess(ds).data_vars.items()}
    flat = chain.reshape(-1, dim)
    pick = np.linspace(0, len(flat) - 1, draws).round().astype(int)
    order = np.random.default_rng(seed).permutation(len(flat))[pick]
    return Fit(names, chain, flat[order], rhat, ess, float(np.mean(accepted)))
