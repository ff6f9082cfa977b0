"""The cohort engine: a protocol applied to many virtual patients at once.

Per session the injury comes from the mechanics (``quick_session``: channel density and depth) and
each patient's own epidermal thickness; the healing cascade's unit responses (exact, shared by all
patients) are summed with each patient's injuries by one matrix product per output; outcomes and
adverse events follow per patient. Everything is an array over patients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from needling.anatomy import Site
from needling.cohort import calibration as K
from needling.cohort.population import Patients
from needling.devices import Device
from needling.evidence import SourceSet
from needling.models.healing import cascade as C
from needling.parameters import ParameterValues, cached_on_parameters, resolve
from needling.protocol import PRP, Apply, Needle, Peel, Protocol, Subcision
from needling.simulation import Technique, quick_session
from needling.units import convert

DAY_PER_WEEK = convert(1.0, "week", "day")


@dataclass(frozen=True)
class SessionMechanics:
    """What one needling step does to one sex's skin at a site: the injury's inputs and their sources."""

    device: str
    channels_per_cm2: float
    depth_um: float
    sources: tuple[str, ...]


def session_mechanics(
    step: Needle, site_name: str, sex: str, parameters: ParameterValues | None = None
) -> SessionMechanics:
    """The mechanics of a needling step from its own device and settings (``quick_session``), cached."""
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
    """Saturating injury dose of a session for patients whose dermis starts at ``epidermis_um``."""
    reference = K.injury_reference_um(resolve(parameters))
    dose = density_per_cm2 * np.clip(depth_um - epidermis_um, 0.0, None) / reference
    return 1.0 - np.exp(-dose)


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
        Goodman & Baron quantitative score.
    improvement_pct : ndarray (n, W)
        Improvement of a scar's severity, % (striae, wrinkles, burn and trauma scars, pigment).
    pih, tram_track, prolonged_erythema : ndarray (n,)
        Probability (0-1) of each adverse event over the whole series, per patient.
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

    Returns
    -------
    ArmOutcomes
        Weekly outputs per patient and per-patient risks.
    """
    from needling.anatomy import get_site

    st = site if isinstance(site, Site) else get_site(site)
    return run_cohort(protocol, st, patients, follow_up_weeks, indication, parameters=parameters)


def run_cohort(
    protocol: Protocol,
    site: Site,
    patients: Patients,
    follow_up_weeks: float,
    indication: str = "acne-scars",
    parameters: ParameterValues | None = None,
) -> ArmOutcomes:
    """Apply ``protocol`` on ``site`` to ``patients``; outputs every week to the end of follow-up.

    Parameters
    ----------
    protocol : Protocol
    site : Site
    patients : Patients
    follow_up_weeks : float
        Weeks after the last session.
    indication : str
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).
    """
    pv = resolve(parameters)
    used = SourceSet(K.SOURCES)
    n = patients.n
    end_week = protocol.last_week + follow_up_weeks
    weeks = np.arange(0, math.floor(end_week + 1e-9) + 1, dtype=float)
    days = weeks * DAY_PER_WEEK
    sessions = list(protocol.sessions)
    k_days = np.array([s.week * DAY_PER_WEEK for s in sessions])
    a_g = np.zeros((n, len(sessions)))  # growth-factor impulses
    a_c = np.zeros((n, len(sessions)))  # collagen-yield impulses
    rel_ref = K.reference_injury(parameters=pv)
    subcision_day = None
    mechanics: list[tuple[int, str, SessionMechanics]] = []
    pih_keep = np.ones(n)
    tt_keep = np.ones(n)
    er_keep = np.ones(n)
    pih_names = [f"pih-risk-fitzpatrick-{f}" for f in range(1, 7)]
    pih_risk = np.array(pv.values_of(pih_names))[patients.fitzpatrick - 1]
    used.update(pv[n] for n in pih_names)
    used.update(
        [pv["tram-track-risk-per-session"], pv["prolonged-erythema-risk-per-session"], pv["injury-dose-reference"]]
    )
    for k, s in enumerate(sessions):
        dose = np.zeros(n)
        vit_c = prp = 0.0
        for step in s.steps:
            if isinstance(step, Needle):
                for sx in ("female", "male"):
                    mask = patients.female == (sx == "female")
                    mech = session_mechanics(step, site.name, sx, pv)
                    used.update(mech.sources)
                    mechanics.append((k, sx, mech))
                    dose[mask] += injury(mech.channels_per_cm2, mech.depth_um, patients.epidermis_um[mask], pv)
                rel = dose / rel_ref
                tt_keep *= 1.0 - np.clip(pv["tram-track-risk-per-session"].value * rel, 0, 1) * (step.kind == "roller")
                er_keep *= 1.0 - np.clip(pv["prolonged-erythema-risk-per-session"].value * rel, 0, 1)
            elif isinstance(step, Peel):
                dose += pv["tca-15-injury"].value * step.percent / 15.0
                used.add(pv["tca-15-injury"])
            elif isinstance(step, PRP):
                prp = pv["prp-growth-factor-boost"].value
                used.add(pv["prp-growth-factor-boost"])
            elif isinstance(step, Apply) and step.agent == "vitamin-c":
                vit_c = pv["vitamin-c-collagen-boost"].value
                used.update([pv["vitamin-c-collagen-boost"], pv["vitamin-c-pih-reduction"]])
            elif isinstance(step, Subcision):
                subcision_day = s.week * DAY_PER_WEEK if subcision_day is None else subcision_day
                used.add(pv["subcision-grade-effect"])
        a_g[:, k] = dose * (1.0 + prp)
        a_c[:, k] = dose * (1.0 + prp) * (1.0 + vit_c)
        pih_factor = (1.0 - pv["vitamin-c-pih-reduction"].value) if vit_c else 1.0
        pih_keep *= 1.0 - np.clip(
            pih_risk * np.minimum(dose / rel_ref, pv.value("pih-relative-injury-cap")) * pih_factor, 0, 1
        )
    phi = C.responses(k_days, days, pv)  # (K, W, 6)
    coll = a_c @ (phi[:, :, 2] + phi[:, :, 3])
    remod = (
        a_c
        @ (phi[:, :, 3] + pv["remodelling-weight-collagen-iii"].value * phi[:, :, 2])
        / K.reference_remodelled_peak(parameters=pv)
    )
    epi = a_g @ phi[:, :, 4]
    hair = K.hair_needling_gain(parameters=pv) * (a_g @ phi[:, :, 5])
    mino = protocol.minoxidil()
    if mino is not None:
        hair = (
            hair
            + K.hair_minoxidil_gain(parameters=pv)
            * (mino.percent / 5.0)
            * C.minoxidil_response(days, parameters=pv)[None, :]
        )
        used.update([pv["dhurat-minoxidil"]])
    hair = hair * patients.response[:, None]
    used.update(
        [
            pv["dhurat-mn"],
            pv["hair-response-time-constant"],
            pv["lotfi-collagen"],
            pv["lotfi-epidermis"],
            pv["remodelling-weight-collagen-iii"],
            pv["inflammation-time-constant"],
            pv["fibroblast-time-constant"],
            pv["remodelling-time-constant"],
            pv["collagen-i-turnover-time"],
            pv["epidermal-response-time-constant"],
            pv["healing-rate-variability"],
            pv["healing-age-effect"],
            pv["scar-response-saturation"],
        ]
    )
    # scar response: grade improvement saturating in remodelled collagen, scaled per patient
    g0 = np.clip(patients.grade, 0, 4)
    max_gain = np.array([0.0] + [K.grade_response(g, pv) for g in (1, 2, 3, 4)])[g0]
    used.update(pv[f"acne-grade-{g}-responsiveness"] for g in (2, 3, 4))
    drop = (patients.response * max_gain)[:, None] * (1.0 - np.exp(-remod / pv["scar-response-saturation"].value))
    if subcision_day is not None:
        drop = drop + (patients.response * K.subcision_effect(pv))[:, None] * (days >= subcision_day)[None, :]
    sev = np.clip(patients.severity[:, None] - drop, 0.0, None)
    grade = np.clip(np.floor(sev + 0.5), 0, 4).astype(np.int8)
    score = np.where(
        patients.severity[:, None] > 0,
        patients.score[:, None] * sev / np.maximum(patients.severity[:, None], 1e-9),
        0.0,
    )
    improvement = (
        100.0
        * (1.0 - np.exp(-remod / pv["scar-response-saturation"].value))
        * patients.response[:, None]
        * K.scar_improvement_scale(pv)
    )
    resp = patients.response[:, None]
    return ArmOutcomes(
        weeks=weeks,
        collagen_rel=1.0 + K.collagen_scale(parameters=pv) * coll * resp,
        epidermis_rel=1.0 + K.epidermis_scale(parameters=pv) * epi * resp,
        remodelled=remod,
        hair_gain=hair,
        grade=grade,
        severity=sev,
        score=score,
        improvement_pct=np.minimum(improvement, 100.0),
        pih=1.0 - pih_keep,
        tram_track=1.0 - tt_keep,
        prolonged_erythema=1.0 - er_keep,
        sources=used.sorted(),
        mechanics=mechanics,
    )
