"""The public functions behind ``import needling as nd``: the main path of the science core in a few calls.

Each function takes names or objects (a catalogue name, a file, or a :class:`~needling.devices.Device`),
``parameters=None`` for the default parameter set, and returns a typed result with ``to_json()``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from needling.anatomy import Site
from needling.cohort import SeriesResult
from needling.cohort import run_series as _run_series
from needling.cohort.trial import Trial, TrialResult
from needling.cohort.trial import run_trial as _run_trial
from needling.compounds import Compound
from needling.devices import Device
from needling.parameters import ParameterValues
from needling.planner.intake import PatientIntake, load_intake
from needling.planner.plan import Plan, make_plan
from needling.protocol import Protocol
from needling.simulation import DeliveryResult, SessionResult, Technique, quick_session, simulate_session
from needling.simulation import deliver as _deliver


def _technique(technique: Technique | None, settings: dict[str, Any]) -> Technique | None:
    if technique is not None and settings:
        raise TypeError("give either a Technique or its settings as keywords, not both")
    return Technique(**settings) if settings else technique


def simulate(
    device: Device | str,
    site: Site | str,
    technique: Technique | None = None,
    *,
    sex: str = "female",
    seed: int = 0,
    full: bool = True,
    anaesthesia: Any = None,
    parameters: ParameterValues | None = None,
    **settings: Any,
) -> SessionResult:
    """Simulate one session: channels, depth per layer, bleeding and pain.

    Parameters
    ----------
    device : Device or str
        A device, a catalogue name or a device file.
    site : Site or str
        A skin site or its name (``needling sites list``).
    technique : Technique, optional
        Passes, directions, pressure, area (cm2), pen speed (mm/s) and line spacing (mm), needle length (mm);
        or give these as keywords (``passes=15, directions=3``).
    sex : {"female", "male"}
        Selects the layer thickness where the data differ by sex.
    seed : int
        Seed of the channel map.
    full : bool
        True: the full channel map (seeded); False: the closed-form means (``quick_session``, under 10 ms).
    anaesthesia : AnaesthesiaEffect, optional
        A topical anaesthetic's pain multiplier (``needling.simulation.anaesthesia_effect``).
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).
    **settings
        Technique settings as keywords (``passes``, ``directions``, ``pressure``, ``area_cm2`` in cm2,
        ``speed_mm_s`` in mm/s, ``line_spacing_mm`` in mm, ``needle_length_mm`` in mm), instead of
        ``technique``.

    Returns
    -------
    SessionResult
        Channel density, coverage, depth per channel and per layer, bleeding, pain (VAS 0-10) and the
        sources used: SI inside, unit-named accessors (``depth_mean_um``, ``channels_per_cm2``).

    Raises
    ------
    needling.errors.InputError
        If a name is unknown or a setting is out of its range (the message names what is valid).
    TypeError
        If both ``technique`` and technique settings as keywords are given.

    See Also
    --------
    needling.simulation.simulate_session, needling.simulation.quick_session

    References
    ----------
    Gill2008 (evidence key): Gill HS, Denson DD, Burris BA, Prausnitz MR. Effect of microneedle design on
    pain in human volunteers. Clin J Pain 2008;24:585-594 (pain against needle length and count).

    Examples
    --------
    >>> import needling as nd
    >>> r = nd.simulate("dermaroller-192-1.5", "cheek", passes=15, directions=3, full=False)
    >>> 180 < r.punctures_per_cm2 < 260
    True
    """
    t = _technique(technique, settings)
    if full:
        return simulate_session(device, site, t, sex=sex, seed=seed, anaesthesia=anaesthesia, parameters=parameters)
    return quick_session(device, site, t, sex=sex, anaesthesia=anaesthesia, parameters=parameters)


def deliver(
    compound: Compound | str,
    device: Device | str,
    site: Site | str,
    technique: Technique | None = None,
    *,
    parameters: ParameterValues | None = None,
    dose_mg_cm2: float | None = None,
    dose: str = "finite",
    concentration_percent: float | None = None,
    ph: float | None = None,
    occluded: bool = False,
    hours: float = 24.0,
    model: str = "full",
    sex: str = "female",
    age_years: float | None = None,
    **settings: Any,
) -> DeliveryResult:
    """Predict the uptake of a topical through the closing channels of a session, against intact skin.

    Parameters
    ----------
    compound : Compound or str
        A compound, a catalogue name or a compound file.
    device : Device or str
        A device, a catalogue name or a device file.
    site : Site or str
        A skin site or its name.
    technique : Technique, optional
        As in :func:`simulate` (technique settings may be keywords).
    dose_mg_cm2 : float, optional
        Product (not active) per area, mg/cm2 (None: the default of the product type).
    dose : {"finite", "infinite"}
        Finite (what people apply, default) or an infinite dose (studies).
    concentration_percent : float, optional
        Active in the product, % (default: the compound's usual formulation).
    ph : float, optional
        Formulation pH.
    occluded : bool
        Occlusion slows channel closure.
    hours : float
        Duration, h.
    model : {"full", "reduced"}
        ``"full"``: the axisymmetric finite-volume cell around a channel; ``"reduced"``: the fast reduced
        model.
    sex : {"female", "male"}
        Sets the layer thicknesses; no closure study reports an effect of sex on closure.
    age_years : float, optional
        Patient's age, years: channels close slower in the elderly (Kelchen 2016).
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).
    **settings
        Technique settings as keywords (``passes``, ``directions``, ``pressure``, ``area_cm2`` in cm2,
        ``speed_mm_s`` in mm/s, ``line_spacing_mm`` in mm, ``needle_length_mm`` in mm), instead of
        ``technique``.

    Returns
    -------
    DeliveryResult
        Flux, cumulative uptake, fraction absorbed and depth profile, needled and intact: SI inside,
        unit-named accessors (``flux_ug_per_cm2_h``, ``cumulative_ug_per_cm2``, ``profile_ug_per_ml``).

    Raises
    ------
    needling.errors.InputError
        If a name is unknown or a number is out of its range (the message names what is valid).
    TypeError
        If both ``technique`` and technique settings as keywords are given.

    See Also
    --------
    needling.simulation.deliver

    References
    ----------
    PottsGuy1992 (evidence key): Potts RO, Guy RH. Predicting skin permeability. Pharm Res 1992;9:663-669
    (intact skin).

    Gupta2011 (evidence key): Gupta J, Gill HS, Andrews SN, Prausnitz MR. Kinetics of skin resealing after
    insertion of microneedles in human subjects. J Control Release 2011;154:148-155 (channel closure).

    Kelchen2016 (evidence key): Kelchen MN, Siefers KJ, Converse CC, Farley MJ, Holdren GO, Brogden NK.
    J Control Release 2016;225:294-300, doi:10.1016/j.jconrel.2016.01.051 (age).
    """
    return _deliver(
        compound,
        device,
        site,
        _technique(technique, settings),
        dose_mg_cm2=dose_mg_cm2,
        dose=dose,
        concentration_percent=concentration_percent,
        ph=ph,
        occluded=occluded,
        hours=hours,
        model=model,
        sex=sex,
        age_years=age_years,
        parameters=parameters,
    )


def run_series(
    protocol: Protocol | str | Path,
    indication: str,
    site: Site | str,
    *,
    grade: int | None = None,
    follow_up_weeks: float = 12.0,
    n: int = 200,
    seed: int = 0,
    fitzpatrick: int | None = None,
    sex: str | None = None,
    age: float | None = None,
    parameters: ParameterValues | None = None,
    posterior: Any = "auto",
) -> SeriesResult:
    """Run one kind of patient through a protocol: weekly collagen and outcome with 95 % bands.

    Parameters
    ----------
    protocol : Protocol, or str or Path
        A protocol (``Protocol.parse([...])``) or a protocol file.
    indication : str
        ``acne-scars``, ``striae``, ``androgenetic-alopecia``, ... (``needling series --help``).
    site : Site or str
        The treated skin site or its name.
    grade : int, optional
        Baseline grade 0-4.
    follow_up_weeks : float
        Weeks after the last session.
    n, seed : int
        Virtual patients and seed.
    fitzpatrick, sex, age : optional
        Fix these patient features (age in years).
    parameters : ParameterValues, optional
        One parameter set (then, by default, no posterior).
    posterior : Posterior, "auto" or None
        ``"auto"``: share the virtual patients out among the shipped posterior draws unless ``parameters``
        is given, so the bands carry the parameters' uncertainty (:doc:`/calibration`).

    Returns
    -------
    SeriesResult
        Weekly means with 2.5-97.5 % bands of the collagen change and of the indication's measure (grade
        and score, hair count change or improvement in %), and the sources used.

    Raises
    ------
    needling.errors.InputError
        If the protocol, indication or site is unknown or a number is out of its range.
    """
    proto = protocol if isinstance(protocol, Protocol) else Protocol.from_file(protocol)
    return _run_series(
        indication,
        site,
        proto,
        grade=grade,
        follow_up_weeks=follow_up_weeks,
        n=n,
        seed=seed,
        fitzpatrick=fitzpatrick,
        sex=sex,
        age=age,
        parameters=parameters,
        posterior=posterior,
    )


def run_trial(
    trial: Trial | str | Path,
    n: int | None = None,
    seed: int = 0,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    parameters: ParameterValues | None = None,
    posterior: Any = "auto",
) -> TrialResult:
    """Run an in-silico trial: every arm with ``n`` virtual patients, endpoints with 95 % intervals.

    Parameters
    ----------
    trial : Trial, or str or Path
        A trial or a trial file (``src/needling/cohort/trials/*.toml``).
    n : int, optional
        Patients per arm (default: the file's).
    seed : int
        Seed of the virtual patients: the same inputs and seed give the same result.
    workers : int, optional
        Local Dask worker processes.
    scheduler : str, optional
        Address of a Dask scheduler.
    parameters : ParameterValues, optional
        One parameter set (then, by default, no posterior: that set's result with its Monte-Carlo interval).
    posterior : Posterior, "auto" or None
        ``"auto"``: integrate over the shipped posterior draws unless ``parameters`` is given; each arm's
        ``ci95`` is then the posterior predictive interval of its mean for the trial's real patients,
        with ``pi95`` and ``evidence`` (:doc:`/calibration`).

    Returns
    -------
    TrialResult
        Each arm's endpoints (in the unit the trial reports) with 95 % intervals, next to the published
        values where the trial file gives them.

    Raises
    ------
    needling.errors.InputError
        If the trial or its file is invalid or ``n`` is out of its range.
    """
    return _run_trial(
        trial, n=n, seed=seed, workers=workers, scheduler=scheduler, parameters=parameters, posterior=posterior
    )


def plan(
    patient: PatientIntake | dict[str, Any] | str | Path,
    start: date | None = None,
    *,
    n_virtual: int = 200,
    seed: int = 0,
    parameters: ParameterValues | None = None,
) -> Plan:
    """Screen a patient and propose a per-region protocol with its evidence and predicted outcome.

    Parameters
    ----------
    patient : PatientIntake, dict, or str or Path
        A validated intake, its data, or a patient file (YAML or JSON; ``examples/patients/``).
    start : date, optional
        Earliest first session (default today).
    n_virtual, seed : int
        Virtual patients of the outcome prediction, and its seed (over the posterior, a fifth of them,
        at least 20, go through each of 50 posterior draws).
    parameters : ParameterValues, optional
        The model parameters. Not given: the predictions integrate over the shipped posterior draws
        (:mod:`needling.cohort.bayes.individual`); given: that set alone.

    Returns
    -------
    Plan
        The decision (``proceed``, ``proceed-with-caution``, ``defer`` or ``do-not-treat``), the reasons
        with their sources and grades, per-region settings (needle length in mm, interval in weeks),
        dates, home care and the predicted outcome (``region.predicted.individual``: one patient's
        expected outcome, the interval 9 in 10 patients like this one end in, and the evidence behind it).

    Raises
    ------
    needling.errors.InputError
        If the intake is invalid (the message names the field and what is valid).
    """
    intake = patient if isinstance(patient, PatientIntake) else load_intake(patient)
    return make_plan(intake, start=start, n_virtual=n_virtual, seed=seed, parameters=parameters)
