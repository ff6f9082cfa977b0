"""Request dependencies: database session, current user, CSRF.

Routes name them through the ``Annotated`` aliases at the end of this module (``db: DbSession``,
``user: CurrentUser``), so a route's signature says what it needs and FastAPI resolves it.

The API's aliases answer 401 without a log-in; the pages' aliases (``PageUser``, ``PageStaff``, ``PageAdmin``
and, for a form that carries ``csrf_token``, ``FormUser``, ``FormStaff``, ``FormAdmin``) send the browser to
the log-in page instead (:class:`LogInRequiredError`), check the form's CSRF token next, and then the role: a refused
role is the styled 403 page, audited. So each page states its check once, in its signature.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from needling.clinic import login_sessions as LS
from needling.clinic import services as S
from needling.clinic.client import client_address
from needling.clinic.models import User
from needling.clinic.roles import STAFF, Role
from needling.clinic.security import COOKIE

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


async def get_db(request: Request) -> AsyncIterator[Session]:
    """A session per request; rolled back unless the handler committed (no half-written records).

    Opening the session does no input/output (it connects on its first statement), so it happens on the event
    loop; only its end (rollback and close, which talk to the database) goes to the thread pool: one trip there
    and back per request instead of two. A request that committed and read nothing after (every recording) holds
    no connection any more: its session closes on the loop, with no trip at all.
    """
    db = request.app.state.Session()
    db.info["client"] = client_address(request)  # every audit entry of this request names it
    failed = False
    try:
        yield db
    except Exception:
        failed = True
        raise
    finally:
        if failed or db.in_transaction():
            await run_in_threadpool(_end, db, failed)
        else:
            db.close()  # no transaction, so no connection: nothing to roll back, nothing to say to the database


def _end(db: Session, failed: bool) -> None:
    """Roll ``db`` back if its request failed, and close it (its connection goes back to the pool)."""
    try:
        if failed:
            db.rollback()
    finally:
        db.close()


def session_data(request: Request) -> dict | None:
    return request.app.state.sessions.read(request.cookies.get(COOKIE))


def optional_user(request: Request, db: Session = Depends(get_db)) -> User | None:
    """The user of the request's server-side session, if it is live (not logged out, idle or too old)."""
    return live_user(request, db)


def live_user(request: Request, db: Session) -> User | None:
    """:func:`optional_user` called directly: the user of the request's live log-in, or None (it reads the
    database, so it runs in the thread pool)."""
    data = getattr(request.state, "session", None) or session_data(request)
    if not data:
        return None
    user, wrote = LS.live_user(db, request.app.state.settings, data["sid"])
    if wrote:  # the session's last use, or its deletion if it timed out, stands on its own
        db.commit()
    if user is None or not user.active:
        return None
    request.state.session = data
    request.state.user_id = user.id  # for auditing a refusal after this request's session is closed
    return user


async def current_user(request: Request, user: User | None = Depends(optional_user)) -> User:
    """The logged-in user; 401 otherwise. Unsafe API methods must carry the session's CSRF token.

    It reads nothing from the database (``optional_user`` did), so it runs on the event loop: every API request
    makes one trip fewer to the thread pool and back."""
    if user is None:
        raise HTTPException(status_code=401, detail="log in first")
    _require_csrf(request, request.state.session)
    return user


def _require_csrf(request: Request, data: dict) -> None:
    """An unsafe API request must carry its log-in's CSRF token in ``X-CSRF-Token``; 403 otherwise."""
    unsafe = request.method in UNSAFE and request.url.path.startswith("/api/")
    if unsafe and not request.app.state.sessions.check_csrf(data, request.headers.get("x-csrf-token")):
        raise HTTPException(status_code=403, detail="missing or wrong X-CSRF-Token header")


async def logged_in(request: Request) -> None:
    """The checks of :func:`current_user` that need no database, on the event loop: a signed log-in cookie (401
    otherwise) and, for an unsafe API request, its CSRF token (403 otherwise).

    For an endpoint that reads its user with :func:`request_user` in the same trip to the thread pool as its own
    work (one trip instead of two). A cookie whose server-side session has ended passes here and gets its 401
    there, after the body's validation (a 422 for a bad body comes first then).
    """
    data = session_data(request)
    if not data:
        raise HTTPException(status_code=401, detail="log in first")
    _require_csrf(request, data)
    request.state.session = data


def request_user(request: Request, db: Session) -> User:
    """The live log-in's user after :func:`logged_in` (as :data:`CurrentUser` gives it); 401 otherwise."""
    user = live_user(request, db)
    if user is None:
        raise HTTPException(status_code=401, detail="log in first")
    return user


def csrf_token(request: Request) -> str:
    data = getattr(request.state, "session", None) or session_data(request)
    return request.app.state.sessions.csrf_token(data) if data else ""


def check_form_csrf(request: Request, token: str | None) -> None:
    data = getattr(request.state, "session", None) or session_data(request)
    if not data or not request.app.state.sessions.check_csrf(data, token):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token; reload the page")


class LogInRequiredError(Exception):
    """A page asked for without a live log-in: the app answers with a redirect (303) to the log-in page."""


def page_user(user: User | None = Depends(optional_user)) -> User:
    """The logged-in user of a page; :class:`LogInRequiredError` (a redirect to ``/login``) otherwise."""
    if user is None:
        raise LogInRequiredError
    return user


def page_staff(user: User = Depends(page_user)) -> User:
    """The logged-in admin or clinician of a page; the styled 403 page (audited) for a patient."""
    S.require_role(user, *STAFF)
    return user


def page_admin(user: User = Depends(page_user)) -> User:
    """The logged-in admin of a page; the styled 403 page (audited) otherwise."""
    S.require_role(user, Role.ADMIN)
    return user


def form_user(request: Request, user: User = Depends(page_user), csrf_token: str = Form("")) -> User:
    """The logged-in user of a posted page form whose ``csrf_token`` field matches the session's; 403 otherwise."""
    check_form_csrf(request, csrf_token)
    return user


def form_staff(user: User = Depends(form_user)) -> User:
    """A posted form's admin or clinician (log-in, then CSRF token, then role)."""
    S.require_role(user, *STAFF)
    return user


def form_admin(user: User = Depends(form_user)) -> User:
    """A posted form's admin (log-in, then CSRF token, then role)."""
    S.require_role(user, Role.ADMIN)
    return user


def staff_user(user: User = Depends(current_user)) -> User:
    """The logged-in user if an admin or a clinician; 403 (audited) otherwise."""
    S.require_role(user, *STAFF)
    return user


def admin_user(user: User = Depends(current_user)) -> User:
    """The logged-in user if an admin; 403 (audited) otherwise."""
    S.require_role(user, Role.ADMIN)
    return user


DbSession = Annotated[Session, Depends(get_db)]
"""The request's database session (see :func:`get_db`)."""
OptionalUser = Annotated[User | None, Depends(optional_user)]
"""The logged-in user or None: pages use it to send a visitor to the log-in page."""
CurrentUser = Annotated[User, Depends(current_user)]
"""The logged-in user; 401 otherwise, 403 for an unsafe API request without the CSRF header."""
LoggedIn = Annotated[None, Depends(logged_in)]
"""A signed log-in cookie and, on unsafe API requests, its CSRF token, checked on the event loop; the endpoint
reads its user with :func:`request_user` in its own trip to the thread pool."""
ClinicianUser = Annotated[User, Depends(staff_user)]
"""A logged-in admin or clinician; 403 otherwise."""
AdminUser = Annotated[User, Depends(admin_user)]
"""A logged-in admin; 403 otherwise."""
PageUser = Annotated[User, Depends(page_user)]
"""A page's logged-in user; a visitor is sent to the log-in page."""
PageStaff = Annotated[User, Depends(page_staff)]
"""A page's logged-in admin or clinician; a visitor is sent to log in, a patient gets the styled 403 page."""
PageAdmin = Annotated[User, Depends(page_admin)]
"""A page's logged-in admin; a visitor is sent to log in, anyone else gets the styled 403 page."""
FormUser = Annotated[User, Depends(form_user)]
"""A posted form's logged-in user, its ``csrf_token`` field checked (403 page when wrong)."""
FormStaff = Annotated[User, Depends(form_staff)]
"""A posted form's admin or clinician: log-in, CSRF token, then role."""
FormAdmin = Annotated[User, Depends(form_admin)]
"""A posted form's admin: log-in, CSRF token, then role."""
