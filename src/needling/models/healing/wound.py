"""Wound healing after needling: a nonlinear cascade from injury to collagen and epidermis, per patient.

The structure follows the ODE models of dermal wound healing (Segal et al. 2012: inflammation,
fibroblasts and collagen; Cumming, McElwain & Upton 2010: TGF-beta-driven fibroblasts laying down
collagen; Dale, Sherratt & Maini 1996: collagen III laid down and replaced by collagen I; the review of
Sherratt & Dallon 2002), reduced to what the needling trials can identify. Time in days; states are
dimensionless (relative to the unwounded dermis)::

    S'  = -S / tau_S                                   growth-factor / inflammatory signal
    R'  = -R / tau_R                                   refractoriness left by recent injuries
    F'  = r S (F + f0)(1 - F) - F / tau_F              fibroblast activation, logistic (capacity 1)
    C3' = kappa F (1 - (C3 + C1) / C_max) - C3 / tau_M collagen III, homeostatic ceiling C_max
    C1' = C3 / tau_M - C1 / tau_T                      collagen I: matured collagen III, slow turnover
    E'  = k_E S (1 - E / E_max) - E / tau_E            epidermal thickening, bounded by E_max

A session k with injury u_k (0-1) and a signal gain g_k (growth factors added, e.g. PRP) sets
``S += g_k u_k (1 - R)`` and ``R += (1 - R)(1 - exp(-u_k / u_R))``: an injury while the skin is still
refractory from the last one adds less. Collagen I keeps rising for months after the last session (collagen III matures
with tau_M) and all states stay bounded: F <= 1, C3 + C1 <= C_max, E <= E_max.

The solver is an exponential scheme on a shared time grid (half-day steps for 6 days after each session,
1-day steps to day 14, weekly steps otherwise): over each step S decays exactly; F follows the exact
solution of its Riccati equation with S at its exact mean over the step; C3 and E follow the exact
solution of their linear equations with their forcing linear or exponential in time over the step
(F, S) and the slow states frozen; C1 is driven by the step's mean C3.
Everything is an array over patients, so a cohort is one call; the result agrees with
``scipy.integrate.solve_ivp`` at tight tolerance to well within 1 % (tests/unit/test_wound.py).

References
----------
Segal RA, Diegelmann RF, Ward KR, Reynolds A. Bull Math Biol 2012;74:2165-82.
Cumming BD, McElwain DLS, Upton Z. J R Soc Interface 2010;7:19-34.
Dale PD, Sherratt JA, Maini PK. Proc R Soc B 1996;263:653-60.
Sherratt JA, Dallon JC. C R Biol 2002;325:557-64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from itertools import pairwise

import numpy as np

from needling.parameters import ParameterValues, resolve
from needling.units import convert

#: Step lengths of the time grid (days): finest while the signal is strong, fine while fibroblasts grow,
#: a week otherwise (every week is a grid point).
FINEST_STEP_DAY, FINEST_WINDOW_DAY = 0.5, 6.0
FINE_STEP_DAY, FINE_WINDOW_DAY = 1.0, 14.0
COARSE_STEP_DAY = 7.0
#: Patients per block: arrays stay small enough to live in the processor's cache.
BLOCK = 16_384


#: A rate or capacity: one number for every patient, or an array with one per patient.
Rate = float | np.ndarray


def astuple_rates(rates: WoundRates) -> tuple[Rate, ...]:
    """The fields of ``rates`` in their order (numbers stay numbers, arrays stay arrays).

    Parameters
    ----------
    rates : WoundRates
        The model's rates.

    Returns
    -------
    tuple
        The rates, in the order of the dataclass's fields.
    """
    return tuple(getattr(rates, f.name) for f in fields(rates))


def _exp(x: Rate) -> Rate:
    """exp of a number (as a number, bit for bit as before) or of an array."""
    return math.exp(x) if isinstance(x, float) else np.exp(x)


@dataclass(frozen=True)
class WoundRates:
    """The rates and capacities of the healing model (days, dimensionless).

    Attributes
    ----------
    tau_s, tau_r, tau_f, tau_m, tau_t, tau_e : float
        Time constants (days) of the signal, the refractoriness, fibroblast quiescence, collagen III
        maturation, collagen I turnover and epidermal return.
    r : float
        Fibroblast proliferation per unit signal, 1/day.
    f0 : float
        Resident fibroblast seed of the logistic growth (fraction of capacity).
    c_max, e_max : float
        Largest extra collagen and epidermal thickness, relative to the unwounded skin.
    u_r : float
        Injury that leaves the skin 1 - 1/e refractory.

    Each may also be an array over patients (n,), e.g. to run several parameter draws in one call.
    """

    tau_s: Rate
    tau_r: Rate
    r: Rate
    f0: Rate
    tau_f: Rate
    tau_m: Rate
    tau_t: Rate
    c_max: Rate
    tau_e: Rate
    e_max: Rate
    u_r: Rate

    def block(self, sl: slice) -> WoundRates:
        """Return the rates of the patients in ``sl``: per-patient arrays sliced (single precision), numbers kept.

        Parameters
        ----------
        sl : slice
            The patients of the block.

        Returns
        -------
        WoundRates
            The same rates for those patients.
        """
        return WoundRates(
            *(v if isinstance(v, float) else np.asarray(v)[sl].astype(np.float32) for v in astuple_rates(self))
        )


def _days(pv: ParameterValues, name: str) -> float:
    p = pv[name]
    return convert(p.value, p.unit, "day")


def wound_rates(parameters: ParameterValues | None = None) -> WoundRates:
    """The model's rates read from ``parameters``.

    Parameters
    ----------
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    WoundRates
        Time constants in days, rates in 1/day, capacities relative to unwounded skin.
    """
    pv = resolve(parameters)
    return WoundRates(
        tau_s=_days(pv, "inflammation-time-constant"),
        tau_r=_days(pv, "refractory-time-constant"),
        r=1.0 / _days(pv, "fibroblast-proliferation-time"),
        f0=pv.value("fibroblast-seed"),
        tau_f=_days(pv, "fibroblast-time-constant"),
        tau_m=_days(pv, "remodelling-time-constant"),
        tau_t=_days(pv, "collagen-i-turnover-time"),
        c_max=pv.value("collagen-ceiling"),
        tau_e=_days(pv, "epidermal-response-time-constant"),
        e_max=pv.value("epidermis-ceiling"),
        u_r=pv.value("refractory-injury-scale"),
    )


@dataclass(frozen=True)
class Sessions:
    """What each session does to each patient.

    Attributes
    ----------
    days : ndarray (K,)
        Day of each session (increasing).
    injury : ndarray (n, K)
        Injury of each session, 0-1 (share of the dermis wounded, :func:`needling.models.healing.injury`).
    signal_gain : ndarray (K,) or (n, K)
        Multiplier of the signal a session's injury releases (1; more with platelet growth factors).
    synthesis_gain : ndarray (K,) or (n, K)
        Multiplier of collagen synthesis from this session until the next (1; more with vitamin C).
    """

    days: np.ndarray
    injury: np.ndarray
    signal_gain: np.ndarray
    synthesis_gain: np.ndarray


@dataclass(frozen=True)
class WoundStates:
    """States at the output days, arrays (n, W).

    Attributes
    ----------
    signal, fibroblasts, collagen_iii, collagen_i, epidermis : ndarray (n, W)
        S, F, C3, C1 and E of the model (dimensionless, relative to unwounded skin).
    signal_jumps : ndarray (n, K)
        The jump of S at each session (after the refractoriness), for models driven by the signal.
    """

    signal: np.ndarray
    fibroblasts: np.ndarray
    collagen_iii: np.ndarray
    collagen_i: np.ndarray
    epidermis: np.ndarray
    signal_jumps: np.ndarray


def time_grid(session_days: np.ndarray, output_days: np.ndarray) -> np.ndarray:
    """The shared time grid: sessions, outputs, fine steps after each session, coarse elsewhere.

    Parameters
    ----------
    session_days, output_days : ndarray
        Days of the sessions and of the outputs.

    Returns
    -------
    ndarray
        Increasing days from the first session (or output) to the last output.

    Examples
    --------
    >>> import numpy as np
    >>> g = time_grid(np.array([0.0]), np.array([0.0, 28.0]))
    >>> float(g[0]), float(g[-1]), float(np.diff(g[:12]).max()), float(np.diff(g).max())
    (0.0, 28.0, 0.5, 7.0)
    """
    s = np.asarray(session_days, float)
    o = np.asarray(output_days, float)
    end = float(o.max())
    start = float(min(s.min(initial=end), o.min()))
    weekly = np.arange(start, end, 7.0)  # every week is a grid point, whatever days are asked for
    pts = [s, o, weekly]
    pts += [np.arange(d, min(d + FINEST_WINDOW_DAY, end), FINEST_STEP_DAY) for d in s]
    pts += [np.arange(d, min(d + FINE_WINDOW_DAY, end), FINE_STEP_DAY) for d in s]
    g = np.unique(np.concatenate(pts))
    g = g[(g >= start) & (g <= end)]
    out = [g[:1]]
    for a, b in pairwise(g):
        k = max(1, int(np.ceil((b - a) / COARSE_STEP_DAY - 1e-9)))
        out.append(np.linspace(a, b, k + 1)[1:])
    return np.concatenate(out)


def _relax(x: np.ndarray, a: np.ndarray, b: np.ndarray, h: float) -> np.ndarray:
    """Exact step of ``x' = a - b x`` over ``h`` with b > 0 (b h is at least h / tau_M, so 1 - e keeps its digits)."""
    e = np.exp(-b * h)
    out: np.ndarray = x * e + a * (1.0 - e) / b
    return out


def _relax_linear(x: np.ndarray, a0: np.ndarray, a1: np.ndarray, b: np.ndarray, h: float) -> np.ndarray:
    """Exact step of ``x' = a(t) - b x`` over ``h`` with ``a`` linear from ``a0`` to ``a1`` and b > 0."""
    e = np.exp(-b * h)
    phi1 = (1.0 - e) / b
    phi2 = (h - phi1) / b
    out: np.ndarray = x * e + a0 * phi1 + (a1 - a0) * (phi2 / h)
    return out


def _relax_exponential(x: np.ndarray, a: np.ndarray, c: float | np.ndarray, b: np.ndarray, h: float) -> np.ndarray:
    """Exact step of ``x' = a exp(-c t) - b x`` over ``h`` (b > 0), stable when b is close to c."""
    z = (b - c) * h
    small = np.abs(z) < 1e-4
    phi = np.where(small, 1.0 + 0.5 * z, np.expm1(np.where(small, 1.0, z)) / np.where(small, 1.0, z))
    e = np.exp(-b * h)
    out: np.ndarray = x * e + a * (e * h * phi)
    return out


def _riccati(f: np.ndarray, rs: np.ndarray, f0: Rate, kf: Rate, h: float) -> np.ndarray:
    """Exact step of ``F' = rs (F + f0)(1 - F) - kf F`` over ``h`` (rs >= 0 frozen).

    Written ``F' = -a2 (F - p)(F - q)`` with the non-negative root ``p = 2 a0 / (d - a1)``, which keeps its
    digits for weak signals (a1 < 0) and strong ones (a1 > 0: d - a1 ~ 2 a2 f0), and ``d = a2 (p - q) > 0``.
    """
    a1 = rs * (1.0 - f0) - kf
    a0 = rs * f0
    d = np.sqrt(a1 * a1 + 4.0 * rs * a0)
    p = 2.0 * a0 / (d - a1)
    e = np.exp(-d * h)
    g = f - p
    out: np.ndarray = np.clip(p + g * e / (1.0 + g * (1.0 - e) * rs / d), 0.0, 1.0)
    return out


def solve(
    sessions: Sessions,
    output_days: np.ndarray,
    rates: WoundRates,
    synthesis: np.ndarray,
    epidermal_gain: np.ndarray,
) -> WoundStates:
    """Run the model for every patient at once; the states at ``output_days``.

    Parameters
    ----------
    sessions : Sessions
        Days, injuries (n, K) and gains of the sessions.
    output_days : ndarray (W,)
        Days at which the states are wanted (increasing).
    rates : WoundRates
        The model's rates (:func:`wound_rates`).
    synthesis : ndarray (n,)
        Collagen synthesis rate kappa of each patient, per day (patient's healing rate included).
    epidermal_gain : ndarray (n,)
        Epidermal growth rate k_E of each patient, per day per unit signal.

    Returns
    -------
    WoundStates
        S, F, C3, C1, E at the output days, arrays (n, W).

    Examples
    --------
    One session: collagen I is still rising 8 weeks later and the fibroblasts have settled.

    >>> import numpy as np
    >>> from needling.models.healing.wound import Sessions, solve, wound_rates
    >>> s = Sessions(np.array([0.0]), np.array([[0.5]]), np.ones(1), np.ones(1))
    >>> w = solve(s, np.array([28.0, 56.0]), wound_rates(), np.array([0.05]), np.array([0.01]))
    >>> bool(w.collagen_i[0, 1] > w.collagen_i[0, 0] > 0), bool(w.fibroblasts[0, 1] < w.fibroblasts[0, 0])
    (True, True)
    """
    out_days = np.asarray(output_days, float)
    n = sessions.injury.shape[0]
    grid = time_grid(sessions.days, out_days)
    w_index = np.searchsorted(grid, out_days)
    shape = (out_days.size, n)  # a row per output day (contiguous writes), returned transposed
    res = WoundStates(
        np.zeros(shape),
        np.zeros(shape),
        np.zeros(shape),
        np.zeros(shape),
        np.zeros(shape),
        np.zeros(sessions.injury.shape),
    )
    session_at = {float(d): k for k, d in enumerate(sessions.days)}
    for lo in range(0, n, BLOCK):
        sl = slice(lo, min(n, lo + BLOCK))
        _solve_block(sessions, sl, grid, w_index, rates.block(sl), synthesis[sl], epidermal_gain[sl], session_at, res)
    return WoundStates(
        res.signal.T, res.fibroblasts.T, res.collagen_iii.T, res.collagen_i.T, res.epidermis.T, res.signal_jumps
    )


def _solve_block(
    sessions: Sessions,
    sl: slice,
    grid: np.ndarray,
    w_index: np.ndarray,
    rates: WoundRates,
    kappa: np.ndarray,
    k_e: np.ndarray,
    session_at: dict[float, int],
    res: WoundStates,
) -> None:
    m = kappa.size
    dt = np.float32  # single precision: twice the numbers per vector instruction; errors stay near 1e-6
    s, r, f, c3, c1, e = (np.zeros(m, dt) for _ in range(6))
    kappa, k_e = kappa.astype(dt), k_e.astype(dt)
    gain = kappa.copy()
    u_all = sessions.injury[sl].astype(dt)
    signal_gain = sessions.signal_gain[sl] if sessions.signal_gain.ndim == 2 else sessions.signal_gain
    synthesis_gain = sessions.synthesis_gain[sl] if sessions.synthesis_gain.ndim == 2 else sessions.synthesis_gain
    want: dict[int, list[int]] = {}
    for w, gi in enumerate(w_index):
        want.setdefault(int(gi), []).append(w)
    kf, km, kt, ke_dec = 1.0 / rates.tau_f, 1.0 / rates.tau_m, 1.0 / rates.tau_t, 1.0 / rates.tau_e
    for i, t in enumerate(grid):
        k = session_at.get(float(t))
        if k is not None:
            u = u_all[:, k]
            jump = signal_gain[..., k] * u * (1.0 - r)
            res.signal_jumps[sl, k] = jump
            s = s + jump
            r = r + (1.0 - r) * -np.expm1(-u / rates.u_r)
            gain = kappa * synthesis_gain[..., k]
        for w in want.get(i, ()):
            res.signal[w, sl] = s
            res.fibroblasts[w, sl] = f
            res.collagen_iii[w, sl] = c3
            res.collagen_i[w, sl] = c1
            res.epidermis[w, sl] = e
        if i + 1 == grid.size:
            break
        h = float(grid[i + 1] - t)
        decay_s = _exp(-h / rates.tau_s)
        s_new = s * decay_s
        s_mean = s * (rates.tau_s * (1.0 - decay_s) / h)  # exact mean of S over the step
        f_new = _riccati(f, rates.r * s_mean, rates.f0, kf, h)
        # C3' = g F(t) (1 - C1/Cmax) - (g F / Cmax + km) C3, C1 and the uptake frozen over the step; F(t) is
        # linear over fine steps (growth) and geometric over coarse ones (where it decays nearly exponentially)
        room = np.clip(1.0 - c1 / rates.c_max, 0.0, None)
        b3 = gain * (0.5 * (f + f_new)) / rates.c_max + km
        if h <= FINE_STEP_DAY:
            c3_new = _relax_linear(c3, gain * f * room, gain * f_new * room, b3, h)
        else:
            rate = np.log((f + 1e-30) / (f_new + 1e-30)) / h
            c3_new = _relax_exponential(c3, gain * f * room, rate, b3, h)
        et = _exp(-kt * h)
        c1 = c1 * et + (km * 0.5 * (c3 + c3_new)) * ((1.0 - et) / kt)
        # C3 filled the room left by C1 at the start of the step while C1 grew over it: keep C3 + C1 <= C_max,
        # as the exact solution does (it matters only near the ceiling, with fast synthesis)
        c3 = np.minimum(c3_new, np.clip(rates.c_max - c1, 0.0, None))
        e = _relax_exponential(e, k_e * s, 1.0 / rates.tau_s, k_e * s_mean / rates.e_max + ke_dec, h)
        f = f_new
        s = s_new
        r = r * _exp(-h / rates.tau_r)


def rhs(x: np.ndarray, rates: WoundRates, kappa: float, k_e: float) -> np.ndarray:
    """Right-hand side of the model for one patient between sessions (for checking with an integrator).

    Parameters
    ----------
    x : ndarray (6,)
        S, R, F, C3, C1, E.
    rates : WoundRates
        The model's rates.
    kappa, k_e : float
        The patient's collagen synthesis rate and epidermal gain (per day).

    Returns
    -------
    ndarray (6,)
        dx/dt, per day.
    """
    s, r, f, c3, c1, e = x
    return np.array(
        [
            -s / rates.tau_s,
            -r / rates.tau_r,
            rates.r * s * (f + rates.f0) * (1.0 - f) - f / rates.tau_f,
            kappa * f * (1.0 - (c3 + c1) / rates.c_max) - c3 / rates.tau_m,
            c3 / rates.tau_m - c1 / rates.tau_t,
            k_e * s * (1.0 - e / rates.e_max) - e / rates.tau_e,
        ]
    )
