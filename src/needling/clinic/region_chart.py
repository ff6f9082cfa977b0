"""The region chart: a face and body diagram of the skin sites, as data for ``templates/region_chart.html``.

One shape per site of ``needling.anatomy`` (the site table), drawn in one coordinate system and shown as two
SVG drawings (``VIEWS``): the face from the front, and the body from the front with a small back view.
The chart has two uses:

- choosing regions in a form (``choice_regions``): each shape is a focusable control bound by
  ``static/region_chart.js`` to the form's own region inputs, so the form works without JavaScript;
- showing a plan (``plan_regions``): each planned region coloured by its planned needle depth in one of
  ``DEPTH_BANDS_MM``, with its sessions, a legend and a text table for screen readers.

Nothing here reads a path or any user input: shapes are constants, sites come from the site table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from needling.anatomy import site_names
from needling.i18n import N_
from needling.planner.plan_model import Region

#: Upper edges (mm) of the depth bands the plan chart colours; a needle above the last is the last band + 1.
#: A display choice, not a clinical rule: half-millimetre steps over the 0.25 to 2.5 mm needles the
#: planner uses, so each band reads as "up to 0.5 mm", "0.5 to 1 mm" and so on.
DEPTH_BANDS_MM: tuple[float, ...] = (0.5, 1.0, 1.5)


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> str:
    """An ellipse as path data (two arcs), so every site is one ``<path>``."""
    return f"M{cx - rx:g} {cy:g}a{rx:g} {ry:g} 0 1 0 {2 * rx:g} 0a{rx:g} {ry:g} 0 1 0 {-2 * rx:g} 0Z"


def _rect(x: float, y: float, w: float, h: float) -> str:
    return f"M{x:g} {y:g}h{w:g}v{h:g}h{-w:g}Z"


#: Path data of each site (both sides of the face or body in one path). Keys are the site table's names.
SHAPES: dict[str, str] = {
    "scalp": "M44 62C44 22 136 22 136 62C120 50 60 50 44 62Z",
    "forehead": _ellipse(90, 70, 38, 11),
    "temple": _ellipse(40, 88, 8, 13) + _ellipse(140, 88, 8, 13),
    "periorbital": _ellipse(70, 96, 13, 7) + _ellipse(110, 96, 13, 7),
    "nose": "M90 98L101 130H79Z",
    "cheek": _ellipse(58, 124, 14, 14) + _ellipse(122, 124, 14, 14),
    "perioral": _ellipse(90, 146, 19, 7),
    "chin": _ellipse(90, 168, 17, 8),
    "submandibular": _ellipse(66, 186, 16, 6) + _ellipse(114, 186, 16, 6),
    "neck": _rect(68, 198, 44, 40),
    "upper-arm": _rect(196, 56, 16, 62) + _rect(288, 56, 16, 62),
    "abdomen": _rect(222, 100, 56, 56),
    "thigh": _rect(222, 172, 24, 70) + _rect(254, 172, 24, 70),
    "back": _rect(340, 56, 60, 100),
}


@dataclass(frozen=True)
class View:
    """One drawing of the chart (its own SVG, so each can fill a phone's width and its regions stay large).

    Attributes
    ----------
    name : str
        ``"face"`` or ``"body"``.
    view_box : str
        The part of the shared coordinate system (chart user units) this drawing shows.
    outlines : tuple of str
        Path data drawn behind the sites (not controls).
    captions : tuple of (float, float, str)
        Text written on the drawing: x, y and a msgid (translated where shown).
    sites : tuple of str
        The sites drawn here, in the site table's order.
    """

    name: str
    view_box: str
    outlines: tuple[str, ...]
    captions: tuple[tuple[float, float, str], ...]
    sites: tuple[str, ...]


_BODY = ("abdomen", "thigh", "upper-arm", "back")

#: The face (with the scalp and neck) from the front; the body from the front and a small back view.
VIEWS: tuple[View, ...] = (
    View(
        name="face",
        view_box="24 18 132 226",
        outlines=(_ellipse(90, 112, 52, 82),),
        captions=(),
        sites=tuple(s for s in site_names() if s not in _BODY),
    ),
    View(
        name="body",
        view_box="190 22 222 226",
        outlines=(
            "M214 46H286L300 52V120H286V160H280V244H220V160H214V120H200V52Z",
            "M332 46H408V160H332Z",
        ),
        captions=((250, 38, N_("front")), (370, 38, N_("back"))),
        sites=tuple(s for s in site_names() if s in _BODY),
    ),
)


@dataclass(frozen=True)
class ChartRegion:
    """One site on the chart.

    Attributes
    ----------
    site : str
        The site's name in the site table (``needling sites list``).
    d : str
        Its SVG path data (chart user units).
    planned : bool
        Whether the plan treats it.
    needle_length_mm : float or None
        The planned needle length (mm), when planned.
    band : int or None
        Index of the depth band (0 = up to ``DEPTH_BANDS_MM[0]``), when planned.
    sessions : int or None
        Planned number of sessions, when planned.
    interval_weeks : float or None
        Planned interval between sessions (weeks), when planned.
    done : int
        Sessions already recorded on this site.
    dates : tuple of str
        The planned dates of its series (ISO), when the plan has them.
    parts : int
        Days each session is spread over (a large region treated in parts on consecutive days), else 1.
    """

    site: str
    d: str
    planned: bool = False
    needle_length_mm: float | None = None
    band: int | None = None
    sessions: int | None = None
    interval_weeks: float | None = None
    done: int = 0
    dates: tuple[str, ...] = ()
    parts: int = 1


def depth_band(needle_length_mm: float) -> int:
    """The index of the depth band a needle length (mm) falls in: 0 up to 0.5 mm, 1 up to 1 mm, and so on."""
    if not needle_length_mm > 0:
        raise ValueError(f"needle length must be above 0 mm, got {needle_length_mm!r}")
    return sum(1 for edge in DEPTH_BANDS_MM if needle_length_mm > edge)


def depth_bands() -> list[tuple[int, float | None, float | None]]:
    """The legend: ``(index, from_mm, to_mm)`` for each band (``None`` where the band is open)."""
    edges: list[float | None] = [None, *DEPTH_BANDS_MM, None]
    return [(i, edges[i], edges[i + 1]) for i in range(len(DEPTH_BANDS_MM) + 1)]


def choice_regions() -> list[ChartRegion]:
    """Every site of the site table as a chart region, in the table's order (for choosing in a form)."""
    return [ChartRegion(site=s, d=SHAPES[s]) for s in site_names()]


def _dates(region: Region) -> tuple[str, ...]:
    """The planned dates (ISO) of a plan region's series, none when it has no series."""
    return tuple(region.series.dates) if region.series is not None else ()


def plan_regions(
    plan_regions: Iterable[Region | Mapping[str, Any]], session_sites: Iterable[str] = ()
) -> list[ChartRegion]:
    """Every site with the plan laid over it.

    Parameters
    ----------
    plan_regions : iterable of Region or mapping
        The plan's regions (``needling.planner.plan_model.Region``, or its JSON document, read into one: ``site``,
        ``needle_length_mm`` in mm, ``sessions``, ``interval_weeks`` in weeks). A site planned twice (two
        indications) shows its deepest needle and the larger number of sessions.
    session_sites : iterable of str
        The site of every region of every recorded session (counted per site).

    Returns
    -------
    list of ChartRegion
        One per site of the site table, in its order.
    """
    done = Counter(session_sites)
    planned: dict[str, Region] = {}
    for item in plan_regions:
        region = item if isinstance(item, Region) else Region.model_validate(item)
        seen = planned.get(region.site)
        key = (float(region.needle_length_mm), int(region.sessions))
        if seen is None or key > (float(seen.needle_length_mm), int(seen.sessions)):
            planned[region.site] = region
    out: list[ChartRegion] = []
    for s in site_names():
        p = planned.get(s)
        if p is None:
            out.append(ChartRegion(site=s, d=SHAPES[s], done=done[s]))
            continue
        mm = float(p.needle_length_mm)
        out.append(
            ChartRegion(
                site=s,
                d=SHAPES[s],
                planned=True,
                needle_length_mm=mm,
                band=depth_band(mm),
                sessions=int(p.sessions),
                interval_weeks=float(p.interval_weeks),
                done=done[s],
                dates=_dates(p),
                parts=len(p.series.part_dates[0]) if p.series is not None and p.series.part_dates else 1,
            )
        )
    return out
