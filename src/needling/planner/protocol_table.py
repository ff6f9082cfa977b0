"""The numbers of the protocol rules, each Cited or a named Assumption (grade L where no trial gives it)."""

from __future__ import annotations

from needling.evidence import Assumption, Cited, Grade

H, M, L = Grade.H, Grade.M, Grade.L

LENGTH_BY_INDICATION = {
    "acne-scars": Cited(1.5, "mm", "Harris2015", "review: median needle length of acne-scar trials", H),
    "striae": Cited(1.0, "mm", "Fernandes2020", "opinion: wrinkles and striae need about 1.0 mm", M),
    "wrinkles": Cited(1.0, "mm", "Fernandes2020", "opinion: wrinkles and striae need about 1.0 mm", M),
    "fine-lines": Assumption(
        "length-fine-lines",
        0.5,
        "mm",
        "Fine lines are superficial; the 'clinical' 0.5 mm class of the sheet (section 1.1).",
    ),
    "burn-scar": Assumption(
        "length-burn-scar",
        2.0,
        "mm",
        "Fernandes 2020 uses about 3 mm for burn scars; capped at 2.0 mm, the longest catalogue "
        "drum, pending clinician choice.",
    ),
    "trauma-scar": Assumption("length-trauma-scar", 2.0, "mm", "As burn scars (Fernandes 2020, capped)."),
    "androgenetic-alopecia": Cited(1.5, "mm", "Dhurat2013", "1.5 mm roller (as summarised; sheet grade L)", L),
    "pih": Assumption(
        "length-pih", 0.5, "mm", "Pigment disorders are treated superficially to limit new PIH; 0.5 mm assumed."
    ),
    "melasma": Assumption(
        "length-melasma",
        0.5,
        "mm",
        "Micro-needling with topical tranexamic acid uses superficial settings; 0.5 mm assumed.",
    ),
    "topical-delivery": Assumption(
        "length-topical-delivery", 0.5, "mm", "Channels through the stratum corneum and epidermis suffice for delivery."
    ),
}

REGION_MAX = {
    "forehead": Cited(0.75, "mm", "DrPenChart", "forehead, thick skin 0.5-0.75 mm", L),
    "periorbital": Cited(0.5, "mm", "DrPenChart", "periorbital 0.25-0.5 mm", L),
    "nose": Cited(0.5, "mm", "DrPenChart", "nose 0.25 / 0.5 mm", L),
    "cheek": Cited(2.0, "mm", "DrPenChart", "cheek and chin 1.0-2.0 mm (thick skin)", L),
    "chin": Cited(2.0, "mm", "DrPenChart", "cheek and chin 1.0-2.0 mm (thick skin)", L),
    "perioral": Cited(0.75, "mm", "DrPenChart", "upper lip 0.25-0.75 mm", L),
}
THICKNESS_LIMIT_FACTOR = Assumption(
    "needle-limit-per-dermis-depth",
    1.6,
    "1",
    "Where the depth chart is silent, the longest needle is 1.6 x the depth of the site's dermis bottom (rounded down "
    "to 0.25 mm): the factor that allows the standard 1.5 mm on the cheek (dermis bottom about 0.93 mm).",
)
ABSOLUTE_MAX = Cited(2.5, "mm", "FDA2018SkinPen", "device range 0-2.5 mm", M)

SESSIONS = {
    "acne-scars-mild": Cited(3, "1", "Harris2015", "review: median 3 sessions", H),
    "acne-scars": Cited(6, "1", "GargBaveja2014", "6 needling sessions", H),
    "striae": Assumption(
        "sessions-striae", 6, "1", "Mohamed Ali 2017 gave at least 6 sessions two weeks apart (sheet 8.5)."
    ),
    "wrinkles": Assumption("sessions-wrinkles", 4, "1", "The Exceed pen trial gave 4 sessions 30 days apart."),
    "fine-lines": Cited(3, "1", "Harris2015", "review: median 3 sessions", H),
    "burn-scar": Assumption("sessions-burn-scar", 4, "1", "Aust 2010 gave 1-4 treatments; 4 assumed."),
    "trauma-scar": Assumption("sessions-trauma-scar", 4, "1", "As burn scars."),
    "androgenetic-alopecia": Cited(12, "1", "Dhurat2013", "weekly sessions for 12 weeks", H),
    "pih": Assumption("sessions-pih", 3, "1", "Three sessions two weeks apart, as the TXA melasma protocol."),
    "melasma": Assumption("sessions-melasma", 3, "1", "3 sessions 2 weeks apart with topical TXA (sheet 10.3)."),
    "topical-delivery": Assumption("sessions-topical-delivery", 1, "1", "One session per application."),
}
INTERVAL_WEEKS = {
    "acne-scars": Cited(4, "week", "Harris2015", "review: median interval 4 weeks", H),
    "striae": Assumption("interval-striae", 2, "week", "Mohamed Ali 2017: sessions two weeks apart (sheet 8.5)."),
    "wrinkles": Assumption("interval-wrinkles", 4, "week", "Exceed trial: 30 days apart."),
    "fine-lines": Cited(4, "week", "Harris2015", "review: median interval 4 weeks", H),
    "burn-scar": Cited(4, "week", "Harris2015", "review: median interval 4 weeks", H),
    "trauma-scar": Cited(4, "week", "Harris2015", "review: median interval 4 weeks", H),
    "androgenetic-alopecia": Cited(1, "week", "Dhurat2013", "weekly micro-needling", H),
    "pih": Assumption("interval-pih", 2, "week", "As melasma."),
    "melasma": Assumption("interval-melasma", 2, "week", "TXA protocol: 2 weeks apart (sheet 10.3)."),
    "topical-delivery": Cited(4, "week", "Harris2015", "review: median interval 4 weeks", H),
}
MIN_INTERVAL = (  # (longest needle of the class, mm; minimum interval)
    (
        0.3,
        Assumption(
            "min-interval-0.3mm",
            2,
            "day",
            "Home guidance allows 0.2-0.25 mm daily or on alternate days (sheet peers, grade L); two days "
            "is taken as the minimum.",
        ),
    ),
    (0.5, Cited(2, "week", "Farber2020", "superficial devices repeated every 2-4 weeks", M)),
    (3.0, Cited(2, "week", "ElDomyati2015", "six sessions at 2-week intervals (1.5 mm)", H)),
)
MIN_INTERVAL_SCALP = Cited(1, "week", "Dhurat2013", "weekly 1.5 mm needling of the scalp", H)


def min_interval_weeks(length_mm: float, site_name: str) -> tuple[float, str]:
    """Return the shortest interval allowed after needling of this length on this site (weeks), and its source key.

    Parameters
    ----------
    length_mm : float
        Needle length, mm (at most 3).
    site_name : str
        The skin site; the scalp has its own interval above 0.5 mm.

    Returns
    -------
    weeks : float
        The minimum interval, weeks.
    source : str
        The evidence key of that interval (a cited trial or a named assumption).

    Raises
    ------
    ValueError
        If ``length_mm`` is above 3 mm.

    References
    ----------
    Dhurat2013 (evidence key): Dhurat R et al. A randomized evaluator blinded study of effect of
    microneedling in androgenetic alopecia: a pilot study. 2013 (weekly scalp needling).

    Examples
    --------
    >>> min_interval_weeks(1.5, "cheek")
    (2, 'ElDomyati2015')
    """
    if site_name == "scalp" and length_mm > 0.5:
        return MIN_INTERVAL_SCALP.value, MIN_INTERVAL_SCALP.key
    for top, p in MIN_INTERVAL:
        if length_mm <= top + 1e-9:
            weeks = p.value / 7.0 if p.unit == "day" else p.value
            return weeks, p.key
    raise ValueError(f"needle length {length_mm} mm above 3 mm")


UNKNOWN_PREVIOUS_NEEDLE = Assumption(
    "previous-needling-length-unknown",
    1.5,
    "mm",
    "A previous needling session whose needle length was not recorded is taken as dermal needling (1.5 mm, the "
    "median of the acne-scar trials), the stricter reading for its minimum interval.",
)

#: Superficial needling: the cap a caution applies when it says "prefer superficial" or "conservative depth".
SUPERFICIAL_LIMIT = Assumption(
    "superficial-needling-limit",
    0.5,
    "mm",
    "The sheet's 'epidermal' class is 0.25-0.5 mm (section 10.1) and the home limit is 0.5 mm (section 1.4); a "
    "caution that asks for superficial or conservative needling caps the needle there.",
)


def _screen(name: str, why: str) -> Assumption:
    return Assumption(f"screen-{name}", 1, "1", why)


#: Screening rules that no peer-reviewed source read here states for needling: each a named precaution (value: one
#: rule). Reviews that list micro-needling's contraindications item by item (Alster & Graham 2018, Singh & Yadav
#: 2016, Hou 2017, the StatPearls chapter) could be read only up to their abstracts and introductions, which do not
#: list them, so no rule cites them for a particular contraindication; single-clinic pages are not used for these.
SCREENING = {
    "skin-lesion-in-area": _screen(
        "skin-lesion-in-area",
        "A skin cancer, actinic keratosis, raised mole or wart in the treatment area is diagnosed and treated before "
        "the area is needled: needling over it injures and masks a lesion that has not been assessed.",
    ),
    "bleeding-disorder": _screen(
        "bleeding-disorder",
        "Pinpoint bleeding is the endpoint of dermal needling (Farber 2020) and skin-surgery cohorts show more "
        "bleeding when antithrombotic drugs impair haemostasis (Shimizu 2008, Bordeaux 2011); with an inherited "
        "or acquired bleeding disorder the patient is not needled here.",
    ),
    "breastfeeding": _screen(
        "breastfeeding",
        "No needling data in lactation; a systematic review found most cosmetic procedures safe during lactation "
        "(Trivedi 2017, needling not named). Deferred here as a precaution because of the topical anaesthetic and "
        "the actives applied to open channels; the clinician may decide otherwise.",
    ),
    "chemo-radiotherapy": _screen(
        "chemo-radiotherapy",
        "During chemotherapy or radiotherapy wound healing and infection defence are impaired; an elective injury "
        "is not made then. No needling study was found.",
    ),
    "eczema": _screen(
        "eczema",
        "Active eczema is a broken barrier: needling active plaques is avoided; quiescent skin may be treated.",
    ),
    "rosacea": _screen(
        "rosacea",
        "Rosacea skin is reactive and flares after irritation; superficial settings are taken as a precaution.",
    ),
    "collagen-vascular": _screen(
        "collagen-vascular",
        "Lupus, scleroderma and other collagen-vascular diseases alter dermal healing; no needling data, so the "
        "treating physician's agreement is asked first.",
    ),
    "diabetes-uncontrolled": _screen(
        "diabetes-uncontrolled",
        "Hyperglycaemia raises wound infection after surgery; an elective injury waits until the diabetes is "
        "controlled. No needling study was found.",
    ),
}

#: Topical anaesthetic (lidocaine 2.5 % + prilocaine 2.5 % cream): the label's limits for adults.
EMLA_MAX_DOSE = Cited(60, "g", "EMLASmPC", "section 4.2, Table 1: large body areas, maximum recommended dose 60 g", H)
EMLA_MAX_AREA = Cited(
    600, "cm2", "EMLASmPC", "section 4.2, Table 1: large body areas, maximum recommended treated area 600 cm2", H
)
EMLA_DOSE_PER_AREA = Cited(150, "mg/cm2", "EMLASmPC", "section 4.2, Table 1: approx. 1.5 g/10 cm2", H)


def _area(site: str, cm2: float, why: str) -> Assumption:
    return Assumption(f"region-area-{site}", cm2, "cm2", why)


#: Skin area treated per region in one session (both sides where the region is paired): named assumptions.
REGION_AREA_CM2 = {
    "forehead": _area("forehead", 60, "About 12 x 5 cm of adult forehead skin."),
    "temple": _area("temple", 30, "Two temples of about 15 cm2 each."),
    "periorbital": _area("periorbital", 20, "Two periorbital areas of about 10 cm2 each (lids and crow's feet)."),
    "nose": _area("nose", 20, "The external nose, about 20 cm2."),
    "cheek": _area("cheek", 100, "Two cheeks of about 50 cm2 each."),
    "perioral": _area("perioral", 30, "Upper and lower lip skin around the mouth, about 30 cm2."),
    "chin": _area("chin", 20, "About 5 x 4 cm."),
    "submandibular": _area("submandibular", 60, "Under the jaw, both sides, about 60 cm2."),
    "neck": _area("neck", 150, "Front and sides of the neck, about 150 cm2."),
    "scalp": _area("scalp", 300, "The crown and vertex treated for androgenetic alopecia, about 300 cm2."),
    "abdomen": _area("abdomen", 600, "The striae-bearing lower abdomen and flanks, about 600 cm2."),
    "thigh": _area("thigh", 500, "The inner and outer striae-bearing areas of both thighs, about 500 cm2."),
    "upper-arm": _area("upper-arm", 300, "The inner and outer sides of both upper arms, about 300 cm2."),
    "back": _area("back", 800, "A treated area of the back, about 800 cm2."),
}

PASSES_ROLLER = Assumption(
    "roller-passes",
    15,
    "1",
    "15-20 passes in vertical, horizontal and oblique directions (Doddaballapur-derived text, sheet 10.2, grade L); "
    "15 passes in 3 directions, which also gives the 180-260 channels/cm2 of the validation.",
)
PASSES_PEN = Assumption(
    "pen-passes",
    2,
    "1",
    "Two crossing passes (vertical then horizontal), the pattern of the pen acne-scar study (10 + 10 passes, sheet "
    "10.2, grade M) cut to one pass per direction because one pen pass already gives thousands of channels per cm2 "
    "in the mechanics model, far above a 15-pass roller session.",
)
PASSES_ROLLER_SHORT = Assumption(
    "roller-passes-short", 8, "1", "Short needles (<= 0.5 mm) need fewer passes for an erythema endpoint."
)
ANAESTHESIA_FROM_MM = Assumption(
    "anaesthesia-from-length",
    1.0,
    "mm",
    "Topical anaesthesia is used for dermal needling (1 mm and longer); blog claims that needles beyond 0.3-0.5 mm "
    "reach nerve endings (sheet 4.2, grade L).",
)
PEEL_OFFSET = Cited(2, "week", "GargBaveja2014", "dermaroller and 15 % TCA alternately at 2-week intervals", H)
HOME_FREQUENCY = Assumption(
    "home-roller-frequency",
    1,
    "week",
    "Once a week with a 0.25 mm home roller: within the daily-to-weekly range of home guidance, leaving skin time "
    "to recover.",
)
HOME_COURSE = Assumption(
    "home-course-length",
    1,
    "1",
    "At home the series keeps the clinic course's length (sessions x interval of the indication) but is rolled at the "
    "home frequency: no trial gives a home course, so its duration is borrowed from the clinic protocol.",
)
HOME_PAUSE_DAYS = Assumption(
    "home-pause-around-clinic",
    7,
    "day",
    "No home needling for a week before and after a clinic session or a peel, so that injuries do not overlap "
    "(erythema lasts 2-7 days, sheet 8.6).",
)
SUN_PROTECTION = Cited(48, "h", "Farber2020", "moisturising sunblock for at least 48 h", M)
MINOXIDIL_PAUSE = Assumption(
    "minoxidil-pause",
    2,
    "day",
    "Minoxidil skipped on the day of needling and the day after (Dhurat 2013 as summarised, sheet 8.4, grade L).",
)
TXA_CONCENTRATION = Assumption(
    "txa-concentration",
    100,
    "mg/mL",
    "Topical tranexamic acid 100 mg/mL with micro-needling, 3 sessions 2 weeks apart, as in the melasma trial of "
    "sheet 10.3 (grade M; not in the bibliography, so carried as a named assumption).",
)


def _window(kind: str, side: str, days: float, why: str) -> Assumption:
    return Assumption(f"window-{kind}-{side}", days, "day", why)


#: For each procedure kind: (no needling for this long AFTER it, no needling for this long BEFORE a booked one).
#: The literature gives lists of contraindicated recent procedures but rarely a window; where none is given the
#: window is a named assumption with its reasoning (grade L). The rules in rules.toml cite these.
PROCEDURE_WINDOWS = {
    "botulinum-toxin": (
        _window(
            "botulinum-toxin",
            "after",
            14,
            "Toxin effect settles over about two weeks; needling and massage of "
            "the area before then may spread it. Clinic lists give 2 weeks to 3 months; the shorter is taken "
            "because the risk is to the toxin's effect, not to the skin.",
        ),
        _window(
            "botulinum-toxin",
            "before",
            7,
            "Injecting into skin still red and swollen from needling is avoided; "
            "erythema lasts up to 7 days (sheet 8.6).",
        ),
    ),
    "filler": (
        _window(
            "filler",
            "after",
            183,
            "The evidence sheet (section 9, Fabbrocini-derived text, grade L) lists fillers "
            "within 6 months as a relative contraindication; a clinic list says 12 months for the face.",
        ),
        _window(
            "filler",
            "before",
            14,
            "The needled area should have healed (up to 7 days of erythema, sheet 8.6) "
            "and a margin of a week before filler is injected into it.",
        ),
    ),
    "collagen-injection": (
        _window("collagen-injection", "after", 183, "Listed with fillers (sheet section 9): 6 months."),
        _window("collagen-injection", "before", 14, "As for filler."),
    ),
    "chemical-peel-superficial": (
        _window(
            "peel-superficial",
            "after",
            14,
            "A superficial peel re-epithelialises within about a week; a second "
            "week lets the barrier recover before new channels are made.",
        ),
        _window(
            "peel-superficial",
            "before",
            7,
            "No peel on skin still inflamed from needling (erythema up to 7 days, "
            "sheet 8.6); the same pause the plan keeps around home needling.",
        ),
    ),
    "chemical-peel-medium": (
        _window(
            "peel-medium",
            "after",
            42,
            "A medium-depth peel heals in about two weeks with erythema for weeks more; six weeks is taken.",
        ),
        _window("peel-medium", "before", 14, "Two weeks of healing after needling before a medium-depth peel."),
    ),
    "chemical-peel-deep": (
        _window(
            "peel-deep",
            "after",
            183,
            "A deep peel leaves erythema for months; six months is taken, the same "
            "margin the clinic lists give for fillers and surgery of the face.",
        ),
        _window("peel-deep", "before", 28, "Four weeks of healing after needling before a deep peel."),
    ),
    "laser-ablative": (
        _window("laser-ablative", "after", 183, "Ablative resurfacing leaves erythema for months; six months taken."),
        _window("laser-ablative", "before", 28, "Four weeks of healing after needling before ablative resurfacing."),
    ),
    "laser-non-ablative": (
        _window(
            "laser-non-ablative",
            "after",
            28,
            "Non-ablative fractional laser: about four weeks between sessions of either kind of fractional injury.",
        ),
        _window("laser-non-ablative", "before", 14, "Two weeks of healing after needling before a laser session."),
    ),
    "ipl": (
        _window("ipl", "after", 14, "Pre-treatment advice pages ask for no IPL or laser for 2 weeks before needling."),
        _window("ipl", "before", 14, "Two weeks of healing after needling before IPL on the same skin."),
    ),
    "surgery": (
        _window(
            "surgery",
            "after",
            91,
            "Surgical wounds in the area: three months for the wound to close and mature "
            "enough to be needled (clinic lists give up to 12 months for the face; scars are often needled "
            "earlier).",
        ),
        _window("surgery", "before", 28, "Four weeks of healing after needling before surgery in the same area."),
    ),
    "radiotherapy": (
        _window(
            "radiotherapy",
            "after",
            91,
            "Pre-treatment advice pages ask for no radiotherapy to the skin within 3 months before needling.",
        ),
        _window(
            "radiotherapy",
            "before",
            28,
            "No needling in the month before radiotherapy to the same skin, so that the field starts on healed skin.",
        ),
    ),
    "tattoo": (
        _window("tattoo", "after", 28, "A tattoo heals in 2-4 weeks; four weeks taken."),
        _window("tattoo", "before", 14, "Two weeks of healing after needling before tattooing the same skin."),
    ),
    "permanent-make-up": (
        _window("permanent-make-up", "after", 28, "As a tattoo: 2-4 weeks of healing; four weeks taken."),
        _window("permanent-make-up", "before", 14, "As a tattoo."),
    ),
    "waxing": (
        _window(
            "waxing",
            "after",
            7,
            "Pre-treatment advice pages ask for no waxing, tweezing or depilatory creams "
            "on the area for 5-7 days before needling; 7 days taken.",
        ),
        _window("waxing", "before", 7, "No waxing on skin still red from needling (erythema up to 7 days, sheet 8.6)."),
    ),
    "depilatory": (
        _window("depilatory", "after", 7, "As waxing: 5-7 days; 7 days taken."),
        _window("depilatory", "before", 7, "As waxing."),
    ),
}


def _med_window(name: str, days: float, why: str) -> Assumption:
    return Assumption(f"medication-window-{name}", days, "day", why)


#: How long after the last dose a medication still restricts needling (a drug stopped longer ago no longer does).
MEDICATION_WINDOWS = {
    "antithrombotic": _med_window(
        "antithrombotic",
        7,
        "Anticoagulant effect is gone within days of the last dose (warfarin about 5 days, "
        "direct oral anticoagulants 1-3 days) and aspirin's platelet effect with platelet turnover in about a week; "
        "7 days after the last dose is taken for every antithrombotic.",
    ),
    "immunosuppressant": _med_window(
        "immunosuppressant",
        91,
        "Biologic immunosuppressants act for weeks to months after the last dose; three months is taken.",
    ),
    "systemic-steroid": _med_window(
        "systemic-steroid", 30, "Healing recovers within weeks after a systemic steroid course ends; 30 days taken."
    ),
    "systemic-retinoid": Cited(
        183, "day", "IsotretinoinLabel", "avoid skin-smoothing procedures for at least 6 months after treatment", M
    ),
    "acitretin": _med_window(
        "acitretin", 183, "No needling data for acitretin; handled like isotretinoin (6 months after the last dose)."
    ),
    "topical-retinoid": Cited(7, "day", "PreCareFilteredSkin", "avoid retinoic acids for 5-7 days before treatment", L),
    "cytostatic": _med_window(
        "cytostatic", 91, "Blood counts and healing recover over weeks after chemotherapy ends; three months taken."
    ),
}

#: Peels (TCA) only where the region's needle limit is at least this long.
PEEL_MIN_REGION_LIMIT = Assumption(
    "peel-min-region-limit",
    1.0,
    "mm",
    "The 15 % TCA alternating protocol was given on acne-scarred cheeks (Garg & Baveja 2014); thin-skinned regions "
    "whose needle limit is below 1 mm (periorbital, nose, perioral, forehead) get no peel.",
)

UNRECOGNISED_MEDICATION = Assumption(
    "unrecognised-medication-review",
    1,
    "1",
    "A medication the coded table does not know cannot be checked by any rule: the plan never proceeds plainly but "
    "only with caution, and names the medication for the clinician to review (value: one review per such name).",
)
