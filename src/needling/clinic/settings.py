"""Settings of the clinic service: one pydantic-settings object read from ``NEEDLING_*`` variables.

A value given to :class:`Settings` wins over the environment, which wins over the default; an empty
value counts as not given. A bad value stops the start with one line naming the variable and what is
valid (:class:`needling.errors.InputError`).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from needling.errors import InputError

DEFAULT_DATA = Path("var")


def default_database_url(data_dir: Path) -> str:
    """An embedded SQLite file in the data folder."""
    return f"sqlite:///{(data_dir / 'needling.db').as_posix()}"


def private_dir(path: Path, tighten: bool = True) -> Path:
    """Create ``path`` (and missing parents) readable by the owner only (0700).

    The data folder holds the database, the signing key and patients' photos.

    Parameters
    ----------
    path : Path
    tighten : bool
        Also take group and other permissions away from an existing folder (the data folder and the
        photo store; not a folder the user chose for a SQLite file, which may be shared).
    """
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    for p in missing:
        p.chmod(0o700)  # mkdir's mode is masked by the umask, and parents get the default mode
    if tighten and path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def _secret(data_dir: Path) -> str:
    """A random signing key kept in the data folder (made on first use, readable by the owner only)."""
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    private_dir(data_dir)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others, not even briefly
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


ENV_PREFIX = "NEEDLING_"
DEFAULT_ROOMS = ("Room 1", "Room 2")
SUPPORTED_DATABASES = ("sqlite:", "postgresql:", "postgresql+psycopg:")


def _one_line(error: ErrorDetails) -> str:
    """One line for the first error of a validation: the variable, what it held, what is valid."""
    name = ENV_PREFIX + str(error["loc"][0]).upper() if error["loc"] else "settings"
    raw = error.get("input")
    ctx = error.get("ctx") or {}
    bounds = Settings.bounds(str(error["loc"][0])) if error["loc"] else None
    valid = f"; valid: {bounds[0]:g} to {bounds[1]:g}" if bounds else ""
    kind = error["type"]
    if kind in ("float_parsing", "int_parsing", "float_type", "int_type"):
        return f"{name}={raw!r} is not a number{valid}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{name}={raw} is out of range{valid}"
    if kind == "value_error":
        return f"{name}: {ctx.get('error', error['msg'])}"
    return f"{name}={raw!r}: {error['msg']}"


class Settings(BaseSettings):
    """Where the data lives and how sessions behave; each field is also ``NEEDLING_<FIELD>`` in the environment.

    Attributes
    ----------
    database_url : str
        SQLAlchemy URL (``NEEDLING_DATABASE_URL``; default: SQLite in ``data_dir``).
    data_dir : Path
        Folder for the SQLite file, the signing key and photos (``NEEDLING_DATA_DIR``, default ``var``).
    secret_key : str
        Key that signs cookies and tokens (``NEEDLING_SECRET_KEY``; default: a random key kept in ``data_dir``).
    session_max_hours : float, optional
        ``NEEDLING_SESSION_MAX_HOURS``, 0.01 to 720 h: sets ``session_max_age_s`` unless that is given.
    session_idle_minutes : float, optional
        ``NEEDLING_SESSION_IDLE_MINUTES``, 1 to 1440 min: sets ``session_idle_s`` unless that is given.
    session_max_age_s : int
        Absolute lifetime of a log-in, s (default 8 h).
    session_idle_s : int
        A log-in ends after this long without a request, s (default 30 min).
    login_attempts : int
        Failed log-ins allowed per account (from any address) within ``login_window_s`` before refusing.
    login_address_attempts : int
        Failed log-ins allowed per client address (for any accounts) within ``login_window_s``.
    login_window_s : int
        The throttling window, s (default 15 min).
    trusted_proxies : list of str
        Addresses or networks of reverse proxies whose ``X-Forwarded-For`` is believed
        (``NEEDLING_TRUSTED_PROXIES``, comma-separated, e.g. ``127.0.0.1,10.0.0.0/8``; empty by default).
    max_photo_bytes : int
        Largest photo accepted (default 8 MB).
    max_photo_pixels : int
        Most pixels (width x height) a photo may have, checked before it is decoded (default 50 million).
    secure_cookies : bool
        Send the session cookie only over HTTPS (``NEEDLING_SECURE_COOKIES=1``; set it behind TLS).
    rooms : list of str
        The clinic's treatment rooms, for appointments (``NEEDLING_ROOMS``, comma-separated; default
        ``Room 1,Room 2``).
    smtp_url : str
        Where reminders are sent: ``smtp://[USER:PASSWORD@]HOST[:PORT]`` or ``smtps://...``, with
        ``?starttls=1`` to upgrade a plain connection (``NEEDLING_SMTP_URL``; empty: no reminders are sent).
    mail_from : str
        The sender of reminders (``NEEDLING_MAIL_FROM``, default ``needling@localhost``).
    reminder_lead_hours : float, optional
        ``NEEDLING_REMINDER_LEAD_HOURS``, 1 h to 14 days: sets ``reminder_lead_h`` unless that is given.
    reminder_lead_h : float
        A reminder is due this long before its appointment, h (default 24 h).
    clinic_name : str
        The clinic's name, printed at the top of every page of a plan report (``NEEDLING_CLINIC_NAME``).
    require_consent : bool
        A session needs a valid signed consent for its procedure, or a clinician's written override
        (default; ``NEEDLING_REQUIRE_CONSENT=0`` switches the check off, e.g. while paper consents are entered).
    threads : int
        Threads of each server process for the routes that talk to the database (``NEEDLING_THREADS``, 1 to
        256, default 8; the web framework's own default is 40). A process runs Python on one core at a time, so
        more threads only wait for each other; with 40, 50 clients recording at once waited longer at the slowest
        and cost the database more processor time a recording (benchmarks/bench_session_load.py).
    recording_slots : int
        Sessions each server process records at once (``NEEDLING_RECORDING_SLOTS``, 1 to 256, default 1); the
        others wait their turn without holding a connection. Every recording takes from the same lot, whose row
        each holds from its decrement to its commit (:mod:`needling.clinic.recording_slots`).
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, extra="ignore")

    data_dir: Path = DEFAULT_DATA
    database_url: str = ""
    secret_key: str = Field("", repr=False)
    session_max_hours: float | None = Field(None, ge=0.01, le=24 * 30)
    session_idle_minutes: float | None = Field(None, ge=1, le=24 * 60)
    session_max_age_s: int = Field(8 * 3600, ge=1)
    session_idle_s: int = Field(30 * 60, ge=1)
    login_attempts: int = Field(5, ge=1)
    login_address_attempts: int = Field(30, ge=1)
    login_window_s: int = Field(900, ge=1)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_photo_bytes: int = Field(8 * 1024 * 1024, ge=1)
    max_photo_pixels: int = Field(50_000_000, ge=1)
    secure_cookies: bool = False
    rooms: Annotated[list[str], NoDecode] = Field(default_factory=lambda: list(DEFAULT_ROOMS))
    smtp_url: str = ""
    mail_from: str = "needling@localhost"
    reminder_lead_hours: float | None = Field(None, ge=1, le=24 * 14)
    reminder_lead_h: float = Field(24.0, ge=1, le=24 * 14)
    require_consent: bool = True
    clinic_name: str = Field("needling", min_length=1, max_length=200)
    threads: int = Field(8, ge=1, le=256)
    recording_slots: int = Field(1, ge=1, le=256)

    def __init__(self, **values: Any) -> None:
        given = {k: v for k, v in values.items() if v is not None and v != ""}  # empty: not given
        try:
            super().__init__(**given)
        except ValidationError as exc:
            raise InputError(
                _one_line(exc.errors()[0]), field=ENV_PREFIX + str(exc.errors()[0]["loc"][0]).upper()
            ) from None
        self._prepare()

    @classmethod
    def bounds(cls, name: str) -> tuple[float, float] | None:
        """The (low, high) bounds of a numeric field, if it has both."""
        info = cls.model_fields.get(name)
        if info is None:
            return None
        low = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
        high = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
        return (float(low), float(high)) if low is not None and high is not None else None

    @field_validator("secure_cookies", mode="before")
    @classmethod
    def _switch(cls, value: object) -> object:
        return value if isinstance(value, bool) else str(value).strip() == "1"  # only "1" switches it on

    @field_validator("require_consent", mode="before")
    @classmethod
    def _on_unless_zero(cls, value: object) -> object:
        return value if isinstance(value, bool) else str(value).strip() != "0"  # only "0" switches it off

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: object) -> list[str]:
        items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
        proxies = [str(x).strip() for x in items if str(x).strip()]
        for proxy in proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(f"{proxy!r} is not an address or network; valid: e.g. 10.0.0.0/8") from None
        return proxies

    @field_validator("rooms", mode="before")
    @classmethod
    def _rooms(cls, value: object) -> list[str]:
        items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
        rooms = [str(x).strip() for x in items if str(x).strip()] or list(DEFAULT_ROOMS)
        for room in rooms:
            if len(room) > 40:
                raise ValueError(f"{room[:40]!r}... is longer than 40 characters")
        return rooms

    @field_validator("smtp_url", "mail_from", mode="before")
    @classmethod
    def _stripped(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _durations(self) -> Settings:
        if self.session_max_hours is not None and "session_max_age_s" not in self.model_fields_set:
            self.session_max_age_s = round(3600 * self.session_max_hours)
        if self.session_idle_minutes is not None and "session_idle_s" not in self.model_fields_set:
            self.session_idle_s = round(60 * self.session_idle_minutes)
        if self.reminder_lead_hours is not None and "reminder_lead_h" not in self.model_fields_set:
            self.reminder_lead_h = self.reminder_lead_hours
        self.mail_from = self.mail_from or "needling@localhost"
        return self

    def _prepare(self) -> None:
        """Make the data folder, choose the database and the signing key (after validation)."""
        self.data_dir = private_dir(Path(self.data_dir))
        if not self.database_url:
            self.database_url = default_database_url(self.data_dir)
        if not self.database_url.startswith(SUPPORTED_DATABASES):
            shown = self.database_url.split("@")[-1][:80]
            raise InputError(
                f"database URL {shown!r} is not supported; valid: sqlite:///FILE or postgresql://USER@HOST/DB",
                field="--database-url",
            )
        if self.database_url.startswith("postgresql://"):
            self.database_url = "postgresql+psycopg://" + self.database_url.removeprefix("postgresql://")
        if not self.secret_key:
            self.secret_key = _secret(self.data_dir)

    @property
    def photo_dir(self) -> Path:
        """Where photos are stored (``data_dir/photos``)."""
        return self.data_dir / "photos"
