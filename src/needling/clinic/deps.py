"""Request dependencies: database session, current user, CSRF.

Routes name them through the ``Annotated`` aliases at the end of this module (``db: DbSession``,
``user: CurrentUser``), so a route's signature says what it needs and FastAPI resolves it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from needling.clinic import login_sessions as LS
from needling.clinic import services as S
from needling.clinic.client import client_address
from needling.clinic.models import User
from needling.clinic.roles import STAFF, Role
from needling.clinic.security import COOKIE

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def get_db(request: Request) -> Iterator[Session]:
    """A session per request; rolled back unless the handler committed (no half-written records)."""
    db = request.app.state.Session()
    db.info["client"] = client_address(request)  # every audit entry of this request names it
    try:
        yield db
    except Exception:
        db.rollback()
        raise
    finally:
        db.close()


def session_data(request: Request) -> dict | None:
    return request.app.state.sessions.read(request.cookies.get(COOKIE))


def optional_user(request: Request, db: Session = Depends(get_db)) -> User | None:
    """The user of the request's server-side session, if it is live (not logged out, idle or too old)."""
    data = session_data(request)
    if not data:
        return None
    row = LS.lookup(db, request.app.state.settings, data["sid"])
    user = db.get(User, row.user_id) if row is not None else None
    db.commit()  # the session's last use, or its deletion if it timed out
    if user is None or not user.active:
        return None
    request.state.session = data
    request.state.user_id = user.id  # for auditing a refusal after this request's session is closed
    return user


def current_user(request: Request, user: User | None = Depends(optional_user)) -> User:
    """The logged-in user; 401 otherwise. Unsafe API methods must carry the session's CSRF token."""
    if user is None:
        raise HTTPException(status_code=401, detail="log in first")
    if request.method in UNSAFE and request.url.path.startswith("/api/"):
        token = request.headers.get("x-csrf-token")
        if not request.app.state.sessions.check_csrf(request.state.session, token):
            raise HTTPException(status_code=403, detail="missing or wrong X-CSRF-Token header")
    return user


def csrf_token(request: Request) -> str:
    data = getattr(request.state, "session", None) or session_data(request)
    return request.app.state.sessions.csrf_token(data) if data else ""


def check_form_csrf(request: Request, token: str | None) -> None:
    data = getattr(request.state, "session", None) or session_data(request)
    if not data or not request.app.state.sessions.check_csrf(data, token):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token; reload the page")


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
ClinicianUser = Annotated[User, Depends(staff_user)]
"""A logged-in admin or clinician; 403 otherwise."""
AdminUser = Annotated[User, Depends(admin_user)]
"""A logged-in admin; 403 otherwise."""
