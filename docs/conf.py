"""Sphinx configuration of the needling documentation (built offline: ``make docs``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
os.environ.setdefault("MPLBACKEND", "Agg")

import needling  # noqa: E402

project = "needling"
author = "the needling contributors"
copyright = "the needling contributors, MIT licence"
version = release = needling.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "needling_math",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "needling_tables",
    "needling_cli",
    "needling_trials",
    "needling_validation",
    "needling_calibration",
]

# Nothing is fetched, at build or when reading: no intersphinx, equations drawn as SVG at build time.
html_math_renderer = "mathtext"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.ipynb", "auto_examples/*.py"]
templates_path = ["_templates"]
html_static_path = ["_static"]

autosummary_generate = True
autodoc_typehints = "none"
autodoc_default_options = {"members": True, "show-inheritance": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()

sphinx_gallery_conf = {
    "examples_dirs": str(HERE.parent / "examples" / "gallery"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "show_memory": False,
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "plot_gallery": "True",
}

smartquotes = False  # options such as --format stay as typed

html_theme = "pydata_sphinx_theme"
html_title = f"needling {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 7,
    "icon_links": [],
    "footer_start": ["copyright"],
    "footer_end": [],
    "check_switcher": False,
}
html_show_sourcelink = False
html_css_files = ["needling.css"]
html_sidebars = {"parameters": [], "bibliography": [], "models": [], "getting-started": [], "api": []}
html_context = {"default_mode": "light"}


def _skip_type_variables(app, what, name, obj, skip, options):
    """Type variables (``Q = TypeVar(...)``) are typing helpers, not API; numpydoc cannot document them."""
    from typing import TypeVar

    return True if isinstance(obj, TypeVar) else skip


def setup(app):
    app.connect("autodoc-skip-member", _skip_type_variables)
