"""``needling parameters list|show``: every named parameter with its value, unit, source and grade."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from needling.cli.common import emit_json


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def register(app: typer.Typer) -> None:
    """Add the ``parameters`` group to the CLI."""
    group = typer.Typer(
        help="Model parameters: value, unit, bounds, source, locator, grade; reasoning of assumptions.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="parameters")

    @group.command("list")
    def list_(
        topic: str = typer.Option(None, "--topic", help="Only this topic (mechanics, transport, healing, ...)."),
        json_: bool = typer.Option(False, "--json", help="JSON output: one object per parameter."),
    ) -> None:
        """Every parameter by name, or those of one topic."""
        from needling.report.parameter_catalogue import parameter_catalogue

        cat = parameter_catalogue()
        chosen = cat.select(topic=topic) if topic else cat
        rows = [chosen.describe(name) for name in chosen]
        if json_:
            emit_json(rows)
            return
        table = Table(title=f"Parameters{f' ({topic})' if topic else ''}: {len(rows)}")
        table.add_column("name", no_wrap=True)
        for col in ("topic", "value", "unit", "grade", "source"):
            table.add_column(col, overflow="fold")
        for r in rows:
            source = "assumption" if r["kind"] == "assumption" else r["source"]
            table.add_row(r["name"], r["topic"], _fmt(r["value"]), r["unit"], r["grade"], source)
        Console().print(table)

    @group.command("show")
    def show(
        name: str = typer.Argument(..., help="A parameter name, or a result's key assumption:NAME."),
        json_: bool = typer.Option(False, "--json", help="JSON output."),
    ) -> None:
        """One parameter: value, unit, bounds, source, locator, grade, note or reasoning, data it was fitted to."""
        from needling.report.parameter_catalogue import parameter_catalogue, resolve_name

        d = parameter_catalogue().describe(resolve_name(name))
        if json_:
            emit_json(d)
            return
        table = Table(title=d["name"], show_header=False)
        table.add_column("field", style="bold")
        table.add_column("value", overflow="fold")
        for key in ("topic", "kind", "value", "unit", "sd", "bounds", "source", "locator", "grade", "note"):
            if d.get(key) not in (None, ""):
                shown = d[key]
                if key == "bounds":
                    shown = f"{_fmt(shown[0])} to {_fmt(shown[1])} {d['unit']}"
                elif isinstance(shown, float):
                    shown = _fmt(shown)
                table.add_row(key, str(shown))
        if d["reasoning"]:
            table.add_row("reasoning", d["reasoning"])
        if d["fitted_to"]:
            table.add_row("fitted to", d["fitted_to"])
        Console().print(table)
