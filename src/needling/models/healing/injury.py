"""The injury of a needling session: the share of the dermis it wounds, from the channels' density and depth.

Each distinct channel wounds a zone of radius ``r_w`` around it; with ``n`` channels per area placed at
random the share of the area opened is ``A = 1 - exp(-n pi r_w^2)``, so the injury saturates with the
area opened rather than with the number of channels. The wounded volume grows with the depth reached
below the epidermis, ``d``, with diminishing returns: ``u = A (1 - exp(-d / d_ref))``, 0-1.
"""

from __future__ import annotations

import numpy as np

from needling.parameters import ParameterValues, resolve


def area_opened(density_per_m2: float | np.ndarray, parameters: ParameterValues | None = None) -> np.ndarray:
    """Share of the skin's area inside a channel's wounded zone.

    Parameters
    ----------
    density_per_m2 : float or ndarray
        Distinct channels per area, 1/m2.
    parameters : ParameterValues, optional
        Supplies ``wound-zone-radius`` (default set when None).

    Returns
    -------
    ndarray
        Share of the area, 0-1.

    Examples
    --------
    >>> round(float(area_opened(0.0)), 3), bool(area_opened(1e9) > 0.99)
    (0.0, True)
    """
    r = resolve(parameters).si("wound-zone-radius")
    return np.asarray(-np.expm1(-np.asarray(density_per_m2, float) * np.pi * r * r))


def session_injury(
    density_per_m2: float,
    depth_m: float,
    epidermis_m: np.ndarray,
    parameters: ParameterValues | None = None,
) -> np.ndarray:
    """Injury of one needling session for patients whose dermis starts at ``epidermis_m``.

    Parameters
    ----------
    density_per_m2 : float
        Distinct channels per area, 1/m2 (from the mechanics).
    depth_m : float
        Mean depth the channels reach, m.
    epidermis_m : ndarray (n,)
        Depth of each patient's dermo-epidermal junction, m.
    parameters : ParameterValues, optional
        Supplies ``wound-zone-radius`` and ``injury-depth-reference`` (default set when None).

    Returns
    -------
    ndarray (n,)
        Injury, 0-1: zero when the needles stop in the epidermis.

    Examples
    --------
    Deeper wounds more, with diminishing returns; nothing when the dermis is not reached.

    >>> import numpy as np
    >>> epi = np.array([60e-6])
    >>> u = [float(session_injury(1e7, d, epi)[0]) for d in (50e-6, 0.5e-3, 1.5e-3, 2.5e-3)]
    >>> u[0] == 0.0 and u[1] < u[2] < u[3] and (u[3] - u[2]) < (u[2] - u[1])
    True
    """
    pv = resolve(parameters)
    return injury_from(
        density_per_m2, depth_m, epidermis_m, pv.si("wound-zone-radius"), pv.si("injury-depth-reference")
    )


def injury_from(
    density_per_m2: float,
    depth_m: float,
    epidermis_m: np.ndarray,
    radius_m: float | np.ndarray,
    depth_reference_m: float | np.ndarray,
) -> np.ndarray:
    """:func:`session_injury` with the wound-zone radius and the depth reference given (numbers or per patient).

    Parameters
    ----------
    density_per_m2 : float
        Distinct channels per area, 1/m2.
    depth_m : float
        Mean depth the channels reach, m.
    epidermis_m : ndarray (n,)
        Depth of each patient's dermo-epidermal junction, m.
    radius_m, depth_reference_m : float or ndarray (n,)
        Radius of the wounded zone around a channel and the depth over which the wounded volume saturates, m.

    Returns
    -------
    ndarray (n,)
        Injury, 0-1.
    """
    d = np.clip(depth_m - np.asarray(epidermis_m, float), 0.0, None)
    area = -np.expm1(-np.asarray(density_per_m2, float) * np.pi * radius_m * radius_m)
    return np.asarray(area * -np.expm1(-d / depth_reference_m))
