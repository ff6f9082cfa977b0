"""The whole calibration: trials -> data -> emulator -> posterior -> predictive intervals and LOTO.

:func:`calibrate` fits on the endpoints marked ``role = "calibration"``; every endpoint (calibration and
held-out) is then predicted as a new trial would be: a new trial effect and discrepancy drawn from the
posterior's spreads and the sampling error of the trial's real patients. :func:`leave_one_trial_out`
refits without each calibration trial in turn (the same emulator: it depends on the parameters only) and
predicts the trial left out; held-out trials are predicted by the full fit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

import needling
from needling.cohort.bayes import emulator as E
from needling.cohort.bayes.data import (
    FAMILIES,
    LOGIT_FAMILIES,
    Datum,
    collect,
    data_hash,
    from_z,
    load_trials,
    slope,
)
from needling.cohort.bayes.fit import Fit, Likelihood, sample
from needling.cohort.bayes.space import Space, model_fingerprint
from needling.cohort.trial import Trial
from needling.errors import InputError
from needling.parameters import ParameterValues, resolve

FORMAT = 1
LEVEL = 0.90


@dataclass
class Settings:
    """How long to sample: draws kept, independent chains, steps per chain, walkers, design points.

    Attributes
    ----------
    draws : int
        Posterior draws kept for shipping, thinned evenly from all chains.
    chains : int
        Independent emcee ensembles.
    steps : int
        Steps per ensemble, half of them burn-in.
    walkers : int
        Walkers per ensemble (raised to what the dimension needs).
    points : int
        Design points the emulator is built on.
    seed : int
        Seed of the design, the starting points and the moves.
    refine : int or None
        Design points added where a pilot posterior lies (:func:`needling.cohort.bayes.emulator.refine`); None
        for half of ``points``, 0 for none.
    """

    draws: int = 1000
    chains: int = 4
    steps: int = 40000
    walkers: int = 40
    points: int = 512
    seed: int = 0
    refine: int | None = None

    @property
    def refine_points(self) -> int:
        """Design points added where the pilot posterior lies."""
        return self.points // 2 if self.refine is None else self.refine

    def pilot(self) -> Settings:
        """The pilot fit whose draws place the added points: two ensembles, an eighth of the steps.

        Returns
        -------
        Settings
            These settings with ``refine_points`` draws, two chains and an eighth of the steps (at least 20).
        """
        return replace(self, draws=self.refine_points, chains=2, steps=max(self.steps // 8, 20))


def sd_z(data: list[Datum], model_sd: np.ndarray, model_mean: np.ndarray) -> np.ndarray:
    """Return each datum's sampling error on the transformed scale for the trial's real patients.

    Parameters
    ----------
    data : list of Datum
        The published numbers.
    model_sd : numpy.ndarray
        The model's per-patient standard deviation of each, in the endpoint's unit.
    model_mean : numpy.ndarray
        The model's arm mean of each, in the endpoint's unit.

    Returns
    -------
    numpy.ndarray
        Standard errors on the transformed scale.
    """
    out = np.empty(len(data))
    for i, d in enumerate(data):
        if d.family in LOGIT_FAMILIES:
            out[i] = d.binomial_sd_z()
        else:
            out[i] = model_sd[i] * slope(d.family, float(model_mean[i]), d.sign) / np.sqrt(d.patients)
    return out


@dataclass
class Calibration:
    """A fitted calibration: data, emulator, posterior, and what it predicts for every datum.

    Attributes
    ----------
    trials : list of Trial
        The trials the data come from.
    data : list of Datum
        Every published number of those trials, calibration and held out.
    space : Space
        The calibrated parameters.
    emulator : Emulator
        The emulator of the model's outputs for ``data``.
    sd : numpy.ndarray
        Each datum's sampling error for the trial's real patients, on the transformed scale.
    fit : Fit
        The posterior draws and their diagnostics.
    settings : Settings
        How long the fit sampled.
    used : list of int
        Indices into ``data`` of the calibration endpoints the fit saw.
    meta : dict
        Format, needling version, model fingerprint, data hash and the trials, as shipped.
    """

    trials: list[Trial]
    data: list[Datum]
    space: Space
    emulator: E.Emulator
    sd: np.ndarray
    fit: Fit
    settings: Settings
    used: list[int]
    meta: dict[str, Any] = field(default_factory=dict)

    def predictive(self, i: int, seed: int = 1, fit: Fit | None = None) -> np.ndarray:
        """Posterior predictive draws of datum ``i`` as a new trial would publish it (endpoint's own scale).

        A new trial effect and discrepancy are drawn for each posterior draw; a fraction is then a count of
        the trial's real patients (binomial), a mean gets the sampling error of that many patients. The
        emulator's error over the whole prior box is added (``box_error_sd``): the draws of a fit without one
        of the trials may lie outside where the emulator was refined.

        Parameters
        ----------
        i : int
            Index of the datum in :attr:`data`.
        seed : int
            Seed of the new trial effects and sampling.
        fit : Fit or None
            The fit to predict from (default: this calibration's).

        Returns
        -------
        numpy.ndarray
            One predicted published value per posterior draw, in the endpoint's unit.
        """
        f = fit or self.fit
        rng = np.random.default_rng([seed, i])
        d = self.data[i]
        u = f.draws[:, : self.space.dim]
        tau = np.exp(f.draws[:, self.space.dim + FAMILIES.index(d.family)])
        sd = np.exp(f.draws[:, -1])
        mu = self.emulator(u)[:, i]
        n = len(mu)
        if d.family in LOGIT_FAMILIES:  # the trial's count of patients: binomial, as in a trial prediction
            z = mu + rng.normal(0, 1, n) * np.sqrt(tau**2 + sd**2 + self.emulator.box_error_sd[i] ** 2)
            return rng.binomial(d.patients, from_z(d.family, z)) / d.patients
        z = mu + rng.normal(0, 1, n) * np.sqrt(tau**2 + sd**2 + self.sd[i] ** 2 + self.emulator.box_error_sd[i] ** 2)
        return from_z(d.family, z, d.sign)


def calibrate(
    trials: list[Trial] | None = None,
    settings: Settings | None = None,
    parameters: ParameterValues | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    emulator: E.Emulator | None = None,
) -> Calibration:
    """Fit the hierarchical model on every calibration endpoint of ``trials`` (default: the shipped ones).

    Parameters
    ----------
    trials : list of Trial or None
        The trials; None for every shipped trial.
    settings : Settings or None
        Draws, chains, steps, walkers, design points and seed (default: :class:`Settings`).
    parameters : ParameterValues, optional
        The model parameters the calibrated ones start from (default: :func:`needling.parameters.default_parameters`).
    progress : callable, optional
        Called with ``(stage, done, total)`` as the emulator's runs and the chains advance.
    emulator : Emulator or None
        A built emulator to reuse (default: build one).

    Returns
    -------
    Calibration
        The data, the emulator and the posterior fit.

    Raises
    ------
    InputError
        Without a calibration endpoint, or with fewer design points than the parameters need.
    """
    st = settings or Settings()
    pv = resolve(parameters)
    trials = trials if trials is not None else load_trials()
    data = collect(trials)
    used = [i for i, d in enumerate(data) if d.role == "calibration"]
    if not used:
        raise InputError('no trial endpoint has role = "calibration" and a published value; name such trials')
    space = Space.of(pv)
    fewest = E.fewest_points(space.dim)
    if emulator is None and st.points < fewest:
        raise InputError(f"points {st.points} is too few for {space.dim} calibrated parameters; give at least {fewest}")
    runs = (lambda a, b: progress("emulator", a, b)) if progress else None
    mean0, sd0 = E.forward(trials, data, space, np.zeros(space.dim), pv, n=2 * E.DESIGN_PATIENTS, seed=st.seed)
    sd = sd_z(data, sd0, mean0)
    em = emulator
    if em is None:
        em = E.build(trials, data, space, st.points, pv, st.seed, runs)
        if st.refine_points > 0:  # where the posterior lies, the emulator's error is measured again
            pilot = _fit(data, used, sd, space, em, st.pilot(), progress)
            em = E.refine(em, trials, data, space, pilot.draws[:, : space.dim], pv, st.seed, runs)
    fit = _fit(data, used, sd, space, em, st, progress)
    meta = {
        "format": FORMAT,
        "needling_version": needling.__version__,
        "model_fingerprint": model_fingerprint(pv),
        "data_hash": data_hash(trials, data),
        "trials": [t.source for t in trials],
        "calibration_trials": sorted({data[i].source for i in used}),
    }
    return Calibration(trials, data, space, em, sd, fit, st, used, meta)


def _fit(
    data: list[Datum],
    used: list[int],
    sd: np.ndarray,
    space: Space,
    em: E.Emulator,
    st: Settings,
    progress: Callable[[str, int, int], None] | None,
) -> Fit:
    like = Likelihood.of(data, used, sd, em)
    index = {i: k for k, i in enumerate(used)}
    return sample(
        space,
        em,
        like,
        index,
        st.draws,
        st.chains,
        st.steps,
        st.walkers,
        st.seed,
        (lambda a, b: progress("sampler", a, b)) if progress else None,
    )


@dataclass(frozen=True)
class Check:
    """One published value against its predictive interval: which fit predicted it and how it scored.

    Attributes
    ----------
    datum : Datum
        The published value.
    held_out_by : str
        How the fit did not see it: refitted without its trial, or held out of the fit.
    median, low, high : float
        Median and bounds of the 90 % predictive interval, in the endpoint's unit.
    inside : bool
        Whether the published value lies within ``low``-``high``.
    interval_score : float
        Interval score of the 90 % interval (lower is better), in the endpoint's unit.
    crps : float
        Continuous ranked probability score (lower is better), in the endpoint's unit.
    """

    datum: Datum
    held_out_by: str
    median: float
    low: float
    high: float
    inside: bool
    interval_score: float
    crps: float


def _score(draws: np.ndarray, x: float, alpha: float = 1.0 - LEVEL) -> tuple[float, float, float, float]:
    lo, med, hi = np.quantile(draws, [alpha / 2, 0.5, 1 - alpha / 2])
    iscore = (hi - lo) + (2 / alpha) * max(lo - x, 0.0) + (2 / alpha) * max(x - hi, 0.0)
    a, b = draws[: len(draws) // 2], draws[len(draws) // 2 :]
    crps = float(np.mean(np.abs(draws - x)) - 0.5 * np.mean(np.abs(a - b)))
    return float(lo), float(med), float(hi), float(iscore), crps  # type: ignore[return-value]


def leave_one_trial_out(
    cal: Calibration, settings: Settings | None = None, progress: Callable[[str, int, int], None] | None = None
) -> list[Check]:
    """Predict every published value from a fit that did not see its trial.

    Calibration trials are refitted without themselves (``settings``: a shorter run is fine); held-out
    trials are predicted by the full fit.

    Parameters
    ----------
    cal : Calibration
        The full calibration.
    settings : Settings or None
        How long to sample the refits (default: the calibration's own).
    progress : callable, optional
        Called with ``(stage, done, total)`` as the emulator's runs and the chains advance.

    Returns
    -------
    list of Check
        One per published value.
    """
    st = settings or cal.settings
    checks = []
    fits: dict[str, Fit] = {}
    for i, d in enumerate(cal.data):
        if d.role == "calibration":
            if d.source not in fits:
                rest = [k for k in cal.used if cal.data[k].source != d.source]
                fits[d.source] = _fit(cal.data, rest, cal.sd, cal.space, cal.emulator, st, progress)
            fit, by = fits[d.source], "refit without this trial"
        else:
            fit, by = cal.fit, "held out of the fit"
        draws = cal.predictive(i, fit=fit)
        lo, med, hi, iscore, crps = _score(draws, d.published)
        checks.append(Check(d, by, med, lo, hi, bool(lo <= d.published <= hi), iscore, crps))
    return checks


def summary(cal: Calibration) -> dict[str, Any]:
    """Return the shipped document: metadata, settings, diagnostics, emulator error and the draws (own units).

    Parameters
    ----------
    cal : Calibration
        The calibration.

    Returns
    -------
    dict
        The JSON document :func:`needling.cohort.bayes.posterior.load` reads.
    """
    f, sp = cal.fit, cal.space
    values = sp.values(f.draws[:, : sp.dim])
    draws = {n: [float(f"{v:.6g}") for v in values[:, k]] for k, n in enumerate(sp.names)}
    for k, n in enumerate(f.columns[sp.dim :]):
        draws[n] = [float(f"{v:.6g}") for v in np.exp(f.draws[:, sp.dim + k])]
    return {
        **cal.meta,
        "settings": cal.settings.__dict__,
        "diagnostics": {n: {"rhat": round(f.rhat[n], 4), "ess": round(f.ess[n], 1)} for n in f.columns},
        "acceptance": round(f.acceptance, 3),
        "emulator": {
            "design_points": len(cal.emulator.design),
            "rms_error": {
                f"{d.source}/{d.arm}/{d.endpoint}": round(float(e), 4)
                for d, e in zip(cal.data, cal.emulator.error_sd, strict=True)
            },
        },
        "data": [
            {
                "source": d.source,
                "arm": d.arm,
                "endpoint": d.endpoint,
                "published": d.published,
                "patients": d.patients,
                "role": d.role,
                "family": d.family,
            }
            for d in cal.data
        ],
        "draws": draws,
    }


def save(cal: Calibration, path: str | Path) -> Path:
    """Write the posterior draws and their metadata as JSON.

    Parameters
    ----------
    cal : Calibration
        The calibration.
    path : str or Path
        The file to write.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    path.write_text(json.dumps(summary(cal), separators=(",", ":")) + "\n")
    return path


def checks_json(checks: list[Check]) -> list[dict[str, Any]]:
    """Return the leave-one-trial-out table as stable JSON rows.

    Parameters
    ----------
    checks : list of Check
        :func:`leave_one_trial_out`'s checks.

    Returns
    -------
    list of dict
        One row per published value: ``source``, ``arm``, ``endpoint``, ``role``, ``published``,
        ``predicted_median`` and ``pi90`` (the endpoint's unit), ``inside``, ``interval_score``, ``crps`` and
        ``predicted_by``.
    """
    return [
        {
            "source": c.datum.source,
            "arm": c.datum.arm,
            "endpoint": c.datum.endpoint,
            "role": c.datum.role,
            "published": c.datum.published,
            "predicted_median": round(c.median, 4),
            "pi90": [round(c.low, 4), round(c.high, 4)],
            "inside": c.inside,
            "interval_score": round(c.interval_score, 4),
            "crps": round(c.crps, 4),
            "predicted_by": c.held_out_by,
        }
        for c in checks
    ]


def draws_hash(draws: dict[str, list[float]]) -> str:
    """A short hash of posterior draws as shipped (``posterior.json``'s ``draws``).

    Parameters
    ----------
    draws : dict
        Quantity name -> its draws, in the quantity's own unit.

    Returns
    -------
    str
        Hexadecimal digest (its first 16 characters).
    """
    return hashlib.sha256(json.dumps(draws, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:16]


def loto_document(cal: Calibration, rows: list[dict[str, Any]], settings: Settings) -> dict[str, Any]:
    """Return the shipped leave-one-trial-out document: the rows, their coverage and what produced them.

    Parameters
    ----------
    cal : Calibration
        The full calibration the held-out trials were predicted from.
    rows : list of dict
        :func:`checks_json` rows.
    settings : Settings
        How long each refit without a calibration trial sampled.

    Returns
    -------
    dict
        ``level``, ``coverage`` (all rows) and ``coverage_by`` (per ``predicted_by``), the model fingerprint and
        data hash of the calibration, the hash of its shipped draws (``posterior_hash``: the held-out trials were
        predicted from exactly these), the refits' ``settings``, and ``rows``.
    """
    by = sorted({r["predicted_by"] for r in rows})
    return {
        "level": LEVEL,
        "coverage": coverage(rows),
        "coverage_by": {b: coverage([r for r in rows if r["predicted_by"] == b]) for b in by},
        "model_fingerprint": cal.meta["model_fingerprint"],
        "data_hash": cal.meta["data_hash"],
        "posterior_hash": draws_hash(summary(cal)["draws"]),
        "settings": settings.__dict__,
        "rows": rows,
    }


def coverage(rows: list[dict[str, Any]]) -> float:
    """Return the share of published values inside their 90 % predictive interval.

    Parameters
    ----------
    rows : list of dict
        :func:`checks_json` rows.

    Returns
    -------
    float
        Share, 0-1.
    """
    return float(np.mean([r["inside"] for r in rows])) if rows else float("nan")


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """Return the leave-one-trial-out table in Markdown (README), with the coverage line.

    Parameters
    ----------
    rows : list of dict
        :func:`checks_json` rows.

    Returns
    -------
    str
        The table.
    """
    lines = [
        "| trial | arm | endpoint | role | published | predicted 90 % interval (median) | inside | interval score "
        "| CRPS |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lo, hi = r["pi90"]
        lines.append(
            f"| {r['source']} | {r['arm']} | {r['endpoint']} | {r['role']} | {r['published']:.4g} | "
            f"{lo:.3g} to {hi:.3g} ({r['predicted_median']:.3g}) | {'yes' if r['inside'] else '**miss**'} | "
            f"{r['interval_score']:.3g} | {r['crps']:.3g} |"
        )
    lines.append("")
    lines.append(f"Coverage of the 90 % intervals: {100 * coverage(rows):.0f} % of {len(rows)} published values")
    for by in sorted({r["predicted_by"] for r in rows}):
        some = [r for r in rows if r["predicted_by"] == by]
        lines[-1] += f"; {by}: {sum(r['inside'] for r in some)} of {len(some)}"
    lines[-1] += "."
    return "\n".join(lines)
