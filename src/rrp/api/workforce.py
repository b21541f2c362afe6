"""The JSON API for the staff register, courses and training records (issue 13; the names are a
contract).

    POST /api/v1/staff                           add someone to the register (201 {"id": ...})
    GET  /api/v1/staff/{id}                      one person on the register
    GET  /api/v1/staff/{id}/training             every course they have a record of or need
    POST /api/v1/courses                         add a course (201), with the learning
                                                 outcomes it teaches ("outcomes", optional)
    POST /api/v1/training-records                one person's outcome in a course (201)
    GET  /api/v1/training/compliance?ward=OAK    the figures by course (all wards without ward)

Thin: writes go through rrp.workforce.services, as the pages' do. Another organisation's staff
id is a 404; a body is checked by its schema, then by the services, each a 422 naming the field.
In the compliance figures `in_date` counts everyone in date (including those expiring within 60
days, also counted in `expiring`), so required = in_date + expired + never and percent is
in_date / required.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from rrp.api.errors import query_problem
from rrp.api.permissions import api_actor, require
from rrp.api.schemas import Body, Code, Day, Flag, Id, JobTitle, Name, Narrative, items
from rrp.core.scoping import get_in_organisation
from rrp.organisations.models import Ward
from rrp.workforce import selectors, services
from rrp.workforce.inputs import CourseInput, StaffInput, TrainingRecordInput
from rrp.workforce.models import Course, StaffMember, TrainingRecord

router = Router(tags=["staff register and training"])

StaffNumber = Annotated[str, Field(max_length=20)]
Months = Annotated[int, Field(ge=1, le=120, strict=True)]
Hours = Annotated[float, Field(gt=0, le=999)]


class StaffIn(Body):
    staff_number: StaffNumber
    name: Name
    job_title: JobTitle
    grade: Annotated[str, Field(max_length=40)] = ""
    qualified: Flag = False
    employment: Code
    wards: list[Code] = items()
    start_date: Day | None = None
    leaving_date: Day | None = None


class StaffOut(Schema):
    id: int
    staff_number: str
    name: str
    job_title: str
    grade: str
    qualified: bool
    employment: str
    wards: list[str]
    start_date: dt.date | None
    leaving_date: dt.date | None


class CourseIn(Body):
    code: Code
    title: Name
    level: Code
    delivery: Code = "face_to_face"
    delivery_rationale: Narrative = ""
    duration_hours: Hours | None = None
    refresher_months: Months = 12
    certifying_body: Name = ""
    certificate_number: Annotated[str, Field(max_length=60)] = ""
    certificate_valid_until: Day | None = None
    # Codes of standard 3.1 I-XV ("3.1.V") and Use of Force Act s.5(2)(a)-(k) ("s5.e") the
    # course teaches; optional, an unknown code is a 422 naming it ("outcomes", 0).
    outcomes: list[Code] = items()


class CourseOut(Schema):
    id: int
    code: str
    title: str
    level: str
    delivery: str
    delivery_rationale: str
    duration_hours: float | None
    refresher_months: int
    rrn_certified: bool
    certifying_body: str
    certificate_number: str
    certificate_valid_until: dt.date | None
    outcomes: list[str]


class TrainingRecordIn(Body):
    staff: Id
    course: Code
    completed_on: Day
    outcome: Code
    theory_result: Code = ""
    occupational_health_checked: Flag = False
    adjustments: Narrative = ""
    competence_plan: Narrative = ""
    interim_plan: Narrative = ""
    equivalent_previous: Flag = False
    evidence: Narrative = ""


class TrainingRecordOut(Schema):
    id: int
    staff: int
    course: str
    completed_on: dt.date
    outcome: str
    theory_result: str
    occupational_health_checked: bool
    expires_on: dt.date | None
    session: int | None
    equivalent_previous: bool


class CourseStatusOut(Schema):
    course: str
    title: str
    level: str
    required: bool
    status: str
    expires_on: dt.date | None
    last_completed_on: dt.date | None
    latest_outcome: str


class GroupCounts(Schema):
    required: int
    in_date: int
    expiring: int
    expired: int
    never: int
    percent: float | None


class ComplianceOut(Schema):
    course: str
    title: str
    level: str
    ward: str | None
    required: int
    in_date: int
    expiring: int
    expired: int
    never: int
    percent: float | None
    bank: GroupCounts
    agency: GroupCounts


def _staff_out(member: StaffMember) -> dict[str, Any]:
    return {
        "id": member.pk, "staff_number": member.staff_number, "name": member.name,
        "job_title": member.job_title, "grade": member.grade, "qualified": member.qualified,
        "employment": member.employment,
        "wards": sorted(w.code for w in member.wards.all()),
        "start_date": member.start_date, "leaving_date": member.leaving_date,
    }


def _course_out(course: Course) -> dict[str, Any]:
    return {
        "id": course.pk, "code": course.code, "title": course.title, "level": course.level,
        "delivery": course.delivery, "delivery_rationale": course.delivery_rationale,
        "duration_hours": float(course.duration_hours) if course.duration_hours else None,
        "refresher_months": course.refresher_months, "rrn_certified": course.rrn_certified,
        "certifying_body": course.certifying_body,
        "certificate_number": course.certificate_number,
        "certificate_valid_until": course.certificate_valid_until,
        "outcomes": list(course.outcomes),
    }


def _record_out(record: TrainingRecord) -> dict[str, Any]:
    return {
        "id": record.pk, "staff": record.staff_id, "course": record.course.code,
        "completed_on": record.completed_on, "outcome": record.outcome,
        "theory_result": record.theory_result,
        "occupational_health_checked": record.occupational_health_checked,
        "expires_on": selectors.record_expires_on(record), "session": record.session_id,
        "equivalent_previous": record.equivalent_previous,
    }


def _counts(counts: selectors.Counts) -> dict[str, Any]:
    return {"required": counts.required, "in_date": counts.in_date,
            "expiring": counts.expiring, "expired": counts.expired, "never": counts.never,
            "percent": counts.percent}


def _member(request: HttpRequest, staff_id: int) -> StaffMember:
    return get_in_organisation(StaffMember.objects.prefetch_related("wards"),
                               request.organisation, pk=staff_id)  # type: ignore[attr-defined]


@router.post("/staff", response={201: StaffOut})
def staff_create(request: HttpRequest, payload: StaffIn) -> Status:
    require(request, "workforce.manage_staff")
    member = services.staff_member_create(
        actor=api_actor(request), organisation=request.organisation,  # type: ignore[attr-defined]
        data=StaffInput(**payload.model_dump()),
    )
    return Status(201, _staff_out(member))


@router.get("/staff/{staff_id}", response=StaffOut)
def staff_detail(request: HttpRequest, staff_id: int) -> dict[str, Any]:
    require(request, "workforce.view_staff")
    return _staff_out(_member(request, staff_id))


@router.get("/staff/{staff_id}/training", response=list[CourseStatusOut])
def staff_training(request: HttpRequest, staff_id: int) -> list[dict[str, Any]]:
    require(request, "workforce.view_staff")
    member = _member(request, staff_id)
    return [
        {
            "course": row.course.code, "title": row.course.title, "level": row.course.level,
            "required": row.required, "status": row.status,
            "expires_on": row.standing.expires_on,
            "last_completed_on": row.standing.last_completed_on,
            "latest_outcome": row.standing.latest_outcome,
        }
        for row in selectors.person_training(member, timezone.localdate())
    ]


@router.post("/courses", response={201: CourseOut})
def course_create(request: HttpRequest, payload: CourseIn) -> Status:
    require(request, "workforce.manage_courses")
    values = payload.model_dump()
    hours = values.pop("duration_hours")
    course = services.course_create(
        actor=api_actor(request), organisation=request.organisation,  # type: ignore[attr-defined]
        data=CourseInput(
            # Hours to a tenth, as the register holds them (7.5 for a day's course).
            duration_hours=decimal.Decimal(str(hours)).quantize(
                decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP
            ) if hours is not None else None,
            **values,
        ),
    )
    return Status(201, _course_out(course))


@router.post("/training-records", response={201: TrainingRecordOut})
def training_record_create(request: HttpRequest, payload: TrainingRecordIn) -> Status:
    require(request, "workforce.record_training")
    values = payload.model_dump()
    organisation = request.organisation  # type: ignore[attr-defined]
    # Another organisation's staff id is a 404, as every id of theirs is.
    get_in_organisation(StaffMember.objects.all(), organisation, pk=values["staff"])
    record = services.training_record_create(
        actor=api_actor(request), organisation=organisation,
        data=TrainingRecordInput(staff_id=values.pop("staff"), **values),
    )
    return Status(201, _record_out(record))


@router.get("/training/compliance", response=list[ComplianceOut])
def training_compliance(request: HttpRequest, ward: str | None = None) -> list[dict[str, Any]]:
    require(request, "workforce.view_compliance")
    organisation = request.organisation  # type: ignore[attr-defined]
    chosen = None
    if ward:
        chosen = Ward.objects.filter(organisation=organisation, code=ward.strip().upper()).first()
        if chosen is None:
            raise query_problem("ward", f"There is no ward with code '{ward}' here")
    figures = selectors.compliance(organisation, timezone.localdate(), ward=chosen)
    return [
        {
            "course": row.course.code, "title": row.course.title, "level": row.course.level,
            "ward": chosen.code if chosen else None, **_counts(row.total),
            "bank": _counts(row.groups["bank"]), "agency": _counts(row.groups["agency"]),
        }
        for row in figures.rows
    ]
