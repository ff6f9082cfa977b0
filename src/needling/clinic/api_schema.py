"""What the API accepts and answers, as pydantic types, so that the OpenAPI document is true.

Bounds come from the database: an id is at most what an ``integer`` column holds on PostgreSQL
(``2**31 - 1``), a string at most what its column holds (``max_length`` read from the column), and
no string may carry a NUL character or a lone surrogate (PostgreSQL and UTF-8 refuse both). A request
outside these bounds is answered 422 with the field named, never 500.

The ``responses=`` helpers list the error answers each kind of route gives, with their bodies.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy.orm import InstrumentedAttribute

MAX_ID = 2**31 - 1  # PostgreSQL ``integer``, the type of every id column
MAX_JSON_DEPTH = 8  # nesting of free-form JSON bodies (an intake is three levels deep)
MAX_JSON_ITEMS = 2000  # keys and items in a free-form JSON body


def _clean_text(value: str) -> str:
    """Refuse text a database cannot store: NUL characters and lone surrogates."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    return value


def column_length(column: InstrumentedAttribute) -> int:
    """The declared length of a ``String(n)`` column (characters)."""
    length = getattr(column.property.columns[0].type, "length", None)
    if length is None:
        raise TypeError(f"{column} has no declared length")
    return int(length)


def text(max_length: int, min_length: int = 0) -> Any:
    """A string type bounded to ``max_length`` characters, free of NUL and lone surrogates."""
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length), AfterValidator(_clean_text)]


def column_text(column: InstrumentedAttribute, min_length: int = 0) -> Any:
    """A string type bounded to what ``column`` holds."""
    return text(column_length(column), min_length)


def catalogue_name(column: InstrumentedAttribute) -> Any:
    """A name looked up in a catalogue: the column's length is documented, and a longer name is refused by the
    lookup itself (422 naming the valid choices) rather than by a bare length message."""
    return Annotated[
        str,
        StringConstraints(min_length=1),
        AfterValidator(_clean_text),
        Field(json_schema_extra={"maxLength": column_length(column)}),
    ]


def _with_offset(value: datetime) -> datetime:
    """A stored time stamp (the clinic's local time, naive) with its UTC offset, as RFC 3339 ``date-time`` needs."""
    return value.astimezone() if value.tzinfo is None else value


Stamp = Annotated[datetime, AfterValidator(_with_offset)]
"""A time stamp in an answer: the stored local time with its offset (``2026-12-01T14:30:00+01:00``)."""

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="A record's id")]
QueryId = Annotated[int, Query(ge=1, le=MAX_ID, description="A record's id")]


def _check_json(value: Any, depth: int = 0, count: list[int] | None = None) -> None:
    count = [0] if count is None else count
    count[0] += 1
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if count[0] > MAX_JSON_ITEMS:
        raise ValueError(f"JSON with more than {MAX_JSON_ITEMS} keys and items")
    if isinstance(value, str):
        _clean_text(value)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        raise ValueError("integers in JSON must lie within +-2**53")
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError("numbers must be finite")
    elif isinstance(value, dict):
        for k, v in value.items():
            _clean_text(k)
            _check_json(v, depth + 1, count)
    elif isinstance(value, list):
        for v in value:
            _check_json(v, depth + 1, count)


def _clean_json(value: dict[str, Any]) -> dict[str, Any]:
    _check_json(value)
    return value


JsonObject = Annotated[dict[str, Any], AfterValidator(_clean_json)]
"""A free-form JSON object (an intake), bounded in depth and size, its text storable."""


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationProblem(BaseModel):
    """422: what is wrong, per field."""

    detail: list[ErrorItem]


class Problem(BaseModel):
    """4xx: one line saying what is wrong."""

    detail: str


def _answer(description: str, model: type[BaseModel] = Problem) -> dict[str, Any]:
    return {"model": model, "description": description}


UNAUTHENTICATED = {401: _answer("Not logged in")}
INVALID = {422: _answer("Invalid input; the field is named", ValidationProblem)}
FORBIDDEN = {403: _answer("This role may not do this, or the X-CSRF-Token header is missing or wrong")}
NOT_FOUND = {404: _answer("No such record, or not visible to this user")}


def responses(*, found: bool = True) -> dict[int | str, dict[str, Any]]:
    """The error answers of a logged-in route: 401, 403, 422 and, for a route with a record, 404."""
    out: dict[int | str, dict[str, Any]] = {**UNAUTHENTICATED, **FORBIDDEN, **INVALID}
    if found:
        out.update(NOT_FOUND)
    return out


class Strict(BaseModel):
    """Request bodies: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")


# Answers ---------------------------------------------------------------------------------------


class UserOut(BaseModel):
    id: int
    name: str
    role: str
    patient_id: int | None


class LoginOut(BaseModel):
    user: UserOut
    csrf_token: str


class MeOut(UserOut):
    csrf_token: str


class StatusOut(BaseModel):
    status: str


class IdOut(BaseModel):
    id: int


class DeviceOut(BaseModel):
    name: str
    kind: str
    needle_count: int
    needle_length_mm: float
    home_use: bool


class PatientRef(BaseModel):
    id: int
    name: str


class OverrideOut(BaseModel):
    """A plan check the clinician overrode, with the written reason."""

    check: str
    refusal: str
    justification: str
    clinician_id: int | None


class RegionOut(BaseModel):
    site: str
    device_name: str
    lot_number: str
    needle_length_mm: float
    passes: int
    endpoint: str
    anaesthesia: str
    topicals: str
    overrides: list[OverrideOut] = []


class SessionOut(BaseModel):
    id: int
    date: date
    pain_vas: float | None
    notes: str
    plan_id: int | None = None
    regions: list[RegionOut]


class OutcomeOut(BaseModel):
    id: int
    date: date
    site: str
    gb_grade: int | None
    hair_count_per_cm2: float | None


class PhotoRef(BaseModel):
    id: int
    site: str
    view: str
    label: str
    taken: date
    sha256: str


class AdverseRef(BaseModel):
    id: int
    kind: str
    lot_id: int | None
    session_id: int | None
    date: date


class ScheduleOut(BaseModel):
    dates: list[str]
    done: int
    next_due: str | None


class PatientOut(BaseModel):
    id: int
    name: str
    intake: dict[str, Any]
    sessions: list[SessionOut]
    outcomes: list[OutcomeOut]
    photos: list[PhotoRef]
    adverse_events: list[AdverseRef]
    plan: dict[str, Any] | None
    schedule: ScheduleOut


class PlanOut(BaseModel):
    id: int
    rules_version: str
    model_version: str
    plan: dict[str, Any]


class PhotoStored(BaseModel):
    id: int
    sha256: str
    content_type: str
    view: str
    thumbnail_sha256: str


class PhotoConsentOut(BaseModel):
    scope: str
    note: str
    recorded_at: str | None


class LotOut(BaseModel):
    id: int
    lot_number: str
    device_name: str
    expiry: date
    single_use: bool
    recalled: bool
    recall_reason: str | None
    quantity: int | None = None  # single-use items left; None: not counted
    low_stock_at: int | None = None
    gtin: str | None = None


class UsageOut(BaseModel):
    patient_id: int
    patient: str
    session_id: int
    date: date
    site: str


class RecallOut(BaseModel):
    lot: LotOut
    affected: list[UsageOut]


class LotEventOut(BaseModel):
    id: int
    kind: str
    patient_id: int
    date: date


class LotUsageOut(RecallOut):
    adverse_events: list[LotEventOut]


class FhirBundle(BaseModel):
    """A FHIR R4 Bundle of type collection (validated by fhir.resources when built)."""

    model_config = ConfigDict(extra="allow")
    resourceType: Literal["Bundle"]  # noqa: N815 (FHIR's name)
    type: Literal["collection"]
    entry: list[dict[str, Any]] = []


class AuditOut(BaseModel):
    id: int
    at: Stamp
    user_id: int | None
    user_name: str
    action: str
    entity: str
    entity_id: str
    patient_id: int | None
    result: str
    client: str
    detail: str


class AuditPageOut(BaseModel):
    total: int
    page: int
    per_page: int
    items: list[AuditOut]


class PrescriptionOut(BaseModel):
    id: int
    device_name: str
    needle_length_mm: float
    frequency_days: int
    areas: list[str]
    topical: str
    pause_days: int


class AlertOut(BaseModel):
    id: int
    rule: str
    severity: str
    message: str
    created: Stamp
    acknowledged: bool


class AcknowledgedOut(BaseModel):
    id: int
    acknowledged: bool


class HomeDeviceOut(BaseModel):
    id: int
    device_name: str
    needle_length_mm: float
    lot_or_serial: str
    first_use: date
    uses: int
    retired: bool
    failed: list[str]


class HomeLogRef(BaseModel):
    id: int
    date: date
    area: str
    passes: int
    findings: list[dict[str, Any]]


class PortalOut(BaseModel):
    prescription: PrescriptionOut | None
    devices: list[HomeDeviceOut]
    logs: list[HomeLogRef]
    next_allowed: date | None


class HomeLogOut(BaseModel):
    id: int
    warnings: list[dict[str, Any]]


class InspectionOut(BaseModel):
    id: int
    advice: str


class IntakeChange(BaseModel):
    """One difference from the version before: ``kind`` added, removed or changed; ``field`` for a person field."""

    section: str
    kind: Literal["added", "removed", "changed"]
    field: str | None = None
    before: Any = None
    after: Any = None


class IntakeVersionRef(BaseModel):
    """A version of a patient's intake: its number, when and by whom it was saved, how many changes it made."""

    number: int
    created_at: Stamp
    created_by_id: int | None
    created_by: str | None
    changes: int


class IntakeVersionOut(BaseModel):
    """One version of a patient's intake, whole, with its changes from the version before (none for version 1)."""

    number: int
    created_at: Stamp
    created_by_id: int | None
    created_by: str | None
    intake: dict[str, Any]
    changes: list[IntakeChange]


class SessionNoteOut(BaseModel):
    """A note on one region of a session (``site`` None: the whole session); notes are never changed."""

    id: int
    session_id: int
    site: str | None
    template: str
    text: str
    author_id: int
    author: str
    at: Stamp


class AmendmentOut(BaseModel):
    """A correction of a record (``entity``, ``entity_id``), which keeps its row as it was."""

    id: int
    entity: str
    entity_id: int
    text: str
    reason: str
    author_id: int
    author: str
    at: Stamp
