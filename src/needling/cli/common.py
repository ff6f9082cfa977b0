"""Helpers shared by the CLI commands: JSON output, one-line errors, file loading."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pydantic

from needling.errors import InputError


def _default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, set | frozenset):
        return sorted(obj)
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def _clean(obj: Any) -> Any:
    """Replace NaN and infinities (not valid JSON) by None."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


def to_json(obj: Any) -> str:
    """Serialise a result to stable, valid JSON (sorted keys are not imposed: order is meaning)."""
    return json.dumps(_clean(json.loads(json.dumps(obj, default=_default))), indent=2, ensure_ascii=False)


def emit_json(obj: Any) -> None:
    """Print a result as JSON on stdout."""
    sys.stdout.write(to_json(obj) + "\n")


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr (one line) and exit."""
    sys.stderr.write(f"error: {' '.join(str(message).split())}\n")
    sys.exit(code)


def pydantic_message(exc: pydantic.ValidationError, prefix: str = "") -> str:
    """One line naming each invalid field and what is valid."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__")
        where = f"{prefix}{loc}" if loc else prefix.rstrip(".") or "input"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def fail_from_exception(exc: BaseException) -> NoReturn:
    """Turn a user error into one line and exit 2; re-raise anything unexpected."""
    if isinstance(exc, InputError):
        fail(str(exc))
    if isinstance(exc, pydantic.ValidationError):
        fail(pydantic_message(exc))
    if isinstance(exc, FileNotFoundError):
        fail(f"file not found: {exc.filename}")
    if isinstance(exc, IsADirectoryError | PermissionError):
        fail(f"cannot read {exc.filename}: {exc.strerror}")
    if isinstance(exc, OSError) and exc.filename is not None:  # a path that is not a folder, too long, ...
        fail(f"cannot use {str(exc.filename)[:200]}: {exc.strerror or exc}")
    if type(exc).__module__.startswith("sqlalchemy"):
        fail(database_message(exc))
    raise exc


def database_message(exc: BaseException) -> str:
    """One line for a database that cannot be reached or a URL that cannot be used (never the password)."""
    name = type(exc).__name__
    orig = getattr(exc, "orig", None)
    detail = str(orig if orig is not None else exc).strip().splitlines()
    first = detail[0] if detail else name
    if name == "ArgumentError":
        return "--database-url is not a database URL; valid: sqlite:///FILE or postgresql://USER@HOST/DB"
    return f"cannot use the database: {first}"


def protocol_from_options(
    protocol: Path | None, sessions: int | None, interval_weeks: float | None, step: list[str] | None
) -> Any:
    """The protocol a command was given: a protocol file, or the short form (sessions, interval, steps).

    Parameters
    ----------
    protocol : Path or None
        ``--protocol``: a protocol TOML file.
    sessions, interval_weeks, step
        ``--sessions``, ``--interval-weeks`` (weeks) and ``--step`` of the short form.

    Returns
    -------
    needling.protocol.Protocol
        The parsed protocol.

    Raises
    ------
    InputError
        When both forms or neither are given.
    """
    from needling.protocol import parse_protocol_file, short_protocol

    if protocol is not None:
        if sessions or interval_weeks or step:
            raise InputError(
                "give either --protocol FILE or --sessions/--interval-weeks/--step, not both", field="--protocol"
            )
        return parse_protocol_file(protocol)
    if sessions is None or interval_weeks is None or not step:
        raise InputError("give --protocol FILE, or --sessions N --interval-weeks W --step STEP", field="--protocol")
    return short_protocol(sessions, interval_weeks, list(step))
