"""``needling medications search TEXT``: what a typed medication name maps to in the coded table."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from needling.cli.common import emit_json
from needling.errors import InputError
from needling.planner.medications import medications_version, resolve, search


def register(app: typer.Typer) -> None:
    """Add the ``medications`` group to the CLI."""
    meds = typer.Typer(
        help="Medications as coded data (WHO ATC code, route, names): what a typed name maps to.",
        no_args_is_help=True,
    )
    app.add_typer(meds, name="medications")

    @meds.command("search")
    def medications_search(
        text: str = typer.Argument(..., help="A generic or brand name, with or without strength and form."),
        json_: bool = typer.Option(False, "--json", help="JSON output (stable keys, see README)."),
    ) -> None:
        """Show the substance a name resolves to (ATC code, route) and the nearest names in the table."""
        if not text.strip():
            raise InputError("TEXT is empty; give a medication name, e.g. 'Roaccutane 20 mg'", field="text")
        hit = resolve(text)
        near = search(text)
        if json_:
            emit_json(
                {
                    "version": medications_version(),
                    "query": text,
                    "match": hit.to_json() if hit else None,
                    "recognised": hit is not None,
                    "candidates": [{"name": n, **s.to_json()} for n, s in near],
                }
            )
            return
        console = Console()
        if hit:
            console.print(f"[bold]{text.strip()}[/bold] -> {hit.id} (ATC {hit.atc}, {hit.route})")
        else:
            console.print(
                f"[bold]{text.strip()}[/bold] is not in the table (version {medications_version()}): "
                "a plan naming it proceeds only with caution, asking for a review"
            )
        if near:
            t = Table(title="Names in the table")
            for col in ("name", "substance", "ATC", "route"):
                t.add_column(col)
            for name, s in near:
                t.add_row(name, s.id, s.atc, s.route)
            console.print(t)
