"""Stock by lot (issue 15, item 7): a lot entered by its GS1 barcode, single-use items taken by sessions.

The GS1 strings are built as a scanner types them: AIs and values run together, the group separator
(ASCII 29) after a variable-length value, or the human-readable form with parentheses. The GTIN
09506000134352 is GS1's own example GTIN (prefix 950, GS1 Global Office); its check digit 2 is correct,
so 09506000134353 is the same GTIN with a wrong one.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from needling.clinic.gs1 import ScannedLot, parse_gs1
from needling.clinic.models import AuditEntry, Lot, TreatmentSession
from needling.clinic.stock import DEFAULT_LOW_STOCK_AT, low_stock, take_items, threshold
from needling.errors import InputError
from needling.i18n import table_date
from tests.clinic.conftest import login
from tests.clinic.test_clinic_api import INTAKE, TODAY, session_body
from tests.clinic.test_device_models import ROLLER

GTIN = "09506000134352"
GS = "\x1d"
NEXT_YEAR = date(date.today().year + 2, 1, 15)  # a mid-January expiry two years on


def yymmdd(d: date) -> str:
    return d.strftime("%y%m%d")


def test_a_scanned_element_string_gives_gtin_expiry_and_lot_in_every_form_a_scanner_types():
    exp = yymmdd(NEXT_YEAR)
    expected = ScannedLot(GTIN, NEXT_YEAR, "A1B2")
    assert parse_gs1(f"01{GTIN}17{exp}10A1B2") == expected  # lot last: no separator needed
    assert parse_gs1(f"01{GTIN}10A1B2{GS}17{exp}") == expected  # FNC1 as GS after the variable-length lot
    assert parse_gs1(f"]d201{GTIN}10A1B2{GS}17{exp}") == expected  # DataMatrix symbology identifier first
    assert parse_gs1(f"(01){GTIN}(17){exp}(10)A1B2") == expected  # human-readable, parentheses
    # Day 00 is the last day of the month (GS1 AI 17).
    assert parse_gs1(f"01{GTIN}17{exp[:4]}0010X").expiry == date(NEXT_YEAR.year, 1, 31)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("0109506000134353173112311012345A", "GTIN 09506000134353 has a wrong check digit"),
        ("0109506000134352172001311012345A", "lot 12345A expired on 2020-01-31"),
        ("01095060001343521731123121SERIAL7", "has no (10) lot"),
        ("hello scanner", "is not a GS1 element string"),
        ("0109506000134352171313311012345A", "is not a GS1 element string"),  # month 13
        ("", "empty"),
    ],
)
def test_a_bad_element_string_is_refused_in_one_line_naming_what_is_wrong(text, reason):
    with pytest.raises(InputError) as err:
        parse_gs1(text, date.today())
    message = str(err.value)
    assert reason in message and "\n" not in message and "valid:" in message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80) | st.from_regex(r"\A(01\d{14})?(17\d{6})?(10[A-Z0-9]{1,20})?\Z"))
def test_any_typed_text_is_a_lot_or_one_clear_line_never_a_crash(text):
    try:
        lot = parse_gs1(text)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("gs1: ")
        return
    assert len(lot.gtin) == 14 and lot.gtin.isdigit() and 1 <= len(lot.lot_number) <= 20


def test_the_lot_form_is_filled_by_a_scan_and_registers_the_lot_with_its_items_and_gtin(app):
    c = login(app, "clinician")
    scan = f"01{GTIN}17{yymmdd(NEXT_YEAR)}10SCAN-7{GS}"
    r = c.http.post("/lots/scan", data={"csrf_token": c.csrf, "gs1": scan})
    assert r.status_code == 200 and "Barcode read: lot SCAN-7" in r.text
    assert 'value="SCAN-7"' in r.text and f'value="{NEXT_YEAR.isoformat()}"' in r.text
    assert f'name="gtin" value="{GTIN}"' in r.text
    form = {
        "csrf_token": c.csrf,
        "device_name": "dermapen-11",
        "lot_number": "SCAN-7",
        "expiry": NEXT_YEAR.isoformat(),
        "single_use": "1",
        "quantity": "40",
        "low_stock_at": "8",
        "gtin": GTIN,
    }
    r = c.http.post("/lots", data=form)
    assert r.status_code == 200 and "Lot SCAN-7 registered." in r.text
    with app.state.Session() as db:
        lot = db.scalars(select(Lot).where(Lot.lot_number == "SCAN-7")).one()
        assert (lot.quantity, lot.low_stock_at, lot.gtin, lot.device_name) == (40, 8, GTIN, "dermapen-11")
    # The next box of the same product: the device of the earlier lot with this GTIN is chosen.
    r = c.http.post("/lots/scan", data={"csrf_token": c.csrf, "gs1": f"(01){GTIN}(17){yymmdd(NEXT_YEAR)}(10)SCAN-8"})
    assert '<option value="dermapen-11" selected>' in r.text
    sv = c.http.post("/lots/scan", data={"csrf_token": c.csrf, "gs1": scan}, headers={"accept-language": "sv-SE"}).text
    assert "Streckkoden är läst" in sv


def test_a_bad_scan_answers_422_with_the_reason_and_the_string_as_typed(app):
    c = login(app, "clinician")
    bad = f"01{GTIN[:-1]}3172612311012345A"
    r = c.http.post("/lots/scan", data={"csrf_token": c.csrf, "gs1": bad})
    assert r.status_code == 422
    assert "Barcode not read: The check digit of GTIN" in r.text and f'value="{bad}"' in r.text
    expired = f"01{GTIN}17{yymmdd(date.today() - timedelta(days=40))}10OLD"
    r = c.http.post("/lots/scan", data={"csrf_token": c.csrf, "gs1": expired})
    assert r.status_code == 422 and "Lot OLD expired on" in r.text
    r = c.http.post(
        "/lots",
        data={
            "csrf_token": c.csrf,
            "device_name": "dermapen-11",
            "lot_number": "Q",
            "expiry": TODAY,
            "quantity": "many",
        },
    )
    assert r.status_code == 422 and "Write the number of items as a whole number from 0 to 100000." in r.text
    assert login(app, "patient").http.post("/lots/scan", data={"gs1": bad}).status_code in (403, 303)


def _set_stock(app, lot_number: str, quantity: int | None) -> None:
    with app.state.Session() as db:
        db.scalars(select(Lot).where(Lot.lot_number == lot_number)).one().quantity = quantity
        db.commit()


def _stock(app, lot_number: str) -> int | None:
    with app.state.Session() as db:
        return db.scalars(select(Lot.quantity).where(Lot.lot_number == lot_number)).one()


def _planned_patient(c, name: str) -> int:
    pid = c.post("/api/patients", json={"name": name, "intake": INTAKE}).json()["id"]
    assert c.post(f"/api/patients/{pid}/plan", json={"start": TODAY}).status_code == 201
    return pid


def test_each_session_takes_one_item_of_its_lot_and_a_used_up_lot_is_refused_with_the_reason(app):
    c = login(app, "clinician")
    _set_stock(app, "DR15-2026-A", 2)
    first, second, third = (_planned_patient(c, f"Stock {n}") for n in ("One", "Two", "Three"))
    assert c.post(f"/api/patients/{first}/sessions", json=session_body()).status_code == 201
    assert _stock(app, "DR15-2026-A") == 1
    assert c.post(f"/api/patients/{second}/sessions", json=session_body()).status_code == 201
    assert _stock(app, "DR15-2026-A") == 0
    r = c.post(f"/api/patients/{third}/sessions", json=session_body())
    assert r.status_code == 422
    assert "lot DR15-2026-A has no items left (0 in stock)" in r.text
    with app.state.Session() as db:
        assert db.scalar(select(func.count()).where(TreatmentSession.patient_id == third)) == 0
    assert _stock(app, "DR15-2026-A") == 0  # never below zero
    page = c.get("/lots").text
    assert "used up" in page
    # The patient's session form no longer offers it.
    assert "DR15-2026-A" not in c.get(f"/patients/{third}").text.split('id="session-form"', 1)[-1].split("</form>")[0]


def test_sessions_recorded_at_once_take_exactly_the_items_there_are_and_never_more(app):
    """Eight clinicians record at the same moment from a lot with three items (issue 15, item 10: nothing lost):
    exactly three sessions are stored and answered 201, the other five are refused for stock in one line and store
    nothing, and the count ends at zero, not below; on SQLite and on PostgreSQL, whose row lock they queue on."""
    import threading

    _set_stock(app, "DR15-2026-A", 3)
    planner = login(app, "clinician")
    patients = [_planned_patient(planner, f"Stock Race {n}") for n in range(8)]
    clients = [login(app, "clinician") for _ in patients]  # each its own log-in and connection
    barrier = threading.Barrier(len(patients))
    answers: dict[int, tuple[int, str]] = {}

    def record(c, pid: int) -> None:
        barrier.wait(timeout=60)
        r = c.post(f"/api/patients/{pid}/sessions", json=session_body())
        answers[pid] = (r.status_code, r.text)

    threads = [threading.Thread(target=record, args=pair) for pair in zip(clients, patients, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    codes = sorted(code for code, _ in answers.values())
    assert codes == [201] * 3 + [422] * 5, answers
    assert all("lot DR15-2026-A has no items left" in text for code, text in answers.values() if code == 422)
    with app.state.Session() as db:
        stored = db.scalars(select(TreatmentSession.patient_id).where(TreatmentSession.patient_id.in_(patients)))
        assert sorted(stored) == sorted(pid for pid, (code, _) in answers.items() if code == 201)
    assert _stock(app, "DR15-2026-A") == 0


def test_a_refused_session_takes_no_item_and_an_uncounted_lot_is_never_refused_for_stock(app):
    c = login(app, "clinician")
    _set_stock(app, "DR15-2026-A", 3)
    pid = _planned_patient(c, "Stock Refused")
    future = (date.today() + timedelta(days=3)).isoformat()
    assert c.post(f"/api/patients/{pid}/sessions", json=session_body(date=future)).status_code == 422
    assert _stock(app, "DR15-2026-A") == 3
    _set_stock(app, "DR15-2026-A", None)
    assert c.post(f"/api/patients/{pid}/sessions", json=session_body()).status_code == 201
    assert _stock(app, "DR15-2026-A") is None


def test_low_stock_lots_show_in_the_inbox_at_their_own_threshold_or_the_default(app):
    c = login(app, "clinician")
    _set_stock(app, "DR15-2026-A", DEFAULT_LOW_STOCK_AT)  # at the default threshold: low
    _set_stock(app, "DR05-2026-B", DEFAULT_LOW_STOCK_AT + 1)  # above it: not low
    with app.state.Session() as db:
        pen = db.scalars(select(Lot).where(Lot.lot_number == "PEN11-2026-C")).one()
        pen.quantity, pen.low_stock_at = 8, 10  # its own threshold
        old = db.scalars(select(Lot).where(Lot.lot_number == "DR10-OLD")).one()
        old.quantity = 0  # expired: not worth an alert
        ids = {lot.lot_number: lot.id for lot in db.scalars(select(Lot))}
        db.commit()
    page = c.get("/dashboard").text
    keys = sorted(set(re.findall(r'name="item" value="(low-stock:\d+)"', page)))  # acknowledge and assign forms
    assert keys == sorted([f"low-stock:{ids['DR15-2026-A']}", f"low-stock:{ids['PEN11-2026-C']}"])
    item = page.split(f'id="item-low-stock-{ids["PEN11-2026-C"]}"', 1)[1].split("</li>")[0]
    assert "Lot low on stock" in item and "8 items left; the warning is at 10 or fewer." in item
    sv = c.get("/dashboard", headers={"accept-language": "sv-SE"}).text
    assert "Batchen har lite kvar i lager" in sv and "8 kvar i lager. Varningen kommer vid 10 eller färre." in sv
    r = c.http.post("/dashboard/inbox/acknowledge", data={"csrf_token": c.csrf, "item": keys[0]})
    assert r.status_code == 200 and keys[0] not in r.text.split('id="inbox"', 1)[-1]


def test_a_lot_is_low_at_its_own_threshold_else_its_device_models_else_the_default():
    today = date.today()
    lot = Lot(lot_number="L", device_name="pen-x", expiry=today, quantity=7, recalled=False)
    assert threshold(lot, {}) == DEFAULT_LOW_STOCK_AT and not low_stock([lot], {}, today)
    assert threshold(lot, {"pen-x": 7}) == 7 and low_stock([lot], {"pen-x": 7}, today)[0].quantity == 7
    lot.low_stock_at = 3
    assert threshold(lot, {"pen-x": 7}) == 3 and not low_stock([lot], {"pen-x": 7}, today)
    lot.quantity = None  # not counted: never low
    assert not low_stock([lot], {"pen-x": 100}, today)


def test_a_recalled_lot_shows_on_every_affected_patients_record_with_the_session_date(app):
    c = login(app, "clinician")
    used, other = _planned_patient(c, "Recall Used"), _planned_patient(c, "Recall Spared")
    assert c.post(f"/api/patients/{used}/sessions", json=session_body()).status_code == 201
    lot = next(x["id"] for x in c.get("/api/lots").json() if x["lot_number"] == "DR15-2026-A")
    assert "recall" not in c.get(f"/patients/{used}").text.split("<h2>", 1)[0]
    assert c.post(f"/api/lots/{lot}/recall", json={"reason": "needles blunt"}).status_code == 200
    page = c.get(f"/patients/{used}").text
    banner = page.split('class="flash error recall"', 1)[1].split("</div>")[0]
    assert (
        "Recalled lot DR15-2026-A (Dermaroller with 192 needles, 1.5\N{NO-BREAK SPACE}mm) was used in the session "
        f"of {table_date(TODAY, 'en')}." in banner
    )
    assert "Reason for the recall: needles blunt." in banner
    assert 'class="flash error recall"' not in c.get(f"/patients/{other}").text
    sv = c.get(f"/patients/{used}", headers={"accept-language": "sv-SE"}).text
    on = table_date(TODAY, "sv")
    device = "Dermaroller med 192 nålar, 1,5\N{NO-BREAK SPACE}mm"
    assert f"Den återkallade batchen DR15-2026-A ({device}) användes vid behandlingen {on}." in sv
    dash = c.get("/dashboard").text
    assert f'value="recall:{lot}:{used}"' in dash and f'value="recall:{lot}:{other}"' not in dash


def test_the_api_registers_a_counted_lot_and_a_delivery_adds_to_its_stock_audited(app):
    c = login(app, "clinician")
    body = {"device_name": "dermapen-11", "lot_number": "API-9", "expiry": NEXT_YEAR.isoformat()}
    r = c.post("/api/lots", json={**body, "quantity": 3, "low_stock_at": 1, "gtin": GTIN})
    assert r.status_code == 201 and (r.json()["quantity"], r.json()["low_stock_at"], r.json()["gtin"]) == (3, 1, GTIN)
    lot = r.json()["id"]
    r = c.post(f"/api/lots/{lot}/stock", json={"received": 20})
    assert r.status_code == 200 and r.json()["quantity"] == 23
    for bad in ({"received": 0}, {"received": -4}, {"received": "many"}, {}):
        assert c.post(f"/api/lots/{lot}/stock", json=bad).status_code == 422, bad
    assert c.post("/api/lots", json={**body, "lot_number": "API-10", "quantity": -1}).status_code == 422
    assert c.post("/api/lots", json={**body, "lot_number": "API-11", "gtin": "12345"}).status_code == 422
    assert c.post("/api/lots/999999/stock", json={"received": 1}).status_code == 404
    assert login(app, "patient").post(f"/api/lots/{lot}/stock", json={"received": 1}).status_code == 403
    with app.state.Session() as db:
        details = db.scalars(select(AuditEntry.detail).where(AuditEntry.entity == "lot")).all()
    assert "received 20 items: 23 in stock" in details
    # On the lot's page: the count and the delivery form; an uncounted lot starts counting at its first delivery.
    page = c.get(f"/lots/{lot}").text
    assert "23 items in stock." in page
    seeded = next(x["id"] for x in c.get("/api/lots").json() if x["lot_number"] == "DR15-2026-A")
    r = c.http.post(f"/lots/{seeded}/stock", data={"csrf_token": c.csrf, "received": "12"})
    assert r.status_code == 200 and "Added to stock: 12 items in stock now." in r.text
    r = c.http.post(f"/lots/{seeded}/stock", data={"csrf_token": c.csrf, "received": "0"})
    assert "Not added to stock: Write the number of items received, from 1 to 100000." in r.text
    sv = {"accept-language": "sv-SE,sv;q=0.9"}
    r = c.http.post(f"/lots/{seeded}/stock", data={"csrf_token": c.csrf, "received": "0"}, headers=sv)
    assert "Inget lades till i lager: Skriv hur många du har fått, från 1 till 100000." in r.text
    assert "valid:" not in r.text  # the refusal in the page's language, not the service's English line
    assert "greater than or equal to 1" in c.post(f"/api/lots/{seeded}/stock", json={"received": 0}).text
    assert _stock(app, "DR15-2026-A") == 12


def test_the_last_item_taken_by_another_session_meanwhile_is_refused_never_counted_below_zero(app):
    """The count in hand says 1, but another session took the last item since: the atomic update refuses."""
    _set_stock(app, "DR15-2026-A", 1)
    with app.state.Session() as db:
        lot = db.scalars(select(Lot).where(Lot.lot_number == "DR15-2026-A")).one()
        assert lot.quantity == 1
        with app.state.Session() as other:
            other.execute(update(Lot).where(Lot.id == lot.id).values(quantity=0))
            other.commit()
        with pytest.raises(InputError, match="has no items left"):
            take_items(db, {lot.id: "regions[0]"})
        db.rollback()
    assert _stock(app, "DR15-2026-A") == 0


def test_a_device_models_threshold_applies_to_its_lots_that_set_none(app):
    admin, c = login(app, "admin"), login(app, "clinician")
    model = admin.post("/api/device-models", json=ROLLER).json()
    lot = {"device_name": model["name"], "lot_number": "CR-STOCK", "expiry": NEXT_YEAR.isoformat(), "quantity": 10}
    lot_id = c.post("/api/lots", json=lot).json()["id"]
    assert f'value="low-stock:{lot_id}"' not in c.get("/dashboard").text  # 10 is above the default
    r = c.post(f"/api/device-models/{model['id']}/low-stock", json={"low_stock_at": 12})
    assert r.status_code == 200 and r.json()["low_stock_at"] == 12
    item = c.get("/dashboard").text.split(f'id="item-low-stock-{lot_id}"', 1)[1].split("</li>")[0]
    assert "10 items left; the warning is at 12 or fewer." in item
    assert c.post(f"/api/device-models/{model['id']}/low-stock", json={"low_stock_at": -1}).status_code == 422
    assert c.post("/api/device-models/999999/low-stock", json={"low_stock_at": 3}).status_code == 404
    assert (
        login(app, "patient").post(f"/api/device-models/{model['id']}/low-stock", json={"low_stock_at": 3}).status_code
        == 403
    )
    assert c.post(f"/api/device-models/{model['id']}/low-stock", json={"low_stock_at": None}).status_code == 200
    assert f'value="low-stock:{lot_id}"' not in c.get("/dashboard").text


@settings(max_examples=60, deadline=None)
@given(start=st.lists(st.integers(0, 4), min_size=1, max_size=3), uses=st.lists(st.integers(0, 2), max_size=12))
def test_the_count_never_goes_below_zero_and_each_refusal_is_of_a_used_up_lot(start, uses):
    """Invariant: taking items one session at a time, a lot's count is its start less the sessions it served,
    never below zero, and a session is refused exactly when its lot has none left (a real SQLite database)."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from needling.clinic.models import Base

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as db:
        lots = [Lot(lot_number=f"P{i}", device_name="d", expiry=NEXT_YEAR, quantity=q) for i, q in enumerate(start)]
        db.add_all(lots)
        db.commit()
        served = [0] * len(lots)
        for pick in uses:
            i = pick % len(lots)
            try:
                take_items(db, {lots[i].id: "regions[0]"})
                db.commit()
                served[i] += 1
            except InputError as exc:
                db.rollback()
                assert start[i] - served[i] == 0 and "has no items left" in str(exc)
        for lot, q, n in zip(lots, start, served, strict=True):
            db.refresh(lot)
            assert lot.quantity == q - n >= 0
    engine.dispose()
