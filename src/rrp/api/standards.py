"""Compliance with the standards over the API: the catalogue, cycles with their summary,
statement assessments (read and rate), live indicators and the action plan. Everything is read
through the token's organisation; the same services as the pages make every change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from rrp.api.permissions import api_actor, require
from rrp.api.schemas import Body, Code, Name, Narrative
from rrp.standards import selectors, services
from rrp.standards.models import ComplianceStatement, StandardsEdition, StatementAssessment

router = Router(tags=["compliance"])

VIEW = "standards.view_assessment"
MANAGE = "standards.manage_assessment"


class StatementOut(Schema):
    id: str
    section: str
    section_title: str
    subsection: str
    title: str
    text: str
    edition: str


class RatingCountsOut(Schema):
    met: int
    partially_met: int
    not_met: int
    not_applicable: int
    not_rated: int
    met_of_applicable_percent: int | None


class CycleOut(Schema):
    id: int
    name: str
    edition: str
    period_start: dt.date
    period_end: dt.date
    status: str
    signed_off_at: dt.datetime | None
    ratings: RatingCountsOut


class AssessmentOut(Schema):
    statement: str
    rating: str
    narrative: str
    owner: str | None
    na_rationale: str
    na_arrangements: str
    evidence_count: int
    carried_forward: bool
    version: int


class AssessmentIn(Body):
    rating: Code
    narrative: Narrative = ""
    owner: Name | None = None
    """Username of someone in the organisation, or null for nobody."""
    na_rationale: Narrative = ""
    na_arrangements: Narrative = ""


class IndicatorOut(Schema):
    statement: str
    key: str
    title: str
    source: str
    value: float | None
    numerator: int | None
    denominator: int | None
    text: str | None


class ActionOut(Schema):
    id: int
    reference: str
    statement: str
    cycle: int
    description: str
    owner: str
    due_on: dt.date
    status: str
    overdue: bool


def _statement_out(statement: ComplianceStatement, edition: str) -> StatementOut:
    return StatementOut(
        id=statement.ref,
        section=statement.section,
        section_title=statement.section_title,
        subsection=statement.subsection,
        title=statement.title,
        text=statement.text,
        edition=edition,
    )


def _cycle_out(cycle: Any) -> CycleOut:
    from rrp.standards.rules import RatingCounts

    counts = RatingCounts()
    for rating in StatementAssessment.objects.filter(cycle=cycle).values_list("rating", flat=True):
        counts.add(rating)
    return CycleOut(
        id=cycle.pk,
        name=cycle.name,
        edition=cycle.edition.code,
        period_start=cycle.period_start,
        period_end=cycle.period_end,
        status=cycle.status,
        signed_off_at=cycle.signed_off_at,
        ratings=RatingCountsOut(
            met=counts.count("met"),
            partially_met=counts.count("partially_met"),
            not_met=counts.count("not_met"),
            not_applicable=counts.count("not_applicable"),
            not_rated=counts.count(""),
            met_of_applicable_percent=counts.met_of_applicable,
        ),
    )


def _assessment_out(assessment: Any) -> AssessmentOut:
    return AssessmentOut(
        statement=assessment.statement.ref,
        rating=assessment.rating,
        narrative=assessment.narrative,
        owner=assessment.owner.get_username() if assessment.owner else None,
        na_rationale=assessment.na_rationale,
        na_arrangements=assessment.na_arrangements,
        evidence_count=getattr(assessment, "evidence_count", 0),
        carried_forward=assessment.carried_forward,
        version=assessment.version,
    )


@router.get("/standards/statements", response=list[StatementOut])
def statement_list(request: HttpRequest, edition: str | None = None) -> list[StatementOut]:
    editions = StandardsEdition.objects.all()
    found = editions.filter(code=edition).first() if edition else editions.first()
    if found is None:
        raise Http404("No such edition")
    return [_statement_out(s, found.code) for s in found.statements.order_by("position")]


@router.get("/compliance/cycles", response=list[CycleOut])
def cycle_list(request: HttpRequest) -> list[CycleOut]:
    require(request, VIEW)
    return [_cycle_out(c) for c in selectors.cycles_of(request.organisation)]  # type: ignore[attr-defined]


@router.get("/compliance/cycles/{cycle_id}", response=CycleOut)
def cycle_detail(request: HttpRequest, cycle_id: int) -> CycleOut:
    require(request, VIEW)
    return _cycle_out(selectors.cycle_in(request.organisation, cycle_id))  # type: ignore[attr-defined]


@router.get("/compliance/cycles/{cycle_id}/assessments", response=list[AssessmentOut])
def assessment_list(request: HttpRequest, cycle_id: int) -> list[AssessmentOut]:
    require(request, VIEW)
    cycle = selectors.cycle_in(request.organisation, cycle_id)  # type: ignore[attr-defined]
    return [_assessment_out(a) for a in selectors.assessments_of(cycle)]


@router.put("/compliance/cycles/{cycle_id}/assessments/{ref}", response=AssessmentOut)
def assessment_put(
    request: HttpRequest, cycle_id: int, ref: str, payload: AssessmentIn
) -> AssessmentOut:
    require(request, MANAGE)
    from django.core.exceptions import ValidationError

    cycle = selectors.cycle_in(request.organisation, cycle_id)  # type: ignore[attr-defined]
    assessment = selectors.assessment_in(cycle, ref)
    owner = None
    if payload.owner:
        owner = selectors.owners_of(cycle.organisation).filter(username=payload.owner).first()
        if owner is None:
            raise ValidationError(
                {
                    "owner": [
                        f"{payload.owner} is not someone in {cycle.organisation.name} who can "
                        "see the compliance pages"
                    ]
                }
            )
    services.assessment_update(
        actor=api_actor(request),
        assessment=assessment,
        rating=payload.rating,
        narrative=payload.narrative,
        owner=owner,
        na_rationale=payload.na_rationale,
        na_arrangements=payload.na_arrangements,
    )
    return _assessment_out(selectors.assessments_of(cycle).get(pk=assessment.pk))


@router.get("/compliance/cycles/{cycle_id}/indicators", response=list[IndicatorOut])
def indicator_list(
    request: HttpRequest, cycle_id: int, statement: str | None = None
) -> list[IndicatorOut]:
    """Live figures (frozen at sign-off for a signed-off cycle) for every measured statement."""
    require(request, VIEW)
    from rrp.standards.indicators import measured_statement_ids

    cycle = selectors.cycle_in(request.organisation, cycle_id)  # type: ignore[attr-defined]
    refs = sorted(measured_statement_ids()) if statement is None else [statement]
    out = []
    for assessment in StatementAssessment.objects.filter(
        cycle=cycle, statement__ref__in=refs
    ).select_related("statement", "cycle", "cycle__organisation"):
        for item in selectors.indicators_of(assessment):
            result = item.result
            out.append(
                IndicatorOut(
                    statement=assessment.statement.ref,
                    key=item.key,
                    title=item.title,
                    source=item.source,
                    value=result.value if result else None,
                    numerator=result.numerator if result else None,
                    denominator=result.denominator if result else None,
                    text=result.text if result else None,
                )
            )
    return out


@router.get("/compliance/actions", response=list[ActionOut])
def action_list(request: HttpRequest, status: str = "open") -> list[ActionOut]:
    require(request, VIEW)
    today = timezone.localdate()
    actions = selectors.actions_of(
        request.organisation,  # type: ignore[attr-defined]
        status="" if status == "all" else status,
        today=today,
    )
    return [
        ActionOut(
            id=a.pk,
            reference=a.reference,
            statement=a.statement.ref,
            cycle=a.raised_in_id,
            description=a.description,
            owner=a.owner.get_username(),
            due_on=a.due_on,
            status=a.status,
            overdue=a.is_open and a.due_on < today,
        )
        for a in actions
    ]
