"""The device-model page: clinicians see the clinic's models, admins register and retire them."""

from __future__ import annotations

from fastapi import APIRouter, Request

from needling.clinic import device_models as DM
from needling.clinic.deps import DbSession, FormUser, PageUser
from needling.clinic.i18n import language
from needling.clinic.pages import go, go_refused, render
from needling.errors import InputError
from needling.i18n import N_, translate

router = APIRouter(include_in_schema=False)

#: Form fields of a device model, in the order of the form; empty ones are left out (the device's default).
FIELDS = (
    "name",
    "kind",
    "needle_count",
    "needle_length_mm",
    "needle_diameter_mm",
    "tip_radius_um",
    "drum_diameter_mm",
    "drum_width_mm",
    "rings",
    "needles_per_stamp",
    "frequency_hz",
    "depth_min_mm",
    "depth_max_mm",
    "depth_step_mm",
    "description",
)


@router.get("/device-models")
def device_models(request: Request, user: PageUser, db: DbSession):
    models = DM.list_device_models(db, user)
    lang = language(request, user)
    return render(
        request,
        "device_models.html",
        user,
        lang=lang,
        models=[(m, DM.device_of(m)) for m in models],
        title=translate(lang, "Device models"),
    )


@router.post("/device-models")
async def register(request: Request, user: FormUser, db: DbSession):
    form = await request.form()
    spec: dict[str, object] = {k: str(form.get(k, "")).strip() for k in FIELDS}
    spec = {k: v for k, v in spec.items() if v != ""}
    spec["home_use"] = bool(form.get("home_use"))
    try:
        model = DM.register_device_model(db, user, spec)
    except InputError as exc:
        db.rollback()
        return go_refused("/device-models", N_("Not registered: %(reason)s"), request, user, exc)
    return go("/device-models", N_("Device model %(name)s registered."), name=model.name)


@router.post("/device-models/{model_id}/retire")
async def retire(model_id: int, request: Request, user: FormUser, db: DbSession):
    model = DM.retire_device_model(db, user, model_id)
    return go("/device-models", N_("Device model %(name)s retired."), name=model.name)
