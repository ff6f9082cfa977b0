"""``needling sources``: print the bibliography."""

from __future__ import annotations

from enum import StrEnum

import typer

from needling.evidence import bibliography, format_bibliography


class SourceFormat(StrEnum):
    text = "text"
    bibtex = "bibtex"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add ``sources`` to the CLI."""

    @app.command("sources")
    def sources(
        format: SourceFormat = typer.Option(SourceFormat.text, "--format", help="text, bibtex or json."),
        json_: bool = typer.Option(False, "--json", help="Same as --format json."),
        key: list[str] = typer.Option(None, "--key", help="Only these keys (repeatable)."),
    ) -> None:
        """Print every source needling relies on (authors, year, title, journal, DOI/PMID)."""
        fmt = "json" if json_ else format.value
        bib = bibliography()
        if key:
            from needling.errors import unknown_name_error

            for k in key:
                if k not in bib:
                    raise unknown_name_error("source key", k, bib.keys(), field="--key")
        typer.echo(format_bibliography(bib.select(list(key) if key else None), fmt))
