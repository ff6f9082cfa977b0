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
    1825.0,
    "day",
    "Mature collagen lasts: the sheet reports improvement continuing about 12 months (section 7.3) and sustained "
    "gains (Dhurat & Mathapati 2015 at 18 months); a 5-year turnover of the extra collagen I is assumed, so gains "
    "fade over years, not months. The collagen ceiling, not the turnover, bounds repeated series.",
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

# --- injury: the share of the dermis a session wounds -------------------------------------------------
WOUND_ZONE_RADIUS = Assumption(
    "wound-zone-radius",
    340.0,
    "um",
    "Radius of the wounded zone around one channel (bleeding, inflammation and fibroblast activation). The "
    "channel itself is about 70 um across at the surface (Kalluri 2011); treatments aim at 250-300 punctures/cm2 "
    "(PRIME 2015, sheet 1.2), the density at which the area is taken as treated. The zone is sized so that the "
    "middle of that range, 275/cm2, opens 1 - 1/e of the area (n pi r^2 = 1: r = 340 um). The share of the area "
    "opened is 1 - exp(-n pi r^2) for n distinct channels per area, so the injury saturates with the area opened "
    "(a pen's 800-900 channels/cm2 open about 96 %), not with the channel count, and depth decides the rest.",
    bounds=(1.0, 5000.0),
)
INJURY_DEPTH_REFERENCE = Assumption(
    "injury-depth-reference",
    1000.0,
    "um",
    "Depth into the dermis over which the wounded volume saturates: the injury grows as 1 - exp(-d / 1 mm) "
    "with the depth d reached below the epidermis, so deeper needling wounds more dermis with diminishing "
    "returns: facial dermis is about 0.8-1.2 mm thick (Meng 2022, sheet 2.2), so needles reaching past it add "
    "little. Cosmetic depths (0.25-0.5 mm, sheet 10.1) wound the papillary dermis only.",
    bounds=(10.0, 10000.0),
)

# --- the nonlinear healing model (models/healing/wound.py) ----------------------------------------------
REFRACTORY_TIME = Assumption(
    "refractory-time-constant",
    14.0,
    "day",
    "An injury during the proliferative phase of the last one (from about day 5 for about 8 weeks, sheet 7.1) "
    "adds to a response already under way: the refractoriness it leaves decays with a 2-week time constant, so a "
    "session one week after the last adds about 60 % of what a session four weeks after adds (trials use 2- to "
    "6-week intervals, sheet 7.3).",
    bounds=(0.1, 365.0),
)
REFRACTORY_SCALE = Assumption(
    "refractory-injury-scale",
    0.134,
    "1",
    "Injury after which the skin is 1 - 1/e refractory: the injury of the reference session (15 passes in 3 "
    "directions of a 1.5 mm 192-needle roller on the cheek, about 0.134 with the default wound zone), so that one "
    "reference session a week before halves what the next adds less than one four weeks before does.",
    bounds=(1e-4, 1.0),
)
FIBROBLAST_PROLIFERATION_TIME = Assumption(
    "fibroblast-proliferation-time",
    2.0,
    "day",
    "Inverse of the fibroblasts' logistic proliferation rate per unit of signal (Segal 2012 and Cumming 2010 "
    "model proliferation driven by inflammation and TGF-beta). With a 3-day signal, the fibroblasts activated "
    "grow nearly in proportion to the wounded volume up to about half the capacity (a reference roller session "
    "activates about a fifth of it) and saturate only for the deepest pen sessions, so a deeper session, which "
    "wounds more dermis, activates more fibroblasts (the response is not saturated by any session that opens "
    "the whole area, as it was with a faster rate).",
    bounds=(0.001, 100.0),
)
FIBROBLAST_SEED = Assumption(
    "fibroblast-seed",
    0.5,
    "1",
    "Resident fibroblasts that start the logistic growth, as a share of the wound's fibroblast capacity: the "
    "dermis holds resident fibroblasts throughout, so activation starts from many (half the capacity assumed) "
    "rather than from a few that must multiply first; the response to an injury is then nearly linear, not "
    "explosive, at small injuries.",
    bounds=(0.0001, 1.0),
)
COLLAGEN_CEILING = Assumption(
    "collagen-ceiling",
    0.654,
    "1",
    "Collagen homeostasis: the largest extra dermal collagen, relative to baseline, that any protocol can build "
    "(+65.4 %). It is the largest human measurement in the sheet: papillary-dermis collagen +65.4 % by silver stain "
    "after five monthly 1.5 mm roller sessions (Lotfi 2013, sheet 7.2); the same biopsies gave +53.2 % by Masson's "
    "trichrome, the value collagen-synthesis-rate is fitted to. No human data show more, whatever the depth: a "
    "ceiling at the larger stain lets the deepest pens build more than the roller series (up to the measured "
    "maximum) but never more than was measured in people, where a ceiling of +100 % let 1.5-2.5 mm pens reach "
    "+90 %. The two stains differ by 12.2 points on the same biopsies, the measurement's own uncertainty.",
    bounds=(0.1, 10.0),
)
EPIDERMIS_CEILING = Assumption(
    "epidermis-ceiling",
    0.75,
    "1",
    "Largest epidermal thickening, relative to baseline, in people: the human measurements are +40 % (stratum "
    "spinosum at 1 year, Aust 2008) and +50 % (8 weeks after five sessions, Lotfi 2013, sheet 7.2); the ceiling is "
    "set half again above the larger, +75 %, so that an average patient can reach Lotfi's mean and no protocol "
    "goes far past what was measured in people. The rat values (+140 % with topical vitamins, Aust 2011; up to "
    "+658 %, Zeitter 2014) are not taken for human skin.",
    bounds=(0.1, 20.0),
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
        4.91191,
        "1",
        "Largest grade improvement of an average responder with grade-2 scars. Fitted (Nelder-Mead, with "
        "grades 3 and 4, the TCA injury and subcision's effect and share: python -m needling.cohort.fits --acne) "
        "to Garg & Baveja 2014's transitions and Dogra 2014's score change: grade 2 cleared in all patients.",
        bounds=(0.0, 10.0),
        fitted_to="Garg & Baveja 2014 grade transitions and Dogra 2014 score change (joint Nelder-Mead fit)",
    ),
    3: Assumption(
        "acne-grade-3-responsiveness",
        1.81684,
        "1",
        "As for grade 2 (same fit): grade 3 fell mostly to grade 2.",
        bounds=(0.0, 10.0),
        fitted_to="Garg & Baveja 2014 grade transitions and Dogra 2014 score change (joint Nelder-Mead fit)",
    ),
    4: Assumption(
        "acne-grade-4-responsiveness",
        2.93263,
        "1",
        "As for grade 2 (same fit): grade 4, scars that do not flatten on stretching, fell to grades 2-3.",
        bounds=(0.0, 10.0),
        fitted_to="Garg & Baveja 2014 grade transitions and Dogra 2014 score change (joint Nelder-Mead fit)",
    ),
}
RESPONSE_SATURATION = Assumption(
    "scar-response-saturation",
    3.0,
    "1",
    "Remodelled collagen (in units of one reference session's worth) at which scar improvement reaches "
    "1 - 1/e of its maximum: improvement saturates with repeated and deeper sessions. Three reference sessions' "
    "worth: the trials' series of three to five 1.5 mm roller sessions moved most grade-3 patients one grade and "
    "cleared few (Garg & Baveja 2014, Tirmizi 2021, sheet 8.2-8.3), i.e. they did not reach the largest "
    "improvement, so deeper or more sessions still help, with diminishing returns.",
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
    "Fractional loss of the fibroblasts' proliferation rate per year of age above 30 (wound healing slows with "
    "age: the patient's healing rate); not quantified in the sheet.",
    bounds=(0.0, 0.1),
)
SUBCISION_EFFECT = Assumption(
    "subcision-grade-effect",
    2.86571,
    "1",
    "Improvement (in grade units) from releasing tethered scars once, in a patient whose scars are mostly "
    "distensible, tethered ones (distensible-scar-share); other scars are not tethered and it leaves them as they "
    "were (Kaur & Kalsy 2014, after Orentreich 1995). No trial in the sheet isolates subcision: fitted with the "
    "grade responsiveness (python -m needling.cohort.fits --acne) on Garg & Baveja 2014, where a fifth of the "
    "grade 3 patients cleared while most moved one grade.",
    bounds=(0.0, 4.0),
    fitted_to="Garg & Baveja 2014 grade transitions and Dogra 2014 score change (joint Nelder-Mead fit)",
)
DISTENSIBLE_SCAR_SHARE = Assumption(
    "distensible-scar-share",
    0.21597,
    "1",
    "Share of patients with Goodman & Baron grade 1-3 acne scars whose scars are mostly distensible, tethered "
    "(rolling) ones that subcision releases; grade 4 scars do not flatten with stretching (Goodman & Baron 2006) "
    "and take none. Most patients have mixed types (Kaur & Kalsy 2014) and the sheet gives no share: fitted "
    "with subcision's effect and the grade responsiveness on Garg & Baveja 2014's grade 3 patients (22.7 % "
    "cleared, 68.2 % to grade 2).",
    bounds=(0.0, 1.0),
    fitted_to="Garg & Baveja 2014 grade transitions and Dogra 2014 score change (joint Nelder-Mead fit)",
)
TCA_INJURY = Assumption(
    "tca-15-injury",
    0.53646,
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

# --- adverse events: per-patient risks over a series, which do not compound -----------------------------
PIH_SESSION_RISK = {
    1: Assumption(
        "pih-risk-fitzpatrick-1",
        0.017,
        "1",
        "Risk of PIH over a series, type I, at the injury of the reference roller session (more for stronger "
        "sessions, within adverse-event-injury-headroom): a tenth "
        "of types IV-V (darker skin is a risk factor, Chu 2021; no PIH rate for light skin in the sheet).",
        bounds=(0.0, 1.0),
    ),
    2: Assumption(
        "pih-risk-fitzpatrick-2",
        0.017,
        "1",
        "As type I.",
        bounds=(0.0, 1.0),
    ),
    3: Assumption(
        "pih-risk-fitzpatrick-3",
        0.056,
        "1",
        "A third of types IV-V (darker skin is a risk factor, Chu 2021).",
        bounds=(0.0, 1.0),
    ),
    4: Assumption(
        "pih-risk-fitzpatrick-4",
        0.167,
        "1",
        "Risk of PIH over a series, types IV-V: 5 of 30 after five monthly 1.5 mm roller sessions (Dogra 2014). A "
        "patient prone to PIH shows it after the first strong enough session; more sessions do not add to the "
        "risk beyond what the trials compiled (up to 13.8 %, sheet 8.6).",
        bounds=(0.0, 1.0),
        fitted_to="Dogra 2014: PIH in 5 of 30 patients (types IV-V) after five sessions",
    ),
    5: Assumption(
        "pih-risk-fitzpatrick-5",
        0.167,
        "1",
        "As type IV (Dogra 2014 pooled IV-V).",
        bounds=(0.0, 1.0),
    ),
    6: Assumption(
        "pih-risk-fitzpatrick-6",
        0.167,
        "1",
        "As types IV-V (Dogra 2014, 5 of 30). Darker skin is a risk factor (Chu 2021), but no PIH rate for type VI "
        "and none above Dogra's for darker skin is in the sheet (compilations up to 13.8 %, sheet 8.6), so type VI "
        "takes the highest measured rate rather than an unmeasured larger one.",
        bounds=(0.0, 1.0),
    ),
}
ADVERSE_EVENT_HEADROOM = Assumption(
    "adverse-event-injury-headroom",
    1.0,
    "1",
    "Largest factor by which a session stronger than the trials' reference session (deeper or denser) raises a "
    "per-patient adverse-event risk over the rate measured at the reference. The risk grows in proportion to the "
    "strongest session's injury x (relative to the reference) up to x = 1, where it is the measured rate, and "
    "above it rises towards H times the measured rate (models/healing/risks.py). H = 1: a deeper session gives "
    "the measured rate and no more. The published rates are per-patient rates over whole series of pens and "
    "rollers (Chu 2021's review: 2,805 patients, 1,758 roller and 425 pen procedures; trial depths 0.5-2.5 mm in "
    "English 2021's review, sheet 8.4): PIH "
    "16.7 % and tram-track 6.7 % in types IV-V (Dogra 2014), compiled up to 13.8 % and 5.3 % (sheet 8.6), none "
    "higher for deeper needles or pens. A headroom above 1 (1.5 before) made 1.5-2.5 mm pens give PIH 25 % in "
    "types IV-V, above every published rate; the bound set here keeps deep pens at the measured rates.",
    bounds=(1.0, 10.0),
)
TRAM_TRACK_RISK = Assumption(
    "tram-track-risk",
    2 / 30,
    "1",
    "Risk of tram-track scarring over a roller series at the reference session's injury: 2 of 30 after five "
    "monthly 1.5 mm roller sessions (Dogra 2014); compiled up to 5.3 % (sheet 8.6). It belongs to rollers: their "
    "needles enter and leave obliquely and tear, and their depth follows the hand's pressure (sheet 1.4, 3); pens "
    "stamp perpendicularly. A scar needs a wound below the papillary dermis, so a roller whose needles stop in the "
    "papillary dermis carries none. A per-patient propensity: it grows with the strongest roller session's injury "
    "(adverse-event-injury-headroom), not with the number of sessions.",
    bounds=(0.0, 1.0),
    fitted_to="Dogra 2014: tram-track scarring in 2 of 30 after five sessions",
)
PROLONGED_ERYTHEMA_RISK = Assumption(
    "prolonged-erythema-risk",
    0.02,
    "1",
    "Erythema usually resolves within 2-7 days (sheet 8.6); erythema beyond a week is reported only in case "
    "reports (phototype V). A 2 % risk over a series at the reference session's injury or more is assumed.",
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
STRIAE_ALBA_RESPONSE = Assumption(
    "striae-alba-response",
    0.5,
    "1",
    "Share of the improvement ceiling (scar-max-improvement) that white striae (alba) can reach, red striae (rubra) "
    "reaching all of it. Rubra are young, inflamed and vascular, with active fibroblasts, and part of their "
    "improvement is redness fading; alba are mature, pale, atrophic and poor in cells. Needling improved rubra "
    "significantly more than alba (Mohamed Ali 2017, 30 patients, sheet 8.5), but the abstract gives no size: "
    "half is assumed. Without a type the ceiling is rubra's, as before.",
    bounds=(0.0, 1.0),
)

# --- model choices of the cohort engine and the virtual patients ----------------------------------------
AGE_REFERENCE = Assumption(
    "healing-age-reference",
    30.0,
    "year",
    "Age at which the healing rate is 1; healing-age-effect applies per year above (or below) it.",
    bounds=(0.0, 120.0),
)
AGE_FACTOR_MIN = Assumption(
    "healing-age-factor-min",
    0.3,
    "1",
    "Smallest age factor of the healing rate (the linear age effect is clipped so that old patients still heal).",
    bounds=(0.0, 1.0),
)
AGE_FACTOR_MAX = Assumption(
    "healing-age-factor-max",
    1.3,
    "1",
    "Largest age factor of the healing rate (young patients heal at most 30 % faster than at the reference age).",
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
SCORE_SEVERITY_EXPONENT = Assumption(
    "acne-score-severity-exponent",
    1.57688,
    "1",
    "How the quantitative score follows the latent severity: a patient's score is proportional to their severity "
    "to this power. The Goodman & Baron quantitative score adds, over the scars, points that rise with each scar's "
    "severity (1 to 3) times a multiplier that rises with their number (x1, x2, x3 for 1-10, 11-20 and more than "
    "20 lesions; sheet 8.1, grade L): both fall as scars improve, so the score falls faster than the grade (1: in "
    "proportion; 2: as the product of the two). Fitted with the grade responsiveness (python -m "
    "needling.cohort.fits --acne) on Dogra 2014's score change and Garg & Baveja 2014's transitions.",
    bounds=(0.5, 4.0),
    fitted_to="Garg & Baveja 2014 grade transitions and Dogra 2014 score change (joint Nelder-Mead fit)",
)

# --- measurement models of the outcomes ------------------------------------------------------------------
GRADE_RATING_SPREAD = Assumption(
    "acne-grade-rating-spread",
    0.25,
    "1",
    "Scale (grade units) of the logistic spread between a patient's latent scar severity and the Goodman & Baron "
    "grade a rater gives: a cumulative-logit map with cut points halfway between grades. Raters of the "
    "quantitative scale agreed within 4 points in 19 of 21 photographs (Goodman & Baron 2006, sheet 8.1), about a "
    "third of a grade's worth of score; 0.25 grade is assumed.",
    bounds=(0.01, 2.0),
)
HAIR_CAPACITY = Assumption(
    "hair-gain-capacity",
    200.0,
    "1/cm2",
    "Largest gain of hair count per cm2 the follicles of a bald-prone area can give when all that can are in "
    "anagen; about twice Dhurat 2013's largest arm (+91.4/cm2), so gains saturate but are not capped by it.",
    bounds=(1.0, 2000.0),
)
HAIR_PERSISTENCE = Assumption(
    "hair-needling-persistence-time",
    1095.0,
    "day",
    "Follicles that needling moved into anagen return slowly: the response was sustained 18 months after "
    "needling ended in Dhurat & Mathapati 2015 (4 men, sheet 13.3); a 3-year time constant keeps about 60 % of "
    "the gain at 18 months.",
    bounds=(1.0, 36500.0),
)
MELASMA_TURNOVER = Assumption(
    "melasma-pigment-turnover-time",
    40.0,
    "day",
    "Epidermal pigment follows melanogenesis with the epidermis's turnover; about 40 days is assumed.",
    bounds=(1.0, 3650.0),
)
MELASMA_NEEDLING = Assumption(
    "melasma-needling-max-improvement",
    0.2,
    "1",
    "Largest share of MASI needling alone removes through remodelling in an average responder. Needling is an "
    "adjunct in the melasma trials (sheet 8.5 meta-analysis; 13.3), and tranexamic acid with needling did better "
    "than needling alone (Saleh 2019): 20 % is assumed, so most of a tranexamic-acid arm's change is the drug's.",
    bounds=(0.0, 1.0),
)
TXA_DURATION = Assumption(
    "tranexamic-acid-effect-time",
    28.0,
    "day",
    "Tranexamic acid delivered through the channels inhibits plasmin-driven melanogenesis for weeks after a "
    "session, decaying with a 4-week time constant (assumed: the trials repeat it every 2-4 weeks, sheet 13.3).",
    bounds=(0.1, 365.0),
)

# --- rates fitted to the calibration targets (tests/validation checks each fit) ---------------------------
COLLAGEN_SYNTHESIS = Assumption(
    "collagen-synthesis-rate",
    0.196071,
    "1/day",
    "Collagen laid down per day by fully activated fibroblasts, relative to baseline collagen (kappa). Fitted so "
    "that five monthly 1.5 mm roller sessions give +53.2 % papillary collagen 8 weeks after the last (Lotfi 2013).",
    bounds=(0.0, 100.0),
    fitted_to="Lotfi 2013: papillary-dermis collagen +53.2 % (Masson) 8 weeks after five monthly sessions",
)
EPIDERMAL_GROWTH = Assumption(
    "epidermal-growth-rate",
    1.56901,
    "1/day",
    "Epidermal growth per day per unit of signal (keratinocyte proliferation driven by growth factors). Fitted to "
    "Lotfi 2013's +50 % epidermal thickness 8 weeks after five monthly sessions; Aust 2008's +40 % stratum "
    "spinosum at 1 year is then predicted.",
    bounds=(0.0, 1000.0),
    fitted_to="Lotfi 2013: epidermal thickness +50 % 8 weeks after five monthly sessions",
)
NEEDLING_ANAGEN_DRIVE = Assumption(
    "needling-anagen-drive",
    0.214096,
    "1/day",
    "Rate at which needling's growth-factor signal moves resting follicles into anagen (per unit signal). Fitted "
    "to Dhurat 2013: +91.4/cm2 with weekly needling and minoxidil against +22.2/cm2 on minoxidil alone at 12 weeks.",
    bounds=(0.0, 1000.0),
    fitted_to="Dhurat 2013: hair count +91.4 (needling + minoxidil) vs +22.2 (minoxidil) per cm2 at 12 weeks",
)
MINOXIDIL_ANAGEN_DRIVE = Assumption(
    "minoxidil-anagen-drive",
    0.129415,
    "1",
    "Share of the follicle capacity 5 % minoxidil holds in anagen at steady state while it is used (its gain is "
    "lost within months of stopping). Fitted to Dhurat 2013's +22.2/cm2 on minoxidil alone at 12 weeks.",
    bounds=(0.0, 1.0),
    fitted_to="Dhurat 2013: hair count +22.2 per cm2 on 5 % minoxidil alone at 12 weeks",
)
TXA_INHIBITION = Assumption(
    "tranexamic-acid-melanogenesis-inhibition",
    0.5,
    "1",
    "Share of melanogenesis that tranexamic acid delivered through the channels blocks right after a session "
    "(plasmin inhibition), decaying with tranexamic-acid-effect-time. Not fitted: half is assumed, from Saleh "
    "2019 (tranexamic acid with needling better than needling alone, no effect size read); Budamakuntla 2013 "
    "(MASI -44.41 %) is kept as a held-out prediction.",
    bounds=(0.0, 1.0),
)
