"""The web intake form: its fields to an intake (``needling.planner.intake``), an intake back to its fields, and
each refusal mapped to the field it concerns, so the page can mark it and keep what was typed.

Rows of the list sections are numbered fields (``med-0-name``, ``proc-1-date``, ``goal-0-region``); an empty row is
skipped. Every error names the form field (:class:`FieldError`); the planner's own validation (pydantic) is mapped
from its location in the intake back to the row it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pydantic

from needling.devices import Device
from needling.errors import InputError, check_text
from needling.i18n import N_, reason, translate
from needling.planner.intake import PatientIntake, page_reason
from needling.planner.medications import Substance, resolve
from needling.report.labels import SITES

#: Section prefix -> (intake section, the row's fields), in the order of the form.
ROWS = {
    "med": ("medications", ("name", "atc", "route", "last_dose")),
    "proc": ("procedures", ("kind", "date", "region", "needle_length_mm")),
    "goal": ("goals", ("region", "indication", "grade", "striae_type")),
}
TEXT_LENGTH = 100  # characters of a typed field (a medication's name with strength and form fits)
MAX_ROWS = 40  # rows read per section; a real intake has far fewer (14 regions, a few medications)
BLANK_ROWS = 2  # empty rows offered after the filled ones (the form works without JavaScript)
PERSON = ("age", "sex", "fitzpatrick")
FLAGS = ("pregnant", "breastfeeding")
LISTS = ("conditions", "devices")


WHOLE = N_("Write a whole number from %(low)s to %(high)s.")


@dataclass
class FieldError:
    """A refusal of one form field (``field`` is the form's name: ``age``, ``med-1-last_dose``, ``goals``)."""

    field: str
    message: str
    msgid: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, key: str, exc: InputError) -> FieldError:
        """The refusal ``exc`` marked on the form field ``key``, its msgid kept for the page's language."""
        return cls(key, str(exc), exc.msgid, exc.params)

    def text(self, lang: str) -> str:
        """The reason in ``lang`` when it has a msgid, else the English message; an area's code in words."""
        params = {k: translate(lang, SITES[v]) if k == "site" and v in SITES else v for k, v in self.params.items()}
        return reason(InputError(self.message, msgid=self.msgid, params=params), lang)


@dataclass
class Parsed:
    """An intake read from the form, or the errors that kept it from being read; ``rows`` maps each section's
    intake index to its form row."""

    intake: dict[str, Any]
    errors: list[FieldError] = field(default_factory=list)
    rows: dict[str, list[int]] = field(default_factory=dict)


def typed_values(form: Any) -> dict[str, Any]:
    """What was typed, to show again: every text field as it came, the ticked lists as lists."""
    values: dict[str, Any] = {k: str(v) for k, v in form.items() if k not in LISTS and k != "csrf_token"}
    for key in LISTS:
        values[key] = [str(v) for v in form.getlist(key)]
    return values


def row_count(values: Mapping[str, Any], prefix: str) -> int:
    """How many rows of a section the form holds (the first missing ``<prefix>-<i>-<first field>`` ends them)."""
    first = ROWS[prefix][1][0]
    n = 0
    while n < MAX_ROWS and f"{prefix}-{n}-{first}" in values:
        n += 1
    return n


def _int(values: Mapping[str, Any], key: str, errors: list[FieldError], low: int, high: int) -> int | None:
    text = str(values.get(key, "")).strip()
    try:
        return int(text)
    except ValueError:
        message = f"{key}: {text!r} is not a whole number; valid: {low}-{high}"
        errors.append(FieldError(key, message, WHOLE, {"low": low, "high": high}))
        return None


def _date(text: str, key: str, errors: list[FieldError]) -> str | None:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        errors.append(FieldError(key, f"{key}: {text!r} is not a date; valid: YYYY-MM-DD", N_("Choose a date.")))
        return None


def _float(text: str, key: str, errors: list[FieldError]) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        message = f"{key}: {text!r} is not a number; valid: a length in mm, at most 3"
        errors.append(FieldError(key, message, N_("Write the needle length in millimetres, such as 0.25.")))
        return None


def _storable(raw: dict[str, str], key: str, errors: list[FieldError]) -> bool:
    """Whether every text of a row can be stored (at most TEXT_LENGTH characters, no NUL); else errors."""
    ok = True
    for n, text in raw.items():
        try:
            check_text(key + n, text, max_length=TEXT_LENGTH)
        except InputError as exc:
            errors.append(FieldError.of(key + n, exc))
            ok = False
    return ok


def _row(prefix: str, i: int, values: Mapping[str, Any], errors: list[FieldError]) -> dict[str, Any] | None:
    """One row of a section as its intake item; None for an empty row."""
    names = ROWS[prefix][1]
    raw = {n: str(values.get(f"{prefix}-{i}-{n}", "")).strip() for n in names}
    key = f"{prefix}-{i}-"
    if not _storable(raw, key, errors):
        return None
    if prefix == "med":
        if not raw["name"] and not raw["atc"]:
            return None
        item: dict[str, Any] = {k: raw[k] for k in ("name", "atc", "route") if raw[k]}
        if raw["last_dose"]:
            item["last_dose"] = _date(raw["last_dose"], key + "last_dose", errors)
        return item
    if prefix == "proc":
        if not raw["kind"] and not raw["date"]:
            return None
        item = {"kind": raw["kind"]}
        item["date"] = _date(raw["date"], key + "date", errors)
        if raw["region"]:
            item["region"] = raw["region"]
        if raw["needle_length_mm"]:
            item["needle_length_mm"] = _float(raw["needle_length_mm"], key + "needle_length_mm", errors)
        return item
    if not raw["region"] and not raw["indication"]:
        return None
    item = {"region": raw["region"], "indication": raw["indication"]}
    if raw["grade"]:
        item["grade"] = _int(values, key + "grade", errors, 0, 4)
    if raw["striae_type"]:
        item["striae_type"] = raw["striae_type"]
    return item


def parse(values: Mapping[str, Any]) -> Parsed:
    """Read the form's values (:func:`typed_values`) as an intake dict; errors of form (not a number, not a date)
    are collected per field. The planner's rules are checked by :func:`validate`."""
    errors: list[FieldError] = []
    person: dict[str, Any] = {
        "age": _int(values, "age", errors, 0, 120),
        "sex": str(values.get("sex", "")),
        "fitzpatrick": _int(values, "fitzpatrick", errors, 1, 6),
    }
    for flag in FLAGS:
        person[flag] = bool(values.get(flag))
    intake: dict[str, Any] = {"patient": person}
    rows: dict[str, list[int]] = {}
    for prefix, (section, _) in ROWS.items():
        items, where = [], []
        for i in range(row_count(values, prefix)):
            item = _row(prefix, i, values, errors)
            if item is not None:
                items.append(item)
                where.append(i)
        intake[section], rows[section] = items, where
    intake["conditions"] = list(values.get("conditions", []))
    intake["setting"] = str(values.get("setting", "clinic")) or "clinic"
    intake["devices"] = list(values.get("devices", []))
    return Parsed(intake, errors, rows)


def _field_of(loc: tuple[Any, ...], rows: dict[str, list[int]], message: str = "") -> str:
    """The form field a pydantic error location points at (a whole row's error: the field its message names)."""
    if not loc:
        return "goals"
    head = str(loc[0])
    if head == "patient":
        return str(loc[1]) if len(loc) > 1 else "age"
    for prefix, (section, names) in ROWS.items():
        if head == section:
            if len(loc) < 2 or not isinstance(loc[1], int) or loc[1] >= len(rows.get(section, [])):
                return section
            row = rows[section][loc[1]]
            named = [n for n in names if n in message]
            name = str(loc[2]) if len(loc) > 2 and str(loc[2]) in names else (named or names)[0]
            return f"{prefix}-{row}-{name}"
    return head


def validate(parsed: Parsed, devices: Mapping[str, Device]) -> list[FieldError]:
    """The planner's validation of the parsed intake (devices only by name), each error on its form field."""
    if parsed.errors:
        return parsed.errors
    try:
        PatientIntake.model_validate(parsed.intake, context={"devices": devices})
    except pydantic.ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            where = ".".join(str(p) for p in loc)
            msgid, params = page_reason(err)
            field_name = _field_of(loc, parsed.rows, msg)
            out.append(FieldError(field_name, f"{where}: {msg}" if where else msg, msgid, params))
        return out
    return []


def to_values(intake: Mapping[str, Any]) -> dict[str, Any]:
    """A stored intake as the form's values (the edit form opens with them)."""
    person = intake.get("patient", {})
    values: dict[str, Any] = {k: "" if person.get(k) is None else str(person.get(k)) for k in PERSON}
    for flag in FLAGS:
        if person.get(flag):
            values[flag] = "1"
    for prefix, (section, names) in ROWS.items():
        for i, item in enumerate(intake.get(section, [])):
            for n in names:
                v = item.get(n)
                values[f"{prefix}-{i}-{n}"] = "" if v is None else str(v)
    values["conditions"] = list(intake.get("conditions", []))
    values["setting"] = intake.get("setting", "clinic")
    values["devices"] = list(intake.get("devices", []))
    return values


def medication_matches(values: Mapping[str, Any]) -> dict[int, Substance | None]:
    """For each medication row with a name, the substance of the coded table it maps to (None: not in the table)."""
    out: dict[int, Substance | None] = {}
    for i in range(row_count(values, "med")):
        name = str(values.get(f"med-{i}-name", "")).strip()
        if name:
            out[i] = resolve(name)
    return out
