"""The planner's controlled vocabulary: conditions, medications, procedures, indications, settings."""

from __future__ import annotations

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
)

#: Medication name -> class.
MEDICATIONS = {
    "isotretinoin": "isotretinoin",
    "warfarin": "anticoagulant",
    "apixaban": "anticoagulant",
    "rivaroxaban": "anticoagulant",
    "edoxaban": "anticoagulant",
    "dabigatran": "anticoagulant",
    "heparin": "anticoagulant",
    "aspirin": "antiplatelet",
    "clopidogrel": "antiplatelet",
    "ticagrelor": "antiplatelet",
    "prasugrel": "antiplatelet",
    "methotrexate": "immunosuppressant",
    "ciclosporin": "immunosuppressant",
    "azathioprine": "immunosuppressant",
    "mycophenolate": "immunosuppressant",
    "tacrolimus": "immunosuppressant",
    "prednisolone": "systemic-steroid",
    "prednisone": "systemic-steroid",
    "dexamethasone": "systemic-steroid",
    "hydrocortisone-oral": "systemic-steroid",
    "minoxidil": "minoxidil",
    "topical-retinoid": "topical-retinoid",
}
MEDICATION_CLASSES = tuple(sorted(set(MEDICATIONS.values())))

PROCEDURES = (
    "filler",
    "collagen-injection",
    "botulinum-toxin",
    "chemical-peel",
    "laser",
    "surgery",
    "radiotherapy",
    "microneedling",
)

INDICATIONS = (
    "acne-scars",
    "striae",
    "fine-lines",
    "wrinkles",
    "burn-scar",
    "trauma-scar",
    "androgenetic-alopecia",
    "pih",
    "melasma",
    "topical-delivery",
)

SETTINGS = ("clinic", "home")
EFFECTS = ("do-not-treat", "defer-until", "caution", "modify")
DECISIONS = ("proceed", "proceed-with-caution", "defer", "do-not-treat")
