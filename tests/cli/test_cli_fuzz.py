"""A bounded, seeded fuzz of every ``needling`` command: odd arguments give exit 0, 1 or 2 and never a traceback.

Commands and their options are read from the CLI itself (so a new command or option is fuzzed too).
Each call starts from a cheap, valid invocation of the command and replaces one to three of its
arguments by odd values chosen for the argument's kind: negative, NaN, infinite, huge and non-numeric
numbers; empty, unicode and very long text; folders, binary, empty and missing files where files are
expected; an existing file used as an output folder; dates like 9999-12-31; unreachable or malformed
database URLs. ``serve`` is only called with an invalid port (a valid one would start the server).
"""

from __future__ import annotations

import getpass
import io
import random
import signal
import sys
from pathlib import Path

import pytest

from needling.cli.application import commands_of
from needling.cli.main import COMMAND_MODULES
from tests.conftest import invoke

SEED = 20261124
CALLS = 330
SECONDS_PER_CALL = 30
ROOT = Path(__file__).resolve().parents[2]

NUMBERS = ["-1", "0", "nan", "inf", "-inf", "1e308", "-1e308", "99999999999999999999", "1e-320", "", "ünï", "0x1F"]
TEXT = ["", " ", "ünïcødé ✓ 日本", "a" * 3000, "../x.toml", "/dev/null", "/etc/passwd", "-", "%s%n{0}", "nul\x00byte"]
DATES = ["9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01", "", "tomorrow", "-1"]
URLS = [
    "postgresql://nobody@127.0.0.1:1/nothing",
    "postgresql+psycopg://nobody:secret@127.0.0.1:1/nothing",
    "sqlite:////proc/no-such-folder/x.db",
    "mysql://user@host/db",
    "not a url",
    "",
    "sqlite://",
]
BAD_PORTS = ["0", "-1", "65536", "nan", "99999999999999999999", "", "inf", "ünï"]
OUTPUT_NAMES = {"figure", "report", "out"}
FILE_NAMES = {"file", "patient_file", "protocol", "device", "compound", "path", "trial"}
DATE_NAMES = {"start", "now"}


class FuzzTimeout(BaseException):
    """A call ran longer than :data:`SECONDS_PER_CALL` (not an Exception, so the CLI cannot swallow it)."""


def _leaf_commands() -> dict[str, object]:
    out: dict[str, object] = {}

    def walk(command, path):
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*path, name])
        else:
            out[" ".join(path)] = command

    for module in COMMAND_MODULES:
        for name, command in commands_of(module).items():
            walk(command, [name])
    return out


def _base(tmp: Path) -> dict[str, list[str]]:
    """A cheap, valid invocation per command (commands not listed start from no arguments)."""
    db = f"sqlite:///{tmp / 'fuzz.db'}"
    step = "Roll 1.5 mm, 15 passes, 3 directions"
    return {
        "parameters show": ["kalluri-needle-length"],
        "sites show": ["cheek"],
        "devices show": ["dermapen-11"],
        "compounds show": ["minoxidil"],
        "simulate": ["--device", "dermaroller-192-0.5", "--site", "cheek", "--passes", "1", "--area-cm2", "1"],
        "demo": ["--out", str(tmp / "demo")],
        "deliver": [
            *("--compound", "minoxidil", "--device", "dermaroller-192-0.5", "--site", "scalp"),
            *("--model", "reduced", "--hours", "1"),
        ],
        "series": [
            *("--indication", "acne-scars", "--grade", "3", "--site", "cheek", "--sessions", "2"),
            *("--interval-weeks", "4", "--step", step, "--n", "20", "--follow-up-weeks", "4"),
        ],
        "trial": [str(ROOT / "src/needling/cohort/trials/lotfi-2013.toml"), "--n", "20"],
        "plan": [str(ROOT / "examples/patients/example.yaml"), "--start", "2026-12-01"],
        "calibrate": [
            *("--trials", str(ROOT / "src/needling/cohort/trials/lotfi-2013.toml"), "--draws", "10", "--chains", "2"),
            *("--steps", "20", "--points", "24", "--out", str(tmp / "posterior.json")),
        ],
        "serve": ["--port", "0"],
        "db upgrade": ["--database-url", db],
        "db backup": [str(tmp / "backups"), "--database-url", db],
        "db restore": [str(tmp / "no-backup.tar"), "--database-url", db],
        "reminders run": ["--database-url", db, "--now", "2026-12-01T08:00"],
        "users create": [
            *("--email", "fuzz@example.se", "--name", "Fuzz", "--role", "clinician"),
            *("--database-url", db),
        ],
        "sensitivity simulate": [
            *("--device", "dermaroller-192-0.5", "--site", "cheek", "--samples", "2", "--parameters", "dimple-cv"),
        ],
        "sensitivity deliver": [
            *("--compound", "minoxidil", "--device", "dermaroller-192-0.5", "--site", "scalp", "--samples", "2"),
            *("--hours", "1", "--parameters", "dimple-cv"),
        ],
        "sensitivity series": [
            *("--indication", "acne-scars", "--grade", "3", "--site", "cheek", "--sessions", "2"),
            *("--interval-weeks", "4", "--step", step, "--n", "20", "--samples", "2", "--parameters", "dimple-cv"),
        ],
    }


def _odd(rng: random.Random, param, files: dict[str, str], command: str) -> str:
    name = param.name or ""
    type_name = getattr(getattr(param, "type", None), "name", "")
    choices = list(getattr(getattr(param, "type", None), "choices", None) or [])
    if command == "serve" and name == "port":
        return rng.choice(BAD_PORTS)
    if name == "database_url":
        return rng.choice(URLS)
    if name in DATE_NAMES:
        return rng.choice(DATES)
    if name in OUTPUT_NAMES or (command == "db backup" and name == "path"):
        return rng.choice(
            [files["inside_file"], files["dir"], files["existing"], "/proc/no-such/x.png", "x.unknown", "", "ü/ö.svg"]
        )
    if name in FILE_NAMES:
        return rng.choice([files["dir"], files["binary"], files["empty"], files["missing"], files["garbage"], *TEXT])
    if type_name in ("integer", "float"):
        return rng.choice(NUMBERS)
    if choices:
        return rng.choice([*TEXT, str(choices[0]).upper(), f"{choices[0]}x"])
    return rng.choice(TEXT + NUMBERS[:4])


def _mutate(rng: random.Random, command: str, cmd, base: list[str], files: dict[str, str]) -> list[str]:
    """``base`` with one to three arguments replaced (or added) by odd values."""
    positional = [p for p in cmd.params if getattr(p, "param_type_name", "") == "argument"]
    options = [p for p in cmd.params if getattr(p, "param_type_name", "") == "option" and p.name != "help"]
    args = list(base)
    n_pos = sum(1 for a in base if not a.startswith("--")) - sum(
        1 for i, a in enumerate(base) if i and base[i - 1].startswith("--") and not a.startswith("--")
    )
    targets = positional + options
    if command == "serve":
        targets = [p for p in options if p.name == "port"] + rng.sample(options, k=min(1, len(options)))
    for param in rng.sample(targets, k=min(len(targets), rng.randint(1, 3))):
        if getattr(param, "param_type_name", "") == "argument":
            i = positional.index(param)
            value = _odd(rng, param, files, command)
            if i < n_pos:
                args[i] = value
            else:
                args.insert(i, value)
            continue
        flag = param.opts[0]
        if getattr(param, "is_flag", False):
            if flag in args:
                args.remove(flag)
            else:
                args.append(flag)
            continue
        value = _odd(rng, param, files, command)
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    if command == "serve":
        i = args.index("--port")
        if args[i + 1] not in BAD_PORTS:
            args[i + 1] = "0"
    return args


def _alarm(signum, frame):
    raise FuzzTimeout()


def test_every_command_with_odd_arguments_exits_0_1_or_2_without_a_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative output paths land here
    monkeypatch.setenv("NEEDLING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEEDLING_SECRET_KEY", "fuzz-secret")
    monkeypatch.delenv("NEEDLING_DATABASE_URL", raising=False)
    # passwords asked at a prompt or read from stdin: a long valid one, so those commands run too
    monkeypatch.setattr(getpass, "getpass", lambda prompt="", stream=None: "correct horse battery staple")
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery staple\n" * 2000))
    (tmp_path / "backups").mkdir()
    (tmp_path / "folder").mkdir()
    files = {
        "dir": str(tmp_path / "folder"),
        "binary": str(tmp_path / "binary.toml"),
        "empty": str(tmp_path / "empty.yaml"),
        "missing": str(tmp_path / "missing.toml"),
        "garbage": str(tmp_path / "garbage.toml"),
        "existing": str(tmp_path / "existing.txt"),
        "inside_file": str(tmp_path / "existing.txt" / "out.png"),
    }
    Path(files["binary"]).write_bytes(bytes(range(256)) * 8)
    Path(files["empty"]).write_bytes(b"")
    Path(files["garbage"]).write_text("[device\nname = = 3\n\x7f")
    Path(files["existing"]).write_text("I am a file, not a folder")

    commands = _leaf_commands()
    base = _base(tmp_path)
    rng = random.Random(SEED)
    names = sorted(commands)
    order = names * (CALLS // len(names)) + rng.sample(names, CALLS % len(names))
    rng.shuffle(order)
    previous = signal.signal(signal.SIGALRM, _alarm)
    problems, calls, seen, exits = [], 0, set(), {0: 0, 1: 0, 2: 0}
    try:
        for command in order:
            args = _mutate(rng, command, commands[command], base.get(command, []), files)
            signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_CALL)
            try:
                result = invoke(*command.split(), *args)
            except FuzzTimeout:
                problems.append(f"needling {command} {args!r}: longer than {SECONDS_PER_CALL} s")
                continue
            except Exception as exc:  # anything escaping the entry point is what we look for
                problems.append(f"needling {command} {args!r}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            calls += 1
            seen.add(command)
            exits[result.code] = exits.get(result.code, 0) + 1
            lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
            if result.code not in (0, 1, 2) or "Traceback" in result.stderr + result.stdout:
                problems.append(f"needling {command} {args!r}: exit {result.code}: {result.stderr[-300:]}")
            elif result.code == 2 and len(lines) != 1:
                problems.append(f"needling {command} {args!r}: {len(lines)} lines on stderr: {result.stderr[:300]}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    print(f"fuzz: {calls} calls of {len(names)} commands, exit codes {exits}, {len(problems)} problems")
    assert not problems, f"{len(problems)} of {CALLS} calls failed:\n" + "\n".join(problems)
    assert calls >= 300 and seen == set(names)


@pytest.mark.parametrize("url", URLS[:3])
def test_unreachable_or_unusable_database_urls_give_one_line(url, tmp_path, monkeypatch):
    monkeypatch.setenv("NEEDLING_DATA_DIR", str(tmp_path))
    r = invoke("db", "upgrade", "--database-url", url)
    assert r.code == 2 and "Traceback" not in r.stderr
    assert len([ln for ln in r.stderr.splitlines() if ln.strip()]) == 1
    assert "secret" not in r.stderr  # a password in the URL is never printed
