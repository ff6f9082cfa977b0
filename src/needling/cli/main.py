"""Entry point of the ``needling`` command.

Each command lives in its own module with a ``register(app)`` function; add a module to
:data:`COMMAND_MODULES` to expose it. :func:`run` turns user errors into one line on stderr and exit
code 2, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError

from needling.cli.common import fail_from_exception

app = typer.Typer(
    name="needling",
    help="Evidence-linked micro-needling: simulate, plan, and keep the clinic's record.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Modules of needling.cli that each add their commands to :data:`app`.
COMMAND_MODULES: tuple[str, ...] = (
    "needling.cli.sources_cmd",
    "needling.cli.sites_cmd",
    "needling.cli.devices_cmd",
    "needling.cli.simulate_cmd",
    "needling.cli.demo_cmd",
    "needling.cli.compounds_cmd",
    "needling.cli.deliver_cmd",
    "needling.cli.series_cmd",
    "needling.cli.plan_cmd",
    "needling.cli.rules_cmd",
    "needling.cli.serve_cmd",
)


def _version(value: bool) -> None:
    if value:
        from needling import __version__

        typer.echo(f"needling {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Evidence-linked micro-needling: simulate, plan, and keep the clinic's record."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def run(argv: list[str] | None = None) -> None:
    """Run the CLI; exit 2 with one line on stderr for any bad input."""
    try:
        app(args=argv, standalone_mode=False, prog_name="needling")
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("aborted\n")
        sys.exit(130)
    except NoArgsIsHelpError as exc:
        sys.stderr.write(exc.format_message() + "\n")
        sys.exit(0)
    except ClickException as exc:
        sys.stderr.write(f"error: {exc.format_message()}\n")
        sys.exit(exc.exit_code if exc.exit_code else 2)
    except Exception as exc:
        fail_from_exception(exc)


if __name__ == "__main__":  # pragma: no cover
    run()
