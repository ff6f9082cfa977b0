"""``needling devices list|show``: the device catalogue and user device files."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from needling.cli.common import emit_json
from needling.devices import get_device, list_devices


def register(app: typer.Typer) -> None:
    """Add ``devices`` to the CLI."""
    devices = typer.Typer(help="Rollers and pens: the catalogue and your own device files.", no_args_is_help=True)
    app.add_typer(devices, name="devices")

    @devices.command("list")
    def list_(json_: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
        """List the catalogue (name, kind, needles, needle length)."""
        rows = [d.summary() for d in list_devices()]
        if json_:
            emit_json(rows)
            return
        table = Table(title="Device catalogue")
        for col in ("name", "kind", "needles", "length mm", "home use"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["name"],
                r["kind"],
                str(r["needle_count"]),
                f"{r['needle_length_mm']:g}",
                "yes" if r["home_use"] else "",
            )
        Console().print(table)

    @devices.command("show")
    def show(
        device: str = typer.Argument(..., help="Catalogue name or path to a device TOML file."),
        json_: bool = typer.Option(False, "--json", help="JSON output."),
    ) -> None:
        """Show every field of a device and its sources."""
        d = get_device(device)
        doc = d.model_dump(mode="json")
        if json_:
            emit_json(doc)
            return
        table = Table(title=d.name, show_header=False)
        for k, v in doc.items():
            if v is not None and v != "" and v != []:
                table.add_row(k, ", ".join(v) if isinstance(v, list) else str(v))
        Console().print(table)
