"""Photos as images only: decoded and re-encoded with Pillow before anything is stored.

What a client uploads is never stored as sent. It must decode as a PNG or JPEG whose pixel count is
checked from the header before the pixels are decoded (a decompression bomb is refused without being
expanded); the stored file is a fresh encoding of the decoded pixels, so EXIF and other metadata (GPS
position, camera serial, comments), appended payloads (a ZIP after the image) and polyglot tricks do
not survive. Orientation from EXIF is applied to the pixels first, and colours in an embedded ICC
profile are converted to sRGB, so the photo looks as it did.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from needling.errors import N_, InputError

#: Formats accepted, and the content type each is stored and served with.
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
#: Default pixel limit: 50 megapixels covers phone cameras up to 48 MP (8064 x 6048); an RGB decode is 150 MB.
DEFAULT_MAX_PIXELS = 50_000_000
JPEG_QUALITY = 92
TOO_MANY_PIXELS = N_("The photo has more than %(high)s megapixels. Choose a smaller photo.")
#: Longest side of a thumbnail in pixels: sharp in a gallery tile on a 2x phone screen (160 CSS pixels).
THUMBNAIL_PX = 320
THUMBNAIL_QUALITY = 80


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded photo.

    Attributes
    ----------
    data : bytes
        The new encoding (no metadata).
    content_type : str
        ``image/png`` or ``image/jpeg``.
    width, height : int
        Size in pixels, after EXIF orientation.
    """

    data: bytes
    content_type: str
    width: int
    height: int


def _to_srgb(img: Image.Image) -> Image.Image:
    """Convert colours from an embedded ICC profile to sRGB; without a usable profile, keep the pixels."""
    icc = img.info.get("icc_profile")
    if not icc or img.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return img
    try:
        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        out_mode = "RGBA" if img.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(img, src, ImageCms.createProfile("sRGB"), outputMode=out_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return img


def clean_image(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> CleanImage:
    """Decode ``data`` as a PNG or JPEG and re-encode it without metadata or trailing bytes.

    Parameters
    ----------
    data : bytes
        What the client sent.
    max_pixels : int
        Largest width x height accepted, checked before decoding.

    Raises
    ------
    InputError
        (field ``photo``) when it is not a PNG or JPEG image, is damaged, or has too many pixels.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=tuple(CONTENT_TYPES))
            fmt = img.format
            width, height = img.size
            if width * height > max_pixels:
                raise InputError(
                    f"photo is {width} x {height} pixels; valid: at most {max_pixels / 1e6:g} megapixels",
                    field="photo",
                    msgid=TOO_MANY_PIXELS,
                    params={"high": max_pixels / 1e6},
                )
            img.load()
    except InputError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        if isinstance(exc, UnidentifiedImageError):
            raise InputError(
                "photo must be a PNG or JPEG image",
                field="photo",
                msgid=N_("The file is not a PNG or JPEG photo. Choose a PNG or JPEG photo."),
            ) from None
        raise InputError(
            f"photo has too many pixels; valid: at most {max_pixels / 1e6:g} megapixels",
            field="photo",
            msgid=TOO_MANY_PIXELS,
            params={"high": max_pixels / 1e6},
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise InputError(
            f"photo is not a readable PNG or JPEG image ({exc})",
            field="photo",
            msgid=N_("The photo cannot be read. Choose another PNG or JPEG photo."),
        ) from None
    img = ImageOps.exif_transpose(img) or img
    img = _to_srgb(img)
    img.info = {}  # nothing of the upload's metadata (EXIF, ICC, text chunks, comments) is written back
    out = io.BytesIO()
    if fmt == "JPEG":
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        img.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        if img.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
            img = img.convert("RGBA")
        img.save(out, format="PNG", optimize=False)
    return CleanImage(out.getvalue(), CONTENT_TYPES[fmt], img.width, img.height)


def thumbnail(photo: CleanImage) -> CleanImage:
    """A JPEG thumbnail of an already cleaned photo, its longest side at most :data:`THUMBNAIL_PX` pixels.

    Made once, on upload, and stored like the photo under the SHA-256 of its bytes. Transparency is laid on
    white (JPEG has none); a photo smaller than a thumbnail keeps its size.

    Parameters
    ----------
    photo : CleanImage
        The photo as :func:`clean_image` stored it.

    Returns
    -------
    CleanImage
        The thumbnail (``image/jpeg``).
    """
    with Image.open(io.BytesIO(photo.data)) as img:
        img.load()
        img.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX), Image.Resampling.LANCZOS)
        if img.mode in ("RGBA", "LA", "P", "PA") or "transparency" in img.info:
            rgba = img.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            img = flat
        elif img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        out = io.BytesIO()
        img.save(out, format="JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
        return CleanImage(out.getvalue(), "image/jpeg", img.width, img.height)
