"""Where a page may send the browser next: only a path on this site, never another host."""

from __future__ import annotations

from urllib.parse import urlsplit

#: The longest path followed; anything longer goes to the default.
MAX_LENGTH = 300


def safe_path(target: str | None, default: str = "/") -> str:
    """``target`` if it is a same-site relative path (``/patients/3?tab=x``), else ``default``.

    Refused: absolute URLs (``https://host/``), scheme-relative ones (``//host``), backslashes that
    browsers read as slashes (``/\\host``, ``\\\\host``), any whitespace or control character (browsers
    drop tabs and newlines, turning ``/\\t/host`` into ``//host``), and paths longer than ``MAX_LENGTH``.
    """
    if not target or len(target) > MAX_LENGTH or not target.startswith("/"):
        return default
    if target.startswith("//") or "\\" in target or any(c.isspace() or not c.isprintable() for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
