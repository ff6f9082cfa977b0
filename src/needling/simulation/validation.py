"""Simulated values for the published needling data of :mod:`needling.parameters.mechanics_data`.

:func:`simulated` runs the model for one data point under the conditions its ``why`` states;
:func:`validation_rows` pairs every point with its simulated value, and :func:`markdown_table` prints
the table the README shows (``python -m needling.simulation.validation``).
"""

from __future__ import annotations

from collections.abc import Callable

from needling.anatomy import get_site
from needling.devices import get_device
from needling.models.mechanics import insertion
from needling.models.transport import closure
from needling.parameters import ParameterValues, resolve
from needling.parameters.mechanics_data import POINTS, DataPoint
from needling.parameters.transport_data import CLOSURE_POINTS, TRANSPORT_POINTS, ClosurePoint
from needling.simulation.anaesthesia import anaesthesia_effect
from needling.simulation.delivery import channel_half_life, deliver
from needling.simulation.session import Technique, _mechanics, quick_session

ROLLER_SESSION = Technique(passes=15, directions=3)
PEN_ANCHOR = Technique(passes=20, directions=2, needle_length_mm=2.5, pressure="firm")


def _roller_slope(pv: ParameterValues) -> float:
    d = [
        quick_session("dermaroller-192-1.5", "cheek", Technique(needle_length_mm=length), parameters=pv).depth_mean_um
        for length in (0.5, 2.5)
    ]
    return (d[1] - d[0]) / 2000.0


def _array_depth(pv: ParameterValues) -> float:
    f_ref = pv["reference-force-per-needle"].si
    tip = pv["reference-tip-radius"].si
    delta = insertion.dimple_depth(
        f_ref,
        tip,
        dimple_ref=pv["dimple-depth-reference"].si,
        force_ref=f_ref,
        force_exponent=pv["dimple-force-exponent"].si,
        tip_ref=tip,
        tip_exponent=pv["dimple-tip-exponent"].si,
        factor=1.0,
    )
    return 600.0 - delta * 1e6


def _kalluri(pv: ParameterValues) -> float:
    device = get_device("dermaroller-192-1.5").with_length(0.77)
    m = _mechanics(device, get_site("upper-arm"), Technique(passes=1), pv)
    return pv["channel-relaxation-fraction"].value * m.depth * 1e6


def _pen_depth(length: float) -> Callable[[ParameterValues], float]:
    return lambda pv: (
        quick_session("dermapen-11", "cheek", Technique(needle_length_mm=length), parameters=pv).depth_mean_um
    )


def _bleeds(device: str, length: float | None = None) -> Callable[[ParameterValues], float]:
    def run(pv: ParameterValues) -> float:
        t = Technique(passes=15, directions=3, needle_length_mm=length)
        return float(quick_session(device, "cheek", t, parameters=pv).endpoint == "pinpoint bleeding")

    return run


def _worst_bleeding_at_0_25(pv: ParameterValues) -> float:
    return max(_bleeds("dermaroller-192-1.5", 0.25)(pv), _bleeds("home-roller-540-0.25")(pv))


def _vas(
    device: str, site: str, t: Technique, minutes: float | None, pre: float | None = None
) -> Callable[[ParameterValues], float]:
    def run(pv: ParameterValues) -> float:
        cream = (
            None if minutes is None else anaesthesia_effect("lidocaine-prilocaine", minutes, site, pre_needle_mm=pre)
        )
        return quick_session(device, site, t, anaesthesia=cream, parameters=pv).pain_vas

    return run


def _franz_minoxidil(pv: ParameterValues) -> float:
    r = deliver("minoxidil", "dermaroller-192-0.5", "scalp", hours=24.0, sex="male", parameters=pv)
    return 100.0 * r.intact_cumulative_ug_per_cm2 / float(r.applied_ug_per_cm2 or 1.0)


def _ring_trial_caffeine(pv: ParameterValues) -> float:
    from needling.compounds import get_compound

    # 4 mg/mL caffeine in water (an aqueous film, as a serum dries), 10 uL/cm2, open, 24 h; abdominal skin.
    caffeine = get_compound("caffeine").model_copy(update={"vehicle": "serum"})
    r = deliver(
        caffeine,
        "dermaroller-192-0.5",
        "abdomen",
        hours=24.0,
        dose_mg_cm2=10.0,
        concentration_percent=0.4,
        parameters=pv,
    )
    return 100.0 * r.intact_cumulative_ug_per_cm2 / float(r.applied_ug_per_cm2 or 1.0)


def _filler_share(pv: ParameterValues) -> float:
    from needling.compounds import get_compound
    from needling.models.transport import permeability

    ha = get_compound("hyaluronic-acid-hmw")
    d_ch = pv["channel-fluid-diffusivity-factor"].value * permeability.dermis_diffusivity(
        ha.mw, pv["dermis-d-intercept"].value, pv["dermis-d-exponent"].value
    )
    return 100.0 * permeability.steric_partition(d_ch, pv["channel-matrix-cutoff-diffusivity"].si)


SIMULATIONS: dict[str, Callable[[ParameterValues], float]] = {
    "franz-minoxidil-intact": _franz_minoxidil,
    "fillers-in-channels": _filler_share,
    "ring-trial-caffeine-intact": _ring_trial_caffeine,
    "roller-depth-slope": _roller_slope,
    "array-depth-600": _array_depth,
    "kalluri-channel-770": _kalluri,
    "pen-depth-0.5": _pen_depth(0.5),
    "pen-depth-1.5": _pen_depth(1.5),
    "roller-density-1-pass": lambda pv: (
        quick_session("dermaroller-192-1.5", "cheek", Technique(passes=1), parameters=pv).punctures_per_cm2
    ),
    "roller-density-15-passes": lambda pv: (
        quick_session("dermaroller-192-1.5", "cheek", ROLLER_SESSION, parameters=pv).punctures_per_cm2
    ),
    "bleeding-0.25-roller": _worst_bleeding_at_0_25,
    "bleeding-1.0-roller": _bleeds("dermaroller-192-1.0"),
    "bleeding-1.5-roller": _bleeds("dermaroller-192-1.5"),
    "bleeding-0.2-roller": _bleeds("dermaroller-192-0.2"),
    "pain-pen-2.5-emla": _vas("dermapen-11", "cheek", PEN_ANCHOR, 60.0),
    "pain-roller-1.5-abdomen": _vas("dermaroller-192-1.5", "abdomen", ROLLER_SESSION, None),
    "pain-roller-1.0-cream": _vas("dermaroller-192-1.0", "cheek", ROLLER_SESSION, 45.0),
    "pain-roller-1.0-cream-prenedled": _vas("dermaroller-192-1.0", "cheek", ROLLER_SESSION, 45.0, 0.5),
    "pain-pen-2.5-emla-preneedled": _vas("dermapen-11", "cheek", PEN_ANCHOR, 60.0, 0.5),
}


def simulated(p: DataPoint, parameters: ParameterValues | None = None) -> float:
    """Return the model's value for data point ``p``, in ``p.unit``.

    Parameters
    ----------
    p : DataPoint
        A published data point of :mod:`needling.parameters.mechanics_data` (or a transport point).
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    float
        The simulated value, in the data point's own unit (``p.unit``: um, 1/cm2, %, VAS 0-10, ...).
    """
    return float(SIMULATIONS[p.key](resolve(parameters)))


def validation_rows(parameters: ParameterValues | None = None) -> list[tuple[DataPoint, float, bool]]:
    """Pair every data point with its simulated value and whether it is within tolerance.

    Parameters
    ----------
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    list of tuple of (DataPoint, float, bool)
        Each point, its simulated value in ``p.unit``, and whether ``|simulated - published|`` is at most
        the point's tolerance (in the same unit).
    """
    rows = []
    for p in POINTS + TRANSPORT_POINTS:
        value = simulated(p, parameters)
        rows.append((p, value, abs(value - p.published) <= p.tolerance + 1e-9))
    return rows


def markdown_table(parameters: ParameterValues | None = None) -> str:
    """Return the README's table: published against simulated, with role, source and tolerance.

    Parameters
    ----------
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    str
        A Markdown table, one row per data point, each with its unit; rows marked calibration were fitted,
        rows marked prediction were not.
    """
    lines = [
        "| quantity | published | simulated | unit | role | tolerance | source (grade) | within |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p, value, ok in validation_rows(parameters):
        pub = f"{p.published:g}" + (f" ± {p.sd:g}" if p.sd is not None else "")
        lines.append(
            f"| {p.quantity} | {pub} | {value:.4g} | {p.unit} | {p.role} | ± {p.tolerance:g} | "
            f"{p.source} ({p.grade}) | {'yes' if ok else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def endpoint_fraction(p: ClosurePoint, parameters: ParameterValues | None = None) -> float | None:
    """Return the share of the opening gone at ``p``'s endpoint (None for a published half-life).

    Parameters
    ----------
    p : ClosurePoint
        A published closure or recovery time of :mod:`needling.parameters.transport_data`.
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    float or None
        The fraction (0-1) of the opening closed at the endpoint the study measured (barrier recovery or
        pore closure, named assumptions); None when the study published a half-life.
    """
    pv = resolve(parameters)
    if p.endpoint == "half-life":
        return None
    return pv["barrier-recovered-fraction" if p.endpoint == "barrier" else "pore-closed-fraction"].value


def closure_fit(parameters: ParameterValues | None = None) -> closure.ClosureFit:
    """Refit the closure model to the calibration points (what the closure parameters were set from).

    Parameters
    ----------
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    needling.models.transport.closure.ClosureFit
        The joint log-time fit of the half-lives (h) against needle length, occlusion and species, over
        the points whose role is calibration only.
    """
    pv = resolve(parameters)
    obs = []
    for p in CLOSURE_POINTS:
        if p.role != "calibration":
            continue
        frac = endpoint_fraction(p, pv)
        t = p.hours if frac is None else closure.endpoint_half_life(p.hours, frac)
        obs.append((t, p.needle_length_mm, p.occluded, p.species == "rat"))
    return closure.fit_closure(obs, pv["closure-reference-length"].value)


def simulated_closure(p: ClosurePoint, parameters: ParameterValues | None = None) -> float:
    """Return the model's time for closure point ``p``, h (same endpoint as published).

    Parameters
    ----------
    p : ClosurePoint
        A published closure or recovery time of :mod:`needling.parameters.transport_data`.
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    float
        The simulated time to the point's endpoint, h.
    """
    pv = resolve(parameters)
    half = channel_half_life(p.needle_length_mm, p.occluded, parameters=pv)
    if p.species == "rat":
        half *= pv["closure-rat-factor"].value
    frac = endpoint_fraction(p, pv)
    return half if frac is None else closure.time_to_recover(half, frac)


def closure_rows(parameters: ParameterValues | None = None) -> list[tuple[ClosurePoint, float, bool]]:
    """Pair every closure point with its simulated time (h) and whether it is within tolerance or bound.

    Parameters
    ----------
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    list of tuple of (ClosurePoint, float, bool)
        Each point, its simulated time in h, and whether the time is within the point's ratio tolerance
        (or on the right side of its bound).
    """
    rows = []
    for p in CLOSURE_POINTS:
        value = simulated_closure(p, parameters)
        if p.bound == "at most":
            ok = value <= p.hours
        elif p.bound == "at least":
            ok = value >= p.hours
        else:
            ok = max(value / p.hours, p.hours / value) <= p.tolerance + 1e-9
        rows.append((p, value, ok))
    return rows


def closure_table(parameters: ParameterValues | None = None) -> str:
    """Return the README's closure table: published against simulated times, with role, endpoint and tolerance.

    Parameters
    ----------
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    str
        A Markdown table, one row per closure point, times in h.
    """
    lines = [
        "| quantity | published h | simulated h | endpoint | role | tolerance | source (grade) | within |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p, value, ok in closure_rows(parameters):
        pub = {"equal": "", "at most": "<= ", "at least": ">= "}[p.bound] + f"{p.hours:g}"
        tol = f"x/÷ {p.tolerance:g}" if p.bound == "equal" else "bound"
        lines.append(
            f"| {p.quantity} | {pub} | {value:.3g} | {p.endpoint} | {p.role} | {tol} | "
            f"{p.source} ({p.grade}) | {'yes' if ok else 'no'} |"
        )
    return "\n".join(lines) + "\n"


#: The finite serum doses the README and the documentation report: device, passes, occluded.
SERUM_CASES: tuple[tuple[str, int, bool], ...] = (
    ("home-roller-540-0.25", 1, False),
    ("home-roller-540-0.25", 4, False),
    ("dermaroller-192-1.5", 1, False),
    ("dermaroller-192-1.5", 4, False),
    ("dermaroller-192-1.5", 15, False),
    ("dermapen4-16", 1, False),
    ("dermaroller-192-1.5", 4, True),
)


def serum_fraction_rows(parameters: ParameterValues | None = None) -> list[tuple[str, int, bool, float, float, float]]:
    """Share of a finite 20 % vitamin C serum taken up in 24 h on the cheek, needled and intact.

    The product's default dose (``default-dose-serum``, 2 mg/cm2: 400 ug/cm2 of ascorbic acid), open film
    (``aqueous-film-residence-half-life`` scaled to the dose) or occluded, for each case of ``SERUM_CASES``
    (technique: the passes, one direction).

    Parameters
    ----------
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    list of tuple of (str, int, bool, float, float, float)
        Device, passes, occluded, applied ug/cm2, share absorbed needled and share absorbed intact (0-1).
    """
    rows = []
    for device, passes, occluded in SERUM_CASES:
        r = deliver(
            "l-ascorbic-acid", device, "cheek", Technique(passes=passes), occluded=occluded, parameters=parameters
        )
        applied = float(r.applied_ug_per_cm2 or 0.0)
        rows.append(
            (
                device,
                passes,
                occluded,
                applied,
                float(r.fraction_absorbed or 0.0),
                r.intact_cumulative_ug_per_cm2 / applied,
            )
        )
    return rows


def serum_fraction_table(parameters: ParameterValues | None = None) -> str:
    """Return the README's table of :func:`serum_fraction_rows`.

    Parameters
    ----------
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    str
        A Markdown table: device, passes, film, applied ug/cm2, % absorbed needled and intact in 24 h.
    """
    lines = [
        "| device | passes | film | applied ug/cm2 | absorbed in 24 h, needled | absorbed in 24 h, intact |",
        "|---|---|---|---|---|---|",
    ]
    for device, passes, occluded, applied, needled, intact in serum_fraction_rows(parameters):
        film = "occluded" if occluded else "open"
        shown = f"{100 * needled:.0f}" if needled >= 0.01 else f"{100 * needled:.1f}"
        lines.append(f"| {device} | {passes} | {film} | {applied:.0f} | {shown} % | {100 * intact:.1f} % |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - the README's generator
    print(markdown_table(), end="")
    print()
    print(closure_table(), end="")
    print()
    print(serum_fraction_table(), end="")
