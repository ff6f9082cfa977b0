"""In-silico trials: arms, inclusion, protocol per arm, follow-up and endpoints, from a TOML file.

A trial file::

    [trial]
    name = "Dogra 2014"
    source = "Dogra2014"              # bibliography key of the trial reproduced
    indication = "acne-scars"
    site = "cheek"
    follow_up_weeks = 4
    n = 30                            # virtual patients per arm (--n overrides)
    patients = 30                     # optional: real patients per arm in the published trial

    [trial.inclusion]                 # all optional
    grade = {2 = 1, 3 = 2, 4 = 1}     # a grade, or weights over grades
    fitzpatrick = [4, 5]
    age = [18, 40]
    sex = "male"

    [[trial.arm]]
    name = "needling"
    [trial.arm.protocol]              # as in a protocol file (blocks, continuous)
    [[trial.arm.protocol.block]]
    sessions = 5
    interval_weeks = 4
    steps = ["Roll 1.5 mm, 15 passes, 3 directions"]

    [[trial.endpoint]]
    name = "score_change_pct"
    published = -44.6                 # optional: the trial's own number (or {arm name = value, ...})
    role = "calibration"              # or "prediction"

Patients are simulated in chunks of fixed size with seeds derived from (seed, arm, chunk), so the
result is the same whatever the number of workers; chunks run locally or on Dask.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from needling.anatomy import get_site
from needling.cohort.engine import CohortRun, run_cohort
from needling.cohort.population import sample_patients
from needling.cohort.series import check_indication
from needling.errors import InputError, check_range, unknown_name_error
from needling.figures import draw
from needling.files import read_toml
from needling.parameters import ParameterValues, resolve
from needling.protocol import Protocol, protocol_from_dict

CHUNK = 20_000

#: Endpoints a trial may ask for, and how each is read off a cohort run at the end of follow-up.
ENDPOINTS: dict[str, str] = {
    "grade_mean": "mean Goodman & Baron grade",
    "score_mean": "mean quantitative score",
    "score_change_pct": "change of the mean quantitative score, %",
    "improved_one_grade_or_more": "fraction improved by at least one grade",
    "improved_two_grades_or_more": "fraction improved by at least two grades",
    "collagen_change_pct": "change of dermal collagen, %",
    "epidermis_change_pct": "change of epidermal thickness, %",
    "hair_count_change": "change of hair count per cm2",
    "improvement_pct": "improvement of the scar's severity, %",
    "pih": "probability of post-inflammatory hyperpigmentation",
    "tram_track": "probability of tram-track scarring",
    "prolonged_erythema": "probability of erythema beyond a week",
}
for _g in range(1, 5):
    for _to in range(5):
        ENDPOINTS[f"grade_{_g}_to_{_to}"] = f"fraction of baseline grade {_g} ending at grade {_to}"

#: Endpoints the model gives for every indication: tissue response and adverse events.
_COMMON = ("collagen_change_pct", "epidermis_change_pct", "pih", "tram_track", "prolonged_erythema")
_ACNE = tuple(k for k in ENDPOINTS if k.startswith(("grade_", "score_", "improved_")))


def producible_endpoints(indication: str) -> tuple[str, ...]:
    """The endpoints the outcome model can produce for ``indication``.

    Acne scars have Goodman & Baron grades and the quantitative score; androgenetic alopecia has hair
    counts; topical delivery has only the tissue response; every other indication has an improvement
    percentage. Collagen, epidermis and adverse events belong to all.

    Parameters
    ----------
    indication : str
        One of :data:`needling.cohort.series.INDICATIONS`.

    Returns
    -------
    tuple of str
        Endpoint names a trial file may ask for.
    """
    if indication == "acne-scars":
        return _ACNE + _COMMON
    if indication == "androgenetic-alopecia":
        return ("hair_count_change", *_COMMON)
    if indication == "topical-delivery":
        return _COMMON
    return ("improvement_pct", *_COMMON)


def _why_not(name: str) -> str:
    if name == "hair_count_change":
        return "hair counts come only from androgenetic-alopecia"
    if name == "improvement_pct":
        return "an improvement percentage is given for striae, wrinkles, fine lines, scars, pih and melasma"
    return "grades and scores come only from acne-scars"


@dataclass
class Arm:
    """One arm of a trial file: its name, protocol and the real patients in it.

    Attributes
    ----------
    name : str
        The arm's name.
    protocol : Protocol
        What the arm's patients received.
    patients : int or None
        Real patients in this arm of the published trial (None: not given).
    """

    name: str
    protocol: Protocol
    #: Real patients in this arm of the published trial (None: not given).
    patients: int | None = None


@dataclass
class Endpoint:
    """An endpoint a trial file asks for, with its published value and role.

    Attributes
    ----------
    name : str
        One of :func:`producible_endpoints` for the trial's indication.
    published : float, dict of str to float, or None
        The published value (one for every arm, or per arm), in the endpoint's unit.
    role : {"prediction", "calibration"}
        Whether the value was used to fit the model.
    note : str
        Where the value was read and how.
    """

    name: str
    published: float | dict[str, float] | None = None
    role: str = "prediction"
    note: str = ""

    def published_for(self, arm: str) -> float | None:
        """Return the published value for an arm (a table of values by arm, or one value for every arm).

        Parameters
        ----------
        arm : str
            The arm's name.

        Returns
        -------
        float or None
            The value, in the endpoint's unit; None where the arm has none.
        """
        if isinstance(self.published, dict):
            return self.published.get(arm)
        return self.published


@dataclass
class Trial:
    """A parsed trial file.

    Attributes
    ----------
    name, source : str
        The trial's name and its bibliography key.
    indication, site : str
        What was treated, and where.
    follow_up_weeks : float
        Weeks after the last session at which the endpoints are read.
    n : int
        Virtual patients per arm by default.
    inclusion : dict
        The patients' features (``grade``, ``fitzpatrick``, ``sex``, ``age``), all optional.
    arms : list of Arm
        The arms.
    endpoints : list of Endpoint
        The endpoints with their published values.
    path : str
        The file it was read from.
    """

    name: str
    source: str
    indication: str
    site: str
    follow_up_weeks: float
    n: int
    inclusion: dict[str, Any]
    arms: list[Arm]
    endpoints: list[Endpoint]
    path: str = ""

    def patients_in(self, arm: str) -> int | None:
        """Return the real patients in ``arm`` of the published trial (the arm's own ``patients``, else the trial's).

        Parameters
        ----------
        arm : str
            The arm's name.

        Returns
        -------
        int or None
            Number of patients; None when the file does not say.
        """
        for a in self.arms:
            if a.name == arm:
                return a.patients
        return None


def _need(table: dict, key: str, where: str) -> Any:
    if key not in table:
        raise InputError(f"trial file: {where} lacks '{key}'", field=f"{where}.{key}")
    return table[key]


def _patients(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1_000_000:
        raise InputError(f"{where} {value!r}: give the real patients per arm, a whole number 1-1000000", field=where)
    return value


def load_trial(path: str | Path) -> Trial:
    """Read and validate a trial file; a missing field is one line naming it.

    Parameters
    ----------
    path : str or Path
        The trial file (TOML).

    Returns
    -------
    Trial
        The parsed trial.

    Raises
    ------
    InputError
        For a file that cannot be read or a field that is missing or invalid.
    """
    path = Path(path)
    t = _need(read_toml(path, "trial"), "trial", "file")
    indication = check_indication(_need(t, "indication", "trial"))
    site = _need(t, "site", "trial")
    get_site(site)
    arms_raw = _need(t, "arm", "trial")
    if not isinstance(arms_raw, list) or not arms_raw:
        raise InputError("trial file: [[trial.arm]] must list at least one arm", field="trial.arm")
    indication_ends = producible_endpoints(indication)
    trial_patients = _patients(t.get("patients"), "trial.patients")
    arms = []
    for i, a in enumerate(arms_raw):
        name = _need(a, "name", f"trial.arm[{i}]")
        protocol = protocol_from_dict(_need(a, "protocol", f"trial.arm[{i}]"), f"trial.arm[{i}].protocol")
        own = _patients(a.get("patients"), f"trial.arm[{i}].patients")
        arms.append(Arm(name, protocol, own if own is not None else trial_patients))
    eps = []
    for i, e in enumerate(_need(t, "endpoint", "trial")):
        name = _need(e, "name", f"trial.endpoint[{i}]")
        if name not in ENDPOINTS:
            raise unknown_name_error("endpoint", name, ENDPOINTS, field=f"trial.endpoint[{i}].name")
        if name not in indication_ends:
            raise InputError(
                f"trial.endpoint[{i}] {name!r} cannot be produced for indication {indication!r}: {_why_not(name)}",
                field=f"trial.endpoint[{i}].name",
            )
        role = e.get("role", "prediction")
        if role not in ("calibration", "prediction"):
            raise InputError(f"trial.endpoint[{i}].role {role!r}; valid: calibration, prediction", field="role")
        eps.append(Endpoint(name, e.get("published"), role, e.get("note", "")))
    inclusion = dict(t.get("inclusion", {}))
    if "grade" in inclusion:
        g = inclusion["grade"]
        grades = [int(k) for k in g] if isinstance(g, dict) else [g]
        for x in grades:
            check_range("trial.inclusion.grade", x, low=0, high=4)
        if isinstance(g, dict):
            inclusion["grade"] = {int(k): float(v) for k, v in g.items()}
    follow = float(_need(t, "follow_up_weeks", "trial"))
    check_range("trial.follow_up_weeks", follow, low=0.0, high=520.0, unit="weeks")
    return Trial(
        str(_need(t, "name", "trial")),
        str(t.get("source", "")),
        indication,
        site,
        follow,
        int(t.get("n", 100)),
        inclusion,
        arms,
        eps,
        str(path),
    )


def chunk_stats(
    trial: Trial,
    arm_index: int,
    chunk_index: int,
    size: int,
    seed: int,
    parameters: ParameterValues | None = None,
) -> dict[str, np.ndarray]:
    """Compute the sufficient statistics (sum, sum of squares, count) of every endpoint over one chunk of patients.

    Parameters
    ----------
    trial : Trial
        The trial.
    arm_index, chunk_index : int
        The arm and the chunk (together with ``seed`` they seed the chunk's patients).
    size : int
        Patients in the chunk.
    seed : int
        The trial's seed.
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    dict of str to numpy.ndarray
        Per endpoint its sums, plus the sources used.
    """
    pv = resolve(parameters)
    rng = np.random.default_rng(np.random.SeedSequence([seed, arm_index, chunk_index]))
    site = get_site(trial.site)
    inc = trial.inclusion
    age = tuple(inc["age"]) if isinstance(inc.get("age"), list) else inc.get("age")
    patients = sample_patients(
        size,
        rng,
        site,
        grade=inc.get("grade"),
        fitzpatrick=inc.get("fitzpatrick"),
        sex=inc.get("sex"),
        age=age,
        parameters=pv,
    )
    run = run_cohort(
        trial.arms[arm_index].protocol,
        site,
        patients,
        trial.follow_up_weeks,
        trial.indication,
        parameters=pv,
        end_only=True,
    )
    values = endpoint_values(run, trial.indication)
    out = {}
    for name, (vals, mask) in values.items():
        v = vals[mask]
        out[name] = np.array([v.sum(), (v * v).sum(), v.size], float)
    out["_baseline_score"] = np.array([run.score[:, 0].sum(), 0.0, size], float)
    out["_sources"] = run.sources
    return out


def endpoint_values(run: CohortRun, indication: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Return the per-patient value of each endpoint at the end of follow-up, with the mask of patients it applies to.

    Parameters
    ----------
    run : CohortRun
        The arm's cohort run.
    indication : str
        The trial's indication.

    Returns
    -------
    dict of str to (numpy.ndarray, numpy.ndarray)
        Per endpoint: the values (in the endpoint's unit) and a boolean mask of the patients counted.
    """
    n = run.grade.shape[0]
    allp = np.ones(n, bool)
    g0, g1 = run.grade[:, 0].astype(int), run.grade[:, -1].astype(int)
    out = {
        "grade_mean": (g1.astype(float), allp),
        "score_mean": (run.score[:, -1], allp),
        "score_change_pct": (run.score[:, -1], allp),  # turned into a change of the means after reduction
        "improved_one_grade_or_more": ((g0 - g1 >= 1).astype(float), allp),
        "improved_two_grades_or_more": ((g0 - g1 >= 2).astype(float), allp),
        "collagen_change_pct": (100.0 * (run.collagen_rel[:, -1] - 1.0), allp),
        "epidermis_change_pct": (100.0 * (run.epidermis_rel[:, -1] - 1.0), allp),
        "hair_count_change": (run.hair_gain[:, -1], allp),
        "improvement_pct": (run.improvement_pct[:, -1], allp),
        "pih": (run.pih, allp),
        "tram_track": (run.tram_track, allp),
        "prolonged_erythema": (run.prolonged_erythema, allp),
    }
    for g in range(1, 5):
        for to in range(5):
            out[f"grade_{g}_to_{to}"] = ((g1 == to).astype(float), g0 == g)
    return out


@dataclass(frozen=True)
class EndpointResult:
    """One endpoint of one arm: mean, 95 % interval, patients counted, and the published value with its role.

    With the posterior (the default of :func:`run_trial`), ``ci95`` is the posterior predictive interval
    of the arm's mean for the trial's real patients, ``pi95`` that of one patient's own value (where an
    endpoint is a value per patient; otherwise ``pi95_note`` says why there is none) and ``evidence`` the
    calibration trials and patients behind it; without it, ``ci95`` is the Monte-Carlo interval of the
    virtual patients' mean at the given parameters.
    Read it as attributes (``e.mean``, ``e.ci95``); ``e["mean"]`` reads the JSON document's keys.

    Attributes
    ----------
    mean : float or None
        The arm's mean, in the endpoint's unit (None where no patient counts).
    low, high : float or None
        The 95 % interval of the mean (see above).
    n : int
        Virtual patients counted.
    published : float or None
        The published value, in the endpoint's unit.
    role : str or None
        ``calibration`` or ``prediction`` where published.
    note : str
        Where the published value was read.
    pi95 : (float, float) or None
        The 95 % interval of one patient's own value.
    evidence : dict or None
        Calibration trials and patients behind the prediction (with the posterior).
    pi95_note : str or None
        Why there is no ``pi95``.
    """

    mean: float | None
    low: float | None
    high: float | None
    n: int
    published: float | None = None
    role: str | None = None
    note: str = ""
    pi95: tuple[float, float] | None = None
    evidence: dict[str, Any] | None = None
    pi95_note: str | None = None

    @property
    def ci95(self) -> tuple[float | None, float | None]:
        """The 95 % interval of the mean (low, high)."""
        return self.low, self.high

    def to_json(self) -> dict[str, Any]:
        """Return the endpoint as in ``needling trial --json``: published and role only where published, a note if any.

        Returns
        -------
        dict
            ``mean``, ``ci95``, ``n`` and, where set, ``published``, ``role``, ``pi95``, ``pi95_note``,
            ``evidence`` and ``note``.
        """
        out: dict[str, Any] = {"mean": self.mean, "ci95": [self.low, self.high], "n": self.n}
        if self.evidence is not None:
            out["pi95"] = None if self.pi95 is None else list(self.pi95)
            if self.pi95 is None and self.pi95_note:
                out["pi95_note"] = self.pi95_note
            out["evidence"] = self.evidence
        if self.published is not None:
            out.update(published=self.published, role=self.role)
        if self.note:
            out["note"] = self.note
        return out

    def __getitem__(self, key: str) -> Any:
        return self.to_json()[key]

    def get(self, key: str, default: Any = None) -> Any:
        """Read a key of the JSON document, with a default.

        Parameters
        ----------
        key : str
            A key of :meth:`to_json`.
        default : object
            What to return when the key is absent.

        Returns
        -------
        object
            The value, or ``default``.
        """
        return self.to_json().get(key, default)


@dataclass
class ArmResult:
    """One arm of a trial: its name, patients and endpoints.

    Attributes
    ----------
    name : str
        The arm's name.
    n : int
        Virtual patients.
    endpoints : dict of str to EndpointResult
        Each endpoint's result.
    """

    name: str
    n: int
    endpoints: dict[str, EndpointResult]


@dataclass
class TrialResult:
    """A trial reproduced: every arm's endpoints against the published values.

    Attributes
    ----------
    trial : Trial
        The trial run.
    n : int
        Virtual patients per arm.
    seed : int
        The seed.
    arms : list of ArmResult
        Each arm's endpoints.
    sources : list of str
        Evidence keys of every number used.
    """

    trial: Trial
    n: int
    seed: int
    arms: list[ArmResult]
    sources: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the stable ``needling trial --json`` document.

        Returns
        -------
        dict
            The trial's name, source, indication, ``n``, ``seed``, every arm with its endpoints, and ``sources``.
        """
        return {
            "trial": self.trial.name,
            "source": self.trial.source,
            "indication": self.trial.indication,
            "n": self.n,
            "seed": self.seed,
            "arms": [
                {"name": a.name, "n": a.n, "endpoints": {k: e.to_json() for k, e in a.endpoints.items()}}
                for a in self.arms
            ],
            "sources": self.sources,
        }

    def plot(self, path: str | Path) -> Path:
        """Draw the figure: per-arm endpoints with their 95 % intervals against the published numbers.

        Parameters
        ----------
        path : str or Path
            A .png or .svg file.

        Returns
        -------
        Path
            The file written.
        """
        return draw("trial", self, path)


def reduce_stats(
    trial: Trial, parts: list[dict[str, np.ndarray]], arm: str = "", parameters: ParameterValues | None = None
) -> dict[str, EndpointResult]:
    """Return the mean and 95 % interval of each endpoint from the chunks' statistics (summed in chunk order).

    Parameters
    ----------
    trial : Trial
        The trial (its endpoints and published values).
    parts : list of dict
        :func:`chunk_stats` of every chunk of the arm.
    arm : str
        The arm's name (for its published values).
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    dict of str to EndpointResult
        Per endpoint.
    """
    z = resolve(parameters).value("ci95-z-value")
    total: dict[str, np.ndarray] = {}
    for part in parts:
        for k, v in part.items():
            if k == "_sources":
                continue
            total[k] = total.get(k, 0.0) + v
    out: dict[str, EndpointResult] = {}
    base = total["_baseline_score"]
    for ep in trial.endpoints:
        s, ss, c = total[ep.name]
        if c == 0:
            out[ep.name] = EndpointResult(None, None, None, 0)
            continue
        mean = s / c
        var = max(ss / c - mean**2, 0.0)
        half = z * math.sqrt(var / c)
        if ep.name == "score_change_pct":
            b = base[0] / base[2]
            mean, half = 100.0 * (mean / b - 1.0), 100.0 * half / b
        published = ep.published_for(arm)
        out[ep.name] = EndpointResult(
            round(float(mean), 4),
            round(float(mean - half), 4),
            round(float(mean + half), 4),
            int(c),
            published,
            ep.role if published is not None else None,
            ep.note or "",
        )
    return out


def chunk_plan(n: int) -> list[int]:
    """Return the sizes of the fixed chunks that make ``n`` patients.

    Parameters
    ----------
    n : int
        Patients in the arm.

    Returns
    -------
    list of int
        Chunk sizes, summing to ``n``.
    """
    full, rest = divmod(n, CHUNK)
    return [CHUNK] * full + ([rest] if rest else [])


def run_trial(
    trial: Trial | str | Path,
    n: int | None = None,
    seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    progress=None,
    parameters: ParameterValues | None = None,
    posterior: Any = "auto",
) -> TrialResult:
    """Run every arm of ``trial`` with ``n`` virtual patients each.

    Parameters
    ----------
    trial : Trial, or str or Path
        A trial, or the path of a trial file.
    n : int, optional
        Patients per arm (default: the trial file's n).
    seed : int
        Seed of the virtual patients (each chunk derives its own).
    workers : int, optional
        Run the chunks on a local Dask cluster with this many worker processes.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``).
    progress : callable, optional
        Called with (done, total) after each chunk.
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`); sent to every chunk.
    posterior : Posterior, "auto" or None
        Integrate over these posterior draws (:mod:`needling.cohort.bayes`): each endpoint's mean is
        averaged over them, ``ci95`` becomes the predictive interval of the arm's mean for its real
        patients, with ``pi95`` and ``evidence``. ``"auto"``: the shipped posterior when ``parameters`` is
        not given, none when it is (then the result is that one parameter set's, with the Monte-Carlo
        interval). None: never.

    Returns
    -------
    TrialResult
        Every arm's endpoints against the published values.
    """
    pv = resolve(parameters)
    if not isinstance(trial, Trial):
        trial = load_trial(trial)
    n = trial.n if n is None else n
    check_range("n", n, low=1, high=100_000_000)
    tasks = [(a, c, size) for a in range(len(trial.arms)) for c, size in enumerate(chunk_plan(n))]
    if workers is None and scheduler is None:
        parts = []
        for i, (a, c, size) in enumerate(tasks):
            parts.append(chunk_stats(trial, a, c, size, seed, pv))
            if progress:
                progress(i + 1, len(tasks))
    else:
        from needling.cohort.distributed import run_chunks

        parts = run_chunks(
            partial(chunk_stats, parameters=pv),
            trial,
            tasks,
            seed,
            workers=workers,
            scheduler=scheduler,
            progress=progress,
        )
    sources = sorted({s for p in parts for s in p["_sources"]} | ({trial.source} if trial.source else set()))
    if posterior == "auto":
        posterior = _shipped_posterior() if parameters is None else None
    arms = []
    for a, arm in enumerate(trial.arms):
        mine = [p for (ai, _, _), p in zip(tasks, parts, strict=True) if ai == a]
        endpoints = reduce_stats(trial, mine, arm.name, pv)
        if posterior is not None:
            endpoints = _integrate(trial, a, endpoints, posterior, n, seed, pv)
        arms.append(ArmResult(arm.name, n, endpoints))
    if posterior is not None:
        sources = sorted(set(sources) | {"KennedyOHagan2001"} | set(posterior.doc.get("calibration_trials", [])))
    return TrialResult(trial, n, seed, arms, sources)


def _shipped_posterior() -> Any:
    from needling.cohort.bayes.posterior import shipped

    return shipped()


def _integrate(
    trial: Trial, arm: int, endpoints: dict[str, EndpointResult], posterior: Any, n: int, seed: int, pv: ParameterValues
) -> dict[str, EndpointResult]:
    """The endpoints with mean, ci95, pi95 and evidence from the posterior predictive."""
    from dataclasses import replace

    from needling.cohort.bayes.predict import predict_arm

    predicted = predict_arm(trial, arm, posterior, n, seed, pv)
    out = {}
    for name, e in endpoints.items():
        p = predicted.get(name)
        out[name] = (
            e
            if p is None
            else replace(
                e,
                mean=p.mean,
                low=p.ci95[0],
                high=p.ci95[1],
                pi95=p.pi95,
                evidence=p.evidence,
                pi95_note=p.pi95_note,
            )
        )
    return out
