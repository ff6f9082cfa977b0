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

from needling.anatomy import site_names
from needling.errors import InputError, unknown_name_error
from needling.planner.vocabulary import CONDITIONS, INDICATIONS, MEDICATIONS, PROCEDURES

if TYPE_CHECKING:
    from needling.devices import Device


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    """Who the patient is."""

    age: int = Field(ge=0, le=120)
    sex: Literal["female", "male"]
    fitzpatrick: int = Field(ge=1, le=6)
    pregnant: bool = False
    breastfeeding: bool = False


class Medication(_Strict):
    """A medication, current or recent (``last_dose`` for one that was stopped)."""

    name: str
    last_dose: date | None = None

    @field_validator("name")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in MEDICATIONS:
            raise unknown_name_error("medication", v, MEDICATIONS)
        return v

    @property
    def drug_class(self) -> str:
        return MEDICATIONS[self.name]


class Procedure(_Strict):
    """A previous procedure, its date and region."""

    kind: str
    date: date
    region: str | None = None

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in PROCEDURES:
            raise unknown_name_error("procedure", v, PROCEDURES)
        return v

    @field_validator("region")
    @classmethod
    def _region(cls, v: str | None) -> str | None:
        if v is not None and v not in site_names():
            raise unknown_name_error("region", v, site_names())
        return v


class Goal(_Strict):
    """What to treat where."""

    region: str
    indication: str
    grade: int | None = Field(default=None, ge=0, le=4)
    striae_type: Literal["rubra", "alba"] | None = None

    @field_validator("region")
    @classmethod
    def _region(cls, v: str) -> str:
        if v not in site_names():
            raise unknown_name_error("region", v, site_names())
        return v

    @field_validator("indication")
    @classmethod
    def _indication(cls, v: str) -> str:
        if v not in INDICATIONS:
            raise unknown_name_error("indication", v, INDICATIONS)
        return v

    @model_validator(mode="after")
    def _grade_for_acne(self) -> Goal:
        if self.indication == "acne-scars" and self.grade is None:
            raise ValueError("acne-scars needs a grade (Goodman & Baron 0-4)")
        return self


class PatientIntake(_Strict):
    """The planner's input."""

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
                    raise unknown_name_error("device", d, known, field="devices")
            return v
        from needling.devices import get_device

        for d in v:
            get_device(d)  # InputError naming the device and the nearest catalogue names
        return v

    @field_validator("conditions")
    @classmethod
    def _conditions(cls, v: list[str]) -> list[str]:
        for c in v:
            if c not in CONDITIONS:
                raise unknown_name_error("condition", c, CONDITIONS)
        return v

    @model_validator(mode="after")
    def _one_goal_per_region(self) -> PatientIntake:
        seen: set[str] = set()
        for g in self.goals:
            if g.region in seen:
                raise ValueError(
                    f"goals: region {g.region} appears twice; give one goal per region (the main "
                    "indication), since one region is needled once per session"
                )
            seen.add(g.region)
        return self

    def has(self, condition: str) -> bool:
        return condition in self.conditions

    def drugs(self, drug_class: str) -> list[Medication]:
        return [m for m in self.medications if m.drug_class == drug_class]


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text and are validated (and explained) by pydantic."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
        raise InputError(f"{where}: {_message(exc)}", field=field) from None
