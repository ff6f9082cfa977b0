"""The lot register's barcode scan (a GS1 element string typed by a scanner fills the lot form) and deliveries."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Request
from sqlalchemy import select

from needling.clinic import stock as ST
from needling.clinic import stock_service
from needling.clinic.api_schema import PathId
from needling.clinic.deps import DbSession, FormStaff, FormUser
from needling.clinic.gs1 import parse_gs1
from needling.clinic.i18n import language
from needling.clinic.models import Lot
from needling.clinic.pages import go, go_refused, lots_page, refusal
from needling.errors import InputError
from needling.i18n import N_, table_date, translate

router = APIRouter(include_in_schema=False)


@router.post("/lots/scan")
def scan(
    request: Request,
    user: FormStaff,
    db: DbSession,
    gs1: str = Form(""),
):
    """Fill the lot form from a scanned barcode: GTIN, expiry and lot number; the device of an earlier lot
    with the same GTIN is chosen. Nothing is stored until the clinician checks the form and registers it."""
    lang = language(request, user)
    try:
        scanned = parse_gs1(gs1, date.today(), field="gs1")
    except InputError as exc:
        banner = refusal(request, user, N_("Barcode not read: %(reason)s"), exc)
        return lots_page(request, user, db, 422, {"gs1": gs1}, banner)
    device = db.scalars(select(Lot.device_name).where(Lot.gtin == scanned.gtin).order_by(Lot.id.desc())).first()
    typed = {
        "device_name": device or "",
        "lot_number": scanned.lot_number,
        "expiry": scanned.expiry.isoformat(),
        "gtin": scanned.gtin,
        "single_use": "1",
    }
    note = translate(
        lang,
        "Barcode read: lot %(lot)s, expiry %(expiry)s. Check the device and the number of items, then register.",
        lot=scanned.lot_number,
        expiry=table_date(scanned.expiry, lang),
    )
    return lots_page(request, user, db, 200, typed, note, kind="ok")


@router.post("/lots/{lot_id}/stock")
def receive(
    lot_id: PathId,
    request: Request,
    user: FormUser,
    db: DbSession,
    received: str = Form(""),
):
    """Add a delivery's items to the lot's stock, back on the lot's page with what it holds now."""
    try:
        count = ST.parse_count("received", received)
        lot = stock_service.receive_items(db, user, lot_id, count if count is not None else 0)
    except InputError as exc:
        db.rollback()
        return go_refused(f"/lots/{lot_id}", N_("Not added to stock: %(reason)s"), request, user, exc)
    return go(f"/lots/{lot_id}", N_("Added to stock: %(count)s items in stock now."), count=lot.quantity)
