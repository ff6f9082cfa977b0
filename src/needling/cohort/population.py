"""Virtual patients drawn with a seed from stated distributions, as arrays (one entry per patient)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from needling.anatomy import Site
from needling.errors import InputError, check_range
from needling.parameters import ParameterValues, resolve


@dataclass
class Patients:
    """A cohort: arrays of length n.

    Attributes
    ----------
    age : numpy.ndarray
        Age, years.
    female : numpy.ndarray of bool
        Whether the patient is female.
    fitzpatrick : numpy.ndarray of int
        Fitzpatrick skin type, 1-6.
    grade : numpy.ndarray of int
        Baseline grade 0-4 (acne) or severity class.
    severity : numpy.ndarray
        Latent continuous grade at baseline, grade units.
    score : numpy.ndarray
        Baseline quantitative score (Goodman & Baron for acne scars), points.
    epidermis_um : numpy.ndarray
        Depth of the dermo-epidermal junction at the treated site, um.
    response : numpy.ndarray
        Individual responsiveness, multiplier (log-normal, age-adjusted; dimensionless).
    rating_noise : numpy.ndarray
        Standard logistic draw: how a rater at follow-up sees this patient's scars (dimensionless).
    healing_rate : numpy.ndarray
        Multiplier of the fibroblasts' proliferation rate, slower with age (dimensionless).
    alba : numpy.ndarray of bool
        Whether the patient's striae are white (alba) rather than red (rubra) or not typed.
    scar_type_draw : numpy.ndarray
        Uniform draw on [0, 1) that decides whether the patient's acne scars are mostly distensible, tethered
        (rolling) ones: below the share ``distensible-scar-share`` they are (dimensionless).
    """

    age: np.ndarray
    female: np.ndarray
    fitzpatrick: np.ndarray
    grade: np.ndarray
    severity: np.ndarray
    score: np.ndarray
    epidermis_um: np.ndarray
    response: np.ndarray
    rating_noise: np.ndarray
    healing_rate: np.ndarray
    alba: np.ndarray
    scar_type_draw: np.ndarray

    @property
    def n(self) -> int:
        """Number of patients."""
        return int(self.age.size)

    def tile(self, times: int) -> Patients:
        """Return the cohort repeated ``times`` times (patient i is row k * n + i of the k-th copy).

        Parameters
        ----------
        times : int
            Copies.

        Returns
        -------
        Patients
            ``times * n`` patients.
        """
        return Patients(*(np.tile(getattr(self, f.name), times) for f in fields(self)))

    def with_response_spread(self, sampled: float, spread: np.ndarray | float) -> Patients:
        """Return the same patients with the responsiveness of another spread, on the same standard normal deviate.

        ``response`` is drawn as ``exp(N(-sampled**2 / 2, sampled))`` (``healing-rate-variability``); each
        row gets ``exp(-s**2 / 2 + s z)`` with its own spread ``s`` from ``spread`` (a number or one per
        row) and the deviate ``z`` it was drawn with, so a parameter draw with a wider spread spreads the
        same patients wider.

        Parameters
        ----------
        sampled : float
            The spread ``response`` was drawn with (log scale).
        spread : numpy.ndarray or float
            The new spread (log scale): one number, or one per patient.

        Returns
        -------
        Patients
            A copy with ``response`` redrawn on the same deviates.
        """
        z = (np.log(self.response) + 0.5 * sampled**2) / sampled if sampled > 0 else np.zeros(self.n)
        s = np.broadcast_to(np.asarray(spread, float), (self.n,))
        return replace(self, response=np.exp(-0.5 * s**2 + s * z))


def sample_patients(
    n: int,
    rng: np.random.Generator,
    site: Site,
    *,
    grade: int | dict[int, float] | None = None,
    fitzpatrick: int | list[int] | None = None,
    sex: str | None = None,
    age: float | tuple[float, float] | None = None,
    striae_type: str | None = None,
    parameters: ParameterValues | None = None,
) -> Patients:
    """Draw ``n`` virtual patients.

    Parameters
    ----------
    n : int
        Number of patients (1-10,000,000).
    rng : numpy.random.Generator
        Seeded generator.
    site : Site
        The treated site: sets the spread of the epidermal thickness.
    grade : int or {grade: weight}, optional
        Baseline grade (0-4) or a distribution over grades (default: grade 3).
    fitzpatrick : int or list of int, optional
        A type or types to draw uniformly from (default I-VI uniformly).
    sex : {"female", "male"}, optional
        Fix the sex; otherwise it is drawn from the cohort's sex mix.
    age : float or (low, high), optional
        Age in years, or the range to draw it from (default: the named cohort age range).
    striae_type : {"rubra", "alba"}, optional
        The type of stretch marks (default: not typed, treated as rubra).
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    Patients
        The ``n`` patients, one array per feature.
    """
    pv = resolve(parameters)
    check_range("n", n, low=1, high=10_000_000)
    if striae_type not in (None, "rubra", "alba"):
        raise InputError(f"striae type {str(striae_type)[:20]!r} is not rubra or alba; give one of them")
    if isinstance(grade, dict):
        grades = np.array(sorted(grade))
        w = np.array([grade[g] for g in grades], float)
        g = rng.choice(grades, size=n, p=w / w.sum())
    else:
        g = np.full(n, 3 if grade is None else int(grade))
    fitz_choices = [fitzpatrick] if isinstance(fitzpatrick, int) else (fitzpatrick or [1, 2, 3, 4, 5, 6])
    fitz = rng.choice(np.array(fitz_choices), size=n)
    female = rng.random(n) < pv.value("cohort-female-fraction") if sex is None else np.full(n, sex == "female")
    if age is None:
        ages = rng.uniform(pv.value("cohort-age-min"), pv.value("cohort-age-max"), n)
    elif isinstance(age, tuple):
        ages = rng.uniform(age[0], age[1], n)
    else:
        ages = np.full(n, float(age))
    severity = np.where(g > 0, g + rng.uniform(-0.5, 0.5, n), 0.0)
    score = np.where(
        g > 0,
        pv.value("acne-score-per-grade") * severity * np.exp(rng.normal(0.0, pv.value("acne-score-spread"), n)),
        0.0,
    )
    # depth of the dermo-epidermal junction (SC + viable epidermis), with the site's spread, by sex
    epi = np.empty(n)
    for is_f, sx in ((True, "female"), (False, "male")):
        mask = female == is_f
        b = site.layer_bottoms_um(sx)["viable_epidermis"]
        sd = float(np.hypot(site.thickness_um("stratum_corneum", sx)[1], site.thickness_um("viable_epidermis", sx)[1]))
        epi[mask] = np.maximum(pv.value("cohort-epidermis-min-depth"), rng.normal(b, sd, int(mask.sum())))
    sigma = pv.value("healing-rate-variability")
    age_factor = np.clip(
        1.0 - pv.value("healing-age-effect") * (ages - pv.value("healing-age-reference")),
        pv.value("healing-age-factor-min"),
        pv.value("healing-age-factor-max"),
    )
    resp = np.exp(rng.normal(-0.5 * sigma**2, sigma, n))
    rating = rng.logistic(0.0, 1.0, n)
    alba = np.full(n, striae_type == "alba")
    scar_type = rng.random(n)  # drawn last: every earlier draw is the same as without it
    return Patients(ages, female, fitz, g, severity, score, epi, resp, rating, age_factor, alba, scar_type)
