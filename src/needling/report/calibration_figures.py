"""Figures of the calibration: prior against posterior per parameter, posterior predictive per trial."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


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
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sp = cal.space
    cols = 3
    rows = -(-sp.dim // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(9, 2.2 * rows), squeeze=False)
    prior = np.random.default_rng(0).standard_normal(4000)
    for k, name in enumerate(sp.names):
        ax = axes[k // cols][k % cols]
        bins = np.linspace(-3, 3, 41)
        ax.hist(prior, bins=bins, density=True, alpha=0.4, label="prior")
        ax.hist(cal.fit.draws[:, k], bins=bins, density=True, alpha=0.6, label="posterior")
        ax.set_title(name, fontsize=8)
        ax.set_xlabel("prior standard deviations from the prior's centre", fontsize=6)
    for k in range(sp.dim, rows * cols):
        axes[k // cols][k % cols].axis("off")
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path)
    plt.close(fig)
    return path


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
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path)
    plt.close(fig)
    return path


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
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path)
    plt.close(fig)
    return path
