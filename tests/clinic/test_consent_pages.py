"""The consent pages (issue 15, item 3): the clinic's tablet page and the patient's portal page, in en and sv;
a refused signature comes back with what was typed; the session form takes a written consent override."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from needling.clinic.consent_models import Consent, ConsentOverride
from needling.clinic.consent_text import text_name
from needling.i18n import table_date
from tests.clinic.conftest import login, make_app
from tests.clinic.test_consent import CLINICAL_CODES, INTAKE, REASON, pdf_text, signature_data_url

TODAY = date.today()


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path, require_consent=True)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def planned(app):
    c = login(app, "clinician")
    pid = c.post("/api/patients", json={"name": "Anna Andersson", "intake": INTAKE}).json()["id"]
    assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code == 201
    return c, pid


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_tablet_page_shows_the_text_hash_and_signs(app, planned):
    c, pid = planned
    page = c.get(f"/patients/{pid}/consent", params={"procedure": "prp", "lang": "sv"})
    assert page.status_code == 200
    html = page.text
    assert "Dina egna risker" in html and 'id="signature-pad"' in html
    assert "Consent to micro-needling with platelet-rich plasma (PRP), version 2" in html  # the page's language
    for p in ("needling", "needling-peel", "prp", "home-care"):
        assert f"procedure={p}" in html
    form = {
        "csrf_token": hidden(html, "csrf_token"),
        "procedure": "prp",
        "lang": "sv",
        "content_sha256": hidden(html, "content_sha256"),
        "signer_name": "Anna Andersson",
        "signature_png": signature_data_url(),
    }
    r = c.http.post(f"/patients/{pid}/consent", data=form, follow_redirects=False)
    assert r.status_code == 303
    with app.state.Session() as db:
        stored = db.scalars(select(Consent)).one()
        assert stored.channel == "clinic" and stored.content_sha256 == form["content_sha256"]
        assert stored.text.startswith("Samtycke till microneedling med trombocytrik plasma")
    listed = c.get(f"/patients/{pid}/consent").text
    assert f"/api/consents/{stored.id}/pdf" in listed and "In force" in listed


def test_a_refused_signature_keeps_what_was_typed(app, planned):
    c, pid = planned
    html = c.get(f"/patients/{pid}/consent").text
    form = {
        "csrf_token": hidden(html, "csrf_token"),
        "procedure": "needling",
        "lang": "en",
        "content_sha256": hidden(html, "content_sha256"),
        "signer_name": "Anna Typed",
    }
    r = c.http.post(f"/patients/{pid}/consent", data=form)
    assert r.status_code == 422 and "The signature is missing." in r.text and 'value="Anna Typed"' in r.text
    r = c.http.post(f"/patients/{pid}/consent", data=form, headers={"accept-language": "sv-SE,sv;q=0.9"})
    assert r.status_code == 422 and "Underskriften saknas." in r.text  # the reason in the page's language
    body = {k: form[k] for k in ("procedure", "lang", "content_sha256", "signer_name")}
    api = c.post(f"/api/patients/{pid}/consents", json=body)
    assert api.status_code == 422 and "signature: missing" in api.text  # the API keeps its English detail
    form["typed_signature"] = "Anna Typed"
    assert c.http.post(f"/patients/{pid}/consent", data=form, follow_redirects=False).status_code == 303


def test_patient_signs_in_the_portal_and_withdraws(app):
    patient = login(app, "patient")
    clinician = login(app, "clinician")
    pid = patient.user["patient_id"]
    assert clinician.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code == 201
    html = patient.get("/portal/consent", headers={"accept-language": "sv"}).text
    assert "Skriv under samtycket" in html and "Läs texten" in html
    form = {k: hidden(html, k) for k in ("csrf_token", "procedure", "lang", "content_sha256")}
    form |= {"signer_name": "Pat Demo", "signature_png": signature_data_url()}
    assert patient.http.post("/portal/consent", data=form, follow_redirects=False).status_code == 303
    with app.state.Session() as db:
        consent = db.scalars(select(Consent)).one()
        assert consent.channel == "portal" and consent.lang == "sv" and consent.patient_id == pid
    r = patient.http.post(
        f"/consents/{consent.id}/withdraw", data={"csrf_token": form["csrf_token"]}, follow_redirects=False
    )
    assert r.status_code == 303
    listed = patient.get("/portal/consent", headers={"accept-language": "sv"}).text
    assert "Återkallat" in listed and table_date(TODAY, "sv") in listed  # signed and withdrawn in words
    assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", listed)  # no ISO timestamp left on the page
    again = patient.http.post(
        f"/consents/{consent.id}/withdraw", data={"csrf_token": form["csrf_token"]}, headers={"accept-language": "sv"}
    )  # the refusal in the patient's language, not the service's English line
    assert "Inte återkallat: Samtycket är redan återkallat." in again.text and "already withdrawn" not in again.text


def test_the_session_form_takes_a_written_consent_override(app, planned):
    c, pid = planned
    html = c.get(f"/patients/{pid}").text
    assert 'name="consent_override"' in html and f"/patients/{pid}/consent" in html
    form = {
        "csrf_token": hidden(html, "csrf_token"),
        "date": TODAY.isoformat(),
        "r0-site": "cheek",
        "r0-include": "on",
        "r0-lot": "DR15-2026-A",
        "r0-len": "0.5",
        "r0-passes": "8",
        "r0-endpoint": "erythema",
        "r0-device": "dermaroller-192-1.5",
    }
    refused = c.http.post(f"/patients/{pid}/sessions", data=form)
    assert refused.status_code == 422 and "no valid signed consent" in refused.text
    form["consent_override"] = REASON
    ok = c.http.post(f"/patients/{pid}/sessions", data=form, follow_redirects=False)
    assert ok.status_code == 303
    with app.state.Session() as db:
        assert db.scalars(select(ConsentOverride)).one().reason == REASON


TEMPLATE_KEY = re.compile(r"\b(needling|needling-peel|prp|home-care) v\d|Template|Mall\b")


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_patient_reads_no_template_key_on_the_page_the_list_or_the_pdf(app, lang):
    """Issue 16: the text is named in words ("Samtycke till microneedling, version 2"); the record keeps the key."""
    patient = login(app, "patient")
    clinician = login(app, "clinician")
    pid = patient.user["patient_id"]
    assert clinician.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code == 201
    accept = {"accept-language": lang}
    html = patient.get("/portal/consent", params={"lang": lang}, headers=accept).text
    procedures = re.findall(r"procedure=([a-z-]+)&amp;lang=" + lang + '"', html)
    assert "needling" in procedures
    named = {"en": "Consent to micro-needling, version 2", "sv": "Samtycke till microneedling, version 2"}[lang]
    for procedure in dict.fromkeys(procedures):
        page = patient.get("/portal/consent", params={"procedure": procedure, "lang": lang}, headers=accept).text
        assert not TEMPLATE_KEY.search(page), TEMPLATE_KEY.search(page)
        assert re.search(r'id="consent-version">[^<]*, version 2<', page)
    form = {k: hidden(html, k) for k in ("csrf_token", "procedure", "lang", "content_sha256")}
    form |= {"signer_name": "Pat Demo", "signature_png": signature_data_url()}
    assert patient.http.post("/portal/consent", data=form, follow_redirects=False).status_code == 303
    with app.state.Session() as db:
        consent = db.scalars(select(Consent)).one()
        assert consent.version == "needling v2" and TEMPLATE_KEY.search(consent.version)  # the record keeps it
    listed = patient.get("/portal/consent", headers=accept).text
    assert f"/api/consents/{consent.id}/pdf" in listed and not TEMPLATE_KEY.search(listed)
    assert f"· {named} ·" in listed
    my_plan = patient.get("/my-plan", headers=accept).text
    assert f"/api/consents/{consent.id}/pdf" in my_plan and not TEMPLATE_KEY.search(my_plan)
    assert not CLINICAL_CODES.search(re.sub(r"<[^>]+>", " ", my_plan))  # no PIH, TCA... in the patient's plan
    body, _ = pdf_text(patient.get(f"/api/consents/{consent.id}/pdf").content)
    assert named in " ".join(body.split()) and not TEMPLATE_KEY.search(body), TEMPLATE_KEY.search(body)


def test_an_old_consent_is_named_by_its_own_version():
    assert text_name("needling v1", "sv") == "Samtycke till microneedling, version 1"
    assert text_name("prp v2", "en") == "Consent to micro-needling with platelet-rich plasma (PRP), version 2"
