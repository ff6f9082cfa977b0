"""Which acne scars subcision lifts: distensible, tethered (rolling) scars, by a patient's grade and scar type.

Subcision cuts the fibrous strands that tether a rolling scar's floor to the subcutis, and the scar lifts
(Orentreich & Orentreich 1995, as described by Kaur & Kalsy 2014); ice-pick and deep boxcar scars are not
tethered in that way. Goodman & Baron's qualitative grades separate the two: grade 3 atrophic scars still
flatten with manual stretching (they are distensible), grade 4 scars do not (Goodman & Baron 2006). Most
patients have more than one type (Kaur & Kalsy 2014), so whether a patient's scars are mostly tethered is a
per-patient attribute: a share of the patients with grade 1 to 3 scars, a named assumption calibrated with the
other acne parameters on the one shipped trial with subcision (Garg & Baveja 2014), and none of grade 4.
"""

from __future__ import annotations

import numpy as np

#: Goodman & Baron grades whose atrophic scars flatten with manual stretching (distensible).
DISTENSIBLE_GRADES = (1, 2, 3)


def distensible_scars(grade: np.ndarray, draw: np.ndarray, share: float | np.ndarray) -> np.ndarray:
    """Whether each patient's scars are mostly distensible, tethered ones that subcision releases.

    Parameters
    ----------
    grade : numpy.ndarray of int
        Baseline Goodman & Baron qualitative grade, 0-4.
    draw : numpy.ndarray
        The patient's uniform draw on [0, 1) (:attr:`needling.cohort.population.Patients.scar_type_draw`).
    share : float or numpy.ndarray
        Share of the patients with grade 1-3 scars whose scars are mostly tethered (0-1,
        ``distensible-scar-share``): one number, or one per patient when each row has its own posterior draw.

    Returns
    -------
    numpy.ndarray
        1.0 for a patient whose scars subcision releases, else 0.0 (dimensionless).

    References
    ----------
    Goodman GJ, Baron JA. Postacne scarring: a qualitative global scarring grading system. Dermatol Surg
    2006;32:1458-66. Kaur J, Kalsy J. Subcision plus 50 % trichloroacetic acid chemical reconstruction of skin
    scars in the management of atrophic acne scars. Indian Dermatol Online J 2014;5:95-7.
    """
    distensible = np.isin(grade, DISTENSIBLE_GRADES)
    return (distensible & (draw < share)).astype(float)
