"""The device catalogue and user device files.

Catalogue names are kebab-case: ``dermaroller-192-1.5`` (the 192-needle 2 x 2 cm drum with 1.5 mm
needles), ``ms4-96-1.5``, ``home-roller-540-0.25``, ``dermapen-11``, ``pro-pen-14``,
``dermapen4-16``, ``pen-cartridge-9``, ``pen-cartridge-36``. ``--device`` takes one of these or a
path to a TOML file with a ``[device]`` table.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from needling.devices import parameters as P
from needling.devices.model import Device
from needling.errors import unknown_name_error
from needling.files import names_a_file, read_table, validate

ROLLER_192_LENGTHS_MM = (0.2, 0.5, 1.0, 1.5, 2.0)


def _roller_192(length_mm: float) -> Device:
    thin = length_mm <= 0.5
    diam = P.ROLLER_NEEDLE_DIAMETER_THIN if thin else P.ROLLER_NEEDLE_DIAMETER_THICK
    return Device(
        name=f"dermaroller-192-{length_mm:.1f}",
        kind="roller",
        needle_count=int(P.ROLLER_192_NEEDLES.value),
        needle_length_mm=length_mm,
        needle_diameter_mm=diam.value,
        tip_radius_um=P.ROLLER_TIP_RADIUS.value,
        drum_diameter_mm=P.ROLLER_192_DRUM_DIAMETER.value,
        drum_width_mm=P.ROLLER_192_DRUM_WIDTH.value,
        rings=int(P.ROLLER_192_RINGS.value),
        home_use=length_mm <= P.HOME_NEEDLE_RECOMMENDED.value,
        description=f"192-needle 2 x 2 cm medical drum roller, {length_mm:g} mm needles",
        sources=tuple(
            sorted(
                {
                    P.ROLLER_192_NEEDLES.key,
                    P.ROLLER_192_RINGS.key,
                    P.ROLLER_192_DRUM_DIAMETER.key,
                    diam.key,
                    P.ROLLER_TIP_RADIUS.key,
                    P.MATERIAL_STEEL.key,
                }
            )
        ),
    )


def _pen(name: str, needles, frequency, description: str, length_mm: float = 1.0) -> Device:
    return Device(
        name=name,
        kind="pen",
        needle_count=int(needles.value),
        needles_per_stamp=int(needles.value),
        frequency_hz=frequency.value,
        needle_length_mm=length_mm,
        needle_diameter_mm=P.PEN_NEEDLE_DIAMETER.value,
        tip_radius_um=P.ROLLER_TIP_RADIUS.value,
        depth_min_mm=0.0,
        depth_max_mm=P.PEN_DEPTH_MAX.value,
        depth_step_mm=P.PEN_DEPTH_STEP.value,
        description=description,
        sources=tuple(
            sorted(
                {
                    needles.key,
                    frequency.key,
                    P.PEN_NEEDLE_DIAMETER.key,
                    P.ROLLER_TIP_RADIUS.key,
                    P.PEN_DEPTH_MAX.key,
                    P.MATERIAL_STEEL.key,
                }
            )
        ),
    )


@cache
def _catalogue() -> dict[str, Device]:
    devices = [_roller_192(length) for length in ROLLER_192_LENGTHS_MM]
    devices.append(
        Device(
            name="ms4-96-1.5",
            kind="roller",
            needle_count=int(P.ROLLER_96_NEEDLES.value),
            needle_length_mm=1.5,
            needle_diameter_mm=P.ROLLER_NEEDLE_DIAMETER_THICK.value,
            tip_radius_um=P.ROLLER_TIP_RADIUS.value,
            drum_diameter_mm=P.ROLLER_96_DRUM.value,
            drum_width_mm=P.ROLLER_96_DRUM.value,
            rings=int(P.ROLLER_96_RINGS.value),
            description="96-needle small facial drum (MS-4 type), 1.5 mm needles",
            sources=tuple(
                sorted(
                    {
                        P.ROLLER_96_NEEDLES.key,
                        P.ROLLER_96_DRUM.key,
                        P.ROLLER_NEEDLE_DIAMETER_THICK.key,
                        P.ROLLER_TIP_RADIUS.key,
                    }
                )
            ),
        )
    )
    devices.append(
        Device(
            name="home-roller-540-0.25",
            kind="roller",
            needle_count=int(P.ROLLER_540_NEEDLES.value),
            needle_length_mm=0.25,
            needle_diameter_mm=P.ROLLER_NEEDLE_DIAMETER_THIN.value,
            tip_radius_um=P.ROLLER_TIP_RADIUS.value,
            drum_diameter_mm=P.ROLLER_540_DRUM_DIAMETER.value,
            drum_width_mm=P.ROLLER_540_DRUM_WIDTH.value,
            rings=int(P.ROLLER_540_LAYOUT.value),
            home_use=True,
            description="540-needle home roller, 0.25 mm needles",
            sources=tuple(
                sorted(
                    {
                        P.ROLLER_540_NEEDLES.key,
                        P.ROLLER_540_LAYOUT.key,
                        P.ROLLER_NEEDLE_DIAMETER_THIN.key,
                        P.ROLLER_TIP_RADIUS.key,
                        P.HOME_NEEDLE_LIMIT.key,
                    }
                )
            ),
        )
    )
    devices.append(
        _pen(
            "dermapen-11",
            P.DERMAPEN_NEEDLES,
            P.DERMAPEN_FREQUENCY,
            "Motorised pen, 11-needle cartridge, up to 90 Hz, 0-2.5 mm",
        )
    )
    devices.append(
        _pen(
            "pro-pen-14", P.PROPEN_NEEDLES, P.PEN_STAMP_RATE, "Motorised pen, 14-needle disposable cartridge, 0-2.5 mm"
        )
    )
    devices.append(
        _pen(
            "dermapen4-16",
            P.DERMAPEN4_NEEDLES,
            P.DERMAPEN4_FREQUENCY,
            "Motorised pen, 16-needle cartridge, about 104 Hz, 0-2.5 mm",
        )
    )
    devices.append(
        _pen(
            "pen-cartridge-9",
            P.CARTRIDGE_9,
            P.PEN_STAMP_RATE,
            "Motorised pen with the smallest common cartridge, 9 needles",
        )
    )
    devices.append(
        _pen(
            "pen-cartridge-36",
            P.CARTRIDGE_36,
            P.PEN_STAMP_RATE,
            "Motorised pen with the largest common cartridge, 36 needles",
        )
    )
    return {d.name: d for d in devices}


def load_all() -> list[Device]:
    """Build every catalogue entry (creates every Cited value they rely on).

    Returns
    -------
    list of Device
        The devices, in the catalogue's order.
    """
    return list(_catalogue().values())


def list_devices() -> list[Device]:
    """Return every catalogue device, rollers first.

    Returns
    -------
    list of Device
        The devices.
    """
    return load_all()


def device_names() -> list[str]:
    """Return the names of every catalogue device.

    Returns
    -------
    list of str
        Device names (``needling devices list``).
    """
    return list(_catalogue())


def catalogue_device(name: str) -> Device | None:
    """Return the built-in catalogue device called ``name``, or None; never opens a file (for stored names).

    Parameters
    ----------
    name : str
        A name as stored or shown (``home-roller-540-0.25``).

    Returns
    -------
    Device or None
        The catalogue's device, or None for any other name (a registered model, a path).
    """
    return _catalogue().get(name)


def load_device_file(path: str | Path) -> Device:
    """Read and validate a user device file (TOML with a ``[device]`` table).

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    Device
        The validated device (lengths in mm, tip radius in um, as the file's field names say).

    Raises
    ------
    InputError
        One line naming the file, the field and what is valid.
    """
    table = read_table(path, "device", "name, kind, needle_count, needle_length_mm, needle_diameter_mm, tip_radius_um")
    return validate(Device, {k: v for k, v in table.items() if k != "sources"}, f"device file {path}")


def get_device(name_or_path: str | Path) -> Device:
    """Return a catalogue device by name, or a user device from a TOML file path.

    Parameters
    ----------
    name_or_path : str or Path
        A catalogue name (``needling devices list``) or a device file.

    Returns
    -------
    Device
        The device.

    Raises
    ------
    InputError
        For an unknown name (with the nearest names) or an invalid file.

    Examples
    --------
    >>> d = get_device("dermaroller-192-1.5")
    >>> d.kind, d.needle_count, d.needle_length_mm
    ('roller', 192, 1.5)
    """
    text = str(name_or_path)
    cat = _catalogue()
    if text in cat:
        return cat[text]
    if names_a_file(text):
        return load_device_file(text)
    raise unknown_name_error("device", text, cat, field="device")
