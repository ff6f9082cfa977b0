"""Figures of the calibration: prior against posterior per parameter, posterior predictive per trial, LOTO.

Two sources: a fitted :class:`needling.cohort.bayes.calibrate.Calibration` (``needling calibrate
--figures``), or the shipped files (``posterior.json``, the trials run over it, ``loto.json``), which the
documentation draws while it builds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from needling.figures import pyplot

#: A panel of the prior-against-posterior figure: title, prior draws, posterior draws, bin edges, x label.
Panel = tuple[str, np.ndarray, np.ndarray, np.ndarray, str]
STANDARDISED = "prior standard deviations from the prior's centre"


def _save(fig: Any, path: str | Path) -> Path:
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    pyplot().close(fig)
    return path


def _panels(panels: Sequence[Panel], path: str | Path) -> Path:
    """Prior (light) against posterior (dark) histograms, three panels a row."""
    plt = pyplot()
    cols = 3
    rows = -(-len(panels) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(9, 2.2 * rows), squeeze=False)
    for k, (title, prior, post, bins, xlabel) in enumerate(panels):
        ax = axes[k // cols][k % cols]
        ax.hist(prior, bins=bins, density=True, alpha=0.4, label="prior")
        ax.hist(post, bins=bins, density=True, alpha=0.6, label="posterior")
        ax.set_title(title, fontsize=8)
        ax.set_xlabel(xlabel, fontsize=6)
    for k in range(len(panels), rows * cols):
        axes[k // cols][k % cols].axis("off")
    axes[0][0].legend(fontsize=7)
    return _save(fig, path)


def prior_posterior(cal: Any, path: str | Path) -> Path:
    """One panel per calibrated parameter: prior draws and posterior draws on the standardised scale.

    Parameters
    ----------
    cal : needling.cohort.bayes.calibrate.Calibration
        A fitted calibration.
    path : str or Path
        A .png or .svg file.

    Returns
    -------
    Path
        The file written.
    """
    sp = cal.space
    prior = np.random.default_rng(0).standard_normal(4000)
    bins = np.linspace(-3, 3, 41)
    return _panels([(name, prior, cal.fit.draws[:, k], bins, STANDARDISED) for k, name in enumerate(sp.names)], path)


def prior_posterior_shipped(posterior: Any, path: str | Path) -> Path:
    """Prior against posterior of every quantity in a posterior file: parameters, trial effects, discrepancy.

    A calibrated parameter is drawn on its standardised scale (0: the prior's centre, one unit: one prior
    standard deviation; the prior truncated to the emulator's box); the spreads of the trial effects and of
    the model discrepancy on their own (log or logit) scale against their half-normal priors. A panel
    whose posterior looks like its prior is one the data barely inform.

    Parameters
    ----------
    posterior : needling.cohort.bayes.posterior.Posterior
        The draws (e.g. :func:`needling.cohort.bayes.posterior.shipped`).
    path : str or Path
        A .png or .svg file.

    Returns
    -------
    Path
        The file written.
    """
    from needling.cohort.bayes.priors import DISCREPANCY_PRIOR_SCALE, PRIOR_TRUNCATION, TAU_PRIOR_SCALE
    from needling.cohort.bayes.space import Space

    rng = np.random.default_rng(0)
    space = Space.of()
    names = [n for n in space.names if n in posterior.parameter_names()]
    values = np.column_stack([posterior.column(n) if n in names else np.ones(posterior.size) for n in space.names])
    u = space.to_u(values)
    prior = rng.standard_normal(20000)
    prior = prior[np.abs(prior) <= PRIOR_TRUNCATION]
    bins = np.linspace(-3, 3, 41)
    panels: list[Panel] = [(n, prior, u[:, space.names.index(n)], bins, STANDARDISED) for n in names]
    for name in posterior.doc["draws"]:
        if name.startswith("trial-effect-sd-") or name == "discrepancy-sd":
            scale = float((TAU_PRIOR_SCALE if name != "discrepancy-sd" else DISCREPANCY_PRIOR_SCALE).value)
            half = np.abs(rng.normal(0.0, scale, 20000))
            post = posterior.column(name)
            top = max(3.0 * scale, float(np.quantile(post, 0.995)))
            panels.append((name, half, post, np.linspace(0.0, top, 41), "standard deviation (log or logit scale)"))
    return _panels(panels, path)


def predictive_checks(cal: Any, path: str | Path) -> Path:
    """Every published value (dot) against its 90 % posterior predictive interval (bar), per trial.

    Parameters
    ----------
    cal : needling.cohort.bayes.calibrate.Calibration
        A fitted calibration.
    path : str or Path
        A .png or .svg file.

    Returns
    -------
    Path
        The file written.
    """
    plt = pyplot()
    n = len(cal.data)
    fig, ax = plt.subplots(figsize=(8, 0.3 * n + 1))
    for i, d in enumerate(cal.data):
        draws = cal.predictive(i)
        lo, med, hi = np.quantile(draws, [0.05, 0.5, 0.95])
        scale = abs(d.published) if d.published else 1.0
        colour = "tab:blue" if d.role == "calibration" else "tab:orange"
        ax.plot([lo / scale, hi / scale], [i, i], color=colour, lw=3, alpha=0.6)
        ax.plot(med / scale, i, "|", color="k")
        ax.plot(d.published / scale if d.published else 0.0, i, "o", color="k", ms=3)
    ax.set_yticks(range(n), [f"{d.source} {d.arm[:14]} {d.endpoint}" for d in cal.data], fontsize=6)
    ax.set_xscale("symlog", linthresh=0.1)
    ax.set_xlabel("predicted / published (blue: calibration, orange: held out)")
    return _save(fig, path)


def trial_predictive_checks(results: Sequence[tuple[str, Any]], path: str | Path) -> Path:
    """Per trial, every published value against the 95 % posterior predictive interval of its arm's mean.

    The interval is what :func:`needling.cohort.trial.run_trial` gives over the posterior (``ci95``: the
    arm's mean for its real patients, with a new trial's effect and the model discrepancy); one band of
    rows per trial, the value and the interval divided by the published value (1: the published value),
    a cross where the published value falls outside.

    Parameters
    ----------
    results : sequence of (str, TrialResult)
        Each trial's name (its source key) and its result over the posterior.
    path : str or Path
        A .png or .svg file.

    Returns
    -------
    Path
        The file written.
    """
    plt = pyplot()
    rows = []
    for source, result in results:
        for arm in result.arms:
            for name, e in arm.endpoints.items():
                if e.published is None or e.low is None or e.high is None:
                    continue
                rows.append((source, arm.name, name, e))
    n = len(rows)
    fig, ax = plt.subplots(figsize=(8, 0.28 * n + 1.2))
    previous = None
    for i, (source, _arm, _name, e) in enumerate(rows):
        scale = abs(e.published) if e.published else 1.0
        colour = "tab:blue" if e.role == "calibration" else "tab:orange"
        ax.plot([e.low / scale, e.high / scale], [i, i], color=colour, lw=3, alpha=0.6)
        ax.plot(e.mean / scale, i, "|", color="k")
        inside = e.low <= e.published <= e.high
        ax.plot(e.published / scale if e.published else 0.0, i, "o" if inside else "x", color="k", ms=4)
        if previous is not None and source != previous:
            ax.axhline(i - 0.5, color="grey", lw=0.5)
        previous = source
    ax.axvline(1.0, color="grey", lw=0.5)
    ax.set_yticks(range(n), [f"{s} {a[:14]} {name}" for s, a, name, _ in rows], fontsize=6)
    ax.set_xscale("symlog", linthresh=0.1)
    ax.invert_yaxis()  # the first trial on top
    ax.set_xlabel(
        "value / published; bar: 95 % predictive interval of the arm's mean\n(blue: calibration, orange: held out)"
    )
    return _save(fig, path)


def draw_all(cal: Any, folder: str | Path) -> list[Path]:
    """Both figures as PNG in ``folder``."""
    folder = Path(folder)
    return [prior_posterior(cal, folder / "prior-posterior.png"), predictive_checks(cal, folder / "predictive.png")]


def loto_figure(rows: list[dict[str, Any]], path: str | Path) -> Path:
    """Leave-one-trial-out: each published value against the 90 % interval predicted without its trial.

    Parameters
    ----------
    rows : list of dict
        The rows of ``loto.json`` (see :func:`needling.cohort.bayes.calibrate.checks_json`).
    path : str or Path
        A .png or .svg file.

    Returns
    -------
    Path
        The file written.
    """
    plt = pyplot()
    n = len(rows)
    fig, ax = plt.subplots(figsize=(8, 0.28 * n + 1.2))
    for i, r in enumerate(rows):
        lo, hi = r["pi90"]
        x, med = r["published"], r["predicted_median"]
        ref = abs(med) if med else 1.0
        colour = "tab:blue" if r["role"] == "calibration" else "tab:orange"
        ax.plot([lo / ref, hi / ref], [i, i], color=colour, lw=3, alpha=0.6)
        ax.plot(x / ref, i, "o" if r["inside"] else "x", color="k", ms=4)
    ax.axvline(1.0, color="grey", lw=0.5)
    ax.set_yticks(range(n), [f"{r['source']} {r['arm'][:14]} {r['endpoint']}" for r in rows], fontsize=6)
    ax.set_xscale("symlog", linthresh=0.1)
    ax.set_xlabel("value / predicted median (bar: 90 % interval; blue: refit without it, orange: held out)")
    return _save(fig, path)
