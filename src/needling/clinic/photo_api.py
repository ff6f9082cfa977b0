"""Photo routes of the API: upload with a standard view, the photo and its thumbnail, the photo consent,
and the comparison PDF.

Images are served only to users who may see the patient (every read audited), with their content type, a
strong ``ETag`` (the SHA-256 of the bytes; ``If-None-Match`` answers 304) and ``Cache-Control: no-store``
like every response carrying patient data (:mod:`needling.clinic.headers`): a clinic's shared tablet keeps
no copy of a patient's photo in its cache.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi import Path as PathParam

from needling.clinic import api_schema as A
from needling.clinic import photo_export as PE
from needling.clinic import photo_service as P
from needling.clinic import services as S
from needling.clinic.api_schema import MAX_ID, Strict, column_text, responses, text
from needling.clinic.deps import CurrentUser, DbSession
from needling.clinic.i18n import language
from needling.clinic.models import Photo
from needling.clinic.photos import CONTENT_TYPES

router = APIRouter(prefix="/api")

PatientId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="A patient's id")]
PhotoId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="A photo's id")]
IMAGE = {200: {"content": {t: {"schema": {"type": "string", "format": "binary"}} for t in CONTENT_TYPES.values()}}}
PDF = {200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


class PhotoConsentIn(Strict):
    scope: Literal["none", "record", "exports"]
    note: text(2000) = ""


def image_response(request: Request, digest: str, content_type: str) -> Response:
    """The stored file ``digest`` with its type and ETag; 304 when the client already holds these bytes."""
    etag = f'"{digest}"'
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers={"etag": etag})
    path = P.blob_path(request.app.state.settings.photo_dir, digest)
    if not path.is_file():
        raise S.NotFound("photo file not found in the photo store")
    return Response(
        path.read_bytes(),
        media_type=content_type,
        headers={"etag": etag, "content-disposition": "inline"},
    )


@router.post("/patients/{patient_id}/photos", status_code=201, response_model=A.PhotoStored, responses=responses())
async def upload_photo(
    patient_id: PatientId,
    request: Request,
    user: CurrentUser,
    db: DbSession,
    site: Annotated[column_text(Photo.site), Form()],
    view: Annotated[column_text(Photo.view), Form(description="front, left-45, right-45, ... (one of the region's)")],
    label: Annotated[column_text(Photo.label), Form()] = "before",
    taken: date = Form(...),
    file: UploadFile = File(...),
) -> dict[str, Any]:
    """Store a photo of one region in one of its standard views; the thumbnail is made now, once."""
    s = request.app.state.settings
    data = await file.read(s.max_photo_bytes + 1)
    ph = P.store_upload(db, user, s, patient_id, site, view, data, taken, label)
    return {
        "id": ph.id,
        "sha256": ph.sha256,
        "content_type": ph.content_type,
        "view": ph.view,
        "thumbnail_sha256": ph.thumb_sha256,
    }


@router.get("/photos/{photo_id}", response_class=Response, responses={**IMAGE, **responses()})
def photo(photo_id: PhotoId, request: Request, user: CurrentUser, db: DbSession) -> Response:
    """The photo as stored (re-encoded, without metadata)."""
    ph = S.get_photo(db, user, photo_id)
    return image_response(request, ph.sha256, ph.content_type)


@router.get("/photos/{photo_id}/thumbnail", response_class=Response, responses={**IMAGE, **responses()})
def photo_thumbnail(photo_id: PhotoId, request: Request, user: CurrentUser, db: DbSession) -> Response:
    """The photo's JPEG thumbnail (for a photo stored before thumbnails were made, it is made on first asking)."""
    ph = P.photo_with_thumbnail(db, user, request.app.state.settings.photo_dir, photo_id)
    assert ph.thumb_sha256 is not None
    return image_response(request, ph.thumb_sha256, "image/jpeg")


def _consent_out(row: Any) -> dict[str, Any]:
    if row is None:
        return {"scope": "none", "note": "", "recorded_at": None}
    return {"scope": row.scope, "note": row.note, "recorded_at": row.recorded_at.isoformat()}


@router.get("/patients/{patient_id}/photo-consent", response_model=A.PhotoConsentOut, responses=responses())
def photo_consent(patient_id: PatientId, user: CurrentUser, db: DbSession) -> dict[str, Any]:
    """The photo consent in force (``none`` when nothing was recorded)."""
    history = P.consent_history(db, user, patient_id)
    return _consent_out(history[0] if history else None)


@router.post(
    "/patients/{patient_id}/photo-consent", status_code=201, response_model=A.PhotoConsentOut, responses=responses()
)
def record_photo_consent(
    patient_id: PatientId, body: PhotoConsentIn, user: CurrentUser, db: DbSession
) -> dict[str, Any]:
    """Record the patient's photo choice: ``none``, ``record`` (care only) or ``exports`` (may leave the record)."""
    return _consent_out(P.record_consent(db, user, patient_id, body.scope, body.note))


@router.get("/patients/{patient_id}/photos/compare.pdf", response_class=Response, responses={**PDF, **responses()})
def comparison_pdf(
    patient_id: PatientId,
    request: Request,
    user: CurrentUser,
    db: DbSession,
    site: Annotated[column_text(Photo.site), Query()],
    view: Annotated[column_text(Photo.view), Query()],
    a: Annotated[date | None, Query(description="the earlier date (default: the first)")] = None,
    b: Annotated[date | None, Query(description="the later date (default: the last)")] = None,
) -> Response:
    """Two dates of one region and view as PDF; without the patient's ``exports`` consent the photos are left out."""
    photos = P.patient_photos(db, user, patient_id)
    cmp = P.compare(photos, site, view, a, b)
    if cmp.before is None or cmp.after is None:
        raise S.NotFound(f"no {view} photo of {site} for patient {patient_id}", patient_id=patient_id)
    lang = language(request, user)
    patient = S.get_patient(db, user, patient_id, "photo comparison pdf")
    ctx = PE.comparison_context(
        patient.name,
        site,
        view,
        (cmp.before, cmp.after),
        P.exportable_photos(db, patient_id),
        request.app.state.settings.photo_dir,
        lang,
    )
    return Response(
        PE.comparison_pdf(ctx),
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="photos-{patient_id}-{site}-{view}.pdf"'},
    )
