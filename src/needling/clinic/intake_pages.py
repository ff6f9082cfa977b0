"""The full web intake: a new patient, the intake edited as a new version, its history, the medication search.

Every field of the patient schema (:mod:`needling.planner.intake`) is on the form: pregnancy and
breast-feeding, medications with their last dose (each name resolved against the coded table, shown next to
it; a search endpoint suggests names as the clinician types, and without JavaScript the server resolves the
plain text field), conditions, procedures with dates and regions, several goals, the setting and devices. A
refused form comes back as it was typed with each wrong field marked; a saved edit is a new intake version
(:mod:`needling.clinic.intake_versions`), listed with who saved it, when and what changed.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from needling.anatomy import site_names
from needling.clinic import intake_form as IF
from needling.clinic import intake_labels as IL
from needling.clinic import intake_service as IH
from needling.clinic import intake_versions as IV
from needling.clinic import services as S
from needling.clinic.api_schema import PathId
from needling.clinic.deps import DbSession, FormStaff, OptionalUser, PageStaff, PageUser
from needling.clinic.device_catalogue import clinic_devices
from needling.clinic.i18n import language
from needling.clinic.models import User
from needling.clinic.pages import _in_lang, _label, go, render, templates
from needling.clinic.roles import STAFF
from needling.errors import InputError
from needling.i18n import N_, translate
from needling.planner.medications import search
from needling.planner.vocabulary import CONDITIONS, INDICATIONS, PROCEDURES
from needling.report import labels as RL

router = APIRouter(include_in_schema=False)

templates.env.filters.update(
    condition=_label(IL.CONDITIONS),
    procedure=_label(IL.PROCEDURES),
    setting=_label(IL.SETTINGS),
    striae=_label(IL.STRIAE_TYPES),
    route=_label(IL.ROUTES),
    intake_section=_label(IL.SECTIONS),
    intake_field=_label(IL.FIELDS),
    change=_label(IL.CHANGES),
    substance_name=_in_lang(lambda substance, lang: substance.name_in(lang)),
)
#: The words of each code the form's lists show, by kind.
LABELS = {
    "sex": RL.SEXES,
    "procedure": IL.PROCEDURES,
    "site": RL.SITES,
    "indication": RL.INDICATIONS,
    "striae": IL.STRIAE_TYPES,
}
SEARCH_LIMIT = 10  # names suggested as the clinician types


def intake_page(
    request: Request,
    user: User,
    db: Session,
    values: dict[str, Any],
    patient: Any = None,
    version: int | None = None,
    status: int = 200,
    errors: list[IF.FieldError] | None = None,
    note: str | None = None,
) -> Any:
    """The intake form, new (``patient`` None) or an edit of ``version``; with the errors marked on their fields."""
    lang = language(request, user)
    errors = errors or []
    banner = None
    if errors:
        banner = translate(lang, "Not saved: %(reason)s", reason=errors[0].text(lang))
    counts = {p: IF.row_count(values, p) + IF.BLANK_ROWS for p in IF.ROWS}
    if patient is None and IF.row_count(values, "goal") == 0:
        counts["goal"] = 1 + IF.BLANK_ROWS
    title = (
        translate(lang, "Intake of %(name)s", name=patient.name) if patient else translate(lang, "New patient intake")
    )
    return render(
        request,
        "intake.html",
        user,
        status=status,
        patient=patient,
        version=version,
        values=values,
        errors={e.field: e.text(lang) for e in errors},
        counts=counts,
        matches=IF.medication_matches(values),
        sites=site_names(),
        indications=INDICATIONS,
        conditions=CONDITIONS,
        procedures=PROCEDURES,
        devices=list(clinic_devices(db)),
        label=lambda kind, code: translate(lang, LABELS[kind].get(code, code)),
        title=title,
        **({"flash": banner, "flash_kind": "error"} if banner else {}),
        **({"flash": note, "flash_kind": "ok"} if note and not banner else {}),
    )


def _values(form: Any) -> dict[str, Any]:
    return IF.typed_values(form)


@router.get("/patients/new")
def new_patient(request: Request, user: PageStaff, db: DbSession):
    return intake_page(request, user, db, {"setting": "clinic", "conditions": [], "devices": []})


def _checked(request: Request, user: User, db: Session, values: dict[str, Any]) -> tuple[IF.Parsed, list]:
    parsed = IF.parse(values)
    return parsed, IF.validate(parsed, clinic_devices(db))


@router.post("/patients/new")
async def create_patient(request: Request, user: FormStaff, db: DbSession):
    form = await request.form()
    values = _values(form)
    parsed, errors = _checked(request, user, db, values)
    name = str(values.get("name", ""))
    if not name.strip():
        message = "name: empty; valid: the patient's name, 1-200 characters"
        errors.insert(0, IF.FieldError("name", message, N_("Write the patient's name.")))
    if form.get("action") == "check" and not errors:
        return intake_page(request, user, db, values, note=_checked_note(request, user))
    if not errors:
        try:
            p = S.create_patient(db, user, name, parsed.intake)
        except InputError as exc:
            db.rollback()
            errors = [IF.FieldError.of(exc.field if exc.field in values else "name", exc)]
        else:
            return go(f"/patients/{p.id}", N_("Patient %(name)s added."), name=p.name)
    return intake_page(request, user, db, values, status=422, errors=errors)


def _checked_note(request: Request, user: User) -> str:
    return translate(language(request, user), "Checked, not saved yet: see what each medication maps to.")


@router.get("/patients/{patient_id}/intake")
def edit_intake(patient_id: PathId, request: Request, user: PageStaff, db: DbSession):
    patient = S.get_patient(db, user, patient_id, "intake form")
    latest = IV.current(db, patient_id)
    return intake_page(request, user, db, IF.to_values(patient.intake), patient, latest.number if latest else 1)


@router.post("/patients/{patient_id}/intake")
async def save_intake(patient_id: PathId, request: Request, user: FormStaff, db: DbSession):
    form = await request.form()
    patient = S.get_patient(db, user, patient_id, "intake form")
    values = _values(form)
    base = str(values.get("version", "")).strip()
    version = int(base) if base.isdigit() else None
    parsed, errors = _checked(request, user, db, values)
    if form.get("action") == "check" and not errors:
        return intake_page(request, user, db, values, patient, version, note=_checked_note(request, user))
    if not errors:
        try:
            S.update_intake(db, user, patient_id, parsed.intake, version)
        except InputError as exc:
            db.rollback()
            errors = [IF.FieldError.of(exc.field or "version", exc)]
        else:
            latest = IV.current(db, patient_id)
            number = latest.number if latest else 1
            return go(f"/patients/{patient_id}/intake/history", N_("Intake saved as version %(n)s."), n=number)
    return intake_page(request, user, db, values, patient, version, status=422, errors=errors)


@router.get("/patients/{patient_id}/intake/history")
def intake_history(patient_id: PathId, request: Request, user: PageUser, db: DbSession):
    history = IH.intake_history(db, user, patient_id)
    lang = language(request, user)
    return render(
        request,
        "intake_history.html",
        user,
        patient=history.patient,
        versions=history.versions,
        authors=history.authors,
        plans=history.plans,
        title=translate(lang, "Intake history of %(name)s", name=history.patient.name),
    )


@router.get("/medications/search")
def medication_search(request: Request, user: OptionalUser, q: str = Query("", max_length=100)):
    """Names of the coded medication table matching what was typed (JSON, for the form's suggestions)."""
    if user is None:
        return JSONResponse({"detail": "log in first"}, status_code=401)
    S.require_role(user, *STAFF)
    hits = search(q, limit=SEARCH_LIMIT) if q.strip() else []
    lang = language(request, user)
    return [{"name": n, "substance": s.id, "generic": s.name_in(lang), "atc": s.atc, "route": s.route} for n, s in hits]
