"""Parameters of the healing and outcome models: rates, calibrated scales, combination mechanisms."""

from __future__ import annotations

from needling.evidence import Assumption, Cited, Grade

H, M, L = Grade.H, Grade.M, Grade.L

# --- wound-healing kinetics (days) -------------------------------------------------------------------
INFLAMMATION_TIME = Assumption(
    "inflammation-time-constant",
    3.0,
    "day",
    "Injury, coagulation and growth-factor release resolve within days and proliferation starts around day 5 "
    "(sheet section 7.1, phases I-II); a 3-day time constant is assumed.",
    bounds=(0.0, 3650.0),
)
FIBROBLAST_TIME = Assumption(
    "fibroblast-time-constant",
    14.0,
    "day",
    "Fibroblast proliferation and matrix deposition run from about day 5 for about 8 weeks (sheet 7.1); a "
    "two-week time constant puts the peak of activity in weeks 2-4.",
    bounds=(0.0, 3650.0),
)
REMODELLING_TIME = Assumption(
    "remodelling-time-constant",
    60.0,
    "day",
    "Collagen III is remodelled into collagen I from about 8 weeks to about a year (sheet 7.1); 60 days "
    "is assumed, so that improvement continues for months after the last session.",
    bounds=(0.0, 3650.0),
)
COLLAGEN_I_TURNOVER = Assumption(
    "collagen-i-turnover-time",
    730.0,
    "day",
    "Mature collagen lasts: the sheet reports improvement continuing about 12 months (section 7.3); a 2-year "
    "turnover is assumed.",
    bounds=(0.0, 36500.0),
)
EPIDERMIS_TIME = Assumption(
    "epidermal-response-time-constant",
    200.0,
    "day",
    "Epidermal thickening persists: stratum spinosum +40 % at 1 year after 1-4 treatments (Aust 2008); a slow "
    "200-day time constant is assumed (the 1-year value is then predicted, not fitted).",
    bounds=(0.0, 3650.0),
)
HAIR_TIME = Assumption(
    "hair-response-time-constant",
    28.0,
    "day",
    "Hair counts change over weeks (Dhurat 2013 measured at 12 weeks); a 4-week time constant is assumed.",
    bounds=(0.0, 3650.0),
)

# --- injury dose --------------------------------------------------------------------------------------
INJURY_REFERENCE = Assumption(
    "injury-dose-reference",
    44.0,
    "1/cm2",
    "Injury of a session is the channel density times the depth reached into the dermis, relative to 44 "
    "channels/cm2 reaching 1 mm into the dermis, saturating as 1 - exp(-dose) once the dermis is densely injured. "
    "Kept so that the reference session (15 passes in 3 directions of a 1.5 mm 192-needle roller, cheek) has the "
    "dose of about 1.3 it had when the healing fits (Dogra 2014, Garg & Baveja 2014) were made: the roller now "
    "reaches about 0.4 mm (Chung 2020) with about 171 distinct channels/cm2, instead of 1.38 mm with 226.",
    bounds=(0.0, 100000.0),
)
REMODELLED_WEIGHT_C3 = Assumption(
    "remodelling-weight-collagen-iii",
    0.5,
    "1",
    "Newly laid collagen III counts half as much as mature collagen I towards smoothing a scar.",
    bounds=(0.0, 1.0),
)

# --- calibrated scales ---------------------------------------------------------------------------------
LOTFI_COLLAGEN = Cited(
    53.2,
    "%",
    "Lotfi2013",
    "results: papillary-dermis collagen, Masson trichrome",
    H,
    "8 weeks after 5 monthly 1.5 mm roller sessions",
)
LOTFI_EPIDERMIS = Cited(50.0, "%", "Lotfi2013", "results: epidermal thickness", H, "same protocol")
AUST_SPINOSUM = Cited(40.0, "%", "Aust2008", "abstract: stratum spinosum +40 % at 1 year", H)
DOGRA_SCORE_BEFORE = Cited(11.73, "1", "Dogra2014", "abstract: quantitative score at baseline", H, sd=3.12)
DOGRA_SCORE_AFTER = Cited(6.5, "1", "Dogra2014", "abstract: score after 5 monthly sittings", H, sd=2.71)
DOGRA_PIH = Cited(5 / 30, "1", "Dogra2014", "abstract: PIH in 5 of 30 (types IV-V)", H)
DOGRA_TRAM_TRACK = Cited(2 / 30, "1", "Dogra2014", "abstract: tram-track scarring in 2 of 30", H)
DHURAT_MN = Cited(
    91.4,
    "1/cm2",
    "Dhurat2013",
    "abstract: mean hair count change, micro-needling + minoxidil",
    H,
    "12 weeks, weekly sessions",
)
DHURAT_MINOXIDIL = Cited(22.2, "1/cm2", "Dhurat2013", "abstract: mean hair count change, minoxidil alone", H)

# --- acne-scar response ----------------------------------------------------------------------------------
GRADE_RESPONSE = {
    2: Assumption(
        "acne-grade-2-responsiveness",
        3.9,
        "1",
        "Largest grade improvement of an average responder with grade-2 scars. Fitted (Nelder-Mead, with "
        "grades 3 and 4, the TCA injury and subcision) to Garg & Baveja 2014's transitions and Dogra "
        "2014's score change: grade 2 cleared in all patients.",
        bounds=(0.0, 10.0),
        fitted_to="Garg & Baveja 2014 grade transitions and Dogra 2014 score change (joint Nelder-Mead fit)",
    ),
    3: Assumption(
        "acne-grade-3-responsiveness",
        1.24,
        "1",
        "As for grade 2 (same fit): grade 3 fell mostly to grade 2.",
        bounds=(0.0, 10.0),
        fitted_to="Garg & Baveja 2014 grade transitions and Dogra 2014 score change (joint Nelder-Mead fit)",
    ),
    4: Assumption(
        "acne-grade-4-responsiveness",
        1.85,
        "1",
        "As for grade 2 (same fit): grade 4, scars that do not flatten on stretching, fell to grades 2-3.",
        bounds=(0.0, 10.0),
        fitted_to="Garg & Baveja 2014 grade transitions and Dogra 2014 score change (joint Nelder-Mead fit)",
    ),
}
RESPONSE_SATURATION = Assumption(
    "scar-response-saturation",
    1.0,
    "1",
    "Remodelled collagen (in units of one reference session's worth) at which scar improvement reaches "
    "1 - 1/e of its maximum: improvement saturates with repeated sessions.",
    bounds=(0.0, 100.0),
)
HEALING_VARIABILITY = Assumption(
    "healing-rate-variability",
    0.35,
    "1",
    "Patient-to-patient spread (log-normal SD) of the response to the same injury; chosen to reproduce the spread "
    "of outcomes within a grade in Garg & Baveja 2014 (patients of one grade ended in two or three grades).",
    bounds=(0.0, 3.0),
    fitted_to="spread of outcomes within a grade in Garg & Baveja 2014",
)
AGE_EFFECT = Assumption(
    "healing-age-effect",
    0.01,
    "1",
    "Fractional loss of response per year of age above 30 (wound healing slows with age); not quantified in the sheet.",
    bounds=(0.0, 0.1),
)
SUBCISION_EFFECT = Assumption(
    "subcision-grade-effect",
    0.0,
    "1",
    "Immediate improvement (in grade units) from releasing tethered scars once. Fitted with the other acne "
    "parameters on Garg & Baveja 2014, the only trial in the sheet with subcision: the fit put it at zero, i.e. "
    "the published transitions are explained by the needling and TCA sessions; kept as a named parameter so a "
    "trial that isolates subcision can set it.",
    bounds=(0.0, 4.0),
    fitted_to="Garg & Baveja 2014 grade transitions (joint fit with the grade responsiveness)",
)
TCA_INJURY = Assumption(
    "tca-15-injury",
    0.36,
    "1",
    "A 15 % TCA peel injures the epidermis and upper papillary dermis by protein coagulation; its injury relative "
    "to a reference needling session, fitted on Garg & Baveja 2014 with the grade responsiveness.",
    bounds=(0.0, 10.0),
    fitted_to="Garg & Baveja 2014 grade transitions (joint fit with the grade responsiveness)",
)
PRP_BOOST = Assumption(
    "prp-growth-factor-boost",
    0.3,
    "1",
    "Platelets release PDGF, TGF and FGF (sheet 7.1); PRP after needling adds 30 % to the growth-factor signal. "
    "Chawla 2014 (PRP better than vitamin C) is then predicted.",
    bounds=(0.0, 10.0),
)
VITAMIN_C_BOOST = Assumption(
    "vitamin-c-collagen-boost",
    0.1,
    "1",
    "L-ascorbic acid is a cofactor of collagen synthesis (Pinnell 2001); with needling it is taken to add 10 % to "
    "the collagen laid down. Fernandes' 'almost quadruple' with vitamins A and C (sheet 7.2) is unverified.",
    bounds=(0.0, 10.0),
)
VITAMIN_C_PIH = Assumption(
    "vitamin-c-pih-reduction",
    0.5,
    "1",
    "Vitamin C was better for PIH than PRP in Chawla 2014; it is taken to halve the per-session PIH risk.",
    bounds=(0.0, 1.0),
)

# --- adverse events ------------------------------------------------------------------------------------
PIH_SESSION_RISK = {
    1: Assumption(
        "pih-risk-fitzpatrick-1",
        0.005,
        "1",
        "Per-session PIH risk, type I: a tenth of type IV-V.",
        bounds=(0.0, 1.0),
    ),
    2: Assumption(
        "pih-risk-fitzpatrick-2",
        0.005,
        "1",
        "As type I.",
        bounds=(0.0, 1.0),
    ),
    3: Assumption(
        "pih-risk-fitzpatrick-3",
        0.015,
        "1",
        "A third of type IV-V (darker skin is a risk factor, Chu 2021).",
        bounds=(0.0, 1.0),
    ),
    4: Assumption(
        "pih-risk-fitzpatrick-4",
        0.036,
        "1",
        "Calibrated: five sessions give 1 - (1 - 0.036)^5 = 16.7 % PIH in types IV-V (Dogra 2014).",
        bounds=(0.0, 1.0),
        fitted_to="Dogra 2014: PIH in 5 of 30 patients (types IV-V) after five sessions",
    ),
    5: Assumption(
        "pih-risk-fitzpatrick-5",
        0.036,
        "1",
        "As type IV (Dogra 2014 pooled IV-V).",
        bounds=(0.0, 1.0),
    ),
    6: Assumption(
        "pih-risk-fitzpatrick-6",
        0.05,
        "1",
        "Higher than type V; not measured.",
        bounds=(0.0, 1.0),
    ),
}
TRAM_TRACK_SESSION_RISK = Assumption(
    "tram-track-risk-per-session",
    0.0137,
    "1",
    "Calibrated: five 1.5 mm roller sessions give 1 - (1 - 0.0137)^5 = 6.7 % tram-track scarring (Dogra 2014); "
    "scaled with the session's injury relative to that reference.",
    bounds=(0.0, 1.0),
    fitted_to="Dogra 2014: tram-track scarring in 2 of 30 after five sessions",
)
PROLONGED_ERYTHEMA_RISK = Assumption(
    "prolonged-erythema-risk-per-session",
    0.02,
    "1",
    "Erythema usually resolves within 2-7 days (sheet 8.6); erythema beyond a week is reported only in case "
    "reports (phototype V). 2 % per reference session is assumed.",
    bounds=(0.0, 1.0),
)
SCAR_MAX_IMPROVEMENT = Assumption(
    "scar-max-improvement",
    0.6,
    "1",
    "Largest fraction of a scar's (striae, burn, trauma scar, wrinkle, pigment) severity that remodelling can "
    "remove in an average responder; trials report 40-75 % 'marked to excellent' improvement (sheet 8.5).",
    bounds=(0.0, 1.0),
)

# --- model choices of the cohort engine and the virtual patients ----------------------------------------
PIH_INJURY_CAP = Assumption(
    "pih-relative-injury-cap",
    2.0,
    "1",
    "The per-session PIH risk grows with the session's injury relative to the reference session, up to twice the "
    "reference: beyond it the dermis is densely injured already (the injury saturates) and no data say more.",
    bounds=(0.0, 100.0),
)
AGE_REFERENCE = Assumption(
    "healing-age-reference",
    30.0,
    "year",
    "Age at which the response is 1 on average; healing-age-effect applies per year above (or below) it.",
    bounds=(0.0, 120.0),
)
AGE_FACTOR_MIN = Assumption(
    "healing-age-factor-min",
    0.3,
    "1",
    "Smallest age factor of the response (the linear age effect is clipped so that old patients still respond).",
    bounds=(0.0, 1.0),
)
AGE_FACTOR_MAX = Assumption(
    "healing-age-factor-max",
    1.3,
    "1",
    "Largest age factor of the response (young patients respond at most 30 % more than at the reference age).",
    bounds=(1.0, 10.0),
)
SCORE_SPREAD = Assumption(
    "acne-score-spread",
    0.15,
    "1",
    "Log-normal SD of a patient's quantitative scar score around the score of their grade; Dogra 2014's baseline "
    "SD 3.12 on a mean of 11.73 includes the spread of grades, so a smaller within-grade spread is assumed.",
    bounds=(0.0, 2.0),
)
