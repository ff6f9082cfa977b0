"""Photos in exports, only under the patient's ``exports`` photo consent: FHIR ``Media`` and the comparison PDF.

Whoever builds an export asks :func:`needling.clinic.photo_service.exportable_photos` for the photos it may
carry; without an ``exports`` consent in force that list is empty, so the export has no photo in it.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from fhir.resources.R4B.media import Media

from needling.clinic.fhir import body_site
from needling.clinic.fhir_words import PHOTO_LABEL
from needling.clinic.models import Photo
from needling.clinic.photo_service import blob_path
from needling.clinic.photo_views import LABELS, VIEWS
from needling.i18n import install, table_date, translate
from needling.report.labels import site_words


def view_words(view: str, lang: str) -> str:
    """A photo's standard view in words in ``lang`` ("right profile" / "höger profil"), never its key."""
    return translate(lang, VIEWS[view]) if view in VIEWS else view.replace("-", " ")


#: Media.type of a photo (HL7 terminology, media-type code system).
MEDIA_TYPE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/media-type", "code": "image"}]}


def fhir_media(photos: list[Photo], photo_dir: Path, patient_ref: str, lang: str = "en") -> list[Media]:
    """FHIR R4B ``Media`` resources for ``photos``, each carrying the image (base64) with its SHA-1 and size.

    Parameters
    ----------
    photos : list of Photo
        Photos the export may carry (:func:`~needling.clinic.photo_service.exportable_photos`).
    photo_dir : Path
        The photo store.
    patient_ref : str
        The Bundle's id of the patient (``p12``).
    lang : str, optional
        The language of the region, the view, the label and the date in words (``bodySite``, ``view``, ``note``,
        the image's title).

    Returns
    -------
    list of Media
        One per photo whose file is in the store.
    """
    out = []
    for ph in photos:
        path = blob_path(photo_dir, ph.sha256)
        if not path.is_file():
            continue
        data = path.read_bytes()
        out.append(
            Media(
                id=f"photo{ph.id}",
                status="completed",
                type=MEDIA_TYPE,
                subject={"reference": f"Patient/{patient_ref}"},
                createdDateTime=ph.taken.isoformat(),
                bodySite=body_site(ph.site, lang),
                view={"text": view_words(ph.view, lang)},
                note=[{"text": translate(lang, PHOTO_LABEL, label=translate(lang, LABELS.get(ph.label, ph.label)))}],
                content={
                    "contentType": ph.content_type,
                    "data": base64.b64encode(data).decode("ascii"),
                    "size": len(data),
                    "hash": base64.b64encode(hashlib.sha1(data, usedforsecurity=False).digest()).decode("ascii"),
                    "title": f"{site_words(ph.site, lang)}, {view_words(ph.view, lang)}, {table_date(ph.taken, lang)}",
                },
            )
        )
    return out


def data_url(photo: Photo, photo_dir: Path) -> str | None:
    """The photo as a ``data:`` URL for a self-contained document (None if its file is missing)."""
    path = blob_path(photo_dir, photo.sha256)
    if not path.is_file():
        return None
    return f"data:{photo.content_type};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def comparison_context(
    patient_name: str,
    site: str,
    view: str,
    pair: tuple[Photo, Photo],
    exportable: list[Photo],
    photo_dir: Path,
    lang: str,
) -> dict[str, Any]:
    """What the comparison PDF template needs: the two photos as data URLs, each only if it may be exported."""
    allowed = {ph.id for ph in exportable}
    shown: list[dict[str, Any]] = []
    for ph in pair:
        shown.append(
            {
                "taken": ph.taken,
                "label": ph.label,
                "src": data_url(ph, photo_dir) if ph.id in allowed else None,
            }
        )
    return {
        "patient_name": patient_name,
        "site": site_words(site, lang),
        "view": view_words(view, lang),
        "photos": shown,
        "left_out": any(p["src"] is None for p in shown),
        "lang": lang,
        "made": date.today(),
    }


def comparison_pdf(context: dict[str, Any]) -> bytes:
    """The comparison of two photos as PDF (``templates/photo_compare_pdf.html``); a photo that may not be
    exported is left out and the PDF says so."""
    from needling.clinic.pdf import TEMPLATES, html_to_pdf  # WeasyPrint only when a PDF is asked for

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    install(env)
    return html_to_pdf(env.get_template("photo_compare_pdf.html").render(**context))
