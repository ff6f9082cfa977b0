"""Every page in the browser passes axe-core with no serious or critical violation on a 360 px phone in English
and Swedish and on a 1280 px desktop, and fits the phone without sideways scrolling (issue 15, item 8).

The pages come from the app's own routes: every GET route outside ``/api`` is either visited here
(``VISITS``, with the account that opens it) or excluded with a reason (``EXCLUDED``), so a page added later
cannot be forgotten. The error pages (403, 404, a refused form with 422) are visited too. axe-core comes from
the npm registry (``make axe-deps``) and is evaluated in the page as served, Content-Security-Policy and all.
Each page is loaded once, at the phone's width, then widened to the desktop's in the same logged-in context
and checked again (the page's media queries apply without a second load).

The desktop check runs on the English pages (``DESKTOP_LANGUAGES``): what the wider layout changes (media
queries showing or hiding parts, tables laid out in full) comes from the same stylesheet and markup in both
languages, and what the language changes (the words, names and labels, ``lang``) is checked in both languages
at 360 px, the width where longer Swedish words are most likely to break the page. Checking Swedish at 1280 px
too was a quarter of this test's axe runs.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import httpx
import pytest

from needling.clinic.app import ROUTERS
from tests.clinic.conftest import png_bytes
from tests.clinic.server import Server

AXE_JS = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
LANGUAGES = ("en", "sv")
DESKTOP_LANGUAGES = ("en",)
FAILING_IMPACTS = ("serious", "critical")

#: Each page route: (account, address) pairs that open it; ``{name}`` is filled from the records made first.
VISITS: dict[str, list[tuple[str | None, str]]] = {
    "/": [("clinician", "/")],
    "/login": [(None, "/login")],
    "/dashboard": [("clinician", "/dashboard"), ("admin", "/dashboard?show=all")],
    "/patients": [("clinician", "/patients")],
    "/patients/{patient_id}": [("clinician", "/patients/{patient}")],
    "/patients/{patient_id}/photos": [("clinician", "/patients/{patient}/photos")],
    "/patients/{patient_id}/compare": [("clinician", "/patients/{patient}/compare")],
    "/patients/{patient_id}/identity": [("clinician", "/patients/{patient}/identity")],
    "/patients/{patient_id}/appointments": [("clinician", "/patients/{patient}/appointments")],
    "/patients/{patient_id}/consent": [("clinician", "/patients/{patient}/consent")],
    "/patients/new": [("clinician", "/patients/new")],
    "/patients/{patient_id}/intake": [("clinician", "/patients/{patient}/intake")],
    "/patients/{patient_id}/intake/history": [("clinician", "/patients/{patient}/intake/history")],
    "/patients/{patient_id}/records": [("clinician", "/patients/{patient}/records")],
    "/patients/{patient_id}/sessions/{session_id}/notes": [
        ("clinician", "/patients/{patient}/sessions/{session}/notes")
    ],
    "/patients/{patient_id}/amend": [("clinician", "/patients/{patient}/amend?entity=session&id={session}")],
    "/appointments/{appointment_id}": [("clinician", "/appointments/{appointment}")],
    "/calendar": [("clinician", "/calendar?day={tomorrow}"), ("clinician", "/calendar?view=week&day={tomorrow}")],
    "/lots": [("clinician", "/lots")],
    "/lots/{lot_id}": [("clinician", "/lots/{lot}")],
    "/device-models": [("clinician", "/device-models")],
    "/account": [("clinician", "/account"), ("patient", "/account")],
    "/users": [("admin", "/users")],
    "/audit": [("admin", "/audit")],
    "/portal": [("patient", "/portal")],
    "/portal/consent": [("patient", "/portal/consent")],
    "/my-plan": [("patient", "/my-plan")],
}
#: Page routes not checked here, and why.
EXCLUDED = {
    "/audit.csv": "a CSV download, not a page",
    "/calendar/{token}.ics": "an iCalendar feed read by calendar programs, not a page",
    "/medications/search": "JSON names for the intake form's suggestions as the clinician types, not a page",
    "/docs": "the API's Swagger UI for developers, a third-party page served as its package ships it",
}
#: The error pages a person meets: (account, address, status).
ERRORS: list[tuple[str | None, str, int]] = [
    ("clinician", "/patients/999999", 404),
    ("clinician", "/no-such-page", 404),
    ("patient", "/dashboard", 403),
    ("clinician", "/dashboard?q=1985-13-45", 422),
]


def page_routes() -> set[str]:
    """Every GET route of the app outside the API: the pages."""
    return {
        route.path
        for router in ROUTERS
        for route in router.routes
        if "GET" in getattr(route, "methods", ()) and not route.path.startswith("/api")
    }


def test_every_page_route_is_visited_or_excluded():
    routes = page_routes()
    forgotten = routes - VISITS.keys() - EXCLUDED.keys()
    assert not forgotten, f"pages neither visited nor excluded in {__name__}: {sorted(forgotten)}"
    stale = (VISITS.keys() | EXCLUDED.keys()) - routes
    assert not stale, f"no such page route any more: {sorted(stale)}"
    assert not VISITS.keys() & EXCLUDED.keys()


def _records(server: Server) -> dict[str, object]:
    """A patient with a plan, a session, photos, an appointment, an adverse event, a recalled lot, a lot near
    expiry and a home-care warning, so the pages show their lists rather than their empty states."""
    today = date.today()
    tomorrow = today + timedelta(days=1)
    clinician = _api(server, "clinician")
    patient = _api(server, "patient")
    pid = patient.get("/api/me").json()["patient_id"]
    me = clinician.get("/api/me").json()

    def ok(r: httpx.Response) -> dict:
        assert r.status_code in (200, 201), f"{r.request.method} {r.request.url}: {r.status_code} {r.text[:300]}"
        return r.json()

    ok(clinician.post(f"/api/patients/{pid}/plan", json={"start": today.isoformat()}))
    region = {"site": "cheek", "lot_number": "DR15-2026-A", "needle_length_mm": 1.5, "passes": 8}
    region["endpoint"] = "pinpoint bleeding"
    session = ok(
        clinician.post(f"/api/patients/{pid}/sessions", json={"date": today.isoformat(), "regions": [region]})
    )["id"]
    for taken, colour in ((today - timedelta(days=30), "red"), (today, "blue")):  # two dates of one view
        ok(
            clinician.post(
                f"/api/patients/{pid}/photos",
                data={"site": "cheek", "view": "front", "label": "before", "taken": taken.isoformat()},
                files={"file": ("p.png", png_bytes(colour), "image/png")},
            )
        )
    ok(
        clinician.post(
            f"/api/patients/{pid}/outcomes", json={"date": today.isoformat(), "site": "cheek", "gb_grade": 2}
        )
    )
    ok(
        clinician.post(
            f"/api/patients/{pid}/adverse-events",
            json={
                "kind": "broken-needle",
                "date": today.isoformat(),
                "lot_number": "DR15-2026-A",
                "description": "tip",
            },
        )
    )
    starts = datetime.combine(tomorrow, time(10, 0)).isoformat(timespec="minutes")
    booked = {"patient_id": pid, "clinician_id": me["id"], "room": "Room 1", "starts_at": starts, "duration_min": 45}
    appointment = ok(clinician.post("/api/appointments", json=booked))["id"]
    soon = {"lot_number": "SOON-1", "device_name": "dermapen-11", "expiry": (today + timedelta(days=10)).isoformat()}
    ok(clinician.post("/api/lots", json=soon))
    lots = {lot["lot_number"]: lot["id"] for lot in ok(clinician.get("/api/lots"))}
    ok(clinician.post(f"/api/lots/{lots['DR15-2026-A']}/recall", json={"reason": "needles bend"}))
    prescription = {
        "device_name": "home-roller-540-0.25",
        "needle_length_mm": 0.25,
        "frequency_days": 7,
        "areas": ["cheek"],
        "topical": "none",
    }
    ok(clinician.post(f"/api/patients/{pid}/home-prescription", json=prescription))
    device = {
        "device_name": "home-roller-540-0.25",
        "needle_length_mm": 0.25,
        "lot_or_serial": "DR05-2026-B",
        "first_use": (today - timedelta(days=1)).isoformat(),
    }
    dev = ok(patient.post("/api/portal/devices", json=device))["id"]
    for day in (today - timedelta(days=1), today):  # the second is too soon: a warning and a clinician's alert
        ok(
            patient.post(
                "/api/portal/logs", json={"date": day.isoformat(), "area": "cheek", "device_id": dev, "passes": 6}
            )
        )
    clinician.close()
    patient.close()
    return {
        "patient": pid,
        "appointment": appointment,
        "session": session,
        "lot": lots["DR15-2026-A"],
        "tomorrow": tomorrow.isoformat(),
    }


def _api(server: Server, role: str) -> httpx.Client:
    email = f"{role}@demo.clinic"
    c = httpx.Client(base_url=server.url, timeout=60)
    r = c.post("/api/login", json={"email": email, "password": server.logins[email]})
    assert r.status_code == 200, r.text
    c.headers["x-csrf-token"] = r.json()["csrf_token"]
    return c


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("a11y"))
    try:
        yield server, _records(server)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is not installed: run `make axe-deps` (expected {AXE_JS.name} from npm)")
    return AXE_JS.read_text(encoding="utf-8")


def _problems(page, axe_source: str, where: str, desktop: bool = True) -> list[str]:
    """The serious and critical axe violations and the sideways overflow of the page now shown at the phone's
    width, then, if ``desktop``, its serious and critical axe violations at the desktop's width (the viewport is
    left at the phone's width again for the next page)."""
    found = _overflow(page, where)
    page.evaluate(axe_source)  # as a script of the test, not of the page: the page's CSP stays as served
    found += _violations(page, f"{where} at {PHONE['width']} px")
    if desktop:
        page.set_viewport_size(DESKTOP)
        found += _violations(page, f"{where} at {DESKTOP['width']} px")
        page.set_viewport_size(PHONE)
    return found


def _overflow(page, where: str) -> list[str]:
    """The sideways overflow of the page now shown at the phone's width, if any."""
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > limit + 1)
                 .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                   + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''))""",
            PHONE["width"],
        )
        found.append(f"{where}: {width} px wide at {PHONE['width']} px (widest: {', '.join(wide)})")
    return found


def _violations(page, where: str) -> list[str]:
    """The serious and critical axe violations of the page now shown (axe already evaluated in it)."""
    found = []
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    for v in result["violations"]:
        if v["impact"] in FAILING_IMPACTS:
            targets = "; ".join(json.dumps(n["target"]) for n in v["nodes"][:3])
            found.append(f"{where}: {v['impact']} {v['id']} ({v['help']}) at {targets}")
    return found


def test_every_page_passes_axe_on_phone_and_desktop_and_fits_a_phone(browser, clinic, axe_source):
    server, ids = clinic
    problems: list[str] = []
    visited = 0
    for lang in LANGUAGES:
        pages = {}
        roles = {role for visits in VISITS.values() for role, _ in visits} | {role for role, _, _ in ERRORS}
        for role in sorted(roles, key=str):
            ctx = browser.new_context(viewport=PHONE, locale=lang, extra_http_headers={"Accept-Language": lang})
            page = ctx.new_page()
            if role is not None:
                email = f"{role}@demo.clinic"
                page.goto(f"{server.url}/login")
                page.fill("#email", email)
                page.fill("#password", server.logins[email])
                page.click("button[type=submit]")
                page.wait_for_load_state()
            pages[role] = page
        visits = [(role, url, 200) for entries in VISITS.values() for role, url in entries] + ERRORS
        for role, url, status in visits:
            address = url.format(**ids)
            page = pages[role]
            response = page.goto(f"{server.url}{address}")
            where = f"{lang} {role or 'anonymous'} {address}"
            assert response is not None and response.status == status, f"{where}: {response and response.status}"
            assert page.locator("html").get_attribute("lang") == lang, f"{where}: not in {lang}"
            problems += _problems(page, axe_source, where, desktop=lang in DESKTOP_LANGUAGES)
            visited += 1
        for page in pages.values():
            page.context.close()
    assert visited == 2 * (sum(len(v) for v in VISITS.values()) + len(ERRORS))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_check_finds_a_violation_and_a_wide_page(browser, axe_source):
    """The check itself: an image without text and a block wider than the phone are both reported, and a
    violation only a desktop shows (an unnamed button hidden on phones by a media query) is found too."""
    page = browser.new_page(viewport=PHONE)
    page.set_content(
        '<html lang="en"><head><style>@media (max-width: 600px) { .wide-only { display: none } }</style></head>'
        '<body><main><img src="x.png"><div style="width:700px">wide</div>'
        '<button class="wide-only"></button></main></body>'
    )
    problems = _problems(page, axe_source, "test page")
    page.close()
    assert any("708 px wide" in p for p in problems), problems  # 700 px and the 8 px body margin
    assert any("360 px: critical image-alt" in p for p in problems), problems
    assert any("1280 px: critical image-alt" in p for p in problems), problems
    assert any("1280 px: critical button-name" in p for p in problems), problems
    assert not any("360 px: critical button-name" in p for p in problems), problems
