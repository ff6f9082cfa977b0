"""Figures of a delivery: flux over time (needled and intact) and the depth-concentration profile."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from needling.report.mechanics_figures import save_figure


def delivery_figure(result, path: str | Path) -> Path:
    """Flux against time (left, log scale) and concentration against depth at the end (right)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.4))
    ax1.plot(result.t_h, np.maximum(result.flux_ug_per_cm2_h, 1e-12), label="after needling", color="#b03a48")
    ax1.plot(result.t_h, np.maximum(result.intact_flux_ug_per_cm2_h, 1e-12), label="intact skin", color="#2b3a67")
    ax1.axvline(result.channel_half_life_h, color="grey", ls=":", lw=1, label="channel half-life")
    ax1.set(
        xscale="log",
        yscale="log",
        xlabel="time (h)",
        ylabel="flux (ug/cm$^2$/h)",
        title=f"{result.compound}: enhancement "
        + (f"{result.enhancement_ratio:.3g}x" if result.enhancement_ratio is not None else "not stated"),
    )
    ax1.legend(fontsize=8)
    ax2.plot(np.maximum(result.profile_ug_per_ml, 1e-12), result.z_um, color="#b03a48", label="after needling")
    ax2.plot(np.maximum(result.intact_profile_ug_per_ml, 1e-12), result.z_um, color="#2b3a67", label="intact skin")
    ax2.axhline(result.channel_depth_um, color="grey", ls="--", lw=1, label="open channel depth")
    ax2.set(
        xscale="log",
        xlabel="concentration (ug/mL)",
        ylabel="depth (um)",
        title=f"profile at {result.hours:g} h ({'occluded' if result.occluded else 'open air'})",
    )
    ax2.invert_yaxis()
    ax2.legend(fontsize=8)
    fig.tight_layout()
    return save_figure(fig, path)
