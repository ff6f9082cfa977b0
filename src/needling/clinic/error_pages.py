"""Styled error pages for people using the browser; the API and its documentation keep their JSON answers."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from needling.clinic import login_sessions as LS
from needling.clinic.deps import session_data
from needling.clinic.i18n import language
from needling.clinic.models import User
from needling.clinic.pages import render
from needling.i18n import N_, reason, translate

JSON_PREFIXES = ("/api/", "/static/", "/docs", "/openapi.json")
#: Heading and text of each error page (0: any other status), marked for translation.
ERROR_TEXTS: dict[int, tuple[str, str]] = {
    401: (N_("Please log in"), N_("This page needs you to be logged in.")),
    403: (
        N_("Not allowed"),
        N_("Your role may not open this page or do this. If you think it should, ask the clinic's administrator."),
    ),
    404: (N_("Not found"), N_("There is no such page or record, or it is not yours to see.")),
    405: (N_("Not found"), N_("This page cannot be opened that way. Start again from the start page.")),
    422: (
        N_("Please check what you typed"),
        N_("Something in the form is not valid. Go back, correct it and send it again."),
    ),
    429: (N_("Too many attempts"), N_("Wait a few minutes and try again.")),
    0: (N_("Something went wrong"), N_("The request could not be completed.")),
}
PAGE_STATUSES = tuple(code for code in ERROR_TEXTS if code)


def wants_page(request: Request) -> bool:
    """True for the browser's pages, False for the API, its documentation and static files."""
    return not request.url.path.startswith(JSON_PREFIXES)


def _user(request: Request) -> User | None:
    """The logged-in user for the page's header, if any (never an error of its own)."""
    data = getattr(request.state, "session", None) or session_data(request)
    if not data:
        return None
    with request.app.state.Session() as db:
        row = LS.lookup(db, request.app.state.settings, data["sid"])  # a live server-side session only
        user = db.get(User, row.user_id) if row is not None else None
        db.commit()
        return user if user is not None and user.active else None


def shown_detail(detail: str, refusal: Exception | None, lang: str) -> str:
    """The reason a page shows: the refusal's own words in ``lang`` when it has a msgid; otherwise the English
    ``detail`` to an English reader and nothing to others (the page's translated text says what happened)."""
    if refusal is not None and getattr(refusal, "msgid", ""):
        return reason(refusal, lang)
    return detail if lang == "en" else ""


def error_page(
    request: Request, status: int, detail: str = "", refusal: Exception | None = None, errors: list[str] | None = None
) -> HTMLResponse:
    """The page for an HTTP error ``status`` in the reader's language, with the reason and a way back.

    Parameters
    ----------
    status : int
        401, 403, 404, 405, 422 or 429 (other codes get the generic text).
    detail : str
        The service's one-line reason, in English: shown to English readers; a reader of another language sees the
        page's own translated text only, unless ``refusal`` words the reason for them.
    refusal : Exception, optional
        The refusal behind the page; one with a ``msgid`` is shown translated (:func:`needling.i18n.reason`).
    errors : list of str, optional
        Field errors of a form (422).
    """
    user = _user(request)
    lang = language(request, user)
    code = status if status in PAGE_STATUSES else 0
    return render(
        request,
        "error.html",
        user,
        status=status,
        title=translate(lang, ERROR_TEXTS[code][0]),
        heading=translate(lang, ERROR_TEXTS[code][0]),
        text=translate(lang, ERROR_TEXTS[code][1]),
        detail=shown_detail(detail, refusal, lang),
        errors=errors or [],
    )
