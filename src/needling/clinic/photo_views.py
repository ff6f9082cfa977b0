"""The standard photo views, and which of them each treatment region is photographed in.

A before-and-after comparison is only fair between photos taken the same way, so a photo is stored with its
view, chosen on upload from a fixed vocabulary: the face from the front, turned 45 degrees to its left or
right (oblique), in left or right profile (lateral), and the scalp from above. These are the standardised,
reproducible views of facial aesthetic photography (Nair et al. 2016: frontal, oblique and lateral views).

Which views fit which region is a display choice of this service (not a clinical rule): a face region is
photographed in the five face views; the temple, being on the side of the head, in the four turned views;
the scalp from above, from the front (the hairline) and in profile (the temples); a body region straight on
and turned 45 degrees.

References
----------
Nair AG, Santhanam A, Shah H. Clinical photography for periorbital and facial aesthetic practice. J Cutan
Aesthet Surg 2016;9(2):115-21. doi:10.4103/0974-2077.184047 (PMID 27398013): standardised frontal, oblique
and lateral views for before-and-after comparison.
"""

from __future__ import annotations

from needling.errors import InputError
from needling.i18n import N_

#: Every view, in the order they are offered, with the words people use for it (translated where shown).
VIEWS: dict[str, str] = {
    "front": N_("from the front"),
    "left-45": N_("left 45°"),
    "right-45": N_("right 45°"),
    "left-profile": N_("left profile"),
    "right-profile": N_("right profile"),
    "scalp-top": N_("scalp from above"),
}

#: A photo's label (when in the series it was taken) in words, translated where shown; the stored value is the key.
LABELS: dict[str, str] = {"before": N_("before"), "after": N_("after"), "follow-up": N_("follow up")}

FACE = ("front", "left-45", "right-45", "left-profile", "right-profile")
#: The views each region (site of the site table) is photographed in; the first is the default.
REGION_VIEWS: dict[str, tuple[str, ...]] = {
    "forehead": FACE,
    "temple": ("left-45", "right-45", "left-profile", "right-profile"),
    "periorbital": FACE,
    "nose": FACE,
    "cheek": FACE,
    "perioral": FACE,
    "chin": FACE,
    "submandibular": FACE,
    "neck": FACE,
    "scalp": ("scalp-top", "front", "left-profile", "right-profile"),
    "abdomen": ("front", "left-45", "right-45"),
    "thigh": ("front", "left-45", "right-45"),
    "upper-arm": ("front", "left-45", "right-45"),
    "back": ("front", "left-45", "right-45"),
}


def views_for(site: str) -> tuple[str, ...]:
    """The views ``site`` is photographed in (empty for a name that is not a site)."""
    return REGION_VIEWS.get(site, ())


def check_view(site: str, view: str) -> str:
    """Return ``view`` if ``site`` is photographed in it.

    Raises
    ------
    InputError
        (field ``view``) naming the views valid for the region.
    """
    valid = views_for(site)
    if view not in valid:
        raise InputError(
            f"view {view!r} is not a view of {site}; valid: {', '.join(valid)}",
            field="view",
            msgid=N_("Choose a view of this area from the list."),
        )
    return view
