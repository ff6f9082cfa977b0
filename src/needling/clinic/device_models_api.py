"""API of the clinic's device models: list (clinicians, admins), register and retire (admins)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from needling.clinic import device_models as DM
from needling.clinic import stock as ST
from needling.clinic import stock_service
from needling.clinic.api_schema import MAX_ID, Stamp, responses
from needling.clinic.deps import CurrentUser, DbSession
from needling.clinic.models import DeviceModel
from needling.devices import Device

router = APIRouter(prefix="/api", tags=["device models"])


class DeviceModelOut(BaseModel):
    """A registered device model."""

    id: int
    name: str
    retired: bool
    created: Stamp
    device: Device
    low_stock_at: int | None = None  # its lots warn at or below this many items, unless a lot sets its own


class LowStockIn(BaseModel):
    """The low-stock threshold of a model's lots; ``null`` clears it (the default applies)."""

    model_config = ConfigDict(extra="forbid")
    low_stock_at: int | None = Field(ge=0, le=ST.MAX_QUANTITY)


def _out(m: DeviceModel) -> DeviceModelOut:
    return DeviceModelOut(
        id=m.id, name=m.name, retired=m.retired, created=m.created, device=DM.device_of(m), low_stock_at=m.low_stock_at
    )


ERRORS = responses(found=False)


@router.get("/device-models", responses=ERRORS)
def list_models(
    user: CurrentUser,
    db: DbSession,
    include_retired: bool = True,
) -> list[DeviceModelOut]:
    """The device models this clinic registered (retired ones too unless ``include_retired=false``)."""
    return [_out(m) for m in DM.list_device_models(db, user, include_retired)]


@router.post(
    "/device-models",
    status_code=201,
    responses=ERRORS,
)
def register_model(body: Device, user: CurrentUser, db: DbSession) -> DeviceModelOut:
    """Register a device model, validated like a device file (``sources`` and ``wear_uses`` are ignored)."""
    model = DM.register_device_model(db, user, body.model_dump(mode="json"))
    return _out(model)


@router.post("/device-models/{model_id}/retire", responses=responses())
def retire_model(
    user: CurrentUser,
    db: DbSession,
    model_id: int = PathParam(ge=1, le=MAX_ID),
) -> DeviceModelOut:
    """Retire a model: it can no longer be named for new lots or plans; past records keep the name."""
    model = DM.retire_device_model(db, user, model_id)
    return _out(model)


@router.post("/device-models/{model_id}/low-stock", responses=responses())
def set_low_stock(
    body: LowStockIn,
    user: CurrentUser,
    db: DbSession,
    model_id: int = PathParam(ge=1, le=MAX_ID),
) -> DeviceModelOut:
    """Set the low-stock threshold of the model's lots (a lot's own threshold still comes first)."""
    return _out(stock_service.set_model_low_stock(db, user, model_id, body.low_stock_at))
