"""The audit log seen from outside: refusals, anonymous attempts, filters, pages and the CSV export.

Reads and writes are audited where they happen (:func:`needling.clinic.services.audit`). This module
adds what happens around a request: a logged-in user's refused request (403, 404) is audited after its
transaction was rolled back, and a request for patient data without a log-in is counted per day and
client address (a counter rather than a row each, so a flood of anonymous requests cannot fill the log).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import Request
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from needling.clinic import services as S
from needling.clinic.api_schema import MAX_ID
from needling.clinic.deps import client_address
from needling.clinic.models import AuditEntry, UnauthenticatedAttempt, User
from needling.clinic.roles import Role
from needling.clinic.transactions import operation

PATIENT_ROUTES = re.compile(r"^/(api/)?(patients|photos|alerts|portal|dashboard)(/|$)|^/(api/)?lots/[^/]+(/usage)?$")
"""Paths that carry patient data: records, photos, alerts, the portal and lot usage lists."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell starting with one of these as a formula (CSV injection, OWASP)."""

PER_PAGE = 50


def _path_patient(request: Request) -> int | None:
    raw = str(request.path_params.get("patient_id", ""))
    return int(raw) if raw.isdigit() and int(raw) <= MAX_ID else None


def record_refusal(request: Request, status: int, patient_id: int | None = None, detail: str = "") -> None:
    """Audit a logged-in user's refused request (its own transaction: the request's was rolled back)."""
    user_id = getattr(request.state, "user_id", None)
    if user_id is None:
        return
    patient_id = patient_id if patient_id is not None else _path_patient(request)
    action = "read" if request.method in ("GET", "HEAD") else "write"
    with request.app.state.Session() as db:
        db.info["client"] = client_address(request)
        S.audit(
            db,
            db.get(User, user_id),
            action,
            "request",
            patient_id if patient_id is not None else "",
            f"{request.method} {request.url.path[:200]}: {detail}",
            patient_id=patient_id if patient_id is not None and patient_id <= MAX_ID else None,
            result="forbidden" if status == 403 else "not-found",
        )
        db.commit()


def is_patient_route(path: str) -> bool:
    return PATIENT_ROUTES.match(path) is not None


def count_unauthenticated(db: Session, client: str, path: str, day: date | None = None) -> None:
    """Count one request for patient data without a log-in (one row per day and address, upserted)."""
    values = {"day": day or date.today(), "client": client[:45], "count": 1, "last_path": path[:200]}
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(UnauthenticatedAttempt).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["day", "client"],
        set_={"count": UnauthenticatedAttempt.count + 1, "last_path": statement.excluded.last_path},
    )
    db.execute(statement)
    db.commit()


def unauthenticated_counts(db: Session, days: int = 30) -> list[UnauthenticatedAttempt]:
    """The counts of the last ``days`` days, newest and largest first."""
    since = date.today() - timedelta(days=days)
    return list(
        db.scalars(
            select(UnauthenticatedAttempt)
            .where(UnauthenticatedAttempt.day >= since)
            .order_by(UnauthenticatedAttempt.day.desc(), UnauthenticatedAttempt.count.desc())
        )
    )


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show: one patient, one user, a date range (inclusive)."""

    patient_id: int | None = None
    user_id: int | None = None
    since: date | None = None
    until: date | None = None

    def query_string(self) -> str:
        parts = {k: v for k, v in self.__dict__.items() if v is not None}
        return "&".join(f"{k}={v}" for k, v in parts.items())


@dataclass
class AuditPage:
    """One page of entries, each with its user's name."""

    rows: list[tuple[AuditEntry, str]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _where(f: AuditFilter) -> list[Any]:
    out = []
    if f.patient_id is not None:
        out.append(AuditEntry.patient_id == f.patient_id)
    if f.user_id is not None:
        out.append(AuditEntry.user_id == f.user_id)
    if f.since is not None:
        out.append(AuditEntry.at >= datetime.combine(f.since, time.min))
    if f.until is not None:
        out.append(AuditEntry.at < datetime.combine(f.until + timedelta(days=1), time.min))
    return out


def audit_page(db: Session, actor: User, f: AuditFilter, page: int = 1, per_page: int = PER_PAGE) -> AuditPage:
    """Entries matching ``f``, newest first, one page of them (admins only)."""
    S.require_role(actor, Role.ADMIN)
    where = _where(f)
    total = db.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    rows = db.execute(
        select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(*where)
        .order_by(AuditEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return AuditPage([(a, name or "") for a, name in rows], total, page, per_page)


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


CSV_COLUMNS = (
    "id",
    "at",
    "user_id",
    "user",
    "action",
    "entity",
    "entity_id",
    "patient_id",
    "result",
    "client",
    "detail",
)


@operation
def audit_csv(db: Session, actor: User, f: AuditFilter, limit: int = 100_000) -> str:
    """Entries matching ``f`` as CSV (admins only), guarded against formula injection; the export is audited."""
    S.require_role(actor, Role.ADMIN)
    rows = db.execute(
        select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(*_where(f))
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for a, name in rows:
        cells = (a.id, a.at.isoformat(), a.user_id, name, a.action, a.entity, a.entity_id, a.patient_id)
        writer.writerow([safe_cell(c) for c in (*cells, a.result, a.client, a.detail)])
    S.audit(db, actor, "read", "audit", "", f"CSV export, {len(rows)} entries; {f.query_string()}")
    return out.getvalue()


def audit_users(db: Session) -> list[User]:
    """Every user, for the filter's choice."""
    return list(db.scalars(select(User).order_by(User.name)))
