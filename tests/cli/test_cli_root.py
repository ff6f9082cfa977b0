"""The root of the command line: ``--help`` and ``--version`` answer without loading the science core,
and the command table they show says what the command modules really register."""

from __future__ import annotations

import subprocess
import sys

import pytest

from needling import __version__
from needling.cli.application import commands_of
from needling.cli.main import COMMAND_MODULES, COMMANDS
from tests.conftest import assert_one_line_error


def test_version(cli):
    r = cli("--version")
    assert r.code == 0
    assert r.stdout.strip() == f"needling {__version__}"


@pytest.mark.parametrize("args", [(), ("--help",)])
def test_help_lists_every_command(cli, args):
    r = cli(*args)
    assert r.code == 0
    assert "Usage: needling" in r.stdout
    for name in COMMANDS:
        assert f"│ {name} " in r.stdout, name


def test_command_table_matches_the_modules():
    """Every registered command is in COMMANDS under its module, with the help it really has."""
    registered: dict[str, str] = {}
    for module in COMMAND_MODULES:
        for name, command in commands_of(module).items():
            registered[name] = module
            assert name in COMMANDS, f"{name} ({module}) is missing from needling.cli.main.COMMANDS"
            listed_module, summary = COMMANDS[name]
            assert listed_module == module, name
            real = (command.short_help or command.help or "").strip().split("\n\n")[0]
            assert " ".join(real.split()) == summary, name
    assert set(COMMANDS) == set(registered), "COMMANDS lists a command no module registers"


def test_help_and_version_import_nothing_heavy():
    """The fast answers load neither Typer nor NumPy nor the science core (so they take a fraction of a second)."""
    code = (
        "import sys\n"
        "from needling.cli.main import run\n"
        "for args in (['--help'], ['--version']):\n"
        "    try:\n"
        "        run(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('typer', 'numpy', 'scipy', 'needling.simulation', 'sqlalchemy') if m in sys.modules]\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stderr == "[]"


def test_help_fits_80_columns():
    r = subprocess.run(
        [sys.executable, "-m", "needling.cli.main", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"COLUMNS": "80", "PATH": ""},
    )
    assert r.returncode == 0, r.stderr
    assert max(len(line) for line in r.stdout.splitlines()) <= 80


def test_unknown_command_names_the_valid_ones(cli):
    r = cli("simulat")
    assert_one_line_error(r, "No such command 'simulat'", "Did you mean 'simulate'?", "Valid: sources")


def test_a_command_still_runs(cli):
    r = cli("sites", "list", "--json")
    assert r.code == 0, r.stderr
    assert r.json()
