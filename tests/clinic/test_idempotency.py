"""Retries are safe: the same Idempotency-Key gets the first answer and writes nothing twice (both databases)."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from needling.clinic.models import AdverseEvent, IdempotencyRecord, Outcome, SessionRegion, TreatmentSession
from needling.clinic.seed import create_user
from tests.clinic.conftest import Client, login

TODAY = date.today().isoformat()
SESSION = {
    "date": TODAY,
    "regions": [
        {
            "site": "cheek",
            "lot_number": "DR15-2026-A",
            "needle_length_mm": 1.5,
            "passes": 15,
            # the plan checks are not under test here: repeated sessions on one day are justified
            "override_justification": "test of retries: several sessions recorded on one day",
        }
    ],
    "pain_vas": 4.0,
}


def count(app, model) -> int:
    with app.state.Session() as db:
        return db.scalar(select(func.count()).select_from(model))


def post(client, url, body, key=None):
    headers = {"x-csrf-token": client.csrf}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.http.post(url, json=body, headers=headers)


@pytest.mark.parametrize(
    ("url", "body", "model"),
    [
        ("/api/patients/1/sessions", SESSION, TreatmentSession),
        ("/api/patients/1/outcomes", {"date": TODAY, "site": "cheek", "gb_grade": 2}, Outcome),
        ("/api/patients/1/adverse-events", {"date": TODAY, "kind": "pih", "lot_number": "DR15-2026-A"}, AdverseEvent),
    ],
    ids=["session", "outcome", "adverse-event"],
)
def test_a_retry_returns_the_first_answer_and_writes_once(app, url, body, model):
    c = login(app, "clinician")
    before = count(app, model)
    first = post(c, url, body, "retry-7f3a")
    assert first.status_code == 201, first.text
    again = post(c, url, body, "retry-7f3a")
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.headers.get("idempotent-replayed") == "true"
    assert count(app, model) == before + 1
    other = post(c, url, body, "retry-other")  # a new key is a new request
    assert other.status_code == 201 and other.json() != first.json()
    assert count(app, model) == before + 2
    plain = [post(c, url, body) for _ in range(2)]  # without a key every request writes, as before
    assert [p.status_code for p in plain] == [201, 201] and count(app, model) == before + 4


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(app):
    c = login(app, "clinician")
    assert post(c, "/api/patients/1/sessions", SESSION, "k-1").status_code == 201
    before = count(app, TreatmentSession), count(app, SessionRegion)
    changed = post(c, "/api/patients/1/sessions", {**SESSION, "pain_vas": 6.0}, "k-1")
    assert changed.status_code == 422
    assert changed.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    elsewhere = post(c, "/api/patients/1/outcomes", {"date": TODAY, "site": "cheek"}, "k-1")
    assert elsewhere.status_code == 422
    assert (count(app, TreatmentSession), count(app, SessionRegion)) == before


def second_clinician(app) -> Client:
    with app.state.Session() as db:
        create_user(db, "clin2@demo.clinic", "Dr Second", "clinician", "a long enough password 2")
        db.commit()
    return Client(app, "clin2@demo.clinic", "a long enough password 2")


def test_keys_are_per_user_and_failures_are_not_remembered(app):
    c, other = login(app, "clinician"), second_clinician(app)
    assert post(c, "/api/patients/1/sessions", SESSION, "shared").status_code == 201
    assert post(other, "/api/patients/1/sessions", SESSION, "shared").status_code == 201
    assert count(app, TreatmentSession) == 2
    expired = {**SESSION, "regions": [{**SESSION["regions"][0], "lot_number": "DR10-OLD"}]}
    assert post(c, "/api/patients/1/sessions", expired, "fix-me").status_code == 422
    assert post(c, "/api/patients/1/sessions", SESSION, "fix-me").status_code == 201  # nothing was kept
    assert count(app, TreatmentSession) == 3


@pytest.mark.parametrize("key", ["", "x" * 201, "nøkkel", "two words"])
def test_a_malformed_key_is_refused_naming_the_header(app, key):
    c = login(app, "clinician")
    r = c.http.post(
        "/api/patients/1/outcomes",
        json={"date": TODAY, "site": "cheek"},
        headers={"x-csrf-token": c.csrf, "Idempotency-Key": key.encode("utf-8")},
    )
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert count(app, Outcome) == 0


def test_keys_are_pruned_after_a_day(app):
    c = login(app, "clinician")
    assert post(c, "/api/patients/1/sessions", SESSION, "old-key").status_code == 201
    with app.state.Session() as db:
        db.execute(update(IdempotencyRecord).values(created=datetime.now() - timedelta(hours=25)))
        db.commit()
    again = post(c, "/api/patients/1/sessions", SESSION, "old-key")  # forgotten: a new request
    assert again.status_code == 201 and again.headers.get("idempotent-replayed") is None
    assert count(app, TreatmentSession) == 2
    with app.state.Session() as db:
        rows = db.scalars(select(IdempotencyRecord)).all()
    assert len(rows) == 1 and rows[0].created > datetime.now() - timedelta(hours=1)


def test_racing_copies_of_one_request_write_once(app):
    clients = [login(app, "clinician") for _ in range(4)]
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def send(i: int) -> None:
        barrier.wait()
        answers[i] = post(clients[i], "/api/patients/1/sessions", SESSION, "race-1")

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert count(app, TreatmentSession) == 1 and count(app, IdempotencyRecord) == 1
