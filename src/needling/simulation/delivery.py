"""Topical delivery through the channels of a session as they close, against intact skin.

:func:`deliver` couples the mechanics (channel density, the channel left open after withdrawal and
its opening, from :func:`quick_session`) with the axisymmetric cell model (``model="full"``) or the
reduced model (``model="reduced"``), and runs the same compound on intact skin (Potts-Guy) for the
enhancement ratio.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from needling.anatomy import Site, get_site
from needling.compounds import Compound, get_compound
from needling.devices import Device, get_device
from needling.errors import InputError, check_range
from needling.evidence import SourceSet
from needling.figures import draw
from needling.models.transport import closure, permeability
from needling.models.transport.cell import CellModel, CellResult, Layer, build_mesh, time_grid
from needling.models.transport.reduced import reduced_cell
from needling.parameters import ParameterValues, resolve
from needling.simulation.session import Technique, quick_session
from needling.units import from_si, hours_to_s, m_to_um, per_m2_to_per_cm2, s_to_hours, to_si, um_to_m

MODELS = ("full", "reduced")


def r6(values: Iterable[float]) -> list[float]:
    """Round values to 6 significant digits, for JSON.

    Parameters
    ----------
    values : iterable of float
        The numbers, in any unit (the unit is kept).

    Returns
    -------
    list of float
        The same numbers rounded to 6 significant digits.

    Examples
    --------
    >>> r6([1.23456789, 1e-9 / 3])
    [1.23457, 3.33333e-10]
    """
    return [float(f"{x:.6g}") for x in values]


@dataclass
class DeliveryResult:
    """Uptake of a topical through a needled site and through intact skin: SI inside, unit-named accessors.

    Attributes hold SI (s, m, kg/m2, kg/(m2 s), kg/m3, 1/m2); the accessors with a unit in their name
    (``flux_ug_per_cm2_h``, ``channel_half_life_h``, ``z_um``) convert with :mod:`needling.units`, and
    :meth:`to_json` gives the stable ``needling deliver --json`` document in those units.

    Attributes
    ----------
    compound, device, site : str
        Names of the compound, the device and the skin site.
    hours : float
        Duration of the application, h.
    occluded : bool
        Whether the site was occluded (occlusion slows channel closure).
    dose : {"finite", "infinite"}
        The dose regime.
    ph : float
        Formulation pH.
    model : {"full", "reduced"}
        The transport model used.
    channels_per_m2 : float
        Channels of the session per area, 1/m2.
    channel_depth, channel_diameter : float
        Depth and surface opening of the channel left after withdrawal, m.
    channel_half_life : float
        Half-life of the channel opening, s.
    time_to_recover : float
        Time until the barrier has recovered (the named recovered fraction of the opening closed), s.
    t : numpy.ndarray
        Middle of each time step, s.
    flux, intact_flux : numpy.ndarray
        Flux into the skin per area, needled and intact, kg/(m2 s).
    cumulative_curve, intact_cumulative_curve : numpy.ndarray
        Cumulative uptake per area at the end of each step, needled and intact, kg/m2.
    z : numpy.ndarray
        Depth of each row of the profile, m.
    profile, intact_profile : numpy.ndarray
        Concentration at the end against depth, needled and intact (on the same depths), kg/m3.
    mass_balance_error : float
        Largest mismatch of the mass balance (entered against stored, cleared and sunk) relative to the
        amount entered, dimensionless.
    sources : list of str
        Evidence keys of every value used.
    applied_ug_per_cm2 : float or None
        Active applied per area, ug/cm2 (None for an infinite dose).
    concentration_percent : float
        Strength of the active in the product, %.
    statement_limit_ug_per_cm2 : float
        Intact-skin uptake below which no enhancement ratio is stated, ug/cm2.
    film_half_life : float or None
        Half-life of the open product film on the skin surface (it dries or is rubbed off), s; None when
        the film stays (occluded, or an infinite dose).
    """

    compound: str
    device: str
    site: str
    hours: float
    occluded: bool
    dose: str
    ph: float
    model: str
    channels_per_m2: float
    channel_depth: float  # m
    channel_diameter: float  # m
    channel_half_life: float  # s
    time_to_recover: float  # s
    t: np.ndarray  # s, middle of each time step
    flux: np.ndarray  # kg/(m2 s), needled
    intact_flux: np.ndarray  # kg/(m2 s)
    cumulative_curve: np.ndarray  # kg/m2 at the end of each step, needled
    intact_cumulative_curve: np.ndarray  # kg/m2
    z: np.ndarray  # m, depth of each row of the profile
    profile: np.ndarray  # kg/m3, needled, at the end
    intact_profile: np.ndarray  # kg/m3, on the same depths
    mass_balance_error: float
    sources: list[str] = field(default_factory=list)
    applied_ug_per_cm2: float | None = None
    concentration_percent: float = 0.0
    statement_limit_ug_per_cm2: float = 0.0
    film_half_life: float | None = None  # s

    # --- unit-named accessors ---------------------------------------------------------------------------
    @property
    def film_half_life_h(self) -> float | None:
        """Half-life of the open product film on the skin, h (None when it stays: occluded or infinite)."""
        return None if self.film_half_life is None else s_to_hours(self.film_half_life)

    @property
    def channels_per_cm2(self) -> float:
        """Channels per cm2 of the session."""
        return per_m2_to_per_cm2(self.channels_per_m2)

    @property
    def channel_depth_um(self) -> float:
        """Depth of the channel left open, um."""
        return m_to_um(self.channel_depth)

    @property
    def channel_diameter_um(self) -> float:
        """Surface opening of a channel, um."""
        return m_to_um(self.channel_diameter)

    @property
    def channel_half_life_h(self) -> float:
        """Closure half-life of the channels, h."""
        return s_to_hours(self.channel_half_life)

    @property
    def time_to_recover_h(self) -> float:
        """Time until the channels are 90 % closed, h."""
        return s_to_hours(self.time_to_recover)

    @property
    def t_h(self) -> np.ndarray:
        """Middle of each time step, h."""
        return s_to_hours(self.t)

    @property
    def flux_ug_per_cm2_h(self) -> np.ndarray:
        """Flux into the body through the needled site, ug/(cm2 h)."""
        out: np.ndarray = from_si(self.flux, "ug/cm2/h")
        return out

    @property
    def intact_flux_ug_per_cm2_h(self) -> np.ndarray:
        """Flux through intact skin, ug/(cm2 h)."""
        out: np.ndarray = from_si(self.intact_flux, "ug/cm2/h")
        return out

    @property
    def cumulative_curve_ug_per_cm2(self) -> np.ndarray:
        """Cumulative uptake through the needled site over time, ug/cm2."""
        out: np.ndarray = from_si(self.cumulative_curve, "ug/cm2")
        return out

    @property
    def intact_cumulative_curve_ug_per_cm2(self) -> np.ndarray:
        """Cumulative uptake through intact skin over time, ug/cm2."""
        out: np.ndarray = from_si(self.intact_cumulative_curve, "ug/cm2")
        return out

    @property
    def cumulative_ug_per_cm2(self) -> float:
        """Cumulative uptake through the needled site at the end, ug/cm2."""
        return float(self.cumulative_curve_ug_per_cm2[-1])

    @property
    def intact_cumulative_ug_per_cm2(self) -> float:
        """Cumulative uptake through intact skin at the end, ug/cm2."""
        return float(self.intact_cumulative_curve_ug_per_cm2[-1])

    @property
    def z_um(self) -> np.ndarray:
        """Depth of each row of the profile, um."""
        return m_to_um(self.z)

    @property
    def profile_ug_per_ml(self) -> np.ndarray:
        """Concentration profile under the needled site at the end, ug/mL."""
        out: np.ndarray = from_si(self.profile, "ug/mL")
        return out

    @property
    def intact_profile_ug_per_ml(self) -> np.ndarray:
        """Concentration profile under intact skin at the end, ug/mL."""
        out: np.ndarray = from_si(self.intact_profile, "ug/mL")
        return out

    @property
    def fraction_absorbed(self) -> float | None:
        """Share of the applied active taken up by the end (None for an infinite dose)."""
        if self.applied_ug_per_cm2 is None or self.applied_ug_per_cm2 <= 0:
            return None
        return self.cumulative_ug_per_cm2 / self.applied_ug_per_cm2

    @property
    def enhancement_ratio(self) -> float | None:
        """Cumulative uptake through the needled site over that through intact skin (>= 1).

        None when the intact-skin uptake is below what can be stated (see :attr:`enhancement_note`).
        """
        if self.intact_cumulative_ug_per_cm2 < max(self.statement_limit_ug_per_cm2, 1e-300):
            return None
        return max(1.0, self.cumulative_ug_per_cm2 / self.intact_cumulative_ug_per_cm2)

    @property
    def enhancement_note(self) -> str | None:
        """Why there is no enhancement ratio, or None when there is one."""
        if self.enhancement_ratio is not None:
            return None
        return (
            f"intact-skin uptake {self.intact_cumulative_ug_per_cm2:.2g} ug/cm2 is below "
            f"{self.statement_limit_ug_per_cm2:g} ug/cm2, too little to state a ratio"
        )

    def to_json(self) -> dict[str, Any]:
        """Return the stable ``needling deliver --json`` document.

        Returns
        -------
        dict
            Keys named with their unit (``flux_ug_per_cm2_h``, ``channel_half_life_h``, ``profile.depth_um``,
            ``needled_ug_per_ml``), numbers to 6 significant digits; ``sources`` lists the evidence keys used.
        """
        return {
            "compound": self.compound,
            "device": self.device,
            "site": self.site,
            "hours": self.hours,
            "occluded": self.occluded,
            "dose": self.dose,
            "ph": self.ph,
            "model": self.model,
            "enhancement_ratio": None if self.enhancement_ratio is None else float(f"{self.enhancement_ratio:.6g}"),
            "enhancement_note": self.enhancement_note,
            "applied_ug_per_cm2": None if self.applied_ug_per_cm2 is None else float(f"{self.applied_ug_per_cm2:.6g}"),
            "fraction_absorbed": None if self.fraction_absorbed is None else float(f"{self.fraction_absorbed:.6g}"),
            "concentration_percent": float(f"{self.concentration_percent:.6g}"),
            "cumulative_ug_per_cm2": float(f"{self.cumulative_ug_per_cm2:.6g}"),
            "intact_cumulative_ug_per_cm2": float(f"{self.intact_cumulative_ug_per_cm2:.6g}"),
            "channel_half_life_h": round(self.channel_half_life_h, 3),
            "time_to_recover_h": round(self.time_to_recover_h, 3),
            "film_half_life_h": None if self.film_half_life_h is None else round(self.film_half_life_h, 3),
            "channels_per_cm2": round(self.channels_per_cm2, 2),
            "channel_depth_um": round(self.channel_depth_um, 1),
            "channel_diameter_um": round(self.channel_diameter_um, 1),
            "flux_ug_per_cm2_h": {"t_h": r6(self.t_h), "value": r6(self.flux_ug_per_cm2_h)},
            "intact_flux_ug_per_cm2_h": {"t_h": r6(self.t_h), "value": r6(self.intact_flux_ug_per_cm2_h)},
            "profile": {
                "depth_um": r6(self.z_um),
                "needled_ug_per_ml": r6(self.profile_ug_per_ml),
                "intact_ug_per_ml": r6(self.intact_profile_ug_per_ml),
            },
            "sources": self.sources,
        }

    def plot(self, path: str | Path) -> Path:
        """Draw the figure: flux and cumulative uptake against intact skin, and the depth profile.

        Parameters
        ----------
        path : str or Path
            A .png or .svg file.

        Returns
        -------
        Path
            The file written.
        """
        return draw("delivery", self, path)


def _layers(
    compound: Compound,
    site: Site,
    sex: str,
    ph: float,
    used: SourceSet,
    parameters: ParameterValues | None = None,
    vehicle: str | None = None,
) -> tuple[list[Layer], float]:
    """Skin layers for this compound (in ``vehicle``, default its own) and the channel-fluid diffusivity, m2/s."""
    pv = resolve(parameters)
    activity = used.use(pv[f"vehicle-activity-factor-{vehicle or compound.vehicle}"])
    f_un = compound.unionised_fraction(ph)
    kp = permeability.potts_guy_kp(
        compound.log_kow,
        compound.mw,
        used.use(pv["potts-guy-intercept"]),
        used.use(pv["potts-guy-logkow"]),
        used.use(pv["potts-guy-mw"]),
    )
    d_de = permeability.dermis_diffusivity(
        compound.mw, used.use(pv["dermis-d-intercept"]), used.use(pv["dermis-d-exponent"])
    )
    # The vehicle's thermodynamic activity relative to an aqueous solution scales the partition into the lipids.
    k_sc = activity * (10.0**compound.log_kow) ** used.use(pv["sc-partition-exponent"])
    sc = um_to_m(site.thickness_um("stratum_corneum", sex)[0])
    ve = um_to_m(site.thickness_um("viable_epidermis", sex)[0])
    de = um_to_m(site.thickness_um("papillary_dermis", sex)[0] + site.thickness_um("reticular_dermis", sex)[0])
    # SC: only the un-ionised form partitions into the lipids; kp = K D / L splits as Potts-Guy does.
    d_sc = kp * sc / k_sc
    k_t = used.use(pv["viable-tissue-partition"])
    clear = used.use(pv["dermal-clearance-rate"])
    # Floors keep the arithmetic finite for very large, ionised molecules (they simply do not cross the SC).
    layers = [
        Layer("stratum_corneum", sc, max(d_sc, 1e-30), max(k_sc * f_un, 1e-12)),
        Layer("viable_epidermis", ve, used.use(pv["viable-epidermis-diffusivity-fraction"]) * d_de, k_t),
        Layer("dermis", de, d_de, k_t, clear),
    ]
    used.update(site.sources(sex))
    return layers, used.use(pv["channel-fluid-diffusivity-factor"]) * d_de


def channel_half_life(
    needle_length_mm: float,
    occluded: bool,
    used: SourceSet | None = None,
    parameters: ParameterValues | None = None,
    age_years: float | None = None,
    sex: str = "female",
) -> float:
    """Closure half-life of a device's channels in human skin, h.

    Parameters
    ----------
    needle_length_mm : float
        Needle length, mm.
    occluded : bool
        Whether the site is kept under occlusion.
    used : SourceSet, optional
        Collects the sources used.
    parameters : ParameterValues, optional
        The model parameters (default set when None).
    age_years : float, optional
        The patient's age, years; None for the young adults most closure data come from (no age effect).
    sex : {"female", "male"}
        Accepted for a uniform interface; no closure study reports an effect of sex
        (``closure-elderly-factor`` says which were read), so it does not change the half-life.

    Returns
    -------
    float
        Half-life, h.
    """
    pv = resolve(parameters)
    used = used if used is not None else SourceSet()
    if sex not in ("female", "male"):
        raise InputError(f"unknown sex {sex!r}; valid: female, male", field="sex")
    params = (
        pv["kalluri-tewl-recovery"],
        pv["gupta-open-air-recovery"],
        pv["occluded-half-life"],
        pv["closure-half-life-open-air"],
        pv["closure-reference-length"],
        pv["closure-length-exponent"],
        pv["occlusion-closure-factor"],
        pv["closure-elderly-factor"],
    )
    used.update(params)
    factor = 1.0
    if age_years is not None:
        check_range("age_years", age_years, low=0.0, high=120.0, unit="years")
        used.update((pv["age-young"], pv["age-elderly"]))
        factor = closure.age_factor(
            age_years,
            reference_age=pv["age-young"].value,
            elderly_age=pv["age-elderly"].value,
            elderly_factor=pv["closure-elderly-factor"].value,
        )
    return closure.half_life(
        needle_length_mm,
        occluded,
        open_air_half_life_h=pv["closure-half-life-open-air"].value,
        reference_length_mm=pv["closure-reference-length"].value,
        length_exponent=pv["closure-length-exponent"].value,
        occlusion_factor=pv["occlusion-closure-factor"].value,
        age_factor=factor,
    )


#: Product types whose open film is mostly water and dries by evaporation: their residence scales with the dose
#: (``aqueous-film-residence-half-life``); the others leave at their own ``vehicle-residence-half-life-*``.
DRYING_VEHICLES: tuple[str, ...] = ("serum", "gel")


def vehicle_residence_half_life(
    vehicle: str, dose_mg_cm2: float, used: SourceSet | None = None, parameters: ParameterValues | None = None
) -> float:
    """Half-life of an open finite film on the skin surface, h.

    A mostly aqueous film (``DRYING_VEHICLES``: serum, gel) dries by evaporation: the same mass of water
    leaves per area and time whatever its thickness, so its half-life is ``aqueous-film-residence-half-life``
    (at ``aqueous-film-reference-dose``, calibrated on the OECD 428 caffeine ring trial) scaled by the dose.
    Other vehicles leave at their own ``vehicle-residence-half-life-<vehicle>``. What leaves no longer enters
    the skin (a dry deposit does not diffuse; what is rubbed or washed off is gone).

    Parameters
    ----------
    vehicle : str
        The product type: serum, gel, solution or cream.
    dose_mg_cm2 : float
        Product applied, mg/cm2.
    used : SourceSet, optional
        Collects the sources used.
    parameters : ParameterValues, optional
        The model parameters (default set when None).

    Returns
    -------
    float
        Half-life, h (under occlusion the film stays: the caller applies no loss).

    References
    ----------
    SurfaceLoss1984 (evidence key): evaporation, washing and abrasion as zero- or first-order surface losses.

    Kluxen2022 (evidence key): OECD TG 428 ring trial, 14C-caffeine at 10 uL/cm2 (calibration).

    Examples
    --------
    >>> round(vehicle_residence_half_life("serum", 2.0), 2)
    0.55
    >>> vehicle_residence_half_life("cream", 100.0)
    4.0
    """
    pv = resolve(parameters)
    used = used if used is not None else SourceSet()
    if vehicle in DRYING_VEHICLES:
        ref, ref_dose = pv["aqueous-film-residence-half-life"], pv["aqueous-film-reference-dose"]
        used.update((ref, ref_dose))
        return float(ref.value * dose_mg_cm2 / ref_dose.value)
    own = pv[f"vehicle-residence-half-life-{vehicle}"]
    used.add(own)
    return float(own.value)


def _component_run(
    compound: Compound,
    site: Site,
    sex: str,
    ph: float,
    film_m: float | None,
    concentration_g_l: float,
    loss_rate: float,
    hours: float,
    density_per_m2: float,
    ch_radius: float,
    ch_depth: float,
    half_life_h: float,
    model: str,
    used: SourceSet,
    pv: ParameterValues | None = None,
    refine: int = 1,
    steps: int = 80,
    vehicle: str | None = None,
) -> tuple[CellResult, CellResult]:
    layers, d_ch = _layers(compound, site, sex, ph, used, pv, vehicle)
    # Only the dissolved part diffuses (Tsai 1993): an infinite dose is held at most at saturation; in a finite
    # film, the available undissolved rest is a reservoir that dissolves as the dissolved part is taken up.
    sol = compound.solubility_g_l  # kg/m3
    pv = resolve(pv)
    if film_m is None:
        conc = min(concentration_g_l, sol)
    else:
        # What exceeds saturation precipitates; only the share ``precipitate-redissolved-fraction`` of it stays
        # available to redissolve (0: Franz 1985's intact-scalp uptake of 5 % minoxidil is met with none).
        excess = max(0.0, concentration_g_l - sol)
        if excess > 0:
            used.add(pv["precipitate-redissolved-fraction"])
        conc = min(concentration_g_l, sol) + pv["precipitate-redissolved-fraction"].value * excess
    # Fibrin and debris in a fresh channel exclude large molecules by size (Renkin 1954; calibrated on fillers).
    excl = permeability.steric_partition(d_ch, pv["channel-matrix-cutoff-diffusivity"].si)
    if excl < 1.0 - 1e-12:
        used.update((pv["channel-matrix-cutoff-diffusivity"], pv["channel-filler-share"]))
    h_film = film_m
    # A finite film feeds the channels' mouths by diffusing sideways through it (free-solution diffusivity).
    d_film = used.use(pv["film-diffusivity-factor"]) * d_ch if film_m is not None else None
    t = time_grid(hours, first_s=1.0, steps=steps * refine)
    phi = lambda s: float(closure.open_fraction(s_to_hours(s), half_life_h))  # noqa: E731
    cell_radius = 1.0 / math.sqrt(math.pi * density_per_m2) if density_per_m2 > 0 else 1e-3
    if model == "reduced":
        needled = reduced_cell(
            layers, cell_radius, ch_radius, ch_depth, d_ch, t, phi, conc, h_film, loss_rate, sol, excl, d_film
        )
        intact = reduced_cell(layers, cell_radius, 0.0, 0.0, d_ch, t, phi, conc, h_film, loss_rate, sol)
        return needled, intact
    mesh = build_mesh(layers, cell_radius, ch_radius, ch_depth, refine=refine)
    needled = CellModel(mesh, layers, d_ch, excl, d_film).run(
        t, phi, conc, h_film, vehicle_loss_rate=loss_rate, saturation=sol
    )
    flat = build_mesh(layers, cell_radius, 0.0, 0.0, nr=1, refine=refine)
    intact = CellModel(flat, layers, d_ch).run(
        t, lambda s: 0.0, conc, h_film, vehicle_loss_rate=loss_rate, saturation=sol
    )
    return needled, intact


def _total(arrays: Iterable[np.ndarray]) -> np.ndarray:
    """Element-wise sum of the components' arrays, added in order."""
    out: np.ndarray | None = None
    for a in arrays:
        out = a.copy() if out is None else out + a
    if out is None:
        raise ValueError("no component runs to add")
    return out


def deliver(
    compound: Compound | str,
    device: Device | str,
    site: Site | str,
    technique: Technique | None = None,
    dose_mg_cm2: float | None = None,
    ph: float | None = None,
    occluded: bool = False,
    hours: float = 24.0,
    model: str = "full",
    sex: str = "female",
    seed: int = 0,
    refine: int = 1,
    parameters: ParameterValues | None = None,
    dose: str = "finite",
    concentration_percent: float | None = None,
    age_years: float | None = None,
) -> DeliveryResult:
    """Predict the uptake of a topical applied after needling, and on intact skin.

    Parameters
    ----------
    compound : Compound or str
        A compound or its catalogue name (or a compound file).
    device : Device or str
        A device or its catalogue name (or a device file).
    site : Site or str
        A skin site or its name.
    technique : Technique, optional
        Passes etc. of the needling.
    dose_mg_cm2 : float, optional
        Finite dose of product (formulation, not active), mg/cm2; None for the default of the compound's
        vehicle (``default-dose-serum`` etc., within OECD 428's 1-5 mg/cm2; an anaesthetic cream its label's
        thick layer).
    dose : {"finite", "infinite"}
        ``"infinite"`` holds the vehicle at its concentration throughout (studies); ``dose_mg_cm2`` is then
        not allowed.
    concentration_percent : float, optional
        Strength of the active in the product, % (w/w, or w/v at density 1); default the compound's usual
        formulation.
    ph : float, optional
        Formulation pH (default: the compound's usual formulation).
    occluded : bool
        Occlusion slows channel closure.
    hours : float
        Duration, h.
    model : {"full", "reduced"}
        ``"full"``: the axisymmetric finite-volume cell around a channel; ``"reduced"``: the fast
        reduced model (for cohorts and anaesthesia).
    sex : {"female", "male"}
        Sets the layer thicknesses; it has no reported effect on closure.
    seed : int
        Kept for a uniform interface; the result is deterministic.
    refine : int
        Mesh and time-step refinement (convergence studies).
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).
    age_years : float, optional
        The patient's age, years: channels close slower in the elderly (Kelchen 2016); None for young adults.

    Returns
    -------
    DeliveryResult
        Flux (kg/(m2 s)), cumulative uptake (kg/m2), fraction absorbed and depth profile (kg/m3), needled
        and intact; unit-named accessors give ug/cm2/h, ug/cm2 and ug/mL.

    Raises
    ------
    needling.errors.InputError
        If a name is unknown, a number is out of range (``hours`` 0-336 h, ``dose_mg_cm2`` 0-1000 mg/cm2,
        ``concentration_percent`` 0-100 %, ``ph`` 0-14), ``dose="infinite"`` is given with ``dose_mg_cm2``,
        or the compound acts by coagulation rather than diffusion.

    References
    ----------
    PottsGuy1992 (evidence key): Potts RO, Guy RH. Predicting skin permeability. Pharm Res 1992;9:663-669
    (intact skin).

    Gupta2011 (evidence key): Gupta J, Gill HS, Andrews SN, Prausnitz MR. Kinetics of skin resealing after
    insertion of microneedles in human subjects. J Control Release 2011;154:148-155 (channel closure,
    occlusion).

    Kelchen2016 (evidence key): Kelchen MN, Siefers KJ, Converse CC, Farley MJ, Holdren GO, Brogden NK.
    J Control Release 2016;225:294-300, doi:10.1016/j.jconrel.2016.01.051 (age).

    OECD428 (evidence key): OECD. Test No. 428: Skin Absorption: In Vitro Method. 2004 (finite dose,
    1-5 mg/cm2).
    """
    pv = resolve(parameters)
    comp = compound if isinstance(compound, Compound) else get_compound(compound)
    dev = device if isinstance(device, Device) else get_device(device)
    st = site if isinstance(site, Site) else get_site(site)
    if model not in MODELS:
        raise InputError(f"unknown model {model!r}; valid: {', '.join(MODELS)}", field="model")
    check_range("hours", hours, low=0.0, low_inclusive=False, high=24.0 * 14, unit="h")
    if dose not in ("finite", "infinite"):
        raise InputError(f"unknown dose {dose!r}; valid: finite, infinite", field="dose")
    if dose_mg_cm2 is not None:
        if dose == "infinite":
            raise InputError(
                "a dose in mg/cm2 is finite; valid: --dose infinite or --dose-mg-cm2, not both", field="dose"
            )
        check_range("dose_mg_cm2", dose_mg_cm2, low=0.0, low_inclusive=False, high=1000.0, unit="mg/cm2")
    if concentration_percent is not None:
        check_range("concentration_percent", concentration_percent, low=0.0, low_inclusive=False, high=100.0, unit="%")
    if ph is not None:
        check_range("ph", ph, low=0.0, high=14.0)
    if comp.mechanism == "coagulation":
        raise InputError(
            f"{comp.name} acts by protein coagulation, not by diffusion; its uptake is not modelled "
            "(valid: a compound whose mechanism is diffusion)",
            field="compound",
        )
    ph = comp.ph if ph is None else ph
    technique = technique or Technique()
    session = quick_session(dev, st, technique, sex=sex, parameters=pv)
    used = SourceSet(session.sources)
    used.update(comp.sources)
    half = channel_half_life(session.needle_length_mm, occluded, used, pv, age_years=age_years, sex=sex)
    density = session.channels_per_m2
    ch_r = session.channel_diameter / 2.0
    ch_d = session.residual_channel_depth
    from needling.compounds import get_compound as _get

    parts = [_get(c) for c in comp.components] if comp.components else [comp]
    # The product's strength: the compound's usual formulation, or the user's (applied to each component).
    strengths = [p.concentration_g_l if concentration_percent is None else concentration_percent * 10.0 for p in parts]
    film: float | None = None
    applied: float | None = None
    loss = 0.0
    film_half: float | None = None
    product = dose_mg_cm2
    if dose == "finite":
        if product is None:
            product = pv[f"default-dose-{comp.vehicle}"].value
            used.add(pv[f"default-dose-{comp.vehicle}"])
        rho = used.use(pv["vehicle-density"])  # kg/m3
        film = to_si(product, "mg/cm2") / rho  # kg/m2 / (kg/m3) = m
        applied = float(from_si(sum(c * film for c in strengths), "ug/cm2"))  # (kg/m3) m = kg/m2
        used.add(pv["oecd-finite-dose-low"])
        if not occluded:  # an open film dries or is rubbed off; occlusion holds it in place
            film_half = hours_to_s(vehicle_residence_half_life(comp.vehicle, product, used, pv))
            loss = math.log(2.0) / film_half
    runs = [
        _component_run(
            p,
            st,
            sex,
            ph,
            film,
            c,
            loss,
            hours,
            density,
            ch_r,
            ch_d,
            half,
            model,
            used,
            pv,
            refine,
            vehicle=comp.vehicle,
        )
        for p, c in zip(parts, strengths, strict=True)
    ]
    needled = [r[0] for r in runs]
    intact = [r[1] for r in runs]
    t_mid = 0.5 * (needled[0].t[1:] + needled[0].t[:-1])
    iprof = _total(r.profile for r in intact)
    iprof_z = np.interp(needled[0].z_mid, intact[0].z_mid, iprof)
    return DeliveryResult(
        compound=comp.name,
        device=dev.name,
        site=st.name,
        hours=hours,
        occluded=occluded,
        dose="infinite" if product is None else f"{product:g} mg/cm2",
        ph=ph,
        model=model,
        channels_per_m2=density,
        channel_depth=ch_d,
        channel_diameter=session.channel_diameter,
        channel_half_life=hours_to_s(half),
        time_to_recover=hours_to_s(closure.time_to_recover(half, used.use(pv["barrier-recovered-fraction"]))),
        t=t_mid,
        flux=_total(r.flux for r in needled),
        intact_flux=_total(r.flux for r in intact),
        cumulative_curve=_total(r.cumulative for r in needled),
        intact_cumulative_curve=_total(r.cumulative for r in intact),
        z=needled[0].z_mid,
        profile=_total(r.profile for r in needled),
        intact_profile=iprof_z,
        mass_balance_error=max(r.mass_balance_error for r in needled + intact),
        sources=used.sorted(),
        applied_ug_per_cm2=applied,
        concentration_percent=sum(strengths) / 10.0,
        statement_limit_ug_per_cm2=float(from_si(used.use(pv["uptake-statement-limit"]), "ug/cm2")),
        film_half_life=film_half,
    )
