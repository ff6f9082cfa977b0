"""Babel extractor for the clinic's JSON catalogue of keys, read while its texts move to gettext calls."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO


def brace_to_percent(text: str) -> str:
    """ "Lot {lot} registered." -> "Lot %(lot)s registered." (gettext's named placeholders)."""
    return re.sub(r"\{(\w+)\}", r"%(\1)s", text)


def legacy_json(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Every English text of a ``{key: text}`` JSON file as a message id (the key as a translator comment)."""
    data = json.loads(fileobj.read().decode("utf-8"))
    for key, text in data.items():
        if isinstance(text, str):
            yield 1, None, brace_to_percent(text), [f"key: {key}"]
