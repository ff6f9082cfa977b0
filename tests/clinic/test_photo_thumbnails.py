"""Thumbnails over random photos (hypothesis): always a JPEG, never larger than the photo nor than 320 pixels on
its longest side, with the photo's proportions (within the one-pixel rounding of a resize)."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from needling.clinic.photos import THUMBNAIL_PX, clean_image, thumbnail

MODES = ("RGB", "RGBA", "L", "LA", "P", "I;16")


def encoded(mode: str, width: int, height: int, fmt: str) -> bytes:
    img = Image.new(mode, (width, height))
    buf = io.BytesIO()
    if fmt == "JPEG":
        img.convert("RGB" if mode not in ("L",) else "L").save(buf, format="JPEG")
    else:
        img.save(buf, format="PNG")
    return buf.getvalue()


@settings(max_examples=60, deadline=None)
@given(
    mode=st.sampled_from(MODES),
    width=st.integers(1, 1600),
    height=st.integers(1, 1600),
    fmt=st.sampled_from(("PNG", "JPEG")),
)
def test_thumbnail_is_a_bounded_jpeg_with_the_photos_proportions(mode, width, height, fmt):
    photo = clean_image(encoded(mode, width, height, fmt))
    thumb = thumbnail(photo)
    assert thumb.content_type == "image/jpeg"
    with Image.open(io.BytesIO(thumb.data)) as im:
        assert im.format == "JPEG" and im.size == (thumb.width, thumb.height)
    assert 1 <= thumb.width <= min(photo.width, THUMBNAIL_PX)
    assert 1 <= thumb.height <= min(photo.height, THUMBNAIL_PX)
    assert max(thumb.width, thumb.height) == min(max(photo.width, photo.height), THUMBNAIL_PX)
    # proportions: each side within a pixel of the exact scaled side
    scale = thumb.width / photo.width if photo.width >= photo.height else thumb.height / photo.height
    assert abs(thumb.width - photo.width * scale) <= 1 and abs(thumb.height - photo.height * scale) <= 1
