"""The language a user chooses is kept in the profile and overrides the browser's; pages without a user follow
the browser; every page says which language it is in."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from needling.clinic.models import User
from tests.clinic.conftest import login, make_app

SV = {"accept-language": "sv-SE,sv;q=0.9,en;q=0.5"}


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    yield application
    application.state.engine.dispose()


def lang_of(html: str) -> str:
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def choose(client, lang: str):
    page = client.http.get("/account")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    return client.http.post("/account/language", data={"lang": lang, "csrf_token": token}, follow_redirects=False)


def stored_language(app, email: str) -> str:
    with app.state.Session() as db:
        return db.scalar(select(User.language).where(User.email == email))


def test_without_a_choice_the_browser_decides(app):
    c = login(app, "clinician")
    assert stored_language(app, "clinician@demo.clinic") == ""
    assert lang_of(c.http.get("/dashboard", headers=SV).text) == "sv"
    assert lang_of(c.http.get("/dashboard", headers={"accept-language": "en-GB"}).text) == "en"


def test_a_chosen_language_overrides_the_browser_and_is_kept_in_the_profile(app):
    c = login(app, "clinician")
    done = choose(c, "en")
    assert done.status_code == 303
    assert stored_language(app, "clinician@demo.clinic") == "en"
    page = c.http.get("/dashboard", headers=SV).text
    assert lang_of(page) == "en" and "Dashboard" in page
    again = login(app, "clinician")  # a new log-in reads the profile
    assert lang_of(again.http.get("/patients", headers=SV).text) == "en"
    choose(again, "sv")
    assert lang_of(again.http.get("/patients", headers={"accept-language": "en"}).text) == "sv"
    choose(again, "")  # back to the browser
    assert lang_of(again.http.get("/patients", headers={"accept-language": "en"}).text) == "en"


def test_a_language_that_is_not_offered_is_refused_and_nothing_changes(app):
    c = login(app, "patient")
    choose(c, "sv")
    bad = choose(c, "de")
    assert bad.status_code == 303 and stored_language(app, "patient@demo.clinic") == "sv"
    assert "Inte sparat: välj ett språk i listan." in c.http.get(bad.headers["location"]).text


def test_pages_without_a_user_follow_the_browser(app):
    http = TestClient(app)
    assert lang_of(http.get("/login", headers=SV).text) == "sv"
    assert lang_of(http.get("/login", headers={"accept-language": "en-US"}).text) == "en"
    assert lang_of(http.get("/login", headers={"accept-language": "de-DE"}).text) == "en"
