"""Photo pages: a patient's photos by region and view (thumbnails), upload with a framing guide, the photo
consent, and the comparison of two dates of one region and view (side by side and with a slider).

The upload form takes the camera on a phone (``capture="environment"``) and shows the framing guide of the
chosen view (an SVG drawn here, ``templates/_framing_guide.html``) over a preview of the photo
(``static/photo_capture.js``); without JavaScript the guide is shown beside the form and every view is
offered, the service refusing one that is not the region's. The comparison works without JavaScript (side
by side); the slider (``static/photo_compare.js``) is a labelled range input, so it works by keyboard.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from sqlalchemy.orm import Session

from needling.anatomy import site_names
from needling.clinic import photo_service as P
from needling.clinic import services as S
from needling.clinic.api_schema import PathId
from needling.clinic.deps import DbSession, FormUser, PageUser
from needling.clinic.i18n import language
from needling.clinic.models import User
from needling.clinic.pages import go, refusal, render, templates
from needling.clinic.photo_views import LABELS, REGION_VIEWS, VIEWS
from needling.clinic.roles import STAFF
from needling.errors import InputError
from needling.i18n import N_, translate

router = APIRouter(include_in_schema=False)

STORED = N_("Photo stored.")
CONSENT_RECORDED = N_("The photo consent is recorded.")

templates.env.filters["photo_view"] = lambda code: VIEWS.get(code, code)  # the msgid; templates translate it
templates.env.globals.update(photo_views=VIEWS, region_views=REGION_VIEWS, photo_labels=LABELS, photo_scopes=P.SCOPES)


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{field} {value!r} is not a date; valid: YYYY-MM-DD", field=field, msgid=N_("Choose a date.")
        ) from None


def groups(photos: list[Any]) -> list[tuple[str, list[tuple[str, list[Any]]]]]:
    """Photos by region (in the site table's order), then by view (in the vocabulary's order), oldest first."""
    out = []
    for site in site_names():
        views = []
        for view in VIEWS:
            these = [ph for ph in photos if ph.site == site and ph.view == view]
            if these:
                views.append((view, these))
        if views:
            out.append((site, views))
    return out


def photos_page(
    request: Request,
    user: User,
    db: Session,
    patient_id: int,
    status: int = 200,
    typed: dict[str, str] | None = None,
    error: str | None = None,
) -> Any:
    """The photos page of one patient (422 with the form as typed when an upload was refused)."""
    patient = S.get_patient(db, user, patient_id, "photos")
    photos = P.patient_photos(db, user, patient_id)
    history = P.consent_history(db, user, patient_id)
    typed = typed or {}
    site = typed.get("site") or (photos[-1].site if photos else "cheek")
    site = site if site in REGION_VIEWS else "cheek"
    extra = {"flash": error, "flash_kind": "error"} if error else {}
    return render(
        request,
        "photos.html",
        user,
        status=status,
        patient=patient,
        groups=groups(photos),
        consent=history[0] if history else None,
        history=history,
        staff=user.role in STAFF,
        require_consent=request.app.state.settings.require_consent,
        sites=site_names(),
        chosen_site=site,
        chosen_view=typed.get("view") or REGION_VIEWS[site][0],
        typed=typed,
        title=translate(language(request, user), "Photos of %(name)s", name=patient.name),
        **extra,
    )


@router.get("/patients/{patient_id}/photos")
def photos(patient_id: PathId, request: Request, user: PageUser, db: DbSession):
    return photos_page(request, user, db, patient_id)


@router.post("/patients/{patient_id}/photos")
async def upload_photo(
    patient_id: PathId,
    request: Request,
    user: FormUser,
    db: DbSession,
    site: str = Form(""),
    view: str = Form(""),
    label: str = Form("before"),
    taken: str = Form(""),
    file: UploadFile | None = File(None),
):
    s = request.app.state.settings
    data = await file.read(s.max_photo_bytes + 1) if file is not None else b""
    try:
        P.store_upload(db, user, s, patient_id, site, view, data, _date(taken, "taken"), label)
    except InputError as exc:
        db.rollback()
        typed = {"site": site[:40], "view": view[:20], "label": label[:20], "taken": taken[:10]}
        error = refusal(request, user, N_("Photo refused: %(reason)s"), exc)
        return photos_page(request, user, db, patient_id, 422, typed=typed, error=error)
    return go(f"/patients/{patient_id}/photos", STORED)


@router.post("/patients/{patient_id}/photo-consent")
def record_consent(
    patient_id: PathId,
    request: Request,
    user: FormUser,
    db: DbSession,
    scope: str = Form(""),
    note: str = Form(""),
):
    try:
        P.record_consent(db, user, patient_id, scope, note)
    except InputError as exc:
        db.rollback()
        return photos_page(
            request, user, db, patient_id, 422, error=refusal(request, user, N_("Not saved: %(reason)s"), exc)
        )
    return go(f"/patients/{patient_id}/photos", CONSENT_RECORDED)


@router.get("/patients/{patient_id}/compare")
def compare(
    patient_id: PathId,
    request: Request,
    user: PageUser,
    db: DbSession,
    site: str = "",
    view: str = "",
    a: str = "",
    b: str = "",
):
    """Two dates of one region and view; without a choice, the region and view with the most dates."""
    patient = S.get_patient(db, user, patient_id, "photo comparison")
    photos = P.patient_photos(db, user, patient_id)
    if not site:
        counts: dict[tuple[str, str], set[date]] = {}
        for ph in photos:
            counts.setdefault((ph.site, ph.view), set()).add(ph.taken)
        site, view = max(counts, key=lambda k: len(counts[k])) if counts else ("cheek", "front")
    error, status = None, 200
    try:
        cmp = P.compare(photos, site, view, _date(a, "a") if a else None, _date(b, "b") if b else None)
    except InputError as exc:  # the page again with the error, on the nearest valid choice
        error, status = refusal(request, user, N_("Not shown: %(reason)s"), exc), 422
        site = site if site in REGION_VIEWS else "cheek"
        cmp = P.compare(photos, site, view if view in REGION_VIEWS[site] else REGION_VIEWS[site][0])
    return render(
        request,
        "compare.html",
        user,
        status=status,
        patient=patient,
        cmp=cmp,
        sites=site_names(),
        exportable=P.scope_of(db, patient_id) == "exports",
        title=N_("Compare photos"),
        **({"flash": error, "flash_kind": "error"} if error else {}),
    )
