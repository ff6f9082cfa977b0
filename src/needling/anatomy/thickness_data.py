"""Layer thickness by skin site and sex, each value Cited or a named Assumption.

Histology is used for the stratum corneum and the viable epidermis (ultrasound reports an entrance
echo of about 0.2 mm that is thicker than the histological epidermis), in-vivo high-frequency
ultrasound for the dermis (Meng 2022), as the evidence sheet advises. The split of the dermis into
papillary and reticular parts is not given by any source in the sheet and is a named assumption.
"""

from __future__ import annotations

from needling.evidence import Assumption, Cited, Grade

H, M, L = Grade.H, Grade.M, Grade.L

# --- stratum corneum (um) -------------------------------------------------------------------------
SC_FOREARM = Cited(18.3, "um", "SandbyMoller2003", "abstract, dorsal forearm, n=71", H, "biopsy histology", sd=4.9)
SC_SHOULDER = Cited(11.0, "um", "SandbyMoller2003", "abstract, shoulder, n=71", H, "biopsy histology", sd=2.2)
SC_BUTTOCK = Cited(14.9, "um", "SandbyMoller2003", "abstract, buttock, n=71", H, "biopsy histology", sd=3.4)
SC_GENERAL = Cited(
    15.0,
    "um",
    "Makvandi2021",
    "review text: SC about 10-20 um",
    M,
    "midpoint of the 10-20 um range; SD taken as a quarter of the range",
    sd=2.5,
)

# --- viable (cellular) epidermis (um) -------------------------------------------------------------
VE_FOREARM = Cited(56.6, "um", "SandbyMoller2003", "abstract, dorsal forearm", H, "cellular epidermis", sd=11.5)
VE_SHOULDER = Cited(70.3, "um", "SandbyMoller2003", "abstract, shoulder", H, "cellular epidermis", sd=13.6)
VE_BUTTOCK = Cited(81.5, "um", "SandbyMoller2003", "abstract, buttock", H, "cellular epidermis", sd=15.7)
VE_FACE = Cited(
    46.1,
    "um",
    "Chopra2015",
    "results: 39 facial subunits, range 29.6-62.6 um",
    H,
    "midpoint of the facial range (posterior auricular 29.6 to upper lip 62.6 um); SD a quarter of the range",
    sd=8.25,
)
VE_UPPER_LIP = Cited(
    62.6,
    "um",
    "Chopra2015",
    "results: thickest facial epidermis, upper lip",
    H,
    "SD not reported; the facial SD of VE_FACE is used",
    sd=8.25,
)
VE_SCALP = Assumption(
    "viable-epidermis-scalp",
    65.9,
    "um",
    "A Turkish histology study of six facial regions (sheet section 2.1, Selcuk Med J, year not retrieved) "
    "found the thinnest female epidermis on the scalp, 65.9 um; its bibliographic data are incomplete, so "
    "the value is carried as an assumption. SD taken as the facial SD of Chopra 2015.",
    sd=8.25,
)


# --- dermis (um), in-vivo ultrasound, Meng 2022 Table 2 -----------------------------------------
def _meng(site: str, sex: str, mean_mm: float, sd_mm: float) -> Cited:
    return Cited(
        mean_mm * 1000.0,
        "um",
        "Meng2022",
        f"Table 2, {site}, {sex}",
        H,
        "high-frequency ultrasound, 118 healthy Chinese adults",
        sd=sd_mm * 1000.0,
    )


DERMIS_MENG = {
    ("forehead", "male"): _meng("forehead", "male", 1.17, 0.28),
    ("forehead", "female"): _meng("forehead", "female", 0.86, 0.16),
    ("glabella", "male"): _meng("glabella", "male", 1.14, 0.30),
    ("glabella", "female"): _meng("glabella", "female", 0.90, 0.23),
    ("temple", "male"): _meng("temple", "male", 1.06, 0.20),
    ("temple", "female"): _meng("temple", "female", 0.80, 0.19),
    ("eyelid", "male"): _meng("eyelid", "male", 0.67, 0.14),
    ("eyelid", "female"): _meng("eyelid", "female", 0.58, 0.11),
    ("nasal dorsum", "male"): _meng("nasal dorsum", "male", 1.03, 0.16),
    ("nasal dorsum", "female"): _meng("nasal dorsum", "female", 0.93, 0.25),
    ("zygoma", "male"): _meng("zygoma", "male", 1.14, 0.21),
    ("zygoma", "female"): _meng("zygoma", "female", 0.87, 0.35),
    ("submandibular", "male"): _meng("submandibular", "male", 1.02, 0.24),
    ("submandibular", "female"): _meng("submandibular", "female", 0.91, 0.34),
    ("neck", "male"): _meng("neck", "male", 0.98, 0.22),
    ("neck", "female"): _meng("neck", "female", 0.99, 0.20),
}

DERMIS_SCALP = Assumption(
    "dermis-scalp",
    3000.0,
    "um",
    "A clinic page quoting a textbook gives scalp dermis 2-4 mm (sheet section 2.3, grade L, year not "
    "retrieved); the midpoint is used with a quarter of the range as SD.",
    sd=500.0,
)

# Body sites: per-site dermis values were not retrieved (sheet section 2.3, gap). Named assumptions,
# bounded by the sheet: histological body dermis 2115-5888 um (Oltulu 2018, fixed tissue, hand to
# breast), trunk thicker than limbs (PubMed 36331142), ultrasound reads thinner than fixed histology.
DERMIS_BACK = Assumption(
    "dermis-back",
    2500.0,
    "um",
    "Per-site value not retrieved. Trunk dermis is thicker than limb dermis (PubMed 36331142); the lower part "
    "of Oltulu 2018's histological body range (2115-5888 um) is taken for the back.",
    sd=600.0,
)
DERMIS_ABDOMEN = Assumption(
    "dermis-abdomen",
    2000.0,
    "um",
    "Per-site value not retrieved. Abdomen is trunk skin (thicker than limbs, PubMed 36331142) but thinner than "
    "the back; set just under Oltulu 2018's lowest body value (2115 um, dorsum of hand).",
    sd=500.0,
)
DERMIS_THIGH = Assumption(
    "dermis-thigh",
    1500.0,
    "um",
    "Per-site value not retrieved. Limb skin is thinner than trunk skin (PubMed 36331142 and the 22-site "
    "20 MHz study of section 2.3); set between facial ultrasound dermis (about 1 mm) and the abdomen.",
    sd=400.0,
)
DERMIS_UPPER_ARM = Assumption(
    "dermis-upper-arm",
    1300.0,
    "um",
    "Per-site value not retrieved. Limb skin is thinner than trunk skin; the upper arm is taken slightly "
    "thinner than the thigh.",
    sd=350.0,
)
DERMIS_PERIORAL = Assumption(
    "dermis-perioral",
    1140.0,
    "um",
    "Meng 2022 has no upper-lip site; ultrasound finds the mouth corner among the thickest facial dermis "
    "(section 2.2, numbers n.r.). The male zygoma value of Meng 2022 (1.14 mm, the thickest of its cheek "
    "values) is used for both sexes.",
    sd=250.0,
)
DERMIS_CHIN = Assumption(
    "dermis-chin",
    1020.0,
    "um",
    "Meng 2022 has no chin site; its neighbour, the submandibular male value (1.02 mm), is used for both sexes.",
    sd=240.0,
)

PAPILLARY_FRACTION = Assumption(
    "papillary-dermis-fraction",
    0.15,
    "1",
    "The sheet gives no papillary dermis thickness. The papillary dermis is the thin upper band of the dermis "
    "holding the capillary loops, above the sub-papillary plexus that lies 1-1.5 mm deep on the forearm "
    "(Braverman 1997); 15 % of the dermis puts the first bleeding at about 0.1-0.2 mm of actual depth on "
    "the face, as the sheet derives in section 2.4.",
    sd=0.03,
)
