"""Stock by lot: how many single-use items a lot has left, taking them for a session, and low-stock lots.

A lot's ``quantity`` counts its single-use items (needle cartridges); ``None`` means the clinic does not
count that lot (lots registered before stock was kept), and such a lot is never refused for stock.
A session takes one item of each single-use lot it used, whatever the number of regions treated with it:
one cartridge serves one patient's session and is then discarded. The count is decremented by one atomic
``UPDATE ... WHERE quantity > 0`` in the session's transaction, so two sessions recorded at once can never
take the last item twice nor drive the count below zero (the database's check constraint backs this).

A lot is low on stock at or below its own threshold (``low_stock_at``), else its device model's, else
:data:`DEFAULT_LOW_STOCK_AT`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from needling.clinic.models import DeviceModel, Lot, TreatmentSession
from needling.clinic.transactions import core_execute
from needling.errors import InputError, check_range
from needling.i18n import N_

MAX_QUANTITY = 100_000
"""At most this many items in one lot (a bound against typing errors, not a clinical limit)."""
DEFAULT_LOW_STOCK_AT = 5
"""Assumption: a lot with 5 or fewer items left is low when neither the lot nor its device model sets a
threshold; about one week of sessions for a small clinic, so there is time to order. Set per lot or model."""


@dataclass(frozen=True)
class LowStock:
    """A lot at or below its low-stock threshold: items left and the threshold that applied."""

    lot: Lot
    quantity: int
    threshold: int


COUNT = N_("Write the number of items as a whole number from 0 to %(high)s.")


def check_count(name: str, value: int | None) -> int | None:
    """``value`` if it is ``None`` or a whole number of items from 0 to :data:`MAX_QUANTITY`, else InputError."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(
            f"{name}: {value!r} is not a whole number; valid: 0 to {MAX_QUANTITY}",
            field=name,
            msgid=COUNT,
            params={"high": MAX_QUANTITY},
        )
    check_range(name, value, low=0, high=MAX_QUANTITY, msgid=COUNT)
    return value


def parse_count(name: str, text: str) -> int | None:
    """A count typed in a form: empty is ``None`` (not counted), else a whole number from 0 to the maximum."""
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise InputError(
            f"{name}: {text[:20]!r} is not a whole number; valid: 0 to {MAX_QUANTITY}",
            field=name,
            msgid=COUNT,
            params={"high": MAX_QUANTITY},
        )
    return check_count(name, int(text))


def require_stock(lot: Lot, where: str) -> None:
    """Refuse a single-use lot with no items left, naming the region and the lot."""
    if lot.single_use and lot.quantity is not None and lot.quantity <= 0:
        raise InputError(
            f"{where}.lot_number: lot {lot.lot_number} has no items left (0 in stock); use another lot or register "
            "the new delivery",
            field=f"{where}.lot_number",
            msgid=N_("Lot %(lot)s has no items left. Use another lot or register the new delivery."),
            params={"lot": lot.lot_number},
        )


_TAKE_ONE = (
    update(Lot)
    .where(Lot.id == bindparam("lot_id"), Lot.quantity > 0)
    .values(quantity=Lot.quantity - 1)
    .returning(Lot.quantity)
    .execution_options(synchronize_session=False)
)
"""One item of a lot if it has any left, returning the count left (no row: none was left);
built once, so a request binds its values and builds neither the statement nor its cache key."""


def take_items(db: Session, used: dict[int, str]) -> None:
    """Take one item of each single-use, counted lot a session used (``lot id -> region``), in the transaction.

    Raises
    ------
    InputError
        If another session took the last item of a lot since it was checked.
    """
    for lot_id, where in sorted(used.items()):  # in the order of their ids: two sessions never wait on each other
        lot = db.get(Lot, lot_id)  # no query when the caller holds the lot, as record_session does
        if lot is None or not lot.single_use or lot.quantity is None:
            continue
        left = core_execute(db, _TAKE_ONE, {"lot_id": lot_id}).scalar()
        if left is None:  # no row taken: another session took the last item since it was checked
            db.refresh(lot)
            require_stock(lot, where)
        set_committed_value(lot, "quantity", left)  # the count now, from the same statement: no re-read


def threshold(lot: Lot, model_thresholds: dict[str, int]) -> int:
    """The low-stock threshold of a lot: its own, else its device model's, else :data:`DEFAULT_LOW_STOCK_AT`."""
    if lot.low_stock_at is not None:
        return lot.low_stock_at
    return model_thresholds.get(lot.device_name, DEFAULT_LOW_STOCK_AT)


def model_thresholds(db: Session) -> dict[str, int]:
    """The low-stock threshold of each registered device model that sets one."""
    rows = db.execute(select(DeviceModel.name, DeviceModel.low_stock_at).where(DeviceModel.low_stock_at.is_not(None)))
    return {name: int(at) for name, at in rows if at is not None}


def low_stock(lots: list[Lot], thresholds: dict[str, int], today: date) -> list[LowStock]:
    """The counted lots still usable (not recalled, not expired before ``today``) at or below their threshold."""
    found = []
    for lot in lots:
        if lot.quantity is None or lot.recalled or lot.expiry < today:
            continue
        at = threshold(lot, thresholds)
        if lot.quantity <= at:
            found.append(LowStock(lot, lot.quantity, at))
    return found


@dataclass(frozen=True)
class RecallNotice:
    """A recalled lot used in one of a patient's sessions: which lot, the session's date and the recall."""

    lot_number: str
    device_name: str
    session_on: date
    recalled_on: date | None
    reason: str


def recall_notices(sessions: list[TreatmentSession]) -> list[RecallNotice]:
    """Every (recalled lot, session) pair among a patient's sessions, by session date: one banner each."""
    found: dict[tuple[int, int], RecallNotice] = {}
    for session in sessions:
        for region in session.regions:
            lot = region.lot
            if lot.recalled and (lot.id, session.id) not in found:
                found[(lot.id, session.id)] = RecallNotice(
                    lot.lot_number, lot.device_name, session.on, lot.recalled_on, lot.recall_reason or ""
                )
    return sorted(found.values(), key=lambda n: (n.session_on, n.lot_number))
