"""A patient's data export: one ZIP with the record as a FHIR Bundle and the photos as image files.

``GET /api/patients/{id}/export.zip`` is for the clinician or the patient themself (a patient only their own;
the read is audited). The photos are in it, in the Bundle as ``Media`` and as files under ``photos/``, only
while the patient's photo consent lets photos leave the record (``exports``); otherwise the archive has none
and its ``README.txt`` says why.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi import Path as PathParam

from needling.clinic import services as S
from needling.clinic.api_schema import MAX_ID, responses
from needling.clinic.deps import CurrentUser, DbSession
from needling.clinic.fhir import bundle
from needling.clinic.i18n import language
from needling.clinic.models import Photo
from needling.clinic.photo_export import fhir_media
from needling.clinic.photo_service import blob_path, exportable_photos
from needling.i18n import N_, translate, translate_plural

router = APIRouter(prefix="/api")

PatientId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="A patient's id")]
ZIP = {200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png"}
#: The archive's README, in the reader's language: what it holds (file names and formats stay as they are).
README_TITLE = N_("The record of patient %(pid)s, exported on request.")
README_RECORD = N_("the record in the FHIR R4B standard, as a Bundle of %(types)s")
README_NO_PHOTOS = N_("No photos: the patient has not agreed to photos leaving the record.")


def readme(pid: int, photos: int, lang: str) -> str:
    """The README of a patient's export in ``lang``: the record file, and the photos or why there are none."""
    types = "Patient, Procedure, Device, Observation, CarePlan" + (", Media" if photos else "")
    named = translate_plural(
        lang, "%(num)d photo, named date-region-view-id", "%(num)d photos, named date-region-view-id", photos
    )
    lines = [
        translate(lang, README_TITLE, pid=pid),
        "",
        f"record.fhir.json  {translate(lang, README_RECORD, types=types)}",
        f"photos/           {named}" if photos else translate(lang, README_NO_PHOTOS),
    ]
    return "\n".join(lines) + "\n"


def export_zip(record: dict[str, Any], photos: list[Photo], photo_dir: Path, lang: str = "en") -> bytes:
    """The ZIP of ``record`` (from ``services.patient_record``) with ``photos`` (only those that may leave it),
    its README and the record's regions and views in words in ``lang``."""
    pid = record["patient"].id
    record = {**record, "media": fhir_media(photos, photo_dir, f"p{pid}", lang)}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        names = []
        for ph in photos:
            path = blob_path(photo_dir, ph.sha256)
            if path.is_file():
                name = f"photos/{ph.taken.isoformat()}-{ph.site}-{ph.view}-{ph.id}.{EXTENSIONS[ph.content_type]}"
                z.writestr(name, path.read_bytes())
                names.append(name)
        z.writestr("record.fhir.json", json.dumps(bundle(record, lang), indent=1, ensure_ascii=False))
        z.writestr("README.txt", readme(pid, len(photos), lang))
    return buf.getvalue()


@router.get("/patients/{patient_id}/export.zip", response_class=Response, responses={**ZIP, **responses()})
def data_export(patient_id: PatientId, request: Request, user: CurrentUser, db: DbSession) -> Response:
    """The patient's data as a ZIP: the FHIR record, and the photos only under their consent to exports."""
    record = S.patient_record(db, user, patient_id, "data export")
    photo_dir = request.app.state.settings.photo_dir
    body = export_zip(record, exportable_photos(db, patient_id), photo_dir, language(request, user))
    return Response(
        body,
        media_type="application/zip",
        headers={"content-disposition": f'attachment; filename="patient-{patient_id}-export.zip"'},
    )
