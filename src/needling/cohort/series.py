"""``run_series``: one kind of patient through a protocol, as a small seeded cohort with uncertainty."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from needling.anatomy import Site, get_site
from needling.cohort.engine import CohortRun, run_cohort
from needling.cohort.population import sample_patients
from needling.errors import InputError, check_range, unknown_name_error
from needling.figures import draw
from needling.parameters import ParameterValues, resolve
from needling.protocol import Protocol

INDICATIONS = (
    "acne-scars",
    "striae",
    "fine-lines",
    "wrinkles",
    "burn-scar",
    "trauma-scar",
    "androgenetic-alopecia",
    "pih",
    "melasma",
    "topical-delivery",
)
#: The weekly measure reported for each indication besides collagen.
MEASURE = {
    "acne-scars": "grade_mean",
    "androgenetic-alopecia": "hair_count_change_mean",
    "topical-delivery": "collagen_rel",
}


@dataclass(frozen=True)
class SeriesOutcome:
    """The outcome of a series at the end of follow-up: means over the virtual patients.

    Changes are in % (``collagen_change_pct``); grades are Goodman & Baron grades 0-4; the hair count change is
    per cm2. Measures that do not belong to the indication are None.

    Attributes
    ----------
    indication : str
        The indication.
    collagen_change_pct, epidermis_change_pct : float
        Change of dermal collagen and of epidermal thickness at the end of follow-up, %.
    grade_mean : float or None
        Mean Goodman & Baron grade, 0-4.
    grade_distribution : dict of str to float or None
        Share of patients per final grade, 0-1.
    score_mean : float or None
        Mean Goodman & Baron quantitative score, points.
    score_change_pct : float or None
        Change of the mean score, %.
    improved_one_grade_or_more : float or None
        Share of patients improved by at least one grade, 0-1.
    hair_count_change_mean : float or None
        Mean change of the hair count, per cm2.
    improvement_pct_mean : float or None
        Mean improvement on the indication's scale, %.
    """

    indication: str
    collagen_change_pct: float
    epidermis_change_pct: float
    grade_mean: float | None = None
    grade_distribution: dict[str, float] | None = None
    score_mean: float | None = None
    score_change_pct: float | None = None
    improved_one_grade_or_more: float | None = None
    hair_count_change_mean: float | None = None
    improvement_pct_mean: float | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the ``final`` document of ``series --json``: the indication's measures, in their stable order.

        Returns
        -------
        dict
            Collagen and epidermis change (%), mean grade and its distribution, and the indication's own
            measures.
        """
        out: dict[str, Any] = {
            "collagen_change_pct": self.collagen_change_pct,
            "epidermis_change_pct": self.epidermis_change_pct,
            "grade_mean": self.grade_mean,
            "grade_distribution": self.grade_distribution,
        }
        if self.indication == "acne-scars":
            out.update(
                score_mean=self.score_mean,
                score_change_pct=self.score_change_pct,
                improved_one_grade_or_more=self.improved_one_grade_or_more,
            )
        elif self.indication == "androgenetic-alopecia":
            out["hair_count_change_mean"] = self.hair_count_change_mean
        elif self.indication != "topical-delivery":
            out["improvement_pct_mean"] = self.improvement_pct_mean
        return out


@dataclass(frozen=True)
class AdverseEvents:
    """Probability of each adverse event over a series (0-1), mean over the virtual patients.

    Attributes
    ----------
    pih : float
        Post-inflammatory hyperpigmentation, 0-1.
    tram_track : float
        Tram-track scarring, 0-1.
    prolonged_erythema : float
        Redness lasting more than a week, 0-1.
    """

    pih: float
    tram_track: float
    prolonged_erythema: float

    def to_json(self) -> dict[str, float]:
        """Return the ``adverse_events`` document of ``series --json``.

        Returns
        -------
        dict of str to float
            ``pih``, ``tram_track`` and ``prolonged_erythema``, probabilities 0-1.
        """
        return {"pih": self.pih, "tram_track": self.tram_track, "prolonged_erythema": self.prolonged_erythema}


@dataclass
class SeriesResult:
    """Timeline and final outcome of a series for one kind of patient.

    Attributes
    ----------
    indication : str
        The indication.
    site : str
        The treated site.
    protocol : Protocol
        The series run.
    n : int
        Virtual patients.
    seed : int
        Their seed.
    run : CohortRun
        The per-patient weekly outputs (read through :meth:`timeline`, :meth:`outcome` and :meth:`risks`).
    sources : list of str
        Evidence keys of every number used.
    """

    indication: str
    site: str
    protocol: Protocol
    n: int
    seed: int
    run: CohortRun
    sources: list[str] = field(default_factory=list)

    def _measures(self) -> dict[str, np.ndarray]:
        r = self.run
        out = {"collagen_rel": r.collagen_rel}
        if self.indication == "acne-scars":
            out.update(grade=r.grade.astype(float), score=r.score)
        elif self.indication == "androgenetic-alopecia":
            out.update(hair_count_change=r.hair_gain)
        elif self.indication != "topical-delivery":
            out.update(improvement_pct=r.improvement_pct)
        return out

    def timeline(self) -> list[dict[str, float]]:
        """Return one entry per week: means, and 2.5-97.5 % bands of the indication's measure.

        Returns
        -------
        list of dict
            Per week: ``week`` and the measures' means and ``_p2_5`` / ``_p97_5`` bounds.
        """
        ms = self._measures()
        # grades are whole numbers per patient: their band is read off the continuous latent grade
        stats = {
            name: (
                arr.mean(axis=0),
                np.percentile(np.clip(self.run.severity, 0.0, 4.0) if name == "grade" else arr, [2.5, 97.5], axis=0),
            )
            for name, arr in ms.items()
        }
        rows = []
        for w, week in enumerate(self.run.weeks):
            row: dict[str, float] = {"week": float(week)}
            for name, (mean, band) in stats.items():
                key = name if name == "collagen_rel" else f"{name}_mean"
                row[key] = round(float(mean[w]), 4)
                row[f"{name}_p2_5"] = round(float(band[0, w]), 4)
                row[f"{name}_p97_5"] = round(float(band[1, w]), 4)
            rows.append(row)
        return rows

    def outcome(self) -> SeriesOutcome:
        """Return the outcome at the end of follow-up, typed (means over the cohort; the indication's measures).

        Returns
        -------
        SeriesOutcome
            The outcome.
        """
        r = self.run
        collagen = round(100.0 * float(r.collagen_rel[:, -1].mean() - 1.0), 2)
        epidermis = round(100.0 * float(r.epidermis_rel[:, -1].mean() - 1.0), 2)
        if self.indication == "acne-scars":
            g = r.grade[:, -1]
            return SeriesOutcome(
                self.indication,
                collagen,
                epidermis,
                grade_mean=round(float(g.mean()), 3),
                grade_distribution={str(k): round(float(np.mean(g == k)), 4) for k in range(5)},
                score_mean=round(float(r.score[:, -1].mean()), 3),
                score_change_pct=round(
                    100.0 * float(r.score[:, -1].mean() / max(r.score[:, 0].mean(), 1e-9) - 100.0 / 100.0), 2
                ),
                improved_one_grade_or_more=round(float(np.mean(r.grade[:, 0] - g >= 1)), 4),
            )
        if self.indication == "androgenetic-alopecia":
            hair = round(float(r.hair_gain[:, -1].mean()), 2)
            return SeriesOutcome(self.indication, collagen, epidermis, hair_count_change_mean=hair)
        if self.indication == "topical-delivery":
            return SeriesOutcome(self.indication, collagen, epidermis)
        improvement = round(float(r.improvement_pct[:, -1].mean()), 2)
        return SeriesOutcome(self.indication, collagen, epidermis, improvement_pct_mean=improvement)

    def final(self) -> dict[str, Any]:
        """Return the outcome at the end of follow-up, as in ``series --json`` (:meth:`outcome` is the typed form).

        Returns
        -------
        dict
            :meth:`SeriesOutcome.to_json` of :meth:`outcome`.
        """
        return self.outcome().to_json()

    def risks(self) -> AdverseEvents:
        """Return the probability of each adverse event over the series, mean over the cohort (typed).

        Returns
        -------
        AdverseEvents
            Probabilities, 0-1.
        """
        r = self.run
        return AdverseEvents(
            round(float(r.pih.mean()), 4),
            round(float(r.tram_track.mean()), 4),
            round(float(r.prolonged_erythema.mean()), 4),
        )

    def adverse_events(self) -> dict[str, float]:
        """Return the probability of each adverse event over the series, as in ``series --json``.

        Returns
        -------
        dict of str to float
            Probabilities, 0-1.
        """
        return self.risks().to_json()

    def to_json(self) -> dict[str, Any]:
        """Return the stable ``needling series --json`` document.

        Returns
        -------
        dict
            ``indication``, ``site``, ``n``, ``seed``, ``protocol``, ``timeline``, ``final``, ``adverse_events``
            and ``sources``.
        """
        return {
            "indication": self.indication,
            "site": self.site,
            "n": self.n,
            "seed": self.seed,
            "protocol": {"name": self.protocol.name, "sessions": self.protocol.describe()},
            "timeline": self.timeline(),
            "final": self.final(),
            "adverse_events": self.adverse_events(),
            "sources": self.sources,
        }

    def plot(self, path: str | Path) -> Path:
        """Draw the figure: collagen and the outcome week by week with 95 % bands.

        Parameters
        ----------
        path : str or Path
            A .png or .svg file.

        Returns
        -------
        Path
            The file written.
        """
        return draw("series", self, path)


def check_indication(indication: str) -> str:
    """Return ``indication`` if known, else raise an InputError listing the valid ones.

    Parameters
    ----------
    indication : str
        An indication's name.

    Returns
    -------
    str
        The same name.

    Raises
    ------
    InputError
        For an unknown indication.
    """
    if indication not in INDICATIONS:
        raise unknown_name_error("indication", indication, INDICATIONS, field="indication")
    return indication


def run_series(
    indication: str,
    site: str | Site,
    protocol: Protocol,
    grade: int | None = None,
    follow_up_weeks: float = 12.0,
    n: int = 200,
    seed: int = 0,
    fitzpatrick: int | None = None,
    sex: str | None = None,
    age: float | None = None,
    parameters: ParameterValues | None = None,
    posterior: Any = "auto",
    striae_type: str | None = None,
) -> SeriesResult:
    """One kind of patient through ``protocol``: a seeded cohort of ``n`` with its spread.

    Parameters
    ----------
    indication : str
        One of :data:`INDICATIONS`.
    site : str or Site
        The treated site.
    protocol : Protocol
        The sessions and continuous treatments.
    grade : int, optional
        Baseline Goodman & Baron grade 0-4 (acne scars; default 3) or severity class.
    follow_up_weeks : float
        Weeks after the last session.
    n, seed : int
        Cohort size and seed.
    fitzpatrick, sex, age : optional
        Fix these patient features; otherwise they are drawn.
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).
    posterior : Posterior, "auto" or None
        Share the virtual patients out among posterior draws (:mod:`needling.cohort.bayes`), so means and
        bands carry the parameters' uncertainty too. ``"auto"``: the shipped posterior when ``parameters``
        is not given, none when it is. None: never.
    striae_type : {"rubra", "alba"}, optional
        The type of stretch marks (striae): white striae reach a smaller share of the improvement ceiling
        (``striae-alba-response``); not typed counts as red.

    Returns
    -------
    SeriesResult
        The cohort's weekly outputs, outcome at the end of follow-up, risks and sources.
    """
    pv = resolve(parameters)
    check_indication(indication)
    if grade is not None:
        check_range("grade", grade, low=0, high=4)
        if int(grade) != grade:
            raise InputError(f"grade {grade} must be a whole number 0-4", field="grade")
    check_range("follow_up_weeks", follow_up_weeks, low=0.0, high=520.0, unit="weeks")
    if fitzpatrick is not None:
        check_range("fitzpatrick", fitzpatrick, low=1, high=6)
    st = site if isinstance(site, Site) else get_site(site)
    rng = np.random.default_rng(seed)
    if posterior == "auto":
        posterior = _shipped_posterior() if parameters is None else None
    if posterior is not None:
        from needling.cohort.bayes.predict import series_over_posterior

        run = series_over_posterior(
            protocol, st, n, rng, follow_up_weeks, indication, posterior, pv, grade=grade, fitzpatrick=fitzpatrick,
            sex=sex, age=age, striae_type=striae_type,
        )  # fmt: skip
        return SeriesResult(indication, st.name, protocol, n, seed, run, run.sources)
    patients = sample_patients(
        n, rng, st, grade=grade, fitzpatrick=fitzpatrick, sex=sex, age=age, striae_type=striae_type, parameters=pv
    )
    run = run_cohort(protocol, st, patients, follow_up_weeks, indication, parameters=pv)
    return SeriesResult(indication, st.name, protocol, n, seed, run, run.sources)


def _shipped_posterior() -> Any:
    from needling.cohort.bayes.posterior import shipped

    return shipped()
