"""The citations of a result: the bibliography entries and named assumptions behind its ``sources``."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from needling.evidence import bibliography, format_bibliography
from needling.report.parameter_catalogue import parameter_catalogue, resolve_name


def source_keys(result: Any) -> list[str]:
    """The ``sources`` of a result object, a ``to_json()`` document or a plain list of keys, sorted."""
    if isinstance(result, str):
        return [result]
    if isinstance(result, Mapping):
        keys = result.get("sources", [])
    elif hasattr(result, "sources"):
        keys = result.sources
    elif isinstance(result, Iterable):
        keys = result
    else:
        raise TypeError(f"no sources in {type(result).__name__}; give a result, its JSON or a list of keys")
    return sorted({str(k) for k in keys})


def citations(result: Any) -> str:
    """The text of the citations: bibliography entries first, then the named assumptions with their reasoning."""
    keys = source_keys(result)
    bib = bibliography()
    cited = [k for k in keys if k in bib]
    assumed = [k for k in keys if k.startswith("assumption:")]
    other = [k for k in keys if k not in bib and not k.startswith("assumption:")]
    parts = []
    if cited:
        parts.append(format_bibliography(bib.select(cited), "text"))
    if assumed:
        cat = parameter_catalogue()
        lines = ["Named assumptions (grade L):"]
        for key in assumed:
            d = cat.describe(resolve_name(key))
            lines.append(f"- {d['name']} = {d['value']:.6g} {d['unit']}: {d['reasoning']}")
        parts.append("\n".join(lines))
    if other:
        parts.append("Other sources: " + ", ".join(other))
    return "\n\n".join(parts)


def print_citations(result: Any, file: TextIO | None = None) -> None:
    """Print the sources a result relied on: full references, then the named assumptions.

    Parameters
    ----------
    result : result object, dict or list of str
        Anything with ``sources`` (``SessionResult``, ``DeliveryResult``, ``SeriesResult``, ``TrialResult``,
        a ``Plan``), its ``to_json()`` document, or a list of source keys.
    file : text stream, optional
        Where to print (default: standard output).
    """
    print(citations(result), file=file or sys.stdout)
