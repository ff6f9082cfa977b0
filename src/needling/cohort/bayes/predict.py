"""Posterior predictive endpoints of a trial arm: the model over posterior draws and virtual patients.

For each of K posterior draws the arm is simulated with that draw's parameters and its own virtual
patients; a new trial's effect and the model discrepancy are drawn from that draw's spreads, and the
sampling error of the arm's real patients is added (binomial for fractions, the patients' spread over
the square root of their number for means). ``ci95`` is the 95 % interval of the arm's published mean
that follows; ``pi95`` is the 95 % interval of one patient's own value (for endpoints that are a value
per patient: hair count, histology, improvement, each patient's own change of score), and where there
is none ``pi95_note`` says why (a share of patients is a yes or no for each patient, whose chance is the
mean; a mean score is the arm's); ``evidence`` says how many calibration trials and real
patients inform the endpoint's family.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from needling.anatomy import Site, get_site
from needling.cohort.bayes.data import LOGIT_FAMILIES, family_of, from_z, sign_of, slope, to_z
from needling.cohort.bayes.posterior import Posterior
from needling.cohort.engine import ArmOutcomes, simulate_arm, simulate_groups
from needling.cohort.population import Patients, sample_patients
from needling.cohort.trial import Trial, endpoint_values
from needling.parameters import ParameterValues
from needling.protocol import Protocol

#: Posterior draws a trial prediction integrates over, and replicate trials drawn per posterior draw.
DRAWS = 100
REPLICATES = 20
PER_PATIENT = ("hair", "histology", "improvement")


@dataclass(frozen=True)
class Predicted:
    """One endpoint of one arm, integrated over the posterior (see the module's docstring).

    Attributes
    ----------
    mean : float
        Predicted arm mean, in the endpoint's unit.
    ci95 : tuple of float
        95 % interval of the arm's published mean, in the endpoint's unit.
    pi95 : tuple of float or None
        95 % interval of one patient's own value, in the endpoint's unit; None where there is none.
    evidence : dict
        Calibration trials and real patients behind the endpoint's family, posterior draws used and
        whether the model matches the one the posterior was fitted on.
    pi95_note : str or None
        Why there is no ``pi95``; None where there is one.
    """

    mean: float
    ci95: tuple[float, float]
    pi95: tuple[float, float] | None
    evidence: dict[str, Any]
    pi95_note: str | None = None


#: Why an endpoint has no interval for one patient (``pi95_note``).
NO_PI_SHARE = "a share of patients: each patient either has it or not, so one patient's chance is the mean"
NO_PI_ARM = "a value of the arm as a whole, not of one patient"


def pi95_note(endpoint: str, family: str) -> str | None:
    """Say why ``endpoint`` has no interval for one patient, or None where it has one.

    Parameters
    ----------
    endpoint : str
        The endpoint's name.
    family : str
        Its family (see :data:`needling.cohort.bayes.data.FAMILIES`).

    Returns
    -------
    str or None
        The reason, or None.
    """
    if family in PER_PATIENT or endpoint == "score_change_pct":  # a score change: each patient's own
        return None
    if family in LOGIT_FAMILIES and endpoint != "grade_mean":
        return NO_PI_SHARE
    return NO_PI_ARM


def _patients(trial: Trial, size: int, rng: np.random.Generator, pv: ParameterValues) -> Any:
    inc = trial.inclusion
    age = tuple(inc["age"]) if isinstance(inc.get("age"), list) else inc.get("age")
    return sample_patients(
        size,
        rng,
        get_site(trial.site),
        grade=inc.get("grade"),
        fitzpatrick=inc.get("fitzpatrick"),
        sex=inc.get("sex"),
        age=age,
        parameters=pv,
    )


def predict_arm(
    trial: Trial,
    arm_index: int,
    posterior: Posterior,
    n: int,
    seed: int = 0,
    base: ParameterValues | None = None,
    draws: int = DRAWS,
) -> dict[str, Predicted]:
    """Predict every endpoint of one arm, integrated over ``draws`` posterior draws with ``n`` virtual patients in all.

    Parameters
    ----------
    trial : Trial
        The trial.
    arm_index : int
        The arm.
    posterior : Posterior
        The posterior draws.
    n : int
        Virtual patients in all (shared out among the draws).
    seed : int
        Seed of the virtual patients.
    base : ParameterValues, optional
        The parameter set the draws change (default: the default set).
    draws : int
        Posterior draws used.

    Returns
    -------
    dict of str to Predicted
        Per endpoint: mean, ``ci95``, ``pi95`` and the evidence behind it.
    """
    arm = trial.arms[arm_index]
    real = arm.patients or trial.n
    picks = np.linspace(0, posterior.size - 1, min(draws, posterior.size)).round().astype(int)
    per_draw = max(50, math.ceil(n / len(picks)))
    means: dict[str, list[float]] = {e.name: [] for e in trial.endpoints}
    sds: dict[str, list[float]] = {e.name: [] for e in trial.endpoints}
    singles: dict[str, list[np.ndarray]] = {e.name: [] for e in trial.endpoints}
    for j, k in enumerate(picks):
        pv = posterior.parameters(int(k), base)
        rng = np.random.default_rng(np.random.SeedSequence([seed, arm_index, j]))
        patients = _patients(trial, per_draw, rng, pv)
        run = simulate_arm(arm.protocol, trial.indication, trial.site, patients, pv, trial.follow_up_weeks)
        values = endpoint_values(run, trial.indication)
        base_score = float(run.score[:, 0].mean())
        for e in trial.endpoints:
            vals, mask = values[e.name]
            v = vals[mask]
            own = v
            if e.name == "score_change_pct":  # the arm's mean change; each patient's own change beside it
                own = 100.0 * (v / np.maximum(run.score[:, 0][mask], 1e-9) - 1.0)
                v = 100.0 * (v / max(base_score, 1e-9) - 1.0)
            means[e.name].append(float(v.mean()) if v.size else float("nan"))
            sds[e.name].append(float(v.std()) if v.size else float("nan"))
            singles[e.name].append(own)
    rng = np.random.default_rng(np.random.SeedSequence([seed, arm_index, 10**6]))
    out = {}
    for e in trial.endpoints:
        fam = family_of(e.name)
        m = np.array(means[e.name])
        if not np.all(np.isfinite(m)):
            continue
        tau = posterior.trial_effect_sd(fam)[picks]
        disc = posterior.discrepancy_sd()[picks]
        shift = rng.normal(0.0, 1.0, (len(picks), REPLICATES)) * np.sqrt(tau**2 + disc**2)[:, None]
        if fam in LOGIT_FAMILIES:
            p = from_z(fam, to_z(fam, m, 1.0, 4.0 * per_draw)[:, None] + shift)
            arm_means = rng.binomial(real, p) / real
            pi = None
        else:
            sign = sign_of(fam, float(np.nanmean(m)))
            sd = np.array([s * slope(fam, float(x), sign) for s, x in zip(sds[e.name], m, strict=True)]) / math.sqrt(
                real
            )
            z = to_z(fam, m, sign)[:, None] + shift + rng.normal(0.0, 1.0, shift.shape) * sd[:, None]
            arm_means = from_z(fam, z, sign)
            pi = None
            if pi95_note(e.name, fam) is None:
                one = np.concatenate(
                    [from_z(fam, to_z(fam, s, sign) + shift[j, 0], sign) for j, s in enumerate(singles[e.name])]
                )  # each patient carries its draw's trial effect
                lo, hi = np.quantile(one, [0.025, 0.975])
                pi = (round(float(lo), 4), round(float(hi), 4))
        lo, hi = np.quantile(arm_means, [0.025, 0.975])
        out[e.name] = Predicted(
            round(float(np.mean(m)), 4),
            (round(float(lo), 4), round(float(hi), 4)),
            pi,
            posterior.evidence(fam) | {"posterior_draws": len(picks), "model_matches": posterior.matches(base)},
            None if pi is not None else pi95_note(e.name, fam),
        )
    return out


#: Posterior draws a series integrates over (its virtual patients are shared out among them, at least 10 per
#: draw). As many as a plan uses (``individual.PLAN_DRAWS``): with 10, one draw's tram-track risk of 0.29 made
#: a roller series' mean 8.1 % where the posterior's mean is 6.0 % (50 draws: 5.8 %); the error of a
#: k-draw mean falls as 1/sqrt(k).
SERIES_DRAWS = 50


def _concatenate(runs: list[ArmOutcomes]) -> ArmOutcomes:
    """One run from runs of disjoint groups of patients over the same weeks."""
    first = runs[0]
    values: dict[str, Any] = {}
    for f in fields(first):
        parts = [getattr(r, f.name) for r in runs]
        if f.name == "weeks" or f.name == "mechanics":
            values[f.name] = parts[0]
        elif f.name == "sources":
            values[f.name] = sorted({s for p in parts for s in p})
        elif parts[0] is None:
            values[f.name] = None
        else:
            values[f.name] = np.concatenate(parts, axis=0)
    return replace(first, **values)


def _series_groups(
    site: Site,
    n: int,
    rng: np.random.Generator,
    posterior: Posterior,
    base: ParameterValues | None,
    **patient_kwargs: Any,
) -> tuple[list[ParameterValues], list[Patients]]:
    """The draws a series uses and each one's own virtual patients, drawn with that draw's parameters."""
    k = max(1, min(SERIES_DRAWS, n // 10, posterior.size))
    picks = np.linspace(0, posterior.size - 1, k).round().astype(int)
    sizes = [len(a) for a in np.array_split(np.arange(n), k)]
    sets = [posterior.parameters(int(j), base) for j in picks]
    groups = [
        sample_patients(size, rng, site, parameters=pv, **patient_kwargs) for pv, size in zip(sets, sizes, strict=True)
    ]
    return sets, groups


def _with_posterior_sources(run: ArmOutcomes, posterior: Posterior) -> ArmOutcomes:
    run.sources = sorted(set(run.sources) | {"KennedyOHagan2001"} | set(posterior.doc.get("calibration_trials", [])))
    return run


def series_over_posterior(
    protocol: Protocol,
    site: Site,
    n: int,
    rng: np.random.Generator,
    follow_up_weeks: float,
    indication: str,
    posterior: Posterior,
    base: ParameterValues | None = None,
    **patient_kwargs: Any,
) -> ArmOutcomes:
    """A series' virtual patients shared out among posterior draws, each group with its draw's parameters.

    Every group is drawn with its own draw's parameters (as :func:`series_over_posterior_by_draw` does, on the
    same random numbers), then all groups go through one vectorised solver call
    (:func:`needling.cohort.engine.simulate_groups`).

    Parameters
    ----------
    protocol : Protocol
        The sessions and continuous treatments.
    site : Site
        The treated site.
    n : int
        Virtual patients in all.
    rng : numpy.random.Generator
        Draws the patients.
    follow_up_weeks : float
        Weeks after the last session.
    indication : str
        One of :data:`needling.cohort.series.INDICATIONS`.
    posterior : Posterior
        The posterior draws the patients are shared out among.
    base : ParameterValues, optional
        The set each draw changes.
    **patient_kwargs
        Grade, Fitzpatrick type, sex, age as for :func:`needling.cohort.population.sample_patients`.

    Returns
    -------
    ArmOutcomes
        The groups' outputs in one run (group by group): bands and means then carry the parameters'
        uncertainty too.
    """
    sets, groups = _series_groups(site, n, rng, posterior, base, **patient_kwargs)
    patients = Patients(*(np.concatenate([getattr(g, f.name) for g in groups]) for f in fields(Patients)))
    group = np.repeat(np.arange(len(sets)), [g.n for g in groups])
    run = simulate_groups(protocol, indication, site, patients, sets, group, follow_up_weeks)
    return _with_posterior_sources(run, posterior)


def series_over_posterior_by_draw(
    protocol: Protocol,
    site: Site,
    n: int,
    rng: np.random.Generator,
    follow_up_weeks: float,
    indication: str,
    posterior: Posterior,
    base: ParameterValues | None = None,
    **patient_kwargs: Any,
) -> ArmOutcomes:
    """:func:`series_over_posterior` with one solver call per draw: the reference the one call is checked
    and timed against.

    Parameters
    ----------
    protocol : Protocol
        The sessions and continuous treatments.
    site : Site
        The treated site.
    n : int
        Virtual patients in all.
    rng : numpy.random.Generator
        Draws the patients.
    follow_up_weeks : float
        Weeks after the last session.
    indication : str
        One of :data:`needling.cohort.series.INDICATIONS`.
    posterior : Posterior
        The posterior draws the patients are shared out among.
    base : ParameterValues, optional
        The set each draw changes.
    **patient_kwargs
        Grade, Fitzpatrick type, sex, age as for :func:`needling.cohort.population.sample_patients`.

    Returns
    -------
    ArmOutcomes
        The groups' runs joined.
    """
    sets, groups = _series_groups(site, n, rng, posterior, base, **patient_kwargs)
    runs = [
        simulate_arm(protocol, indication, site, g, pv, follow_up_weeks) for pv, g in zip(sets, groups, strict=True)
    ]
    return _with_posterior_sources(_concatenate(runs), posterior)
