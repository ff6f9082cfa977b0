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
OPEN_AIR_HALF_LIFE = Assumption(
    "closure-half-life-open-air",
    1.355,
    "h",
    "Calibrated: with first-order closure, TEWL recovery (90 %) at 4.5 h after a 770 um DermaRoller (Kalluri 2011) "
    "means a half-life of 4.5 / log2(10) = 1.355 h, for the reference needle length below.",
    bounds=(0.0, 1000.0),
    fitted_to="Kalluri 2011: TEWL recovered 4-5 h after a 770 um DermaRoller",
)
CLOSURE_REFERENCE_LENGTH = Cited(0.77, "mm", "Kalluri2011", "the 770 um DermaRoller of the TEWL measurement", H)
CLOSURE_LENGTH_EXPONENT = Assumption(
    "closure-length-exponent",
    2.0,
    "1",
    "Resealing takes longer for longer needles (Gupta 2011; Kalluri 2011: pores closed by 12 h for 370 um and by "
    "18 h for 770 um needles on calcein imaging). A square law in needle length is assumed.",
    bounds=(0.0, 5.0),
)
OCCLUSION_FACTOR = Assumption(
    "occlusion-closure-factor",
    17.2,
    "1",
    "Occlusion slows closure (Gupta 2011). Calibrated: the occluded half-life of 23.3 h (three-site study, "
    "2021) over the open-air half-life of 1.355 h.",
    bounds=(1.0, 1000.0),
    fitted_to="three-site study 2021: occluded closure half-life 23.3 h",
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
VEHICLE_RESIDENCE_HALF_LIFE = {
    "serum": Assumption(
        "vehicle-residence-half-life-serum",
        2.0,
        "h",
        "An aqueous serum film of a few micrometres dries within the hour and is then rubbed, touched or washed off; "
        "a half-life of 2 h on the skin is assumed (no measurement after needling). Occlusion holds it in place.",
        bounds=(0.01, 1000.0),
    ),
    "solution": Assumption(
        "vehicle-residence-half-life-solution",
        2.0,
        "h",
        "A solution (water or alcohol based) evaporates like a serum: 2 h assumed. Occlusion holds it in place.",
        bounds=(0.01, 1000.0),
    ),
    "gel": Assumption(
        "vehicle-residence-half-life-gel",
        3.0,
        "h",
        "A gel dries more slowly than a serum: 3 h assumed. Occlusion holds it in place.",
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
