"""The plan report printed: rendered to PDF with WeasyPrint and read back with pypdf, in English and Swedish.

The clinician version carries the clinic's name and the patient's name and date of birth on every page, a signature
line and the assumptions as an appendix (name, value, reasoning); the patient version shows no codes (rule ids,
source keys, region keys, device codes), no "week(s)", no version line and no "about 0 out of 10", and a plan that
does not proceed shows no session dates. The Swedish appendix reads Swedish.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from needling.clinic.pdf import html_to_pdf
from needling.devices import list_devices
from needling.evidence import bibliography
from needling.i18n import long_date, translate
from needling.planner import list_rules, load_intake, make_plan
from needling.report import labels as L
from needling.report.plan_report import PrintHeader, render_plan_html

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "patients"
DAY = date(2026, 12, 1)
HEADER = PrintHeader(clinic="Hudkliniken Norr", patient_name="Maja Lind", birth_date=date(1997, 3, 14))


def _plan(name: str):
    return make_plan(load_intake(EXAMPLES / name), start=DAY, n_virtual=40)


@pytest.fixture(scope="module")
def plans():
    return {name: _plan(name) for name in ("five-regions.yaml", "pregnant-defer.yaml", "home-fine-lines.yaml")}


def _pages(plan, audience: str, lang: str) -> list[str]:
    pdf = html_to_pdf(render_plan_html(plan, audience, lang, header=HEADER))
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def _codes(plan) -> set[str]:
    """Every code a patient must not read: rule ids, source keys, region keys unlike their words, device codes."""
    codes = {r.id for r in list_rules()} | set(bibliography().keys())
    codes |= {k for k in plan.sources}
    codes |= {k for k, words in L.SITES.items() if k != words}
    codes |= {d.name for d in list_devices()}
    return {c for c in codes if len(c) > 3}


@pytest.mark.parametrize("lang", ["en", "sv"])
@pytest.mark.parametrize("audience", ["clinician", "patient"])
@pytest.mark.parametrize("name", ["five-regions.yaml", "pregnant-defer.yaml", "home-fine-lines.yaml"])
def test_every_page_names_the_clinic_and_the_patient(plans, name, audience, lang):
    pages = _pages(plans[name], audience, lang)
    plan = plans[name]
    n = len(plan.regions)
    # the appendix: about eight assumptions a page, the key under the readable name in both languages (five regions,
    # 77 assumptions: 23 pages in all in English); at least five a page. A name column that did not wrap let two
    # long names squeeze every reasoning into a narrow column: 36 pages.
    appendix = sum(k.startswith("assumption:") for k in plan.sources) // 5 + 1
    assert 1 <= len(pages) <= (4 + 2 * n + appendix if audience == "clinician" else 2 + n), len(pages)
    born = long_date(HEADER.birth_date, lang)
    for i, text in enumerate(pages, 1):
        assert HEADER.clinic in text and HEADER.patient_name in text and born in text, (i, text[:200])
        assert re.search(rf"\b{i}\s*/\s*{len(pages)}\b", text), (i, text[-200:])


@pytest.mark.parametrize("lang", ["en", "sv"])
@pytest.mark.parametrize("name", ["five-regions.yaml", "pregnant-defer.yaml", "home-fine-lines.yaml"])
def test_patient_version_shows_no_codes(plans, name, lang):
    plan = plans[name]
    text = " ".join(_pages(plan, "patient", lang))
    found = sorted(c for c in _codes(plan) if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text))
    assert not found, found
    assert "week(s)" not in text and "vecka(or)" not in text
    assert not re.search(r"\b(about|ungefär) 0 (out of|av) 10\b", text)
    assert not re.search(r"(?i)\bversion\b", text)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), "ISO dates are for machines"
    for site in {r.site for r in plan.regions}:  # the patient's words for a region ("kinderna"), not the label
        assert L.patient_site(site, lang).casefold() in text.casefold(), site
        label = translate(lang, L.SITES[site])
        if label != L.patient_site(site, lang):
            assert not re.search(rf"(?i)(?<!\w){re.escape(label)}(?!\w)", text), (site, label)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_a_plan_that_does_not_proceed_shows_no_session_dates(plans, lang):
    plan = plans["pregnant-defer.yaml"]
    assert plan.decision not in ("proceed", "proceed-with-caution")
    text = " ".join(_pages(plan, "patient", lang))
    for region in plan.regions:
        for d in region.series.dates:
            assert long_date(d, lang) not in text and str(d) not in text


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_clinician_version_has_a_signature_line_and_the_assumptions_appendix(plans, lang):
    from needling.report.parameter_catalogue import parameter_catalogue, resolve_name

    plan = plans["five-regions.yaml"]
    text = " ".join(_pages(plan, "clinician", lang))
    assert ("Signature" if lang == "en" else "Underskrift") in text
    names = [resolve_name(k) for k in plan.sources if k.startswith("assumption:")]
    assert names, "the example plan rests on named assumptions"
    cat = parameter_catalogue()
    for n in names[:5]:
        assert n in text
        shown = translate(lang, cat[n].reasoning)
        assert lang == "en" or shown != cat[n].reasoning, n  # the Swedish appendix reads Swedish
        words = shown.split()[:4]
        assert " ".join(words) in text, (n, words)
