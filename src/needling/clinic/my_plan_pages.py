"""The patient's own page, "My plan": the plan in plain words, in the patient's language.

What will be done where, the dates, how to prepare, what is normal afterwards and when to call the clinic,
the expected result and the risks as natural frequencies, the appointments booked from today on, the patient's
photos and their choice about photos (which they change here: a new row, the old ones kept), the consents they
signed (each with its date, its state and its PDF), and downloads of the plan as PDF and
of their own data (a ZIP with the record as a FHIR Bundle). No rule ids, source keys, model versions or FHIR links:
those stay on the clinician's record.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request

from needling.clinic import appointments as AP
from needling.clinic import consent_service as C
from needling.clinic import photo_service as P
from needling.clinic import services as S
from needling.clinic.consent_text import PROCEDURE_NAMES, STATE_NAMES
from needling.clinic.deps import DbSession, FormUser, PageUser
from needling.clinic.i18n import language
from needling.clinic.pages import go, render
from needling.clinic.roles import Role
from needling.errors import InputError
from needling.i18n import N_
from needling.i18n import reason as error_reason
from needling.planner.plan_model import Plan

router = APIRouter(include_in_schema=False)
PHOTO_CHOICE_SAVED = N_("Your choice about photos is saved.")


def plan_context(plan: Plan, lang: str) -> dict:
    """What the page shows of a stored plan: each region's words and sentences, the reasons in plain words."""
    from needling.report import plan_report as R  # matplotlib: loaded on first use only
    from needling.report.plain_words import risk_lines

    return {
        "plan": plan,
        "outcomes": [R._patient_outcome(r, lang) for r in plan.regions],
        "risks": [risk_lines(r.predicted.adverse_events, lang) if r.predicted else [] for r in plan.regions],
        "reasons": R.patient_reason_texts(plan, lang),
    }


@router.get("/my-plan")
def my_plan(request: Request, user: PageUser, db: DbSession):
    if user.role != Role.PATIENT or not user.patient_id:
        return go("/patients")
    rec = S.patient_record(db, user, user.patient_id, "my plan")
    lang = language(request, user)
    ctx = plan_context(rec["plan"].typed(), lang) if rec["plan"] is not None else {}
    consents = C.consent_states(db, user, user.patient_id)
    from needling.i18n import sessions_apart
    from needling.report import labels

    return render(
        request,
        "my_plan.html",
        user,
        rec=rec,
        labels=labels,
        sessions_apart=lambda n, weeks: sessions_apart(n, weeks, lang),
        title=N_("My plan"),
        consents=consents,
        appointments=AP.upcoming(db, user, user.patient_id),
        procedure_names=PROCEDURE_NAMES,
        state_names=STATE_NAMES,
        photo_consent=P.current_consent(db, user.patient_id),
        require_consent=request.app.state.settings.require_consent,
        **ctx,
    )


@router.post("/my-plan/photo-consent")
def choose_photo_consent(request: Request, user: FormUser, db: DbSession, scope: str = Form("")):
    """The patient changes their own photo choice: a new row recorded by them; the old ones stay."""
    if user.role != Role.PATIENT or not user.patient_id:
        return go("/patients")
    try:
        P.record_own_consent(db, user, scope)
    except InputError as exc:
        db.rollback()
        why = error_reason(exc, language(request, user))
        return go("/my-plan", N_("Not saved: %(reason)s"), "error", reason=why)
    return go("/my-plan", PHOTO_CHOICE_SAVED)
