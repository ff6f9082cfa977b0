"""Swedish written as Swedish: the glossary's words are used and its avoided words never appear; the review's
examples read as the issue asks."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from babel.messages.pofile import read_po

from needling.i18n import how_often, po_path, sessions_apart, translate
from needling.planner import load_intake, make_plan
from needling.report import labels as L
from needling.report import render_plan_html

GLOSSARY = Path(po_path("sv")).parents[2] / "glossary-sv.md"


def swedish_texts() -> list[str]:
    with po_path("sv").open("rb") as f:
        catalog = read_po(f)
    out = []
    for m in catalog:
        out += list(m.string) if isinstance(m.string, tuple) else [m.string]
    return [re.sub(r"%\(\w+\)[sd]|\{\w+\}", " ", s) for s in out if s]  # placeholders are not words


def avoided_words() -> list[str]:
    rows = [
        line.split("|")[1:-1] for line in GLOSSARY.read_text(encoding="utf-8").splitlines() if line.startswith("| ")
    ]
    words = []
    for row in rows[1:]:  # the header row names the columns
        words += [w.split("(")[0].strip() for w in row[2].split(",") if w.strip()]
    return words


def test_the_glossary_lists_words_to_avoid():
    assert {"needla", "aknefärr", "bindvävssjukdom", "passager"} <= set(avoided_words())


def test_no_swedish_text_uses_an_avoided_word():
    found = []
    for word in avoided_words():
        pattern = re.compile(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", re.IGNORECASE)
        found += [(word, s[:80]) for s in swedish_texts() if pattern.search(s)]
    assert not found, found


def test_the_reviews_examples():
    assert translate("sv", L.DECISIONS["defer"]) == "Behandlingen skjuts upp"
    assert sessions_apart(24, 1, "sv") == "24 behandlingar med en veckas mellanrum"
    assert sessions_apart(6, 4, "sv") == "6 behandlingar med 4 veckors mellanrum"
    assert sessions_apart(6, 4, "en") == "6 sessions, 4 weeks apart"
    assert how_often(7, "sv") == "en gång i veckan" and how_often(14, "sv") == "varannan vecka"
    texts = swedish_texts()
    assert "Med ditt blodförtunnande läkemedel blöder du lättare och får lättare blåmärken. " in " ".join(texts)
    assert translate("sv", L.INDICATIONS["acne-scars"]) == "akneärr"


def test_patient_report_gives_risks_as_natural_frequencies_and_no_codes():
    data = {
        "patient": {"age": 34, "sex": "female", "fitzpatrick": 3},
        "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
        "devices": ["dermaroller-192-1.5"],
    }
    plan = make_plan(load_intake(data), start=date(2026, 12, 1), n_virtual=40)
    html = render_plan_html(plan, "patient", "sv")
    text = re.sub(r"<svg.*?</svg>|<style>.*?</style>|<[^>]+>", " ", html, flags=re.S)
    assert "Av 100 personer som du" in text and "behandlingar med" in text
    assert not re.search(r"\d %,", text)  # risks are not percentages
    assert "dermaroller-192" not in text and "cheek" not in text and "acne-scars" not in text
    assert "kinden" in text.lower() or "kind" in text.lower()  # a heading starts with a capital: "Kind: akneärr"
