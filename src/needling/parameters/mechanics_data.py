"""Published needling data the mechanics are calibrated on or checked against (issue 13).

Each :class:`DataPoint` is a published number with its spread, source, locator and grade, the
condition it was measured in, and its role: ``"calibration"`` (a parameter was fitted to it; the model
must reproduce it within the tolerance) or ``"prediction"`` (nothing was fitted to it; a miss is
reported as a miss). ``tests/validation/test_issue13_validation.py`` runs every point and
:mod:`needling.simulation.validation` prints the table of published against simulated values that the
README shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from needling.evidence import Grade

Role = Literal["calibration", "prediction"]


@dataclass(frozen=True)
class DataPoint:
    """One published number and how the model is held to it.

    Attributes
    ----------
    key : str
        Short, unique name (used by the simulation that reproduces it).
    quantity : str
        What was measured, with the condition.
    published : float
        The published value, in ``unit``.
    unit : str
        Unit of ``published`` and ``tolerance``.
    source, locator : str
        Bibliography key and where in the source.
    grade : Grade
        Evidence grade of the number.
    role : {"calibration", "prediction"}
        Whether a parameter was fitted to it.
    tolerance : float
        Largest accepted absolute difference between simulated and published, in ``unit``.
    why : str
        Why this tolerance, and what the model assumes where the source is silent.
    sd : float, optional
        Published spread (SD), in ``unit``.
    """

    key: str
    quantity: str
    published: float
    unit: str
    source: str
    locator: str
    grade: Grade
    role: Role
    tolerance: float
    why: str
    sd: float | None = None


H, M, L = Grade.H, Grade.M, Grade.L

POINTS: tuple[DataPoint, ...] = (
    DataPoint(
        "roller-depth-slope",
        "depth gained per mm of needle length, pressed (roller) needles 0.5-2.5 mm, ex vivo human skin (ink)",
        0.06,
        "mm/mm",
        "Chung2020",
        "abstract",
        M,
        "calibration",
        0.01,
        "fits roller-shaft-limit-reference; the abstract names neither device nor lengths: 192-needle roller, "
        "moderate pressure, cheek, 0.5 and 2.5 mm assumed",
    ),
    DataPoint(
        "array-depth-600",
        "depth of 600 um polymer needles pressed into human skin in vivo (OCT)",
        460.0,
        "um",
        "Donnelly2011",
        "abstract",
        H,
        "calibration",
        46.0,
        "fits dimple-depth-reference; 10 %: the OCT reading is 'approximately'",
    ),
    DataPoint(
        "kalluri-channel-770",
        "channel depth left by a 770 um DermaRoller needle, hairless rat (histology)",
        152.5,
        "um",
        "Kalluri2011",
        "abstract",
        H,
        "calibration",
        19.2,
        "fits channel-relaxation-fraction; 2 SD; upper-arm skin stands in for the rat",
        sd=9.6,
    ),
    DataPoint(
        "pen-depth-0.5",
        "channel depth of a pen set to 0.5 mm, ex vivo human preauricular skin (histology)",
        500.0,
        "um",
        "Sasaki2019",
        "abstract: 'closely approximated' the needle length",
        M,
        "prediction",
        100.0,
        "20 % reads 'closely approximated'; cheek, 11-needle pen",
    ),
    DataPoint(
        "pen-depth-1.5",
        "channel depth of a pen set to 1.5 mm, ex vivo human preauricular skin (histology)",
        1500.0,
        "um",
        "Sasaki2019",
        "abstract: 'closely approximated' the needle length",
        M,
        "prediction",
        300.0,
        "20 % reads 'closely approximated'; cheek, 11-needle pen",
    ),
    DataPoint(
        "roller-density-1-pass",
        "punctures per cm2 after one pass of a 192-needle 2 x 2 cm drum",
        15.0,
        "1/cm2",
        "SinghYadav2016",
        "text (sheet 1.2): about 16 per pass; first principles 13.3-15.3",
        M,
        "prediction",
        2.0,
        "the published band 13-16 and 16",
    ),
    DataPoint(
        "roller-density-15-passes",
        "holes per cm2 after 15 passes of a 192-needle roller",
        250.0,
        "1/cm2",
        "Doddaballapur2009",
        "text (claim without primary source)",
        M,
        "prediction",
        70.0,
        "the claim counts needle entries; first principles give 199-229; 180-320 accepted",
    ),
    DataPoint(
        "bleeding-0.25-roller",
        "endpoint of 0.25 mm rollers (1 = pinpoint bleeding, 0 = erythema), face, 15 passes",
        0.0,
        "1",
        "Doddaballapur2009",
        "sheet sections 2.4 and 10.1 (clinical classification, grade L)",
        L,
        "calibration",
        0.0,
        "fits pinpoint-bleeding-threshold (with the 1.0 mm point); both catalogue drums at 0.25 mm, cheek",
    ),
    DataPoint(
        "bleeding-1.0-roller",
        "endpoint of a 1.0 mm roller (1 = pinpoint bleeding), face, 15 passes",
        1.0,
        "1",
        "Farber2020",
        "sheet 2.4: pinpoint bleeding from about 1 mm needles (grade L)",
        L,
        "calibration",
        0.0,
        "fits pinpoint-bleeding-threshold; 192-needle roller, cheek, moderate pressure",
    ),
    DataPoint(
        "bleeding-1.5-roller",
        "endpoint of a 1.5 mm roller with enough pressure (1 = uniform pinpoint bleeding), 15 passes",
        1.0,
        "1",
        "Farber2020",
        "sheet 10.2: dermal needling endpoint uniform pinpoint bleeding",
        M,
        "prediction",
        0.0,
        "192-needle roller, cheek, moderate pressure",
    ),
    DataPoint(
        "bleeding-0.2-roller",
        "endpoint of a 0.2 mm home roller (0 = erythema), 15 passes",
        0.0,
        "1",
        "Doddaballapur2009",
        "sheet sections 2.4 and 10.1 (grade L)",
        L,
        "prediction",
        0.0,
        "192-needle roller, cheek, moderate pressure",
    ),
    DataPoint(
        "pain-pen-2.5-emla",
        "VAS of a 2.5 mm pen, 20 passes, skin stretched, after lidocaine/prilocaine",
        5.37,
        "1",
        "Healio2016",
        "news summary of a split-face study",
        M,
        "calibration",
        0.5,
        "fits vas-per-relative-pain; 60 min of cream, 25 cm2 of cheek assumed",
        sd=0.99,
    ),
    DataPoint(
        "pain-roller-1.5-abdomen",
        "VAS of micro-needling the abdomen (striae alba)",
        5.23,
        "1",
        "Naspolini2019",
        "abstract",
        H,
        "calibration",
        0.5,
        "fits roller-pain-factor; 1.5 mm 192-needle roller, 15 passes, no cream assumed (not in the abstract)",
        sd=1.39,
    ),
    DataPoint(
        "pain-roller-1.0-cream",
        "VAS of a 1.0 mm roller on the face after topical anaesthetics",
        5.22,
        "1",
        "Luz2017",
        "abstract",
        M,
        "prediction",
        1.74,
        "1 SD; 45 min of lidocaine/prilocaine and 15 passes assumed (not in the abstract)",
        sd=1.74,
    ),
    DataPoint(
        "pain-roller-1.0-cream-prenedled",
        "VAS of a 1.0 mm roller after cream delivered with a 0.5 mm roller",
        3.33,
        "1",
        "Luz2017",
        "abstract",
        M,
        "prediction",
        1.49,
        "1 SD; pre-needling of 4 passes assumed",
        sd=1.49,
    ),
    DataPoint(
        "pain-pen-2.5-emla-preneedled",
        "VAS of a 2.5 mm pen after cream delivered with 4 passes of a 0.5 mm pen",
        3.10,
        "1",
        "Healio2016",
        "news summary of a split-face study",
        M,
        "prediction",
        1.09,
        "1 SD; the pre-needling is modelled as 4 passes of a 0.5 mm roller",
        sd=1.09,
    ),
)


def point(key: str) -> DataPoint:
    """Return the data point named ``key``.

    Parameters
    ----------
    key : str
        The data point's key.

    Returns
    -------
    DataPoint
        The published value with its source, grade, role and tolerance.
    """
    for p in POINTS:
        if p.key == key:
            return p
    raise KeyError(key)
