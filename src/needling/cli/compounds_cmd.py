"""``needling compounds list|show``: the topical compounds."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from needling.cli.common import emit_json
from needling.compounds import get_compound, list_compounds


def register(app: typer.Typer) -> None:
    """Add ``compounds`` to the CLI."""
    group = typer.Typer(help="Topical compounds: the catalogue and your own compound files.", no_args_is_help=True)
    app.add_typer(group, name="compounds")

    @group.command("list")
    def list_(json_: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
        """List the compounds (molecular weight, log Kow, pKa, mechanism)."""
        rows = [c.summary() for c in list_compounds()]
        if json_:
            emit_json(rows)
            return
        table = Table(title="Compounds")
        for col in ("name", "label", "MW g/mol", "log Kow", "pKa", "mechanism"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["name"],
                r["label"],
                f"{r['mw']:g}",
                f"{r['log_kow']:g}",
                "" if r["pka"] is None else f"{r['pka']:g}",
                r["mechanism"],
            )
        Console().print(table)

    @group.command("show")
    def show(
        compound: str = typer.Argument(..., help="Catalogue name or path to a compound TOML file."),
        json_: bool = typer.Option(False, "--json", help="JSON output."),
    ) -> None:
        """Show a compound's fields and sources."""
        c = get_compound(compound)
        doc = c.model_dump(mode="json")
        doc["unionised_fraction_at_formulation_ph"] = round(c.unionised_fraction(), 6)
        if json_:
            emit_json(doc)
            return
        table = Table(title=c.label or c.name, show_header=False)
        for k, v in doc.items():
            if v not in (None, "", []):
                table.add_row(k, ", ".join(v) if isinstance(v, list) else str(v))
        Console().print(table)
