"""What people read for each code of a plan (regions, indications, decisions, reasons), marked for translation.

Each table maps a code to its English text, the gettext msgid; templates show ``_(labels.SITES[code])`` and
Python ``translate(lang, SITES[code])``. A code missing from a table is a bug: the tests render every one.
"""

from __future__ import annotations

from needling.i18n import N_

SITES = {
    "forehead": N_("forehead"),
    "temple": N_("temple"),
    "periorbital": N_("around the eyes"),
    "nose": N_("nose"),
    "cheek": N_("cheek"),
    "perioral": N_("around the mouth"),
    "chin": N_("chin"),
    "submandibular": N_("under the jaw"),
    "neck": N_("neck"),
    "scalp": N_("scalp"),
    "abdomen": N_("abdomen"),
    "thigh": N_("thigh"),
    "upper-arm": N_("upper arm"),
    "back": N_("back"),
}
INDICATIONS = {
    "acne-scars": N_("acne scars"),
    "striae": N_("stretch marks"),
    "fine-lines": N_("fine lines"),
    "wrinkles": N_("wrinkles"),
    "burn-scar": N_("burn scar"),
    "trauma-scar": N_("scar after injury"),
    "androgenetic-alopecia": N_("hair thinning"),
    "pih": N_("dark patches after inflammation"),
    "melasma": N_("melasma"),
    "topical-delivery": N_("helping a skin product in"),
}
COMBINATION_PATIENT = {
    "tca-peel": N_("A mild chemical peel with trichloroacetic acid (15 %) two weeks after each needling"),
    "prp": N_("Possibly your own platelet-rich plasma on the skin right after needling"),
    "vitamin-c": N_("A sterile vitamin C product on the skin after needling"),
    "tranexamic-acid": N_("A sterile tranexamic acid solution on the skin after needling"),
    "minoxidil": N_("Minoxidil twice a day, but not on the day of needling and the day after"),
}
AFTERCARE_PATIENT = {
    "sun": N_("Use a moisturising sunscreen for at least two days and stay out of the sun."),
    "expected-reactions": N_(
        "Redness, some swelling and tiny spots of blood are normal and settle within a week. "
        "Tell us if they last longer."
    ),
    "sterile-products": N_("For the first day, put only the sterile products we give you on the treated skin."),
}
STOP_IF = {
    "infection": N_("signs of infection"),
    "long-redness": N_("redness lasting more than a week"),
    "bleeding": N_("bleeding"),
    "broken-needle": N_("a broken needle"),
}
#: A plan's predicted adverse events (``Risks`` fields) as the clinician's table names them: the words with the
#: term or abbreviation a clinician looks for.
RISKS_CLINICIAN = {
    "pih": N_("Darker patches (PIH)"),
    "tram_track": N_("Track-like marks (tram-track scarring)"),
    "prolonged_erythema": N_("Redness for more than a week"),
}
#: The same events as a patient reads them (a consent's own risks): plain words, no abbreviation or term.
RISKS_PATIENT = {
    "pih": N_("Darker patches"),
    "tram_track": N_("Track-like marks"),
    "prolonged_erythema": N_("Redness for more than a week"),
}
EFFECTS = {
    "do-not-treat": N_("do not treat"),
    "defer-until": N_("defer until"),
    "caution": N_("caution"),
    "modify": N_("modify"),
}
COMBINATION_CLINICIAN = {
    "tca-peel": N_("TCA 15 % peel alternating with needling, 2 weeks after each session"),
    "prp": N_("PRP topically, optional, right after needling"),
    "vitamin-c": N_("Vitamin C 20 % after needling; sterile product fit for intradermal use only"),
    "tranexamic-acid": N_("Tranexamic acid 100 mg/mL topically after needling"),
    "minoxidil": N_("Minoxidil 5 % twice daily, paused on the day of needling and the day after"),
}
NOT_TREATED_REASON = {
    "grade-0": N_("no scars (grade 0): nothing to treat as a scar"),
}
DROPPED_REASON = {
    "rule": N_("a screening rule forbids peels for this patient or region"),
    "thin-skin": N_("the skin of this region is too thin for a peel"),
    "home-setting": N_("peels are clinic procedures, never part of a home plan"),
    "peel-pause": N_("it would fall within the pause around a needling day or a procedure window"),
    "home-bleeding": N_("the home roller is predicted to draw blood here, and bleeding is a reason to stop"),
}
COMBINATION_NAMES = {
    "tca-peel": N_("TCA peel"),
    "home-care": N_("home needling"),
}
DECISIONS = {
    "proceed": N_("Proceed"),
    "proceed-with-caution": N_("Proceed with caution"),
    "defer": N_("Defer"),
    "do-not-treat": N_("Do not treat"),
}
SEXES = {
    "female": N_("female"),
    "male": N_("male"),
}
ENDPOINTS = {
    "erythema": N_("redness"),
    "pinpoint bleeding": N_("pinpoint bleeding"),
}
SKIN = {
    "stretched": N_("skin stretched"),
}
AGENTS = {
    "lidocaine-prilocaine": N_("lidocaine-prilocaine cream"),
}
MEASURES = {
    "grade": N_("Scar grade (Goodman & Baron, 0-4)"),
    "improvement_pct": N_("Improvement, %"),
    "hair_count_change": N_("Change in hair count"),
    "collagen_rel": N_("Collagen relative to before"),
}
