"""FHIR export of a patient's record: a Bundle of Patient, Procedure, Device, Observation, CarePlan and Media.

Resources are built with ``fhir.resources.R4B`` (FHIR 4.3, the R4 line), which validates each one
as it is constructed; the Bundle is validated as a whole.

A region (``bodySite`` of a Procedure, an Observation or a Media) is given in words in the reader's language,
as the clinician labels it ("cheek", "around the eyes" / "kind", "runt ögonen"), never by its key
(``periorbital``). It has ``text`` only: the code base holds no verified SNOMED CT code for its regions, and a
``coding`` with a guessed code would mislead a receiving system more than none (FHIR allows a CodeableConcept
with text alone).
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.device import Device
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.procedure import Procedure

from needling.report.labels import site_words

CIT = "Percutaneous collagen induction therapy (micro-needling)"


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
                        deviceName=[{"name": lot.device_name, "type": "user-friendly-name"}],
                        status="inactive" if lot.recalled else "active",
                        note=[{"text": f"recalled: {lot.recall_reason}"}] if lot.recalled else None,
                    )
                )
            resources.append(
                Procedure(
                    id=f"s{s.id}r{r.id}",
                    status="completed",
                    subject=_ref("Patient", pid),
                    code={"text": CIT},
                    performedDateTime=s.on.isoformat(),
                    bodySite=[body_site(r.site, lang)],
                    focalDevice=[{"manipulated": _ref("Device", devices[lot.id])}],
                    usedReference=[_ref("Device", devices[lot.id])],
                    note=[
                        {
                            "text": f"needle {r.needle_length_mm} mm, {r.passes} passes, endpoint {r.endpoint}"
                            + (f", anaesthesia {r.anaesthesia}" if r.anaesthesia else "")
                            + (f", topicals {r.topicals}" if r.topicals else "")
                        }
                    ],
                )
            )
        if s.pain_vas is not None:
            resources.append(
                Observation(
                    id=f"pain{s.id}",
                    status="final",
                    code={"text": "Procedural pain, visual analogue scale 0-10"},
                    subject=_ref("Patient", pid),
                    effectiveDateTime=s.on.isoformat(),
                    valueQuantity={"value": s.pain_vas, "unit": "score"},
                )
            )
    for o in record["outcomes"]:
        if o.gb_grade is not None:
            resources.append(
                Observation(
                    id=f"gb{o.id}",
                    status="final",
                    code={"text": "Goodman and Baron qualitative acne scar grade"},
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
                    code={"text": "Hair count per cm2"},
                    subject=_ref("Patient", pid),
                    effectiveDateTime=o.on.isoformat(),
                    bodySite=body_site(o.site, lang),
                    valueQuantity={"value": o.hair_count_per_cm2, "unit": "/cm2"},
                )
            )
    plan = record["plan"]
    dates = plan.typed().series.dates if plan is not None else []
    if plan is not None and dates:
        activities = [
            {"detail": {"status": "scheduled", "description": f"{CIT} session", "scheduledString": d}} for d in dates
        ]
        resources.append(
            CarePlan(
                id=f"plan{plan.id}",
                status="active",
                intent="plan",
                subject=_ref("Patient", pid),
                title="Micro-needling series",
                description=f"decision: {plan.decision}; rules {plan.rules_version}, model {plan.model_version}",
                activity=activities,
            )
        )
    resources.extend(record.get("media", []))  # photos, only those the patient agreed may be exported
    b = Bundle(
        type="collection",
        entry=[{"fullUrl": f"urn:needling:{r.get_resource_type()}/{r.id}", "resource": r} for r in resources],
    )
    return b.model_dump(mode="json", exclude_none=True)
