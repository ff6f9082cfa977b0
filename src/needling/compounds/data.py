"""Physicochemical data of the catalogue's compounds, each value Cited or a named Assumption."""

from __future__ import annotations

from needling.evidence import Assumption, Cited, Grade

H, M, L = Grade.H, Grade.M, Grade.L


def _sheet(name: str, value: float, unit: str, what: str) -> Assumption:
    """A value the evidence sheet reports from a database or product page without full bibliographic data."""
    return Assumption(
        name,
        value,
        unit,
        f"{what} (evidence sheet section 6.2); the page it was read on has no "
        "author or date, so the value is carried as a named assumption.",
    )


ASCORBIC_MW = Cited(176.12, "1", "Wikipedia2025AscorbicAcid", "infobox: molar mass", H, "g/mol")
ASCORBIC_PKA = Cited(4.10, "1", "Wikipedia2025AscorbicAcid", "infobox: pKa1", H)
ASCORBIC_SOL = Cited(330.0, "g/L", "Wikipedia2025AscorbicAcid", "infobox: solubility in water", H)
ASCORBIC_LOGKOW = _sheet("logkow-ascorbic-acid", -1.85, "1", "log Kow of L-ascorbic acid, from memory in the sheet")
ASCORBIC_PH_MAX = Cited(3.5, "1", "Pinnell2001", "abstract: formulate at pH < 3.5", H, "highest pH that lets it enter")

MINOXIDIL_MW = _sheet("mw-minoxidil", 209.25, "1", "minoxidil molar mass from a chemistry database page")
MINOXIDIL_LOGKOW = _sheet("logkow-minoxidil", 1.2, "1", "minoxidil xlogP 1.2 from a drug database page")
MINOXIDIL_PKA = _sheet("pka-minoxidil", 4.61, "1", "minoxidil pKa 4.61 (a weak base) from a drug database page")
MINOXIDIL_SOL = _sheet("solubility-minoxidil", 2.2, "g/L", "minoxidil water solubility 2.2 mg/mL")

LIDOCAINE_MW = _sheet("mw-lidocaine", 234.34, "1", "lidocaine base molar mass from a chemistry product page")
LIDOCAINE_LOGKOW = _sheet("logkow-lidocaine", 2.44, "1", "lidocaine log Kow, from memory in the sheet")
LIDOCAINE_PKA = _sheet("pka-lidocaine", 7.9, "1", "lidocaine pKa 7.9 (base; about 24 % un-ionised at pH 7.4)")
PRILOCAINE_MW = _sheet("mw-prilocaine", 220.3, "1", "prilocaine molar mass, from memory in the sheet")
PRILOCAINE_LOGKOW = _sheet("logkow-prilocaine", 2.1, "1", "prilocaine log Kow, from memory in the sheet")
PRILOCAINE_PKA = _sheet("pka-prilocaine", 7.9, "1", "prilocaine pKa, from memory in the sheet")
EMLA_STRENGTH = Assumption(
    "emla-strength",
    25.0,
    "g/L",
    "Lidocaine 2.5 % + prilocaine 2.5 % eutectic (sheet section 4.2): 25 mg of each per g of cream, taken as "
    "25 g/L of each in the vehicle (density of the cream taken as 1 g/mL).",
)
ANAESTHETIC_SOL = Assumption(
    "solubility-local-anaesthetic-base",
    25.0,
    "g/L",
    "Water solubility of lidocaine and prilocaine base is not in the sheet; the eutectic holds each at its "
    "formulation strength, so the vehicle is taken as saturated at 25 g/L.",
)

TCA_MW = _sheet("mw-tca", 163.38, "1", "trichloroacetic acid molar mass 163.38-163.39")
TCA_LOGKOW = _sheet("logkow-tca", 1.33, "1", "log Kow of the neutral form of TCA, from memory in the sheet")
TCA_PKA = _sheet("pka-tca", 0.66, "1", "TCA pKa 0.66-0.7: fully ionised at skin pH, acts by protein coagulation")
TCA_SOL = Assumption(
    "solubility-tca",
    150.0,
    "g/L",
    "Only the 15 % peel is modelled; its strength (150 g/L) stands in for a solubility the sheet does not give.",
)

HA_LMW_MW = Assumption(
    "mw-ha-low",
    50_000.0,
    "1",
    "Low-molecular-weight hyaluronic acid spans 5-300 kDa (sheet section 6.2); 50 kDa is taken "
    "as a typical serum grade.",
)
HA_HMW_MW = Assumption(
    "mw-ha-high",
    1_500_000.0,
    "1",
    "High-molecular-weight serum grades are 1,000-1,800 kDa (sheet section 6.2); 1,500 kDa taken.",
)
HA_LOGKOW = Assumption(
    "logkow-ha",
    -4.0,
    "1",
    "The sheet gives log Kow << 0 for hyaluronic acid; -4 is taken so that Potts-Guy gives a "
    "negligible intact-skin permeability (molecular weight dominates anyway).",
)
HA_PKA = _sheet("pka-ha", 3.0, "1", "carboxyl pKa of hyaluronic acid about 3, from memory in the sheet")
HA_SOL = Assumption(
    "solubility-ha",
    10.0,
    "g/L",
    "Serums hold about 0.1-2 % hyaluronic acid; not in the sheet. 1 % (10 g/L) is taken as the "
    "ceiling of a finite dose.",
)

TXA_MW = Cited(157.21, "1", "Wishart2018", "DrugBank DB00302: average weight 157.2102", M, "g/mol")
TXA_LOGKOW = Assumption(
    "logkow-tranexamic-acid",
    -2.0,
    "1",
    "Not in the sheet. Tranexamic acid is a zwitterionic lysine analogue, freely soluble in "
    "water; a strongly hydrophilic log Kow of -2 is assumed.",
)
TXA_SOL = Assumption(
    "solubility-tranexamic-acid",
    100.0,
    "g/L",
    "Freely soluble; the 100 mg/mL used topically with micro-needling (sheet section 10.3) is "
    "taken as the vehicle concentration.",
)

CAFFEINE_MW = _sheet("mw-caffeine", 194.19, "1", "caffeine molar mass from an in-silico skin-model paper")
CAFFEINE_LOGKOW = _sheet("logkow-caffeine", -0.083, "1", "caffeine log Kow -0.083 from an in-silico skin model paper")
CAFFEINE_SOL = Assumption(
    "solubility-caffeine",
    20.0,
    "g/L",
    "Not in the sheet; caffeine is usually tested as a 2 % aqueous solution (20 g/L).",
)
