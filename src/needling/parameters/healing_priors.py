"""Which healing and outcome parameters a calibration estimates, with their prior ranges from the evidence.

The set named ``healing-calibrated`` (:data:`HEALING_CALIBRATED`) lists the parameters of the healing and
outcome models that the trials can identify and that a calibration may estimate. Every other parameter
stays at its cited or assumed value. Each :class:`Prior` gives a central value, a 95 % range and the
scale the range is read on (``log`` for rates, effect sizes and scales; ``linear`` for shares), with the
evidence the range rests on. The central value is the parameter's default.

A calibration reads the names with :func:`calibrated_names` and sets draws with
``ParameterValues.update``; the forward model is :func:`needling.cohort.engine.simulate_arm`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from needling.parameters.values import ParameterValues, resolve

#: The name of the set (``needling parameters list`` may show it).
SET_NAME = "healing-calibrated"


@dataclass(frozen=True)
class Prior:
    """The prior of one calibrated parameter.

    Parameters
    ----------
    name : str
        The parameter's name in :class:`~needling.parameters.ParameterValues`.
    low, high : float
        The prior's central 95 % range, in the parameter's own unit.
    scale : {"log", "linear"}
        ``log``: log-normal with these 2.5 and 97.5 % points; ``linear``: normal with them, clipped to the
        parameter's bounds.
    basis : str
        The evidence the range rests on.
    """

    name: str
    low: float
    high: float
    scale: str
    basis: str

    def __post_init__(self) -> None:
        if not 0.0 <= self.low < self.high or self.scale not in ("log", "linear"):
            raise ValueError(f"prior of {self.name}: need 0 <= low < high and scale log or linear")
        if self.scale == "log" and self.low <= 0.0:
            raise ValueError(f"prior of {self.name}: a log-scale range needs low > 0")

    @property
    def mu(self) -> float:
        """Centre of the prior on its scale (log of the geometric mean for ``log``)."""
        if self.scale == "log":
            return 0.5 * (math.log(self.low) + math.log(self.high))
        return 0.5 * (self.low + self.high)

    @property
    def sigma(self) -> float:
        """Standard deviation of the prior on its scale (the 95 % range is mu +/- 1.96 sigma)."""
        if self.scale == "log":
            return (math.log(self.high) - math.log(self.low)) / (2 * 1.959964)
        return (self.high - self.low) / (2 * 1.959964)


#: The parameters a calibration estimates, with their priors.
HEALING_CALIBRATED: tuple[Prior, ...] = (
    Prior(
        "healing-rate-variability",
        0.15,
        0.8,
        "log",
        "Patients of one grade ended in two or three grades in Garg & Baveja 2014; between 0.15 and 0.8 "
        "log-SD covers a spread of outcomes from narrow to very wide.",
    ),
    Prior(
        "acne-grade-2-responsiveness",
        1.0,
        8.0,
        "log",
        "Garg & Baveja 2014: grade 2 cleared in all 11 patients (at least one to two grades).",
    ),
    Prior(
        "acne-grade-3-responsiveness",
        0.4,
        4.0,
        "log",
        "Garg & Baveja 2014 and Tirmizi 2021: grade 3 mostly moved to grade 2, some cleared.",
    ),
    Prior(
        "acne-grade-4-responsiveness",
        0.5,
        5.0,
        "log",
        "Garg & Baveja 2014: grade 4 fell by one or two grades.",
    ),
    Prior(
        "tca-15-injury",
        0.05,
        2.0,
        "log",
        "A 15 % TCA peel wounds the epidermis and upper papillary dermis only: less than, or about, "
        "one needling session.",
    ),
    Prior(
        "prp-growth-factor-boost",
        0.02,
        2.0,
        "log",
        "Chawla 2014 split face: PRP better than vitamin C (excellent 18.5 % vs 7 %); the aggregator's 70 % vs "
        "40 % improvement (sheet 8.3, grade L) bounds it from above.",
    ),
    Prior(
        "vitamin-c-collagen-boost",
        0.01,
        1.0,
        "log",
        "Ascorbic acid is a cofactor of collagen synthesis; Chawla 2014 found it worse than PRP.",
    ),
    Prior(
        "tram-track-risk",
        0.01,
        0.2,
        "log",
        "Dogra 2014: 2 of 30 after five sessions; compiled rates up to 5.3 % (sheet 8.6).",
    ),
    Prior(
        "pih-risk-fitzpatrick-4",
        0.05,
        0.4,
        "log",
        "Dogra 2014: 5 of 30 (types IV-V) after five sessions; compiled up to 13.8 % (sheet 8.6).",
    ),
)


HEALING_CALIBRATED = (
    *HEALING_CALIBRATED,
    Prior(
        "collagen-synthesis-rate",
        0.04,
        0.4,
        "log",
        "Lotfi 2013: +53.2 % papillary collagen (Masson), +65.4 % (silver stain) after five sessions. The range is "
        "a factor of about three either side of the value fitted to Lotfi with the fibroblasts activated in "
        "proportion to the wounded volume (about a fifth of the capacity after a reference session).",
    ),
    Prior(
        "epidermal-growth-rate",
        0.5,
        5.0,
        "log",
        "Lotfi 2013: epidermis +50 % at 8 weeks; Aust 2008: stratum spinosum +40 % at one year.",
    ),
    Prior(
        "needling-anagen-drive",
        0.1,
        3.0,
        "log",
        "Dhurat 2013: +91.4 vs +22.2 hairs/cm2; Kumar 2018 on another scale (section 13.3) widens the range.",
    ),
    Prior(
        "minoxidil-anagen-drive",
        0.03,
        0.5,
        "log",
        "Dhurat 2013: +22.2 hairs/cm2 at 12 weeks on 5 % minoxidil alone.",
    ),
    Prior(
        "tranexamic-acid-melanogenesis-inhibition",
        0.1,
        0.9,
        "linear",
        "Saleh 2019: tranexamic acid with needling better than needling alone (Budamakuntla 2013 is held out).",
    ),
    Prior(
        "refractory-time-constant",
        5.0,
        40.0,
        "log",
        "Proliferative phase from about day 5 for about 8 weeks (sheet 7.1); trials use 1- to 6-week intervals.",
    ),
    Prior(
        "acne-grade-rating-spread",
        0.1,
        0.6,
        "log",
        "Raters of the quantitative scale agreed within 4 points in 19 of 21 photographs (Goodman & Baron 2006).",
    ),
    Prior(
        "subcision-grade-effect",
        1.0,
        4.0,
        "log",
        "Releasing a tethered scar lifts it at once (Kaur & Kalsy 2014); in Garg & Baveja 2014 a fifth of the "
        "grade 3 patients cleared where most moved one grade, i.e. subcision added one to three grades for them. "
        "No trial in the sheet isolates subcision.",
    ),
    Prior(
        "distensible-scar-share",
        0.05,
        0.55,
        "linear",
        "Most patients have mixed scar types (Kaur & Kalsy 2014); 5 to 55 % of patients with mostly rolling, "
        "tethered scars covers case mixes from mostly ice-pick and boxcar to mostly rolling. Garg & Baveja 2014: "
        "5 of 22 grade 3 patients cleared.",
    ),
    Prior(
        "acne-score-severity-exponent",
        1.0,
        3.0,
        "log",
        "The Goodman & Baron quantitative score is points per scar (rising with its severity) times a multiplier "
        "for their number (sheet 8.1): from proportional to the severity (1) to beyond the product of the two (3).",
    ),
)


def calibrated_names() -> tuple[str, ...]:
    """The names of the ``healing-calibrated`` set, in a stable order.

    Returns
    -------
    tuple of str
        Parameter names, each in :func:`needling.parameters.default_parameters`.
    """
    return tuple(p.name for p in HEALING_CALIBRATED)


def priors(parameters: ParameterValues | None = None) -> dict[str, Prior]:
    """The priors of the calibrated parameters present in ``parameters``.

    Parameters
    ----------
    parameters : ParameterValues, optional
        The set the calibration starts from (default: the default set).

    Returns
    -------
    dict of str to Prior
        Name -> prior, for each calibrated parameter the set holds.
    """
    pv = resolve(parameters)
    return {p.name: p for p in HEALING_CALIBRATED if p.name in pv}
