"""Per-patient adverse-event risks from the strongest session's injury, bounded whatever the protocol.

A risk measured in a trial (PIH, tram-track scarring, prolonged erythema) is a per-patient propensity:
a patient prone to it shows it after a strong enough session, so more sessions do not add to it. It
grows with the injury of the strongest session, ``x`` (relative to the reference session the trials
used): in proportion to the injury up to the reference session, ``p(x) = p_ref x`` for ``x <= 1`` (zero
without injury, the measured rate ``p_ref`` at ``x = 1``), and above it rising from ``p_ref`` with the same
slope towards ``H p_ref``, ``p(x) = p_ref (H - (H - 1) exp(-(x - 1) / (H - 1)))``: increasing, continuous
with a continuous slope, and never above ``H p_ref``. With ``H = 1`` a session stronger than the reference
gives the measured rate and no more.
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
        ``x`` up to ``x = 1``; above it ``H - (H - 1) exp(-(x - 1) / (H - 1))`` (1 when H = 1): 0 at x = 0,
        1 at x = 1, never above H.

    Examples
    --------
    >>> [round(float(risk_scale(x, 1.5)), 3) for x in (0.0, 0.5, 1.0, 3.0, 100.0)]
    [0.0, 0.5, 1.0, 1.491, 1.5]
    >>> [round(float(risk_scale(x, 1.0)), 3) for x in (0.0, 0.5, 1.0, 3.0, 100.0)]
    [0.0, 0.5, 1.0, 1.0, 1.0]
    """
    x = np.clip(np.asarray(relative_injury, float), 0.0, None)
    h = np.maximum(np.asarray(headroom, float), 1.0)
    room = h - 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        above = h - room * np.exp(-(x - 1.0) / np.where(room > 0.0, room, 1.0))
    return np.asarray(np.where(x <= 1.0, x, np.where(room > 0.0, np.minimum(above, h), 1.0)))
