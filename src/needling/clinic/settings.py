"""Settings of the clinic service, from the environment with safe defaults."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

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
    """The signing key: NEEDLING_SECRET_KEY, else a random key kept in the data folder."""
    env = os.environ.get("NEEDLING_SECRET_KEY")
    if env:
        return env
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    private_dir(data_dir)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others, not even briefly
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def env_number(name: str, default: float, low: float, high: float) -> float:
    """A number from the environment variable ``name``, else ``default``; one-line error if out of range."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{name}={raw!r} is not a number; valid: {low:g} to {high:g}", field=name) from None
    if not low <= value <= high:
        raise InputError(f"{name}={raw} is out of range; valid: {low:g} to {high:g}", field=name)
    return value


def env_list(name: str) -> list[str]:
    """A comma-separated list from the environment variable ``name`` (empty if unset)."""
    return [x.strip() for x in os.environ.get(name, "").split(",") if x.strip()]


@dataclass
class Settings:
    """Where the data lives and how sessions behave.

    Attributes
    ----------
    database_url : str
        SQLAlchemy URL (``NEEDLING_DATABASE_URL``; default: SQLite in ``data_dir``).
    data_dir : Path
        Folder for the SQLite file, the signing key and photos (``NEEDLING_DATA_DIR``, default ``var``).
    session_max_age_s : int
        Absolute lifetime of a log-in, s (``NEEDLING_SESSION_MAX_HOURS``, default 8 h).
    session_idle_s : int
        A log-in ends after this long without a request, s (``NEEDLING_SESSION_IDLE_MINUTES``, default 30 min).
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
    reminder_lead_h : float
        A reminder is due this long before its appointment, h (``NEEDLING_REMINDER_LEAD_HOURS``,
        default 24 h, 1 h to 14 days).
    require_consent : bool
        A session needs a valid signed consent for its procedure, or a clinician's written override
        (default; ``NEEDLING_REQUIRE_CONSENT=0`` switches the check off, e.g. while paper consents are entered).
    """

    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("NEEDLING_DATA_DIR", DEFAULT_DATA)))
    database_url: str = ""
    secret_key: str = ""
    session_max_age_s: int = field(
        default_factory=lambda: round(3600 * env_number("NEEDLING_SESSION_MAX_HOURS", 8, 0.01, 24 * 30))
    )
    session_idle_s: int = field(
        default_factory=lambda: round(60 * env_number("NEEDLING_SESSION_IDLE_MINUTES", 30, 1, 24 * 60))
    )
    login_attempts: int = 5
    login_address_attempts: int = 30
    login_window_s: int = 900
    trusted_proxies: list[str] = field(default_factory=lambda: env_list("NEEDLING_TRUSTED_PROXIES"))
    max_photo_bytes: int = 8 * 1024 * 1024
    max_photo_pixels: int = 50_000_000
    secure_cookies: bool = field(default_factory=lambda: os.environ.get("NEEDLING_SECURE_COOKIES", "") == "1")
    rooms: list[str] = field(default_factory=lambda: env_list("NEEDLING_ROOMS") or ["Room 1", "Room 2"])
    smtp_url: str = field(default_factory=lambda: os.environ.get("NEEDLING_SMTP_URL", "").strip())
    mail_from: str = field(
        default_factory=lambda: os.environ.get("NEEDLING_MAIL_FROM", "").strip() or "needling@localhost"
    )
    reminder_lead_h: float = field(default_factory=lambda: env_number("NEEDLING_REMINDER_LEAD_HOURS", 24, 1, 24 * 14))
    require_consent: bool = field(default_factory=lambda: os.environ.get("NEEDLING_REQUIRE_CONSENT", "1") != "0")

    def __post_init__(self) -> None:
        self.data_dir = private_dir(Path(self.data_dir))
        if not self.database_url:
            self.database_url = os.environ.get("NEEDLING_DATABASE_URL") or default_database_url(self.data_dir)
        if not self.database_url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            shown = self.database_url.split("@")[-1][:80]
            raise InputError(
                f"database URL {shown!r} is not supported; valid: sqlite:///FILE or postgresql://USER@HOST/DB",
                field="--database-url",
            )
        if self.database_url.startswith("postgresql://"):
            self.database_url = "postgresql+psycopg://" + self.database_url.removeprefix("postgresql://")
        if not self.secret_key:
            self.secret_key = _secret(self.data_dir)
        for room in self.rooms:
            if len(room) > 40:
                raise InputError(
                    f"NEEDLING_ROOMS: {room[:40]!r}... is longer than 40 characters", field="NEEDLING_ROOMS"
                )
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise InputError(
                    f"NEEDLING_TRUSTED_PROXIES: {proxy!r} is not an address or network; valid: e.g. 10.0.0.0/8",
                    field="NEEDLING_TRUSTED_PROXIES",
                ) from None

    @property
    def photo_dir(self) -> Path:
        return self.data_dir / "photos"
