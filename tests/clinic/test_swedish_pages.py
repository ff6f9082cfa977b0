"""Every clinic page rendered in Swedish: no English left in what a person sees, and each page declares its lang.

The check reads the visible text (text nodes, titles, placeholders and labels for screen readers) of every page
a clinician, an admin and a patient can open, with a plan, a home prescription, devices and a home log with a
warning in place. It fails on a catalogue text left in English and on common English words; proper names,
units, codes people type (lot numbers, device names) and what users typed are allowed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from needling.clinic.models import AdverseEvent, Outcome
from needling.clinic.record_models import SessionNote
from needling.i18n import po_path
from tests.clinic.conftest import login, make_app, png_bytes
from tests.clinic.test_portal import setup

SV = {"accept-language": "sv-SE,sv;q=0.9"}
#: English words that do not occur in Swedish text (so they betray an untranslated text).
ENGLISH = set(
    [
        "the",
        "and",
        "of",
        "to",
        "with",
        "your",
        "you",
        "are",
        "not",
        "for",
        "this",
        "from",
        "has",
        "have",
        "was",
        "were",
        "will",
        "would",
        "should",
        "could",
        "at",
        "on",
        "or",
        "any",
        "all",
        "each",
        "every",
        "after",
        "before",
        "week",
        "weeks",
        "day",
        "days",
        "session",
        "sessions",
        "grade",
        "depth",
        "device",
        "needle",
        "save",
        "add",
        "record",
        "lot",
        "lots",
        "please",
        "none",
        "yes",
        "passes",
        "treatment",
        "treated",
        "where",
        "when",
        "which",
        "what",
        "who",
        "how",
        "there",
        "their",
        "them",
        "they",
        "it",
        "its",
        "into",
        "out",
        "about",
        "than",
        "then",
        "that",
        "these",
        "those",
        "only",
        "also",
        "been",
        "being",
        "valid",  # the service's one-line reasons ("...; valid: ...") are English: a page shows their msgid
    ]
)
#: Words allowed although they are in ENGLISH: none today; add a proper name or unit here with the reason.
ALLOWED: set[str] = set()
#: Pages known to still show English in Swedish, with what is left; the test fails when one becomes clean,
#: so the entry is removed as soon as the page is fixed.
KNOWN_ENGLISH = {
    ("admin", "/audit"): "audit entries are records: actions, targets and details as they were written",
    ("patient", "/lots"): "the 403 page's one-line reason from the service (InputError texts are English)",
}


class Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("script", "style", "svg"):
            self.skip += 1
        for name in ("title", "placeholder", "aria-label", "alt"):
            if a.get(name):
                self.parts.append(a[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible(html: str) -> tuple[str, str | None]:
    p = Visible()
    p.feed(html)
    return " ".join(" ".join(p.parts).split()), p.lang


def english_texts() -> list[str]:
    """Catalogue texts of three words or more whose Swedish differs: seen verbatim on a Swedish page, they leaked."""
    from babel.messages.pofile import read_po

    with po_path("sv").open("rb") as f:
        catalog = read_po(f)
    out = []
    for m in catalog:
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        for i in ids:
            plain = re.split(r"%\(\w+\)[sd]|\{\w+\}", i)
            out += [p.strip(" .,:;()") for p in plain if len(p.split()) >= 3 and m.string and m.string != i]
    return out


def english_in(text: str) -> list[str]:
    if re.search(r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}", text):  # an ISO time stamp: a date_time filter missed
        return ["ISO time stamp"]
    codes = re.sub(r"\b\w+(?:-\w+)+\b", " ", text)  # codes people type (history-of-herpes-labialis) are not words
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", codes)}
    found = sorted((words & ENGLISH) - ALLOWED)
    found += [t for t in english_texts() if t and t in text]
    return found


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    yield application
    application.state.engine.dispose()


def record_forms(app, clin, pid) -> tuple[int, int]:
    """A session with a note, an outcome with a photo, an adverse event and an amendment of each, on the records."""
    today = date.today().isoformat()
    region = {"site": "cheek", "lot_number": "DR15-2026-A", "needle_length_mm": 1.5, "passes": 8, "endpoint": "none"}
    session = clin.post(f"/api/patients/{pid}/sessions", json={"date": today, "regions": [region]}).json()["id"]
    photo = clin.post(
        f"/api/patients/{pid}/photos",
        data={"site": "cheek", "view": "front", "label": "after", "taken": today},
        files={"file": ("p.png", png_bytes(), "image/png")},
    ).json()["id"]
    post = {"csrf_token": clin.csrf}
    r = clin.http.post(f"/patients/{pid}/sessions/{session}/notes", data={**post, "note-session": "Lugnt."})
    assert r.status_code == 200 and r.url.path.endswith("/records"), r.text[:300]
    clin.http.post(
        f"/patients/{pid}/outcomes",
        data={**post, "o-date": today, "o-site": "cheek", "o-grade": "2", "o-hair": "40", "o-photos": [str(photo)]},
    )
    clin.http.post(f"/patients/{pid}/adverse-events", data={**post, "e-kind": "pih", "e-date": today})
    with app.state.Session() as db:
        note = db.scalars(select(SessionNote)).one().id
        outcome = db.scalars(select(Outcome)).one().id
        event = db.scalars(select(AdverseEvent)).one().id
    for entity, eid in (("session", session), ("session_note", note), ("outcome", outcome), ("adverse_event", event)):
        clin.http.post(
            f"/patients/{pid}/amend",
            data={**post, "entity": entity, "entity_id": str(eid), "text": "Rätt.", "reason": "Fel."},
        )
    return session, note


def pages(app) -> dict[str, list[str]]:
    clin, pat, pid, dev = setup(app)
    today = date.today()
    assert clin.post(f"/api/patients/{pid}/plan", json={"start": today.isoformat()}).status_code in (200, 201)
    session, note = record_forms(app, clin, pid)  # before the home logs, so no plan check is overridden
    for on in (today - timedelta(days=1), today):  # the second log is too soon: a warning and an alert
        pat.post("/api/portal/logs", json={"date": on.isoformat(), "area": "cheek", "device_id": dev, "passes": 6})
    lot = clin.get("/api/lots").json()[0]["id"]
    clin.post(f"/api/patients/{pid}/photo-consent", json={"scope": "record"})
    for on, colour in ((today - timedelta(days=30), "red"), (today, "green")):  # two dates of one view to compare
        clin.post(
            f"/api/patients/{pid}/photos",
            data={"site": "cheek", "view": "left-45", "label": "before", "taken": on.isoformat()},
            files={"file": ("p.png", png_bytes(colour), "image/png")},
        )
    intake = clin.get(f"/api/patients/{pid}").json()["intake"]  # a second intake version, with every kind of change
    changed = {
        **intake,
        "patient": {**intake["patient"], "breastfeeding": True},
        "medications": [*intake.get("medications", []), {"name": "Roaccutane", "last_dose": "2025-01-10"}],
        "procedures": [{"kind": "filler", "date": "2025-06-01", "region": "cheek"}],
        "conditions": ["eczema"],
        "setting": "home" if intake.get("setting") != "home" else "clinic",
    }
    assert clin.put(f"/api/patients/{pid}/intake", json=changed).status_code == 200
    return {
        "clinician": [
            "/dashboard",
            "/patients",
            f"/patients/{pid}",
            f"/patients/{pid}/identity",
            "/lots",
            f"/lots/{lot}",
            "/device-models",
            "/account",
            "/no-such-page",
            "/calendar",
            f"/patients/{pid}/appointments",
            f"/patients/{pid}/consent",
            f"/patients/{pid}/photos",
            f"/patients/{pid}/compare",
            "/patients/new",
            f"/patients/{pid}/intake",
            f"/patients/{pid}/intake/history",
            f"/patients/{pid}/records",
            f"/patients/{pid}/sessions/{session}/notes",
            f"/patients/{pid}/amend?entity=session&id={session}",
            f"/patients/{pid}/amend?entity=session_note&id={note}",
        ],
        "admin": ["/users", "/audit", "/dashboard"],
        "patient": ["/portal", "/my-plan", f"/patients/{pid}", "/account", "/lots", "/portal/consent"],
        None: ["/login"],
    }


def test_every_page_in_swedish_shows_no_english_and_declares_its_language(app):
    problems = []
    for role, urls in pages(app).items():
        http = login(app, role).http if role else TestClient(app)
        for url in urls:
            r = http.get(url, headers=SV)
            text, lang = visible(r.text)
            if lang != "sv":
                problems.append(f"{role} {url}: lang={lang!r}")
            bad = english_in(text)
            known = (role, url) in KNOWN_ENGLISH
            if bad and not known:
                problems.append(f"{role} {url}: {bad[:8]}")
            if known and not bad:
                problems.append(f"{role} {url}: no English left; remove it from KNOWN_ENGLISH")
    assert not problems, "\n".join(problems)


def test_the_same_pages_in_english_declare_en(app):
    for role, urls in pages(app).items():
        if role is None:
            continue
        http = login(app, role).http
        for url in urls[:2]:
            assert visible(http.get(url, headers={"accept-language": "en"}).text)[1] == "en", url


def test_the_check_finds_english_when_there_is_some():
    assert english_in("Spara. Next session after 2 weeks") == ["after", "session", "weeks"]
    assert english_in("Nästa behandling om 2 veckor. Spara.") == []
    assert english_in("Spara. Replace the device now; do not use it again.") != []


def test_refusals_on_swedish_pages_show_no_english(app):
    """Each form's refusal, rendered on a Swedish page, is in Swedish: the reason's msgid, not the English line."""
    clin, pat, pid, dev = setup(app)
    future = (date.today() + timedelta(days=3)).isoformat()
    today = date.today().isoformat()
    posts = [
        (pat, "/portal/logs", {"date": future, "area": "cheek", "device_id": str(dev), "passes": "4"}),
        (pat, "/portal/logs", {"date": today, "area": "cheek", "device_id": "999", "passes": "x"}),
        (pat, "/portal/devices", {"device_name": "home-roller-540-0.25", "needle_length_mm": "9", "first_use": today}),
        (clin, "/lots", {"device_name": "dermapen-11", "lot_number": "OLD-1", "expiry": "2020-01-01"}),
        (clin, "/appointments", {"patient_id": str(pid), "day": "2020-01-01", "time": "09:00", "room": "Room 1"}),
        (clin, f"/patients/{pid}/sessions", {"date": future, "r0-include": "1", "r0-site": "cheek"}),
        (clin, f"/patients/{pid}/sessions", {"date": today, "r0-include": "1", "r0-site": "cheek", "r0-len": "x"}),
        (clin, "/patients/new", {"name": "Kim", "age": "forty", "sex": "female", "fitzpatrick": "3"}),
    ]
    problems = []
    for who, url, data in posts:
        r = who.http.post(url, data={"csrf_token": who.csrf, **data}, headers=SV)
        text, _ = visible(r.text)
        if r.status_code != 422 and "Inte sparat" not in text:
            problems.append(f"{url}: not refused ({r.status_code})")
        if bad := english_in(text):
            problems.append(f"{url}: {bad[:8]}")
    assert not problems, "\n".join(problems)
