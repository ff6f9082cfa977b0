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
