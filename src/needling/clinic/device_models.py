"""Registering, listing and retiring the clinic's own device models (admins register and retire).

A model is validated exactly like a device file (:class:`needling.devices.Device`), under a name that
is not a catalogue name, and is stored as data: nothing is read from the server's disk.
"""

from __future__ import annotations

import re
from typing import Any

import pydantic
from sqlalchemy import select
from sqlalchemy.orm import Session

from needling.clinic import services as S
from needling.clinic.device_catalogue import device_of
from needling.clinic.models import DeviceModel, User
from needling.clinic.roles import STAFF, Role
from needling.clinic.transactions import operation
from needling.devices import Device, device_names
from needling.errors import InputError, Words
from needling.i18n import N_

__all__ = ["check_name", "device_of", "list_device_models", "register_device_model", "retire_device_model"]

#: A registered model's name: lower-case letters, digits, '.', '_' and '-', like the catalogue's names.
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")
NAME_RULE = "1-80 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, not ending in .toml"
#: The refusal of fields that do not fit together (the device's checks across fields).
KIND_FIELDS = N_(
    "Check the fields of the kind you chose: a roller needs its drum and rings of needles (the needles shared "
    "evenly by the rings), a pen its needles per stamp, frequency and a depth range that holds the needle length."
)
#: The form's label of each field a model's validation may name (the same msgids as the page's labels).
LABELS = {
    "name": N_("Name"),
    "kind": N_("Kind"),
    "needle_count": N_("Needles"),
    "needle_length_mm": N_("Needle length"),
    "needle_diameter_mm": N_("Needle diameter"),
    "tip_radius_um": N_("Tip radius"),
    "drum_diameter_mm": N_("Drum diameter"),
    "drum_width_mm": N_("Drum width"),
    "rings": N_("Rings of needles"),
    "needles_per_stamp": N_("Needles per stamp"),
    "frequency_hz": N_("Frequency"),
    "depth_min_mm": N_("Smallest depth"),
    "depth_max_mm": N_("Largest depth"),
    "depth_step_mm": N_("Depth step"),
    "description": N_("Description"),
}


def check_name(name: Any) -> str:
    """A valid model name, or an InputError saying what is valid."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name) or name.endswith(".toml"):
        raise InputError(
            f"device model name {str(name)[:80]!r} is not valid; valid: {NAME_RULE}",
            field="name",
            msgid=N_(
                "Write the name in lower-case letters a-z, digits, '.', '_' or '-', at most 80 characters, "
                "starting with a letter or a digit."
            ),
        )
    return name


def validate_spec(spec: dict[str, Any]) -> Device:
    """Validate a model's fields as a device file's ``[device]`` table is validated.

    Raises
    ------
    InputError
        One line naming the first invalid field and what is valid.
    """
    if not isinstance(spec, dict):
        raise InputError(
            "a device model is a mapping of device fields", field="device", msgid=N_("Fill in the device's fields.")
        )
    data = {k: v for k, v in spec.items() if k not in ("sources", "wear_uses")}
    try:
        return Device(**data)
    except pydantic.ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err.get("loc", ())) or "device"
        label = LABELS.get(loc)
        raise InputError(
            f"device model {loc}: {err['msg'].removeprefix('Value error, ')}",
            field=loc,
            msgid=N_("Check “%(field)s”: the value is not possible for a device.") if label else KIND_FIELDS,
            params={"field": Words(label)} if label else {},
        ) from None


@operation
def register_device_model(db: Session, actor: User, spec: dict[str, Any]) -> DeviceModel:
    """Register a device model (admins only); its name must not be a catalogue name or a registered model's."""
    S.require_role(actor, Role.ADMIN)
    name = check_name(spec.get("name") if isinstance(spec, dict) else None)
    device = validate_spec(spec)
    if name in device_names():
        raise InputError(
            f"{name} is a catalogue device; choose another name for the clinic's model",
            field="name",
            msgid=N_("%(name)s is a device of the catalogue. Choose another name for the clinic's model."),
            params={"name": name},
        )
    if db.scalars(select(DeviceModel).where(DeviceModel.name == name)).first() is not None:
        raise InputError(
            f"a device model {name} is already registered; choose another name",
            field="name",
            msgid=N_("A device model named %(name)s is already registered. Choose another name."),
            params={"name": name},
        )
    model = DeviceModel(
        name=name,
        spec=device.model_dump(mode="json", exclude={"sources", "wear_uses"}),
        created=S.now(),
        created_by=actor.id,
        retired=False,
    )
    db.add(model)
    db.flush()
    S.audit(db, actor, "write", "device_model", model.id, f"registered {name}")
    return model


def list_device_models(db: Session, actor: User, include_retired: bool = True) -> list[DeviceModel]:
    """The registered models (clinicians and admins)."""
    S.require_role(actor, *STAFF)
    q = select(DeviceModel).order_by(DeviceModel.name)
    if not include_retired:
        q = q.where(DeviceModel.retired.is_(False))
    return list(db.scalars(q))


@operation
def retire_device_model(db: Session, actor: User, model_id: int) -> DeviceModel:
    """Retire a model (admins only): new lots and plans can no longer name it; past records keep its name."""
    S.require_role(actor, Role.ADMIN)
    model = db.get(DeviceModel, model_id)
    if model is None:
        raise S.NotFound(f"device model {model_id} not found")
    model.retired = True
    S.audit(db, actor, "write", "device_model", model.id, f"retired {model.name}")
    return model
