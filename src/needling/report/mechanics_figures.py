"""Figures of a simulated session: channel density map and depth against the skin's layers."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from needling.anatomy import LAYERS
from needling.errors import InputError

LAYER_COLOURS = {
    "stratum_corneum": "#f4e3c1",
    "viable_epidermis": "#f2c7a5",
    "papillary_dermis": "#e89a8c",
    "reticular_dermis": "#c86b6b",
}


def save_figure(fig, path: str | Path) -> Path:
    """Save as PNG or SVG by the extension; anything else is an InputError."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise InputError(f"figure path {path} must end in .png or .svg", field="--figure")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=130, bbox_inches="tight")
    plt.close(fig)
    return path


def session_figure(result, path: str | Path) -> Path:
    """Channel density map (left) and depth histogram against the layers (right).

    Parameters
    ----------
    result : SessionResult
        From ``simulate_session`` (needs its channel map and depths).
    path : str or Path
        ``.png`` or ``.svg``.
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.6), gridspec_kw={"width_ratios": [1.1, 1]})
    grid = result.density_grid_per_cm2
    side_cm = result.channel_map.side * 100 if result.channel_map is not None else 1.0
    if grid is not None and grid.size:
        im = ax1.imshow(grid.T, origin="lower", extent=(0, side_cm, 0, side_cm), cmap="magma")
        fig.colorbar(im, ax=ax1, label="channels per cm$^2$")
    cmap = result.channel_map
    if cmap is not None and cmap.count and side_cm <= 3.0:
        ax1.scatter((cmap.x + cmap.side / 2) * 100, (cmap.y + cmap.side / 2) * 100, s=1, c="white", alpha=0.6)
    ax1.set(
        xlabel="cm",
        ylabel="cm",
        title=f"{result.device} on {result.site}: {result.channels_per_cm2:.0f} channels/cm$^2$",
    )
    bottoms = [0.0] + [result.layer_bottoms_um[k] for k in LAYERS]
    for layer, top, bottom in zip(LAYERS, bottoms[:-1], bottoms[1:], strict=True):
        ax2.axhspan(top, bottom, color=LAYER_COLOURS[layer], alpha=0.8, label=layer.replace("_", " "))
    depths = result.depths_um if result.depths_um is not None else np.array([result.depth_mean_um])
    if depths.size and depths.max() > 0:
        ax2.hist(depths, bins=40, orientation="horizontal", color="#2b3a67", alpha=0.85, density=True)
    deepest = max(result.needle_length_mm * 1000, bottoms[-1]) * 1.05
    ax2.axhspan(bottoms[-1], deepest, color="#f6e7a1", alpha=0.6, label="subcutis")
    ax2.axhline(result.needle_length_mm * 1000, color="k", ls="--", lw=1, label="needle length")
    ax2.set_ylim(deepest, 0)
    ax2.set(
        xlabel="share of channels",
        ylabel="depth below surface (um)",
        title=f"depth: mean {result.depth_mean_um:.0f} um, endpoint {result.endpoint}",
    )
    ax2.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    return save_figure(fig, path)
