"""``needling deliver``: how much of a topical gets in through the channels, and when."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from needling.cli.common import emit_json
from needling.errors import InputError
from needling.simulation import Technique, deliver


class Model(StrEnum):
    full = "full"
    reduced = "reduced"


def register(app: typer.Typer) -> None:
    """Add ``deliver`` to the CLI."""

    @app.command("deliver")
    def deliver_cmd(
        compound: str = typer.Option(..., "--compound", help="Compound name or TOML file (see `compounds list`)."),
        device: str = typer.Option(..., "--device", help="Catalogue name or device TOML file."),
        site: str = typer.Option(..., "--site", help="Skin site."),
        needle_length_mm: float = typer.Option(None, "--needle-length-mm", help="Needle length / pen depth, mm."),
        passes: int = typer.Option(1, "--passes", help="Passes of the needling."),
        directions: int = typer.Option(1, "--directions", help="Directions of the passes."),
        dose: str = typer.Option(
            "finite", "--dose", help="'finite' (default: what people apply) or 'infinite' (studies)."
        ),
        dose_mg_cm2: float = typer.Option(
            None, "--dose-mg-cm2", help="Product (not active) per area, mg/cm2; default by product type."
        ),
        concentration: float = typer.Option(
            None, "--concentration", help="Active in the product, % (w/w or w/v); default the usual formulation."
        ),
        ph: float = typer.Option(None, "--ph", help="Formulation pH (0-14)."),
        occluded: bool = typer.Option(False, "--occluded", help="Under occlusion (channels close slower)."),
        hours: float = typer.Option(24.0, "--hours", help="Duration, h."),
        model: Model = typer.Option(Model.full, "--model", help="full or reduced."),
        sex: str = typer.Option("female", "--sex", help="female or male (layer thicknesses; no effect on closure)."),
        age: float = typer.Option(None, "--age", help="Patient's age, years (channels close slower with age)."),
        json_: bool = typer.Option(False, "--json", help="JSON output (stable keys, see README)."),
        figure: Path = typer.Option(None, "--figure", help="Flux and depth-profile figure (.png or .svg)."),
    ) -> None:
        """Uptake through closing channels against intact skin: flux, cumulative, enhancement, depth profile."""
        if dose not in ("finite", "infinite"):
            raise InputError(f"--dose {dose!r} is not valid; valid: finite, infinite", field="--dose")
        technique = Technique(passes=passes, directions=directions, needle_length_mm=needle_length_mm)
        result = deliver(
            compound,
            device,
            site,
            technique,
            dose_mg_cm2=dose_mg_cm2,
            dose=dose,
            concentration_percent=concentration,
            ph=ph,
            occluded=occluded,
            hours=hours,
            model=model.value,
            sex=sex,
            age_years=age,
        )
        if figure is not None:
            from needling.report.transport_figures import delivery_figure

            delivery_figure(result, figure)
        if json_:
            emit_json(result.to_json())
            return
        t = Table(
            title=f"{result.compound} after {result.device} on {result.site}, {result.hours:g} h "
            f"({'occluded' if result.occluded else 'open air'}, {result.dose} dose, pH {result.ph:g})",
            show_header=False,
        )
        if result.applied_ug_per_cm2 is not None:
            t.add_row(
                "applied (active)", f"{result.applied_ug_per_cm2:.4g} ug/cm2 at {result.concentration_percent:g} %"
            )
        if result.applied_ug_per_cm2 is not None:
            film = result.film_half_life_h
            t.add_row(
                "product on the skin",
                "stays (occluded)" if film is None else f"{film:.2g} h half-life (dries or rubs off)",
            )
        t.add_row("cumulative uptake", f"{result.cumulative_ug_per_cm2:.4g} ug/cm2")
        if result.fraction_absorbed is not None:
            t.add_row("fraction absorbed", f"{100 * result.fraction_absorbed:.3g} %")
        t.add_row("intact skin", f"{result.intact_cumulative_ug_per_cm2:.4g} ug/cm2")
        ratio = result.enhancement_ratio
        t.add_row("enhancement", f"{ratio:.4g} x" if ratio is not None else f"not stated: {result.enhancement_note}")
        t.add_row(
            "channels",
            f"{result.channels_per_cm2:.0f}/cm2, {result.channel_diameter_um:.0f} um wide, "
            f"{result.channel_depth_um:.0f} um deep after withdrawal",
        )
        t.add_row(
            "channel half-life", f"{result.channel_half_life_h:.2f} h (90 % closed by {result.time_to_recover_h:.1f} h)"
        )
        t.add_row("model", result.model)
        console = Console()
        console.print(t)
        if figure is not None:
            console.print(f"figure written to {figure}")
