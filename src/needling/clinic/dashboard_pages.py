"""The dashboard page (the clinician's start page) and the patient's identity form (personnummer, date of birth)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from needling.clinic import appointments as AP
from needling.clinic import dashboard as D
from needling.clinic import services as S
from needling.clinic.api_schema import PathId
from needling.clinic.deps import DbSession, FormStaff, FormUser, PageStaff
from needling.clinic.i18n import language
from needling.clinic.models import User
from needling.clinic.pages import go, refusal, render
from needling.clinic.roles import Role
from needling.errors import InputError
from needling.i18n import N_, translate
from needling.planner.home_rules import stored_finding_text

router = APIRouter(include_in_schema=False)


def appointments_for_dashboard(db: Session, user: User, today: date | None = None) -> dict[str, object]:
    """Today's appointments and the rest of this week's (to Sunday): a clinician's own, everyone's for an admin."""
    today = today or date.today()
    _, sunday = AP.week_of(today)
    mine = user.id if user.role == Role.CLINICIAN else None
    items = AP.between(db, user, today, sunday, clinician_id=mine)
    return {
        "today": [a for a in items if a.day == today],
        "week": [a for a in items if a.day > today],
        "own": mine is not None,
    }


def dashboard_page(
    request: Request,
    user: User,
    db: Session,
    q: str = "",
    show: str = "",
    status: int = 200,
    error: str | None = None,
    due_page: str = "",
    inbox_page: str = "",
) -> HTMLResponse:
    """The start page: due and overdue patients, the inbox (a page of each), and the search with its results."""
    lang = language(request, user)
    found = None
    pages = [1, 1]
    if error is None:
        try:
            pages = [D.page_number(due_page, "due_page"), D.page_number(inbox_page, "inbox_page")]
        except InputError as exc:
            status, error = 422, refusal(request, user, N_("List page not shown: %(reason)s"), exc)
    if q.strip() and error is None:
        try:
            found = D.search_patients(db, user, q)
        except InputError as exc:
            db.rollback()
            status, error = 422, refusal(request, user, N_("Search not done: %(reason)s"), exc)
    items = D.page_of(D.inbox(db, user, include_acknowledged=show == "all"), pages[1])
    visits = appointments_for_dashboard(db, user)
    due = D.due_visits(db, user, page=pages[0])
    people = D.assignees(db)
    return render(
        request,
        "dashboard.html",
        user,
        status=status,
        q=q,
        show=show,
        found=found,
        items=items,
        due=due,
        assignees=people,
        kind_labels=D.INBOX_KIND_LABELS,
        finding_text=lambda finding: stored_finding_text(finding, lang),
        visits=visits,
        title=translate(lang, "Dashboard"),
        **({"flash": error, "flash_kind": "error"} if error else {}),
    )


@router.get("/dashboard")
def dashboard(
    request: Request,
    user: PageStaff,
    db: DbSession,
    q: str = "",
    show: str = "",
    due_page: str = "",
    inbox_page: str = "",
):
    return dashboard_page(request, user, db, q[:200], show, due_page=due_page[:20], inbox_page=inbox_page[:20])


def _inbox_refused(request: Request, user: User, db: Session, exc: InputError) -> HTMLResponse:
    """The dashboard again, status 422, with why an inbox action (acknowledge, assign) was not saved."""
    db.rollback()
    return dashboard_page(request, user, db, status=422, error=refusal(request, user, N_("Not saved: %(reason)s"), exc))


@router.post("/dashboard/inbox/acknowledge")
def acknowledge(
    request: Request,
    user: FormStaff,
    db: DbSession,
    item: str = Form(""),
):
    try:
        D.acknowledge(db, user, item)
    except InputError as exc:
        return _inbox_refused(request, user, db, exc)
    return go("/dashboard", N_("Item acknowledged."))


@router.post("/dashboard/inbox/assign")
def assign(
    request: Request,
    user: FormStaff,
    db: DbSession,
    item: str = Form(""),
    assign_to: str = Form(""),
):
    try:
        if not assign_to.strip().isdigit() or len(assign_to.strip()) > 9:
            raise InputError(
                f"assign_to: {assign_to[:20]!r} is not a user; valid: {D.assignees_text(db)}",
                field="assign_to",
                msgid=D.CHOOSE_CLINICIAN,
            )
        D.assign(db, user, item, int(assign_to))
    except InputError as exc:
        return _inbox_refused(request, user, db, exc)
    return go("/dashboard", N_("Item assigned."))


def identity_page(
    request: Request, user: User, db: Session, patient_id: int, status: int = 200, typed=None, error=None
) -> HTMLResponse:
    lang = language(request, user)
    patient = S.get_patient(db, user, patient_id, "identity")
    return render(
        request,
        "identity.html",
        user,
        status=status,
        patient=patient,
        typed=typed,
        title=translate(lang, "Identity of %(name)s", name=patient.name),
        **({"flash": error, "flash_kind": "error"} if error else {}),
    )


@router.get("/patients/{patient_id}/identity")
def identity(patient_id: PathId, request: Request, user: PageStaff, db: DbSession):
    return identity_page(request, user, db, patient_id)


@router.post("/patients/{patient_id}/identity")
def save_identity(
    patient_id: PathId,
    request: Request,
    user: FormUser,
    db: DbSession,
    personnummer: str = Form(""),
    birth_date: str = Form(""),
):
    try:
        D.set_identity(db, user, patient_id, personnummer[:40], birth_date[:40])
    except InputError as exc:
        db.rollback()
        typed = {"personnummer": personnummer[:40], "birth_date": birth_date[:40]}
        return identity_page(
            request,
            user,
            db,
            patient_id,
            422,
            typed,
            refusal(request, user, N_("Not saved: %(reason)s"), exc),
        )
    return go(f"/patients/{patient_id}", N_("Identity saved."))
