"""Skin sites: the four layers a needle meets, by sex, with their spread.

A :class:`Site` maps each layer to a Cited value or Assumption in micrometres (mean and SD).
The dermis of each site is split into papillary and reticular parts by the named assumption
``papillary-dermis-fraction``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from needling.anatomy import thickness_data as td
from needling.errors import InputError, unknown_name_error
from needling.evidence import Assumption, Cited

LAYERS: tuple[str, ...] = ("stratum_corneum", "viable_epidermis", "papillary_dermis", "reticular_dermis")
SEXES: tuple[str, ...] = ("female", "male")
Sex = Literal["female", "male"]
Region = Literal["face", "scalp", "body"]
Parameter = Cited | Assumption


@dataclass(frozen=True)
class _SiteData:
    label: str
    region: Region
    stratum_corneum: Parameter
    viable_epidermis: Parameter
    dermis: dict[str, Parameter]  # by sex


def _both(p: Parameter) -> dict[str, Parameter]:
    return {"female": p, "male": p}


def _meng(site: str) -> dict[str, Parameter]:
    return {sex: td.DERMIS_MENG[(site, sex)] for sex in SEXES}


_SITES: dict[str, _SiteData] = {
    "forehead": _SiteData("Forehead", "face", td.SC_GENERAL, td.VE_FACE, _meng("forehead")),
    "temple": _SiteData("Temple", "face", td.SC_GENERAL, td.VE_FACE, _meng("temple")),
    "periorbital": _SiteData("Periorbital (eyelid)", "face", td.SC_GENERAL, td.VE_FACE, _meng("eyelid")),
    "nose": _SiteData("Nose (nasal dorsum)", "face", td.SC_GENERAL, td.VE_FACE, _meng("nasal dorsum")),
    "cheek": _SiteData("Cheek (zygoma)", "face", td.SC_GENERAL, td.VE_FACE, _meng("zygoma")),
    "perioral": _SiteData("Perioral (upper lip)", "face", td.SC_GENERAL, td.VE_UPPER_LIP, _both(td.DERMIS_PERIORAL)),
    "chin": _SiteData("Chin", "face", td.SC_GENERAL, td.VE_FACE, _both(td.DERMIS_CHIN)),
    "submandibular": _SiteData("Submandibular", "face", td.SC_GENERAL, td.VE_FACE, _meng("submandibular")),
    "neck": _SiteData("Neck", "face", td.SC_GENERAL, td.VE_FACE, _meng("neck")),
    "scalp": _SiteData("Scalp", "scalp", td.SC_GENERAL, td.VE_SCALP, _both(td.DERMIS_SCALP)),
    "abdomen": _SiteData("Abdomen", "body", td.SC_BUTTOCK, td.VE_BUTTOCK, _both(td.DERMIS_ABDOMEN)),
    "thigh": _SiteData("Thigh", "body", td.SC_BUTTOCK, td.VE_BUTTOCK, _both(td.DERMIS_THIGH)),
    "upper-arm": _SiteData("Upper arm", "body", td.SC_FOREARM, td.VE_FOREARM, _both(td.DERMIS_UPPER_ARM)),
    "back": _SiteData("Back", "body", td.SC_SHOULDER, td.VE_SHOULDER, _both(td.DERMIS_BACK)),
}

#: Where a body site borrows another site's measurement, the reason (shown by ``sites show``).
PROXIES: dict[str, str] = {
    "abdomen": "SC and viable epidermis from the buttock (Sandby-Moller 2003), the nearest trunk site measured",
    "thigh": "SC and viable epidermis from the buttock (Sandby-Moller 2003), the nearest site measured",
    "upper-arm": "SC and viable epidermis from the dorsal forearm (Sandby-Moller 2003)",
    "back": "SC and viable epidermis from the shoulder (Sandby-Moller 2003)",
}


@dataclass(frozen=True)
class Site:
    """A skin site and its layers.

    Attributes
    ----------
    name : str
        Kebab-case identifier (``"cheek"``).
    label : str
        Human-readable name.
    region : {"face", "scalp", "body"}
        Where on the body.
    """

    name: str
    label: str
    region: Region
    _data: _SiteData

    def _check_sex(self, sex: str) -> str:
        if sex not in SEXES:
            raise InputError(f"unknown sex {sex!r}; valid: {', '.join(SEXES)}", field="sex")
        return sex

    def parameter(self, layer: str, sex: str = "female") -> Parameter:
        """Return the Cited value or Assumption behind a layer's thickness (for the dermis parts, the dermis).

        Parameters
        ----------
        layer : str
            One of :data:`LAYERS`, or ``dermis``.
        sex : {"female", "male"}
            The sex whose dermis thickness applies.

        Returns
        -------
        Cited or Assumption
            The thickness parameter, in m, with its source.

        Raises
        ------
        InputError
            For an unknown layer or sex.
        """
        self._check_sex(sex)
        if layer == "stratum_corneum":
            return self._data.stratum_corneum
        if layer == "viable_epidermis":
            return self._data.viable_epidermis
        if layer in ("papillary_dermis", "reticular_dermis", "dermis"):
            return self._data.dermis[sex]
        raise unknown_name_error("layer", layer, LAYERS, field="layer")

    def thickness_um(self, layer: str, sex: str = "female") -> tuple[float, float]:
        """Mean and standard deviation of a layer's thickness, in micrometres.

        Parameters
        ----------
        layer : str
            One of :data:`LAYERS`.
        sex : {"female", "male"}

        Returns
        -------
        (float, float)
            Mean and SD in um.
        """
        p = self.parameter(layer, sex)
        mean, sd = p.value, p.sd or 0.0
        if layer in ("papillary_dermis", "reticular_dermis"):
            frac = td.PAPILLARY_FRACTION.value
            if layer == "reticular_dermis":
                frac = 1.0 - frac
            return mean * frac, sd * frac
        return mean, sd

    def layer_bottoms_um(self, sex: str = "female") -> dict[str, float]:
        """Return the depth below the surface of each layer's lower boundary (mean thicknesses).

        Parameters
        ----------
        sex : {"female", "male"}
            The sex whose dermis thickness applies.

        Returns
        -------
        dict of str to float
            Layer name to the depth of its lower boundary, um.
        """
        depth = 0.0
        out: dict[str, float] = {}
        for layer in LAYERS:
            depth += self.thickness_um(layer, sex)[0]
            out[layer] = depth
        return out

    def layer_tops_um(self, sex: str = "female") -> dict[str, float]:
        """Return the depth below the surface of each layer's upper boundary (mean thicknesses).

        Parameters
        ----------
        sex : {"female", "male"}
            The sex whose dermis thickness applies.

        Returns
        -------
        dict of str to float
            Layer name to the depth of its upper boundary, um (0 for the stratum corneum).
        """
        bottoms = self.layer_bottoms_um(sex)
        tops, prev = {}, 0.0
        for layer in LAYERS:
            tops[layer] = prev
            prev = bottoms[layer]
        return tops

    def sources(self, sex: str = "female") -> set[str]:
        """Return the keys of every source and assumption behind this site's layers.

        Parameters
        ----------
        sex : {"female", "male"}
            The sex whose dermis thickness applies.

        Returns
        -------
        set of str
            Bibliography keys and ``assumption:<name>`` keys.
        """
        keys = {self.parameter(layer, sex).key for layer in LAYERS}
        keys.add(td.PAPILLARY_FRACTION.key)
        return keys

    def to_json(self, sex: str | None = None) -> dict[str, object]:
        """Return a JSON-ready description of the site; both sexes unless ``sex`` is given.

        Parameters
        ----------
        sex : {"female", "male"} or None
            One sex only, or None for both.

        Returns
        -------
        dict
            ``name``, ``label``, ``region``, ``layers`` (per sex and layer: ``mean_um``, ``sd_um`` in um, ``source``,
            ``grade``), ``proxy_note`` and ``sources``.
        """
        sexes = SEXES if sex is None else (self._check_sex(sex),)
        layers = {}
        for s in sexes:
            layers[s] = {}
            for layer in LAYERS:
                mean, sd = self.thickness_um(layer, s)
                p = self.parameter(layer, s)
                layers[s][layer] = {
                    "mean_um": round(mean, 2),
                    "sd_um": round(sd, 2),
                    "source": p.key,
                    "grade": str(p.grade),
                }
        return {
            "name": self.name,
            "label": self.label,
            "region": self.region,
            "layers": layers,
            "proxy_note": PROXIES.get(self.name, ""),
            "sources": sorted(set().union(*(self.sources(s) for s in sexes))),
        }


@cache
def get_site(name: str) -> Site:
    """Return the site called ``name``; an unknown name raises InputError with the nearest names."""
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key not in _SITES:
        raise unknown_name_error("site", name, _SITES, field="site")
    d = _SITES[key]
    return Site(key, d.label, d.region, d)


def list_sites() -> list[Site]:
    """Return every site of the catalogue, in anatomical order (face, scalp, body).

    Returns
    -------
    list of Site
        The sites.
    """
    return [get_site(n) for n in _SITES]


def site_names() -> list[str]:
    """Return the identifiers of every site.

    Returns
    -------
    list of str
        Site names, in the catalogue's order.
    """
    return list(_SITES)
