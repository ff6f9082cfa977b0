"""``needling simulate``: what a device does to a skin site."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from needling.cli.common import emit_json
from needling.simulation import SessionResult, Technique, simulate_session


class Sex(StrEnum):
    female = "female"
    male = "male"


class Pressure(StrEnum):
    light = "light"
    moderate = "moderate"
    firm = "firm"


def render_session(result: SessionResult, console: Console | None = None) -> None:
    """A readable summary of a session."""
    console = console or Console()
    t = Table(
        title=f"{result.device} on {result.site} ({result.sex}), needle {result.needle_length_mm:g} mm",
        show_header=False,
    )
    t.add_row(
        "channels per cm2", f"{result.channels_per_cm2:.1f} (SD over 1 cm2 cells {result.channels_per_cm2_sd:.1f})"
    )
    # one pass's needle entries, before an entry into an open channel merges with it: with a pen this is far
    # more than the channels above, and a bare "per pass" beside them read as a contradiction
    t.add_row("needle entries per pass", f"{result.channels_per_cm2_per_pass:.1f} per cm2 (overlaps merge)")
    if result.punctured_fraction < 1.0:
        share = result.punctured_fraction
        shown = "under 0.1 %" if share < 0.001 else f"{100 * share:.1f} %"
        t.add_row(
            "needle entries that puncture", f"{shown} (a pressed needle this short meets the skin with the drum first)"
        )
    t.add_row("surface opened", f"{100 * result.coverage_fraction:.2f} %")
    t.add_row(
        "depth reached",
        f"mean {result.depth_mean_um:.0f} um (5-95 %: {result.depth_p5_um:.0f}-{result.depth_p95_um:.0f} um)",
    )
    for layer, frac in result.layer_reach.items():
        t.add_row(f"reach {layer.replace('_', ' ')}", f"{100 * frac:.0f} % of channels")
    t.add_row("capillary strikes", f"{result.bleeding_strikes_per_cm2:.1f} per cm2 -> {result.endpoint}")
    t.add_row(
        "pain",
        f"VAS {result.pain_vas:.1f} / 10 ({100 * result.pain_relative_to_hypodermic:.0f} % of a 26-G hypodermic)",
    )
    t.add_row("sources", ", ".join(s for s in result.sources if not s.startswith("assumption:")))
    n_assume = sum(s.startswith("assumption:") for s in result.sources)
    t.add_row("named assumptions", f"{n_assume} (see --json)")
    console.print(t)


def register(app: typer.Typer) -> None:
    """Add ``simulate`` to the CLI."""

    @app.command("simulate")
    def simulate(
        device: str = typer.Option(..., "--device", help="Catalogue name or path to a device TOML file."),
        site: str = typer.Option(..., "--site", help="Skin site, e.g. cheek (see `needling sites list`)."),
        needle_length_mm: float = typer.Option(None, "--needle-length-mm", help="Needle length / pen depth, mm."),
        passes: int = typer.Option(1, "--passes", help="Passes over the area."),
        directions: int = typer.Option(1, "--directions", help="Directions the passes cycle through."),
        speed_mm_s: float = typer.Option(None, "--speed-mm-s", help="Pen: hand speed, mm/s."),
        line_spacing_mm: float = typer.Option(None, "--line-spacing-mm", help="Pen: spacing of strokes, mm."),
        area_cm2: float = typer.Option(25.0, "--area-cm2", help="Treated area, cm2."),
        sex: Sex = typer.Option(Sex.female, "--sex", help="female or male."),
        pressure: Pressure = typer.Option(Pressure.moderate, "--pressure", help="light, moderate or firm."),
        seed: int = typer.Option(0, "--seed", min=0, help="Random seed (0 or more)."),
        anaesthetic: str = typer.Option(
            None, "--anaesthetic", help="Topical anaesthetic before needling: lidocaine-prilocaine, ..."
        ),
        anaesthetic_minutes: float = typer.Option(45.0, "--anaesthetic-minutes", help="Application time, min."),
        pre_needle_mm: float = typer.Option(
            None, "--pre-needle-mm", help="Light pre-needling (mm) before the anaesthetic cream."
        ),
        json_: bool = typer.Option(False, "--json", help="JSON output (stable keys, see README)."),
        figure: Path = typer.Option(None, "--figure", help="Write the density map and depth plot (.png or .svg)."),
    ) -> None:
        """Simulate a session: channel map, depth per layer, bleeding and pain, with their sources."""
        technique = Technique(
            passes=passes,
            directions=directions,
            pressure=pressure.value,
            area_cm2=area_cm2,
            speed_mm_s=speed_mm_s,
            line_spacing_mm=line_spacing_mm,
            needle_length_mm=needle_length_mm,
        )
        effect = None
        if anaesthetic is not None:
            from needling.simulation import anaesthesia_effect

            effect = anaesthesia_effect(
                anaesthetic, anaesthetic_minutes, site, sex=sex.value, pre_needle_mm=pre_needle_mm
            )
        elif pre_needle_mm is not None:
            from needling.errors import InputError

            raise InputError("--pre-needle-mm needs --anaesthetic (the cream it helps in)", field="--pre-needle-mm")
        result = simulate_session(device, site, technique, sex=sex.value, seed=seed, anaesthesia=effect)
        if figure is not None:
            from needling.report.mechanics_figures import session_figure

            session_figure(result, figure)
        if json_:
            doc = result.to_json()
            if effect is not None:
                doc["anaesthesia"] = effect.to_json()
            emit_json(doc)
        else:
            render_session(result)
            if figure is not None:
                Console().print(f"figure written to {figure}")
