"""Photos of a patient: storing one with its view and thumbnail, the photo consent, comparisons, exports.

Every operation is audited and is one transaction (:func:`~needling.clinic.transactions.operation`).

The photo consent is the patient's choice as the clinic recorded it (:class:`~needling.clinic.models.PhotoConsent`):
``record`` lets the clinic keep photos in the record for care; ``exports`` also lets them leave it (the FHIR
export, PDFs, data exports, teaching); ``none`` is a refusal or a withdrawal. Without a consent of at least
``record`` no photo is stored (when the clinic requires consent, ``NEEDLING_REQUIRE_CONSENT``); without
``exports`` no photo goes into an export, whatever the setting (:func:`exportable_photos`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from needling.anatomy import site_names
from needling.clinic.models import Photo, PhotoConsent, User
from needling.clinic.photo_views import check_view
from needling.clinic.photos import DEFAULT_MAX_PIXELS, CleanImage, clean_image, thumbnail
from needling.clinic.roles import STAFF, Role
from needling.clinic.services import (
    Forbidden,
    NotFound,
    audit,
    get_patient,
    get_photo,
    not_in_future,
    now,
    require_role,
)
from needling.clinic.settings import Settings, private_dir
from needling.clinic.transactions import operation
from needling.errors import InputError, check_text, unknown_name_error
from needling.i18n import N_

LABELS = ("before", "after", "follow-up")
#: The choices of the photo consent, with the words shown for each (translated where shown).
SCOPES: dict[str, str] = {
    "none": N_("No photos"),
    "record": N_("Photos in the record only, for my care"),
    "exports": N_("Photos in the record, and they may leave it: exports, PDFs, teaching"),
}
#: The refusal a page shows for a choice outside :data:`SCOPES`.
CHOOSE_SCOPE = N_("Choose one of the photo choices.")
CHOOSE_AREA = N_("Choose an area from the list.")
#: Scopes under which photos may be taken and kept.
STORE_SCOPES = ("record", "exports")


def blob_path(photo_dir: Path, digest: str) -> Path:
    """Where the file with SHA-256 ``digest`` lives in the photo store (``ab/abcdef...``)."""
    return photo_dir / digest[:2] / digest


def write_blob(photo_dir: Path, data: bytes) -> str:
    """Store ``data`` under its SHA-256 (once: the same bytes are one file) and return the digest."""
    digest = hashlib.sha256(data).hexdigest()
    path = blob_path(photo_dir, digest)
    if not path.exists():
        private_dir(path.parent)
        tmp = path.with_suffix(".part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # owner only, like the data folder
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        tmp.replace(path)  # atomic: a reader never sees half a file
    return digest


def current_consent(db: Session, patient_id: int) -> PhotoConsent | None:
    """The photo consent in force for the patient (the newest recorded), or None if none was recorded."""
    return db.scalars(
        select(PhotoConsent)
        .where(PhotoConsent.patient_id == patient_id)
        .order_by(PhotoConsent.recorded_at.desc(), PhotoConsent.id.desc())
        .limit(1)
    ).first()


def scope_of(db: Session, patient_id: int) -> str:
    """The scope in force: ``none`` when nothing was recorded."""
    consent = current_consent(db, patient_id)
    return consent.scope if consent is not None else "none"


@operation
def record_consent(db: Session, actor: User, patient_id: int, scope: str, note: str = "") -> PhotoConsent:
    """Record the patient's photo choice as a new row (a change or withdrawal never rewrites an old one).

    Raises
    ------
    InputError
        (field ``scope``) for a scope other than ``none``, ``record`` or ``exports``.
    """
    require_role(actor, *STAFF)
    return _append_consent(db, actor, patient_id, scope, note)


@operation
def record_own_consent(db: Session, actor: User, scope: str) -> PhotoConsent:
    """The patient records their own photo choice from the portal: a new row, recorded by (and audited as) them.

    Raises
    ------
    Forbidden
        for anyone but a patient with a record (the clinic records a choice with :func:`record_consent`).
    InputError
        (field ``scope``) for a scope other than ``none``, ``record`` or ``exports``.
    """
    require_role(actor, Role.PATIENT)
    if not actor.patient_id:
        raise Forbidden("this account has no patient record", N_("This account has no patient record."))
    return _append_consent(db, actor, actor.patient_id, scope, "")


def _append_consent(db: Session, actor: User, patient_id: int, scope: str, note: str) -> PhotoConsent:
    """Check and append one photo choice, audited with its actor (the rows are never changed)."""
    get_patient(db, actor, patient_id, "photo consent")
    if scope not in SCOPES:
        raise InputError(
            f"photo consent {scope!r}; valid: {', '.join(SCOPES)}",
            field="scope",
            msgid=CHOOSE_SCOPE,
        )
    check_text("note", note, max_length=2000)
    row = PhotoConsent(patient_id=patient_id, scope=scope, note=note, recorded_by_id=actor.id, recorded_at=now())
    db.add(row)
    db.flush()
    audit(db, actor, "write", "photo-consent", row.id, f"patient {patient_id} {scope}", patient_id=patient_id)
    return row


@operation
def consent_history(db: Session, actor: User, patient_id: int) -> list[PhotoConsent]:
    """Every photo choice recorded for the patient, newest first."""
    get_patient(db, actor, patient_id, "photo consent")
    return list(
        db.scalars(
            select(PhotoConsent)
            .where(PhotoConsent.patient_id == patient_id)
            .order_by(PhotoConsent.recorded_at.desc(), PhotoConsent.id.desc())
        )
    )


@operation
def store_photo(
    db: Session,
    actor: User,
    photo_dir: Path,
    patient_id: int,
    site: str,
    view: str,
    data: bytes,
    taken: date,
    label: str,
    max_bytes: int,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    require_consent: bool = True,
) -> Photo:
    """Check the region, view, date, size and consent; decode and re-encode the image; store it and its thumbnail.

    Only the re-encoded image (:func:`needling.clinic.photos.clean_image`) is stored, under the SHA-256 of its
    bytes, with a JPEG thumbnail made once now. Clinicians add photos to any record; a patient adds follow-up
    photos to their own (``get_patient`` refuses any other record).

    Raises
    ------
    InputError
        One line naming what is wrong and what is valid: an unknown region, a view that is not one of the
        region's, a date in the future, an empty or too large file, not a PNG or JPEG image, or (with
        ``require_consent``) no photo consent in force.
    """
    get_patient(db, actor, patient_id)
    if site not in site_names():
        raise unknown_name_error("site", site, site_names(), field="site", msgid=CHOOSE_AREA)
    check_view(site, view)
    if label not in LABELS:
        raise InputError(
            f"label {label!r}; valid: {', '.join(LABELS)}", field="label", msgid=N_("Choose a label from the list.")
        )
    not_in_future(taken, field="taken", name="date taken")
    if len(data) == 0 or len(data) > max_bytes:
        raise InputError(
            f"photo must be 1 byte to {max_bytes // (1024 * 1024)} MB; got {len(data)} bytes",
            field="photo",
            msgid=N_("The photo is larger than %(high)s MB. Choose a smaller photo.")
            if data
            else N_("Choose a photo to upload."),
            params={"high": max_bytes // (1024 * 1024)},
        )
    if require_consent and scope_of(db, patient_id) not in STORE_SCOPES:
        raise InputError(
            "no photo consent in force for this patient; valid: record the patient's choice "
            "(photos in the record, or also in exports) first",
            field="photo_consent",
            msgid=N_("The patient has not allowed photos. Record the patient's choice about photos first."),
        )
    image = clean_image(data, max_pixels)
    digest = write_blob(photo_dir, image.data)
    thumb = write_blob(photo_dir, thumbnail(image).data)
    photo = Photo(
        patient_id=patient_id,
        site=site,
        view=view,
        sha256=digest,
        thumb_sha256=thumb,
        content_type=image.content_type,
        size=len(image.data),
        taken=taken,
        label=label,
    )
    db.add(photo)
    db.flush()
    detail = f"patient {patient_id} {site} {view} {label}"
    audit(db, actor, "write", "photo", photo.id, detail, patient_id=patient_id)
    return photo


def store_upload(
    db: Session,
    actor: User,
    settings: Settings,
    patient_id: int,
    site: str,
    view: str,
    data: bytes,
    taken: date,
    label: str,
) -> Photo:
    """:func:`store_photo` with the clinic's photo store, size and pixel limits and consent rule from ``settings``.

    The API and the photo page both store uploads this way, so the two cannot come to apply different limits.
    """
    return store_photo(
        db,
        actor,
        settings.photo_dir,
        patient_id,
        site,
        view,
        data,
        taken,
        label,
        settings.max_photo_bytes,
        settings.max_photo_pixels,
        require_consent=settings.require_consent,
    )


@operation
def photo_with_thumbnail(db: Session, actor: User, photo_dir: Path, photo_id: int) -> Photo:
    """The photo (read audited), with its thumbnail made now if it was stored before thumbnails were made.

    The thumbnail is made once, from the stored (already cleaned) photo, and kept like one made on upload.
    """
    ph = get_photo(db, actor, photo_id)
    if ph.thumb_sha256 is None:
        path = blob_path(photo_dir, ph.sha256)
        if not path.is_file():
            raise NotFound("photo file not found in the photo store")
        stored = CleanImage(path.read_bytes(), ph.content_type, 0, 0)
        ph.thumb_sha256 = write_blob(photo_dir, thumbnail(stored).data)
        audit(
            db,
            actor,
            "write",
            "photo",
            ph.id,
            "thumbnail made for a photo stored without one",
            patient_id=ph.patient_id,
        )
    return ph


@operation
def patient_photos(db: Session, actor: User, patient_id: int) -> list[Photo]:
    """The patient's photos, oldest first (the read audited)."""
    get_patient(db, actor, patient_id, "photos")
    return list(db.scalars(select(Photo).where(Photo.patient_id == patient_id).order_by(Photo.taken, Photo.id)))


def exportable_photos(db: Session, patient_id: int) -> list[Photo]:
    """The photos that may go into an export (FHIR, PDF, a data export): all of them under an ``exports``
    consent in force, none otherwise. The caller has already checked the reader may see the patient."""
    if scope_of(db, patient_id) != "exports":
        return []
    return list(db.scalars(select(Photo).where(Photo.patient_id == patient_id).order_by(Photo.taken, Photo.id)))


@dataclass(frozen=True)
class Comparison:
    """Two photos of one region and view, from two dates, and the dates there are to choose from.

    Attributes
    ----------
    site, view : str
        The region and the standard view.
    dates : list of date
        Every date with a photo of this region and view, oldest first.
    before, after : Photo or None
        The newest photo of each chosen date (None when the region and view have no photo).
    """

    site: str
    view: str
    dates: list[date]
    before: Photo | None
    after: Photo | None


def compare(
    photos: list[Photo], site: str, view: str, first: date | None = None, second: date | None = None
) -> Comparison:
    """The comparison of ``site`` and ``view`` between two dates (default: the first and the last).

    Raises
    ------
    InputError
        When the region or view is not valid, or a date chosen has no photo of this region and view.
    """
    if site not in site_names():
        raise unknown_name_error("site", site, site_names(), field="site", msgid=CHOOSE_AREA)
    check_view(site, view)
    by_date: dict[date, Photo] = {}
    for ph in photos:  # oldest first: the newest of a day wins
        if ph.site == site and ph.view == view:
            by_date[ph.taken] = ph
    dates = sorted(by_date)
    if not dates:
        return Comparison(site, view, [], None, None)
    first = dates[0] if first is None else first
    second = dates[-1] if second is None else second
    for field, chosen in (("a", first), ("b", second)):
        if chosen not in by_date:
            raise InputError(
                f"no {view} photo of {site} on {chosen.isoformat()}; valid: " + ", ".join(d.isoformat() for d in dates),
                field=field,
                msgid=N_("There is no photo of this area and view on %(date)s. Choose a date from the list."),
                params={"date": chosen},
            )
    return Comparison(site, view, dates, by_date[first], by_date[second])


def photo_of(photos: list[Photo], photo_id: int) -> Photo:
    """The photo with ``photo_id`` among ``photos`` (one patient's), or NotFound."""
    for ph in photos:
        if ph.id == photo_id:
            return ph
    raise NotFound("photo not found")
