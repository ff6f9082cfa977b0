"""The typed plan: :class:`Plan` with its :class:`Reason`, :class:`Region`, :class:`Combination` and :class:`HomeCare`.

Human-facing units are in the field names (a plan is an edge document, read by clinicians, patients and the
clinic's record). :meth:`Plan.to_json` gives exactly the keys of ``needling plan --json``: optional keys
(``device_note``, ``deferred_until``, a peel's ``offset_weeks`` and ``dates``, a finding's ``conflict``,
``until``, ``regions`` and ``values``) appear only where they were set, and a finding may carry further keys
of its rule. A stored plan document reads back with :meth:`Plan.from_json`. Read the parts as attributes
(``plan.regions[0].predicted.depth_um``); reading them by key (``region["device"]``, ``region.get(...)``) still
works, for code written against the JSON document.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

#: A number as the plan gives it: a whole number stays whole in the JSON (``"sessions": 6``, ``"frequency_weeks": 1``).
Number = int | float


class _Part(BaseModel):
    """A part of a plan: attributes in the order of the JSON document, unknown keys kept."""

    model_config = ConfigDict(extra="allow")

    def to_json(self) -> dict[str, Any]:
        """The part's JSON document: the keys that were set, in order."""
        return self.model_dump(mode="json", exclude_unset=True)

    def _keys(self) -> set[str]:
        return set(self.model_fields_set) | set(self.model_extra or {})

    def __getitem__(self, key: str) -> Any:
        """Read by key, as in the JSON document (an unset optional key is missing, as there)."""
        if key not in self._keys():
            raise KeyError(key)
        return getattr(self, key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._keys()

    def get(self, key: str, default: Any = None) -> Any:
        """Read by key with a default, as ``dict.get``."""
        return getattr(self, key) if key in self._keys() else default


class Reason(_Part):
    """A screening rule that fired: its effect, message, sources and grade.

    Attributes
    ----------
    rule : str
        The rule's id.
    effect : {"do-not-treat", "defer-until", "caution", "modify"}
        The effect that applies.
    message : str
        The clinician's message (English).
    sources : list of str
        Evidence keys of the rule.
    grade : str or None
        Grade of the evidence.
    conflict : dict of str to list of str or None
        Where guidance conflicts, the sources on each side.
    until : str or None
        End of a deferral, ISO date.
    regions : list of str or None
        The regions the finding acts on (None: the whole patient).
    values : dict or None
        What filled the message's placeholders (dates, names, months).
    """

    rule: str
    effect: str
    message: str
    sources: list[str]
    grade: str | None = None
    conflict: dict[str, list[str]] | None = None
    until: str | None = None
    regions: list[str] | None = None
    values: dict[str, Any] | None = None


class Anaesthesia(_Part):
    """Topical anaesthesia before needling: agent, minutes under occlusion, pain multiplier.

    Attributes
    ----------
    agent : str
        The anaesthetic's name.
    minutes : float
        Application time, min.
    occluded : bool
        Whether it is applied under occlusion.
    pain_multiplier : float
        Factor on the pain of needling, in (0, 1].
    area_cm2 : float or None
        Area the cream covers, cm2.
    amount_g : float or None
        Cream applied, g.
    day_offset : int or None
        Days after the first region of the visit on which this region is treated.
    parts : int or None
        Parts the region is treated in, one a day, to keep each day's cream within the label.
    part_area_cm2, part_amount_g : float or None
        Area (cm2) and cream (g) of each part, when the region is split.
    label_max_g, label_max_cm2 : float or None
        The label's largest dose a day (g) and area (cm2).
    note : str or None
        ``label-limit`` when the label moved or split the region.
    """

    agent: str
    minutes: Number
    occluded: bool
    pain_multiplier: Number
    area_cm2: Number | None = None
    amount_g: Number | None = None
    day_offset: int | None = None
    parts: int | None = None
    part_area_cm2: Number | None = None
    part_amount_g: Number | None = None
    label_max_g: Number | None = None
    label_max_cm2: Number | None = None
    note: str | None = None


class PenSettings(_Part):
    """A pen's settings: depth (mm), passes, directions, stamp frequency (Hz), how the skin is held.

    Attributes
    ----------
    depth_mm : float
        Depth setting, mm.
    passes, directions : int
        Passes over the area, and the distinct directions they cycle through.
    frequency_hz : float or None
        Stamps per second, Hz.
    skin : str
        How the skin is held (``stretched``).
    """

    depth_mm: Number
    passes: int
    directions: int
    frequency_hz: Number | None
    skin: str


class FinalInterval(_Part):
    """The 2.5-97.5 % range of the main outcome at the end of follow-up (empty when there is none).

    Over the posterior it comes from the same draws, patients and new-clinic effects as the patient's own
    interval (``individual``), as the timeline's bands do.

    Attributes
    ----------
    measure : str or None
        The outcome measure (in its own unit: a grade, a score, a percentage, a hair count change).
    mean, low, high : float or None
        Mean and the 2.5 % and 97.5 % bounds, in the measure's unit.
    """

    measure: str | None = None
    mean: Number | None = None
    low: Number | None = None
    high: Number | None = None


class IndividualOutcome(_Part):
    """One patient's outcome at the end of follow-up, over posterior draws and patients like them.

    Attributes
    ----------
    measure : str
        ``grade`` (Goodman & Baron 0-4), ``hair_count_change`` (per cm2) or ``improvement_pct`` (%).
    expected : float
        The expected value, in the measure's unit.
    low, high : float
        The central ``level`` interval of one patient's outcome, in the measure's unit (whole grades for
        ``grade``).
    level : float
        The interval's share, 0-1 (0.9: "9 in 10 patients like you").
    share_inside : float
        The share of draws and virtual patients inside ``[low, high]``, 0-1.
    evidence : dict or None
        Calibration ``trials`` and real ``patients`` behind the outcome, ``sources``, ``families``,
        ``few_trials``, ``posterior_draws``, ``virtual_patients`` and ``model_matches``; None without a
        posterior.
    """

    measure: str
    expected: Number
    low: Number
    high: Number
    level: Number
    share_inside: Number
    evidence: dict[str, Any] | None = None


class Outcome(_Part):
    """The series' final outcome of a region, as in ``needling series --json`` (less the grade distribution).

    Measures that do not belong to the indication are absent (None).

    Attributes
    ----------
    collagen_change_pct, epidermis_change_pct : float
        Change of dermal collagen and of epidermal thickness at the end of follow-up, %.
    grade_mean : float or None
        Mean Goodman & Baron grade (0-4) at the end of follow-up.
    score_mean : float or None
        Mean Goodman & Baron quantitative score, points.
    score_change_pct : float or None
        Change of that score, %.
    improved_one_grade_or_more : float or None
        Share of virtual patients improved by at least one grade, 0-1.
    hair_count_change_mean : float or None
        Mean change of the hair count, per cm2.
    improvement_pct_mean : float or None
        Mean improvement on the indication's scale, %.
    """

    collagen_change_pct: Number | None = None
    epidermis_change_pct: Number | None = None
    grade_mean: Number | None = None
    score_mean: Number | None = None
    score_change_pct: Number | None = None
    improved_one_grade_or_more: Number | None = None
    hair_count_change_mean: Number | None = None
    improvement_pct_mean: Number | None = None


class Risks(_Part):
    """Probability of each adverse event over a region's series, 0-1.

    Attributes
    ----------
    pih : float
        Post-inflammatory hyperpigmentation, 0-1.
    tram_track : float
        Tram-track scarring, 0-1.
    prolonged_erythema : float
        Redness lasting more than a week, 0-1.
    """

    pih: Number
    tram_track: Number
    prolonged_erythema: Number


class Predicted(_Part):
    """What the models predict for a region: the session (depth um, bleeding, VAS) and the series.

    Attributes
    ----------
    depth_um, depth_p5_um, depth_p95_um : float
        Depth the channels reach: mean, 5th and 95th percentiles, um.
    bleeding_strikes_per_cm2 : float
        Capillary-loop strikes per cm2.
    vas, vas_without_anaesthesia : float
        Pain on the 0-10 visual analogue scale, with the planned anaesthesia and without.
    grade_mean_final : float or None
        Mean grade at the end of follow-up, grade units (for graded indications).
    final_interval_95 : FinalInterval
        The 2.5-97.5 % range of the main outcome at the end of follow-up.
    grade_distribution_final : dict of str to float or None
        Share of virtual patients per final grade, 0-1.
    collagen_change_pct : float
        Change of dermal collagen at the end of follow-up, %.
    outcome : Outcome
        The series' final outcome, as in ``needling series --json``.
    adverse_events : Risks
        Probability of each adverse event over the series, 0-1.
    timeline : list of dict or None
        One entry per week: means and bands of the indication's measure (``_p2_5``/``_p97_5``; with
        ``individual`` also ``_p5``/``_p95``, from its draws, ending at its interval).
    individual : IndividualOutcome or None
        The patient's own outcome in plain numbers: expected value, the interval 9 in 10 patients like
        this one end in, and the evidence behind it (absent in plans made before it was given).
    punctured_fraction : float
        Share of the device's needle entries that puncture the skin, 0-1: a roller's needles shorter than about
        0.45 mm mostly do not (1 in plans made before it was given).
    """

    depth_um: Number
    depth_p5_um: Number
    depth_p95_um: Number
    bleeding_strikes_per_cm2: Number
    vas: Number
    vas_without_anaesthesia: Number
    grade_mean_final: Number | None
    final_interval_95: FinalInterval
    grade_distribution_final: dict[str, Number] | None
    collagen_change_pct: Number
    outcome: Outcome
    adverse_events: Risks
    timeline: list[dict[str, Number]] | None = None
    individual: IndividualOutcome | None = None
    punctured_fraction: Number = 1.0

    @property
    def makes_channels(self) -> bool:
        """Whether the needling makes channels to speak of: at least 1 in 100 needle entries puncture.

        Below that the depth is the depth a channel would reach, not one the patient's skin gets; pages show
        "no channels" instead of it.
        """
        return float(self.punctured_fraction) >= 0.01

    @property
    def rarely_punctures(self) -> bool:
        """Whether most needle entries fail to puncture (under 1 in 2): the plan then says it will do little."""
        return float(self.punctured_fraction) < 0.5


class Dates(_Part):
    """A series of visits: number of sessions, interval (weeks) and the dates (ISO).

    Attributes
    ----------
    sessions : int
        Number of sessions.
    interval_weeks : float or None
        Interval between sessions, weeks.
    dates : list of str
        The session dates, ISO.
    part_dates : list of list of str or None
        For a region treated in parts: each session's days, ISO, the first on the session's date.
    moved_from : dict of str to str or None
        A session date (ISO) moved off a day the clinic is closed, with the date it would have had (ISO).
    """

    sessions: int
    interval_weeks: Number | None
    dates: list[str]
    part_dates: list[list[str]] | None = None
    moved_from: dict[str, str] | None = None


class DepthCap(_Part):
    """The cap on a region's needle: the longest needle every capping rule allows, the rules and their sources.

    A region has one cap, the strictest: the smallest length any screening rule allows there, naming every rule
    that limited it (an anticoagulant's superficial limit and its erythema endpoint are one cap, not two).

    Attributes
    ----------
    rules : list of str
        The ids of every rule that limited the needle, in rule order.
    sources : list of str
        Evidence keys of those rules, each once.
    max_mm : float
        The longest needle allowed: the smallest of the rules' limits, mm.
    endpoint : str or None
        The clinical endpoint a rule asks for (``erythema``), where one asks for it.
    """

    rules: list[str]
    sources: list[str]
    max_mm: Number
    endpoint: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_rule_of_a_stored_plan(cls, data: Any) -> Any:
        """A plan stored before caps were combined names one ``rule`` per cap: read it as ``rules``."""
        if isinstance(data, dict) and "rule" in data and "rules" not in data:
            data = {("rules" if k == "rule" else k): ([v] if k == "rule" else v) for k, v in data.items()}
        return data


class Region(_Part):
    """The protocol for one region: device and settings, series, evidence keys and predictions.

    Attributes
    ----------
    site, indication : str
        The skin site and what is treated there.
    grade : int or None
        Baseline grade (0-4) where the indication is graded.
    device, device_kind : str
        The device's name and kind (``roller`` or ``pen``).
    pen_settings : PenSettings or None
        A pen's settings (None for a roller).
    needle_length_mm : float
        Planned needle length, mm.
    passes, directions : int
        Passes over the area, and the distinct directions they cycle through.
    endpoint : str
        The clinical endpoint to expect (``pinpoint bleeding`` or ``erythema``).
    anaesthesia : Anaesthesia or None
        Topical anaesthesia before needling.
    sessions : int
        Number of sessions.
    interval_weeks, min_interval_weeks : float
        Planned interval between sessions, and the shortest allowed, weeks.
    limit_mm : float
        The longest needle allowed for the region, mm.
    evidence : dict of str to str
        Per setting, the evidence key it comes from.
    device_note : str or None
        Why the catalogue was used instead of an available device.
    predicted : Predicted or None
        What the models predict for the region.
    series : Dates or None
        The region's sessions and dates.
    deferred_until : str or None
        The region's deferral end, ISO date.
    depth_caps : list of DepthCap
        The cap on the needle, at most one (the strictest, naming every rule behind it); none where no rule
        limited the needle, and none in a plan stored before caps were listed.
    """

    site: str
    indication: str
    grade: int | None
    device: str
    device_kind: str
    pen_settings: PenSettings | None
    needle_length_mm: Number
    passes: int
    directions: int
    endpoint: str
    anaesthesia: Anaesthesia | None
    sessions: int
    interval_weeks: Number
    min_interval_weeks: Number
    limit_mm: Number
    evidence: dict[str, str]
    device_note: str | None = None
    predicted: Predicted | None = None
    series: Dates | None = None
    deferred_until: str | None = None
    depth_caps: list[DepthCap] = []


class Combination(_Part):
    """A treatment combined with the needling (peel, PRP, vitamin C, ...), its timing and sources.

    Attributes
    ----------
    id : str
        The combination's id.
    region : str
        The region it applies to.
    step, timing : str
        What is done, and when relative to the needling.
    offset_weeks : float or None
        Offset after each session, weeks.
    sources : list of str
        Evidence keys.
    grade : str
        Grade of the evidence.
    dates : list of str or None
        The dates it is scheduled on, ISO.
    """

    id: str
    region: str
    step: str
    timing: str
    offset_weeks: Number | None = None
    sources: list[str]
    grade: str
    dates: list[str] | None = None


class HomeCare(_Part):
    """Home rolling between clinic sessions: device, length (mm), frequency (weeks), areas, when to stop.

    Attributes
    ----------
    device : str
        The home device's name.
    needle_length_mm, max_needle_mm : float
        Prescribed needle length and the home limit, mm.
    frequency_weeks : float
        Interval between home sessions, weeks.
    areas : list of str
        The skin sites rolled at home.
    topical : str
        What may be applied on the needled skin.
    pause_days_around_clinic_and_peels : float
        Days without home needling around a clinic session or a peel.
    stop_if, stop_if_ids : list of str
        Signs that end home care until the clinician has seen the patient: as text and as codes.
    sources : list of str
        Evidence keys.
    start : str or None
        First day of home needling, ISO date.
    area_starts : dict of str to str or None
        First day of home needling per area, ISO date.
    no_rolling : list of dict or None
        Periods without home needling on an area (``region``, ``from``, ``until``, ISO dates).
    """

    device: str
    needle_length_mm: Number
    max_needle_mm: Number
    frequency_weeks: Number
    areas: list[str]
    topical: str
    pause_days_around_clinic_and_peels: Number
    stop_if: list[str]
    stop_if_ids: list[str]
    sources: list[str]
    start: str | None = None
    area_starts: dict[str, str] | None = None
    no_rolling: list[dict[str, str]] | None = None


class Aftercare(_Part):
    """One piece of aftercare advice with its sources and grade.

    Attributes
    ----------
    id, advice : str
        The advice's id and its text.
    sources : list of str
        Evidence keys.
    grade : str
        Grade of the evidence.
    """

    id: str
    advice: str
    sources: list[str]
    grade: str


class NotTreated(_Part):
    """A goal the plan does not needle, and why.

    Attributes
    ----------
    region, indication : str
        The goal's skin site and what would be treated there.
    reason : str
        Why it is not treated (``grade-0``: nothing to treat).
    """

    region: str
    indication: str
    reason: str


class Dropped(_Part):
    """A combination step or home care the plan did not schedule, and why.

    Attributes
    ----------
    id : str
        The step's id (a combination's id, or ``home-care``).
    region : str
        The region it would have applied to.
    date : str or None
        The date it would have fallen on, ISO (where one date was dropped).
    reason : str
        Why it was not scheduled (``home-bleeding``, ``peel-pause``, ...).
    """

    id: str
    region: str
    date: str | None = None
    reason: str


class Plan(_Part):
    """A treatment plan: JSON-ready, every number with the key of its source in ``evidence``.

    Attributes
    ----------
    decision : {"proceed", "proceed-with-caution", "defer", "do-not-treat"}
        The screening's decision.
    reasons : list of Reason
        The rules that fired.
    regions : list of Region
        The protocol per region.
    series : Dates
        All sessions of the plan.
    combination : list of Combination
        Treatments combined with the needling.
    home_care : HomeCare or None
        Home needling between clinic sessions.
    aftercare : list of Aftercare
        Advice after each session.
    patient : dict
        The patient as screened (age in years, sex, Fitzpatrick type, pregnancy, breast-feeding).
    start : str
        Earliest first session, ISO date.
    rules_version, model_version : str
        Versions of the rule set and the models.
    sources : list of str
        Evidence keys of every number.
    not_treated : list of NotTreated
        Goals not needled and why.
    reassess_from : str or None
        For a whole-patient deferral with a known end: the date to screen again, ISO.
    combination_dropped : list of Dropped
        Combination steps not scheduled, each with the reason.
    """

    decision: str
    reasons: list[Reason]
    regions: list[Region]
    series: Dates
    combination: list[Combination]
    home_care: HomeCare | None
    aftercare: list[Aftercare]
    patient: dict[str, Any]
    start: str
    rules_version: str
    model_version: str
    sources: list[str]
    #: Goals not needled and why (e.g. a grade-0 acne-scar goal).
    not_treated: list[NotTreated] = []
    #: For a whole-patient deferral with a known end: the date to screen again (no session is planned).
    reassess_from: str | None = None
    #: Combination steps the plan did not schedule, each with the reason.
    combination_dropped: list[Dropped] = []

    def to_json(self) -> dict[str, Any]:
        """Return the stable ``needling plan --json`` document.

        Returns
        -------
        dict
            The keys that were set, in order; lengths in mm, intervals in weeks, dates in ISO form, every
            number's source key in ``sources``.
        """
        return self.model_dump(mode="json", exclude_unset=True)

    def storage_json(self) -> dict[str, Any]:
        """Return the document a clinic stores: :meth:`to_json` without the regions' weekly timelines.

        The timeline is recomputable from the plan's protocol and is the largest part of the document; a stored
        plan read back with :meth:`from_json` has ``predicted.timeline`` None.

        Returns
        -------
        dict
            The ``--json`` document less each region's ``predicted.timeline``.
        """
        exclude = {
            "regions": {i: {"predicted": {"timeline"}} for i, r in enumerate(self.regions) if r.predicted is not None}
        }
        return self.model_dump(mode="json", exclude_unset=True, exclude=exclude)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Plan:
        """Rebuild a plan from its JSON document (``to_json()`` or a stored copy).

        Parameters
        ----------
        doc : dict
            The document as :meth:`to_json` gave it (keys an older version wrote are kept).

        Returns
        -------
        Plan
            The plan, validated.
        """
        return cls.model_validate(doc)
