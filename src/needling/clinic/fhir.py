"""FHIR export of a patient's record: a Bundle of Patient, Procedure, Device, Observation, CarePlan and Media.

Resources are built with ``fhir.resources.R4B`` (FHIR 4.3, the R4 line), which validates each one
as it is constructed; the Bundle is validated as a whole.

A region (``bodySite`` of a Procedure, an Observation or a Media) is given in words in the reader's language,
as the clinician labels it ("cheek", "around the eyes" / "kind", "runt ögonen"), never by its key
(``periorbital``). It has ``text`` only: the code base holds no verified SNOMED CT code for its regions, and a
``coding`` with a guessed code would mislead a receiving system more than none (FHIR allows a CodeableConcept
with text alone).

Every other text a person reads (the procedure's and observations' names, a session's needle and endpoint, a
recalled lot, the care plan's title, description and sessions) is in the reader's language too
(:mod:`needling.clinic.fhir_words`). Codes stay out of those texts: a device's catalogue name is its
``model-name`` beside the words of its ``user-friendly-name``, a unit has its UCUM code, and the plan's decision
and the versions of the rules and model that made it are extensions (:data:`DECISION`, :data:`RULES_VERSION`,
:data:`MODEL_VERSION`) under this service's ``urn:needling:`` names, the namespace of the Bundle's ``fullUrl``
(no published profile defines them).
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.device import Device
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.procedure import Procedure

from needling.clinic import fhir_words as W
from needling.i18n import translate
from needling.report.device_words import device_label
from needling.report.labels import site_words

#: The extensions of a CarePlan: the plan's decision (a coding of :data:`DECISION_CODES`, with its words as text)
#: and the versions of the screening rules and of the model that made the plan.
DECISION = "urn:needling:fhir:plan-decision"
DECISION_CODES = "urn:needling:plan-decision"
RULES_VERSION = "urn:needling:fhir:rules-version"
MODEL_VERSION = "urn:needling:fhir:model-version"
#: Units of measure (UCUM) for a Quantity's code; its ``unit`` is what people read.
UCUM = "http://unitsofmeasure.org"


def _ref(kind: str, ident: Any) -> dict[str, str]:
    return {"reference": f"{kind}/{ident}"}


def body_site(code: str, lang: str = "en") -> dict[str, str]:
    """A region as a FHIR ``bodySite`` (CodeableConcept): its words in ``lang``, no coding (see the module)."""
    return {"text": site_words(code, lang)}


def bundle(record: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """The record (as from ``services.patient_record``) as a validated FHIR Bundle, JSON-ready; regions in words
    in ``lang``."""
    p = record["patient"]
    intake = p.intake.get("patient", {})
    pid = f"p{p.id}"

    def say(msgid: str, **args: Any) -> str:  # a text of this Bundle, in its one language
        return translate(lang, msgid, **args)

    resources: list[Any] = [FhirPatient(id=pid, name=[{"text": p.name}], gender=intake.get("sex", "unknown"))]
    devices: dict[int, str] = {}
    for s in record["sessions"]:
        for r in s.regions:
            lot = r.lot
            if lot.id not in devices:
                devices[lot.id] = f"lot{lot.id}"
                resources.append(
                    Device(
                        id=f"lot{lot.id}",
                        lotNumber=lot.lot_number,
                        expirationDate=lot.expiry.isoformat(),
                        deviceName=[
                            {"name": device_label(lot.device_name, lang), "type": "user-friendly-name"},
                            {"name": lot.device_name, "type": "model-name"},
                        ],
                        status="inactive" if lot.recalled else "active",
                        note=[{"text": W.recall_note(lot.recall_reason, lang)}] if lot.recalled else None,
                    )
                )
            resources.append(
                Procedure(
                    id=f"s{s.id}r{r.id}",
                    status="completed",
                    subject=_ref("Patient", pid),
                    code={"text": say(W.PROCEDURE)},
                    performedDateTime=s.on.isoformat(),
                    bodySite=[body_site(r.site, lang)],
                    focalDevice=[{"manipulated": _ref("Device", devices[lot.id])}],
                    usedReference=[_ref("Device", devices[lot.id])],
                    note=[
                        {"text": W.needle_note(r.needle_length_mm, r.passes, r.endpoint, lang)},
                        *([{"text": say(W.ANAESTHESIA, text=r.anaesthesia)}] if r.anaesthesia else []),
                        *([{"text": say(W.TOPICALS, text=r.topicals)}] if r.topicals else []),
                    ],
                )
            )
        if s.pain_vas is not None:
            resources.append(
                Observation(
                    id=f"pain{s.id}",
                    status="final",
                    code={"text": say(W.PAIN)},
                    subject=_ref("Patient", pid),
                    effectiveDateTime=s.on.isoformat(),
                    valueQuantity={"value": s.pain_vas, "unit": say(W.SCORE), "system": UCUM, "code": "{score}"},
                )
            )
    for o in record["outcomes"]:
        if o.gb_grade is not None:
            resources.append(
                Observation(
                    id=f"gb{o.id}",
                    status="final",
                    code={"text": say(W.SCAR_GRADE)},
                    subject=_ref("Patient", pid),
                    effectiveDateTime=o.on.isoformat(),
                    bodySite=body_site(o.site, lang),
                    valueInteger=o.gb_grade,
                )
            )
        if o.hair_count_per_cm2 is not None:
            resources.append(
                Observation(
                    id=f"hair{o.id}",
                    status="final",
                    code={"text": say(W.HAIR_COUNT)},
                    subject=_ref("Patient", pid),
                    effectiveDateTime=o.on.isoformat(),
                    bodySite=body_site(o.site, lang),
                    valueQuantity={"value": o.hair_count_per_cm2, "unit": "/cm²", "system": UCUM, "code": "/cm2"},
                )
            )
    plan = record["plan"]
    dates = plan.typed().series.dates if plan is not None else []
    if plan is not None and dates:
        activities = [
            {
                "detail": {
                    "status": "scheduled",
                    "description": say(W.PLAN_SESSION, number=i, of=len(dates)),
                    "scheduledString": d,
                }
            }
            for i, d in enumerate(dates, start=1)
        ]
        decision = W.decision_words(plan.decision, lang)
        resources.append(
            CarePlan(
                id=f"plan{plan.id}",
                status="active",
                intent="plan",
                subject=_ref("Patient", pid),
                title=say(W.PLAN_TITLE),
                description=say(W.PLAN_DECISION, decision=decision),
                extension=[
                    {
                        "url": DECISION,
                        "valueCodeableConcept": {
                            "coding": [{"system": DECISION_CODES, "code": plan.decision}],
                            "text": decision,
                        },
                    },
                    {"url": RULES_VERSION, "valueString": plan.rules_version},
                    {"url": MODEL_VERSION, "valueString": plan.model_version},
                ],
                activity=activities,
            )
        )
    resources.extend(record.get("media", []))  # photos, only those the patient agreed may be exported
    b = Bundle(
        type="collection",
        entry=[{"fullUrl": f"urn:needling:{r.get_resource_type()}/{r.id}", "resource": r} for r in resources],
    )
    return b.model_dump(mode="json", exclude_none=True)
