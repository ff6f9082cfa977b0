"""Parameters of the needling mechanics: insertion, channel opening, bleeding, pain, technique.

Calibration points are stated in each note: which published number fixed the parameter. Everything
the literature does not give is a named assumption (grade L) with its reasoning.
"""

from __future__ import annotations

from needling.evidence import Assumption, Cited, Grade

H, M, L = Grade.H, Grade.M, Grade.L

# --- published insertion and channel data --------------------------------------------------------
KALLURI_NEEDLE_LENGTH = Cited(770.0, "um", "Kalluri2011", "methods: nominal 770 um DermaRoller", H)
KALLURI_CHANNEL_DEPTH = Cited(
    152.5,
    "um",
    "Kalluri2011",
    "results: channel depth, hairless rat",
    H,
    "histology/confocal after the roller was removed",
    sd=9.6,
)
KALLURI_CHANNEL_DIAMETER = Cited(70.7, "um", "Kalluri2011", "results: channel surface diameter", H, sd=9.9)
DONNELLY_NEEDLE_LENGTH = Cited(600.0, "um", "Donnelly2011", "abstract: 600 um Gantrez AN-139 needles", H)
DONNELLY_INSERTED_DEPTH = Cited(
    460.0,
    "um",
    "Donnelly2011",
    "abstract: OCT, human skin in vivo",
    H,
    "'extended approximately 460 um into the skin'; the whole length was not inserted",
)
PUNCTURE_FORCE_PER_NEEDLE = Cited(
    0.03,
    "N",
    "Olatunji2013",
    "abstract: about 0.03 N per needle",
    H,
    "spacing-independent above 150 um; Donnelly 2011: >0.03 N per needle suffices",
)
REFERENCE_TIP_RADIUS = Cited(
    4.0,
    "um",
    "Kalluri2011",
    "SEM of DermaRoller needles: tip radius 4 um",
    H,
    "the sharp steel tip the puncture force refers to",
)

# --- insertion model -------------------------------------------------------------------------------
DIMPLE_DEPTH_REF = Assumption(
    "dimple-depth-reference",
    140.0,
    "um",
    "Depth the skin is pushed in before and around a needle that is fully pressed home, for a sharp tip at "
    "the reference force per needle. Calibrated: 600 um needles reached 460 um in vivo (Donnelly 2011), "
    "600 - 460 = 140 um.",
    bounds=(0.0, 1000.0),
    fitted_to="Donnelly 2011: 600 um needles reached 460 um in vivo (OCT)",
)
REFERENCE_FORCE_PER_NEEDLE = Assumption(
    "reference-force-per-needle",
    0.1,
    "N",
    "Force per needle at which the reference dimple applies: a roller under moderate hand force (about 5 N) "
    "shares it among the 30-50 needles in contact, about 0.1-0.17 N each. Not measured.",
    bounds=(0.0, 100.0),
)
DIMPLE_FORCE_EXPONENT = Assumption(
    "dimple-force-exponent",
    0.25,
    "1",
    "How the residual dimple shrinks as the force per needle grows. A weak power law is assumed: only the "
    "direction (more needles sharing the force -> more dimpling, less depth) is supported, by the "
    "'bed-of-nails' observation (PRIME 2015); a weak law keeps short home needles epidermal-to-papillary, as "
    "the sheet's classification of 0.2-0.5 mm needles as 'epidermal' needling implies (section 10.1).",
    bounds=(0.0, 5.0),
)
DIMPLE_TIP_EXPONENT = Assumption(
    "dimple-tip-exponent",
    2.0,
    "1",
    "Puncture force is linear in the tip's interfacial area (Davis 2004), i.e. in the square of the tip "
    "radius; a blunter (worn) tip dimples the skin in proportion before it punctures.",
    bounds=(0.0, 5.0),
)
DEPTH_SPREAD_CV = Assumption(
    "dimple-cv",
    0.5,
    "1",
    "Channel-to-channel coefficient of variation of the dimple (hand wobble, skin curvature, local "
    "stiffness), log-normal so that no channel is deeper than its needle. Kalluri 2011's channel depth "
    "varied by 6 % on a flat, controlled animal model; a hand-held device on curved human skin is "
    "assumed to vary much more.",
    bounds=(0.0, 5.0),
)
CHANNEL_RELAXATION = Assumption(
    "channel-relaxation-fraction",
    0.426,
    "1",
    "Fraction of the inserted depth that stays open as a channel once the needle is withdrawn and the tissue "
    "recoils. Calibrated: a 770 um DermaRoller needle, which the roller model inserts to about 358 um at moderate "
    "pressure (upper arm), leaves a 152.5 um channel in hairless rat (Kalluri 2011): 152.5 / 358 = 0.426.",
    bounds=(0.0, 1.0),
    fitted_to="Kalluri 2011: 770 um needle -> 152.5 um channel in hairless rat",
)
OPENING_TO_DIAMETER = Assumption(
    "channel-opening-fraction",
    0.505,
    "1",
    "Surface opening of a channel as a fraction of the needle's diameter at the skin surface. Calibrated: "
    "70.7 um openings from needles of 140 um base width (Kalluri 2011).",
    bounds=(0.0, 1.0),
    fitted_to="Kalluri 2011: 70.7 um openings from needles of 140 um base width",
)

# --- technique: hand force on a roller, hand speed of a pen ---------------------------------------
HAND_FORCE = {
    "light": Assumption(
        "roller-hand-force-light",
        2.0,
        "N",
        "No source measures the force a clinician puts on a roller; light pressure is assumed "
        "to be about 2 N (0.2 kg).",
    ),
    "moderate": Assumption(
        "roller-hand-force-moderate",
        5.0,
        "N",
        "Moderate pressure assumed at about 5 N (0.5 kg), enough for the 'uniform pinpoint "
        "bleeding' endpoint with 1.5 mm needles described in the sheet's section 10.2.",
    ),
    "firm": Assumption("roller-hand-force-firm", 10.0, "N", "Firm pressure assumed at about 10 N (1 kg)."),
}
PEN_IMPACT_FACTOR = Assumption(
    "pen-impact-dimple-factor",
    0.6,
    "1",
    "Pens drive needles in at speed; impact insertion pierces where slow pressing does not (Verbaan 2008), so "
    "the dimple of a pen needle is assumed to be 60 % of a pressed needle's at the same force.",
    bounds=(0.0, 10.0),
)
PRESSED_PUNCTURE_DEFLECTION = Assumption(
    "pressed-puncture-deflection",
    380.0,
    "um",
    "Median depth the skin is pushed in under a slowly pressed needle before its tip breaks through. A pressed "
    "needle shorter than this meets the skin with its base (a roller's drum) before it punctures and leaves no "
    "channel. Not measured for rollers; chosen between two observations in human skin: arrays of 245-300 um "
    "needles pressed by hand gave no punctures where the same arrays driven in at 1-3 m/s did (Verbaan 2008), and "
    "pressed 600 um needles reached 460 um in vivo (Donnelly 2011). With the spread below, 0.2 % of pressed "
    "300 um needles puncture, 99.97 % of 0.5 mm needles and all longer ones.",
    bounds=(0.0, 5000.0),
)
PRESSED_PUNCTURE_DEFLECTION_SPREAD = Assumption(
    "pressed-puncture-deflection-spread",
    0.08,
    "1",
    "Needle-to-needle spread of that deflection (SD of its logarithm). Verbaan 2008 saw no puncture at 300 um and "
    "reproducible puncture by impact, so the spread is assumed narrow enough that almost no pressed 300 um needle "
    "punctures (0.2 %) while a 0.5 mm needle almost always does (99.97 %).",
    bounds=(0.0, 2.0),
)
PEN_FORCE_PER_NEEDLE = Assumption(
    "pen-force-per-needle",
    0.15,
    "N",
    "Force per needle of a motor-driven cartridge; not published. Five times the puncture force per needle "
    "(Olatunji 2013) is assumed so that pens reach their set depth less the impact-reduced dimple.",
    bounds=(0.0, 100.0),
)
PEN_HAND_SPEED = Assumption(
    "pen-hand-speed",
    20.0,
    "mm/s",
    "Default speed at which the pen is glided over the skin; clinical teaching gives no number. Stamps then "
    "land 0.2 mm apart at 100 Hz, so most punctures of one pass re-enter earlier ones.",
    bounds=(0.0, 1000.0),
)
PEN_LINE_SPACING = Assumption(
    "pen-line-spacing",
    2.0,
    "mm",
    "Default spacing between neighbouring strokes of a pen; about the width of a 9-16 needle cartridge.",
    bounds=(0.0, 100.0),
)
PEN_CARTRIDGE_PITCH = Assumption(
    "pen-cartridge-pitch",
    0.6,
    "mm",
    "Spacing of needles within a pen cartridge (needles on a square grid); not published.",
    bounds=(0.0, 100.0),
)
ROLLER_JITTER = Assumption(
    "roller-jitter",
    0.15,
    "mm",
    "Random displacement (SD, uniformly distributed) of each channel from the ideal drum lattice (slip, wobble, "
    "skin stretch).",
    bounds=(0.0, 10.0),
)
ROLLER_LANE_WOBBLE = Assumption(
    "roller-lane-wobble",
    0.1,
    "1",
    "Random sideways placement of each stroke of a pass, as a fraction of the drum width (SD): strokes are "
    "laid edge to edge on average, with small overlaps and gaps.",
    bounds=(0.0, 1.0),
)
SITE_DIMPLE_FACTOR = {
    "face": Assumption(
        "site-dimple-factor-face",
        1.0,
        "1",
        "Facial skin is the reference for the dimple (Donnelly 2011 measured the forearm).",
    ),
    "scalp": Assumption(
        "site-dimple-factor-scalp",
        0.8,
        "1",
        "Scalp skin is tethered over the skull and is assumed to dimple 20 % less.",
    ),
    "body": Assumption(
        "site-dimple-factor-body", 1.2, "1", "Trunk and limb skin over soft tissue is assumed to dimple 20 % more."
    ),
}
PRESSURE_FACTOR = {
    "light": Assumption(
        "pressure-dimple-factor-light",
        1.25,
        "1",
        "Light pressure on a pen (hand force does not drive a pen's needles) is assumed to let the "
        "skin give 25 % more.",
    ),
    "moderate": Assumption("pressure-dimple-factor-moderate", 1.0, "1", "Reference pressure."),
    "firm": Assumption(
        "pressure-dimple-factor-firm", 0.8, "1", "Firm pressure (skin stretched and held) assumed to dimple 20 % less."
    ),
}

# --- bleeding --------------------------------------------------------------------------------------
LOOP_APEX_OFFSET = Assumption(
    "capillary-loop-apex-offset",
    0.25,
    "1",
    "Capillary loops rise from the sub-papillary plexus into the dermal papillae; the epidermis is avascular "
    "(Braverman 1997). A channel is taken to meet the loops once it passes a quarter of the way into the "
    "papillary dermis. No direct measurement exists (sheet section 2.4).",
    bounds=(0.0, 1.0),
)
LOOP_HIT_PROBABILITY = Assumption(
    "capillary-loop-hit-probability",
    0.5,
    "1",
    "Probability that a channel running through the whole papillary dermis strikes a capillary loop; a channel "
    "that ends part-way into it strikes in proportion to how far it went. Not measured; one in two assumed.",
    bounds=(0.0, 1.0),
)
PINPOINT_BLEEDING_THRESHOLD = Assumption(
    "pinpoint-bleeding-threshold",
    0.354,
    "1",
    "Share of channels that strike a capillary loop above which the endpoint is uniform pinpoint bleeding rather "
    "than erythema. A property of depth alone: more channels give more bleeding points, not a different endpoint. "
    "Calibrated between the clinical endpoints by needle length: erythema with 0.2-0.25 mm rollers, pinpoint "
    "bleeding from about 1 mm (sheet sections 2.4 and 10.2, grade L): the geometric mean of the shares a "
    "192-needle roller set to 0.25 mm (the deeper of the two 0.25 mm drums) and one of 1.0 mm reach on the cheek "
    "at moderate pressure, 15 passes; see tests/validation.",
    bounds=(0.0, 1.0),
    fitted_to="erythema with 0.2-0.25 mm rollers, pinpoint bleeding from about 1 mm (sheet 2.4, 10.2)",
)

# --- pain ------------------------------------------------------------------------------------------
GILL_LENGTH_EXPONENT = Cited(
    1.77, "1", "Gill2008", "results: 3x length -> about 7x pain", H, "derived: ln 7 / ln 3 = 1.77"
)
GILL_COUNT_EXPONENT = Cited(
    0.33, "1", "Gill2008", "results: 10x needles -> just over 2x pain", H, "derived: ln 2.15 / ln 10 = 0.33"
)
GILL_RELATIVE_LOW = Cited(
    0.05, "1", "Gill2008", "results: 5-40 % of a 26-G hypodermic", H, "the shortest needles (480 um) in arrays of 5"
)
GILL_LENGTH_LOW = Cited(480.0, "um", "Gill2008", "methods: needles 480-1450 um", H)
GILL_COUNT_LOW = Cited(5.0, "1", "Gill2008", "methods: arrays of 5 or 50 needles", H)
CLINICAL_VAS = Cited(
    5.23, "1", "Naspolini2019", "abstract: mean VAS of micro-needling", H, "abdomen, striae alba; SE 0.31"
)
GILL_LENGTH_HIGH = Cited(1450.0, "um", "Gill2008", "methods: needles 480-1450 um", H)
VAS_PER_RELATIVE = Assumption(
    "vas-per-relative-pain",
    2.67,
    "1",
    "Scale of the VAS in ``10 (1 - exp(-k P))``, P the session's pain relative to a 26-G hypodermic: near zero "
    "P gives k P x 10 VAS points, and no session exceeds 10. Calibrated: a 2.5 mm 11-needle pen, 20 passes in two "
    "directions over the cheek (25 cm2), skin stretched (firm), after 60 min of lidocaine/prilocaine (the "
    "anaesthesia model's multiplier) gives VAS 5.37 (Healio 2016 summary of a split-face study); "
    "roller-pain-factor then gives Naspolini 2019's 5.23 for a 1.5 mm roller, 15 passes on the abdomen (the "
    "abstract gives neither device nor passes; the trials' usual protocol is assumed, sheet section 10).",
    bounds=(0.0, 100.0),
    fitted_to="2.5 mm pen, 20 passes, after 60 min lidocaine/prilocaine: VAS 5.37 (Healio 2016)",
)
ROLLER_PAIN_FACTOR = Assumption(
    "roller-pain-factor",
    5.14,
    "1",
    "How much more a roller's needle entry hurts than a pen's at the same depth. Calibrated jointly with "
    "vas-per-relative-pain on two clinical anchors: a 2.5 mm pen, 20 passes over the face after 60 min of "
    "lidocaine/prilocaine, VAS 5.37 (Healio 2016 summary of a split-face study), and Naspolini 2019's 5.23 for "
    "the reference roller session. Rollers enter obliquely and tear (sheet section 1.4, grade L); the factor also "
    "absorbs any shortfall of the shallow roller depths of the ex vivo data (Chung 2020) against in vivo rolling.",
    bounds=(0.1, 100.0),
    fitted_to="Naspolini 2019 (roller, VAS 5.23) with the 2.5 mm pen under EMLA (VAS 5.37)",
)
PAIN_PASSES_EXPONENT = Assumption(
    "pain-passes-exponent",
    0.33,
    "1",
    "Pain grows with the passes over the same skin as Gill 2008's pain grew with the number of needles "
    "(10x -> about 2x): the same exponent is assumed for repeated entries. Not measured for passes.",
    bounds=(0.0, 1.0),
)
PAIN_AREA_EXPONENT = Assumption(
    "pain-area-exponent",
    0.1,
    "1",
    "A larger treated area adds spatial summation over a longer procedure; a third of Gill 2008's needle-count "
    "exponent is assumed, since the VAS rates intensity rather than total pain. Not measured.",
    bounds=(0.0, 1.0),
)
PAIN_REFERENCE_PASSES = Assumption(
    "pain-reference-passes",
    15.0,
    "1",
    "Passes of the reference session the VAS is calibrated on (15, the trials' usual roller protocol, sheet 10.2).",
    bounds=(1.0, 100.0),
)
PAIN_REFERENCE_AREA = Assumption(
    "pain-reference-area",
    25.0,
    "cm2",
    "Treated area of the reference session (25 cm2, the default area of a session).",
    bounds=(0.01, 10000.0),
)

# --- device wear --------------------------------------------------------------------------------------
WEAR_TIP_GROWTH = Assumption(
    "wear-tip-radius-growth-per-use",
    0.1,
    "1",
    "No peer-reviewed study of needle-tip wear exists (sheet section 1.4, gap). Each use is assumed to blunt the "
    "tip by 10 % of its new radius (a 4 um tip reaches about 9 um after 12 uses, the end of a home roller's "
    "claimed life); through the tip-area law of Davis 2004 a blunt tip dimples more and penetrates less.",
    bounds=(0.0, 10.0),
)
WEAR_PAIN_EXPONENT = Assumption(
    "wear-pain-exponent",
    1.0,
    "1",
    "Blunt needles are said to hurt more (they tear and press rather than cut); Gill 2008 found no effect of tip "
    "angle on new needles, so this applies to worn devices only: pain grows in proportion to the blunting, which "
    "more than offsets the shallower depth.",
    bounds=(0.0, 5.0),
)

# --- numerical choices of the session solver (not science: how the fixed point is found) -----------------
SOLVER_START_FRACTION = Assumption(
    "session-solver-start-fraction",
    0.8,
    "1",
    "The roller's depth and its needles in contact depend on each other; the fixed-point iteration starts from "
    "80 % of the needle length. A numerical choice: the fixed point does not depend on it.",
    bounds=(0.0, 1.0),
)
SOLVER_ITERATIONS = Assumption(
    "session-solver-iterations",
    12,
    "1",
    "Iterations of the damped fixed point between depth and needles in contact; 12 halve the start error 12 times "
    "(to about 0.02 %), below the rounding of the reported depth. A numerical choice.",
    bounds=(1, 1000),
)
SOLVER_DAMPING = Assumption(
    "session-solver-damping",
    0.5,
    "1",
    "Weight of the previous depth in each step of the fixed point (0.5: the mean of old and new), so that the "
    "contact count and the depth settle together without oscillating. A numerical choice.",
    bounds=(0.0, 0.99),
)
DEPTH_QUADRATURE_NODES = Assumption(
    "depth-quadrature-nodes",
    24,
    "1",
    "Gauss-Hermite nodes of the closed-form session's expectation over the spread of depth and of the capillary "
    "zone; 24 nodes integrate the clipped-linear strike weight to well below the reported precision.",
    bounds=(2, 200),
)

# --- distinct channels: punctures that land on a channel re-open it -------------------------------------
CHANNEL_MERGE_DIAMETERS = Assumption(
    "channel-merge-distance",
    1.0,
    "1",
    "Two punctures whose centres are closer than one needle diameter (at the skin surface) share a wound: the "
    "second needle's shaft overlaps the tissue the first one cut, so it re-opens that channel instead of making "
    "a new one. Geometry of two discs; no measurement of merging exists. Matters for pens, whose stamps land "
    "about 0.2 mm apart at 100 Hz and 20 mm/s, and for dense roller work.",
)
RSA_JAMMING_COVERAGE = Cited(
    0.547,
    "1",
    "Evans1993",
    "review of random sequential adsorption: saturation coverage of discs in two dimensions",
    M,
    "Distinct channels placed at random with a minimum spacing saturate at this coverage of their exclusion "
    "discs; used for the closed-form channel density of quick_session. Read in an encyclopaedia summary that "
    "cites the review.",
)

# --- roller depth: the shaft grips, so long roller needles go little deeper than short ones ---------------
CHUNG_DEPTH_SLOPE = Cited(
    0.06,
    "1",
    "Chung2020",
    "abstract: ink penetration increases by 0.06 mm per 1 mm increase in needle length",
    M,
    "ex vivo human skin from cosmetic surgery, black ink; the abstract does not say which device the needle-length "
    "series used (the study compared a pen, a roller and a CO2 laser) nor which lengths; read here as the depth "
    "reached by pressed (roller) needles between 0.5 and 2.5 mm, as the evidence sheet (section 13.1) does",
)
ROLLER_SHAFT_LIMIT_REF = Assumption(
    "roller-shaft-limit-reference",
    0.1364,
    "mm",
    "Depth at which the skin's grip on the shaft takes up a pressed needle's share of the hand force, at the "
    "reference force per needle (proportional to the force: friction along the inserted length). Calibrated: a "
    "192-needle roller at moderate pressure on the cheek reaches 0.06 mm deeper per mm of needle length between "
    "0.5 and 2.5 mm (Chung 2020, grade M); see tests/validation.",
)
