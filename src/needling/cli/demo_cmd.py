"""``needling demo``: a demonstration simulation that writes its figure and JSON."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from needling.cli.common import to_json
from needling.cli.simulate_cmd import render_session
from needling.simulation import Technique, simulate_session


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the CLI."""

    @app.command("demo")
    def demo(out: Path = typer.Option(Path("out"), "--out", help="Folder for the figure and JSON.")) -> None:
        """Simulate 15 passes in 3 directions of a 1.5 mm 192-needle roller on the cheek; write figure and JSON."""
        technique = Technique(passes=15, directions=3, pressure="moderate", area_cm2=4.0)
        result = simulate_session("dermaroller-192-1.5", "cheek", technique, seed=0)
        out.mkdir(parents=True, exist_ok=True)
        from needling.report.mechanics_figures import session_figure

        fig = session_figure(result, out / "demo-session.png")
        doc = out / "demo-session.json"
        doc.write_text(to_json(result.to_json()) + "\n", encoding="utf-8")
        console = Console()
        render_session(result, console)
        console.print(f"wrote {fig} and {doc}")
