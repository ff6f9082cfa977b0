"""The roles a clinic account can have; the stored value is the member's value (``"admin"``, ...)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What an account may do.

    ``ADMIN`` manages accounts, device models and reads the audit log; ``CLINICIAN`` screens, plans and
    records sessions; ``PATIENT`` sees their own record and logs home care. A member equals its stored
    text (``Role.ADMIN == "admin"``), so the ``users.role`` column keeps the values it always held.
    """

    ADMIN = "admin"
    CLINICIAN = "clinician"
    PATIENT = "patient"


STAFF = (Role.ADMIN, Role.CLINICIAN)
"""The roles that work with every patient's record."""
