"""The clinician's start page, as data: patients due or overdue in their series, the alert inbox across
patients (with acknowledge and assign) and the patient search. Every read and write is audited.

The inbox is read from the records its items come from (home-care alerts, broken-needle adverse events,
sessions that used a recalled lot, lots expiring soon, lots low on stock); what the clinic did with an item is kept in
:class:`~needling.clinic.models.InboxState`, keyed by the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from needling.clinic import services as S
from needling.clinic import stock as ST
from needling.clinic.models import (
    AdverseEvent,
    Alert,
    HomeLog,
    InboxState,
    Lot,
    Patient,
    SessionRegion,
    TreatmentSession,
    User,
)
from needling.clinic.personnummer import looks_like_personnummer, parse_personnummer
from needling.clinic.roles import STAFF
from needling.clinic.transactions import operation
from needling.errors import InputError, check_text
from needling.i18n import N_

EXPIRY_WINDOW_DAYS = 30
"""Lots expiring within this many days show in the inbox (issue 15: "lots expiring within 30 days")."""
WEEK_DAYS = 7
"""A session planned within this many days from today is due this week."""
SEARCH_LIMIT = 50
"""At most this many patients answer one search."""
PAGE_SIZE = 50
"""The due list and the inbox show this many at a time (a clinic of 10,000 patients had 2,400 due at once)."""
INBOX_KINDS = ("home-care", "broken-needle", "recall", "lot-expiry", "low-stock")
#: What the inbox calls each kind, marked for translation.
INBOX_KIND_LABELS = {
    "home-care": N_("Home-care warning"),
    "broken-needle": N_("Broken needle"),
    "recall": N_("Recalled lot used on this patient"),
    "lot-expiry": N_("Lot expires within 30 days"),
    "low-stock": N_("Lot low on stock"),
}
KEY_FORM = re.compile(r"^(alert|adverse-event|lot-expiry|low-stock):\d{1,9}$|^recall:\d{1,9}:\d{1,9}$")
CHOOSE_CLINICIAN = N_("Choose an active clinician from the list.")
BIRTH_DATE = N_("%(text)s is not a date. Write the date of birth as YYYY-MM-DD.")
KEY_VALID = "valid: alert:<id>, adverse-event:<id>, recall:<lot>:<patient>, lot-expiry:<lot> or low-stock:<lot>"


@dataclass(frozen=True)
class InboxItem:
    """One item of the inbox: what it is about, for whom, and what the clinic did with it."""

    key: str
    kind: str  # one of INBOX_KINDS
    on: date
    patient_id: int | None
    patient_name: str
    text: str  # a lot's device name for lot-expiry and low-stock (the page shows its label)
    lot_number: str
    severity: str
    acknowledged: bool
    assigned_to: str
    finding: dict[str, Any] | None = None  # a home-care alert's finding, worded in the reader's language
    stock: tuple[int, int] | None = None  # a low-stock lot's items left and its threshold


@dataclass(frozen=True)
class DueVisit:
    """A patient's next planned session of their series: date, number in the series, overdue or not."""

    patient_id: int
    patient_name: str
    on: date
    number: int
    of: int
    overdue: bool


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a long list: its items, its number (from 1) and the whole list's length."""

    items: list[T]
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def page_number(text: str, field: str) -> int:
    """A page number typed in an address: a whole number from 1 (a page after the last shows the last)."""
    t = text.strip()
    if not t:
        return 1
    if not t.isdigit() or len(t) > 6 or int(t) < 1:
        raise InputError(
            f"{field}: {t[:20]!r} is not a page number; valid: 1, 2, 3 ...",
            field=field,
            msgid=N_("The page number must be a whole number from 1."),
        )
    return int(t)


def page_of(items: list[T], number: int) -> Page[T]:
    """The ``number``-th page of a list already read (a number after the last gives the last page)."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    number = min(number, pages)
    return Page(items[(number - 1) * PAGE_SIZE : number * PAGE_SIZE], number, len(items))


def _states(db: Session) -> dict[str, InboxState]:
    return {s.key: s for s in db.scalars(select(InboxState))}


def _user_names(db: Session) -> dict[int, str]:
    return dict(db.execute(select(User.id, User.name)).all())


@operation
def inbox(db: Session, actor: User, today: date | None = None, include_acknowledged: bool = False) -> list[InboxItem]:
    """Every item of the alert inbox, newest first; acknowledged ones only when asked.

    The read is audited once (``patient *``, ``inbox``): the inbox names patients.
    """
    S.require_role(actor, *STAFF)
    today = today or date.today()
    states, names = _states(db), _user_names(db)
    items: list[InboxItem] = []

    def add(
        key: str,
        kind: str,
        on: date,
        pid: int | None,
        text: str,
        lot: str,
        severity: str,
        done: bool,
        finding: dict[str, Any] | None = None,
        stock: tuple[int, int] | None = None,
    ) -> None:
        st = states.get(key)
        acknowledged = done or (st is not None and st.acknowledged_at is not None)
        if acknowledged and not include_acknowledged:
            return
        assigned = names.get(st.assigned_to_id, "") if st is not None and st.assigned_to_id else ""
        items.append(InboxItem(key, kind, on, pid, "", text, lot, severity, acknowledged, assigned, finding, stock))

    alerts = select(Alert) if include_acknowledged else select(Alert).where(Alert.acknowledged.is_(False))
    shown_alerts = list(db.scalars(alerts))
    log_ids = {a.log_id for a in shown_alerts if a.log_id is not None}
    logs = db.scalars(select(HomeLog).where(HomeLog.id.in_(log_ids))) if log_ids else []
    findings = {(log.id, f.get("rule")): f for log in logs for f in (log.findings or [])}
    for a in shown_alerts:
        finding = findings.get((a.log_id, a.rule))
        add(
            f"alert:{a.id}",
            "home-care",
            a.created.date(),
            a.patient_id,
            a.message,
            "",
            a.severity,
            a.acknowledged,
            finding,
        )
    lots = {lot.id: lot for lot in db.scalars(select(Lot))}
    for e in db.scalars(select(AdverseEvent).where(AdverseEvent.kind == "broken-needle")):
        lot_number = lots[e.lot_id].lot_number if e.lot_id in lots else ""
        add(f"adverse-event:{e.id}", "broken-needle", e.on, e.patient_id, e.description, lot_number, "warning", False)
    # The sessions of the recalled lots only, through the index on the lot (joining every session to its lot first
    # read all 100,000 sessions of the benchmark's clinic on each request).
    recalled_ids = [lot.id for lot in lots.values() if lot.recalled]
    recalled = (
        select(SessionRegion.lot_id, TreatmentSession.patient_id)
        .join(TreatmentSession, SessionRegion.session_id == TreatmentSession.id)
        .where(SessionRegion.lot_id.in_(recalled_ids))
        .group_by(SessionRegion.lot_id, TreatmentSession.patient_id)
    )
    for lot_id, pid in db.execute(recalled) if recalled_ids else []:
        lot = lots[lot_id]
        add(
            f"recall:{lot_id}:{pid}",
            "recall",
            lot.recalled_on or today,
            pid,
            lot.recall_reason or "",
            lot.lot_number,
            "stop",
            False,
        )
    soon = today + timedelta(days=EXPIRY_WINDOW_DAYS)
    for lot in lots.values():
        if not lot.recalled and today <= lot.expiry <= soon:
            add(f"lot-expiry:{lot.id}", "lot-expiry", lot.expiry, None, lot.device_name, lot.lot_number, "info", False)
    for low in ST.low_stock(list(lots.values()), ST.model_thresholds(db), today):
        lot = low.lot
        stock = (low.quantity, low.threshold)
        add(
            f"low-stock:{lot.id}",
            "low-stock",
            today,
            None,
            lot.device_name,
            lot.lot_number,
            "warning",
            False,
            None,
            stock,
        )
    pids = {i.patient_id for i in items if i.patient_id is not None}
    named = select(Patient.id, Patient.name).where(Patient.id.in_(pids))
    patients = dict(db.execute(named).all()) if pids else {}
    items = [replace(i, patient_name=patients.get(i.patient_id, "")) if i.patient_id is not None else i for i in items]
    S.audit(db, actor, "read", "patient", "*", "inbox")
    items.sort(key=lambda i: (i.on, i.key), reverse=True)
    return items


def _item(db: Session, actor: User, key: str) -> InboxItem:
    """The inbox item named by ``key``, or InputError (bad form) / NotFound (no such item)."""
    if not KEY_FORM.match(key):
        raise InputError(
            f"item: {key[:40]!r} is not an inbox item; {KEY_VALID}",
            field="item",
            msgid=N_("That item is not in the inbox. Open the dashboard again and choose an item there."),
        )
    for item in inbox(db, actor, include_acknowledged=True):
        if item.key == key:
            return item
    raise S.NotFound(f"inbox item {key} not found")


def _state(db: Session, key: str) -> InboxState:
    st = db.scalars(select(InboxState).where(InboxState.key == key)).first()
    if st is None:
        st = InboxState(key=key, updated=S.now())
        db.add(st)
    return st


@operation
def acknowledge(db: Session, actor: User, key: str) -> InboxItem:
    """Mark an inbox item as seen and handled (a home-care alert is acknowledged on its record too)."""
    item = _item(db, actor, key)
    st = _state(db, key)
    st.acknowledged_by_id, st.acknowledged_at, st.updated = actor.id, S.now(), S.now()
    if key.startswith("alert:"):
        alert = db.get(Alert, int(key.split(":")[1]))
        if alert is not None:
            alert.acknowledged = True
    db.flush()
    S.audit(db, actor, "write", "inbox", key, "acknowledged", patient_id=item.patient_id)
    return item


@operation
def assign(db: Session, actor: User, key: str, user_id: int) -> InboxItem:
    """Give an inbox item to a clinician or admin of the clinic (an active account)."""
    item = _item(db, actor, key)
    to = db.get(User, user_id)
    if to is None or not to.active or to.role not in STAFF:
        raise InputError(
            f"assign_to: user {user_id} is not an active clinician; valid: {assignees_text(db)}",
            field="assign_to",
            msgid=CHOOSE_CLINICIAN,
        )
    st = _state(db, key)
    st.assigned_to_id, st.updated = to.id, S.now()
    db.flush()
    S.audit(db, actor, "write", "inbox", key, f"assigned to user {to.id}", patient_id=item.patient_id)
    return item


def assignees(db: Session) -> list[User]:
    """The accounts an item can be given to: active clinicians and admins, by name."""
    return list(db.scalars(select(User).where(User.active.is_(True), User.role.in_(STAFF)).order_by(User.name)))


def assignees_text(db: Session) -> str:
    return ", ".join(f"{u.id} ({u.name})" for u in assignees(db)) or "none"


@operation
def due_visits(db: Session, actor: User, today: date | None = None, page: int = 1) -> Page[DueVisit]:
    """Patients whose next planned session is overdue or falls within the coming week, earliest first; one page.

    The next session is kept on the patient (:mod:`needling.clinic.series_due`): the first date of the latest
    plan's series not yet matched by a recorded session, as on the patient's page
    (:func:`needling.clinic.services.schedule`). A page after the last gives the last page.
    """
    S.require_role(actor, *STAFF)
    today = today or date.today()
    S.audit(db, actor, "read", "patient", "*", "due")
    due = Patient.next_due_on <= today + timedelta(days=WEEK_DAYS - 1)
    total = db.scalar(select(func.count(Patient.id)).where(due)) or 0
    number = min(page, max(1, -(-total // PAGE_SIZE)))
    rows = db.execute(
        select(Patient.id, Patient.name, Patient.next_due_on, Patient.next_due_number, Patient.series_length)
        .where(due)
        .order_by(Patient.next_due_on, Patient.name, Patient.id)
        .offset((number - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    visits = [DueVisit(pid, name, on, n or 1, of or 1, on < today) for pid, name, on, n, of in rows]
    return Page(visits, number, total)


@operation
def search_patients(db: Session, actor: User, query: str) -> list[Patient]:
    """Patients matching a name (part of it, any case), a date of birth (YYYY-MM-DD) or a personnummer.

    A query shaped like a personnummer is checked (date, Luhn) and matched exactly on the stored form.
    """
    S.require_role(actor, *STAFF)
    q = query.strip()
    check_text("q", q, max_length=200)
    if not q:
        raise InputError(
            "q: empty search; valid: a name, a date of birth (YYYY-MM-DD) or a personnummer",
            field="q",
            msgid=N_("Write a name, a date of birth or a personnummer to search for."),
        )
    stmt = select(Patient)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", q):
        try:
            born = date.fromisoformat(q)
        except ValueError:
            raise InputError(
                f"q: {q} is not a date; valid: YYYY-MM-DD", field="q", msgid=BIRTH_DATE, params={"text": q}
            ) from None
        stmt, how = stmt.where(Patient.birth_date == born), "date of birth"
    elif looks_like_personnummer(q):
        stmt, how = stmt.where(Patient.personnummer == parse_personnummer(q, field="q").digits), "personnummer"
    else:
        pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt, how = stmt.where(func.lower(Patient.name).like(pattern, escape="\\")), "name"
    found = list(db.scalars(stmt.order_by(Patient.name, Patient.id).limit(SEARCH_LIMIT)))
    S.audit(db, actor, "read", "patient", "*", f"search by {how}: {len(found)} found")
    return found


@operation
def set_identity(db: Session, actor: User, patient_id: int, personnummer: str, birth_date: str) -> Patient:
    """Store (or clear, when empty) a patient's personnummer and date of birth; they must agree.

    A personnummer gives the date of birth; a date typed beside it must be the same one.
    """
    S.require_role(actor, *STAFF)
    patient = S.get_patient(db, actor, patient_id, "identity")
    born: date | None = None
    if birth_date.strip():
        try:
            born = date.fromisoformat(birth_date.strip())
        except ValueError:
            raise InputError(
                f"birth_date: {birth_date.strip()[:20]!r} is not a date; valid: YYYY-MM-DD",
                field="birth_date",
                msgid=BIRTH_DATE,
                params={"text": birth_date.strip()[:20]},
            ) from None
        if born > date.today():
            raise InputError(
                "birth_date: in the future; valid: a past date (YYYY-MM-DD)",
                field="birth_date",
                msgid=N_("The date of birth is in the future. Write a date that has passed."),
            )
    digits: str | None = None
    if personnummer.strip():
        pnr = parse_personnummer(personnummer)
        if born is not None and born != pnr.birth_date:
            raise InputError(
                f"birth_date: {born.isoformat()} differs from the personnummer's {pnr.birth_date.isoformat()}; "
                "valid: the same date or none",
                field="birth_date",
                msgid=N_(
                    "The date of birth %(born)s differs from the personnummer's, %(date)s. "
                    "Write the same date or leave it empty."
                ),
                params={"born": born, "date": pnr.birth_date},
            )
        digits, born = pnr.digits, pnr.birth_date
    patient.personnummer, patient.birth_date = digits, born
    db.flush()
    S.audit(db, actor, "write", "patient", patient_id, "identity", patient_id=patient_id)
    return patient
