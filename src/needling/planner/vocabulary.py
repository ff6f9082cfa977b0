"""The planner's controlled vocabulary: conditions, medications, procedures, indications, settings."""

from __future__ import annotations

#: Indications a plan may name: exactly those the cohort model runs series for (one list, kept there).
from needling.cohort.series import INDICATIONS as INDICATIONS

CONDITIONS = (
    "active-infection",
    "active-herpes",
    "history-of-herpes-labialis",
    "active-acne",
    "keloid-tendency",
    "bleeding-disorder",
    "diabetes-controlled",
    "diabetes-uncontrolled",
    "immunosuppression",
    "skin-cancer-in-area",
    "eczema",
    "psoriasis",
    "rosacea",
    "metal-allergy",
    "anaesthetic-allergy",
    "collagen-vascular-disease",
    "open-wound",
    "chemotherapy-or-radiotherapy",
    "sunburn",
    "vitiligo",
    "lichen-planus",
    "blood-borne-infection",
)

#: Medications are coded data: see ``medications.toml`` (substances with ATC code, route and names) and
#: ``medications.py`` (matching typed names). Rules trigger on ATC groups and route.

#: Procedure kinds a patient may have had (dated in the past) or have booked (dated after the start).
PROCEDURES = (
    "botulinum-toxin",
    "filler",
    "collagen-injection",
    "chemical-peel-superficial",
    "chemical-peel-medium",
    "chemical-peel-deep",
    "laser-ablative",
    "laser-non-ablative",
    "ipl",
    "surgery",
    "radiotherapy",
    "microneedling",
    "tattoo",
    "permanent-make-up",
    "waxing",
    "depilatory",
)
#: Older, less specific names still accepted in patient files: read as the strictest kind of their family.
PROCEDURE_ALIASES = {
    "chemical-peel": "chemical-peel-deep",
    "laser": "laser-ablative",
}


SETTINGS = ("clinic", "home")
EFFECTS = ("do-not-treat", "defer-until", "caution", "modify")
DECISIONS = ("proceed", "proceed-with-caution", "defer", "do-not-treat")
