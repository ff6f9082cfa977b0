"""Rollers, pens and user device files."""

from needling.devices.catalogue import (
    catalogue_device,
    device_names,
    get_device,
    list_devices,
    load_all,
    load_device_file,
)
from needling.devices.model import MAX_NEEDLE_LENGTH_MM, Device
from needling.devices.parameters import HOME_NEEDLE_LIMIT, HOME_NEEDLE_RECOMMENDED

__all__ = [
    "HOME_NEEDLE_LIMIT",
    "HOME_NEEDLE_RECOMMENDED",
    "MAX_NEEDLE_LENGTH_MM",
    "Device",
    "catalogue_device",
    "device_names",
    "get_device",
    "list_devices",
    "load_all",
    "load_device_file",
]
