"""Skin sites and their layers (stratum corneum, viable epidermis, papillary and reticular dermis)."""

from needling.anatomy.sites import LAYERS, SEXES, Site, get_site, list_sites, site_names

__all__ = ["LAYERS", "SEXES", "Site", "get_site", "list_sites", "site_names"]
