"""``needling``, ``needling --help`` and ``needling --version`` without importing Typer or the science core.

The help is drawn with Rich alone (a usage line, the options and the commands in panels, as Typer
draws them), from :data:`needling.cli.main.COMMANDS`; it answers in a fraction of the time the full
application takes to load (``make bench``: ``bench_cli``).
"""

from __future__ import annotations

import sys

from needling.cli.main import COMMANDS, DESCRIPTION

OPTIONS: tuple[tuple[str, str], ...] = (
    ("--version", "Print the version and exit."),
    ("--help", "Show this message and exit."),
)


def print_root_help() -> None:
    """Print the usage, options and commands of ``needling`` with Rich panels."""
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table

    console = Console()
    console.print()
    console.print(" [bold]Usage:[/bold] needling [OPTIONS] COMMAND [ARGS]...", highlight=False)
    console.print()
    console.print(f" {DESCRIPTION}", highlight=False)
    console.print()
    for title, rows, style in (("Options", OPTIONS, "bold cyan"), ("Commands", _command_rows(), "bold cyan")):
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style=style, no_wrap=True)
        grid.add_column(ratio=1)
        for name, text in rows:
            grid.add_row(name, text)
        console.print(Panel(grid, title=title, title_align="left", border_style="dim"))


def _command_rows() -> list[tuple[str, str]]:
    return [(name, summary) for name, (_, summary) in COMMANDS.items()]


def answer(args: list[str]) -> int:
    """Answer ``needling`` with no arguments, ``--help`` or ``--version``; return the exit code."""
    if args == ["--version"]:
        from needling import __version__

        sys.stdout.write(f"needling {__version__}\n")
        return 0
    print_root_help()
    return 0
