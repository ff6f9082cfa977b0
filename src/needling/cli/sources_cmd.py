"""``needling sources``: print the bibliography."""

from __future__ import annotations

from enum import StrEnum

import typer

from needling.evidence import bibliography, format_bibliography


class SourceFormat(StrEnum):
    text = "text"
    bibtex = "bibtex"
    json = "json"


def _print_assumptions(fmt: str) -> None:
    """Every named assumption: key, value, unit, reasoning (text table or JSON)."""
    from rich.console import Console
    from rich.table import Table

    from needling.cli.common import emit_json
    from needling.report.parameter_catalogue import parameter_catalogue

    cat = parameter_catalogue().select(source="assumption")
    rows = [cat.describe(name) for name in sorted(cat)]
    if fmt == "json":
        keys = ("key", "name", "topic", "value", "unit", "reasoning", "fitted_to")
        emit_json([{k: r[k] for k in keys} for r in rows])
        return
    table = Table(title=f"Named assumptions (grade L): {len(rows)}")
    for col in ("key", "value", "reasoning"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["key"], f"{r['value']:.6g} {r['unit']}", r["reasoning"])
    Console().print(table)


def _print_sources(sources: list) -> None:
    """The bibliography as a Rich table: key and reference, folded to the terminal's width."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Sources: {len(sources)}", show_lines=False)
    table.add_column("key", no_wrap=True)
    table.add_column("reference", overflow="fold")
    for s in sources:
        table.add_row(Text(f"[{s.key}]"), Text(s.citation()))
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add ``sources`` to the CLI."""

    @app.command("sources")
    def sources(
        format: SourceFormat = typer.Option(SourceFormat.text, "--format", help="text, bibtex or json."),
        json_: bool = typer.Option(False, "--json", help="Same as --format json."),
        key: list[str] = typer.Option(None, "--key", help="Only these keys (repeatable)."),
        assumptions: bool = typer.Option(
            False, "--assumptions", help="List the named assumptions (value, unit, reasoning) instead."
        ),
    ) -> None:
        """Print every source needling relies on (authors, year, title, journal, DOI/PMID)."""
        fmt = "json" if json_ else format.value
        if assumptions:
            _print_assumptions(fmt)
            return
        bib = bibliography()
        if key:
            from needling.errors import unknown_name_error

            for k in key:
                if k not in bib:
                    raise unknown_name_error("source key", k, bib.keys(), field="--key")
        chosen = bib.select(list(key) if key else None)
        if fmt == "text":
            _print_sources(chosen)
            return
        typer.echo(format_bibliography(chosen, fmt))
