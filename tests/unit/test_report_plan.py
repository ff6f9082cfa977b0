"""The plan report: one self-contained HTML file, clinician (every reason and reference) or patient (plain words),
in English and Swedish."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from needling.errors import InputError
from needling.i18n import translate
from needling.planner import list_rules, load_intake, make_plan
from needling.report import labels as L
from needling.report import render_plan_html

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "patients"
DAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def plan():
    data = {
        "patient": {"age": 29, "sex": "female", "fitzpatrick": 4},
        "medications": [{"name": "isotretinoin", "last_dose": "2026-10-01"}],
        "goals": [
            {"region": "cheek", "indication": "acne-scars", "grade": 3},
            {"region": "scalp", "indication": "androgenetic-alopecia"},
        ],
        "devices": ["dermapen4-16"],
    }
    return make_plan(load_intake(data), start=DAY, n_virtual=60)


def _text(html: str) -> str:
    html = re.sub(r"<svg.*?</svg>|<style>.*?</style>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("audience", ["clinician", "patient"])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_self_contained_and_printable(plan, audience, lang):
    html = render_plan_html(plan, audience, lang)
    assert html.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in html
    # nothing fetched from elsewhere: no scripts, stylesheets, images or fonts by URL
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert not re.search(r"url\(\s*['\"]?(https?:|//|data:)", html) and "@import" not in html
    assert html.count("<svg") >= 2 and "@media print" in html and "break-inside: avoid" in html


def test_clinician_version_has_every_reason_reference_and_both_sides_of_a_conflict(plan):
    html = render_plan_html(plan, "clinician", "en")
    for r in plan.reasons:
        assert r["rule"] in html
    for key in ("IsotretinoinLabel", "Spring2017", "Latifaltojar2024", "GargBaveja2014", "Dhurat2013"):
        assert key in html
    assert "Guidance conflicts" in html and "Spring" in html  # the ASDS paper in the reference list
    assert "Pen settings" in html and "95 % range" in html and "without anaesthesia" in html


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_patient_version_is_plain_words_without_ids_or_keys(plan, lang):
    text = _text(render_plan_html(plan, "patient", lang))
    for rule in list_rules():
        assert rule.id not in text
    assert not re.search(r"\b[A-Z][A-Za-z]+(19|20)\d\d\b", text)  # no source keys such as Harris2015
    assert "assumption:" not in text and "um" not in text.split()
    assert L.patient_site("cheek", lang) in text.lower() and translate(lang, L.INDICATIONS["acne-scars"]) in text
    assert translate(lang, L.COMBINATION_PATIENT["minoxidil"]) in text


def test_swedish_report_is_swedish(plan):
    text = _text(render_plan_html(plan, "patient", "sv"))
    assert "Din behandlingsplan" in text and "veckor" in text
    # isotretinoin keeps needling superficial (no cream below 1 mm): the Swedish "no numbing" line instead
    numbing = any(r["anaesthesia"] for r in plan.regions)
    assert ("Bedövningskräm" in text) if numbing else (translate("sv", "No numbing cream is needed") in text)
    for english in ("Most likely", "Stop and contact", "weeks apart", "sunscreen"):
        assert english not in text


def test_every_region_indication_and_decision_has_words_for_people():
    from needling.anatomy import site_names
    from needling.planner.vocabulary import INDICATIONS

    assert set(site_names()) <= set(L.SITES)
    assert set(L.SITES) == set(L.SITES_PATIENT)  # every region also as a patient reads it
    for lang in ("en", "sv"):
        assert all(L.site_key(L.patient_site(k, lang)) == k for k in L.SITES)
        assert all(L.site_key(translate(lang, L.SITES[k]).upper()) == k for k in L.SITES)
    assert set(INDICATIONS) <= set(L.INDICATIONS)
    assert set(L.DECISIONS) == {"proceed", "proceed-with-caution", "defer", "do-not-treat"}


def test_do_not_treat_report_says_so_and_shows_no_protocol():
    data = {
        "patient": {"age": 40, "sex": "male", "fitzpatrick": 2},
        "conditions": ["keloid-tendency"],
        "goals": [{"region": "perioral", "indication": "wrinkles"}],
    }
    p = make_plan(load_intake(data), start=DAY)
    html = render_plan_html(p, "patient", "sv")
    said = translate("sv", L.DECISIONS_PATIENT["do-not-treat"])  # to the patient, not the imperative
    assert said in html and "Behandla inte" not in html and "Ingen behandling planeras nu" in html
    assert "<svg" not in html
    assert "Behandla inte" in render_plan_html(p, "clinician", "sv")


@pytest.mark.parametrize("condition", ["active-infection", "active-herpes", "open-wound", "active-acne"])
def test_a_deferred_report_shows_no_session_date(condition):
    """A temporary condition defers the plan: no report names a session date the patient could take as booked."""
    from babel.dates import format_date

    from needling.i18n import long_date

    data = {
        "patient": {"age": 40, "sex": "male", "fitzpatrick": 2},
        "goals": [{"region": "perioral", "indication": "wrinkles"}],
    }
    would_be = make_plan(load_intake(data), start=DAY, n_virtual=20).series.dates  # the dates without it
    assert would_be
    p = make_plan(load_intake({**data, "conditions": [condition]}), start=DAY, n_virtual=20)
    assert p.decision == "defer"
    for audience in ("clinician", "patient"):
        for lang in ("en", "sv"):
            text = _text(render_plan_html(p, audience, lang))
            decisions = L.DECISIONS if audience == "clinician" else L.DECISIONS_PATIENT  # the patient's words
            assert translate(lang, decisions["defer"]) in text
            assert translate(lang, "First session") not in text and "<svg" not in text
            for d in would_be:
                day = date.fromisoformat(d)
                shown = {d, long_date(day, lang), format_date(day, "medium", locale=lang)}
                if day != DAY:
                    assert not [s for s in shown if s in text], (audience, lang, d)


def test_bad_audience_or_language_is_an_input_error(plan):
    with pytest.raises(InputError, match="valid: clinician, patient"):
        render_plan_html(plan, "nurse", "en")
    with pytest.raises(InputError, match="valid: en, sv"):
        render_plan_html(plan, "patient", "de")


@pytest.mark.parametrize(
    "path", sorted(EXAMPLES.glob("*.yaml")) + sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name
)
def test_every_example_patient_renders(path):
    p = make_plan(load_intake(path), start=DAY, n_virtual=30)
    assert p.decision in ("proceed", "proceed-with-caution", "defer", "do-not-treat")
    for audience in ("clinician", "patient"):
        for lang in ("en", "sv"):  # every code of every example has its words in both languages
            assert "</html>" in render_plan_html(p, audience, lang)


def test_swedish_rule_messages_cover_every_rule_with_the_same_placeholders():
    for r in list_rules():
        for attr in ("patient", "message"):
            english = getattr(r, attr)
            swedish = translate("sv", english)
            assert swedish != english, (r.id, attr)
            assert set(re.findall(r"\{\w+\}", english)) == set(re.findall(r"\{\w+\}", swedish)), (r.id, attr)


def test_swedish_clinician_report_translates_rules_combination_and_aftercare(plan):
    html = render_plan_html(plan, "clinician", "sv")
    text = _text(html)
    assert "RIKTLINJERNA GÅR ISÄR" in text and "till 1 april 2027" in text and "GUIDANCE CONFLICTS" not in text
    assert "Sunscreen" not in text and "sunscreen" not in text
    for c in plan.combination:
        sv_text = translate("sv", L.COMBINATION_CLINICIAN[c["id"]])
        assert sv_text in text
        # the numbers of the step (concentrations) are the same in the Swedish text
        for number in re.findall(r"\d+", c["step"]):
            assert number in sv_text, (c["id"], number)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_patient_report_has_no_version_line_codes_or_week_s(plan, lang):
    text = _text(render_plan_html(plan, "patient", lang))
    assert "Rules version" not in text and "Regelversion" not in text
    assert "week(s)" not in text and "day(s)" not in text and "vecka(or)" not in text
    assert "dermapen4-16" not in text and "acne-scars" not in text and "about 0 out of 10" not in text
    assert "Rules version" in _text(render_plan_html(plan, "clinician", "en"))


def test_a_plan_that_does_not_go_ahead_shows_no_session_dates(plan):
    deferred = {**plan.to_json(), "decision": "defer"}
    dates = [d for r in plan.regions for d in r.series.dates if d != plan.start]  # the screening day is shown
    assert dates
    for lang in ("en", "sv"):
        text = _text(render_plan_html(deferred, "patient", lang))
        assert not any(d in text for d in dates)
        assert "Behandlingen skjuts upp" in text if lang == "sv" else "Your treatment is put off for now." in text


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_clinicians_plan_names_each_device_in_words(plan, lang):
    from needling.devices import device_names
    from needling.report.device_words import device_label

    text = " ".join(_text(render_plan_html(plan, "clinician", lang)).split())
    for region in plan.regions:
        assert " ".join(device_label(region.device, lang).split()) in text, region.device
    assert not any(name in text for name in device_names()), [n for n in device_names() if n in text]
