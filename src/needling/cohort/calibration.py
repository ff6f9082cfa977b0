"""Scales of the healing model calibrated on published numbers, computed from the cited targets.

* collagen and epidermis: Lotfi 2013 (+53.2 % papillary collagen, +50 % epidermis, 8 weeks after five
  monthly 1.5 mm roller sessions);
* hair: Dhurat 2013 (+22.2/cm2 on minoxidil alone and +91.4/cm2 with weekly needling, at 12 weeks);
* acne grades: the grade responsiveness and subcision effect are named assumptions whose values were
  fitted to Garg & Baveja 2014's transitions (tests/validation checks the fit).

Each scale is computed from the parameter set it is given (cached on that set's values).
"""

from __future__ import annotations

import numpy as np

from needling.anatomy import get_site
from needling.models.healing import cascade as C
from needling.parameters import ParameterValues, cached_on_parameters, resolve
from needling.simulation import Technique, quick_session
from needling.units import convert

SOURCES = ("Lotfi2013", "Dhurat2013", "GargBaveja2014", "Aust2008")
#: The reference session of the injury dose: a 192-needle 1.5 mm drum, 15 passes in 3 directions.
REFERENCE_DEVICE = "dermaroller-192-1.5"
REFERENCE_PASSES, REFERENCE_DIRECTIONS = 15, 3
WEEK = convert(1.0, "week", "day")


def injury_reference_um(pv: ParameterValues) -> float:
    """The injury dose's reference (channels/cm2 x um reaching into the dermis), from ``injury-dose-reference``.

    The reference is that channel density reaching 1 mm (1000 um) into the dermis.
    """
    return pv.value("injury-dose-reference") * convert(1.0, "mm", "um")


def _dose(pv: ParameterValues, site: str) -> float:
    q = quick_session(
        REFERENCE_DEVICE,
        site,
        Technique(passes=REFERENCE_PASSES, directions=REFERENCE_DIRECTIONS, needle_length_mm=1.5),
        parameters=pv,
    )
    epi = get_site(site).layer_bottoms_um()["viable_epidermis"]
    dose = q.channels_per_cm2 * max(0.0, q.depth_mean_um - epi) / injury_reference_um(pv)
    return float(1.0 - np.exp(-dose))


@cached_on_parameters()
def reference_injury(pv: ParameterValues) -> float:
    """Injury of the reference session (15 passes in 3 directions of a 1.5 mm 192-needle roller, cheek)."""
    return _dose(pv, "cheek")


@cached_on_parameters()
def reference_remodelled_peak(pv: ParameterValues) -> float:
    """Peak of remodelled collagen (C1 + w C3) after one unit impulse: the unit of the scar response."""
    t = np.arange(0, 3 * 365)
    phi = C.cascade(pv).impulse_response(t.astype(float))
    return float(np.max(phi[:, 3] + pv.value("remodelling-weight-collagen-iii") * phi[:, 2]))


def _lotfi_sum(pv: ParameterValues, state: int) -> float:
    sessions = np.arange(5) * 4 * WEEK
    phi = C.responses(sessions, np.array([(16 + 8) * WEEK]), pv)
    if state == -1:
        return float(reference_injury(parameters=pv) * np.sum(phi[:, 0, 2] + phi[:, 0, 3]))
    return float(reference_injury(parameters=pv) * np.sum(phi[:, 0, state]))


@cached_on_parameters()
def collagen_scale(pv: ParameterValues) -> float:
    """Relative collagen per unit of collagen state: Lotfi 2013's +53.2 %."""
    return pv.si("lotfi-collagen") / _lotfi_sum(pv, -1)


@cached_on_parameters()
def epidermis_scale(pv: ParameterValues) -> float:
    """Relative epidermal thickness per unit of the epidermal state: Lotfi 2013's +50 %."""
    return pv.si("lotfi-epidermis") / _lotfi_sum(pv, 4)


@cached_on_parameters()
def hair_minoxidil_gain(pv: ParameterValues) -> float:
    """Steady hair gain of 5 % minoxidil, per cm2: Dhurat 2013's +22.2 at 12 weeks."""
    return pv.value("dhurat-minoxidil") / float(C.minoxidil_response(np.array([12 * WEEK]), parameters=pv)[0])


@cached_on_parameters()
def hair_needling_gain(pv: ParameterValues) -> float:
    """Hair gain per unit of the needling-driven hair state: the extra +69.2/cm2 of Dhurat 2013."""
    sessions = np.arange(12) * WEEK
    phi = C.responses(sessions, np.array([12 * WEEK]), pv)
    unit = _dose(pv, "scalp") * float(np.sum(phi[:, 0, 5]))
    return (pv.value("dhurat-mn") - pv.value("dhurat-minoxidil")) / unit


def grade_response(grade: int, parameters: ParameterValues | None = None) -> float:
    """Largest grade improvement of an average responder with this baseline grade (fitted assumption)."""
    pv = resolve(parameters)
    return pv.value(f"acne-grade-{min(max(grade, 2), 4)}-responsiveness")


def subcision_effect(parameters: ParameterValues | None = None) -> float:
    """Immediate grade improvement of subcision (fitted assumption)."""
    return resolve(parameters).value("subcision-grade-effect")


def scar_improvement_scale(parameters: ParameterValues | None = None) -> float:
    """Largest fractional improvement of other scars (named assumption)."""
    return resolve(parameters).value("scar-max-improvement")
