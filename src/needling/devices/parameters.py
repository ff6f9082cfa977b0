"""Cited geometry of the catalogue's rollers and pens, and the home-use needle limit."""

from __future__ import annotations

from needling.evidence import Assumption, Cited, Grade

H, M, L = Grade.H, Grade.M, Grade.L

# --- classic 192-needle drum ----------------------------------------------------------------------
ROLLER_192_NEEDLES = Cited(192, "1", "Doddaballapur2009", "text", H, "needles per drum, standard medical roller")
ROLLER_192_RINGS = Cited(
    24,
    "1",
    "SinghYadav2016",
    "text: 8 rows x 24 circular arrays",
    M,
    "interpreted as 24 rings of 8 needles across the drum width",
)
ROLLER_192_DRUM_DIAMETER = Cited(20.0, "mm", "SchwarzLaaff2011", "text: drum 2 x 2 cm (MF8)", H)
ROLLER_192_DRUM_WIDTH = Cited(20.0, "mm", "SchwarzLaaff2011", "text: drum 2 x 2 cm (MF8)", H)
ROLLER_NEEDLE_DIAMETER_THICK = Cited(
    0.25, "mm", "SchwarzLaaff2011", "text: MF8 needles 0.25 mm", H, "used for 1.0-2.0 mm needles"
)
ROLLER_NEEDLE_DIAMETER_THIN = Cited(
    0.1, "mm", "Doddaballapur2009", "text: 0.1 mm standard roller", H, "used for 0.2-0.5 mm needles"
)
ROLLER_TIP_RADIUS = Cited(4.0, "um", "Kalluri2011", "SEM of 370 and 770 um DermaRoller needles", H)
ROLLER_BASE_WIDTH = Cited(140.0, "um", "Kalluri2011", "SEM of DermaRoller needles", H)

# --- small facial drum (MS-4) ---------------------------------------------------------------------
ROLLER_96_NEEDLES = Cited(
    96,
    "1",
    "Doddaballapur2009",
    "manufacturer range as recalled in the sheet, section 1.1",
    L,
    "MS-4: 96 needles in 4 rows, 1.5 mm, small drum for the face (sheet grade L, memory)",
)
ROLLER_96_RINGS = Cited(
    24, "1", "Doddaballapur2009", "sheet section 1.1 (memory)", L, "96 needles in 4 rows = 24 rings of 4 needles"
)
ROLLER_96_DRUM = Assumption(
    "ms4-drum-size",
    10.0,
    "mm",
    "The sheet calls the MS-4 a small facial drum but gives no size; half the 2 cm drum of the 192-needle "
    "roller is assumed for both diameter and width.",
)

# --- 540-needle home roller -----------------------------------------------------------------------
ROLLER_540_NEEDLES = Assumption(
    "roller-540-needles",
    540,
    "1",
    "Clinic pages give drum needle counts of 192-540, 'up to 540 needles' (sheet section 1.1, grade L, "
    "no dated source); the 540-needle home roller is modelled at that upper count.",
)
ROLLER_540_LAYOUT = Assumption(
    "roller-540-layout",
    30,
    "1",
    "No layout is published for the 540-needle home roller; 30 rings of 18 needles on an 18 mm x 25 mm drum "
    "(the example device of the project's device-file format) is assumed.",
)
ROLLER_540_DRUM_DIAMETER = Assumption(
    "roller-540-drum-diameter", 18.0, "mm", "As roller-540-layout: an 18 mm drum is assumed."
)
ROLLER_540_DRUM_WIDTH = Assumption(
    "roller-540-drum-width", 25.0, "mm", "As roller-540-layout: a 25 mm drum width is assumed."
)

# --- pens -----------------------------------------------------------------------------------------
DERMAPEN_NEEDLES = Cited(11, "1", "Wilson2012", "article text", M, "Dermapen (2012) cartridge of 11 needles")
DERMAPEN_FREQUENCY = Cited(90.0, "Hz", "Wilson2012", "article text: up to 90 Hz", M)
PEN_DEPTH_MAX = Cited(2.5, "mm", "FDA2018SkinPen", "De Novo DEN160029 summary: 0-2.5 mm in 0.25 mm steps", M)
PEN_DEPTH_STEP = Cited(0.25, "mm", "FDA2018SkinPen", "De Novo DEN160029 summary", M)
PROPEN_NEEDLES = Cited(14, "1", "FDA2024ProPen", "510(k) K243800 summary: 14-needle cartridges", M)
DERMAPEN4_NEEDLES = Cited(
    16,
    "1",
    "Wilson2012",
    "sheet section 1.3: Dermapen 4, 16 needles (memory)",
    L,
    "manufacturer marketing recalled in the sheet; grade L",
)
DERMAPEN4_FREQUENCY = Cited(104.0, "Hz", "Wilson2012", "sheet section 1.3: about 104 Hz (memory)", L)
PEN_STAMP_RATE = Assumption(
    "pen-stamp-rate",
    100.0,
    "Hz",
    "Pens stamp 50-150 times per second (PRIME 2015, sheet section 1.3); the middle of that range is used "
    "where a pen's frequency is not published.",
)
PEN_NEEDLE_DIAMETER = Assumption(
    "pen-needle-diameter",
    0.25,
    "mm",
    "Pen needles are 'thin', about 0.2-0.4 mm (PRIME 2015) and 32-gauge on one cleared pen (K200044); "
    "0.25 mm, the lower part of the range, is assumed.",
)
CARTRIDGE_9 = Assumption(
    "pen-cartridge-9",
    9,
    "1",
    "The smallest cartridge of the 9-36 range reported by a Polish review of "
    "micro-needling (sheet section 1.3, grade M; its authors and year were not retrieved).",
)
CARTRIDGE_36 = Assumption(
    "pen-cartridge-36", 36, "1", "The largest cartridge of the same 9-36 range (sheet section 1.3)."
)

# --- materials and home use -----------------------------------------------------------------------
MATERIAL_STEEL = Cited(
    1,
    "1",
    "Doddaballapur2009",
    "text: medical-grade stainless steel, gamma-irradiated",
    H,
    "material flag (1 = stainless steel)",
)
HOME_NEEDLE_LIMIT = Cited(
    0.5,
    "mm",
    "AAMSSA2019",
    "report text: home rollers 0.25-0.5 mm",
    L,
    "upper end of home-use guidance (sheet sections 1.4 and 10.1: 0.1-0.3 mm, at most 0.5 mm)",
)
HOME_NEEDLE_RECOMMENDED = Cited(
    0.3,
    "mm",
    "AAMSSA2019",
    "sheet section 10.1: home use 0.1-0.3 (<= 0.5) mm",
    L,
    "the usual home length; above it only with a clinician's prescription",
)
MAX_NEEDLE_LENGTH = Cited(
    3.0,
    "mm",
    "SinghYadav2016",
    "text: needle length 0.5-3 mm",
    M,
    "the longest needles of rollers and pens (pen cartridges 0.25-3.0 mm, sheet section 1.3; Fernandes 2020 uses "
    "about 3 mm for burn and acne scars): the one upper limit of any needle length needling accepts",
)
