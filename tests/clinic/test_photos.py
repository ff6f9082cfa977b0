"""Uploads are images only: decoded and re-encoded (no metadata, no payloads), bounded in bytes and pixels."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import func, select

from needling.clinic.models import Photo
from needling.clinic.photos import clean_image
from needling.errors import InputError
from tests.clinic.conftest import login, png_bytes

TODAY = date.today().isoformat()
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps_and_comment() -> bytes:
    """A 64 x 48 JPEG with GPS coordinates (Stockholm), orientation 6 (rotate 90) and a script in a comment."""
    img = Image.new("RGB", (64, 48), (200, 120, 90))
    img.paste((20, 40, 200), (0, 0, 16, 48))  # a blue band on the left, to see the rotation
    exif = img.getexif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "CameraMaker-SERIAL-123"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (59.0, 19.0, 46.0), 3: "E", 4: (18.0, 4.0, 7.0)})
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif.tobytes(), comment=b"<script>alert(1)</script>", quality=95)
    return buf.getvalue()


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("evil.html", "<script>alert(1)</script>")
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG claiming ``width`` x ``height`` pixels with one tiny compressed row: a decompression bomb's header."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def upload(c, data: bytes, name: str = "photo.png", ctype: str = "image/png"):
    return c.post(
        "/api/patients/1/photos",
        data={"site": "cheek", "view": "front", "label": "before", "taken": TODAY},
        files={"file": (name, data, ctype)},
    )


def stored_bytes(app, digest: str) -> bytes:
    return (app.state.settings.photo_dir / digest[:2] / digest).read_bytes()


def photo_count(app) -> int:
    with app.state.Session() as db:
        return db.scalar(select(func.count()).select_from(Photo))


def test_jpeg_exif_gps_and_comment_are_stripped_and_orientation_kept(app):
    c = login(app, "clinician")
    original = jpeg_with_gps_and_comment()
    assert b"Exif" in original and b"<script>" in original and b"SERIAL-123" in original
    r = upload(c, original, "holiday.jpg", "image/jpeg")
    assert r.status_code == 201, r.text
    assert r.json()["content_type"] == "image/jpeg"
    kept = stored_bytes(app, r.json()["sha256"])
    assert b"Exif" not in kept and b"<script>" not in kept and b"SERIAL-123" not in kept
    img = Image.open(io.BytesIO(kept))
    assert img.format == "JPEG" and not img.getexif() and "comment" not in img.info
    assert img.size == (48, 64)  # orientation 6 applied to the pixels, so the photo still stands upright
    served = c.get(f"/api/photos/{r.json()['id']}")
    assert served.status_code == 200 and served.content == kept
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"


def test_png_with_an_appended_zip_is_stored_without_it(app):
    c = login(app, "clinician")
    picture = png_bytes("green")
    polyglot = picture + zip_bytes()
    assert zipfile.is_zipfile(io.BytesIO(polyglot))
    r = upload(c, polyglot)
    assert r.status_code == 201, r.text
    kept = stored_bytes(app, r.json()["sha256"])
    assert not zipfile.is_zipfile(io.BytesIO(kept)) and b"PK\x03\x04" not in kept and b"evil.html" not in kept
    assert Image.open(io.BytesIO(kept)).tobytes() == Image.open(io.BytesIO(picture)).tobytes()
    assert c.get(f"/api/photos/{r.json()['id']}").headers["content-type"] == "image/png"


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"<html><body><script>alert(document.cookie)</script></body></html>", "PNG or JPEG"),
        (b"GIF89a/*<svg onload=alert(1)>*/=1;", "PNG or JPEG"),
        (png_header_only(100_000, 100_000), "megapixels"),
        (png_header_only(8_000, 8_000), "megapixels"),  # 64 MP: under Pillow's own limit, over the clinic's
        (png_bytes("blue")[:200], "not a readable"),  # truncated
    ],
    ids=["html-named-png", "gif-script-polyglot", "bomb-10-gigapixels", "64-megapixels", "truncated"],
)
def test_what_is_not_a_sound_image_is_refused_and_nothing_is_stored(app, data, needle):
    c = login(app, "clinician")
    before = photo_count(app)
    r = upload(c, data, "photo.png", "image/png")
    assert r.status_code == 422, r.text
    detail = r.json()["detail"][0]
    assert detail["loc"][-1] == "photo" and needle in detail["msg"], detail
    assert photo_count(app) == before
    photo_dir = app.state.settings.photo_dir
    assert not photo_dir.exists() or not any(p.is_file() for p in photo_dir.rglob("*"))


def test_the_pixel_limit_is_checked_before_decoding():
    """A 10-gigapixel header is refused at once; a small image passes and keeps its pixels."""
    with pytest.raises(InputError, match="megapixels"):
        clean_image(png_header_only(100_000, 100_000))
    with pytest.raises(InputError, match=r"at most 0\.0001 megapixels"):
        clean_image(png_bytes("red"), max_pixels=100)
    out = clean_image(png_bytes("red"))
    assert out.content_type == "image/png" and out.width == 100 and out.height == 100


def test_a_truncated_photo_is_refused_after_a_pdf_was_made():
    """Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES; making a PDF must not
    let a truncated photo through afterwards (the suite found it accepted when the consent tests ran first)."""
    from needling.clinic.pdf import html_to_pdf

    assert html_to_pdf("<p>x</p>").startswith(b"%PDF")
    with pytest.raises(InputError, match="not a readable"):
        clean_image(png_bytes("blue")[:200])
