"""The audit page (admins): entries with user names, filters by patient, user and dates, pages, CSV export."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from needling.clinic import audit_log as AL
from needling.clinic.api_schema import MAX_ID
from needling.clinic.deps import DbSession, PageAdmin, PageUser
from needling.clinic.i18n import language
from needling.clinic.pages import render
from needling.errors import InputError
from needling.i18n import reason as error_reason
from needling.i18n import translate

router = APIRouter(include_in_schema=False)


def _whole(text: str, field: str, high: int = MAX_ID) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= high:
        raise InputError(f"{field} {text[:20]!r}; valid: a whole number from 1 to {high}", field=field)
    return int(text)


def _day(text: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{field} {text[:20]!r}; valid: a date as YYYY-MM-DD", field=field) from None


def read_filter(patient_id: str, user_id: str, since: str, until: str) -> AL.AuditFilter:
    """The filter typed into the page's form (empty fields mean no filter), or an InputError naming the field."""
    return AL.AuditFilter(
        _whole(patient_id, "patient_id"), _whole(user_id, "user_id"), _day(since, "since"), _day(until, "until")
    )


@router.get("/audit")
def audit(
    request: Request,
    user: PageAdmin,
    db: DbSession,
    patient_id: str = "",
    user_id: str = "",
    since: str = "",
    until: str = "",
    page: str = "1",
):
    lang = language(request, user)
    typed = {"patient_id": patient_id, "user_id": user_id, "since": since, "until": until}
    try:
        f = read_filter(patient_id, user_id, since, until)
        number = _whole(page, "page", 100_000) or 1
    except InputError as exc:
        f, number, error = (
            AL.AuditFilter(),
            1,
            translate(lang, "Filter not applied: %(reason)s", reason=error_reason(exc, lang)),
        )
    else:
        error = ""
    result = AL.audit_page(db, user, f, number)
    return render(
        request,
        "audit.html",
        user,
        status=422 if error else 200,
        result=result,
        typed=typed,
        query=f.query_string(),
        error=error,
        users=AL.audit_users(db),
        anonymous=AL.unauthenticated_counts(db),
        title=translate(lang, "Audit log"),
    )


@router.get("/audit.csv")
def audit_csv(
    request: Request,
    user: PageUser,
    db: DbSession,
    patient_id: str = "",
    user_id: str = "",
    since: str = "",
    until: str = "",
):
    f = read_filter(patient_id, user_id, since, until)
    body = AL.audit_csv(db, user, f)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="audit-{date.today().isoformat()}.csv"'},
    )
