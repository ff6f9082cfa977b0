"""A Swedish text that repeats itself: the lots page printed its barcode hint three times in a row, because the
catalogue's msgstr held the sentence three times (an edit appended instead of replacing)."""

from __future__ import annotations

from babel.messages.pofile import read_po

from needling.i18n import po_path


def repeats(text: str) -> int:
    """How many times ``text`` is one shorter text over and over (1: it is not)."""
    for k in range(len(text) // 10, 1, -1):
        if len(text) % k == 0 and text[: len(text) // k] * k == text:
            return k
    return 1


def test_no_swedish_text_is_the_same_sentence_repeated():
    with po_path("sv").open("rb") as f:
        catalog = read_po(f)
    doubled = [m.id for m in catalog if m.id and isinstance(m.string, str) and repeats(m.string) > 1]
    assert not doubled, doubled


def test_the_check_finds_a_repeat():
    assert repeats("Skanna koden. " * 3) == 3 and repeats("Skanna koden.") == 1
