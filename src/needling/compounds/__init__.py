"""Topical compounds: catalogue and user compound files."""

from needling.compounds.catalogue import compound_names, get_compound, list_compounds, load_all, load_compound_file
from needling.compounds.model import Compound

__all__ = ["Compound", "compound_names", "get_compound", "list_compounds", "load_all", "load_compound_file"]
