"""API for accounts: change one's own password; admins list users and deactivate them."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from needling.clinic import accounts as A
from needling.clinic import services as S
from needling.clinic.api_schema import PathId, Problem, responses
from needling.clinic.client import client_address
from needling.clinic.deps import AdminUser, CurrentUser, DbSession
from needling.clinic.login import LoginRefusedError, check_password_for_change
from needling.clinic.models import User
from needling.clinic.passwords import MAX_LENGTH
from needling.errors import InputError

router = APIRouter(prefix="/api", tags=["accounts"])


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    old_password: str = Field(min_length=1, max_length=MAX_LENGTH)
    new_password: str = Field(min_length=1, max_length=MAX_LENGTH)


class PasswordChangeOut(BaseModel):
    status: str
    other_sessions_ended: int


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    active: bool
    patient_id: int | None


class DeactivateOut(BaseModel):
    id: int
    active: bool
    sessions_ended: int


def _user_out(u: User) -> UserOut:
    return UserOut(id=u.id, email=u.email, name=u.name, role=u.role, active=u.active, patient_id=u.patient_id)


@router.post(
    "/me/password",
    responses={**responses(found=False), 429: {"model": Problem, "description": "Too many wrong passwords"}},
)
def change_password(body: PasswordChangeIn, request: Request, user: CurrentUser, db: DbSession) -> PasswordChangeOut:
    """Change one's password with the current one; every other session of the user ends (this one stays)."""
    settings = request.app.state.settings
    try:
        ok = check_password_for_change(db, settings, user, body.old_password, client_address(request))
    except LoginRefusedError as exc:
        raise HTTPException(status_code=exc.status, detail=exc.detail) from None
    if not ok:
        raise InputError("the current password is wrong", field="old_password")
    me = db.get(User, user.id)
    ended = A.set_password(db, me, me, body.new_password, keep=request.state.session["sid"])
    return PasswordChangeOut(status="password changed", other_sessions_ended=ended)


@router.get("/users", responses=responses(found=False))
def users(user: AdminUser, db: DbSession) -> list[UserOut]:
    """Every account (admins only)."""
    return [_user_out(u) for u in A.list_users(db)]


@router.post("/users/{user_id}/deactivate", responses=responses())
def deactivate(user_id: PathId, user: AdminUser, db: DbSession) -> DeactivateOut:
    """Deactivate a user (admins only): they cannot log in any more and every session of theirs ends now."""
    target = db.get(User, user_id)
    if target is None:
        raise S.NotFound("user not found")
    ended = A.deactivate(db, user, target)
    return DeactivateOut(id=target.id, active=target.active, sessions_ended=ended)
