"""The cohort engine: a protocol applied to many virtual patients at once.

Per session the injury comes from the mechanics (``quick_session``: distinct channel density and depth)
and each patient's own epidermal thickness (:mod:`needling.models.healing.injury`); the nonlinear healing
model (:mod:`needling.models.healing.wound`) runs every patient in one vectorised call with each
patient's healing rate and response; outcomes follow per indication through their own measurement
models, and adverse events as per-patient risks. Everything is an array over patients.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from needling.anatomy import Site
from needling.cohort import calibration as K
from needling.cohort.population import Patients
from needling.devices import Device
from needling.evidence import SourceSet
from needling.models.healing import follicles as F
from needling.models.healing import wound as W
from needling.models.healing.injury import injury_from, session_injury
from needling.models.healing.risks import risk_scale
from needling.models.healing.scars import distensible_scars
from needling.parameters import ParameterValues, cached_on_parameters, resolve
from needling.protocol import PRP, Apply, Needle, Peel, Protocol, Subcision
from needling.simulation import Technique, quick_session
from needling.units import convert

DAY_PER_WEEK = convert(1.0, "week", "day")


@dataclass(frozen=True)
class SessionMechanics:
    """What one needling step does to one sex's skin at a site: the injury's inputs and their sources.

    Attributes
    ----------
    device : str
        Name of the device the step used.
    channels_per_cm2 : float
        Distinct channels per area, 1/cm2.
    depth_um : float
        Mean depth the channels reach, um.
    sources : tuple of str
        Evidence keys of the parameters the session used.
    """

    device: str
    channels_per_cm2: float
    depth_um: float
    sources: tuple[str, ...]


def session_mechanics(
    step: Needle, site_name: str, sex: str, parameters: ParameterValues | None = None
) -> SessionMechanics:
    """Return the mechanics of a needling step from its own device and settings (``quick_session``), cached.

    Parameters
    ----------
    step : Needle
        The needling step: its device, needle length and passes.
    site_name : str
        The treated site.
    sex : {"female", "male"}
        The sex whose skin thickness applies.
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    SessionMechanics
        The device's name, channels per cm2, mean depth (um) and the sources.
    """
    device = step.resolve_device()
    return _session_mechanics(
        device.model_dump_json(),
        step.passes,
        min(step.directions, step.passes),
        site_name,
        sex,
        parameters=parameters,
    )


@cached_on_parameters(maxsize=512)
def _session_mechanics(
    pv: ParameterValues, device_json: str, passes: int, directions: int, site_name: str, sex: str
) -> SessionMechanics:
    device = Device.model_validate_json(device_json)
    q = quick_session(device, site_name, Technique(passes=passes, directions=directions), sex=sex, parameters=pv)
    return SessionMechanics(device.name, q.channels_per_cm2, q.depth_mean_um, tuple(q.sources))


def injury(
    density_per_cm2: float, depth_um: float, epidermis_um: np.ndarray, parameters: ParameterValues | None = None
) -> np.ndarray:
    """Return the injury (0-1) of a session for patients whose dermis starts at ``epidermis_um``.

    Parameters
    ----------
    density_per_cm2 : float
        Distinct channels per cm2.
    depth_um : float
        Mean depth the channels reach, um.
    epidermis_um : numpy.ndarray
        Depth of each patient's dermo-epidermal junction, um.
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    numpy.ndarray
        Share of the dermis wounded, per patient, 0-1.
    """
    um = convert(1.0, "um", "m")
    return session_injury(density_per_cm2 * convert(1.0, "1/cm2", "1/m2"), depth_um * um, epidermis_um * um, parameters)


@dataclass
class ArmOutcomes:
    """What a protocol did to each virtual patient: weekly arrays (patients x weeks) and per-patient risks.

    Attributes
    ----------
    weeks : ndarray (W,)
        Weeks from the first session at which the outputs are given (0, 1, 2, ...).
    collagen_rel, epidermis_rel : ndarray (n, W)
        Dermal collagen and epidermal thickness relative to baseline (1 = unchanged).
    remodelled : ndarray (n, W)
        Remodelled collagen in units of one reference session's peak (drives scar outcomes).
    hair_gain : ndarray (n, W)
        Change of hair count, per cm2.
    grade : ndarray (n, W) of int8
        Goodman & Baron grade 0-4 (acne scars).
    severity : ndarray (n, W)
        Latent scar severity, grade units.
    score : ndarray (n, W)
        Goodman & Baron quantitative score, points.
    improvement_pct : ndarray (n, W)
        Improvement of a scar's severity, % (striae, wrinkles, burn and trauma scars, pigment).
    pih, tram_track, prolonged_erythema : ndarray (n,)
        Probability (0-1) of each adverse event over the whole series, per patient.
    masi_rel : ndarray (n, W) or None
        Melasma area and severity index relative to baseline (melasma only).
    sources : list of str
        Evidence keys of the parameters the run used.
    mechanics : list of (int, str, SessionMechanics)
        Session index, sex and mechanics of every needling step: the device each session was computed for.
    """

    weeks: np.ndarray
    collagen_rel: np.ndarray
    epidermis_rel: np.ndarray
    remodelled: np.ndarray
    hair_gain: np.ndarray
    grade: np.ndarray
    severity: np.ndarray
    score: np.ndarray
    improvement_pct: np.ndarray
    pih: np.ndarray
    tram_track: np.ndarray
    prolonged_erythema: np.ndarray
    masi_rel: np.ndarray | None = None
    sources: list[str] = field(default_factory=list)
    #: (session index, sex, mechanics) of every needling step: the device each session was computed for.
    mechanics: list[tuple[int, str, SessionMechanics]] = field(default_factory=list)


#: The former name of :class:`ArmOutcomes`.
CohortRun = ArmOutcomes


def simulate_arm(
    protocol: Protocol,
    indication: str,
    site: Site | str,
    patients: Patients,
    parameters: ParameterValues | None = None,
    follow_up_weeks: float = 12.0,
    end_only: bool = False,
) -> ArmOutcomes:
    """The forward model of one trial arm: ``protocol`` applied to ``patients``, one vectorised run.

    This is the function a calibration calls for each parameter draw: it reads every number from
    ``parameters`` (see :mod:`needling.parameters.healing_priors` for the calibrated set) and returns
    arrays over patients and weeks.

    Parameters
    ----------
    protocol : Protocol
        The arm's series (sessions, steps, devices).
    indication : str
        One of :data:`needling.cohort.series.INDICATIONS`.
    site : Site or str
        The treated site.
    patients : Patients
        The virtual patients (:func:`needling.cohort.population.sample_patients`).
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).
    follow_up_weeks : float
        Weeks after the last session to the end of the outputs.
    end_only : bool
        Give the outputs at week 0 and at the end of follow-up only (what trial endpoints read).

    Returns
    -------
    ArmOutcomes
        Weekly outputs per patient and per-patient risks.
    """
    from needling.anatomy import get_site

    st = site if isinstance(site, Site) else get_site(site)
    return run_cohort(protocol, st, patients, follow_up_weeks, indication, parameters=parameters, end_only=end_only)


def run_cohort(
    protocol: Protocol,
    site: Site,
    patients: Patients,
    follow_up_weeks: float,
    indication: str = "acne-scars",
    parameters: ParameterValues | None = None,
    end_only: bool = False,
) -> ArmOutcomes:
    """Apply ``protocol`` on ``site`` to ``patients``; outputs every week to the end of follow-up.

    With ``end_only`` the outputs are given at baseline and at the end of follow-up only (week 0 and the
    last week), which is all a trial's endpoints read: the same numbers, less memory.

    Parameters
    ----------
    protocol : Protocol
        The sessions and continuous treatments.
    site : Site
        The treated site.
    patients : Patients
        The virtual patients.
    follow_up_weeks : float
        Weeks after the last session.
    indication : str
        One of :data:`needling.cohort.series.INDICATIONS`.
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).
    end_only : bool
        Give the outputs at baseline and at the end of follow-up only.

    Returns
    -------
    ArmOutcomes
        Weekly outputs per patient and the adverse-event risks.
    """
    pv = resolve(parameters)
    return _run(protocol, site, patients, follow_up_weeks, indication, _Values([pv], None), end_only)


def simulate_draws(
    protocol: Protocol,
    indication: str,
    site: Site | str,
    patients: Patients,
    draws: Sequence[ParameterValues],
    follow_up_weeks: float = 12.0,
    end_only: bool = False,
    sampled_with: ParameterValues | None = None,
) -> ArmOutcomes:
    """The forward model under several parameter sets (e.g. posterior draws) in one vectorised run.

    Every patient is simulated under every draw: row ``d * n + i`` of each output is patient ``i`` under
    ``draws[d]``. Healing and outcome parameters may differ between draws; the mechanics (channel density
    and depth) are taken from the first draw.

    Parameters
    ----------
    protocol : Protocol
        The arm's series.
    indication : str
        One of :data:`needling.cohort.series.INDICATIONS`.
    site : Site or str
        The treated site.
    patients : Patients
        The virtual patients (n).
    draws : sequence of ParameterValues
        The parameter sets (D).
    follow_up_weeks : float
        Weeks after the last session to the end of the outputs.
    end_only : bool
        Give the outputs at week 0 and at the end of follow-up only.
    sampled_with : ParameterValues, optional
        The set the patients were drawn with. Given, each draw's copy of the patients takes that draw's
        ``healing-rate-variability`` (the spread of their responsiveness, on the same deviates); not
        given, every draw keeps the patients as drawn.

    Returns
    -------
    ArmOutcomes
        Outputs with D x n rows, draw-major.
    """
    from needling.anatomy import get_site

    if not draws:
        raise ValueError("simulate_draws needs at least one parameter set")
    st = site if isinstance(site, Site) else get_site(site)
    d = len(draws)
    draw = np.repeat(np.arange(d), patients.n)
    tiled = patients.tile(d)
    if sampled_with is not None:
        name = "healing-rate-variability"
        spread = np.repeat([p.value(name) for p in draws], patients.n)
        tiled = tiled.with_response_spread(resolve(sampled_with).value(name), spread)
    return _run(protocol, st, tiled, follow_up_weeks, indication, _Values(list(draws), draw), end_only)


def simulate_groups(
    protocol: Protocol,
    indication: str,
    site: Site | str,
    patients: Patients,
    draws: Sequence[ParameterValues],
    group: np.ndarray,
    follow_up_weeks: float = 12.0,
    end_only: bool = False,
) -> ArmOutcomes:
    """Disjoint groups of patients, each under its own parameter set, in one vectorised run.

    Patient ``i`` is simulated under ``draws[group[i]]``: the same numbers as one :func:`simulate_arm` call
    per group (within the solver's tolerance), in one solver call. As in :func:`simulate_draws`, healing and
    outcome parameters may differ between sets; the mechanics are taken from the first set.

    Parameters
    ----------
    protocol : Protocol
        The arm's series.
    indication : str
        One of :data:`needling.cohort.series.INDICATIONS`.
    site : Site or str
        The treated site.
    patients : Patients
        The virtual patients of every group (n).
    draws : sequence of ParameterValues
        The parameter sets (D).
    group : numpy.ndarray of int
        The set of each patient, 0 to D - 1 (n,).
    follow_up_weeks : float
        Weeks after the last session to the end of the outputs.
    end_only : bool
        Give the outputs at week 0 and at the end of follow-up only.

    Returns
    -------
    ArmOutcomes
        Outputs with n rows, in the patients' order.
    """
    from needling.anatomy import get_site

    group = np.asarray(group, int)
    if not draws or group.shape != (patients.n,) or group.min() < 0 or group.max() >= len(draws):
        raise ValueError("simulate_groups needs a parameter set for every patient's group")
    st = site if isinstance(site, Site) else get_site(site)
    return _run(protocol, st, patients, follow_up_weeks, indication, _Values(list(draws), group), end_only)


class _Values:
    """Parameter values for each patient: one set for all (numbers), or one of several sets per patient (arrays).

    With one set every value is the set's own number, so a single-set run is the same, bit for bit, as before.
    """

    def __init__(self, sets: list[ParameterValues], draw: np.ndarray | None) -> None:
        self.sets = sets
        self.draw = draw
        self.pv = sets[0]

    def each(self, fn: Callable[[ParameterValues], float]) -> float | np.ndarray:
        """``fn`` of each set: a number when all sets agree, else an array over patients."""
        vals = [fn(p) for p in self.sets]
        if self.draw is None or all(v == vals[0] for v in vals):
            return vals[0]
        return np.asarray(vals, float)[self.draw]

    def value(self, name: str) -> float | np.ndarray:
        """The value of ``name`` in its own unit (number or array over patients)."""
        return self.each(lambda p: p.value(name))

    def days(self, name: str) -> float | np.ndarray:
        """A time parameter in days (number or array over patients)."""
        return self.each(lambda p: convert(p.value(name), p[name].unit, "day"))

    def rates(self) -> W.WoundRates:
        """The healing model's rates: numbers, or arrays over patients for those that differ between sets."""
        per_set = [W.wound_rates(p) for p in self.sets]
        if self.draw is None:
            return per_set[0]
        fields = zip(*(W.astuple_rates(r) for r in per_set), strict=True)
        out = [v[0] if all(x == v[0] for x in v) else np.asarray(v, float)[self.draw] for v in fields]
        return W.WoundRates(*out)


def _at(x: float | np.ndarray, mask: np.ndarray) -> float | np.ndarray:
    return x if isinstance(x, float) else x[mask]


def _col(x: float | np.ndarray) -> float | np.ndarray:
    return x if isinstance(x, float) else x[:, None]


def _gains(per_session: list[float | np.ndarray], n: int) -> np.ndarray:
    """Session gains as (K,) when they are numbers, else (n, K)."""
    if all(isinstance(g, float) for g in per_session):
        return np.array(per_session, float)
    return np.column_stack([np.broadcast_to(np.asarray(g, float), (n,)) for g in per_session])


def _run(
    protocol: Protocol,
    site: Site,
    patients: Patients,
    follow_up_weeks: float,
    indication: str,
    vals: _Values,
    end_only: bool,
) -> ArmOutcomes:
    pv = vals.pv
    used = SourceSet(K.SOURCES)
    n = patients.n
    end_week = protocol.last_week + follow_up_weeks
    last = math.floor(end_week + 1e-9)
    weeks = np.array([0.0, float(last)]) if end_only and last > 0 else np.arange(0, last + 1, dtype=float)
    days = weeks * DAY_PER_WEEK
    sessions = list(protocol.sessions)
    k_days = np.array([s.week * DAY_PER_WEEK for s in sessions])
    nk = len(sessions)
    u = np.zeros((n, nk))
    signal_gain: list[float | np.ndarray] = [1.0] * nk
    synthesis_gain: list[float | np.ndarray] = [1.0] * nk
    worst = np.zeros(n)  # largest session injury, relative to the reference session
    worst_roller = np.zeros(n)  # the same, for roller sessions whose needles pass the papillary dermis
    papillary_um = site.layer_bottoms_um()["papillary_dermis"]
    vitamin_c_any = False
    txa_days: list[float] = []
    subcision_day = None
    mechanics: list[tuple[int, str, SessionMechanics]] = []
    u_ref = vals.each(lambda p: K.reference_injury(parameters=p))
    radius = vals.each(lambda p: p.si("wound-zone-radius"))
    depth_ref = vals.each(lambda p: p.si("injury-depth-reference"))
    um = convert(1.0, "um", "m")
    used.update(pv[name] for name in K.INJURY_PARAMETERS)
    for k, s in enumerate(sessions):
        keep = np.ones(n)  # 1 - injury, combined over the session's wounding steps
        for step in s.steps:
            if isinstance(step, Needle):
                uk = np.zeros(n)
                deep = np.zeros(n, bool)  # needles reach below the papillary dermis
                for sx in ("female", "male"):
                    mask = patients.female == (sx == "female")
                    mech = session_mechanics(step, site.name, sx, pv)
                    used.update(mech.sources)
                    mechanics.append((k, sx, mech))
                    uk[mask] = injury_from(
                        mech.channels_per_cm2 * convert(1.0, "1/cm2", "1/m2"),
                        mech.depth_um * um,
                        patients.epidermis_um[mask] * um,
                        _at(radius, mask),
                        _at(depth_ref, mask),
                    )
                    deep[mask] = mech.depth_um > papillary_um
                keep *= 1.0 - uk
                if step.kind == "roller":
                    worst_roller = np.maximum(worst_roller, np.where(deep, uk / u_ref, 0.0))
            elif isinstance(step, Peel):
                ut = np.minimum(0.99, vals.value("tca-15-injury") * u_ref * step.percent / 15.0)
                keep *= 1.0 - ut
                used.add(pv["tca-15-injury"])
            elif isinstance(step, PRP):
                signal_gain[k] = 1.0 + vals.value("prp-growth-factor-boost")
                used.add(pv["prp-growth-factor-boost"])
            elif isinstance(step, Apply) and step.agent == "vitamin-c":
                synthesis_gain[k] = 1.0 + vals.value("vitamin-c-collagen-boost")
                vitamin_c_any = True
                used.update([pv["vitamin-c-collagen-boost"], pv["vitamin-c-pih-reduction"]])
            elif isinstance(step, Apply) and step.agent == "tranexamic-acid":
                txa_days.append(s.week * DAY_PER_WEEK)
            elif isinstance(step, Subcision):
                subcision_day = s.week * DAY_PER_WEEK if subcision_day is None else subcision_day
                used.update([pv["subcision-grade-effect"], pv["distensible-scar-share"]])
        u[:, k] = 1.0 - keep
        worst = np.maximum(worst, u[:, k] / u_ref)
    rates = vals.rates()
    rates = replace(rates, r=rates.r * patients.healing_rate)  # each patient's own healing rate (age)
    used.update(pv[name] for name in K.HEALING_PARAMETERS)
    states = W.solve(
        W.Sessions(k_days, u, _gains(signal_gain, n), _gains(synthesis_gain, n)),
        days,
        rates,
        vals.value("collagen-synthesis-rate") * patients.response,
        vals.value("epidermal-growth-rate") * patients.response,
    )
    w3 = _col(vals.value("remodelling-weight-collagen-iii"))
    peak = _col(vals.each(lambda p: K.reference_remodelled_peak(parameters=p)))
    remod = (states.collagen_i + w3 * states.collagen_iii) / peak
    hair = np.zeros((n, weeks.size))
    if indication == "androgenetic-alopecia":
        hair = _hair_gain(protocol, k_days, states, days, rates, vals, patients, used)
    # acne scars: latent severity falls with remodelled collagen; a rater's cumulative-logit view of it
    used.update(pv[name] for name in K.SCAR_PARAMETERS)
    g0 = np.clip(patients.grade, 0, 4)
    max_gain = np.zeros(n)
    for g in (1, 2, 3, 4):  # grade 1 responds as grade 2 (K.grade_response)
        max_gain = np.where(g0 == g, vals.value(f"acne-grade-{max(g, 2)}-responsiveness"), max_gain)
    saturation = -np.expm1(-remod / _col(vals.value("scar-response-saturation")))
    drop = max_gain[:, None] * saturation
    if subcision_day is not None:  # it lifts distensible, tethered scars only (models/healing/scars)
        released = distensible_scars(patients.grade, patients.scar_type_draw, vals.value("distensible-scar-share"))
        sub = patients.response * released * vals.value("subcision-grade-effect")
        drop = drop + sub[:, None] * (days >= subcision_day)[None, :]
    sev = np.clip(patients.severity[:, None] - drop, 0.0, None)
    rated = sev + _col(vals.value("acne-grade-rating-spread")) * patients.rating_noise[:, None]
    rated[:, 0] = patients.severity
    grade = np.where(patients.grade[:, None] > 0, np.clip(np.floor(rated + 0.5), 0, 4), 0).astype(np.int8)
    score = np.where(
        patients.severity[:, None] > 0,
        patients.score[:, None]
        * (sev / np.maximum(patients.severity[:, None], 1e-9)) ** _col(vals.value("acne-score-severity-exponent")),
        0.0,
    )
    improvement = _scar_improvement(saturation, indication, patients, vals, used)
    masi = None
    if indication == "melasma":
        masi = _melasma_masi(saturation, days, txa_days, vals, used)
        improvement = 100.0 * (1.0 - masi)  # the MASI reduction is melasma's improvement
    # adverse events: a per-patient propensity, growing with the strongest session, bounded (models/healing/risks)
    pih_base = _pih_base(patients, vals, used)
    used.update([pv["tram-track-risk"], pv["prolonged-erythema-risk"], pv["adverse-event-injury-headroom"]])
    headroom = vals.value("adverse-event-injury-headroom")
    pih_factor = 1.0 - vals.value("vitamin-c-pih-reduction") if vitamin_c_any else 1.0
    return ArmOutcomes(
        weeks=weeks,
        collagen_rel=1.0 + states.collagen_iii + states.collagen_i,
        epidermis_rel=1.0 + states.epidermis,
        remodelled=remod,
        hair_gain=hair,
        grade=grade,
        severity=sev,
        score=score,
        improvement_pct=np.minimum(improvement, 100.0),
        pih=pih_base * risk_scale(worst, headroom) * pih_factor,
        tram_track=vals.value("tram-track-risk") * risk_scale(worst_roller, headroom),
        prolonged_erythema=vals.value("prolonged-erythema-risk") * risk_scale(worst, headroom),
        masi_rel=masi,
        sources=used.sorted(),
        mechanics=mechanics,
    )


def _scar_improvement(
    saturation: np.ndarray, indication: str, patients: Patients, vals: _Values, used: SourceSet
) -> np.ndarray:
    """Improvement of a scar's severity, % (patients x weeks): the remodelled share of the ceiling; white
    striae (alba) reach ``striae-alba-response`` of it."""
    improvement = 100.0 * saturation * _col(vals.value("scar-max-improvement"))
    if indication == "striae" and patients.alba.any():
        improvement = improvement * _col(np.where(patients.alba, vals.value("striae-alba-response"), 1.0))
        used.add(vals.pv["striae-alba-response"])
    return improvement


def _hair_gain(
    protocol: Protocol,
    k_days: np.ndarray,
    states: Any,
    days: np.ndarray,
    rates: Any,
    vals: _Values,
    patients: Patients,
    used: SourceSet,
) -> np.ndarray:
    """Hair gained per patient and day (androgenetic alopecia): needling's anagen drive, with minoxidil if given."""
    pv = vals.pv
    mino = protocol.minoxidil()
    strength = 0.0 if mino is None else mino.percent / 5.0
    shares = F.anagen_shares(
        k_days,
        states.signal_jumps,
        days,
        rates.tau_s,
        vals.each(lambda p: p.si("needling-anagen-drive") * convert(1.0, "day", "s")),
        vals.days("hair-needling-persistence-time"),
        vals.value("minoxidil-anagen-drive"),
        vals.days("hair-response-time-constant"),
        minoxidil=strength,
    )
    used.update(pv[name] for name in K.HAIR_PARAMETERS)
    if mino is not None:
        used.add(pv["dhurat-minoxidil"])
    return _col(vals.value("hair-gain-capacity")) * shares * patients.response[:, None]


def _melasma_masi(
    saturation: np.ndarray, days: np.ndarray, txa_days: list[float], vals: _Values, used: SourceSet
) -> np.ndarray:
    """MASI relative to baseline per patient and day: needling's improvement and tranexamic acid's on pigment."""
    pv = vals.pv
    needled = saturation * _col(vals.value("melasma-needling-max-improvement"))
    if vals.draw is None:
        masi = (1.0 - needled) * (1.0 - _txa_pigment(days, np.array(txa_days), pv))[None, :]
    else:
        pigment = np.stack([_txa_pigment(days, np.array(txa_days), p) for p in vals.sets])[vals.draw]
        masi = (1.0 - needled) * (1.0 - pigment)
    used.update(pv[name] for name in K.MELASMA_PARAMETERS)
    return masi


def _pih_base(patients: Patients, vals: _Values, used: SourceSet) -> np.ndarray:
    """Each patient's risk of post-inflammatory hyperpigmentation for their Fitzpatrick type, before scaling."""
    fitz_names = [f"pih-risk-fitzpatrick-{f}" for f in range(1, 7)]
    pih_base = np.zeros(patients.n)
    for f, name in enumerate(fitz_names, start=1):
        pih_base = np.where(patients.fitzpatrick == f, vals.value(name), pih_base)
    used.update(vals.pv[name] for name in fitz_names)
    return pih_base


def _txa_pigment(days: np.ndarray, txa_days: np.ndarray, pv: ParameterValues) -> np.ndarray:
    """Share of the pigment removed by tranexamic acid at ``days`` (0-1): exact response of a first-order
    pigment turnover to an inhibition that decays after each session."""
    if txa_days.size == 0:
        return np.zeros(days.size)
    tp = convert(pv.value("melasma-pigment-turnover-time"), pv["melasma-pigment-turnover-time"].unit, "day")
    tt = convert(pv.value("tranexamic-acid-effect-time"), pv["tranexamic-acid-effect-time"].unit, "day")
    dt = days[:, None] - txa_days[None, :]
    on = dt >= 0
    d = np.where(on, dt, 0.0)
    same = abs(tt - tp) < 1e-9
    g = d / tp * np.exp(-d / tp) if same else tt / (tt - tp) * (np.exp(-d / tt) - np.exp(-d / tp))
    total = pv.value("tranexamic-acid-melanogenesis-inhibition") * np.sum(np.where(on, g, 0.0), axis=1)
    return np.clip(total, 0.0, 1.0)
