"""Reading the users' own files (device, compound, protocol, trial TOML) with one-line errors."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

import pydantic

from needling.errors import InputError

M = TypeVar("M", bound=pydantic.BaseModel)


def names_a_file(text: str) -> bool:
    """True if ``text`` is meant as a file: it ends in ``.toml`` or an entry of that name exists.

    Text that cannot be a path on this system (too long, a NUL byte) is not a file, so the caller
    treats it as a catalogue name and answers with the valid names.
    """
    if text.endswith(".toml"):
        return True
    try:
        return Path(text).exists()
    except (OSError, ValueError):
        return False


def read_toml(path: str | Path, kind: str) -> dict[str, Any]:
    """Parse a TOML file; a missing or malformed file is an InputError naming it."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{kind} file {path} not found", field=kind) from None
    except IsADirectoryError:
        raise InputError(f"{kind} file {path} is a folder, not a file", field=kind) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{kind} file {path} is not valid TOML: {exc}", field=kind) from None
    except (OSError, ValueError) as exc:  # unreadable, not a path at all (too long, a NUL byte), a device
        raise InputError(
            f"{kind} file {str(path)[:200]} cannot be read: {getattr(exc, 'strerror', None) or exc}", field=kind
        ) from None


def read_table(path: str | Path, kind: str, valid: str) -> dict[str, Any]:
    """The ``[kind]`` table of a TOML file; its absence is an InputError saying what is valid."""
    table = read_toml(path, kind).get(kind)
    if not isinstance(table, dict):
        raise InputError(f"{kind} file {path} has no [{kind}] table; valid: a [{kind}] table with {valid}", field=kind)
    return table


def validate(model: type[M], data: dict[str, Any], where: str) -> M:
    """Build a pydantic model; errors become one line naming each field."""
    try:
        return model(**data)
    except pydantic.ValidationError as exc:
        parts = [
            f"{'.'.join(str(p) for p in e['loc']) or where}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        ]
        raise InputError(f"{where}: " + "; ".join(parts), field=where) from None
