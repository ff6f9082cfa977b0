"""The :class:`Device` model: a roller or a pen, validated, from the catalogue or a TOML file."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from needling.devices.parameters import MAX_NEEDLE_LENGTH
from needling.errors import InputError, check_range

#: The longest needle any step, device or record may have, mm (cited: Singh & Yadav 2016).
MAX_NEEDLE_LENGTH_MM: float = MAX_NEEDLE_LENGTH.value


class Device(BaseModel):
    """A micro-needling device.

    Lengths in mm (needle, drum), tip radius in um, frequency in Hz. Rollers need ``drum_diameter_mm``,
    ``drum_width_mm`` and ``rings``; pens need ``needles_per_stamp`` and ``frequency_hz``.

    Attributes
    ----------
    name : str
        Catalogue name of the device, 1-80 characters.
    kind : {"roller", "pen"}
        A rolled drum or a stamping pen.
    needle_count : int
        Needles on the drum or in the cartridge, count.
    needle_length_mm : float
        Needle length (a pen's depth setting), mm.
    needle_diameter_mm : float
        Needle shaft diameter, mm; sets the channel opening and the injured area.
    tip_radius_um : float
        Radius of the needle tip, um; enters the insertion model (grows with wear).
    material : str
        Needle material.
    drum_diameter_mm, drum_width_mm : float or None
        Diameter and width of a roller's drum, mm; None for a pen.
    rings : int or None
        Rings of needles across a roller's drum, count; None for a pen.
    needles_per_stamp : int or None
        Needles that strike the skin in one stamp of a pen, count; None for a roller.
    frequency_hz : float or None
        Stamps per second of a pen, Hz; None for a roller.
    depth_min_mm, depth_max_mm : float or None
        A pen's depth range, mm; None for no stated limit.
    depth_step_mm : float or None
        Step of a pen's depth setting, mm; None when not stated.
    home_use : bool
        Whether the device is sold for use at home.
    wear_uses : int
        Uses so far, count (0 = new).
    description : str
        Free text shown in listings.
    sources : tuple of str
        Evidence keys of the sources the device's figures come from.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    kind: Literal["roller", "pen"]
    needle_count: int = Field(gt=0, le=5000, description="needles on the drum or in the cartridge")
    needle_length_mm: float = Field(gt=0, le=MAX_NEEDLE_LENGTH_MM)
    needle_diameter_mm: float = Field(gt=0, le=1.0)
    tip_radius_um: float = Field(gt=0, le=100)
    material: str = "stainless steel"
    drum_diameter_mm: float | None = Field(default=None, gt=0, le=100)
    drum_width_mm: float | None = Field(default=None, gt=0, le=100)
    rings: int | None = Field(default=None, gt=0, le=1000)
    needles_per_stamp: int | None = Field(default=None, gt=0, le=100)
    frequency_hz: float | None = Field(default=None, gt=0, le=500)
    depth_min_mm: float | None = Field(default=None, ge=0, le=MAX_NEEDLE_LENGTH_MM)
    depth_max_mm: float | None = Field(default=None, gt=0, le=MAX_NEEDLE_LENGTH_MM)
    depth_step_mm: float | None = Field(default=None, gt=0, le=1.0)
    home_use: bool = False
    wear_uses: int = Field(default=0, ge=0, description="uses so far (0 = new)")
    description: str = ""
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _kind_fields(self) -> Device:
        if self.kind == "roller":
            missing = [f for f in ("drum_diameter_mm", "drum_width_mm", "rings") if getattr(self, f) is None]
            if missing:
                raise ValueError(f"a roller needs {', '.join(missing)}")
            if self.needle_count % self.rings:
                raise ValueError(
                    f"needle_count ({self.needle_count}) must be a multiple of rings ({self.rings}): "
                    "each ring carries the same number of needles"
                )
        else:
            missing = [f for f in ("needles_per_stamp", "frequency_hz") if getattr(self, f) is None]
            if missing:
                raise ValueError(f"a pen needs {', '.join(missing)}")
            lo = self.depth_min_mm if self.depth_min_mm is not None else 0.0
            hi = self.depth_max_mm if self.depth_max_mm is not None else MAX_NEEDLE_LENGTH_MM
            if lo >= hi:
                raise ValueError(f"depth_min_mm ({lo}) must be below depth_max_mm ({hi})")
            if not lo <= self.needle_length_mm <= hi:
                raise ValueError(f"needle_length_mm {self.needle_length_mm} is outside the pen's depth range {lo}-{hi}")
        return self

    @property
    def needles_per_ring(self) -> int:
        """Needles around each ring of a roller's drum."""
        if self.kind != "roller" or not self.rings:
            raise InputError(f"{self.name} is not a roller")
        return self.needle_count // self.rings

    def with_length(self, needle_length_mm: float) -> Device:
        """Return the same device with another needle length (a pen's depth setting, a roller's length variant).

        Parameters
        ----------
        needle_length_mm : float
            The needle length or depth setting, mm.

        Returns
        -------
        Device
            A copy with that length.

        Raises
        ------
        InputError
            If the length is <= 0, above 3 mm, or outside a pen's depth range.
        """
        check_range(
            "needle_length_mm", needle_length_mm, low=0.0, low_inclusive=False, high=MAX_NEEDLE_LENGTH_MM, unit="mm"
        )
        if self.kind == "pen":
            lo = self.depth_min_mm or 0.0
            hi = self.depth_max_mm or MAX_NEEDLE_LENGTH_MM
            check_range(f"needle_length_mm for {self.name}", needle_length_mm, low=lo, high=hi, unit="mm")
        return self.model_copy(update={"needle_length_mm": float(needle_length_mm)})

    def summary(self) -> dict[str, object]:
        """Return the fields ``devices list --json`` shows.

        Returns
        -------
        dict
            ``name``, ``kind``, ``needle_count``, ``needle_length_mm`` (mm) and ``home_use``.
        """
        return {
            "name": self.name,
            "kind": self.kind,
            "needle_count": self.needle_count,
            "needle_length_mm": self.needle_length_mm,
            "home_use": self.home_use,
        }
