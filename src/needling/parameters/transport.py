"""Parameters of topical transport through skin and closing micro-channels."""

from __future__ import annotations

from needling.evidence import Assumption, Cited, Grade

H, M, L = Grade.H, Grade.M, Grade.L

POTTS_GUY_INTERCEPT = Cited(
    -6.3,
    "1",
    "PottsGuy1992",
    "log kp (cm/s) = -6.3 + 0.71 log Kow - 0.0061 MW",
    M,
    "sheet section 6.1 (from memory there, grade M-H)",
)
POTTS_GUY_LOGKOW = Cited(0.71, "1", "PottsGuy1992", "same equation: slope on log Kow", M)
POTTS_GUY_MW = Cited(-0.0061, "1", "PottsGuy1992", "same equation: slope on MW (g/mol)", M)
DERMIS_D_INTERCEPT = Cited(
    -4.15,
    "1",
    "Kretsos2008",
    "log D_de (cm2/s) = -4.15 - 0.655 log MW",
    L,
    "sheet section 6.1: from memory, exponent to verify",
)
DERMIS_D_EXPONENT = Cited(-0.655, "1", "Kretsos2008", "same correlation: exponent on MW", L)

SC_PARTITION_EXPONENT = Assumption(
    "sc-partition-exponent",
    0.71,
    "1",
    "Stratum corneum/vehicle partition taken as Kow**0.71, the log Kow slope of Potts-Guy, so that kp = K D / L "
    "splits into a partition (Kow dependence) and a diffusivity (MW dependence) consistently with Potts-Guy.",
    bounds=(0.0, 5.0),
)
VE_D_FRACTION = Assumption(
    "viable-epidermis-diffusivity-fraction",
    0.5,
    "1",
    "Viable epidermis is cell-dense; its diffusivity is taken as half the dermis value of Kretsos 2008.",
    bounds=(0.0, 10.0),
)
CHANNEL_D_FACTOR = Assumption(
    "channel-fluid-diffusivity-factor",
    3.0,
    "1",
    "A fluid-filled channel has no fibre network; free diffusion is taken as 3x the dermis diffusivity (with "
    "Kretsos 2008 this gives about 7e-6 cm2/s for ascorbic acid, the order of small solutes in water).",
    bounds=(0.0, 100.0),
)
TISSUE_PARTITION = Assumption(
    "viable-tissue-partition",
    1.0,
    "1",
    "Viable epidermis, dermis and channel fluid are aqueous; their partition with an aqueous vehicle is taken as 1.",
    bounds=(0.0, 100.0),
)
DERMAL_CLEARANCE = Assumption(
    "dermal-clearance-rate",
    1.0,
    "1/h",
    "First-order removal by the dermal capillaries; Kretsos 2008 measured clearance but its number is not in the "
    "sheet. A half-life of about 40 min (1/h) is assumed.",
    bounds=(0.0, 1000.0),
)

# --- closure of the channels ------------------------------------------------------------------------
KALLURI_TEWL_RECOVERY = Cited(
    4.5,
    "h",
    "Kalluri2011",
    "abstract: TEWL barrier regained around 4 to 5 h",
    H,
    "370 and 770 um DermaRoller, hairless rat, not occluded",
)
GUPTA_OPEN_AIR_RECOVERY = Cited(
    2.0, "h", "Gupta2011", "abstract: all sites recovered within 2 h without occlusion", H, "human, impedance"
)
OCCLUDED_HALF_LIFE = Cited(
    23.3,
    "h",
    "MicroporeSites2021",
    "abstract: closure half-life 20.2, 23.7, 25.9 h",
    H,
    "mean of the three sites (forearm, upper arm, abdomen); impedance over 3 days",
    sd=13.6,
)
RECOVERED_FRACTION = Assumption(
    "barrier-recovered-fraction",
    0.9,
    "1",
    "'Recovered' is read as 90 % of the channels' extra permeability gone (open fraction 0.1).",
    bounds=(0.0, 1.0),
)
PORE_CLOSED_FRACTION = Assumption(
    "pore-closed-fraction",
    0.99,
    "1",
    "A pore 'closed' to a dye (Kalluri 2011's calcein imaging) is read as 99 % of the opening gone: a dye needs "
    "far less opening than water loss or impedance show, so its endpoint comes later than the barrier's 90 %.",
    bounds=(0.0, 1.0),
)
_FIT = (
    "joint least-squares fit in log time (needling.models.transport.closure.fit_closure) to Gupta 2011 "
    "(human, open, recovered within 2 h), Kalluri 2011 (rat, open: TEWL 4.5 h at 370 and 770 um, calcein "
    "closed by 12 and 18 h) and the three-site study 2021 (human, occluded, upper arm 23.7 h); "
    "tests/validation/test_closure_validation.py refits and checks this value"
)
OPEN_AIR_HALF_LIFE = Assumption(
    "closure-half-life-open-air",
    0.6519,
    "h",
    "Fitted: closure half-life of human skin in open air after needles of the reference length (1 mm). "
    "Every barrier and closure time is turned into a half-life with the fraction its endpoint means.",
    bounds=(0.0, 1000.0),
    fitted_to=_FIT,
)
CLOSURE_REFERENCE_LENGTH = Assumption(
    "closure-reference-length",
    1.0,
    "mm",
    "The needle length at which the fitted open-air half-life is stated: a choice of scale, it changes no result.",
    bounds=(0.01, 10.0),
)
CLOSURE_LENGTH_EXPONENT = Assumption(
    "closure-length-exponent",
    0.2766,
    "1",
    "Fitted: half-life grows as needle length to this power. Kalluri 2011's calcein times (12 h at 370 um, 18 h at "
    "770 um) alone give 0.55 and its TEWL times (4-5 h for both) give 0; the joint fit lies between. Gupta 2011 "
    "reports the same direction in humans (longer needles reseal more slowly).",
    bounds=(0.0, 5.0),
    fitted_to=_FIT,
)
OCCLUSION_FACTOR = Assumption(
    "occlusion-closure-factor",
    39.36,
    "1",
    "Fitted: occluded over open-air half-life, from the human occluded half-life (three-site study 2021) "
    "against the human open-air recovery (Gupta 2011); both impedance, needle length 0.75 mm assumed for both.",
    bounds=(1.0, 1000.0),
    fitted_to=_FIT,
)
RAT_CLOSURE_FACTOR = Assumption(
    "closure-rat-factor",
    3.159,
    "1",
    "Fitted: hairless rat over human half-life. It only lets Kalluri 2011's rat times inform the length exponent; "
    "no prediction for a patient uses it.",
    bounds=(0.01, 100.0),
    fitted_to=_FIT,
)
HUMAN_IMPEDANCE_LENGTH = Assumption(
    "human-impedance-needle-length",
    0.75,
    "mm",
    "Neither Gupta 2011's nor the three-site study's abstract gives the needle length; the same group's study of "
    "age (Kelchen 2016) used 500 and 750 um needles, so 0.75 mm is taken for both in the fit.",
    bounds=(0.05, 5.0),
)
AGE_YOUNG = Cited(25.6, "year", "Kelchen2016", "abstract: control subjects 25.6 +/- 2.8 years", H)
AGE_ELDERLY = Cited(77.3, "year", "Kelchen2016", "abstract: elderly subjects 77.3 +/- 6.8 years", H)
ELDERLY_CLOSURE_FACTOR = Assumption(
    "closure-elderly-factor",
    1.5,
    "1",
    "Kelchen 2016: micropores close significantly slower in elderly subjects (77 y) than in young ones (26 y), "
    "occluded and open, but the abstract gives no half-lives. A 1.5-fold longer half-life at 77 y is assumed, "
    "log-linear in age between the two groups and no change below 26 y. Sex: no closure study found reports an "
    "effect of sex (Gupta 2011, Kelchen 2016, the three-site study 2021), so sex is an input with no effect on "
    "closure; it acts on the layer thicknesses only.",
    bounds=(1.0, 10.0),
)

# --- topical anaesthesia ------------------------------------------------------------------------------
ANAESTHETIC_EMAX = Assumption(
    "anaesthetic-max-pain-reduction",
    0.7,
    "1",
    "Largest fraction of needling pain a topical anaesthetic removes. Not measured in the sheet; creams do not "
    "abolish the pain of deep needling (clinical VAS around 5 with creams, sheet section 4.2), so 70 % is assumed.",
    bounds=(0.0, 1.0),
)
ANAESTHETIC_EC50 = Assumption(
    "anaesthetic-ec50-nerve",
    0.03,
    "g/L",
    "Concentration of lidocaine plus prilocaine at the nerve endings (top of the papillary dermis) giving half the "
    "maximal effect. Not measured; chosen so that the 45-60 min application of the dermaroller protocol (sheet "
    "section 4.2) reaches about half the maximal effect on intact facial skin.",
    bounds=(0.0, 1000.0),
)
ANAESTHETIC_HILL = Assumption(
    "anaesthetic-hill-coefficient",
    1.0,
    "1",
    "A plain Emax relation (Hill coefficient 1) is assumed.",
    bounds=(0.0, 10.0),
)
PRE_NEEDLE_PASSES = Assumption(
    "pre-needling-passes",
    4,
    "1",
    "A 'light pre-needling' before the cream: four passes in two directions of a short roller are assumed.",
)
EMLA_TIME = Cited(
    45.0, "min", "Doddaballapur2009", "protocol as paraphrased on a blog: 45-60 min", L, "sheet section 4.2 (grade L)"
)

# --- doses as people apply them ------------------------------------------------------------------------
OECD_FINITE_DOSE_LOW = Cited(
    1.0, "mg/cm2", "OECD428", "finite dose: 1-5 mg/cm2 of a solid or semi-solid, up to 10 uL/cm2 of a liquid", H
)
OECD_FINITE_DOSE_HIGH = Cited(
    5.0, "mg/cm2", "OECD428", "finite dose: 1-5 mg/cm2 of a solid or semi-solid, up to 10 uL/cm2 of a liquid", H
)
EMLA_LABEL_DOSE = Cited(
    100.0,
    "mg/cm2",
    "EMLALabel",
    "adult minor dermal procedures: 2.5 g of cream over 20-25 cm2 under occlusion",
    M,
    "derived: 2.5 g / 25 cm2 = 100 mg/cm2 (the label's thick layer; 2 g per 10 cm2 for major procedures)",
)
DEFAULT_DOSE = {
    "serum": Assumption(
        "default-dose-serum",
        2.0,
        "mg/cm2",
        "A serum is spread thin: 2 mg/cm2, inside the OECD 428 finite-dose range of 1-5 mg/cm2 (a few drops over "
        "the face). Not measured for post-needling use.",
        bounds=(0.01, 1000.0),
    ),
    "solution": Assumption(
        "default-dose-solution",
        2.0,
        "mg/cm2",
        "A solution (minoxidil, tranexamic acid) is applied at about 2 uL/cm2 (1 mL over a 500 cm2 scalp is 2 "
        "uL/cm2), within OECD 428's up to 10 uL/cm2 for liquids; density 1 g/mL.",
        bounds=(0.01, 1000.0),
    ),
    "gel": Assumption(
        "default-dose-gel",
        2.0,
        "mg/cm2",
        "A gel (hyaluronic acid) is applied like a serum: 2 mg/cm2, inside OECD 428's 1-5 mg/cm2.",
        bounds=(0.01, 1000.0),
    ),
    "cream": Assumption(
        "default-dose-cream",
        100.0,
        "mg/cm2",
        "An anaesthetic cream goes on as the label's thick layer under occlusion: 2.5 g over 25 cm2 (EMLA label), "
        "not the thin film of a cosmetic cream.",
        bounds=(0.01, 1000.0),
    ),
}
VEHICLE_DENSITY = Cited(
    1000.0, "g/L", "EMLALabel", "description: the specific gravity of EMLA cream is 1.00", M, "taken for every vehicle"
)
UPTAKE_STATEMENT_LIMIT = Assumption(
    "uptake-statement-limit",
    0.001,
    "ug/cm2",
    "Below about 1 ng/cm2 no skin-permeation assay quantifies uptake; an enhancement over an intact-skin uptake "
    "below this is not stated (it would be a ratio of a number to almost nothing).",
    bounds=(0.0, 1000.0),
)
AQUEOUS_FILM_REFERENCE_DOSE = Cited(
    10.0,
    "mg/cm2",
    "Kluxen2022",
    "abstract: 14C-caffeine at 4 mg/mL applied as a 10 uL/cm2 finite dose (OECD TG 428, six laboratories)",
    H,
    "10 uL/cm2 of an aqueous liquid at density 1 g/mL",
)
AQUEOUS_FILM_RESIDENCE_HALF_LIFE = Assumption(
    "aqueous-film-residence-half-life",
    2.77,
    "h",
    "An open aqueous film leaves the skin surface first-order (a 1984 theoretical paper, SurfaceLoss1984, "
    "treats evaporation, washing and rubbing as zero- or first-order surface losses; first order is the "
    "simplest with one number): it "
    "dries, and the active left in the dry film is a deposit that no longer diffuses (the rule of "
    "precipitate-redissolved-fraction, Tsai 1993). Evaporation removes the same mass of water per area and "
    "time whatever the film's thickness, so the half-life grows in proportion to the applied dose; this is "
    "its value at 10 mg/cm2. Calibrated: with it the model gives 3.96 % of a 10 uL/cm2 dose of 0.4 % caffeine "
    "in water taken up by intact skin in 24 h, the five-laboratory mean of the OECD 428 ring trial (Kluxen "
    "2022; 3.96 % potential absorption, 7.14 % with the sixth laboratory). The fit carries Potts-Guy's error "
    "for caffeine and an in-vitro-to-in-vivo step (split-thickness skin on a receptor, no rubbing off): "
    "grade L. A 2 mg/cm2 serum then has a residence half-life of 0.55 h.",
    bounds=(0.01, 1000.0),
    fitted_to="Kluxen 2022: 3.96 % of 10 uL/cm2 of 4 mg/mL caffeine absorbed through human skin in 24 h (5 labs)",
)
VEHICLE_RESIDENCE_HALF_LIFE = {
    "solution": Assumption(
        "vehicle-residence-half-life-solution",
        2.0,
        "h",
        "A solution of the catalogue is mostly not water (minoxidil in propylene glycol, ethanol and water): the "
        "ethanol is gone within about 30 min (Tsai 1993), the glycol stays, and the film is then rubbed, "
        "touched or washed off; a half-life of 2 h on the skin is assumed (no measurement after needling). With "
        "it the precipitated share is calibrated on Franz 1985. Occlusion holds it in place.",
        bounds=(0.01, 1000.0),
    ),
    "cream": Assumption(
        "vehicle-residence-half-life-cream",
        4.0,
        "h",
        "A cream left open is rubbed off over hours: 4 h assumed. Under occlusion (as the label applies an "
        "anaesthetic cream) it stays until removed.",
        bounds=(0.01, 1000.0),
    ),
}

# --- vehicle, saturation and size exclusion -------------------------------------------------------------
VEHICLE_ACTIVITY_FACTOR = {
    "serum": Assumption(
        "vehicle-activity-factor-serum",
        1.0,
        "1",
        "Potts-Guy was fitted to permeability from aqueous solutions (Potts & Guy 1992); an aqueous serum is taken "
        "as such a solution: the factor on the stratum corneum partition is 1. Saturation is handled by the "
        "solubility cap, not by this factor. At equal thermodynamic activity a vehicle changes the flux only if "
        "it changes the stratum corneum; no published flux ratio of a serum or cream against an aqueous "
        "solution at equal activity was found to set another value.",
        bounds=(0.0, 100.0),
    ),
    "gel": Assumption(
        "vehicle-activity-factor-gel",
        1.0,
        "1",
        "An aqueous gel (hyaluronic acid) is an aqueous solution for the solute: factor 1 (Potts-Guy's basis).",
        bounds=(0.0, 100.0),
    ),
    "solution": Assumption(
        "vehicle-activity-factor-solution",
        1.0,
        "1",
        "Propylene glycol/ethanol/water solutions (minoxidil) lose their ethanol within about 30 min and the drug "
        "saturates (Tsai 1993); from then on the driving force is the dissolved drug at saturation, which the "
        "solubility cap gives. No measured activity factor for the residue was found: 1.",
        bounds=(0.0, 100.0),
    ),
    "cream": Assumption(
        "vehicle-activity-factor-cream",
        1.0,
        "1",
        "The lidocaine/prilocaine eutectic is an oil phase at its formulation strength, taken as saturated "
        "(solubility-local-anaesthetic-base); no measured activity relative to an aqueous solution was found: 1. "
        "The vehicle does matter: EMLA's surfactant gave 6 times the penetration through human epidermis of the "
        "oil formulations of the same eutectic (Fiala 2016), but that is a ratio to oils, not to the aqueous "
        "solutions of Potts-Guy, so it does not set this factor (the anaesthetic EC50 was chosen with 1).",
        bounds=(0.0, 100.0),
    ),
}
CHANNEL_FILLER_SHARE = Cited(
    0.066,
    "1",
    "ChannelContents2024",
    "abstract: fillers (hyaluronic acid, PLLA, CaHA) present in 0-6.6 % of channels; tattoo ink in 15.5-98.1 %",
    M,
    "ex vivo skin, pen or roller; the upper end of the fillers' range",
)
CHANNEL_MATRIX_CUTOFF_D = Assumption(
    "channel-matrix-cutoff-diffusivity",
    1.42e-8,
    "cm2/s",
    "A fresh channel fills with fibrin, plasma and tissue debris, which exclude large molecules by size. Renkin's "
    "steric partition (1 - a/r)^2 is used with a/r = D_cut / D (Stokes-Einstein: a molecule's radius goes as "
    "1/D, D its channel-fluid diffusivity), D_cut being the diffusivity of a molecule as large as the matrix's "
    "pores. D_cut is calibrated so that high-MW hyaluronic acid (1,500 kDa, D = 1.9e-8 cm2/s, about 170 nm) "
    "enters 6.6 % as readily as a small molecule: the upper end of the share of channels that held fillers ex "
    "vivo (Dermatol Surg 2024). Fillers are cross-linked gels, not serum hyaluronic acid: grade L. It then "
    "predicts 85 % for 50 kDa hyaluronic acid and 99 % for a 1 kDa peptide.",
    bounds=(0.0, 1.0),
    fitted_to="Dermatol Surg 2024 (PMID 38691514): fillers present in at most 6.6 % of channels",
)
PRECIPITATE_REDISSOLVED = Assumption(
    "precipitate-redissolved-fraction",
    0.0,
    "1",
    "Share of the drug above its solubility in a finite film that stays available to redissolve as the dissolved "
    "part is taken up. Tsai 1993: once minoxidil precipitates from an evaporating film, the driving force is the "
    "dissolved drug only. Calibrated: with 0 the model gives 2.2 % of a 5 % minoxidil solution absorbed through "
    "intact scalp in 24 h, within Franz 1985's 1.6-3.9 % excreted in urine (in vivo); with 1 (all redissolves) "
    "it gives 17 %, far above.",
    bounds=(0.0, 1.0),
    fitted_to="Franz 1985: 1.6-3.9 % of 1 % and 5 % minoxidil solutions excreted in urine (bald scalp, in vivo)",
)
FILM_DIFFUSIVITY_FACTOR = Assumption(
    "film-diffusivity-factor",
    1.0,
    "1",
    "A finite film is a few micrometres thick (2 mg/cm2 is 20 um) and reaches a channel's mouth only by diffusing "
    "sideways through itself, over the cell's radius (0.4-1.5 mm). Its diffusivity is taken as that of the "
    "channel's fluid (free solution): an upper bound for gels and creams, whose viscosity slows it (the sheet's "
    "section 6.3: more viscous formulations permeate less through micro-needled skin).",
    bounds=(0.0, 100.0),
)
