"""One needling session: device + technique + skin site -> channels, depth per layer, bleeding, pain.

:func:`simulate_session` builds the full channel map (kinematics of rolling or stamping, seeded);
:func:`quick_session` gives the same means analytically in well under 10 ms, for the planner and
cohorts. Both return a :class:`SessionResult` whose :meth:`~SessionResult.to_json` has the stable
keys of ``needling simulate --json``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from scipy.special import ndtri

from needling.anatomy import LAYERS, Site, get_site
from needling.devices import MAX_NEEDLE_LENGTH_MM, Device, get_device
from needling.errors import InputError, check_range
from needling.evidence import SourceSet
from needling.figures import draw
from needling.models.mechanics import bleeding, channels, insertion, pain
from needling.parameters import ParameterValues, resolve
from needling.units import from_si, m_to_um, mm_to_m, per_cm2_to_per_m2, per_m2_to_per_cm2, to_si, um_to_m

PRESSURES = ("light", "moderate", "firm")
DEFAULT_AREA_CM2 = 25.0
MAX_AREA_CM2 = 10000.0


class Anaesthesia(Protocol):
    """Anything that lowers pain: a multiplier in (0, 1] and the sources behind it.

    Attributes
    ----------
    pain_multiplier : float
        Factor on the pain of needling, in (0, 1].
    sources : list of str
        Evidence keys behind the multiplier.
    """

    pain_multiplier: float
    sources: list[str]


@dataclass(frozen=True)
class Technique:
    """How the device is used.

    Parameters
    ----------
    passes : int
        Passes over the area (1-100).
    directions : int
        Distinct directions the passes cycle through (1-passes).
    pressure : {"light", "moderate", "firm"}
        Hand pressure (rollers: hand force; pens: how the skin is held).
    area_cm2 : float, optional
        Treated area, cm2 (default 25).
    speed_mm_s, line_spacing_mm : float, optional
        Pen hand speed, mm/s, and spacing of strokes, mm (defaults are named assumptions).
    needle_length_mm : float, optional
        Override of the device's needle length (a pen's depth setting), mm.
    """

    passes: int = 1
    directions: int = 1
    pressure: str = "moderate"
    area_cm2: float | None = None
    speed_mm_s: float | None = None
    line_spacing_mm: float | None = None
    needle_length_mm: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.passes, int) or isinstance(self.passes, bool):
            raise InputError(f"passes must be a whole number; got {self.passes!r}", field="passes")
        check_range("passes", self.passes, low=1, high=100)
        check_range("directions", self.directions, low=1, high=max(1, self.passes))
        if self.pressure not in PRESSURES:
            raise InputError(f"unknown pressure {self.pressure!r}; valid: {', '.join(PRESSURES)}", field="pressure")
        if self.area_cm2 is not None:
            check_range("area_cm2", self.area_cm2, low=0.0, low_inclusive=False, high=MAX_AREA_CM2, unit="cm2")
        if self.speed_mm_s is not None:
            check_range("speed_mm_s", self.speed_mm_s, low=0.0, low_inclusive=False, high=1000.0, unit="mm/s")
        if self.line_spacing_mm is not None:
            check_range("line_spacing_mm", self.line_spacing_mm, low=0.0, low_inclusive=False, high=100.0, unit="mm")
        if self.needle_length_mm is not None:
            check_range(
                "needle_length_mm",
                self.needle_length_mm,
                low=0.0,
                low_inclusive=False,
                high=MAX_NEEDLE_LENGTH_MM,
                unit="mm",
            )


@dataclass
class SessionResult:
    """What one session does to the skin: SI values inside, unit-named accessors for people.

    Attributes hold SI (m, 1/m2, N); the accessors with a unit in their name (``depth_mean_um``,
    ``channels_per_cm2``, ``needle_length_mm``) convert with :mod:`needling.units`, and :meth:`to_json`
    gives the stable ``needling simulate --json`` document in those units.

    Attributes
    ----------
    device, site : str
        Names of the device and the skin site.
    sex : {"female", "male"}
        The sex whose layer thicknesses were used.
    technique : Technique
        The technique as given (passes, directions, pressure, area in cm2, ...).
    needle_length : float
        Needle length used (a pen's depth setting), m.
    channels_per_m2, channels_per_m2_sd : float
        Distinct channels per area after all passes: mean, and spread over 1 cm2 cells, 1/m2.
    channels_per_m2_per_pass : float
        Expected channels of one pass, 1/m2.
    coverage_fraction : float
        Share of the surface opened by channels, 0-1.
    punctures_per_m2 : float
        Needle entries that punctured, per area (a re-entry into a channel counts here, not as a channel), 1/m2.
    injured_fraction : float
        Share of the surface within a needle's cross-section of any puncture, 0-1.
    depth_mean, depth_sd, depth_p5, depth_p95 : float
        Depth the channels reach: mean, SD and 5th and 95th percentiles, m.
    channel_diameter : float
        Surface opening of a channel, m.
    residual_channel_depth : float
        Depth of the channel left after withdrawal, m.
    layer_reach : dict of str to float
        Per skin layer, the share of channels reaching into it, 0-1.
    bleeding_strikes_per_m2 : float
        Capillary-loop strikes per area, 1/m2.
    bleeding_share : float
        Share of channels striking a capillary loop, 0-1.
    endpoint : {"pinpoint bleeding", "erythema"}
        The clinical endpoint to expect.
    pain_vas : float
        Pain on the 0-10 visual analogue scale.
    pain_relative_to_hypodermic : float
        Pain relative to a 26-G hypodermic injection (Gill2008), dimensionless.
    needles_in_contact : float
        Needles entering the skin together (a roller's needles in contact, a pen's stamp), count.
    force_per_needle_n : float
        Force per needle, N.
    layer_bottoms : dict of str to float
        Depth of the bottom of each layer at this site, m.
    sources : list of str
        Evidence keys of every value used.
    punctured_fraction : float
        Share of needle entries that puncture the skin, 0-1: below 1 for pressed needles shorter than about
        0.45 mm, whose drum meets the skin before they break through (Verbaan 2008); 1 for pens.
    channel_map : ChannelMap or None
        The full channel map (None for the closed-form session).
    depths : numpy.ndarray or None
        Depth of every channel of the map, m (None for the closed-form session).
    density_grid_per_m2 : numpy.ndarray or None
        Channel density on a grid over the area, 1/m2 (None for the closed-form session).
    """

    device: str
    site: str
    sex: str
    technique: Technique
    needle_length: float  # m
    channels_per_m2: float
    channels_per_m2_sd: float
    channels_per_m2_per_pass: float
    coverage_fraction: float
    punctures_per_m2: float
    injured_fraction: float
    depth_mean: float  # m
    depth_sd: float  # m
    depth_p5: float  # m
    depth_p95: float  # m
    channel_diameter: float  # m
    residual_channel_depth: float  # m
    layer_reach: dict[str, float]
    bleeding_strikes_per_m2: float
    bleeding_share: float
    endpoint: str
    pain_vas: float
    pain_relative_to_hypodermic: float
    needles_in_contact: float
    force_per_needle_n: float
    layer_bottoms: dict[str, float]  # m
    sources: list[str]
    punctured_fraction: float = 1.0
    channel_map: channels.ChannelMap | None = field(default=None, repr=False)
    depths: np.ndarray | None = field(default=None, repr=False)  # m, one per channel
    density_grid_per_m2: np.ndarray | None = field(default=None, repr=False)

    # --- unit-named accessors ---------------------------------------------------------------------------
    @property
    def needle_length_mm(self) -> float:
        """Needle length (a pen's depth setting), mm."""
        return from_si(self.needle_length, "mm")

    @property
    def channels_per_cm2(self) -> float:
        """Channels per cm2 over the area, all passes (mean)."""
        return per_m2_to_per_cm2(self.channels_per_m2)

    @property
    def channels_per_cm2_sd(self) -> float:
        """Spread of the channel density over 1 cm2 cells, per cm2."""
        return per_m2_to_per_cm2(self.channels_per_m2_sd)

    @property
    def channels_per_cm2_per_pass(self) -> float:
        """Expected channels per cm2 of one pass."""
        return per_m2_to_per_cm2(self.channels_per_m2_per_pass)

    @property
    def punctures_per_cm2(self) -> float:
        """Needle entries per cm2 (a re-entry into a channel counts here, not as a channel)."""
        return per_m2_to_per_cm2(self.punctures_per_m2)

    @property
    def depth_mean_um(self) -> float:
        """Mean depth the channels reach, um."""
        return m_to_um(self.depth_mean)

    @property
    def depth_sd_um(self) -> float:
        """SD of the channel depth, um."""
        return m_to_um(self.depth_sd)

    @property
    def depth_p5_um(self) -> float:
        """5th percentile of the channel depth, um."""
        return m_to_um(self.depth_p5)

    @property
    def depth_p95_um(self) -> float:
        """95th percentile of the channel depth, um."""
        return m_to_um(self.depth_p95)

    @property
    def channel_diameter_um(self) -> float:
        """Surface opening of a channel, um."""
        return m_to_um(self.channel_diameter)

    @property
    def residual_channel_depth_um(self) -> float:
        """Depth of the channel left after withdrawal, um."""
        return m_to_um(self.residual_channel_depth)

    @property
    def bleeding_strikes_per_cm2(self) -> float:
        """Capillary-loop strikes per cm2."""
        return per_m2_to_per_cm2(self.bleeding_strikes_per_m2)

    @property
    def layer_bottoms_um(self) -> dict[str, float]:
        """Depth of the bottom of each layer at this site, um."""
        return {k: m_to_um(v) for k, v in self.layer_bottoms.items()}

    @property
    def depths_um(self) -> np.ndarray | None:
        """Depth of every channel of the map, um (None for the closed-form session)."""
        return None if self.depths is None else m_to_um(self.depths)

    @property
    def density_grid_per_cm2(self) -> np.ndarray | None:
        """Channel density on a grid over the area, per cm2 (None for the closed-form session)."""
        return None if self.density_grid_per_m2 is None else per_m2_to_per_cm2(self.density_grid_per_m2)

    def to_json(self) -> dict[str, Any]:
        """Return the stable ``needling simulate --json`` document.

        Returns
        -------
        dict
            Keys named with their unit (``channels_per_cm2``, ``depth_um``, ``channel_diameter_um``,
            ``technique.area_cm2``), rounded for reading; ``sources`` lists the evidence keys used.
        """
        t = self.technique
        return {
            "device": self.device,
            "site": self.site,
            "sex": self.sex,
            "technique": {
                "passes": t.passes,
                "directions": t.directions,
                "pressure": t.pressure,
                "area_cm2": t.area_cm2 or DEFAULT_AREA_CM2,
                "needle_length_mm": self.needle_length_mm,
                "speed_mm_s": t.speed_mm_s,
                "line_spacing_mm": t.line_spacing_mm,
            },
            "channels_per_cm2": round(self.channels_per_cm2, 3),
            "channels_per_cm2_sd": round(self.channels_per_cm2_sd, 3),
            "channels_per_cm2_per_pass": round(self.channels_per_cm2_per_pass, 3),
            "coverage_fraction": round(self.coverage_fraction, 6),
            "punctures_per_cm2": round(self.punctures_per_cm2, 3),
            "punctured_fraction": round(self.punctured_fraction, 6),
            "injured_fraction": round(self.injured_fraction, 4),
            "depth_um": {
                "mean": round(self.depth_mean_um, 1),
                "p5": round(self.depth_p5_um, 1),
                "p95": round(self.depth_p95_um, 1),
            },
            "layer_reach": {k: round(v, 4) for k, v in self.layer_reach.items()},
            "layer_bottoms_um": {k: round(v, 1) for k, v in self.layer_bottoms_um.items()},
            "channel_diameter_um": round(self.channel_diameter_um, 1),
            "residual_channel_depth_um": round(self.residual_channel_depth_um, 1),
            "bleeding": {
                "strikes_per_cm2": round(self.bleeding_strikes_per_cm2, 2),
                "share_of_channels": round(self.bleeding_share, 4),
                "endpoint": self.endpoint,
            },
            "pain": {
                "vas": round(self.pain_vas, 2),
                "relative_to_hypodermic": round(self.pain_relative_to_hypodermic, 4),
            },
            "sources": self.sources,
        }

    def plot(self, path: str | Path) -> Path:
        """Draw the figure: channel density map and depth against the layers.

        Parameters
        ----------
        path : str or Path
            A .png or .svg file.

        Returns
        -------
        Path
            The file written.
        """
        return draw("session", self, path)


@dataclass(frozen=True)
class _RollerGeometry:
    """A roller's drum in SI: needles per ring, rings, drum radius (m) and width (m)."""

    needles_per_ring: int
    rings: int
    radius: float
    width: float

    @classmethod
    def of(cls, device: Device) -> _RollerGeometry:
        if device.rings is None or device.drum_diameter_mm is None or device.drum_width_mm is None:
            raise InputError(f"{device.name} is not a roller with a drum; valid: a roller device")
        return cls(
            device.needles_per_ring, device.rings, mm_to_m(device.drum_diameter_mm) / 2.0, mm_to_m(device.drum_width_mm)
        )


@dataclass(frozen=True)
class _PenGeometry:
    """A pen's cartridge: needles per stamp and stamps per second (Hz)."""

    needles_per_stamp: int
    frequency_hz: float

    @classmethod
    def of(cls, device: Device) -> _PenGeometry:
        if device.needles_per_stamp is None or device.frequency_hz is None:
            raise InputError(f"{device.name} is not a pen with a cartridge; valid: a pen device")
        return cls(device.needles_per_stamp, device.frequency_hz)


@dataclass(frozen=True)
class _Mechanics:
    device: Device
    site: Site
    length: float  # m
    depth: float  # m, mean insertion depth
    contact: float
    force_per_needle: float
    density_per_pass: float  # 1/m2
    opening: float  # m
    used: SourceSet
    pain_depth: float = 0.0  # m: depth the pain model uses (an unworn device's depth for a worn one)
    pain_contact: float = 1.0  # needles entering together, for the pain model (likewise)
    pierced: float = 1.0  # share of needle entries that puncture (pressed short needles: below 1)


def _resolve(device: Device | str, site: Site | str) -> tuple[Device, Site]:
    dev = device if isinstance(device, Device) else get_device(device)
    st = site if isinstance(site, Site) else get_site(site)
    return dev, st


def _mechanics(device: Device, site: Site, t: Technique, parameters: ParameterValues | None = None) -> _Mechanics:
    pv = resolve(parameters)
    used = SourceSet(device.sources)
    if t.needle_length_mm is not None:
        device = device.with_length(t.needle_length_mm)
    length = mm_to_m(device.needle_length_mm)
    tip = um_to_m(device.tip_radius_um)
    if device.wear_uses > 0:  # a worn device has blunter tips (named assumption; no wear data exist)
        tip *= 1.0 + used.use(pv["wear-tip-radius-growth-per-use"]) * device.wear_uses
    factor = used.use(pv[f"site-dimple-factor-{site.region}"]) * used.use(pv[f"pressure-dimple-factor-{t.pressure}"])
    kw = dict(
        dimple_ref=used.use(pv["dimple-depth-reference"]),
        force_ref=used.use(pv["reference-force-per-needle"]),
        force_exponent=used.use(pv["dimple-force-exponent"]),
        tip_ref=used.use(pv["reference-tip-radius"]),
        tip_exponent=used.use(pv["dimple-tip-exponent"]),
    )
    f_puncture = used.use(pv["puncture-force-per-needle"])
    if device.kind == "roller":
        hand = used.use(pv[f"roller-hand-force-{t.pressure}"])
        drum = _RollerGeometry.of(device)
        drum_r = drum.radius
        # Puncture is decided at first touch, when at most one needle per ring bears on the skin.
        first_touch = hand / drum.rings
        shaft = dict(
            limit_ref=used.use(pv["roller-shaft-limit-reference"]), force_ref=used.use(pv["reference-force-per-needle"])
        )
        depth, contact, f_n = 0.0, float(drum.rings), first_touch
        if insertion.punctures(first_touch, tip, f_puncture, kw["tip_ref"], kw["tip_exponent"]):
            depth = pv.value("session-solver-start-fraction") * length
            damping = pv.value("session-solver-damping")
            # Fixed point: the contact count depends on the depth, the depth on the force per needle; damped so
            # that the two settle together.
            for _ in range(int(pv.value("session-solver-iterations"))):
                contact = insertion.roller_needles_in_contact(drum.needles_per_ring, drum.rings, drum_r, length, depth)
                f_n = hand / contact
                free = max(0.0, length - insertion.dimple_depth(f_n, tip, factor=factor, **kw))
                new_depth = insertion.shaft_limited_depth(free, insertion.shaft_limit(f_n, **shaft))
                depth = damping * depth + (1.0 - damping) * new_depth
        rolling_radius = drum_r + length - depth
        # A pressed needle shorter than the skin's deflection at puncture meets it with the drum first.
        pierced = insertion.pressed_puncture_fraction(
            length,
            used.use(pv["pressed-puncture-deflection"]),
            used.use(pv["pressed-puncture-deflection-spread"]),
        )
        density = channels.roller_density(device.needle_count, rolling_radius, drum.width) * pierced
    else:
        pen = _PenGeometry.of(device)
        pierced = 1.0  # driven in at speed: impact insertion punctures (Verbaan 2008)
        f_n = used.use(pv["pen-force-per-needle"])
        contact = float(pen.needles_per_stamp)
        factor *= used.use(pv["pen-impact-dimple-factor"])
        if insertion.punctures(f_n, tip, f_puncture, kw["tip_ref"], kw["tip_exponent"]):
            depth = max(0.0, length - insertion.dimple_depth(f_n, tip, factor=factor, **kw))
        else:
            depth = 0.0
        speed = mm_to_m(t.speed_mm_s) if t.speed_mm_s else used.use(pv["pen-hand-speed"])
        spacing = mm_to_m(t.line_spacing_mm) if t.line_spacing_mm else used.use(pv["pen-line-spacing"])
        density = channels.pen_density(pen.needles_per_stamp, pen.frequency_hz, speed, spacing)
    opening = used.use(pv["channel-opening-fraction"]) * mm_to_m(device.needle_diameter_mm) if depth > 0 else 0.0
    used.update(site.sources())
    pain_depth, pain_contact = depth, contact
    if device.wear_uses > 0:  # pain of a worn device: the new device's, scaled up by the blunting (see _finish)
        unworn = _mechanics(device.model_copy(update={"wear_uses": 0}), site, t, pv)
        pain_depth, pain_contact = unworn.depth, unworn.contact
    return _Mechanics(
        device, site, length, depth, contact, f_n, density, opening, used, pain_depth, pain_contact, pierced
    )


def _layer_tops(site: Site, sex: str) -> tuple[np.ndarray, np.ndarray]:
    tops, sds, depth, var = [], [], 0.0, 0.0
    for layer in LAYERS:
        tops.append(depth)
        sds.append(math.sqrt(var))
        mean, sd = site.thickness_um(layer, sex)
        depth += mean
        var += sd**2
    return um_to_m(np.array(tops)), um_to_m(np.array(sds))


def _loop_zone(site: Site, sex: str, used: SourceSet, pv: ParameterValues) -> tuple[float, float, float]:
    """Top of the capillary-loop zone (m), its SD (m) and the zone's thickness down to the plexus (m)."""
    b = site.layer_bottoms_um(sex)
    pap = site.thickness_um("papillary_dermis", sex)[0]
    offset = used.use(pv["capillary-loop-apex-offset"]) * pap
    zone = b["viable_epidermis"] + offset
    sd = math.sqrt(sum(site.thickness_um(layer, sex)[1] ** 2 for layer in LAYERS[:2]))
    return um_to_m(zone), um_to_m(sd), um_to_m(pap - offset)


def _loop_strike_weight(
    depths: np.ndarray, zone: float, zone_sd: float, thickness: float, rng: np.random.Generator | None
) -> float:
    """Mean fraction of the loop zone the channels run through (0 above it, 1 through to the plexus)."""
    if depths.size == 0:
        return 0.0
    tops = zone + (rng.standard_normal(depths.size) * zone_sd if rng is not None else 0.0)
    return float(np.mean(np.clip((depths - tops) / thickness, 0.0, 1.0)))


def _finish(
    m: _Mechanics,
    t: Technique,
    sex: str,
    anaesthesia: Anaesthesia | None,
    pv: ParameterValues,
    *,
    density_mean: float,
    density_sd: float,
    coverage: float,
    punctures: float,
    injured: float,
    depth_mean: float,
    depth_sd: float,
    p5: float,
    p95: float,
    reach: np.ndarray,
    frac_loops: float,
    **extra: Any,
) -> SessionResult:
    used = m.used
    share = bleeding.bleeding_share(frac_loops, used.use(pv["capillary-loop-hit-probability"]))
    strikes = bleeding.capillary_strikes(per_m2_to_per_cm2(density_mean), share)
    end = bleeding.endpoint(share, used.use(pv["pinpoint-bleeding-threshold"]))
    worn = m.device.wear_uses > 0
    rel = pain.relative_to_hypodermic(
        m_to_um(m.pain_depth if worn else depth_mean),
        m.pain_contact if worn else m.contact,
        rel_low=used.use(pv["gill-relative-low"]),
        length_low_um=pv["gill-length-low"].value,
        count_low=used.use(pv["gill-count-low"]),
        length_exponent=used.use(pv["gill-length-exponent"]),
        count_exponent=used.use(pv["gill-count-exponent"]),
        length_high_um=pv["gill-length-high"].value,
    )
    rel *= pain.session_factor(
        t.passes,
        t.area_cm2 or DEFAULT_AREA_CM2,
        ref_passes=used.use(pv["pain-reference-passes"]),
        ref_area_cm2=pv["pain-reference-area"].value,
        passes_exp=used.use(pv["pain-passes-exponent"]),
        area_exp=used.use(pv["pain-area-exponent"]),
    )
    if m.device.kind == "roller":
        # only the entries that puncture hurt as needling does (a pressed short needle mostly does not puncture)
        rel *= used.use(pv["roller-pain-factor"]) * m.pierced
    multiplier = 1.0
    if m.device.wear_uses > 0:
        blunting = 1.0 + used.use(pv["wear-tip-radius-growth-per-use"]) * m.device.wear_uses
        multiplier *= blunting ** used.use(pv["wear-pain-exponent"])
    if anaesthesia is not None:
        cream = float(anaesthesia.pain_multiplier)
        if not 0.0 < cream <= 1.0:
            raise InputError(f"anaesthesia pain multiplier {cream} is out of range; valid: (0, 1]")
        multiplier *= cream
        used.update(anaesthesia.sources)
    used.add(pv["clinical-vas"])
    vas = pain.vas(rel, used.use(pv["vas-per-relative-pain"]), multiplier)
    residual = used.use(pv["channel-relaxation-fraction"]) * depth_mean
    used.add(pv["dimple-cv"])
    return SessionResult(
        device=m.device.name,
        site=m.site.name,
        sex=sex,
        technique=t,
        needle_length=m.length,
        channels_per_m2=density_mean,
        channels_per_m2_sd=density_sd,
        channels_per_m2_per_pass=m.density_per_pass,
        coverage_fraction=coverage,
        punctures_per_m2=punctures,
        injured_fraction=injured,
        depth_mean=depth_mean,
        depth_sd=depth_sd,
        depth_p5=p5,
        depth_p95=p95,
        channel_diameter=m.opening,
        residual_channel_depth=residual,
        layer_reach={layer: float(r) for layer, r in zip(LAYERS, reach, strict=True)},
        bleeding_strikes_per_m2=per_cm2_to_per_m2(strikes),
        bleeding_share=share,
        endpoint=end,
        pain_vas=vas,
        pain_relative_to_hypodermic=rel,
        needles_in_contact=m.contact,
        force_per_needle_n=m.force_per_needle,
        layer_bottoms={k: um_to_m(v) for k, v in m.site.layer_bottoms_um(sex).items()},
        sources=used.sorted(),
        punctured_fraction=m.pierced,
        **extra,
    )


def used_merge_distance(m: _Mechanics, pv: ParameterValues) -> float:
    """Return the centre distance below which punctures share a channel, m.

    Parameters
    ----------
    m : _Mechanics
        The session's resolved mechanics (device and the sources used so far; the parameter is added).
    pv : ParameterValues
        The model parameters; ``channel-merge-distance`` (a named assumption) is the distance in needle
        diameters.

    Returns
    -------
    float
        The merge distance, m: ``channel-merge-distance`` times the needle diameter.
    """
    return m.used.use(pv["channel-merge-distance"]) * mm_to_m(m.device.needle_diameter_mm)


def _opened_fraction(distinct_per_m2: float, opening: float) -> float:
    """Surface fraction opened by distinct channels; their openings (narrower than the merge distance) never overlap."""
    return float(min(1.0, distinct_per_m2 * math.pi * opening**2 / 4.0))


def _check_sex(sex: str) -> str:
    if sex not in ("female", "male"):
        raise InputError(f"unknown sex {sex!r}; valid: female, male", field="sex")
    return sex


def _start(
    device: Device | str, site: Site | str, technique: Technique | None, sex: str, parameters: ParameterValues | None
) -> tuple[Technique, ParameterValues, _Mechanics]:
    """Check ``sex``, resolve the device, site, technique and parameters, and work out the session's mechanics.

    Parameters
    ----------
    device : Device or str
        A device or a catalogue name / device-file path.
    site : Site or str
        A skin site or its name.
    technique : Technique or None
        The technique; None for one pass at moderate pressure.
    sex : {"female", "male"}
        Selects the layer thickness where the data differ by sex.
    parameters : ParameterValues or None
        The model parameters (None: the default set).

    Returns
    -------
    tuple of (Technique, ParameterValues, _Mechanics)
        The technique, the parameters and the mechanics (``site`` resolved on it).
    """
    t = technique or Technique()
    _check_sex(sex)
    dev, st = _resolve(device, site)
    pv = resolve(parameters)
    return t, pv, _mechanics(dev, st, t, pv)


def quick_session(
    device: Device | str,
    site: Site | str,
    technique: Technique | None = None,
    sex: str = "female",
    anaesthesia: Anaesthesia | None = None,
    parameters: ParameterValues | None = None,
) -> SessionResult:
    """Compute the session's means in closed form (no channel map), in well under 10 ms.

    Same inputs as :func:`simulate_session` (without a seed); the channel density is exactly ``passes``
    times the per-pass density, depth is normal with the named coefficient of variation, layer reach is
    ``P(depth > layer top)`` with the layers' thickness spread.

    Parameters
    ----------
    device : Device or str
        A device or a catalogue name / device-file path.
    site : Site or str
        A skin site or its name.
    technique : Technique, optional
        Passes, directions, pressure, area (cm2), pen speed (mm/s) and line spacing (mm), needle length
        override (mm); default one pass at moderate pressure.
    sex : {"female", "male"}
        Selects the layer thickness where the data differ by sex.
    anaesthesia : object with ``pain_multiplier`` and ``sources``, optional
        Topical anaesthesia (see :func:`needling.simulation.anaesthesia_effect`); the multiplier (0-1]
        scales the pain score.
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    SessionResult
        Mean channel density (SI, 1/m2), coverage, depth and its percentiles (m), layer reach, bleeding,
        pain (VAS 0-10) and the sources used; no channel map.

    Raises
    ------
    needling.errors.InputError
        If ``sex`` is not ``"female"`` or ``"male"``, or the device or site is unknown.

    See Also
    --------
    simulate_session : The same session with its full, seeded channel map.

    References
    ----------
    Gill2008 (evidence key): Gill HS, Denson DD, Burris BA, Prausnitz MR. Effect of microneedle design on
    pain in human volunteers. Clin J Pain 2008;24:585-594 (pain against needle length and count).

    Examples
    --------
    >>> from needling.simulation import quick_session
    >>> r = quick_session("dermaroller-192-0.5", "cheek")
    >>> 0.0 < r.depth_mean_um < 500.0 and 0.0 <= r.pain_vas <= 10.0
    True
    """
    t, pv, m = _start(device, site, technique, sex, parameters)
    cv = m.used.use(pv["dimple-cv"])
    pressed = m.device.kind == "roller"
    depth_sd = (cv * m.depth if pressed else cv * (m.length - m.depth)) if m.depth > 0 else 0.0
    tops, sds = _layer_tops(m.site, sex)
    if pressed:
        reach = insertion.reach_fractions_pressed(m.depth, cv, m.length, tops, sds)
    else:
        reach = insertion.reach_fractions_analytic(m.depth, depth_sd, tops, sds)
    zone, zone_sd, zone_thick = _loop_zone(m.site, sex, m.used, pv)
    # Closed-form expectation by Gauss-Hermite quadrature over the depth and zone spread.
    nodes, weights = np.polynomial.hermite_e.hermegauss(int(pv.value("depth-quadrature-nodes")))
    depths_q = np.clip(m.depth + nodes * math.hypot(depth_sd, zone_sd), 0.0, m.length)
    frac_loops = float(np.sum(weights * np.clip((depths_q - zone) / zone_thick, 0.0, 1.0)) / np.sum(weights))
    # Percentiles of a log-normal dimple (see insertion.sample_depths).
    sigma = math.sqrt(math.log1p(cv**2))
    z = float(ndtri(0.95))
    if m.depth <= 0:
        p5 = p95 = 0.0
    elif pressed:  # log-normal depth (see insertion.sample_pressed_depths)
        p5 = m.depth * math.exp(-0.5 * sigma**2 - z * sigma)
        p95 = min(m.length, m.depth * math.exp(-0.5 * sigma**2 + z * sigma))
    else:  # log-normal dimple (see insertion.sample_depths)
        dimple = m.length - m.depth
        p5 = max(0.0, m.length - dimple * math.exp(-0.5 * sigma**2 + z * sigma))
        p95 = m.length - dimple * math.exp(-0.5 * sigma**2 - z * sigma)
    punctures = m.density_per_pass * t.passes
    merge = used_merge_distance(m, pv)
    density = channels.distinct_density(punctures, merge, m.used.use(pv["rsa-jamming-coverage"]))
    return _finish(
        m,
        t,
        sex,
        anaesthesia,
        pv,
        density_mean=density,
        density_sd=0.0,
        coverage=_opened_fraction(density, m.opening),
        punctures=punctures,
        injured=channels.coverage_from_density(punctures, merge),
        depth_mean=m.depth,
        depth_sd=depth_sd,
        p5=p5,
        p95=p95,
        reach=reach,
        frac_loops=frac_loops,
    )


def simulate_session(
    device: Device | str,
    site: Site | str,
    technique: Technique | None = None,
    sex: str = "female",
    seed: int = 0,
    anaesthesia: Anaesthesia | None = None,
    parameters: ParameterValues | None = None,
) -> SessionResult:
    """Simulate a session with its full channel map.

    Parameters
    ----------
    device : Device or str
        A device or a catalogue name / device-file path.
    site : Site or str
        A skin site or its name.
    technique : Technique, optional
        Passes, directions, pressure, area, pen speed and line spacing, needle length override.
    sex : {"female", "male"}
        Selects the layer thickness where the data differ by sex.
    seed : int
        Seed of the random generator: the same inputs and seed give the same result.
    anaesthesia : object with ``pain_multiplier`` and ``sources``, optional
        Topical anaesthesia (see ``needling.simulation.anaesthesia_effect``).
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).

    Returns
    -------
    SessionResult
        Channel density (mean and spread over 1 cm2 cells), coverage, depth per channel and per layer,
        bleeding, pain and the sources used.

    Raises
    ------
    needling.errors.InputError
        If ``sex`` is not ``"female"`` or ``"male"``, the device or site is unknown, or the technique does
        not fit the device.

    References
    ----------
    Gill2008 (evidence key): Gill HS, Denson DD, Burris BA, Prausnitz MR. Effect of microneedle design on
    pain in human volunteers. Clin J Pain 2008;24:585-594 (pain against needle length and count).
    """
    t, pv, m = _start(device, site, technique, sex, parameters)
    rng = np.random.default_rng(seed)
    used = m.used
    area = to_si(t.area_cm2 or DEFAULT_AREA_CM2, "cm2")
    side = math.sqrt(area)
    if m.device.kind == "roller":
        drum = _RollerGeometry.of(m.device)
        drum_r = drum.radius
        cmap = channels.roller_map(
            drum.needles_per_ring,
            drum.rings,
            drum_r + m.length - m.depth,
            drum.width,
            side,
            t.passes,
            t.directions,
            used.use(pv["roller-jitter"]),
            used.use(pv["roller-lane-wobble"]),
            rng,
        )
    else:
        pen = _PenGeometry.of(m.device)
        speed = mm_to_m(t.speed_mm_s) if t.speed_mm_s else used.use(pv["pen-hand-speed"])
        spacing = mm_to_m(t.line_spacing_mm) if t.line_spacing_mm else used.use(pv["pen-line-spacing"])
        cmap = channels.pen_map(
            pen.needles_per_stamp,
            pen.frequency_hz,
            speed,
            spacing,
            used.use(pv["pen-cartridge-pitch"]),
            side,
            t.passes,
            t.directions,
            used.use(pv["roller-jitter"]),
            rng,
        )
    punctures = channels.keep_punctured(cmap, m.pierced, rng)
    cmap = channels.merge_punctures(punctures, used_merge_distance(m, pv))
    grid = channels.density_grid(cmap, cell=min(0.01, side))
    fine = channels.density_grid(cmap, cell=side / 12.0)
    density_mean = cmap.count / area
    cv = used.use(pv["dimple-cv"])
    sampler = insertion.sample_pressed_depths if m.device.kind == "roller" else insertion.sample_depths
    depths = sampler(m.depth, m.length, cv, cmap.count, rng)
    tops, sds = _layer_tops(m.site, sex)
    reach = insertion.reach_fractions(depths, tops, sds, rng)
    zone, zone_sd, zone_thick = _loop_zone(m.site, sex, used, pv)
    frac_loops = _loop_strike_weight(depths, zone, zone_sd, zone_thick, rng)
    if depths.size:
        p5, p95, dmean, dsd = (
            float(np.percentile(depths, 5)),
            float(np.percentile(depths, 95)),
            float(depths.mean()),
            float(depths.std()),
        )
    else:
        p5 = p95 = dmean = dsd = 0.0
    return _finish(
        m,
        t,
        sex,
        anaesthesia,
        pv,
        density_mean=density_mean,
        density_sd=float(grid.std()),
        coverage=_opened_fraction(density_mean, m.opening),
        punctures=punctures.count / area,
        injured=channels.injured_fraction(punctures, mm_to_m(m.device.needle_diameter_mm)),
        depth_mean=dmean,
        depth_sd=dsd,
        p5=p5,
        p95=p95,
        reach=reach,
        frac_loops=frac_loops,
        channel_map=cmap,
        depths=depths,
        density_grid_per_m2=fine,
    )
