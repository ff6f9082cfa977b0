"""The password policy, the same on every path that sets a password (web, API, CLI)."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from needling.errors import InputError
from needling.i18n import N_

#: Fewest characters a password may have (OWASP ASVS 4.0 2.1.1 asks for at least 12).
MIN_LENGTH = 12
#: Most characters accepted (ASVS 4.0 2.1.2: at least 64 permitted, no more than 128).
MAX_LENGTH = 128
COMMON_FILE = Path(__file__).resolve().parent / "common_passwords.txt"


class PasswordRefusedError(InputError):
    """A password that breaks the policy; ``code`` is the rule's message for people (a gettext msgid), also its
    ``msgid`` so a page showing it with :func:`needling.i18n.reason` writes it in the reader's language."""

    def __init__(self, message: str, code: str, field: str = "password") -> None:
        super().__init__(message, field=field, msgid=code)
        self.code = code


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower case (see the header of ``common_passwords.txt``)."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(x for x in lines if x and not x.startswith("#"))


def check_password(password: str, email: str, field: str = "password") -> None:
    """Refuse a password that is too short or long, common, or the account's e-mail.

    Parameters
    ----------
    password : str
        The new password.
    email : str
        The account's e-mail (the password may not be it, nor its part before the ``@``).
    field : str
        The field to name in the error (``password``, ``new_password``, ``--password-stdin``).

    Raises
    ------
    PasswordRefusedError
        With a one-line message naming the rule and what is valid.
    """
    if len(password) < MIN_LENGTH:
        raise PasswordRefusedError(
            f"password has {len(password)} characters; valid: at least {MIN_LENGTH}",
            N_("The password must have at least 12 characters."),
            field,
        )
    if len(password) > MAX_LENGTH:
        raise PasswordRefusedError(
            f"password is longer than {MAX_LENGTH} characters",
            N_("The password may have at most 128 characters."),
            field,
        )
    if any(unicodedata.category(c).startswith("C") for c in password):
        raise PasswordRefusedError(
            "password may not contain control characters", N_("The password may not contain control characters."), field
        )
    lowered = password.lower()
    address = email.strip().lower()
    if lowered in (address, address.split("@")[0]):
        raise PasswordRefusedError(
            "password may not be the e-mail address", N_("The password may not be your e-mail address."), field
        )
    if lowered in common_passwords():
        raise PasswordRefusedError(
            "password is in the list of common passwords; choose a longer, less common one",
            N_("That password is one of the most common; choose a longer, less common one."),
            field,
        )
