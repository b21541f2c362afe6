"""The JSON API for safety plans and risk assessments.

    GET  /api/v1/patients/{id}/safety-plans           every version, newest first
    POST /api/v1/patients/{id}/safety-plans           sign a new version (201 with it)
    GET  /api/v1/patients/{id}/safety-plans/current   the version staff follow now, or 404
    GET  /api/v1/patients/{id}/risk-assessments       every assessment, newest first
    POST /api/v1/patients/{id}/risk-assessments       record one (201 with it)

Thin: writes go through rrp.careplans.services (the same functions the pages call), so a plan
signed through the API meets the care plan review duty after a use of force as a page would.
The signature is the token's user. Another organisation's patient is a 404. A body is checked
by its schema first (rrp.api.schemas), then by the services: each a 422 naming every field.
Interventions are MHSDS RestrictiveIntType codes; risk factors are the codes in
rrp.careplans.codes.RiskFactor.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import PlainSerializer

from rrp.api.permissions import api_actor, require
from rrp.api.schemas import Body, Code, Day, Flag, Id, Name, Narrative, Note, items
from rrp.audit.services import audit_view
from rrp.careplans import selectors, services
from rrp.careplans.due_rules import review_state
from rrp.careplans.inputs import (
    PLAN_TEXT_FIELDS,
    RiskAssessmentInput,
    RiskFactorInput,
    SafetyPlanInput,
)
from rrp.careplans.models import RiskAssessment, SafetyPlanVersion
from rrp.core.scoping import get_in_organisation
from rrp.patients.models import Patient

router = Router(tags=["safety plans and risk assessments"])

# Times are returned as UK local time with their offset, as the incidents API returns them.
Moment = Annotated[
    dt.datetime, PlainSerializer(lambda value: timezone.localtime(value).isoformat())
]

VIEW = "careplans.view_plan"
WRITE = "careplans.write_plan"


class RiskFactorIn(Body):
    code: Code
    strategies: Narrative = ""
    notes: Narrative = ""


class SafetyPlanIn(Body):
    occasion: Code = ""
    incident_id: Id | None = None
    agreed_on: Day | None = None
    person_took_part: Code = ""
    carer_took_part: Code = ""
    others_involved: Narrative = ""
    persons_words: Narrative = ""
    advance_decisions: Narrative = ""
    green_signs: Narrative = ""
    green_support: Narrative = ""
    triggers: Narrative = ""
    trigger_dates: Narrative = ""
    amber_signs: Narrative = ""
    amber_support: Narrative = ""
    red_signs: Narrative = ""
    red_support: Narrative = ""
    what_to_avoid: Narrative = ""
    environmental_factors: Narrative = ""
    preferred_interventions: list[Code] = items()
    less_preferred_interventions: list[Code] = items()
    positions_to_avoid: list[Code] = items()
    intervention_preferences: Narrative = ""
    risk_factors: list[RiskFactorIn] = items()
    communication_needs: Narrative = ""
    communication_passport: Flag = False
    interpreter_language: Name = ""
    sensory_needs: Narrative = ""
    spiritual_cultural_needs: Narrative = ""
    gender_trauma_needs: Narrative = ""
    age_related_needs: Narrative = ""
    dignity: Narrative = ""
    post_incident_support: Narrative = ""
    notify_after_force: Note = ""
    changes: Narrative = ""
    review_on: Day | None = None
    late_reason: Note = ""


class RiskFactorOut(Schema):
    code: str
    label: str
    notes: str
    strategies: str


class Signature(Schema):
    name: str
    job_title: str


class SafetyPlanOut(Schema):
    id: int
    patient_id: int
    version: int
    current: bool
    entered_in_error: bool
    entered_in_error_reason: str
    occasion: str
    incident_id: int | None
    agreed_on: dt.date
    person_took_part: str
    carer_took_part: str
    co_produced: bool
    others_involved: str
    persons_words: str
    advance_decisions: str
    green_signs: str
    green_support: str
    triggers: str
    trigger_dates: str
    amber_signs: str
    amber_support: str
    red_signs: str
    red_support: str
    what_to_avoid: str
    environmental_factors: str
    preferred_interventions: list[str]
    less_preferred_interventions: list[str]
    positions_to_avoid: list[str]
    intervention_preferences: str
    risk_factors: list[RiskFactorOut]
    communication_needs: str
    communication_passport: bool
    interpreter_language: str
    sensory_needs: str
    spiritual_cultural_needs: str
    gender_trauma_needs: str
    age_related_needs: str
    dignity: str
    post_incident_support: str
    notify_after_force: str
    changes: str
    review_on: dt.date
    review_state: str
    signed_by: Signature
    signed_at: Moment


class RiskAssessmentIn(Body):
    assessed_on: Day | None = None
    occasion: Code = ""
    incident_id: Id | None = None
    method: Code = ""
    summary: Narrative = ""
    risk_to_self: Code = ""
    risk_to_self_detail: Narrative = ""
    risk_to_others: Code = ""
    risk_to_others_detail: Narrative = ""
    other_risks: Narrative = ""
    sources: list[Code] = items()
    sources_detail: Narrative = ""
    person_took_part: Code = ""
    carer_took_part: Code = ""
    communicated_to: list[Code] = items()
    communicated_on: Day | None = None
    review_on: Day | None = None
    late_reason: Note = ""


class RiskAssessmentOut(Schema):
    id: int
    patient_id: int
    assessed_on: dt.date
    occasion: str
    incident_id: int | None
    method: str
    summary: str
    risk_to_self: str
    risk_to_self_detail: str
    risk_to_others: str
    risk_to_others_detail: str
    other_risks: str
    sources: list[str]
    sources_detail: str
    person_took_part: str
    carer_took_part: str
    communicated_to: list[str]
    communicated_on: dt.date | None
    review_on: dt.date
    review_state: str
    assessed_by: Signature
    recorded_at: Moment
    entered_in_error: bool
    entered_in_error_reason: str


class Message(Schema):
    detail: str


def _patient(request: HttpRequest, patient_id: int) -> Patient:
    return get_in_organisation(Patient.objects.all(), request.organisation, pk=patient_id)  # type: ignore[attr-defined]


def _plan_out(version: SafetyPlanVersion, current_number: int | None) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(version, name) for name in PLAN_TEXT_FIELDS}
    data.update(
        id=version.pk,
        patient_id=version.plan.patient_id,
        version=version.number,
        current=version.number == current_number,
        entered_in_error=version.is_entered_in_error,
        entered_in_error_reason=version.entered_in_error_reason,
        occasion=version.occasion,
        incident_id=version.incident_id,
        agreed_on=version.agreed_on,
        person_took_part=version.person_took_part,
        carer_took_part=version.carer_took_part,
        co_produced=version.co_produced,
        preferred_interventions=list(version.preferred_interventions),
        less_preferred_interventions=list(version.less_preferred_interventions),
        positions_to_avoid=list(version.positions_to_avoid),
        risk_factors=[
            {
                "code": f.code,
                "label": f.get_code_display(),
                "notes": f.notes,
                "strategies": f.strategies,
            }
            for f in version.risk_factor_list()
        ],
        communication_passport=version.communication_passport,
        review_on=version.review_on,
        review_state=review_state(version.review_on, timezone.localdate()),
        signed_by={"name": version.signed_name, "job_title": version.signed_job_title},
        signed_at=version.signed_at,
    )
    return data


def _assessment_out(assessment: RiskAssessment) -> dict[str, Any]:
    names = (
        "assessed_on",
        "occasion",
        "incident_id",
        "method",
        "summary",
        "risk_to_self",
        "risk_to_self_detail",
        "risk_to_others",
        "risk_to_others_detail",
        "other_risks",
        "sources",
        "sources_detail",
        "person_took_part",
        "carer_took_part",
        "communicated_to",
        "communicated_on",
        "review_on",
    )
    data: dict[str, Any] = {name: getattr(assessment, name) for name in names}
    data.update(
        id=assessment.pk,
        patient_id=assessment.patient_id,
        review_state=review_state(assessment.review_on, timezone.localdate()),
        assessed_by={"name": assessment.assessor_name, "job_title": assessment.assessor_job_title},
        recorded_at=assessment.recorded_at,
        entered_in_error=assessment.is_entered_in_error,
        entered_in_error_reason=assessment.entered_in_error_reason,
    )
    return data


@router.get("/patients/{patient_id}/safety-plans", response=list[SafetyPlanOut])
def safety_plan_list(request: HttpRequest, patient_id: int) -> list[dict[str, Any]]:
    require(request, VIEW)
    patient = _patient(request, patient_id)
    audit_view(
        actor=api_actor(request),
        organisation=patient.organisation,
        obj=patient,
        summary=f"Safety plan versions of {patient.local_id} read through the API",
    )
    current = selectors.current_safety_plan(patient)
    number = current.number if current else None
    return [_plan_out(v, number) for v in selectors.safety_plan_versions(patient)]


@router.post("/patients/{patient_id}/safety-plans", response={201: SafetyPlanOut})
def safety_plan_create(request: HttpRequest, patient_id: int, payload: SafetyPlanIn) -> Status:
    require(request, WRITE)
    patient = _patient(request, patient_id)
    values = payload.model_dump()
    late_reason = values.pop("late_reason")
    factors = [
        RiskFactorInput(code=f["code"], strategies=f["strategies"], notes=f["notes"])
        for f in values.pop("risk_factors")
    ]
    version = services.safety_plan_version_create(
        actor=api_actor(request),
        patient=patient,
        data=SafetyPlanInput(risk_factors=factors, **values),
        late_reason=late_reason,
    )
    return Status(201, _plan_out(version, version.number))


@router.get(
    "/patients/{patient_id}/safety-plans/current", response={200: SafetyPlanOut, 404: Message}
)
def safety_plan_current(request: HttpRequest, patient_id: int) -> Status:
    require(request, VIEW)
    patient = _patient(request, patient_id)
    current = selectors.current_safety_plan(patient)
    if current is None:
        return Status(404, {"detail": "This person has no current safety plan"})
    audit_view(
        actor=api_actor(request),
        organisation=patient.organisation,
        obj=patient,
        summary=f"Safety plan of {patient.local_id} read through the API",
    )
    return Status(200, _plan_out(current, current.number))


@router.get("/patients/{patient_id}/risk-assessments", response=list[RiskAssessmentOut])
def risk_assessment_list(request: HttpRequest, patient_id: int) -> list[dict[str, Any]]:
    require(request, VIEW)
    patient = _patient(request, patient_id)
    audit_view(
        actor=api_actor(request),
        organisation=patient.organisation,
        obj=patient,
        summary=f"Risk assessments of {patient.local_id} read through the API",
    )
    return [_assessment_out(a) for a in selectors.risk_assessments_of(patient)]


@router.post("/patients/{patient_id}/risk-assessments", response={201: RiskAssessmentOut})
def risk_assessment_create(
    request: HttpRequest, patient_id: int, payload: RiskAssessmentIn
) -> Status:
    require(request, WRITE)
    patient = _patient(request, patient_id)
    values = payload.model_dump()
    late_reason = values.pop("late_reason")
    assessment = services.risk_assessment_create(
        actor=api_actor(request),
        patient=patient,
        data=RiskAssessmentInput(**values),
        late_reason=late_reason,
    )
    return Status(201, _assessment_out(assessment))
