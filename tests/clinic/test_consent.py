"""Signed consent (issue 15, item 3): texts filled from the plan, signing, immutability, withdrawal, the session
check with its audited override, and PDFs, on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import date, timedelta
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from pypdf import PdfReader
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from needling.clinic.consent_models import IMMUTABLE_TABLES, Consent, ConsentOverride, ConsentWithdrawal
from needling.clinic.consent_text import PROCEDURES, content_hash, natural_frequency, render_consent
from needling.clinic.models import AuditEntry, TreatmentSession
from needling.errors import InputError
from needling.i18n import translate
from needling.planner import load_intake, make_plan
from needling.planner.plan_model import Plan
from needling.report import labels, render_plan_html
from tests.clinic.conftest import login, make_app, seeded_pg_app

TODAY = date.today()
INTAKE = {
    "patient": {"age": 29, "sex": "female", "fitzpatrick": 4},
    "goals": [
        {"region": "cheek", "indication": "acne-scars", "grade": 3},
        {"region": "periorbital", "indication": "fine-lines"},
    ],
}
REASON = "Patient signed the paper form; the scan is in the archive."


def signature_data_url(blank: bool = False) -> str:
    img = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    if not blank:
        ImageDraw.Draw(img).line([(10, 80), (80, 20), (150, 70), (290, 15)], fill=(0, 0, 0, 255), width=4)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


# --- the texts ---------------------------------------------------------------------------------------------


@cache
def example_plan() -> Plan:
    """Cheek acne scars grade 3 (peel and PRP combined) and fine lines around the eyes (home care)."""
    doc = make_plan(load_intake(INTAKE), start=date(2026, 11, 24)).to_json()
    return Plan.from_json(json.loads(json.dumps(doc)))  # as a stored plan reads back


def test_text_names_regions_depths_sessions_and_own_risks_as_natural_frequencies():
    plan = example_plan()
    en = render_consent(plan, "needling", "en", "Anna Andersson")
    sv = render_consent(plan, "needling", "sv", "Anna Andersson")
    assert en.version == sv.version == "needling v2"  # the record keeps the template's key and number
    assert "Patient: Anna Andersson" in en.text and "Patient: Anna Andersson" in sv.text
    for r in plan.regions:
        mm = f"{r.needle_length_mm:g}"
        assert f"needles {mm} mm long, {r.sessions} sessions" in en.text
        assert f"nålar som är {mm.replace('.', ',')} mm långa, {r.sessions} behandlingar" in sv.text
        for key in ("pih", "tram_track", "prolonged_erythema"):
            count, out_of = natural_frequency(r.predicted.adverse_events[key])
            assert f"about {count} in {out_of} people" in en.text
            assert f"ungefär {count} av {out_of} personer" in sv.text
    acne_sv = translate("sv", labels.INDICATIONS["acne-scars"])  # the report's words for the codes
    # the regions as the patient names them (issue 16: "kinderna"), never the clinician's label
    assert "Cheeks (acne scars)" in en.text and f"Kinderna ({acne_sv})" in sv.text and "Kinderna:" in sv.text
    assert not re.search(r"(?i)\bkind\b", sv.text) and not re.search(r"(?i)\bcheek\b", en.text)
    assert "Around the eyes" in en.text and "Runt ögonen" in sv.text
    # Swedish as Swedish: addressed as "du", no English left in it.
    assert re.search(r"\b[Dd]u\b", sv.text) and "needles" not in sv.text and " the " not in sv.text
    assert "%" not in en.text.split("Your own risks")[1].split("After each session")[0]


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_home_care_text_names_the_roller_and_the_areas_in_words(lang):
    plan = example_plan()
    assert plan.home_care is not None
    text = render_consent(plan, "home-care", lang, "Anna").text
    assert plan.home_care.device not in text  # "home-roller-540-0.25" is a catalogue code
    roller = {"en": "Device: dermaroller with ", "sv": "Instrument: dermaroller med "}[lang]
    where = {"en": "Where: around the eyes.", "sv": "Var: runt ögonen."}[lang]
    often = {"en": "How often: once a week.", "sv": "Hur ofta: en gång i veckan."}[lang]
    pause = {"en": "do not use the dermaroller 7 days before", "sv": "använd inte dermarollern 7 dagar före"}[lang]
    assert roller in text and where in text and often in text and pause in text, text
    assert "nålroller" not in text and "Roller:" not in text  # the glossary's words (version 3)
    old = render_consent(plan, "home-care", lang, "Anna", version=2)  # a signed version 2 reads as it did
    assert old.version == "home-care v2" and "Roller: " in old.text


def test_same_plan_same_text_and_hash_and_the_hash_is_of_the_text():
    plan = example_plan()
    a, b = (render_consent(plan, "prp", "sv", "Anna") for _ in range(2))
    assert a == b and a.sha256 == content_hash(a.text) and len(a.sha256) == 64
    assert render_consent(plan, "prp", "sv", "Anne").sha256 != a.sha256


@pytest.mark.parametrize("procedure", sorted(PROCEDURES))
def test_every_procedure_has_a_template_in_both_languages(procedure):
    plan = example_plan()
    for lang in ("en", "sv"):
        shown = render_consent(plan, procedure, lang, "Anna")
        assert shown.text.startswith(shown.title) and shown.version == f"{procedure} v{PROCEDURES[procedure]}"
        assert not re.search(rf"\b{procedure} v\d|Template|Mall\b", shown.text)  # no template key for the patient


def test_unknown_procedure_version_or_language_is_one_line():
    plan = example_plan()
    for args in (("laser", "en"), ("needling", "de")):
        with pytest.raises(InputError) as e:
            render_consent(plan, *args, patient_name="A")
        assert "valid:" in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(InputError, match="no template version 9"):
        render_consent(plan, "needling", "en", "A", version=9)


#: Clinical abbreviations and terms a patient should not have to know (risk names, scales, substances).
CLINICAL_CODES = re.compile(r"\b(PIH|TEWL|AGA|MASI|mMASI|TCA|VAS|Fitzpatrick)\b|tram-track")


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_patient_reads_risks_in_words_and_the_clinician_keeps_the_term(lang):
    """Issue 16: the consent and the patient's report name each risk without PIH or tram-track; the clinician's
    table keeps them (one catalogue entry each, not one shared entry cut at its bracket)."""
    plan = example_plan()
    for procedure in PROCEDURES:
        shown = render_consent(plan, procedure, lang, "Anna")
        assert not CLINICAL_CODES.search(shown.text), (procedure, CLINICAL_CODES.search(shown.text))
    needling = render_consent(plan, "needling", lang, "Anna").text
    patches, marks = {"en": ("Darker patches", "Track-like marks"), "sv": ("Mörka fläckar", "Spårliknande märken")}[
        lang
    ]
    assert f"- {patches}: " in needling and f"- {marks}: " in needling
    for key in labels.RISKS_CLINICIAN:
        assert "(" not in translate(lang, labels.RISKS_PATIENT[key])
    patient = re.sub(
        r"<svg.*?</svg>|<style>.*?</style>|<[^>]+>", " ", render_plan_html(plan, "patient", lang), flags=re.S
    )
    assert not CLINICAL_CODES.search(patient), CLINICAL_CODES.search(patient)
    clinician = render_plan_html(plan, "clinician", lang)
    assert translate(lang, labels.RISKS_CLINICIAN["pih"]) in clinician and "(PIH)" in clinician


@given(st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
def test_natural_frequency_is_a_bounded_rounding_of_the_risk(p):
    count, out_of = natural_frequency(p)
    assert out_of in (100, 1000) and 0 <= count <= out_of
    if count == 0:
        assert p < 0.0005 and out_of == 1000
    else:
        assert abs(count / out_of - p) <= 0.5 / out_of + 1e-12
        assert out_of == (100 if p >= 0.01 else 1000)


# --- the service, on both databases --------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def consent_app(request, tmp_path):
    """The app with the consent check on (as in production), on each backend."""
    if request.param == "sqlite":
        application = make_app(tmp_path, require_consent=True)
        yield application
        application.state.engine.dispose()
        return
    with seeded_pg_app(tmp_path, require_consent=True) as application:
        yield application


@pytest.fixture
def planned(consent_app):
    c = login(consent_app, "clinician")
    pid = c.post("/api/patients", json={"name": "Anna Andersson", "intake": INTAKE}).json()["id"]
    assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code == 201
    return c, pid


def count(app, model) -> int:
    with app.state.Session() as db:
        return db.scalar(select(func.count()).select_from(model))


def sign(c, pid, procedure="needling-peel", lang="en", **kw):
    form = c.get(f"/api/patients/{pid}/consents/form", params={"procedure": procedure, "lang": lang})
    assert form.status_code == 200, form.text
    body = {
        "procedure": procedure,
        "lang": lang,
        "content_sha256": form.json()["content_sha256"],
        "signer_name": "Anna Andersson",
        "signature_png": signature_data_url(),
        **kw,
    }
    return form.json(), c.post(f"/api/patients/{pid}/consents", json=body)


def session_body(**kw):
    region = {"site": "cheek", "lot_number": "DR15-2026-A", "needle_length_mm": 0.5, "passes": 8}
    return {"date": TODAY.isoformat(), "regions": [region], **kw}


def test_signing_stores_the_exact_text_hash_version_and_signature(consent_app, planned):
    c, pid = planned
    form, r = sign(c, pid, lang="sv")
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["state"] == "valid" and out["version"] == "needling-peel v2" and out["lang"] == "sv"
    assert out["content_sha256"] == form["content_sha256"] == content_hash(out["text"]) and out["text"] == form["text"]
    with consent_app.state.Session() as db:
        stored = db.get(Consent, out["id"])
        png = Image.open(io.BytesIO(stored.signature_png))
        assert png.format == "PNG" and png.size == (300, 100) and not png.info.get("exif")
        entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "consent")).one()
        assert form["content_sha256"] in entry.detail and entry.patient_id == pid


def test_a_text_changed_since_shown_a_blank_pad_or_no_signature_is_refused(consent_app, planned):
    c, pid = planned
    for kw, field in (
        ({"content_sha256": "0" * 64}, "content_sha256"),
        ({"signature_png": signature_data_url(blank=True)}, "signature"),
        ({"signature_png": None}, "signature"),
        ({"signature_png": "data:image/png;base64,not-base64!"}, "signature"),
    ):
        _, r = sign(c, pid, **kw)
        assert r.status_code == 422, r.text
        assert r.json()["detail"][0]["loc"][-1] == field and "valid:" in r.json()["detail"][0]["msg"]
    assert count(consent_app, Consent) == 0


def test_typed_name_signs_for_keyboard_users(consent_app, planned):
    c, pid = planned
    _, r = sign(c, pid, signature_png=None, typed_signature="Anna Andersson")
    assert r.status_code == 201 and r.json()["signature_kind"] == "typed"


def test_a_new_signature_supersedes_and_withdrawal_is_its_own_event(consent_app, planned):
    c, pid = planned
    first = sign(c, pid)[1].json()
    second = sign(c, pid)[1].json()
    assert second["supersedes_id"] == first["id"]
    states = {x["id"]: x["state"] for x in c.get(f"/api/patients/{pid}/consents").json()}
    assert states == {first["id"]: "superseded", second["id"]: "valid"}
    r = c.post(f"/api/consents/{second['id']}/withdraw", json={"reason": "changed my mind"})
    assert r.status_code == 200 and r.json()["state"] == "withdrawn" and r.json()["withdrawn_at"]
    # RFC 3339 date-time, as the OpenAPI document declares: the stored local time with its UTC offset
    assert all(re.search(r"[+-]\d\d:\d\d$|Z$", r.json()[k]) for k in ("signed_at", "withdrawn_at"))
    again = c.post(f"/api/consents/{second['id']}/withdraw", json={})
    assert again.status_code == 422 and "already withdrawn" in again.json()["detail"][0]["msg"]
    assert count(consent_app, ConsentWithdrawal) == 1 and count(consent_app, Consent) == 2


@pytest.mark.parametrize("table", IMMUTABLE_TABLES)
def test_the_database_refuses_update_and_delete(consent_app, planned, table):
    c, pid = planned
    consent = sign(c, pid)[1].json()
    c.post(f"/api/consents/{consent['id']}/withdraw", json={})
    assert c.post(f"/api/patients/{pid}/sessions", json=session_body(consent_override=REASON)).status_code == 201
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with consent_app.state.Session() as db:
            assert db.scalar(text(f"SELECT count(*) FROM {table}")) == 1
            with pytest.raises(DBAPIError, match=r"append-only|SQLSTATE P0001"):  # PostgreSQL: data-free message
                db.execute(text(statement))
                db.flush()
            db.rollback()


def test_another_patients_consent_is_not_found(consent_app, planned):
    c, pid = planned
    consent = sign(c, pid)[1].json()
    patient = login(consent_app, "patient")  # the seeded patient, not Anna
    assert patient.get(f"/api/consents/{consent['id']}/pdf").status_code == 404
    assert patient.post(f"/api/consents/{consent['id']}/withdraw", json={}).status_code == 404


def test_session_refused_without_consent_then_allowed_by_consent_or_audited_override(consent_app, planned):
    c, pid = planned
    url = f"/api/patients/{pid}/sessions"
    r = c.post(url, json=session_body())
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    # The plan alternates a peel with needling on the cheek: the consent must cover both.
    assert detail["loc"][-1] == "consent_override" and "no valid signed consent for needling-peel" in detail["msg"]
    assert count(consent_app, TreatmentSession) == 0
    short = c.post(url, json=session_body(consent_override="ok"))
    assert short.status_code == 422 and "at least" in short.json()["detail"][0]["msg"]
    admin = login(consent_app, "admin")
    assert admin.post(url, json=session_body(consent_override=REASON)).status_code == 422
    ok = c.post(url, json=session_body(consent_override=REASON))
    assert ok.status_code == 201, ok.text
    with consent_app.state.Session() as db:
        override = db.scalars(select(ConsentOverride)).one()
        assert override.session_id == ok.json()["id"] and override.reason == REASON
        assert override.procedure == "needling-peel" and "no valid signed consent" in override.refusal
        audited = db.scalars(select(AuditEntry).where(AuditEntry.action == "override")).one()
        assert REASON in audited.detail and audited.patient_id == pid


def test_a_signed_consent_lets_the_session_through_and_a_withdrawal_stops_the_next(consent_app, planned):
    c, pid = planned
    url = f"/api/patients/{pid}/sessions"
    consent = sign(c, pid)[1].json()
    assert c.post(url, json=session_body()).status_code == 201
    assert count(consent_app, ConsentOverride) == 0
    c.post(f"/api/consents/{consent['id']}/withdraw", json={})
    later = session_body(date=(TODAY - timedelta(days=60)).isoformat())  # a date the interval allows
    r = c.post(url, json=later)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "consent_override"


def test_a_consent_signed_after_the_session_date_does_not_cover_it(consent_app, planned):
    c, pid = planned
    sign(c, pid)
    r = c.post(f"/api/patients/{pid}/sessions", json=session_body(date=(TODAY - timedelta(days=1)).isoformat()))
    assert r.status_code == 422 and "consent" in r.json()["detail"][0]["msg"]


def test_prp_in_the_topicals_needs_the_prp_consent(consent_app, planned):
    c, pid = planned
    sign(c, pid, procedure="needling-peel")
    body = session_body()
    body["regions"][0]["topicals"] = "PRP"
    r = c.post(f"/api/patients/{pid}/sessions", json=body)
    assert r.status_code == 422 and "for prp" in r.json()["detail"][0]["msg"]
    sign(c, pid, procedure="prp")
    assert c.post(f"/api/patients/{pid}/sessions", json=body).status_code == 201


def test_a_new_plan_asks_for_a_new_consent(consent_app, planned):
    c, pid = planned
    consent = sign(c, pid)[1].json()
    assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY.isoformat()}).status_code == 201
    states = {x["id"]: x["state"] for x in c.get(f"/api/patients/{pid}/consents").json()}
    assert states[consent["id"]] == "plan-changed"
    assert c.post(f"/api/patients/{pid}/sessions", json=session_body()).status_code == 422


# --- PDFs -------------------------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_consent_pdf_has_name_version_hash_and_few_pages(consent_app, planned):
    c, pid = planned
    consent = sign(c, pid, lang="sv")[1].json()
    r = c.get(f"/api/consents/{consent['id']}/pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    body, pages = pdf_text(r.content)
    assert 1 <= pages <= 3
    assert "Anna Andersson" in body
    assert "Samtycke till microneedling med kemisk peeling, version 2" in " ".join(body.split())
    assert consent["content_sha256"] in re.sub(r"\s+", "", body)
    assert "Dina egna risker" in body and "Gäller" in body


def test_a_version_1_consent_prints_without_its_template_key_and_dates_in_words():
    """A text signed on version 1 kept "Mall: needling v1" under its title; the PDF names it in words instead,
    and a withdrawal's time is written as a Swedish reader writes it, not "2026-11-24 14:30"."""
    from datetime import datetime
    from types import SimpleNamespace

    from needling.clinic.pdf import consent_pdf

    text = "Samtycke till microneedling\nMall: needling v1\nPatient: Anna Andersson\n\nVad behandlingen är\n"
    stored = SimpleNamespace(
        text=text,
        lang="sv",
        version="needling v1",
        signer_name="Anna Andersson",
        signed_at=datetime(2026, 3, 3, 10, 15),
        signature_png=None,
        typed_signature="Anna Andersson",
        content_sha256=content_hash(text),
    )
    body, _ = pdf_text(consent_pdf(stored, "withdrawn", datetime(2026, 11, 24, 14, 30)))
    body = " ".join(body.split())
    assert "Mall" not in body and "needling v1" not in body
    assert "Samtycke till microneedling, version 1" in body and "Vad behandlingen är" in body
    assert "Återkallat 24 nov. 2026 14:30" in body and "2026-11-24" not in body


def test_plan_pdf_in_the_patients_words(consent_app, planned):
    c, pid = planned
    r = c.get(f"/api/patients/{pid}/plan.pdf", params={"lang": "sv"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    body, pages = pdf_text(r.content)
    assert 1 <= pages <= 12 and "kinderna" in body.lower()  # the patient's word for the region
    assert not re.search(r"(?i)\bkind\b", body)  # not the clinician's label
    assert body.count("Anna Andersson") >= pages  # the patient's name heads every page, with the clinic's
    assert body.count("needling") >= pages
    assert c.get(f"/api/patients/{pid}/plan.pdf", params={"lang": "de"}).status_code == 422
