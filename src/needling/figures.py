"""How a result finds the function that draws it: ``result.plot(path)``.

Figures belong to the report layer (:mod:`needling.report`), above the science core; a result in a lower
layer must not import it. Each result names its figure (``"session"``, ``"delivery"``, ``"series"``,
``"trial"``); :data:`DRAWERS` says which report function draws it, and :func:`draw` loads that function
by name when a figure is asked for, so the science core still imports nothing of the report layer.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

#: Figure name -> (module, function) of the report layer that draws it into a .png or .svg file.
DRAWERS: dict[str, tuple[str, str]] = {
    "session": ("needling.report.mechanics_figures", "session_figure"),
    "delivery": ("needling.report.transport_figures", "delivery_figure"),
    "series": ("needling.report.series_figures", "series_figure"),
    "trial": ("needling.report.series_figures", "trial_figure"),
}


def pyplot() -> Any:
    """``matplotlib.pyplot`` drawing to files only (the Agg backend), imported when a figure is first drawn.

    Returns
    -------
    module
        ``matplotlib.pyplot``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def draw(figure: str, result: Any, path: str | Path) -> Path:
    """Draw ``result`` as the named figure into ``path`` (.png or .svg) and return the path."""
    module, function = DRAWERS[figure]
    drawn: Path = getattr(importlib.import_module(module), function)(result, path)
    return Path(drawn)
