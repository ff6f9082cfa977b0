"""Medications as coded data: the table is well formed, typed names resolve, rules see ATC groups and route."""

from __future__ import annotations

from datetime import date

import pytest

from needling.errors import InputError
from needling.planner import load_intake, screen
from needling.planner.medications import ATC_PATTERN, ROUTES, medications_version, normalise, resolve, substances
from tests.conftest import assert_one_line_error, invoke

DAY = date(2026, 12, 1)


def test_table_is_versioned_and_every_substance_is_coded():
    assert medications_version()
    ids = set()
    for s in substances():
        assert ATC_PATTERN.match(s.atc), s.id
        assert s.route in ROUTES and s.names and s.id not in ids
        ids.add(s.id)
        for name in s.names:
            assert resolve(name) is s, name  # every listed name comes back to its own substance


@pytest.mark.parametrize(
    ("typed", "substance"),
    [
        ("Roaccutane 20 mg", "isotretinoin"),
        ("xarelto", "rivaroxaban"),
        (" Isotretinoin ", "isotretinoin"),
        ("ELIQUIS 5 mg filmdragerade tabletter", "apixaban"),
        ("Waran", "warfarin"),
        ("acetylsalicylsyra", "acetylsalicylic-acid"),
        ("Trombyl 75 mg", "acetylsalicylic-acid"),
        ("ciklosporin", "ciclosporin"),
        ("Humira 40 mg injektionsvätska, lösning i förfylld penna", "adalimumab"),
        ("isotretinoin gel 0,05 %", "isotretinoin-topical"),
        ("tretinoin kapslar", "tretinoin-oral"),
        ("Neotigason 25 mg kapslar", "acitretin"),
        ("metotrexat", "methotrexate"),
        ("Olumiant", "baricitinib"),
        ("tranexamic acid", "tranexamic-acid"),
        ("Tranexamsyra 500 mg tabletter", "tranexamic-acid"),
        ("Cyklokapron 1 g brustabletter", "tranexamic-acid"),
        ("tranexamic acid serum 5 %", "tranexamic-acid-topical"),
    ],
)
def test_typed_names_resolve_ignoring_case_spacing_strength_and_form(typed, substance):
    hit = resolve(typed)
    assert hit is not None and hit.id == substance, (typed, hit)


def test_unknown_names_are_not_guessed():
    for typed in ("Ozempic 1 mg", "hydrocortisone", "vitamin D", "Protopic"):
        assert resolve(typed) is None, typed
    assert normalise("  Roaccutane\t20 MG ") == "roaccutane 20 mg"


def test_rules_trigger_on_atc_group_and_route_not_on_the_name():
    def fired(meds):
        data = {
            "patient": {"age": 30, "sex": "female", "fitzpatrick": 2},
            "medications": meds,
            "goals": [{"region": "cheek", "indication": "acne-scars", "grade": 3}],
        }
        return {f.rule.id for f in screen(load_intake(data), DAY).findings}

    assert "S10-isotretinoin" in fired([{"name": "Roaccutane"}])
    assert "S10-isotretinoin" not in fired([{"name": "Isotrex"}])  # topical isotretinoin: D10AD, topical
    assert "S34-topical-retinoid" in fired([{"name": "Isotrex"}])
    # the route given overrides the table: isotretinoin applied to the skin is not the systemic rule
    assert "S10-isotretinoin" not in fired([{"name": "isotretinoin", "route": "topical"}])
    assert "S08-anticoagulant" in fired([{"atc": "b01af03"}])  # an ATC code alone, any case
    assert "S14-immunosuppressant" in fired([{"name": "a new JAK inhibitor", "atc": "L04AF99"}])
    assert "S35-unrecognised-medication" in fired([{"name": "Ozempic"}])


def test_a_medication_needs_a_name_or_a_code_and_codes_are_checked():
    base = {
        "patient": {"age": 30, "sex": "female", "fitzpatrick": 2},
        "goals": [{"region": "cheek", "indication": "fine-lines"}],
    }
    with pytest.raises(InputError) as info:
        load_intake({**base, "medications": [{"last_dose": "2026-01-01"}]})
    assert "name or an atc" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(InputError) as info:
        load_intake({**base, "medications": [{"atc": "warfarin"}]})
    assert "ATC code" in str(info.value)


def test_cli_search_maps_a_brand_with_strength_and_says_when_a_name_is_unknown():
    r = invoke("medications", "search", "Roaccutane 20 mg", "--json")
    assert r.code == 0
    doc = r.json()
    assert doc["recognised"] and doc["match"]["atc"] == "D10BA01" and doc["match"]["route"] == "systemic"
    assert {"version", "query", "match", "recognised", "candidates"} <= set(doc)
    r = invoke("medications", "search", "Ozempic", "--json")
    assert r.code == 0 and r.json()["recognised"] is False and r.json()["match"] is None
    r = invoke("medications", "search", "xarelto")
    assert r.code == 0 and "B01AF01" in r.stdout
    assert_one_line_error(invoke("medications", "search", "  "), "TEXT is empty")


@pytest.mark.parametrize("typed", ["tranexamic acid", "tranexamsyra", "Cyklokapron", "Cyklokapron 500 mg"])
def test_tranexamic_acid_is_recognised_at_intake_and_asks_for_no_review(typed):
    """It was missing, so a patient taking it got the unrecognised-medication caution. No rule fires on it: no
    source read says needling should change for it (medications.toml says what was read)."""
    data = {
        "patient": {"age": 30, "sex": "female", "fitzpatrick": 2},
        "medications": [{"name": typed, "last_dose": "2026-11-28"}],
        "goals": [{"region": "cheek", "indication": "melasma"}],
    }
    intake = load_intake(data)
    (med,) = intake.medications
    assert med.code == "B02AA02" and med.effective_route == "systemic" and not intake.unrecognised_medications()
    s = screen(intake, DAY)
    assert s.decision == "proceed" and {f.rule.id for f in s.findings} == {"P01-intradermal-products"}


def test_cli_search_finds_tranexamic_acid_by_its_swedish_name_and_as_typed():
    r = invoke("medications", "search", "tranexamsyra", "--json")
    assert r.code == 0
    doc = r.json()
    assert doc["recognised"] and doc["match"]["atc"] == "B02AA02" and doc["match"]["route"] == "systemic"
    r = invoke("medications", "search", "tranexam", "--json")
    assert r.code == 0 and not r.json()["recognised"]
    routes = {c["route"] for c in r.json()["candidates"] if c["atc"] == "B02AA02"}
    assert routes == {"systemic", "topical"}
