"""Per-patient adverse-event risks from the strongest session's injury, bounded whatever the protocol.

A risk measured in a trial (PIH, tram-track scarring, prolonged erythema) is a per-patient propensity:
a patient prone to it shows it after a strong enough session, so more sessions do not add to it. It
grows with the injury of the strongest session, ``x`` (relative to the reference session the trials
used), as ``p(x) = p_ref H (1 - (1 - 1/H)^x)``: zero without injury, the measured rate ``p_ref`` at
``x = 1``, increasing and concave in ``x`` and never above ``H p_ref``.
"""

from __future__ import annotations

import numpy as np


def risk_scale(relative_injury: float | np.ndarray, headroom: float | np.ndarray) -> np.ndarray:
    """Factor on a risk measured at the reference session, for sessions ``relative_injury`` times as strong.

    Parameters
    ----------
    relative_injury : float or ndarray
        Injury of the strongest session divided by the reference session's injury (0 or more).
    headroom : float or ndarray
        Largest factor ``H`` (1 or more): the limit of the scale for very strong sessions.

    Returns
    -------
    ndarray
        ``H (1 - (1 - 1/H)^x)``: 0 at x = 0, 1 at x = 1, below H always; 1 for every x > 0 when H = 1.

    Examples
    --------
    >>> [round(float(risk_scale(x, 1.5)), 3) for x in (0.0, 0.5, 1.0, 3.0, 100.0)]
    [0.0, 0.634, 1.0, 1.444, 1.5]
    """
    x = np.clip(np.asarray(relative_injury, float), 0.0, None)
    h = np.maximum(np.asarray(headroom, float), 1.0)
    keep = np.where(h > 1.0, 1.0 - 1.0 / h, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = h * -np.expm1(x * np.log(keep))
    return np.asarray(np.where(x > 0.0, out, 0.0))
