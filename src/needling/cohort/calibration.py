"""The reference session of the healing model, the parameter groups each output reads, and the fits.

* the reference session (15 passes in 3 directions of a 1.5 mm 192-needle roller on the cheek): its
  injury scales the adverse-event risks and the TCA peel; the peak of remodelled collagen after it is
  the unit of the scar response;
* :func:`needling.cohort.fits.fit_rates` refits the rates fitted to calibration targets (collagen and
  epidermis: Lotfi 2013; hair: Dhurat 2013) by one-dimensional root finding on a seeded cohort;
  tests/validation checks that the shipped values still reproduce them.

Each value is computed from the parameter set it is given (cached on that set's values).
"""

from __future__ import annotations

import numpy as np

from needling.anatomy import get_site
from needling.models.healing import wound as W
from needling.models.healing.injury import session_injury
from needling.parameters import ParameterValues, cached_on_parameters, resolve
from needling.simulation import Technique, quick_session
from needling.units import convert

SOURCES = ("Lotfi2013", "Dhurat2013", "GargBaveja2014", "Aust2008", "Segal2012", "Cumming2010", "Dale1996")
#: The reference session of the injury: a 192-needle 1.5 mm drum, 15 passes in 3 directions.
REFERENCE_DEVICE = "dermaroller-192-1.5"
REFERENCE_PASSES, REFERENCE_DIRECTIONS = 15, 3
WEEK = convert(1.0, "week", "day")

#: The parameters each part of the engine reads (listed among a result's sources).
INJURY_PARAMETERS = ("wound-zone-radius", "injury-depth-reference")
HEALING_PARAMETERS = (
    "inflammation-time-constant",
    "refractory-time-constant",
    "fibroblast-proliferation-time",
    "fibroblast-seed",
    "fibroblast-time-constant",
    "remodelling-time-constant",
    "collagen-i-turnover-time",
    "collagen-ceiling",
    "epidermal-response-time-constant",
    "epidermis-ceiling",
    "collagen-synthesis-rate",
    "epidermal-growth-rate",
    "lotfi-collagen",
    "lotfi-epidermis",
    "healing-rate-variability",
    "healing-age-effect",
)
SCAR_PARAMETERS = (
    "remodelling-weight-collagen-iii",
    "scar-response-saturation",
    "acne-grade-2-responsiveness",
    "acne-grade-3-responsiveness",
    "acne-grade-4-responsiveness",
    "acne-grade-rating-spread",
    "scar-max-improvement",
    "acne-score-severity-exponent",
)
HAIR_PARAMETERS = (
    "hair-gain-capacity",
    "needling-anagen-drive",
    "minoxidil-anagen-drive",
    "hair-needling-persistence-time",
    "hair-response-time-constant",
    "dhurat-mn",
)
MELASMA_PARAMETERS = (
    "melasma-needling-max-improvement",
    "melasma-pigment-turnover-time",
    "tranexamic-acid-effect-time",
    "tranexamic-acid-melanogenesis-inhibition",
)


def _reference_mechanics(pv: ParameterValues, site: str) -> tuple[float, float]:
    q = quick_session(
        REFERENCE_DEVICE,
        site,
        Technique(passes=REFERENCE_PASSES, directions=REFERENCE_DIRECTIONS, needle_length_mm=1.5),
        parameters=pv,
    )
    return q.channels_per_cm2 * convert(1.0, "1/cm2", "1/m2"), q.depth_mean_um * convert(1.0, "um", "m")


def site_injury(pv: ParameterValues, site: str) -> float:
    """Return the injury of the reference session on ``site`` for the site's mean epidermis.

    Parameters
    ----------
    pv : ParameterValues
        The model parameters.
    site : str
        The site's name.

    Returns
    -------
    float
        Share of the dermis wounded, 0-1.
    """
    density, depth = _reference_mechanics(pv, site)
    epi = get_site(site).layer_bottoms_um()["viable_epidermis"] * convert(1.0, "um", "m")
    return float(session_injury(density, depth, np.array([epi]), pv)[0])


@cached_on_parameters()
def reference_injury(pv: ParameterValues) -> float:
    """Return the injury (0-1) of the reference session (15 passes, 3 directions, 1.5 mm 192-needle roller, cheek).

    Parameters
    ----------
    pv : ParameterValues
        The model parameters (the cached function is called as ``f(parameters=pv)``; None for the default set).

    Returns
    -------
    float
        Share of the dermis wounded, 0-1.
    """
    return site_injury(pv, "cheek")


def average_patient(
    pv: ParameterValues, session_days: np.ndarray, out_days: np.ndarray, injury: float
) -> W.WoundStates:
    """Solve the healing model for an average patient (response 1) given one injury at every session.

    Parameters
    ----------
    pv : ParameterValues
        The model parameters.
    session_days : numpy.ndarray
        Day of each session, days from the first.
    out_days : numpy.ndarray
        Days at which the states are wanted.
    injury : float
        Share of the dermis wounded by each session, 0-1.

    Returns
    -------
    WoundStates
        The healing model's states at ``out_days``, one patient.
    """
    k = session_days.size
    s = W.Sessions(session_days, np.full((1, k), injury), np.ones(k), np.ones(k))
    return W.solve(
        s,
        out_days,
        W.wound_rates(pv),
        np.array([pv.value("collagen-synthesis-rate")]),
        np.array([pv.value("epidermal-growth-rate")]),
    )


@cached_on_parameters()
def reference_remodelled_peak(pv: ParameterValues) -> float:
    """Return the peak of remodelled collagen (C1 + w C3) after one reference session: the scar response's unit.

    Parameters
    ----------
    pv : ParameterValues
        The model parameters (the cached function is called as ``f(parameters=pv)``; None for the default set).

    Returns
    -------
    float
        The peak, relative to baseline collagen.
    """
    days = np.arange(0.0, 3 * 365.0, 7.0)
    st = average_patient(pv, np.array([0.0]), days, reference_injury(parameters=pv))
    w = pv.value("remodelling-weight-collagen-iii")
    return float(np.max(st.collagen_i[0] + w * st.collagen_iii[0]))


def grade_response(grade: int, parameters: ParameterValues | None = None) -> float:
    """Return the largest grade improvement of an average responder with this baseline grade (fitted assumption).

    Parameters
    ----------
    grade : int
        Baseline Goodman & Baron grade, 0-4 (grades below 2 use grade 2's value).
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    float
        Grade units.
    """
    pv = resolve(parameters)
    return pv.value(f"acne-grade-{min(max(grade, 2), 4)}-responsiveness")


def subcision_effect(parameters: ParameterValues | None = None) -> float:
    """Return the immediate grade improvement of subcision (fitted assumption).

    Parameters
    ----------
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    float
        Grade units.
    """
    return resolve(parameters).value("subcision-grade-effect")


def scar_improvement_scale(parameters: ParameterValues | None = None) -> float:
    """Return the largest fractional improvement of other scars (named assumption).

    Parameters
    ----------
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    float
        Fraction, 0-1.
    """
    return resolve(parameters).value("scar-max-improvement")
