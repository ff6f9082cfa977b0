"""Entry point of the ``needling`` command.

Each command lives in its own module with a ``register(app)`` function; add a module to
:data:`COMMAND_MODULES` to expose it, and its commands with their one-line help to :data:`COMMANDS` so
that ``needling --help`` can list them without importing the module (the science core and the web
service take most of a second to import; ``--help`` and ``--version`` answer without them). A test
checks that :data:`COMMANDS` says what the modules register. :func:`run` turns user errors into one
line on stderr and exit code 2, never a traceback; ``needling``, ``needling --help`` and
``needling --version`` answer before Typer is imported (:mod:`needling.cli.root_help`).
"""

from __future__ import annotations

import sys
from typing import Any

#: Modules of needling.cli that each add their commands to the application.
COMMAND_MODULES: tuple[str, ...] = (
    "needling.cli.sources_cmd",
    "needling.cli.parameters_cmd",
    "needling.cli.sites_cmd",
    "needling.cli.devices_cmd",
    "needling.cli.simulate_cmd",
    "needling.cli.demo_cmd",
    "needling.cli.compounds_cmd",
    "needling.cli.deliver_cmd",
    "needling.cli.series_cmd",
    "needling.cli.plan_cmd",
    "needling.cli.rules_cmd",
    "needling.cli.medications_cmd",
    "needling.cli.serve_cmd",
    "needling.cli.sensitivity_cmd",
    "needling.cli.reminders_cmd",
    "needling.cli.calibrate_cmd",
)

#: Command name -> (module that registers it, the one-line help ``needling --help`` shows).
COMMANDS: dict[str, tuple[str, str]] = {
    "sources": (
        "needling.cli.sources_cmd",
        "Print every source needling relies on (authors, year, title, journal, DOI/PMID).",
    ),
    "simulate": (
        "needling.cli.simulate_cmd",
        "Simulate a session: channel map, depth per layer, bleeding and pain, with their sources.",
    ),
    "demo": (
        "needling.cli.demo_cmd",
        "Simulate 15 passes in 3 directions of a 1.5 mm 192-needle roller on the cheek; write figure and JSON.",
    ),
    "deliver": (
        "needling.cli.deliver_cmd",
        "Uptake through closing channels against intact skin: flux, cumulative, enhancement, depth profile.",
    ),
    "series": (
        "needling.cli.series_cmd",
        "Predict collagen and outcome week by week over a series, with its uncertainty.",
    ),
    "trial": (
        "needling.cli.series_cmd",
        "Run an in-silico trial: per-arm endpoints with 95 % intervals against the published numbers.",
    ),
    "plan": (
        "needling.cli.plan_cmd",
        "Screen a patient and propose a per-region protocol with its evidence and predicted outcome.",
    ),
    "serve": (
        "needling.cli.serve_cmd",
        "Start the clinic service (migrates the database and seeds a demonstration clinic on first run).",
    ),
    "parameters": (
        "needling.cli.parameters_cmd",
        "Model parameters: value, unit, bounds, source, locator, grade; reasoning of assumptions.",
    ),
    "sites": ("needling.cli.sites_cmd", "Skin sites and the thickness of their layers."),
    "devices": ("needling.cli.devices_cmd", "Rollers and pens: the catalogue and your own device files."),
    "compounds": ("needling.cli.compounds_cmd", "Topical compounds: the catalogue and your own compound files."),
    "rules": ("needling.cli.rules_cmd", "Screening and protocol rules (as data, each with sources and grade)."),
    "calibrate": (
        "needling.cli.calibrate_cmd",
        "Refit the calibration of the outcome model on every trial together and write the posterior draws.",
    ),
    "sensitivity": (
        "needling.cli.sensitivity_cmd",
        "Which parameters drive depth, uptake and the predicted grade (Morris or Sobol, SALib).",
    ),
    "medications": (
        "needling.cli.medications_cmd",
        "Medications as coded data (WHO ATC code, route, names): what a typed name maps to.",
    ),
    "db": ("needling.cli.serve_cmd", "Database maintenance."),
    "users": ("needling.cli.serve_cmd", "User accounts."),
    "reminders": ("needling.cli.reminders_cmd", "Appointment reminders by e-mail."),
}


DESCRIPTION = "Evidence-linked micro-needling: simulate, plan, and keep the clinic's record."


def __getattr__(name: str) -> Any:
    if name == "app":
        from needling.cli.application import build_app

        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run(argv: list[str] | None = None) -> None:
    """Run the CLI; exit 2 with one line on stderr for any bad input."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args in ([], ["--help"], ["--version"]):
        from needling.cli.root_help import answer

        sys.exit(answer(args))
    from typer import Abort, Exit
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    from needling.cli.application import build_app

    try:
        build_app()(args=args, standalone_mode=False, prog_name="needling")
    except Exit as exc:
        sys.exit(exc.exit_code)
    except Abort:
        sys.stderr.write("aborted\n")
        sys.exit(130)
    except NoArgsIsHelpError as exc:
        sys.stderr.write(exc.format_message() + "\n")
        sys.exit(0)
    except ClickException as exc:
        sys.stderr.write(f"error: {exc.format_message()}\n")
        sys.exit(exc.exit_code if exc.exit_code else 2)
    except Exception as exc:
        from needling.cli.common import fail_from_exception

        fail_from_exception(exc)


if __name__ == "__main__":  # pragma: no cover
    run()
