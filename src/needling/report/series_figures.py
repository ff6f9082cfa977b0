"""Figures of a series (timeline with its uncertainty band) and of a trial (per-arm endpoints)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from needling.report.mechanics_figures import save_figure


def series_figure(result, path: str | Path) -> Path:
    """Collagen and the indication's measure over the weeks, with 2.5-97.5 % bands and the sessions marked."""
    rows = result.timeline()
    weeks = np.array([r["week"] for r in rows])
    measure = next((m for m in ("grade", "hair_count_change", "improvement_pct") if f"{m}_mean" in rows[0]), None)
    fig, axes = plt.subplots(1, 2 if measure else 1, figsize=(11 if measure else 6, 4.2), squeeze=False)
    panels = [("collagen_rel", "collagen (relative to baseline)")]
    if measure:
        panels.append((measure, measure.replace("_", " ")))
    for ax, (name, label) in zip(axes[0], panels, strict=True):
        key = name if name == "collagen_rel" else f"{name}_mean"
        mean = np.array([r[key] for r in rows])
        lo = np.array([r[f"{name}_p2_5"] for r in rows])
        hi = np.array([r[f"{name}_p97_5"] for r in rows])
        ax.fill_between(weeks, lo, hi, color="#e8a0a8", alpha=0.5, label="95 % of patients")
        ax.plot(weeks, mean, color="#b03a48", lw=2, label="mean")
        for s in result.protocol.sessions:
            ax.axvline(s.week, color="grey", lw=0.6, ls=":")
        ax.set(xlabel="weeks from the first session", ylabel=label)
        ax.legend(fontsize=8)
    fig.suptitle(f"{result.indication} on {result.site}: {result.protocol.name}", fontsize=10)
    fig.tight_layout()
    return save_figure(fig, path)


def trial_figure(result, path: str | Path) -> Path:
    """One panel per endpoint: each arm's mean with its 95 % interval, and the published value."""
    eps = list(result.arms[0].endpoints)
    cols = min(3, len(eps))
    rows = (len(eps) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    for ax, ep in zip(axes.ravel(), eps, strict=False):
        for i, arm in enumerate(result.arms):
            e = arm.endpoints[ep]
            if e.mean is None or e.low is None or e.high is None:
                continue
            ax.errorbar(
                i,
                e.mean,
                yerr=[[e.mean - e.low], [e.high - e.mean]],
                fmt="o",
                color="#b03a48",
                capsize=4,
            )
            if e.published is not None:
                ax.plot(i, e.published, "s", color="#2b3a67", label="published" if i == 0 else None)
        ax.set_xticks(range(len(result.arms)), [a.name for a in result.arms], fontsize=7, rotation=15)
        ax.set_title(ep.replace("_", " "), fontsize=9)
        if any(a.endpoints[ep].published is not None for a in result.arms):
            ax.legend(fontsize=7)
    for ax in axes.ravel()[len(eps) :]:
        ax.axis("off")
    fig.suptitle(result.trial.name, fontsize=10)
    fig.tight_layout()
    return save_figure(fig, path)
