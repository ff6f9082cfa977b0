"""The patient file (YAML or JSON), validated: every identifier is checked against the vocabulary."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import ErrorDetails

from needling.anatomy import site_names
from needling.errors import InputError, unknown_name_error
from needling.i18n import N_
from needling.planner.medications import ATC_PATTERN, Substance, atc_matches, by_atc, default_route, resolve
from needling.planner.vocabulary import CONDITIONS, INDICATIONS, PROCEDURE_ALIASES, PROCEDURES

if TYPE_CHECKING:
    from needling.devices import Device

CHOOSE_AREA = N_("Choose an area from the list.")
CHOOSE_DEVICE = N_("Choose a device from the list.")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    """Who the patient is.

    Attributes
    ----------
    age : int
        Age, years (0-120).
    sex : {"female", "male"}
        Sex, for the layer thicknesses.
    fitzpatrick : int
        Fitzpatrick skin type (1-6).
    pregnant, breastfeeding : bool
        Whether the patient is pregnant or breast-feeding.
    """

    age: int = Field(ge=0, le=120)
    sex: Literal["female", "male"]
    fitzpatrick: int = Field(ge=1, le=6)
    pregnant: bool = False
    breastfeeding: bool = False


class Medication(_Strict):
    """A medication, current or recent (``last_dose`` for one that was stopped).

    ``name`` is what the clinician typed (generic or brand, with or without strength and form); ``atc`` may be
    given directly (then the name is optional); ``route`` overrides the table's route. A name the table does
    not know is kept: the plan then asks for a review instead of refusing the patient.

    Attributes
    ----------
    name : str or None
        The name as typed.
    atc : str or None
        WHO ATC code (a full code or a group).
    route : {"systemic", "topical"} or None
        How it is taken, overriding the table's.
    last_dose : date or None
        Day of the last dose of a stopped medication; None while it is taken.
    """

    name: str | None = None
    atc: str | None = None
    route: Literal["systemic", "topical"] | None = None
    last_dose: date | None = None

    @field_validator("atc")
    @classmethod
    def _atc(cls, v: str | None) -> str | None:
        if v is None:
            return v
        code = v.strip().upper()
        if not ATC_PATTERN.match(code):
            raise InputError(
                f"atc {v!r} is not an ATC code; valid: e.g. B01AF02, B01AC, L04 (letter, 2 digits, ...)",
                msgid=N_(
                    "%(atc)s is not an ATC code. Write a code such as B01AF02 or L04, or leave the code empty and "
                    "write the name."
                ),
                params={"atc": v.strip()},
            )
        return code

    @model_validator(mode="after")
    def _named_or_coded(self) -> Medication:
        if not (self.name and self.name.strip()) and self.atc is None:
            raise InputError(
                "a medication needs a name or an atc code", msgid=N_("Write the medication's name or its ATC code.")
            )
        return self

    @property
    def substance(self) -> Substance | None:
        """The table's substance: by ATC code when given, else by name."""
        if self.atc is not None:
            return by_atc(self.atc)
        return resolve(self.name or "")

    @property
    def code(self) -> str | None:
        """The ATC code that rules see (given, or from the table), None when unrecognised."""
        if self.atc is not None:
            return self.atc
        s = self.substance
        return s.atc if s else None

    @property
    def effective_route(self) -> str | None:
        """Route, ``systemic`` or ``topical``: as given, else the table's, else from the ATC code; None if unknown."""
        if self.route is not None:
            return self.route
        s = self.substance
        if s is not None:
            return s.route
        return default_route(self.atc) if self.atc else None

    @property
    def recognised(self) -> bool:
        """Whether the rules can see the medication (it has an ATC code, given or from the table)."""
        return self.code is not None

    @property
    def label(self) -> str:
        """How the medication is named in messages."""
        return (self.name or "").strip() or (self.atc or "")


class Procedure(_Strict):
    """A procedure, done (dated before the start) or booked (dated after it), with its region.

    ``region`` None means the region was not recorded: the procedure then counts for every treated region.
    ``needle_length_mm`` is read for a previous needling session (its minimum interval depends on the depth).

    Attributes
    ----------
    kind : str
        The procedure kind (``microneedling``, ``filler``, ``chemical-peel-medium``, ...).
    date : date
        When it was done or is booked.
    region : str or None
        The skin site (None: not recorded).
    needle_length_mm : float or None
        Needle length of a needling session, mm (at most 3).
    """

    kind: str
    date: date
    region: str | None = None
    needle_length_mm: float | None = Field(default=None, gt=0, le=3.0)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        v = PROCEDURE_ALIASES.get(v, v)
        if v not in PROCEDURES:
            raise unknown_name_error("procedure", v, PROCEDURES, msgid=N_("Choose a procedure from the list."))
        return v

    @field_validator("region")
    @classmethod
    def _region(cls, v: str | None) -> str | None:
        if v is not None and v not in site_names():
            raise unknown_name_error("region", v, site_names(), msgid=CHOOSE_AREA)
        return v


class Goal(_Strict):
    """What to treat where.

    Attributes
    ----------
    region : str
        The skin site.
    indication : str
        What is treated (``acne-scars``, ``striae``, ...).
    grade : int or None
        Baseline grade (0-4), where the indication is graded.
    striae_type : {"rubra", "alba"} or None
        For striae, their type.
    """

    region: str
    indication: str
    grade: int | None = Field(default=None, ge=0, le=4)
    striae_type: Literal["rubra", "alba"] | None = None

    @field_validator("region")
    @classmethod
    def _region(cls, v: str) -> str:
        if v not in site_names():
            raise unknown_name_error("region", v, site_names(), msgid=CHOOSE_AREA)
        return v

    @field_validator("indication")
    @classmethod
    def _indication(cls, v: str) -> str:
        if v not in INDICATIONS:
            raise unknown_name_error("indication", v, INDICATIONS, msgid=N_("Choose what to treat from the list."))
        return v

    @model_validator(mode="after")
    def _grade_for_acne(self) -> Goal:
        if self.indication == "acne-scars" and self.grade is None:
            raise InputError(
                "acne-scars needs a grade (Goodman & Baron 0-4)",
                msgid=N_("Acne scars need a scar grade. Choose a grade from 0 to 4 (Goodman & Baron)."),
            )
        return self


class PatientIntake(_Strict):
    """The planner's input.

    Attributes
    ----------
    patient : Person
        Who the patient is.
    medications : list of Medication
        Current and recent medications.
    conditions : list of str
        Condition codes of the intake vocabulary.
    procedures : list of Procedure
        Procedures done or booked.
    goals : list of Goal
        What to treat where (at least one; one goal per region).
    setting : {"clinic", "home"}
        Where the needling is done.
    devices : list of str
        The devices the clinic or patient has (names or, on the command line, files).
    """

    patient: Person
    medications: list[Medication] = []
    conditions: list[str] = []
    procedures: list[Procedure] = []
    goals: list[Goal] = Field(min_length=1)
    setting: Literal["clinic", "home"] = "clinic"
    devices: list[str] = []

    @field_validator("devices")
    @classmethod
    def _devices(cls, v: list[str], info: ValidationInfo) -> list[str]:
        known = (info.context or {}).get("devices")
        if known is not None:  # only these names (the clinic: catalogue and registered models), never a file
            for d in v:
                if d not in known:
                    raise unknown_name_error("device", d, known, field="devices", msgid=CHOOSE_DEVICE)
            return v
        from needling.devices import get_device

        for d in v:
            try:
                get_device(d)  # InputError naming the device and the nearest catalogue names
            except InputError as exc:
                exc.msgid = exc.msgid or CHOOSE_DEVICE
                raise
        return v

    @field_validator("conditions")
    @classmethod
    def _conditions(cls, v: list[str]) -> list[str]:
        for c in v:
            if c not in CONDITIONS:
                raise unknown_name_error("condition", c, CONDITIONS, msgid=N_("Choose conditions from the list."))
        return v

    @model_validator(mode="after")
    def _one_goal_per_region(self) -> PatientIntake:
        seen: set[str] = set()
        for g in self.goals:
            if g.region in seen:
                raise InputError(
                    f"goals: region {g.region} appears twice; give one goal per region (the main "
                    "indication), since one region is needled once per session",
                    msgid=N_(
                        "The area %(site)s has two goals. Give one goal per area, the main one: an area is treated "
                        "once per session."
                    ),
                    params={"site": g.region},
                )
            seen.add(g.region)
        return self

    def has(self, condition: str) -> bool:
        """Return whether the patient reported ``condition``.

        Parameters
        ----------
        condition : str
            A condition code of the intake vocabulary (``needling.planner.vocabulary``).

        Returns
        -------
        bool
            True when the code is among the intake's conditions.
        """
        return condition in self.conditions

    def drugs(self, groups: tuple[str, ...] | list[str], route: str | None = None) -> list[Medication]:
        """Return the recognised medications whose ATC code lies in ``groups`` (and with ``route`` when given).

        Parameters
        ----------
        groups : tuple or list of str
            ATC codes or code prefixes (``B01`` holds ``B01AF02``).
        route : {"systemic", "topical"}, optional
            Keep only medications taken this way; None for any route.

        Returns
        -------
        list of Medication
            The matching medications, in intake order.
        """
        return [
            m
            for m in self.medications
            if m.code is not None and atc_matches(m.code, groups) and (route is None or m.effective_route == route)
        ]

    def unrecognised_medications(self) -> list[Medication]:
        """Return the medications the table does not know (no rule can see them; the clinician checks them).

        Returns
        -------
        list of Medication
            The medications without an ATC code, in intake order.
        """
        return [m for m in self.medications if not m.recognised]


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text and are validated (and explained) by pydantic."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


#: What a page says for pydantic's own checks, by the field's name; ``%(low)s`` and ``%(high)s`` are the bounds.
FIELD_REASONS = {
    "age": N_("Write the age in whole years, from %(low)s to %(high)s."),
    "sex": N_("Choose the patient's sex."),
    "fitzpatrick": N_("Choose a skin type from %(low)s to %(high)s (Fitzpatrick)."),
    "needle_length_mm": N_("Write a needle length over %(low)s mm and at most %(high)s mm."),
    "grade": N_("Choose a scar grade from %(low)s to %(high)s."),
    "striae_type": N_("Choose the type of stretch marks from the list."),
    "route": N_("Choose from the list how the medication is taken."),
    "setting": N_("Choose where the treatment is given: in the clinic or at home."),
    "date": N_("Choose a date."),
    "last_dose": N_("Choose a date."),
    "goals": N_("Add at least one goal: an area and what to treat."),
}


def _bounds(model: type[BaseModel], name: str) -> tuple[object, object]:
    """The lower and upper bound of a number field, read from its own constraints (whole numbers as ints)."""
    low = high = None
    for m in model.model_fields[name].metadata:
        low = next((getattr(m, a) for a in ("ge", "gt") if getattr(m, a, None) is not None), low)
        high = next((getattr(m, a) for a in ("le", "lt") if getattr(m, a, None) is not None), high)
    whole = [int(v) if isinstance(v, float) and v.is_integer() else v for v in (low, high)]
    return whole[0], whole[1]


#: Bounds of the numbers above, for the page's sentence.
FIELD_BOUNDS = {
    "age": _bounds(Person, "age"),
    "fitzpatrick": _bounds(Person, "fitzpatrick"),
    "needle_length_mm": _bounds(Procedure, "needle_length_mm"),
    "grade": _bounds(Goal, "grade"),
}
CHECK_FIELD = N_("This value is not accepted here. Check the field.")
UNKNOWN_FIELD = N_("This field is not part of the intake.")
MISSING_FIELD = N_("Fill in this field.")


def page_reason(err: ErrorDetails) -> tuple[str, dict[str, object]]:
    """The reason a page shows for one of the intake's validation errors: a msgid (marked with ``N_``) and its
    values. A check of this module carries its own (``InputError.msgid``); pydantic's own checks (bounds, choices,
    dates, required fields) get the sentence of the field they concern (:data:`FIELD_REASONS`).

    Parameters
    ----------
    err : ErrorDetails
        One item of ``pydantic.ValidationError.errors()``.

    Returns
    -------
    tuple of (str, dict)
        The msgid and its placeholders' values.
    """
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, InputError) and cause.msgid:
        return cause.msgid, dict(cause.params)
    if err["type"] == "extra_forbidden":
        return UNKNOWN_FIELD, {}
    names = [str(p) for p in err["loc"] if isinstance(p, str)]
    name = names[-1] if names else "goals"
    if name in FIELD_REASONS:
        low, high = FIELD_BOUNDS.get(name, (None, None))
        return FIELD_REASONS[name], {"low": low, "high": high}
    return (MISSING_FIELD if err["type"] == "missing" else CHECK_FIELD), {}


def _message(exc: pydantic.ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def load_intake(source: str | Path | dict, devices: Mapping[str, Device] | None = None) -> PatientIntake:
    """Read and validate a patient file (YAML or JSON) or a dict.

    Parameters
    ----------
    source : str, Path or dict
        A patient file, or its content.
    devices : mapping of name to Device, optional
        The only devices ``devices`` may name. Without it a name may also be a device file path (the
        command line); the clinic passes its catalogue and registered models so no path is ever opened.

    Returns
    -------
    PatientIntake
        The validated intake (ages in years, needle lengths in mm, dates as dates).

    Raises
    ------
    InputError
        One line naming the field and what is valid.
    """
    if isinstance(source, dict):
        data = source
        where, field = "patient data", "intake"
    else:
        path = Path(source)
        where, field = str(path), "patient_file"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"patient file {path} not found", field="patient_file") from None
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.load(text, Loader=_Loader)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            first = str(exc).splitlines()[0]
            raise InputError(f"patient file {path} is malformed: {first}", field="patient_file") from None
    if not isinstance(data, dict):
        raise InputError(f"{where} must be a mapping with patient, goals and the optional sections", field=field)
    try:
        return PatientIntake.model_validate(data, context={"devices": devices} if devices is not None else None)
    except pydantic.ValidationError as exc:
        msgid, params = page_reason(exc.errors()[0])
        raise InputError(f"{where}: {_message(exc)}", field=field, msgid=msgid, params=params) from None
