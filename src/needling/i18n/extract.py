"""Babel extractor for texts people read that live in data files rather than in code (``babel.cfg``)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import Any, BinaryIO


def rules_toml(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """The clinician ``message`` and the plain-words ``patient`` text of every ``[[rule]]`` as msgids.

    Their ``{name}`` placeholders are filled after translation, so the Swedish keeps them as they are.
    """
    data = tomllib.loads(fileobj.read().decode("utf-8"))
    for rule in data.get("rule", []):
        for field in ("message", "patient"):
            if rule.get(field):
                yield 1, None, rule[field], [f"rule {rule['id']} ({field}); keep the {{placeholders}}"]
