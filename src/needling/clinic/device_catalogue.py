"""The devices the clinic may name: the built-in catalogue plus the device models it registered.

Through the web and the API a device is only ever a name looked up here, never a file on the server
(device files stay a command-line feature). The planner receives :class:`~needling.devices.Device`
objects from this mapping.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from needling.clinic.models import DeviceModel
from needling.devices import Device, list_devices
from needling.errors import unknown_name_error


def device_of(model: DeviceModel) -> Device:
    """The validated :class:`Device` of a registered model (its spec was validated when registered)."""
    return Device(**model.spec)


def clinic_devices(db: Session, include_retired: bool = False) -> dict[str, Device]:
    """Every device the clinic may name: catalogue first, then registered models (retired ones only if asked).

    Returns
    -------
    dict of name to Device
    """
    devices = {d.name: d for d in list_devices()}
    q = select(DeviceModel).order_by(DeviceModel.name)
    if not include_retired:
        q = q.where(DeviceModel.retired.is_(False))
    for m in db.scalars(q):
        devices.setdefault(m.name, device_of(m))
    return devices


def require_device(db: Session, name: str, field: str = "device_name") -> Device:
    """The clinic device called ``name``.

    Raises
    ------
    InputError
        For any other name (a path, a retired model, a typo), listing the valid names.
    """
    devices = clinic_devices(db)
    if name not in devices:
        raise unknown_name_error("device", name, devices, field=field)
    return devices[name]
