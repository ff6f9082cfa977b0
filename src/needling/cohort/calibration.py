"""Scales of the healing model calibrated on published numbers, computed from the cited targets.

* collagen and epidermis: Lotfi 2013 (+53.2 % papillary collagen, +50 % epidermis, 8 weeks after five
  monthly 1.5 mm roller sessions);
* hair: Dhurat 2013 (+22.2/cm2 on minoxidil alone and +91.4/cm2 with weekly needling, at 12 weeks);
* acne grades: the grade responsiveness and subcision effect are named assumptions whose values were
  fitted to Garg & Baveja 2014's transitions (tests/validation checks the fit).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from needling.anatomy import get_site
from needling.models.healing import cascade as C
from needling.parameters import healing as P
from needling.simulation import Technique, quick_session

SOURCES = ("Lotfi2013", "Dhurat2013", "GargBaveja2014", "Aust2008")
WEEK = 7.0


def _dose(site: str, length_mm: float = 1.5, passes: int = 15, directions: int = 3) -> float:
    q = quick_session(
        "dermaroller-192-1.5", site, Technique(passes=passes, directions=directions, needle_length_mm=length_mm)
    )
    epi = get_site(site).layer_bottoms_um()["viable_epidermis"]
    dose = q.channels_per_cm2 * max(0.0, q.depth_mean_um - epi) / (P.INJURY_REFERENCE.value * 1000.0)
    return float(1.0 - np.exp(-dose))


@cache
def reference_injury() -> float:
    """Injury of the reference session (15 passes in 3 directions of a 1.5 mm 192-needle roller, cheek)."""
    return _dose("cheek")


@cache
def reference_remodelled_peak() -> float:
    """Peak of remodelled collagen (C1 + w C3) after one unit impulse: the unit of the scar response."""
    t = np.arange(0, 3 * 365)
    phi = C.cascade().impulse_response(t.astype(float))
    return float(np.max(phi[:, 3] + P.REMODELLED_WEIGHT_C3.value * phi[:, 2]))


def _lotfi_sum(state: int) -> float:
    sessions = np.arange(5) * 4 * WEEK
    phi = C.responses(sessions, np.array([(16 + 8) * WEEK]))
    if state == -1:
        return float(reference_injury() * np.sum(phi[:, 0, 2] + phi[:, 0, 3]))
    return float(reference_injury() * np.sum(phi[:, 0, state]))


@cache
def collagen_scale() -> float:
    """Relative collagen per unit of collagen state: Lotfi 2013's +53.2 %."""
    return P.LOTFI_COLLAGEN.value / 100.0 / _lotfi_sum(-1)


@cache
def epidermis_scale() -> float:
    """Relative epidermal thickness per unit of the epidermal state: Lotfi 2013's +50 %."""
    return P.LOTFI_EPIDERMIS.value / 100.0 / _lotfi_sum(4)


@cache
def hair_minoxidil_gain() -> float:
    """Steady hair gain of 5 % minoxidil, per cm2: Dhurat 2013's +22.2 at 12 weeks."""
    return P.DHURAT_MINOXIDIL.value / float(C.minoxidil_response(np.array([12 * WEEK]))[0])


@cache
def hair_needling_gain() -> float:
    """Hair gain per unit of the needling-driven hair state: the extra +69.2/cm2 of Dhurat 2013."""
    sessions = np.arange(12) * WEEK
    phi = C.responses(sessions, np.array([12 * WEEK]))
    unit = _dose("scalp") * float(np.sum(phi[:, 0, 5]))
    return (P.DHURAT_MN.value - P.DHURAT_MINOXIDIL.value) / unit


def grade_response(grade: int) -> float:
    """Largest grade improvement of an average responder with this baseline grade (fitted assumption)."""
    if grade <= 1:
        return P.GRADE_RESPONSE[2].value
    return P.GRADE_RESPONSE[min(grade, 4)].value


def subcision_effect() -> float:
    """Immediate grade improvement of subcision (fitted assumption)."""
    return P.SUBCISION_EFFECT.value


def scar_improvement_scale() -> float:
    """Largest fractional improvement of other scars (named assumption)."""
    return P.SCAR_MAX_IMPROVEMENT.value
