"""Pages for one's own account (change the password) and, for admins, the users (deactivate)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request

from needling.clinic import accounts as A
from needling.clinic import services as S
from needling.clinic.client import client_address
from needling.clinic.deps import DbSession, FormAdmin, FormUser, PageAdmin, PageUser
from needling.clinic.login import LoginRefusedError, check_password_for_change
from needling.clinic.models import User
from needling.clinic.pages import go, render
from needling.clinic.passwords import PasswordRefusedError
from needling.errors import InputError
from needling.i18n import N_

router = APIRouter(include_in_schema=False)


@router.get("/account")
def account(request: Request, user: PageUser, db: DbSession):
    from needling.clinic.appointments_pages import account_with_feed  # the page with the calendar feed section

    return account_with_feed(request, user, db)


@router.post("/account/password")
def change_password(
    request: Request,
    user: FormUser,
    db: DbSession,
    old_password: str = Form(""),
    new_password: str = Form(""),
    new_password_again: str = Form(""),
):
    """Change one's password (the current one required); every other session of the user ends."""
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
def users(request: Request, user: PageAdmin, db: DbSession):
    return render(request, "users.html", user, users=A.list_users(db), title=N_("Users"))


@router.post("/users/{user_id}/deactivate")
def deactivate(
    user_id: int,
    request: Request,
    user: FormAdmin,
    db: DbSession,
):
    """Deactivate a user (admins only): they cannot log in, and their sessions end now."""
    target = db.get(User, user_id) if 0 < user_id < 2**31 else None
    if target is None:
        raise S.NotFound("user not found")
    try:
        ended = A.deactivate(db, user, target)
    except InputError:
        db.rollback()
        return go("/users", N_("You cannot deactivate your own account; ask another admin."), "error")
    return go("/users", N_("%(name)s is deactivated; %(count)s session(s) ended."), name=target.name, count=ended)
