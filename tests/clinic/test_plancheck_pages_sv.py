"""Each plan-check and consent refusal of the session form, on a Swedish page, as one plain Swedish sentence.

The session form is posted as a browser posts it, with Swedish as the reader's language; the banner must read
exactly the sentence below (areas, lengths and dates in words, the decimal comma) and show none of the service's
English line: no request field (``regions[0]``), no "giltigt:" list, no ISO date, no English word. The API keeps
the English line with the field and what is valid (``tests/clinic/test_session_plan.py``).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from needling.i18n import millimetres, table_date
from needling.planner import region_limit_mm
from needling.planner.intake import load_intake
from needling.planner.plan import make_plan
from tests.clinic.conftest import login, make_app
from tests.clinic.test_session_interval import add_home_log
from tests.clinic.test_session_plan import INTAKE, JUSTIFICATION, TODAY, body, region
from tests.clinic.test_swedish_pages import english_in

SV = {"accept-language": "sv-SE,sv;q=0.9"}
REFUSED = "Behandlingen nekades: "
OR_JUSTIFY = "eller skriv en motivering om du ändå vill registrera behandlingen."
FLASH = re.compile(r'<div class="flash error" role="status">(.*?)</div>', re.S)


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path, require_consent=False)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def consent_app(tmp_path):
    application = make_app(tmp_path / "consent", require_consent=True)
    yield application
    application.state.engine.dispose()


def planned(app, intake=INTAKE, name="Plan Follower"):
    """A clinician and a planned patient (cheek 1.5 mm, forehead 0.5 mm) with lots of 1.0 and 2.0 mm rollers."""
    c = login(app, "clinician")
    pid = c.post("/api/patients", json={"name": name, "intake": intake}).json()["id"]
    assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code == 201
    expiry = (TODAY + timedelta(days=300)).isoformat()
    for device, lot in (("dermaroller-192-1.0", "DR10-2027"), ("dermaroller-192-2.0", "DR20-2027")):
        c.post("/api/lots", json={"device_name": device, "lot_number": lot, "expiry": expiry})
    return c, pid


def form(c, site="cheek", lot="DR15-2026-A", mm="1.5", device="", on=TODAY, **extra):
    """The session form with one ticked row, as the page posts it."""
    return {
        "csrf_token": c.csrf,
        "date": on.isoformat(),
        "r0-include": "1",
        "r0-site": site,
        "r0-lot": lot,
        "r0-len": mm,
        "r0-passes": "8",
        "r0-endpoint": "erythema",
        "r0-device": device,
        **extra,
    }


def refusal_sv(c, pid, data) -> str:
    """Post the form in Swedish; the banner's text, checked to be refused and to carry nothing of the API line."""
    r = c.http.post(f"/patients/{pid}/sessions", data=data, headers=SV)
    assert r.status_code == 422, r.text[:300]
    banners = FLASH.findall(r.text)
    assert len(banners) == 1, banners
    text = re.sub(r"[ \t\r\n]+", " ", banners[0]).strip()  # the no-break space before "mm" stays
    leaks = [w for w in ("regions[", "giltigt:", "valid", "override", "lot_number") if w in text]
    assert not leaks and not re.search(r"\d{4}-\d{2}-\d{2}", text), text
    assert english_in(text) == [], (english_in(text), text)
    return text


def test_a_region_outside_the_plan(app):
    c, pid = planned(app)
    text = refusal_sv(c, pid, form(c, "chin", "DR05-2026-B", "0.5"))
    assert (
        text
        == REFUSED + f"Området haka ingår inte i planen. Planen gäller: kind, panna. Välj något av dem, {OR_JUSTIFY}"
    )


def test_a_patient_without_a_plan(app):
    c = login(app, "clinician")
    pid = c.post("/api/patients", json={"name": "No Plan", "intake": INTAKE}).json()["id"]
    text = refusal_sv(c, pid, form(c))
    assert (
        text
        == REFUSED + f"Patienten har ingen plan än, så området kind är inte planerat. Gör en plan först, {OR_JUSTIFY}"
    )


def test_a_plan_that_treats_no_region(app):
    intake = {**INTAKE, "patient": {**INTAKE["patient"], "pregnant": True}}
    assert make_plan(load_intake(intake), TODAY).regions == []  # pregnancy: no region is planned
    c, pid = planned(app, intake)
    text = refusal_sv(c, pid, form(c))
    decision = {"do-not-treat": "Behandla inte", "defer": "Behandlingen skjuts upp"}
    plan = c.get(f"/api/patients/{pid}").json()["plan"]
    assert text == REFUSED + (
        f"Planen omfattar inget område (beslut: {decision[plan['decision']]}), alltså inte heller området kind. "
        f"Vänta på en plan som tillåter behandling, {OR_JUSTIFY}"
    )


def test_a_region_the_plan_defers(app):
    botox = {"kind": "botulinum-toxin", "date": (TODAY - timedelta(days=3)).isoformat(), "region": "cheek"}
    c, pid = planned(app, {**INTAKE, "procedures": [botox]})
    until = c.get(f"/api/patients/{pid}").json()["plan"]["regions"][0]["deferred_until"]
    assert until
    text = refusal_sv(c, pid, form(c))
    day = table_date(until, "sv")
    assert text == REFUSED + f"Planen skjuter upp området kind till {day}. Välj den dagen eller senare, {OR_JUSTIFY}"


def test_a_needle_above_the_regions_limit(app):
    c, pid = planned(app)
    limit = millimetres(region_limit_mm("forehead", "female")[0], "sv")
    text = refusal_sv(c, pid, form(c, "forehead", "DR10-2027", "1.0"))
    assert text == REFUSED + (
        f"Nållängden 1\N{NO-BREAK SPACE}mm är över gränsen {limit} för området panna. Välj högst {limit}, {OR_JUSTIFY}"
    )


def test_a_needle_longer_than_the_plans(app):
    c, pid = planned(app)
    text = refusal_sv(c, pid, form(c, "cheek", "DR20-2027", "2.0", device="dermaroller-192-2.0"))
    mm = "\N{NO-BREAK SPACE}mm"
    assert text == REFUSED + (
        f"Nållängden 2{mm} är längre än planens 1,5{mm} för området kind. Välj högst 1,5{mm}, {OR_JUSTIFY}"
    )


def test_a_device_the_plan_does_not_name(app):
    c, pid = planned(app)
    mm = "\N{NO-BREAK SPACE}mm"
    text = refusal_sv(c, pid, form(c, "cheek", "DR10-2027", "1.0", device="dermaroller-192-1.0"))
    assert text == REFUSED + (
        f"Planen anger Dermaroller med 192 nålar, 1,5{mm} för området kind, inte Dermaroller med 192 nålar, 1{mm}. "
        f"Välj en batch av Dermaroller med 192 nålar, 1,5{mm}, {OR_JUSTIFY}"
    )


def test_a_lot_of_another_device(app):
    c, pid = planned(app)
    mm = "\N{NO-BREAK SPACE}mm"
    text = refusal_sv(c, pid, form(c, device="dermapen-11", justification=JUSTIFICATION))
    assert text == REFUSED + (
        f"Batch DR15-2026-A är registrerad för Dermaroller med 192 nålar, 1,5{mm}, inte Dermapen med 11 nålar, djup "
        f"upp till 2,5{mm}. Välj en batch av Dermapen med 11 nålar, djup upp till 2,5{mm}: PEN11-2026-C."
    )


def test_a_session_too_soon_after_the_last_one(app):
    c, pid = planned(app)
    first = TODAY - timedelta(days=3)
    assert c.post(f"/api/patients/{pid}/sessions", json=body(region(), on=first)).status_code == 201
    text = refusal_sv(c, pid, form(c))
    days = re.search(r"minst (\d+) dagar mellan", text)
    assert days, text
    n = days.group(1)
    assert text == REFUSED + (
        f"Området kind behandlades {table_date(first, 'sv')} med 1,5\N{NO-BREAK SPACE}mm nålar, bara 3 dagar från "
        f"dagen du valde. Det ska gå minst {n} dagar mellan två behandlingar av samma område. Välj en dag minst {n} "
        f"dagar från {table_date(first, 'sv')}, {OR_JUSTIFY}"
    )


def test_a_session_too_soon_after_a_home_session(app):
    c, pid = planned(app)
    home_day = TODAY - timedelta(days=2)
    add_home_log(app, pid, "cheek", home_day)
    text = refusal_sv(c, pid, form(c))
    n = re.search(r"minst (\d+) dagar mellan", text).group(1)
    assert text == REFUSED + (
        f"Patienten behandlade området kind hemma {table_date(home_day, 'sv')} med 0,5\N{NO-BREAK SPACE}mm nålar "
        f"(enligt loggen för hemmabehandling), bara 2 dagar från dagen du valde. Det ska gå minst {n} dagar mellan två "
        f"behandlingar av samma område. Välj en dag minst {n} dagar från {table_date(home_day, 'sv')}, {OR_JUSTIFY}"
    )


def test_a_justification_too_short_and_one_not_from_a_clinician(app):
    c, pid = planned(app)
    text = refusal_sv(c, pid, form(c, "chin", "DR05-2026-B", "0.5", justification="ok"))
    assert text == REFUSED + "Motiveringen är för kort: 2 tecken. Skriv minst 10 tecken."
    admin = login(app, "admin")
    text = refusal_sv(admin, pid, form(admin, "chin", "DR05-2026-B", "0.5", justification=JUSTIFICATION))
    assert text == REFUSED + (
        "Bara en behandlare får åsidosätta en kontroll mot planen. Be en behandlare registrera behandlingen."
    )


def test_a_session_without_consent(consent_app):
    c, pid = planned(consent_app)
    ok = form(c, "forehead", "DR05-2026-B", "0.5")
    text = refusal_sv(c, pid, ok)
    assert text == REFUSED + (
        f"Det finns inget giltigt, undertecknat samtycke till microneedling den {table_date(TODAY, 'sv')}. Låt "
        "patienten skriva under samtycket först. Är du behandlare kan du i stället skriva ett skäl och ändå "
        "registrera behandlingen."
    )
    text = refusal_sv(c, pid, {**ok, "consent_override": "kort"})
    assert text == REFUSED + "Skälet är för kort: 4 tecken. Skriv minst 10 tecken."
    admin = login(consent_app, "admin")
    text = refusal_sv(admin, pid, {**form(admin, "forehead", "DR05-2026-B", "0.5"), "consent_override": JUSTIFICATION})
    assert text == REFUSED + (
        "Bara en behandlare får registrera en behandling utan samtycke. Be en behandlare registrera den."
    )


def test_an_endpoint_not_on_the_list(app):
    c, pid = planned(app)
    text = refusal_sv(c, pid, {**form(c), "r0-endpoint": "blood"})
    assert text == REFUSED + "Välj en slutpunkt i listan."


def test_the_plans_areas_are_listed_in_the_readers_order(app):
    intake = {**INTAKE, "goals": [*INTAKE["goals"], {"region": "neck", "indication": "wrinkles"}]}
    c, pid = planned(app, intake)
    text = refusal_sv(c, pid, form(c, "chin", "DR05-2026-B", "0.5"))
    assert "Planen gäller: hals, kind, panna." in text  # neck, cheek, forehead in Swedish order, not by code
    en = c.http.post(f"/patients/{pid}/sessions", data=form(c, "chin", "DR05-2026-B", "0.5"))
    assert "The plan covers: cheek, forehead, neck." in en.text


def test_the_api_keeps_the_english_line():
    from needling.clinic.session_guard import PAGE_INTERVAL, REFUSE_INTERVAL, Refusal

    params = {"site": "cheek", "other": "2026-11-21", "other_mm": "0.5", "gap": 3, "days": 14, "source": "Farber2020"}
    words = {"site": "cheek", "other": TODAY, "other_mm": 0.5, "gap_days": 3, "min_days": 14}
    r = Refusal("interval-too-short", "regions[0].date", REFUSE_INTERVAL, params, page=PAGE_INTERVAL, words=words)
    assert r.line().startswith("regions[0].date: cheek was needled on 2026-11-21 (0.5 mm), 3 days apart")
    assert "valid: at least 14 days from 2026-11-21" in r.line() and "(Farber2020)" in r.line()
    assert r.text("en").startswith("The area cheek was treated on ") and "0.5\N{NO-BREAK SPACE}mm" in r.text("en")
