"""Session note templates per region: the headings a clinician fills in for each region treated.

A template is a set of neutral documentation headings, not a clinical rule: every region has the common ones
(skin before, anaesthesia, technique, endpoint, skin after, aftercare given) and some regions one more that is
specific to where they are (eye protection around the eyes, cold-sore history around the mouth, hair on the
scalp, the area treated on the body). Headings are texts of the catalogues, filled in the reader's language.
"""

from __future__ import annotations

from needling.i18n import N_, translate

#: Headings every region's note starts with.
COMMON = (
    N_("Skin before"),
    N_("Anaesthesia and minutes on the skin"),
    N_("Device, needle and passes"),
    N_("Endpoint reached"),
    N_("Skin after"),
    N_("Aftercare advice given"),
)
#: One more heading for the regions that need it, and which template each region uses.
EXTRA = {
    "periorbital": N_("Eyes protected"),
    "perioral": N_("Cold sores in the past asked about"),
    "scalp": N_("Hair length and parting"),
    "abdomen": N_("Area treated (cm²)"),
    "thigh": N_("Area treated (cm²)"),
    "upper-arm": N_("Area treated (cm²)"),
    "back": N_("Area treated (cm²)"),
}
FACE = ("forehead", "temple", "periorbital", "nose", "cheek", "perioral", "chin", "submandibular", "neck")
#: The template name stored with a note.
TEMPLATE_OF = {
    **{s: "face" for s in FACE},
    "scalp": "scalp",
    **{s: "body" for s in ("abdomen", "thigh", "upper-arm", "back")},
}


def template_name(site: str | None) -> str:
    """The template a region's note uses (``face``, ``scalp``, ``body``; ``session`` for the whole session)."""
    return TEMPLATE_OF.get(site or "", "session")


def template_text(site: str | None, lang: str) -> str:
    """The empty note of a region, in ``lang``: one heading per line, each followed by a colon."""
    headings = list(COMMON)
    if site in EXTRA:
        headings.insert(1, EXTRA[site])
    return "\n".join(f"{translate(lang, h)}: " for h in headings)
