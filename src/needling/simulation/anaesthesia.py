"""Topical anaesthesia: the cream's uptake to the nerve endings lowers the pain of needling.

The anaesthetic (lidocaine, prilocaine or their eutectic) is applied under occlusion for a number of
minutes, on intact skin or after a light pre-needling that opens channels. Its concentration at the
nerve endings (the top of the papillary dermis, averaged over the cell) at the end of the application
gives the pain multiplier ``1 - Emax C / (C + EC50)`` (named assumptions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from needling.anatomy import Site, get_site
from needling.compounds import Compound, get_compound
from needling.errors import InputError, check_range
from needling.evidence import SourceSet
from needling.parameters import ParameterValues, resolve
from needling.units import convert

ANAESTHETICS = ("lidocaine", "prilocaine", "lidocaine-prilocaine")


@dataclass
class AnaesthesiaEffect:
    """Pain multiplier of a topical anaesthetic and what it rests on.

    Attributes
    ----------
    compound : str
        The anaesthetic's name.
    minutes : float
        Application time under occlusion, min.
    pre_needle_mm : float or None
        Needle length of the pre-needling, mm; None for intact skin.
    nerve_concentration_g_l : float
        Concentration at the nerve endings (top of the papillary dermis) at the end of the application, g/L.
    pain_multiplier : float
        Factor on the pain of needling, in (0, 1].
    sources : list of str
        Evidence keys of every value used.
    """

    compound: str
    minutes: float
    pre_needle_mm: float | None
    nerve_concentration_g_l: float
    pain_multiplier: float
    sources: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """Return the effect as a JSON document.

        Returns
        -------
        dict
            ``compound``, ``minutes`` (min), ``pre_needle_mm`` (mm or None), ``nerve_concentration_g_l``
            (g/L) and ``pain_multiplier`` (0-1), rounded for reading.
        """
        return {
            "compound": self.compound,
            "minutes": self.minutes,
            "pre_needle_mm": self.pre_needle_mm,
            "nerve_concentration_g_l": round(self.nerve_concentration_g_l, 6),
            "pain_multiplier": round(self.pain_multiplier, 4),
        }


def anaesthesia_effect(
    compound: Compound | str,
    minutes: float,
    site: Site | str,
    sex: str = "female",
    pre_needle_mm: float | None = None,
    parameters: ParameterValues | None = None,
    age_years: float | None = None,
) -> AnaesthesiaEffect:
    """Compute the pain multiplier of a topical anaesthetic applied for ``minutes`` before needling.

    Parameters
    ----------
    compound : str or Compound
        ``lidocaine``, ``prilocaine`` or ``lidocaine-prilocaine``.
    minutes : float
        Application time under occlusion, min (1-240).
    site : str or Site
        The skin site (or its name) where the cream is applied; its papillary dermis top is where the
        nerve endings are.
    sex : {"female", "male"}
        Selects the layer thickness where the data differ by sex.
    pre_needle_mm : float, optional
        Needle length of a light pre-needling (a 192-needle roller, named number of passes) before the
        cream, mm (0-1]; None for intact skin.
    parameters : ParameterValues, optional
        The model parameters (default: :func:`needling.parameters.default_parameters`).
    age_years : float, optional
        Patient's age, years: after pre-needling, channels close slower with age (Kelchen 2016); no effect on
        intact skin.

    Returns
    -------
    AnaesthesiaEffect
        Concentration at the nerve endings (g/L) and the pain multiplier (0-1].

    Raises
    ------
    needling.errors.InputError
        If the compound is not one of the anaesthetics, ``minutes`` is outside 1-240 min or
        ``pre_needle_mm`` outside (0, 1] mm.

    References
    ----------
    Kelchen2016 (evidence key): Kelchen MN, Siefers KJ, Converse CC, Farley MJ, Holdren GO, Brogden NK.
    J Control Release 2016;225:294-300, doi:10.1016/j.jconrel.2016.01.051 (age).
    """
    pv = resolve(parameters)
    from needling.simulation.delivery import deliver
    from needling.simulation.session import Technique

    comp = compound if isinstance(compound, Compound) else get_compound(compound)
    if comp.name not in ANAESTHETICS:
        raise InputError(
            f"{comp.name} is not a topical anaesthetic; valid: {', '.join(ANAESTHETICS)}", field="anaesthetic"
        )
    check_range("anaesthetic_minutes", minutes, low=1.0, high=240.0, unit="min")
    st = site if isinstance(site, Site) else get_site(site)
    used = SourceSet(
        [
            pv["anaesthetic-max-pain-reduction"],
            pv["anaesthetic-ec50-nerve"],
            pv["anaesthetic-hill-coefficient"],
            pv["emla-time"],
        ]
    )
    if pre_needle_mm is None:
        device, technique = "dermaroller-192-0.2", None
    else:
        check_range("pre_needle_mm", pre_needle_mm, low=0.0, low_inclusive=False, high=1.0, unit="mm")
        device = "dermaroller-192-0.5"
        technique = Technique(passes=int(pv["pre-needling-passes"].value), directions=2, needle_length_mm=pre_needle_mm)
        used.add(pv["pre-needling-passes"])
    res = deliver(
        comp,
        device,
        st,
        technique,
        occluded=True,
        hours=minutes / 60.0,
        model="reduced",
        sex=sex,
        parameters=pv,
        age_years=age_years,
    )
    used.update(res.sources)
    nerve_depth = st.layer_tops_um(sex)["papillary_dermis"]
    profile = res.profile_ug_per_ml if pre_needle_mm is not None else res.intact_profile_ug_per_ml
    c = convert(float(np.interp(nerve_depth, res.z_um, profile)), "ug/mL", "g/L")
    emax, ec50, hill = (
        pv["anaesthetic-max-pain-reduction"].value,
        pv["anaesthetic-ec50-nerve"].value,
        pv["anaesthetic-hill-coefficient"].value,
    )
    effect = emax * c**hill / (c**hill + ec50**hill) if c > 0 else 0.0
    return AnaesthesiaEffect(comp.name, minutes, pre_needle_mm, c, 1.0 - effect, used.sorted())
