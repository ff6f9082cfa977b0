"""``needling rules list``: every screening and protocol rule, as data, with its sources and grade."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from needling.cli.common import emit_json
from needling.planner import list_rules, rules_version


def register(app: typer.Typer) -> None:
    """Add the ``rules`` group to the CLI."""
    rules = typer.Typer(
        help="Screening and protocol rules (as data, each with sources and grade).", no_args_is_help=True
    )
    app.add_typer(rules, name="rules")

    @rules.command("list")
    def rules_list(json_: bool = typer.Option(False, "--json", help="JSON output (stable keys, see README).")) -> None:
        """Every rule: id, effect, grade, sources, message; conflicting guidance shows both sides."""
        items = [r.to_json() for r in list_rules()]
        if json_:
            emit_json({"version": rules_version(), "rules": items})
            return
        t = Table(title=f"Rules (version {rules_version()})")
        for col in ("id", "effect", "grade", "sources", "message"):
            t.add_column(col)
        for r in items:
            sources = ", ".join(r["sources"])
            if "conflict" in r:
                sources = " vs ".join(f"{side}: {', '.join(keys)}" for side, keys in r["conflict"].items())
            t.add_row(r["id"], r["effect"], r["grade"], sources, r["message"])
        Console().print(t)
