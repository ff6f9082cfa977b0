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

from pydantic import BaseModel, ConfigDict

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
    """A screening rule that fired: its effect, message, sources and grade."""

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
    """Topical anaesthesia before needling: agent, minutes under occlusion, pain multiplier."""

    agent: str
    minutes: Number
    occluded: bool
    pain_multiplier: Number


class PenSettings(_Part):
    """A pen's settings: depth (mm), passes, directions, stamp frequency (Hz), how the skin is held."""

    depth_mm: Number
    passes: int
    directions: int
    frequency_hz: Number | None
    skin: str


class FinalInterval(_Part):
    """The 2.5-97.5 % range of the main outcome at the end of follow-up (empty when there is none)."""

    measure: str | None = None
    mean: Number | None = None
    low: Number | None = None
    high: Number | None = None


class Predicted(_Part):
    """What the models predict for a region: the session (depth um, bleeding, VAS) and the series."""

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
    outcome: dict[str, Any]
    adverse_events: dict[str, Number]
    timeline: list[dict[str, Number]] | None = None


class Dates(_Part):
    """A series of visits: number of sessions, interval (weeks) and the dates (ISO)."""

    sessions: int
    interval_weeks: Number | None
    dates: list[str]


class Region(_Part):
    """The protocol for one region: device and settings, series, evidence keys and predictions."""

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


class Combination(_Part):
    """A treatment combined with the needling (peel, PRP, vitamin C, ...), its timing and sources."""

    id: str
    region: str
    step: str
    timing: str
    offset_weeks: Number | None = None
    sources: list[str]
    grade: str
    dates: list[str] | None = None


class HomeCare(_Part):
    """Home rolling between clinic sessions: device, length (mm), frequency (weeks), areas, when to stop."""

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


class Aftercare(_Part):
    """One piece of aftercare advice with its sources and grade."""

    id: str
    advice: str
    sources: list[str]
    grade: str


class Plan(_Part):
    """A treatment plan: JSON-ready, every number with the key of its source in ``evidence``."""

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
    not_treated: list[dict[str, Any]] = []
    #: For a whole-patient deferral with a known end: the date to screen again (no session is planned).
    reassess_from: str | None = None
    #: Combination steps the plan did not schedule, each with the reason.
    combination_dropped: list[dict[str, Any]] = []

    def to_json(self) -> dict[str, Any]:
        """Return the stable ``needling plan --json`` document.

        Returns
        -------
        dict
            The keys that were set, in order; lengths in mm, intervals in weeks, dates in ISO form, every
            number's source key in ``sources``.
        """
        return self.model_dump(mode="json", exclude_unset=True)

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
