"""The evidence layer: sources, cited values and named assumptions.

Every number that comes from the literature is a :class:`Cited` value; every number that does not
is an :class:`Assumption` with its reasoning and grade L. Results list the source keys they relied
on, and ``needling sources`` prints the bibliography. This package imports nothing else of needling.
"""

from needling.evidence.bibliography_io import (
    Bibliography,
    Source,
    bibliography,
    format_bibliography,
)
from needling.evidence.cited import (
    Assumption,
    Cited,
    Grade,
    Parameter,
    SourceSet,
    all_parameters,
    keys_of,
)

__all__ = [
    "Assumption",
    "Bibliography",
    "Cited",
    "Grade",
    "Parameter",
    "Source",
    "SourceSet",
    "all_parameters",
    "bibliography",
    "format_bibliography",
    "keys_of",
]
