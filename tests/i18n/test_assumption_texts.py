"""The named assumptions in Swedish: the generated list is current, every assumption has a readable Swedish name and
Swedish reasoning, a new one without Swedish is caught, and the Swedish clinician report's appendix reads Swedish
(decimal comma, no English reasoning)."""

from __future__ import annotations

import json
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from needling.evidence import Assumption
from needling.planner import load_intake, make_plan
from needling.report.assumption_texts import (
    TEXTS_PATH,
    catalogue_assumptions,
    format_value,
    texts_document,
    untranslated,
)
from needling.report.parameter_catalogue import parameter_catalogue
from needling.report.plan_report import render_plan_html

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "patients"


def test_the_extracted_list_is_the_catalogues_assumptions():
    on_disk = json.loads(TEXTS_PATH.read_text(encoding="utf-8"))
    assert on_disk == texts_document(), "an assumption changed: run make messages, then translate it"
    assert len(on_disk) == len(catalogue_assumptions()) > 200


def test_every_assumption_has_a_swedish_name_and_reasoning():
    missing = untranslated(catalogue_assumptions(), "sv")
    assert not missing, f"{len(missing)} assumptions without Swedish (make messages, then translate): {missing[:5]}"


def test_a_new_assumption_without_swedish_is_caught():
    known = catalogue_assumptions()[0]
    new = Assumption(
        name="example-new-assumption", value=0.5, unit="1", reasoning="A reasoning nobody translated.", registered=False
    )
    assert untranslated([known, new], "sv") == ["example-new-assumption"]
    reworded = Assumption(
        name=known.name, value=known.value, unit=known.unit, reasoning=known.reasoning + " Reworded.", registered=False
    )
    assert untranslated([reworded], "sv") == [known.name]
    assert untranslated([new], "en") == ["example-new-assumption"]  # English needs a readable name only
    assert untranslated([reworded], "en") == []


@pytest.mark.parametrize(
    ("value", "unit", "lang", "text"),
    [
        (0.426, "1", "sv", "0,426"),
        (0.426, "1", "en", "0.426"),
        (140.0, "um", "sv", "140\N{NO-BREAK SPACE}um"),
        (1.42e-08, "cm2/s", "sv", "1,42 × 10⁻⁸\N{NO-BREAK SPACE}cm2/s"),
        (1.5e6, "Da", "en", "1.5 × 10⁶\N{NO-BREAK SPACE}Da"),
        (0.6519, "h", "sv", "0,6519\N{NO-BREAK SPACE}h"),
    ],
)
def test_values_are_written_as_the_locale_writes_numbers(value, unit, lang, text):
    assert format_value(value, unit, lang) == text


@pytest.fixture(scope="module")
def plan():
    return make_plan(load_intake(EXAMPLES / "five-regions.yaml"), start=date(2026, 12, 1), n_virtual=40)


def _appendix_rows(html: str) -> list[list[str]]:
    table = html.split('<table class="appendix">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    cells = [re.findall(r"<td>(.*?)</td>", r, re.S) for r in rows]
    return [[unescape(re.sub(r"<[^>]+>", " ", c)).strip() for c in row] for row in cells]


def test_the_swedish_appendix_has_no_english_reasoning(plan):
    cat = parameter_catalogue()
    names = [k.removeprefix("assumption:") for k in plan.sources if k.startswith("assumption:")]
    assert len(names) >= 5, "the example plan rests on named assumptions"
    html = render_plan_html(plan, "clinician", "sv")
    rows = _appendix_rows(html)
    assert len(rows) == len(names)
    english = {cat[n].reasoning for n in cat if isinstance(cat[n], Assumption)}
    for label, value, reasoning in rows:
        assert reasoning and reasoning not in english, (label, reasoning[:60])
        assert not re.search(r"\d\.\d", value), value  # decimal comma
        name = label.split()[-1]
        assert name in cat and label != name, label  # a readable Swedish name, with the key under it
    assert "written in English" not in html and "på engelska" not in html
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    for n in names:
        assert cat[n].reasoning not in text


def test_the_english_appendix_keeps_the_reasoning_as_written_under_a_readable_name(plan):
    cat = parameter_catalogue()
    rows = _appendix_rows(render_plan_html(plan, "clinician", "en"))
    assert rows
    for label, _value, reasoning in rows:
        name = label.split()[-1]
        assert reasoning == cat[name].reasoning
        words = label.removesuffix(name).strip()  # the readable name, the key under it
        assert words and not re.fullmatch(r"[a-z0-9.-]+", words), label


def test_every_assumption_has_a_readable_english_name():
    missing = untranslated(catalogue_assumptions(), "en")
    assert not missing, (
        f"{len(missing)} assumptions without an English name (make messages, then name it): {missing[:5]}"
    )
