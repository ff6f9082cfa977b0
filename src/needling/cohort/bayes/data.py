"""Published endpoints as calibration data: family, transformed value and sampling error of each.

Each endpoint belongs to a family that shares a trial's random effect and a transform to an unbounded
scale: fractions of patients (grades, responders, adverse events) on the logit scale; a change in %
of a score on the logit scale of the ratio after/before (-44.6 % is the ratio 0.554, logit 0.217); an
improvement in % (0-100) on the logit scale of its fraction; a hair-count change and a change in % of a
tissue (histology: collagen, epidermis) on the log scale of their size, with the sign kept
(:func:`sign_of`), so a trial's effect and the model discrepancy scale the size of the change and a gain
stays a gain (+53 % is log 53). On the ratio scale a new trial's effect could turn a tissue's gain into a
loss of half of it, which needling does not do on average.

A treated arm's mean score lies between none and its baseline: the model lowers a patient's score or
leaves it (needling and its combinations never raise the latent severity), and every score change the
evidence sheet reports for a treated arm is a fall (Dogra 2014 -44.6 %, Al Chalabi 2020 -52.5 %, Garg &
Chaudhary -5.9 to -47.1 % by scar type). On the log scale of the ratio (measurement model 2) a trial's
effect was unbounded above: Dogra 2014 predicted from Al Chalabi 2020 alone had a 90 % interval reaching
+298 %, an arm ending with four times the scars it started with. On the logit scale the interval stays
within -100 % and 0 %, and near either end a trial's effect moves the ratio less, as for a fraction.
An absolute mean score (``score_mean``) depends on the trial's own baseline and scale: it has a family of
its own, ``score-level``, on the log scale of its size.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from needling.cohort.trial import ENDPOINTS, Trial, TrialResult, load_trial

#: Endpoint family by endpoint name prefix; a family shares one random effect per trial.
FAMILIES = ("hair", "histology", "score", "grade", "adverse", "improvement", "score-level")
LOGIT_FAMILIES = ("grade", "adverse")
RATIO_FAMILIES = ("score",)
#: Families on the log scale of the size of the change, sign kept.
SIZE_FAMILIES = ("hair", "histology", "score-level")
_MIN_SIZE = 1e-3
_MIN_RATIO = 1e-3
#: Version of the transforms below (:func:`to_z`, :func:`from_z`, :func:`slope`, :func:`family_of`): raise it when
#: one of them changes, so that a posterior fitted on the old scales no longer matches (see
#: :func:`measurement_model`). 2: tissue changes on the log scale of their size. 3: a score's change on the logit
#: scale of the ratio after/before (bounded by none and the baseline); an absolute mean score in a family of its own.
MEASUREMENT_MODEL_VERSION = 3


def family_of(endpoint: str) -> str:
    """Return the family of an endpoint (see :data:`FAMILIES`).

    Parameters
    ----------
    endpoint : str
        An endpoint's name.

    Returns
    -------
    str
        Its family.
    """
    if endpoint == "hair_count_change":
        return "hair"
    if endpoint in ("collagen_change_pct", "epidermis_change_pct"):
        return "histology"
    if endpoint == "score_change_pct":
        return "score"
    if endpoint == "score_mean":
        return "score-level"
    if endpoint in ("pih", "tram_track", "prolonged_erythema"):
        return "adverse"
    if endpoint == "improvement_pct":
        return "improvement"
    return "grade"  # grade_mean, improved_*, grade_g_to_k


def measurement_model() -> list[object]:
    """Describe the measurement model (families, their scales and bounds, the version of the transforms).

    The cohort model's fingerprint includes it, so a posterior fitted with other scales no longer matches.

    Returns
    -------
    list
        JSON-serialisable description.
    """
    return [
        MEASUREMENT_MODEL_VERSION,
        list(FAMILIES),
        list(LOGIT_FAMILIES),
        list(RATIO_FAMILIES),
        list(SIZE_FAMILIES),
        _MIN_SIZE,
        _MIN_RATIO,
        {e: family_of(e) for e in ENDPOINTS},  # every endpoint a trial file may name,
    ]


def sign_of(family: str, value: float) -> float:
    """Return the sign a family's value keeps on its transformed scale: -1 for a loss in a size family, else 1.

    Parameters
    ----------
    family : str
        One of :data:`FAMILIES`.
    value : float
        A value in the endpoint's unit (a published value or the model's mean).

    Returns
    -------
    float
        -1.0 for a negative value of a family in :data:`SIZE_FAMILIES`, else 1.0.
    """
    return -1.0 if (family in SIZE_FAMILIES and value < 0) else 1.0


def _logit(p: np.ndarray | float) -> np.ndarray:
    return np.log(p) - np.log1p(-np.asarray(p))


def _ratio(change_pct: np.ndarray | float) -> np.ndarray:
    """A score's ratio after/before from its change in %, kept within ``_MIN_RATIO`` of 0 and 1."""
    return np.clip(1.0 + np.asarray(change_pct, float) / 100.0, _MIN_RATIO, 1.0 - _MIN_RATIO)


def to_z(family: str, value: np.ndarray | float, sign: float = 1.0, n: float = 1000.0) -> np.ndarray:
    """Return the transformed value (see the module's docstring); fractions kept inside 0.5/n of 0 and 1.

    Parameters
    ----------
    family : str
        One of :data:`FAMILIES`.
    value : numpy.ndarray or float
        Values in the endpoint's unit.
    sign : float
        +1, or -1 for a hair-count or tissue change that is a loss (its log is taken of the size).
    n : float
        Patients behind a fraction (sets how close to 0 and 1 it may come).

    Returns
    -------
    numpy.ndarray
        Values on the unbounded scale.
    """
    v = np.asarray(value, float)
    eps = 0.5 / n
    if family in LOGIT_FAMILIES:
        return _logit(np.clip(v, eps, 1.0 - eps))
    if family == "improvement":
        return _logit(np.clip(v / 100.0, eps, 1.0 - eps))
    if family in RATIO_FAMILIES:
        return _logit(_ratio(v))
    return np.log(np.maximum(sign * v, _MIN_SIZE))


def from_z(family: str, z: np.ndarray, sign: float = 1.0) -> np.ndarray:
    """Transform back from the unbounded scale to the endpoint's own.

    Parameters
    ----------
    family : str
        One of :data:`FAMILIES`.
    z : numpy.ndarray
        Values on the transformed scale.
    sign : float
        +1, or -1 for a hair-count or tissue change that is a loss (its log is taken of the size).

    Returns
    -------
    numpy.ndarray
        Values in the endpoint's unit (a fraction 0-1, %, or a hair-count change per cm2).
    """
    z = np.asarray(z, float)
    if family in LOGIT_FAMILIES:
        return 1.0 / (1.0 + np.exp(-z))
    if family == "improvement":
        return 100.0 / (1.0 + np.exp(-z))
    if family in RATIO_FAMILIES:
        return 100.0 * (1.0 / (1.0 + np.exp(-z)) - 1.0)
    return sign * np.exp(z)


def slope(family: str, value: float, sign: float = 1.0) -> float:
    """Return dz/dvalue at ``value``: it turns a standard error on the endpoint's scale into one on the z scale.

    Parameters
    ----------
    family : str
        One of :data:`FAMILIES`.
    value : float
        A value in the endpoint's unit.
    sign : float
        +1, or -1 for a hair-count or tissue change that is a loss (its log is taken of the size).

    Returns
    -------
    float
        The derivative of the transform at ``value``.
    """
    if family == "improvement":
        f = min(max(value / 100.0, 1e-3), 1 - 1e-3)
        return 1.0 / (100.0 * f * (1.0 - f))
    if family in RATIO_FAMILIES:
        r = float(_ratio(value))
        return 1.0 / (100.0 * r * (1.0 - r))
    return 1.0 / max(sign * value, _MIN_SIZE)


@dataclass(frozen=True)
class Datum:
    """One published number of one arm: where it is from, its family, transformed value and error.

    ``sd_z`` is the standard error of the published arm value on the transformed scale for the trial's
    real patients ``patients`` (binomial for fractions with half a patient added each side; the model's
    spread between patients divided by the square root of ``patients`` for means).

    Attributes
    ----------
    trial : str
        Name of the trial.
    source : str
        Evidence key of the trial's publication.
    arm : str
        Name of the arm.
    endpoint : str
        Name of the endpoint.
    family : str
        Endpoint family (one of ``FAMILIES``); sets the transformed scale.
    published : float
        The published arm value, in the endpoint's unit.
    sign : float
        -1 for a negative hair or tissue change (taken on the log scale of its size), else 1.
    patients : int
        The trial's real patients behind the value, count.
    role : {"calibration", "prediction"}
        Whether the value is fitted or held out.
    """

    trial: str
    source: str
    arm: str
    endpoint: str
    family: str
    published: float
    sign: float
    patients: int
    role: str

    @property
    def z(self) -> float:
        """The published value on the transformed scale."""
        if self.family in LOGIT_FAMILIES:
            x = self.published * self.patients
            return float(_logit((x + 0.5) / (self.patients + 1.0)))
        return float(to_z(self.family, self.published, self.sign))

    def binomial_sd_z(self) -> float:
        """Return the sampling error of a fraction on the logit scale (with half a patient added each side).

        Returns
        -------
        float
            Standard error on the logit scale.
        """
        p = (self.published * self.patients + 0.5) / (self.patients + 1.0)
        return 1.0 / math.sqrt((self.patients + 1.0) * p * (1.0 - p))


def shipped_trial_paths() -> list[Path]:
    """Return the trial files shipped with needling, in name order.

    Returns
    -------
    list of Path
        The ``needling/cohort/trials/*.toml`` files.
    """
    folder = resources.files("needling.cohort") / "trials"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".toml"))


def load_trials(paths: list[Path] | None = None) -> list[Trial]:
    """Load the trials of ``paths`` (default: every shipped trial).

    Parameters
    ----------
    paths : list of Path or None
        Trial files; None for :func:`shipped_trial_paths`.

    Returns
    -------
    list of Trial
        The parsed trials.
    """
    return [load_trial(p) for p in (paths if paths is not None else shipped_trial_paths())]


def _group_patients(trial: Trial, arm: str, endpoint: str) -> int:
    """Real patients behind an endpoint: the arm's, or the baseline grade's share of them."""
    n = trial.patients_in(arm) or trial.n
    if endpoint.startswith("grade_") and endpoint != "grade_mean":
        g = int(endpoint.split("_")[1])
        weights = trial.inclusion.get("grade")
        if isinstance(weights, dict) and g in weights:
            n = round(n * weights[g] / sum(weights.values()))
    return max(int(n), 1)


def collect(trials: list[Trial]) -> list[Datum]:
    """Collect every published endpoint of every arm of ``trials``, in file, arm and endpoint order.

    Parameters
    ----------
    trials : list of Trial
        The calibration trials.

    Returns
    -------
    list of Datum
        One per published number.
    """
    out = []
    for t in trials:
        for arm in t.arms:
            for ep in t.endpoints:
                value = ep.published_for(arm.name)
                if value is None:
                    continue
                fam = family_of(ep.name)
                sign = sign_of(fam, float(value))
                out.append(
                    Datum(
                        t.name,
                        t.source,
                        arm.name,
                        ep.name,
                        fam,
                        float(value),
                        sign,
                        _group_patients(t, arm.name, ep.name),
                        ep.role,
                    )
                )
    return out


def model_values(result: TrialResult, data: list[Datum]) -> tuple[np.ndarray, np.ndarray]:
    """The model's arm means for ``data`` (of this trial) and their per-patient standard deviations.

    The per-patient spread is read back from the Monte-Carlo interval of the mean over the virtual
    patients (half-width = z sd / sqrt(n)).

    Parameters
    ----------
    result : TrialResult
        The trial run at one parameter set.
    data : list of Datum
        The trial's published numbers.

    Returns
    -------
    tuple of numpy.ndarray
        Arm means and per-patient standard deviations, in the endpoints' units, one per datum.
    """
    z95 = 1.959963984540054
    means, sds = [], []
    for d in data:
        arm = next(a for a in result.arms if a.name == d.arm)
        e = arm.endpoints[d.endpoint]
        mean = float(e.mean) if e.mean is not None else float("nan")
        lo, hi = e.low, e.high
        half = 0.5 * (float(hi) - float(lo)) if lo is not None and hi is not None else 0.0
        means.append(mean)
        sds.append(half / z95 * math.sqrt(max(e.n, 1)))
    return np.array(means), np.array(sds)


def data_hash(trials: list[Trial], data: list[Datum]) -> str:
    """Return a short hash of the calibration data: every published number, its role and patients, the protocols.

    Parameters
    ----------
    trials : list of Trial
        The calibration trials.
    data : list of Datum
        Their published numbers.

    Returns
    -------
    str
        Hexadecimal digest (its first characters).
    """
    doc = [[d.source, d.arm, d.endpoint, d.published, d.patients, d.role] for d in data] + [
        [t.source, [a.protocol.describe() for a in t.arms], t.follow_up_weeks, t.inclusion] for t in trials
    ]
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()[:16]
