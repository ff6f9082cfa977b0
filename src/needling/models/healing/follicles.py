"""Hair follicle cycling under needling and minoxidil: gains that persist after needling, lost after minoxidil.

Two shares of a bald-prone area's follicle capacity are held in anagen beyond baseline::

    N' = beta S (1 - N - M) - N / tau_N          moved by needling's growth-factor signal S (persists)
    M' = (mu m(t) (1 - N - M) - M) / tau_M       held by minoxidil while it is used (m = strength / 5 %)

Both stay in [0, 1] with N + M <= 1; the hair count change is the capacity times N + M. The signal S is
the healing model's (:mod:`needling.models.healing.wound`): jumps at the sessions, decaying with tau_S,
integrated exactly over each step; N and M follow the exact solution of their linear equations with the
other frozen. (Anagen entry driven by wound signals: Wnt and growth factors released by injury.)
"""

from __future__ import annotations

import numpy as np

from needling.models.healing.wound import time_grid


def anagen_shares(
    session_days: np.ndarray,
    signal_jumps: np.ndarray,
    output_days: np.ndarray,
    tau_s: float | np.ndarray,
    beta: float | np.ndarray,
    tau_n: float | np.ndarray,
    mu: float | np.ndarray,
    tau_m: float | np.ndarray,
    minoxidil: float = 0.0,
    minoxidil_start_day: float = 0.0,
) -> np.ndarray:
    """Share of the follicle capacity in anagen beyond baseline (N + M) at the output days.

    Parameters
    ----------
    session_days : ndarray (K,)
        Days of the sessions.
    signal_jumps : ndarray (n, K)
        Jump of the healing signal at each session, per patient.
    output_days : ndarray (W,)
        Days at which the shares are wanted.
    tau_s : float or ndarray (n,)
        Time constant of the signal, days.
    beta : float or ndarray (n,)
        Needling's anagen drive, per day per unit signal.
    tau_n : float or ndarray (n,)
        Persistence of needling's gain, days.
    mu : float or ndarray (n,)
        Minoxidil's steady share at 5 %, 0-1.
    tau_m : float or ndarray (n,)
        Time constant of minoxidil's effect, days.
    minoxidil : float
        Minoxidil strength relative to 5 % (0 = none).
    minoxidil_start_day : float
        Day minoxidil starts (used to the end).

    Returns
    -------
    ndarray (n, W)
        N + M, 0-1.

    Examples
    --------
    Weekly needling for 12 weeks: the gain at week 24 is still most of the gain at week 12.

    >>> import numpy as np
    >>> days = np.arange(12) * 7.0
    >>> x = anagen_shares(days, np.full((1, 12), 0.3), np.array([84.0, 168.0]), 3.0, 0.5, 1095.0, 0.0, 28.0)
    >>> bool(x[0, 1] > 0.8 * x[0, 0] > 0)
    True
    """
    sd = np.asarray(session_days, float)
    out = np.asarray(output_days, float)
    jumps = np.asarray(signal_jumps, float)
    n = jumps.shape[0]
    grid = time_grid(sd if sd.size else out[:1], out)
    want = np.searchsorted(grid, out)
    res = np.zeros((n, out.size))
    s = np.zeros(n)
    nn = np.zeros(n)
    mm = np.zeros(n)
    at = {float(d): k for k, d in enumerate(sd)}
    by_index: dict[int, list[int]] = {}
    for w, gi in enumerate(want):
        by_index.setdefault(int(gi), []).append(w)
    for i, t in enumerate(grid):
        k = at.get(float(t))
        if k is not None:
            s = s + jumps[:, k]
        for w in by_index.get(i, ()):
            res[:, w] = nn + mm
        if i + 1 == grid.size:
            break
        h = float(grid[i + 1] - t)
        s_mean = s * tau_s * (-np.expm1(-h / tau_s)) / h
        a = beta * s_mean
        free = np.clip(1.0 - mm, 0.0, None)
        b = a + 1.0 / tau_n
        nn = nn * np.exp(-b * h) + a * free * (-np.expm1(-b * h)) / b
        m_on = minoxidil * mu if t + 0.5 * h >= minoxidil_start_day else 0.0
        free = np.clip(1.0 - nn, 0.0, None)
        bm = (m_on + 1.0) / tau_m
        mm = mm * np.exp(-bm * h) + (m_on / tau_m) * free * (-np.expm1(-bm * h)) / bm
        s = s * np.exp(-h / tau_s)
    return np.clip(res, 0.0, 1.0)
