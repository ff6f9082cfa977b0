"""User accounts: create, list, change or reset a password, deactivate; each audited, policy enforced."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from needling.clinic import login_sessions as LS
from needling.clinic import services as S
from needling.clinic.models import User
from needling.clinic.passwords import check_password
from needling.clinic.roles import Role
from needling.clinic.security import hash_password
from needling.clinic.transactions import operation
from needling.errors import InputError
from needling.i18n import N_

ROLES = tuple(Role)


def create_user(
    db: Session, email: str, name: str, role: Role | str, password: str, patient_id: int | None = None
) -> User:
    """Add a user with an argon2-hashed password that satisfies the policy.

    Raises
    ------
    InputError
        Unknown role, an e-mail already taken, or a password the policy refuses.
    """
    email = email.strip().lower()
    if role not in ROLES:
        raise InputError(
            f"unknown role {str(role)!r}; valid: {', '.join(ROLES)}",
            field="role",
            msgid=N_("Choose a role from the list."),
        )
    role = Role(role)
    if not 3 <= len(email) <= 200 or "@" not in email:
        raise InputError(
            f"{email!r} is not an e-mail address",
            field="email",
            msgid=N_("Write an e-mail address, such as name@example.se."),
        )
    if db.scalars(select(User).where(User.email == email)).first():
        raise InputError(
            f"a user {email} already exists",
            field="email",
            msgid=N_("There is already an account for %(email)s."),
            params={"email": email},
        )
    check_password(password, email)
    user = User(email=email, name=name, role=role, password_hash=hash_password(password), patient_id=patient_id)
    db.add(user)
    db.flush()
    return user


def find_user(db: Session, email: str) -> User:
    """The user with this e-mail; InputError naming it otherwise."""
    user = db.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise InputError(f"no user {email.strip().lower()}", field="email")
    return user


def list_users(db: Session) -> list[User]:
    """Every account, in the order they were created."""
    return list(db.scalars(select(User).order_by(User.id)))


@operation
def set_password(db: Session, actor: User | None, user: User, password: str, keep: str | None = None) -> int:
    """Give ``user`` a new password (policy enforced) and end their sessions except ``keep``.

    Returns
    -------
    int
        How many sessions were ended.
    """
    check_password(password, user.email, field="new_password")
    user.password_hash = hash_password(password)
    ended = LS.end_all(db, user.id, keep=keep)
    S.audit(db, actor, "password-changed" if actor is user else "password-reset", "user", user.id)
    return ended


@operation
def deactivate(db: Session, actor: User | None, user: User) -> int:
    """Deactivate ``user``: they can no longer log in, and every session of theirs ends now.

    Returns
    -------
    int
        How many sessions were ended.
    """
    if actor is not None and actor.id == user.id:
        raise InputError(
            "you cannot deactivate your own account; ask another admin",
            field="user_id",
            msgid=N_("You cannot deactivate your own account; ask another admin."),
        )
    user.active = False
    ended = LS.end_all(db, user.id)
    S.audit(db, actor, "deactivate", "user", user.id, f"{ended} session(s) ended")
    return ended


@operation
def set_language(db: Session, user: User, lang: str) -> None:
    """Keep ``lang`` (a code of the clinic's catalogues, or "" to follow the browser) as ``user``'s language."""
    stored = db.get(User, user.id)
    if stored is not None:
        stored.language = lang
