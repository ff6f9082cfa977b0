"""The Typer application behind ``needling``: a root group that imports a command's module only to run it.

The command names and their one-line help come from :data:`needling.cli.main.COMMANDS`, so listing
the commands imports nothing of the science core or the web service.
"""

from __future__ import annotations

import importlib
from difflib import get_close_matches
from functools import cache
from typing import Any

import typer
from typer._click.exceptions import UsageError
from typer.core import TyperCommand, TyperGroup

from needling.cli.main import COMMAND_MODULES, COMMANDS, DESCRIPTION


def commands_of(module_name: str) -> dict[str, Any]:
    """The click commands (and command groups) that one command module registers, by name."""
    scratch = typer.Typer(add_completion=False)
    importlib.import_module(module_name).register(scratch)
    return dict(typer.main.get_group(scratch).commands)


class LazyGroup(TyperGroup):
    """The root group: lists commands from :data:`COMMANDS`, imports a module only to run its command.

    A module in :data:`COMMAND_MODULES` without an entry in :data:`COMMANDS` is imported when the
    commands are listed, so a new command is never missing from the help, only slower to list.
    """

    def _load(self, module_name: str) -> None:
        for name, command in commands_of(module_name).items():
            self.commands.setdefault(name, command)

    def _load_unlisted(self) -> None:
        listed = {module for module, _ in COMMANDS.values()}
        for module_name in COMMAND_MODULES:
            if module_name not in listed:
                self._load(module_name)

    def list_commands(self, ctx: Any) -> list[str]:
        self._load_unlisted()
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name in COMMANDS:  # a stand-in with the one-line help, for the listing
            return TyperCommand(name=cmd_name, help=COMMANDS[cmd_name][1])
        return None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name in COMMANDS:
            self._load(COMMANDS[name][0])
        else:
            self._load_unlisted()
        if name and not name.startswith("-") and name not in self.commands:
            known = self.list_commands(ctx)
            close = get_close_matches(name, known)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise UsageError(f"No such command {name!r}.{hint} Valid: {', '.join(known)}.", ctx)
        return super().resolve_command(ctx, args)


def _version(value: bool) -> None:
    if value:
        from needling import __version__

        typer.echo(f"needling {__version__}")
        raise typer.Exit()


@cache
def build_app() -> typer.Typer:
    """The ``needling`` application (built once per process)."""
    app = typer.Typer(
        name="needling",
        cls=LazyGroup,
        help=DESCRIPTION,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _root(
        version: bool = typer.Option(
            False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ) -> None:
        """Evidence-linked micro-needling: simulate, plan, and keep the clinic's record."""

    return app
