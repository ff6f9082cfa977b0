"""Pages for one's own account (change the password) and, for admins, the users (deactivate)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request

from needling.clinic import accounts as A
from needling.clinic import services as S
from needling.clinic.client import client_address
from needling.clinic.deps import DbSession, OptionalUser, check_form_csrf
from needling.clinic.login import LoginRefusedError, check_password_for_change
from needling.clinic.models import User
from needling.clinic.pages import go, need_login, render
from needling.clinic.passwords import PasswordRefusedError
from needling.clinic.roles import Role
from needling.errors import InputError
from needling.i18n import N_

router = APIRouter(include_in_schema=False)


@router.get("/account")
def account(request: Request, user: OptionalUser, db: DbSession):
    if (r := need_login(user)) is not None:
        return r
    from needling.clinic.appointments_pages import account_with_feed  # the page with the calendar feed section

    return account_with_feed(request, user, db)


@router.post("/account/password")
def change_password(
    request: Request,
    user: OptionalUser,
    db: DbSession,
    csrf_token: str = Form(""),
    old_password: str = Form(""),
    new_password: str = Form(""),
    new_password_again: str = Form(""),
):
    """Change one's password (the current one required); every other session of the user ends."""
    if (r := need_login(user)) is not None:
        return r
    check_form_csrf(request, csrf_token)
    settings = request.app.state.settings
    try:
        if not check_password_for_change(db, settings, user, old_password, client_address(request)):
            return go("/account", N_("The current password is wrong."), "error")
    except LoginRefusedError as exc:
        return go("/account", exc.code, "error")
    if new_password != new_password_again:
        return go("/account", N_("The two new passwords differ."), "error")
    me = db.get(User, user.id)
    try:
        ended = A.set_password(db, me, me, new_password, keep=request.state.session["sid"])
    except PasswordRefusedError as exc:
        db.rollback()
        return go("/account", exc.code, "error")
    return go("/account", N_("Password changed; %(count)s other session(s) ended."), count=ended)


@router.get("/users")
def users(request: Request, user: OptionalUser, db: DbSession):
    if (r := need_login(user)) is not None:
        return r
    S.require_role(user, Role.ADMIN)
    return render(request, "users.html", user, users=A.list_users(db), title=N_("Users"))


@router.post("/users/{user_id}/deactivate")
def deactivate(
    user_id: int,
    request: Request,
    user: OptionalUser,
    db: DbSession,
    csrf_token: str = Form(""),
):
    """Deactivate a user (admins only): they cannot log in, and their sessions end now."""
    if (r := need_login(user)) is not None:
        return r
    check_form_csrf(request, csrf_token)
    S.require_role(user, Role.ADMIN)
    target = db.get(User, user_id) if 0 < user_id < 2**31 else None
    if target is None:
        raise S.NotFound("user not found")
    try:
        ended = A.deactivate(db, user, target)
    except InputError:
        db.rollback()
        return go("/users", N_("You cannot deactivate your own account; ask another admin."), "error")
    return go("/users", N_("%(name)s is deactivated; %(count)s session(s) ended."), name=target.name, count=ended)
