"""What people read for the intake's codes (conditions, procedures, settings, sections), marked for translation.

A code missing from a table is a bug: ``tests/clinic/test_intake_pages.py`` checks every code of the planner's
vocabulary has its words here.
"""

from __future__ import annotations

from needling.i18n import N_

CONDITIONS = {
    "active-infection": N_("active skin infection"),
    "active-herpes": N_("active cold sores (herpes)"),
    "history-of-herpes-labialis": N_("cold sores in the past"),
    "active-acne": N_("active acne"),
    "keloid-tendency": N_("tends to form keloids"),
    "bleeding-disorder": N_("bleeding disorder"),
    "diabetes-controlled": N_("diabetes, controlled"),
    "diabetes-uncontrolled": N_("diabetes, not controlled"),
    "immunosuppression": N_("weakened immune system"),
    "skin-cancer-in-area": N_("skin cancer in the area"),
    "eczema": N_("eczema"),
    "psoriasis": N_("psoriasis"),
    "rosacea": N_("rosacea"),
    "metal-allergy": N_("metal allergy"),
    "anaesthetic-allergy": N_("allergy to local anaesthetics"),
    "collagen-vascular-disease": N_("connective tissue disease"),
    "open-wound": N_("open wound"),
    "chemotherapy-or-radiotherapy": N_("chemotherapy or radiotherapy"),
    "sunburn": N_("sunburn"),
    "vitiligo": N_("vitiligo"),
    "lichen-planus": N_("lichen planus"),
    "blood-borne-infection": N_("blood-borne infection"),
}
PROCEDURES = {
    "botulinum-toxin": N_("botulinum toxin"),
    "filler": N_("filler"),
    "collagen-injection": N_("collagen injection"),
    "chemical-peel-superficial": N_("chemical peel, superficial"),
    "chemical-peel-medium": N_("chemical peel, medium depth"),
    "chemical-peel-deep": N_("chemical peel, deep"),
    "laser-ablative": N_("ablative laser"),
    "laser-non-ablative": N_("non-ablative laser"),
    "ipl": N_("IPL"),
    "surgery": N_("surgery"),
    "radiotherapy": N_("radiotherapy"),
    "microneedling": N_("microneedling"),
    "tattoo": N_("tattoo"),
    "permanent-make-up": N_("permanent make-up"),
    "waxing": N_("waxing"),
    "depilatory": N_("hair removal cream"),
}
SETTINGS = {"clinic": N_("in the clinic"), "home": N_("at home")}
STRIAE_TYPES = {"rubra": N_("red (rubra)"), "alba": N_("white (alba)")}
ROUTES = {"systemic": N_("taken by mouth or injection"), "topical": N_("on the skin")}
#: The intake's sections and person fields, as the history lists their changes.
SECTIONS = {
    "patient": N_("Patient"),
    "medications": N_("Medications"),
    "conditions": N_("Conditions"),
    "procedures": N_("Procedures"),
    "goals": N_("Goals"),
    "setting": N_("Setting"),
    "devices": N_("Devices"),
}
FIELDS = {
    "age": N_("Age"),
    "sex": N_("Sex"),
    "fitzpatrick": N_("Fitzpatrick skin type"),
    "pregnant": N_("Pregnant"),
    "breastfeeding": N_("Breast-feeding"),
}
CHANGES = {"added": N_("added"), "removed": N_("removed"), "changed": N_("changed")}
