"""The plan report read as a clinician and a patient read it: numbers and units as people write them in the
report's language, no English or codes in the Swedish clinician table, risks as natural frequencies that never
say "about 0", and one expected value per region, not two that disagree."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from needling.planner import load_intake, make_plan
from needling.planner.plan_model import Risks
from needling.report import render_plan_html
from needling.report.plain_words import risk_lines

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "patients"
DAY = date(2026, 12, 1)


def _tables(html: str) -> str:
    """The text of the regions' protocol tables (the clinician's; the rules and the appendix quote sources)."""
    return " ".join(_text(t) for t in re.findall(r'<table class="kv">.*?</table>', html, flags=re.S))


def _text(html: str) -> str:
    html = re.sub(r"<svg.*?</svg>|<style>.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def plans():
    # cheek acne scars with a roller and home care around the eyes; hair thinning with a pen
    return {
        name: make_plan(load_intake(EXAMPLES / f"{name}.yaml"), start=DAY, n_virtual=60)
        for name in ("example", "alopecia-pen")
    }


def test_swedish_clinician_table_writes_numbers_and_units_as_swedes_do(plans):
    text = _tables(render_plan_html(plans["example"], "clinician", "sv")) + _tables(
        render_plan_html(plans["alopecia-pen"], "clinician", "sv")
    )
    assert "1,5 mm" in text and "1.5 mm" not in text  # needle length, decimal comma
    assert " µm" in text and not re.search(r"\d um\b", text)  # depth reached
    assert "cm2" not in text and "per cm²" in text  # bleeding points, hair count
    # no English left in the table: the pen's skin, the cream, the shortest interval
    for english in ("stretched", "lidocaine", "(min ", "pain", "(x0"):
        assert english not in text, english
    assert "sträckt hud" in text and "minst en veckas mellanrum" in text and re.search(r"smärtan \d+ % lägre", text)
    # values to a precision a reader can use, not "1.992 (95 % range 0.0836-4.0)" or "+55.89 %"
    assert not re.search(r"\d[.,]\d{2,}", text), re.findall(r".{30}\d[.,]\d{2,}.{10}", text)[:3]


def test_english_clinician_table_keeps_its_units(plans):
    text = _tables(render_plan_html(plans["alopecia-pen"], "clinician", "en"))
    assert "1.5 mm" in text and " µm" in text and "skin stretched" in text
    assert "at least one week apart" in text and "per cm²" in text


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_clinician_report_gives_one_expected_value_per_region(plans, lang):
    # the table said 1.992 above "Expected grade 2.2" for the same patient: the series mean without the clinic effect
    text = _tables(render_plan_html(plans["example"], "clinician", lang))
    for table, sentence in (
        (
            r"(?:Expected outcome|Förväntat resultat) (\d(?:[.,]\d)?) ",
            r"(?:Expected grade|Förväntad grad) (\d(?:[.,]\d)?)\b",
        ),
        (r"(?:Improvement|Förbättring), %: (\d+) ", r"(?:Expected improvement|Förväntad förbättring) (\d+) %"),
    ):
        in_table, in_sentence = re.search(table, text), re.search(sentence, text)
        assert in_table and in_sentence, text
        assert in_table.group(1) == in_sentence.group(1), (in_table.group(0), in_sentence.group(0))


def test_risks_never_say_about_0_and_take_the_singular_for_one():
    risks = Risks(pih=0.15, tram_track=0.002, prolonged_erythema=0.01)
    assert risk_lines(risks, "en") == [
        "about 15 get darker patches",
        "fewer than 1 gets track-like marks",
        "about 1 has redness for more than a week",
    ]
    assert risk_lines(risks, "sv") == [
        "ungefär 15 får mörka fläckar",
        "färre än 1 får spårliknande märken",
        "ungefär 1 har rodnad i mer än en vecka",
    ]


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_patient_report_says_risks_out_of_100_without_about_0(plans, lang):
    text = _text(render_plan_html(plans["alopecia-pen"], "patient", lang))  # tram-track risk 0 on the scalp
    assert not re.search(r"(about|ungefär) 0\b", text)
    assert ("fewer than 1" if lang == "en" else "färre än 1") in text


def test_one_home_care_area_is_not_listed_again_per_area(plans):
    for lang in ("en", "sv"):
        text = _text(render_plan_html(plans["example"], "patient", lang))
        assert "per area" not in text and "per område" not in text


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_a_plan_with_nothing_planned_tells_the_patient_only_what_stops_it(lang):
    # a 17-year-old: not treated; the rule on intradermal products would otherwise speak of "during treatment"
    data = {
        "patient": {"age": 17, "sex": "male", "fitzpatrick": 5},
        "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
    }
    p = make_plan(load_intake(data), start=DAY, n_virtual=60)
    assert not p.regions and any(r.effect not in ("do-not-treat", "defer-until") for r in p.reasons)
    text = _text(render_plan_html(p, "patient", lang))
    assert ("sterile" if lang == "en" else "sterila") not in text
    assert ("darken" if lang == "en" else "mörkare fläckar") not in text
    assert ("for adults only" if lang == "en" else "bara för vuxna") in text


def test_the_patient_reads_a_region_as_they_name_it_and_the_clinician_keeps_the_label(plans):
    """Issue 16: "kinderna", not the clinician's "kind"; "Cheeks" in English."""
    sv = _text(render_plan_html(plans["example"], "patient", "sv"))
    assert "Kinderna: akneärr" in sv and "på: runt ögonen" in sv  # cheek acne scars; home care around the eyes
    assert not re.search(r"(?i)\bkind\b", sv)
    en = _text(render_plan_html(plans["example"], "patient", "en"))
    assert "Cheeks: acne scars" in en and not re.search(r"\bcheek\b", en)
    clinician = _text(render_plan_html(plans["example"], "clinician", "sv"))
    assert "Kind: akneärr" in clinician and "Kinderna" not in clinician


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_patient_reads_the_decision_as_what_it_means_for_them(plans, lang):
    """Not the clinician's imperative "Beslut: Behandla med försiktighet", nor a peel a rule struck from the plan
    ("Schemaläggs inte: TCA-peeling: en screeningregel förbjuder ..."), nor the same start day once per area."""
    five = make_plan(load_intake(EXAMPLES / "five-regions.yaml"), start=DAY, n_virtual=60)
    assert five.combination_dropped and five.decision == "proceed-with-caution"
    text = _text(render_plan_html(five, "patient", lang))
    said = {"en": "Your treatment can go ahead, with some extra care.", "sv": "Du kan få behandlingen, men kliniken"}
    assert said[lang] in text and ("Decision" if lang == "en" else "Beslut") not in text
    assert ("TCA" not in text) and ("Not scheduled" if lang == "en" else "Schemaläggs inte") not in text
    clinician = _text(render_plan_html(five, "clinician", lang))
    assert ("Decision" if lang == "en" else "Beslut") in clinician and "TCA" in clinician
    home = _text(
        render_plan_html(make_plan(load_intake(EXAMPLES / "home-fine-lines.yaml"), start=DAY), "patient", lang)
    )
    assert ("per area" if lang == "en" else "per område") not in home  # both areas start on the same day


@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_region_headings_start_with_a_capital(plans, audience):
    html = render_plan_html(plans["example"], audience, "sv")
    headings = re.findall(r"<h3>(.*?)</h3>", html)
    assert headings and all(h[:1].isupper() for h in headings), headings


def test_a_home_rollers_shortest_interval_is_said_in_days():
    p = make_plan(load_intake(EXAMPLES / "home-fine-lines.yaml"), start=DAY, n_virtual=60)
    assert p.regions[0].min_interval_weeks < 1
    assert "weeks apart)" not in _tables(render_plan_html(p, "clinician", "en")).replace("one week apart", "")
    assert re.search(r"\(at least \d+ days apart\)", _tables(render_plan_html(p, "clinician", "en")))
    assert re.search(r"\(minst \d+ dagars mellanrum\)", _tables(render_plan_html(p, "clinician", "sv")))


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_patient_learns_what_a_scar_grade_means(plans, lang):
    text = _text(render_plan_html(plans["example"], "patient", lang))
    assert ("from 0 (no scars) to 4 (severe scars)" if lang == "en" else "från 0 (inga ärr) till 4 (svåra ärr)") in text
    hair = _text(render_plan_html(plans["alopecia-pen"], "patient", lang))
    assert "(severe scars)" not in hair and "(svåra ärr)" not in hair


def test_a_source_behind_the_sessions_is_named_once(plans):
    # "Dhurat2013; Dhurat2013; Dhurat2013" behind sessions, interval and shortest interval
    html = render_plan_html(plans["alopecia-pen"], "clinician", "en")
    row = re.search(r"<th>Sessions</th>.*?</tr>", html, flags=re.S).group(0)
    assert row.count("Dhurat2013") == 1, row


def test_a_home_roller_that_does_not_puncture_is_said_so_in_both_languages():
    """A 0.25 mm home roller's needles rarely puncture (pressed needles shorter than the skin's deflection at
    puncture, Verbaan 2008), so its plan expects no improvement: the patient and the clinician read why, in their
    language, instead of a bare 0 %. A pen plan says nothing of the kind."""
    home = make_plan(load_intake(EXAMPLES / "home-fine-lines.yaml"), start=DAY, n_virtual=60)
    assert all(r.predicted.punctured_fraction < 0.001 for r in home.regions)
    for lang, words in (("en", "rarely break through the skin"), ("sv", "tränger sällan igenom huden")):
        for audience in ("patient", "clinician"):
            assert words in _text(render_plan_html(home, audience, lang)), (lang, audience)
    # the depth row gives no depth a channel would reach if there were one
    for lang, words in (("en", "no channels"), ("sv", "inga kanaler")):
        table = _tables(render_plan_html(home, "clinician", lang))
        assert words in table and "µm" not in table, lang
    clinic = make_plan(load_intake(EXAMPLES / "alopecia-pen.yaml"), start=DAY, n_virtual=60)
    assert all(r.predicted.punctured_fraction == 1.0 for r in clinic.regions)
    assert "rarely break through" not in _text(render_plan_html(clinic, "patient", "en"))
    assert "no channels" not in _tables(render_plan_html(clinic, "clinician", "en"))
