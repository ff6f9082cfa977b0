"""The healing cascade as a linear system, solved exactly through its eigen-decomposition.

States (per unit injury, time in days)::

    G'  = -kG G                      growth factors and inflammation (impulse at each session)
    F'  =  kF (G - F)                fibroblast activity
    C3' =  kF F - k34 C3             collagen III laid down
    C1' =  k34 C3 - k1 C1            collagen I from remodelling (the lag: it keeps rising after the last session)
    E'  =  kE (G - E)                epidermal thickening
    H'  =  kH (G - H)                hair response to the injury signal

All rates are distinct, so ``expm(A t) = V diag(exp(lambda t)) V^-1`` exactly. Because the system is
linear, a patient's states are the sum of unit impulse responses scaled by that patient's injury at
each session: ``x_i(t) = sum_k a_ik Phi(t - t_k)``. A cohort is one matrix product per output.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from needling.evidence import Assumption, Cited
from needling.parameters import ParameterValues, resolve
from needling.units import convert

STATES = ("G", "F", "C3", "C1", "E", "H")


@dataclass(frozen=True)
class Cascade:
    """The system matrix and its eigen-decomposition."""

    A: np.ndarray
    lam: np.ndarray
    V: np.ndarray
    Vinv: np.ndarray

    def impulse_response(self, dt_days: np.ndarray) -> np.ndarray:
        """States at ``dt_days`` after a unit impulse of G (zero before it): shape ``dt.shape + (6,)``."""
        dt = np.asarray(dt_days, dtype=float)
        b = self.Vinv[:, 0]  # V^-1 e_G
        e = np.exp(np.clip(dt, 0.0, None)[..., None] * self.lam[None, :] if dt.ndim else dt * self.lam)
        x = (e * b) @ self.V.T
        return np.where((dt >= 0)[..., None], x, 0.0) if dt.ndim else (x if dt >= 0 else np.zeros(6))

    def rhs(self, x: np.ndarray) -> np.ndarray:
        """dx/dt = A x (for checking against a numerical integrator)."""
        out: np.ndarray = self.A @ x
        return out


#: The time constants the cascade reads (days), in the order of the states they drive.
TIME_CONSTANTS = (
    "inflammation-time-constant",
    "fibroblast-time-constant",
    "remodelling-time-constant",
    "collagen-i-turnover-time",
    "epidermal-response-time-constant",
    "hair-response-time-constant",
)


def cascade(parameters: ParameterValues | None = None) -> Cascade:
    """The cascade with the named time constants (cached on their values).

    Parameters
    ----------
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    Cascade
        The system matrix (1/day) and its eigen-decomposition.
    """
    pv = resolve(parameters)
    return _cascade(tuple(to_days(pv[name]) for name in TIME_CONSTANTS))


def to_days(p: Cited | Assumption) -> float:
    """A time constant in days.

    Parameters
    ----------
    p : Cited or Assumption
        A time in any time unit of :mod:`needling.units`.

    Returns
    -------
    float
        The time, days.
    """
    return convert(p.value, p.unit, "day")


@cache
def _cascade(times_day: tuple[float, ...]) -> Cascade:
    kG, kF, k34, k1, kE, kH = (1.0 / t for t in times_day)
    A = np.zeros((6, 6))
    A[0, 0] = -kG
    A[1, 0], A[1, 1] = kF, -kF
    A[2, 1], A[2, 2] = kF, -k34
    A[3, 2], A[3, 3] = k34, -k1
    A[4, 0], A[4, 4] = kE, -kE
    A[5, 0], A[5, 5] = kH, -kH
    lam, V = np.linalg.eig(A)
    lam, V = lam.real, V.real
    return Cascade(A, lam, V, np.linalg.inv(V))


def responses(
    session_days: np.ndarray, output_days: np.ndarray, parameters: ParameterValues | None = None
) -> np.ndarray:
    """Unit impulse responses: ``Phi[k, w, s]`` = state s at output day w after a unit impulse on session day k.

    Parameters
    ----------
    session_days : ndarray (K,)
        Days of the sessions (impulses of the growth-factor state G).
    output_days : ndarray (W,)
        Days at which the states are wanted.
    parameters : ParameterValues, optional
        The cascade's time constants (default set when None).

    Returns
    -------
    ndarray (K, W, 6)
        States G, F, C3, C1, E, H (:data:`STATES`) per session and output day; zero before the session.

    Examples
    --------
    One impulse on day 0: the growth factors start at 1 and have decayed a week later.

    >>> import numpy as np
    >>> phi = responses(np.array([0.0]), np.array([0.0, 7.0]))
    >>> phi.shape, float(phi[0, 0, 0]), bool(phi[0, 1, 0] < 0.2)
    ((1, 2, 6), 1.0, True)
    """
    c = cascade(parameters)
    dt = np.asarray(output_days, float)[None, :] - np.asarray(session_days, float)[:, None]
    return c.impulse_response(dt)


def minoxidil_response(
    output_days: np.ndarray, start_day: float = 0.0, parameters: ParameterValues | None = None
) -> np.ndarray:
    """Hair response to a unit, continuous minoxidil input from ``start_day``: ``1 - exp(-kH t)``.

    Parameters
    ----------
    output_days : ndarray
        Days at which the response is wanted.
    start_day : float
        Day minoxidil starts.
    parameters : ParameterValues, optional
        Supplies the hair response time constant ``1 / kH`` (default set when None).

    Returns
    -------
    ndarray
        Response, 0-1, shaped like ``output_days`` (0 before ``start_day``).
    """
    kH = 1.0 / to_days(resolve(parameters)["hair-response-time-constant"])
    t = np.clip(np.asarray(output_days, float) - start_day, 0.0, None)
    return 1.0 - np.exp(-kH * t)
