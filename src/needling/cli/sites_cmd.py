"""``needling sites list|show``: the skin sites and their layers."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from needling.anatomy import LAYERS, get_site, list_sites
from needling.cli.common import emit_json


def register(app: typer.Typer) -> None:
    """Add ``sites`` to the CLI."""
    sites = typer.Typer(help="Skin sites and the thickness of their layers.", no_args_is_help=True)
    app.add_typer(sites, name="sites")

    @sites.command("list")
    def list_(json_: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
        """List every skin site with its total depth to the bottom of the dermis."""
        rows = [
            {
                "name": s.name,
                "label": s.label,
                "region": s.region,
                "dermis_bottom_um": {
                    sex: round(s.layer_bottoms_um(sex)["reticular_dermis"], 1) for sex in ("female", "male")
                },
            }
            for s in list_sites()
        ]
        if json_:
            emit_json(rows)
            return
        table = Table(title="Skin sites")
        for col in ("name", "label", "region", "skin to dermis bottom (F / M, um)"):
            table.add_column(col)
        for r in rows:
            d = r["dermis_bottom_um"]
            table.add_row(r["name"], r["label"], r["region"], f"{d['female']:.0f} / {d['male']:.0f}")
        Console().print(table)

    @sites.command("show")
    def show(
        site: str = typer.Argument(..., help="Site name, e.g. cheek."),
        sex: str = typer.Option(None, "--sex", help="female or male (default both)."),
        json_: bool = typer.Option(False, "--json", help="JSON output."),
    ) -> None:
        """Show a site's layers (mean and SD, um) and the source of each."""
        s = get_site(site)
        doc = s.to_json(sex)
        if json_:
            emit_json(doc)
            return
        table = Table(title=f"{s.label} ({s.region})")
        for col in ("sex", "layer", "mean um", "SD um", "source", "grade"):
            table.add_column(col)
        for sx, layers in doc["layers"].items():
            for layer in LAYERS:
                v = layers[layer]
                table.add_row(
                    sx, layer.replace("_", " "), f"{v['mean_um']:.1f}", f"{v['sd_um']:.1f}", v["source"], v["grade"]
                )
        console = Console()
        console.print(table)
        if doc["proxy_note"]:
            console.print(f"note: {doc['proxy_note']}")
