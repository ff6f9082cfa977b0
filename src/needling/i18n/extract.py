"""Babel extractor for texts people read that live in data files rather than in code (``babel.cfg``)."""

from __future__ import annotations

import json
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


def assumption_texts_json(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """The name and the reasoning of every named assumption as msgids, from the list ``make messages`` writes
    (``needling/i18n/assumption_texts.json``, see :mod:`needling.report.assumption_texts`).

    The name's translation is the readable name the report's appendix shows (the kebab-case key stays under it);
    the reasoning's is the reasoning itself.
    """
    for line, entry in enumerate(json.loads(fileobj.read().decode("utf-8")), 1):
        name, topic = entry["name"], entry["topic"]
        yield line, None, name, [f"readable name of the assumption {name} ({topic}): a short noun phrase"]
        yield (
            line,
            None,
            entry["reasoning"],
            [f"reasoning of the assumption {name} ({topic}): decimal comma, keep units and source names"],
        )
