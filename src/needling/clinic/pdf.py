"""HTML to PDF with WeasyPrint: a signed consent (text, signature, hash, version) and a plan.

WeasyPrint lays the page out with Pango and HarfBuzz (Debian: ``libpango-1.0-0``, ``libpangoft2-1.0-0``,
``libharfbuzz-subset0`` and a font such as ``fonts-dejavu-core``, installed by ``make pdf-deps``). Nothing is
fetched while rendering: a URL fetcher that refuses every URL is passed, so a document can only use what is inline
(the signature travels as a ``data:`` URL).
"""

from __future__ import annotations

import base64
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from needling.clinic.consent_text import text_name
from needling.i18n import install

TEMPLATES = Path(__file__).resolve().parent / "templates"


def html_to_pdf(html: str) -> bytes:
    """Render ``html`` (self-contained: inline CSS, images as data URLs) as PDF bytes.

    Only ``data:`` URLs are read; a document naming a file or a web address gets nothing from it.
    """
    import weasyprint  # loads Pango through cffi; only when a PDF is asked for
    from PIL import ImageFile
    from weasyprint.urls import URLFetcher

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, after which a truncated
    # photo upload would decode and be stored; our PDFs embed only images the clinic has already
    # decoded whole, so the strict default is put back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    fetcher = URLFetcher(allowed_protocols=("data",))
    return bytes(weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf())


#: The second line of a version 1 consent text: the template's key ("Template: needling v1", "Mall: prp v1").
_TEMPLATE_LINE = re.compile(r"\n(?:Template|Mall): [a-z-]+ v\d+(?=\n)")


def shown_text(text: str) -> str:
    """A signed consent's text as a person reads it: without a version 1 text's template line.

    Examples
    --------
    >>> shown_text("Samtycke till microneedling\nMall: needling v1\nPatient: A\n")
    'Samtycke till microneedling\nPatient: A\n'
    """
    return _TEMPLATE_LINE.sub("", text, count=1)


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    install(env)
    return env


def consent_pdf(consent: Any, state_name: str, withdrawn_at: datetime | None = None) -> bytes:
    """The signed consent as PDF: its text, the signature (drawn image or typed name), the signer's name,
    date and time, the text's name and version in words, the SHA-256 of the text and the consent's state.

    The text is the one signed, but for the line a version 1 text had under its title, the template's key
    ("Template: needling v1", "Mall: needling v1"): a code, which the PDF names in words in its own row
    ("Samtycke till microneedling, version 1"). The record keeps the signed text byte for byte, and the
    SHA-256 shown is of that text.

    Parameters
    ----------
    consent : Consent
        The stored consent (:class:`needling.clinic.consent_models.Consent`).
    state_name : str
        The consent's state in English words (the msgid), shown in the consent's language.
    withdrawn_at : datetime, optional
        When it was withdrawn (shown in the consent's language, "24 nov. 2026 14:30").
    """
    signature = None
    if consent.signature_png is not None:
        signature = "data:image/png;base64," + base64.b64encode(consent.signature_png).decode("ascii")
    html = (
        _env()
        .get_template("consent_pdf.html")
        .render(
            c=consent,
            text=shown_text(consent.text),
            lang=consent.lang,
            state_name=state_name,
            signature=signature,
            withdrawn_at=withdrawn_at,
            text_name=text_name(consent.version, consent.lang),
        )
    )
    return html_to_pdf(html)
