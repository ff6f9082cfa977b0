"""Stock operations, each audited and one transaction: a delivery received into a lot, a model's threshold."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from needling.clinic import services as S
from needling.clinic import stock as ST
from needling.clinic.models import DeviceModel, Lot, User
from needling.clinic.roles import STAFF
from needling.clinic.transactions import operation
from needling.errors import InputError
from needling.i18n import N_


@operation
def receive_items(db: Session, actor: User, lot_id: int, received: int) -> Lot:
    """Add ``received`` single-use items (1 to :data:`~needling.clinic.stock.MAX_QUANTITY`) to a lot's stock.

    A lot not counted until now starts counting at ``received``. The addition is one atomic ``UPDATE``, so a
    session recorded at the same time is never lost from the count; a recalled lot takes no delivery.
    """
    S.require_role(actor, *STAFF)
    lot = db.get(Lot, lot_id)
    if lot is None:
        raise S.NotFound(f"lot {lot_id} not found")
    ST.check_count("received", received)
    if received < 1:
        raise InputError(
            f"received: {received}; valid: 1 to {ST.MAX_QUANTITY} items",
            field="received",
            msgid=N_("Write the number of items received, from 1 to %(high)s."),
            params={"high": ST.MAX_QUANTITY},
        )
    if lot.recalled:
        raise InputError(
            f"received: lot {lot.lot_number} is recalled; valid: a lot not recalled",
            field="received",
            msgid=N_("Lot %(lot)s is recalled. Do not add items to it."),
            params={"lot": lot.lot_number},
        )
    if (lot.quantity or 0) + received > ST.MAX_QUANTITY:
        raise InputError(
            f"received: {received} would give {(lot.quantity or 0) + received} items; valid: at most "
            f"{ST.MAX_QUANTITY} in one lot",
            field="received",
            msgid=N_("That would give %(total)s items. A lot holds at most %(high)s."),
            params={"total": (lot.quantity or 0) + received, "high": ST.MAX_QUANTITY},
        )
    db.execute(
        update(Lot)
        .where(Lot.id == lot_id)
        .values(quantity=Lot.quantity + received if lot.quantity is not None else received)
        .execution_options(synchronize_session=False)
    )
    db.refresh(lot)
    S.audit(db, actor, "write", "lot", lot_id, f"received {received} items: {lot.quantity} in stock")
    return lot


@operation
def set_model_low_stock(db: Session, actor: User, model_id: int, low_stock_at: int | None) -> DeviceModel:
    """Set (or clear, with ``None``) the low-stock threshold of a device model's lots that set none of their own."""
    S.require_role(actor, *STAFF)
    model = db.get(DeviceModel, model_id)
    if model is None:
        raise S.NotFound(f"device model {model_id} not found")
    model.low_stock_at = ST.check_count("low_stock_at", low_stock_at)
    db.flush()
    S.audit(db, actor, "write", "device_model", model.id, f"low stock at {low_stock_at} for {model.name}")
    return model
