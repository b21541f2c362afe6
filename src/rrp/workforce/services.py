"""Every write to the staff register, courses and training records.

Each function is keyword-only, runs in one transaction and audits in it. Every problem is
found before anything is written and raised as one ValidationError naming each field (a
session's attendee problems as "attendees.3.outcome"), so a form shows them all at once and
nothing already recorded changes. Nothing is deleted: staff get a leaving date, courses a
withdrawal date, training records are marked entered in error with a reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_changed, audit_created, audit_record, snapshot
from rrp.core import limits
from rrp.organisations.models import Membership, Organisation, ServiceType, Ward
from rrp.workforce import status as st
from rrp.workforce.inputs import (
    CourseInput,
    OutcomeInput,
    SessionInput,
    StaffInput,
    TnaAgreementInput,
    TnaInput,
    TnaRequirementInput,
    TrainingRecordInput,
)
from rrp.workforce.models import (
    PHYSICAL_LEVELS,
    Course,
    CourseLevel,
    Delivery,
    Employment,
    Outcome,
    StaffGroup,
    StaffMember,
    TheoryResult,
    TnaRequirement,
    TnaState,
    TrainingNeedsAnalysis,
    TrainingRecord,
    TrainingSession,
)
from rrp.workforce.outcomes import BY_CODE, in_order

Problems = dict[str, list[str]]

# A class bigger than this is not one session a trainer can assess (and a form this long is a
# mistake): RRN providers run physical skills classes of about 12 to 16.
LARGEST_CLASS = 40


def _user(actor: Actor) -> Any:
    user = actor.user
    return user if user is not None and user.is_authenticated else None


def _add(problems: Problems, name: str, message: str) -> None:
    problems.setdefault(name, []).append(message)


def _past_date(
    problems: Problems, name: str, value: dt.date | None, today: dt.date, missing: str
) -> None:
    if value is None:
        _add(problems, name, missing)
    elif value > today:
        _add(problems, name, "The date cannot be in the future")
    elif value.year < limits.EARLIEST_YEAR:
        _add(problems, name, f"{value.year} is not a year RRP holds records for: check the year")


# ---------------------------------------------------------------------------------------------
# The staff register (standard 1.8, 1.9)
# ---------------------------------------------------------------------------------------------


def _wards_of(
    organisation: Organisation, codes: list[str], problems: Problems, name: str = "wards"
) -> list[Ward]:
    known = {w.code: w for w in Ward.objects.filter(organisation=organisation)}
    wards: list[Ward] = []
    for index, code in enumerate(codes):
        ward = known.get(code.strip().upper())
        if ward is None:
            _add(problems, f"{name}.{index}", f"There is no ward with code '{code}' here")
        elif ward not in wards:
            wards.append(ward)
    return wards


def staff_problems(
    data: StaffInput, *, organisation: Organisation, existing: StaffMember | None = None
) -> Problems:
    """Everything wrong with a staff member's details, by field."""
    problems: Problems = {}
    number = data.staff_number.strip()
    if not number:
        _add(problems, "staff_number", "Enter the staff number")
    elif len(number) > 20:
        _add(problems, "staff_number", "A staff number is at most 20 characters")
    else:
        clash = StaffMember.objects.filter(organisation=organisation, staff_number=number)
        if existing is not None:
            clash = clash.exclude(pk=existing.pk)
        if clash.exists():
            _add(problems, "staff_number", f"Someone here already has staff number {number}")
    if not data.name.strip():
        _add(problems, "name", "Enter the person's name")
    if not data.job_title.strip():
        _add(problems, "job_title", "Enter the job title")
    if data.employment not in Employment.values:
        _add(problems, "employment", "Choose permanent, bank, agency, volunteer or peer support "
                                     "worker")
    if (
        data.start_date is not None
        and data.leaving_date is not None
        and data.leaving_date < data.start_date
    ):
        _add(problems, "leaving_date", "The leaving date cannot be before the start date")
    for name in ("start_date", "leaving_date"):
        value = getattr(data, name)
        if value is not None and not limits.EARLIEST_YEAR <= value.year <= limits.LATEST_YEAR:
            _add(problems, name, f"{value.year} is not a year RRP holds records for")
    if data.user_id is not None:
        member = Membership.objects.filter(
            organisation=organisation, user_id=data.user_id, is_active=True
        ).exists()
        if not member:
            _add(problems, "user_id", "Choose an account of someone who works here")
        else:
            linked = StaffMember.objects.filter(organisation=organisation, user_id=data.user_id)
            if existing is not None:
                linked = linked.exclude(pk=existing.pk)
            if linked.exists():
                _add(problems, "user_id", "That account is already linked to another staff member")
    return problems


def _apply_staff(member: StaffMember, data: StaffInput) -> None:
    member.staff_number = data.staff_number.strip()
    member.name = data.name.strip()
    member.job_title = data.job_title.strip()
    member.grade = data.grade.strip()
    member.qualified = data.qualified
    member.employment = data.employment
    member.start_date = data.start_date
    member.leaving_date = data.leaving_date
    member.user = get_user_model().objects.get(pk=data.user_id) if data.user_id else None


def _staff_snapshot(member: StaffMember) -> dict[str, Any]:
    return {**snapshot(member, exclude=("created_at", "updated_at")),
            "wards": sorted(member.wards.values_list("code", flat=True))}


@transaction.atomic
def staff_member_create(
    *, actor: Actor, organisation: Organisation, data: StaffInput
) -> StaffMember:
    problems = staff_problems(data, organisation=organisation)
    wards = _wards_of(organisation, data.wards, problems)
    if problems:
        raise ValidationError(problems)
    member = StaffMember(organisation=organisation)
    _apply_staff(member, data)
    member.save()
    member.wards.set(wards)
    audit_record(
        actor=actor, action=AuditAction.CREATE, organisation=organisation, obj=member,
        summary=f"Staff member {member.staff_number} added to the register",
        after=_staff_snapshot(member),
    )
    return member


@transaction.atomic
def staff_member_update(*, actor: Actor, member: StaffMember, data: StaffInput) -> StaffMember:
    """Change a person's details; a leaver keeps their record and gets a leaving date."""
    organisation = member.organisation
    problems = staff_problems(data, organisation=organisation, existing=member)
    wards = _wards_of(organisation, data.wards, problems)
    if problems:
        raise ValidationError(problems)
    before = _staff_snapshot(member)
    _apply_staff(member, data)
    member.save()
    member.wards.set(wards)
    after = _staff_snapshot(member)
    if after != before:
        audit_record(
            actor=actor, action=AuditAction.CHANGE, organisation=organisation, obj=member,
            summary=f"Staff member {member.staff_number} changed", before=before, after=after,
        )
    return member


@dataclass(frozen=True)
class StaffImportLine:
    line: int
    data: StaffInput


@dataclass(frozen=True)
class StaffImportResult:
    added: int
    updated: int
    unchanged: int


def staff_import_problems(
    *, organisation: Organisation, lines: list[StaffImportLine]
) -> list[tuple[int, str]]:
    """Every problem of every line as (line, "field: message"), before anything is written."""
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    existing = {
        m.staff_number: m for m in StaffMember.objects.filter(organisation=organisation)
    }
    for entry in lines:
        number = entry.data.staff_number.strip()
        if number in seen:
            problems.append((entry.line, f"staff_number: {number} is also on line "
                                         f"{seen[number]}"))
            continue
        seen[number] = entry.line
        member = existing.get(number)
        data = replace(entry.data, user_id=member.user_id if member else None)
        found = staff_problems(data, organisation=organisation, existing=member)
        _wards_of(organisation, entry.data.wards, found)
        problems.extend(
            (entry.line, f"{field}: {message}")
            for field, messages in found.items()
            for message in messages
        )
    return problems


def staff_import(
    *, actor: Actor, organisation: Organisation, lines: list[StaffImportLine]
) -> StaffImportResult:
    """Add or update every line, matched on staff number, all or nothing: any problem on any
    line writes nothing, and the error names each line ("line 7: wards.0: ..."). Running the
    same file again changes nothing. People on the register but not in the file are left as
    they are: an export of one directorate must not end everyone else's employment."""
    found = staff_import_problems(organisation=organisation, lines=lines)
    problems = [f"line {line}: {message}" for line, message in found]
    existing = {
        m.staff_number: m for m in StaffMember.objects.filter(organisation=organisation)
    }
    if problems:
        raise ValidationError(problems)
    added = updated = unchanged = 0
    with transaction.atomic():
        for entry in lines:
            member = existing.get(entry.data.staff_number.strip())
            if member is None:
                staff_member_create(actor=actor, organisation=organisation, data=entry.data)
                added += 1
                continue
            before = _staff_snapshot(member)
            # A staff record export knows nothing of RRP accounts: keep the link to one.
            data = replace(entry.data, user_id=member.user_id)
            staff_member_update(actor=actor, member=member, data=data)
            if _staff_snapshot(member) == before:
                unchanged += 1
            else:
                updated += 1
        audit_record(
            actor=actor, action=AuditAction.IMPORT, organisation=organisation,
            object_type="workforce.staffmember",
            summary=f"Staff register imported: {added} added, {updated} updated, "
                    f"{unchanged} unchanged",
        )
    return StaffImportResult(added, updated, unchanged)


# ---------------------------------------------------------------------------------------------
# Courses (standard 3.1, RRN certification)
# ---------------------------------------------------------------------------------------------


def course_problems(
    data: CourseInput, *, organisation: Organisation, existing: Course | None = None
) -> Problems:
    problems: Problems = {}
    code = data.code.strip().upper()
    if not code:
        _add(problems, "code", "Enter the course code")
    elif (existing is None or existing.code != code) and Course.objects.filter(
        organisation=organisation, code=code
    ).exists():
        _add(problems, "code", f"There is already a course with code {code}")
    if not data.title.strip():
        _add(problems, "title", "Enter the course title")
    if data.level not in CourseLevel.values:
        _add(problems, "level", "Choose the level of the course")
    if data.delivery not in Delivery.values:
        _add(problems, "delivery", "Choose face to face or e-learning")
    elif data.delivery == Delivery.E_LEARNING and not data.delivery_rationale.strip():
        # standard 3.1: aspects taught by e-learning need a clear rationale in the TNA.
        _add(problems, "delivery_rationale",
             "Say why this is taught by e-learning (standard 3.1)")
    if data.delivery == Delivery.E_LEARNING and data.level in PHYSICAL_LEVELS:
        _add(problems, "delivery", "Physical skills cannot be taught by e-learning: choose "
                                   "face to face")
    if not 1 <= data.refresher_months <= 120:
        _add(problems, "refresher_months", "The refresher interval must be from 1 to 120 months")
    if data.duration_hours is not None and not 0 < data.duration_hours < 1000:
        _add(problems, "duration_hours", "The duration must be more than 0 and under 1,000 "
                                         "hours")
    for index, code in enumerate(data.outcomes):
        if code not in BY_CODE:
            _add(problems, f"outcomes.{index}",
                 f"'{code}' is not one of standard 3.1 I-XV (3.1.I to 3.1.XV) or the Use of "
                 "Force Act s.5(2) topics (s5.a to s5.k)")
    certificate = (data.certifying_body.strip(), data.certificate_number.strip(),
                   data.certificate_valid_until)
    if any(certificate) and not all(certificate):
        for name, value in zip(
            ("certifying_body", "certificate_number", "certificate_valid_until"), certificate,
            strict=True,
        ):
            if not value:
                _add(problems, name, "Enter the certifying body, the certificate number and "
                                     "the date it is valid until, or none of them")
    return problems


def _apply_course(course: Course, data: CourseInput) -> None:
    course.code = data.code.strip().upper()
    course.title = data.title.strip()
    course.level = data.level
    course.delivery = data.delivery
    course.delivery_rationale = data.delivery_rationale.strip()
    course.duration_hours = data.duration_hours
    course.refresher_months = data.refresher_months
    course.certifying_body = data.certifying_body.strip()
    course.certificate_number = data.certificate_number.strip()
    course.certificate_valid_until = data.certificate_valid_until
    course.withdrawn_on = data.withdrawn_on
    course.outcomes = in_order(data.outcomes)


@transaction.atomic
def course_create(*, actor: Actor, organisation: Organisation, data: CourseInput) -> Course:
    problems = course_problems(data, organisation=organisation)
    if problems:
        raise ValidationError(problems)
    course = Course(organisation=organisation)
    _apply_course(course, data)
    course.save()
    audit_created(actor=actor, organisation=organisation, obj=course,
                  summary=f"Course {course.code} added")
    return course


@transaction.atomic
def course_update(*, actor: Actor, course: Course, data: CourseInput) -> Course:
    problems = course_problems(data, organisation=course.organisation, existing=course)
    if problems:
        raise ValidationError(problems)
    before = snapshot(course, exclude=("updated_at",))
    _apply_course(course, data)
    course.save()
    audit_changed(actor=actor, organisation=course.organisation, obj=course,
                  summary=f"Course {course.code} changed", before=before)
    return course


# ---------------------------------------------------------------------------------------------
# Training records and sessions (standard 3.4.2.XIV, XV, XXXIX; Use of Force Act s.5)
# ---------------------------------------------------------------------------------------------


def outcome_problems(
    data: OutcomeInput, *, course: Course | None, prefix: str = "", previous: bool = False
) -> Problems:
    """What is wrong with one person's result. `prefix` names an attendee ("attendees.2.")."""
    problems: Problems = {}

    def add(name: str, message: str) -> None:
        _add(problems, prefix + name, message)

    if data.outcome not in Outcome.values:
        add("outcome", "Choose competent, not yet competent or excluded on health grounds")
    if data.theory_result and data.theory_result not in TheoryResult.values:
        add("theory_result", "Choose passed, not passed or no theory test")
    physical = course is not None and course.level in PHYSICAL_LEVELS
    if physical and not previous and not data.occupational_health_checked:
        add("occupational_health_checked",
            "Confirm the occupational health checklist was completed before the physical "
            "skills (standard 3.4.2.XIV)")
    if data.outcome == Outcome.NOT_YET_COMPETENT:
        # standard 3.4.2.XXXIX: a written plan to reach competence, and an interim plan.
        if not data.competence_plan.strip():
            add("competence_plan", "Write the plan for reaching competence (standard "
                                   "3.4.2.XXXIX)")
        if not data.interim_plan.strip():
            add("interim_plan", "Write the interim management plan until they are competent "
                                "(standard 3.4.2.XXXIX)")
    if data.outcome == Outcome.EXCLUDED_HEALTH and not data.interim_plan.strip():
        # standard 3.4.2.XIII: arrangements for staff unable to take part, temporarily or not.
        add("interim_plan", "Write how they will be supported and work meanwhile, including "
                            "occupational health (standard 3.4.2.XIII)")
    for name in ("adjustments", "competence_plan", "interim_plan"):
        if len(getattr(data, name)) > limits.NARRATIVE:
            add(name, limits.too_long(limits.NARRATIVE))
    return problems


def _staff_for(
    organisation: Organisation, staff_id: int | None, problems: Problems, name: str
) -> StaffMember | None:
    if staff_id is None:
        _add(problems, name, "Choose the member of staff")
        return None
    member = StaffMember.objects.filter(organisation=organisation, pk=staff_id).first()
    if member is None:
        _add(problems, name, "There is no one with that id on the staff register here")
    return member


def _course_for(organisation: Organisation, code: str, problems: Problems) -> Course | None:
    if not code.strip():
        _add(problems, "course", "Choose the course")
        return None
    course = Course.objects.filter(organisation=organisation, code=code.strip().upper()).first()
    if course is None:
        _add(problems, "course", f"There is no course with code '{code}' here")
    return course


def _on_register(
    member: StaffMember, day: dt.date, problems: Problems, name: str, *, previous: bool
) -> None:
    if member.leaving_date is not None and day > member.leaving_date:
        _add(problems, name, f"{member.name} left on {member.leaving_date:%d/%m/%Y}, before "
                             "this date")
    if not previous and member.start_date is not None and day < member.start_date:
        _add(problems, name, f"{member.name} started on {member.start_date:%d/%m/%Y}, after "
                             "this date: record training from before they started as previous "
                             "training accepted as equivalent")


def _already_recorded(member: StaffMember, course: Course, day: dt.date) -> bool:
    return TrainingRecord.objects.filter(
        staff=member, course=course, completed_on=day, entered_in_error_at__isnull=True
    ).exists()


def _record(
    *,
    actor: Actor,
    member: StaffMember,
    course: Course,
    day: dt.date,
    data: OutcomeInput,
    now: dt.datetime,
    session: TrainingSession | None = None,
    equivalent_previous: bool = False,
    evidence: str = "",
) -> TrainingRecord:
    return TrainingRecord(
        organisation=member.organisation,
        staff=member,
        course=course,
        session=session,
        completed_on=day,
        outcome=data.outcome,
        theory_result=data.theory_result,
        occupational_health_checked=data.occupational_health_checked,
        adjustments=data.adjustments.strip(),
        competence_plan=data.competence_plan.strip(),
        interim_plan=data.interim_plan.strip(),
        equivalent_previous=equivalent_previous,
        evidence=evidence.strip(),
        recorded_by=_user(actor),
        recorded_at=now,
    )


@transaction.atomic
def training_record_create(
    *,
    actor: Actor,
    organisation: Organisation,
    data: TrainingRecordInput,
    now: dt.datetime | None = None,
) -> TrainingRecord:
    """One person's outcome outside a session: e-learning done, or a new starter's previous
    training accepted as equivalent (Use of Force Act s.5: only if recent and equivalent)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    problems: Problems = {}
    member = _staff_for(organisation, data.staff_id, problems, "staff")
    course = _course_for(organisation, data.course, problems)
    _past_date(problems, "completed_on", data.completed_on, today,
               "Enter the date the training was completed")
    for name, messages in outcome_problems(
        data, course=course, previous=data.equivalent_previous
    ).items():
        problems.setdefault(name, []).extend(messages)
    if data.equivalent_previous:
        if not data.evidence.strip():
            _add(problems, "evidence", "Describe the evidence of the previous training: the "
                                       "provider, the certificate and what it covered")
        if data.outcome != Outcome.COMPETENT:
            _add(problems, "outcome", "Previous training is accepted only where the person was "
                                      "found competent")
        if (
            course is not None
            and data.completed_on is not None
            and st.expiry(data.completed_on, course.refresher_months) < today
        ):
            # Use of Force Act s.5: previous training counts only if it is recent.
            _add(problems, "completed_on",
                 f"Training of {data.completed_on:%d/%m/%Y} ran out after "
                 f"{course.refresher_months} months: it is not recent enough to accept")
    if len(data.evidence) > limits.NARRATIVE:
        _add(problems, "evidence", limits.too_long(limits.NARRATIVE))
    if member is not None and data.completed_on is not None:
        _on_register(member, data.completed_on, problems, "completed_on",
                     previous=data.equivalent_previous)
        if course is not None and _already_recorded(member, course, data.completed_on):
            _add(problems, "completed_on", f"{member.name} already has a {course.code} record "
                                           "on this date")
    if problems:
        raise ValidationError(problems)
    assert member is not None and course is not None and data.completed_on is not None
    record = _record(actor=actor, member=member, course=course, day=data.completed_on,
                     data=data, now=now, equivalent_previous=data.equivalent_previous,
                     evidence=data.evidence)
    record.save()
    audit_created(
        actor=actor, organisation=organisation, obj=record,
        summary=f"{course.code} {record.get_outcome_display().lower()} recorded for "
                f"{member.staff_number}" + (" (previous training)" if data.equivalent_previous
                                            else ""),
    )
    return record


@transaction.atomic
def training_session_record(
    *,
    actor: Actor,
    organisation: Organisation,
    data: SessionInput,
    now: dt.datetime | None = None,
) -> TrainingSession:
    """A whole class at once: the session, and one training record per person who attended;
    those booked who did not come are kept on the session as absent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    problems: Problems = {}
    course = _course_for(organisation, data.course, problems)
    _past_date(problems, "held_on", data.held_on, today, "Enter the date of the session")
    if course is not None and data.held_on is not None and not course.is_taught_on(data.held_on):
        _add(problems, "course", f"{course.code} was withdrawn on "
                                 f"{course.withdrawn_on:%d/%m/%Y}")
    if not data.trainer_name.strip():
        _add(problems, "trainer_name", "Enter the trainer's name")
    elif len(data.trainer_name) > limits.NAME:
        _add(problems, "trainer_name", limits.too_long(limits.NAME))
    if len(data.location) > limits.NAME:
        _add(problems, "location", limits.too_long(limits.NAME))
    ward = None
    if data.ward.strip():
        ward = Ward.objects.filter(organisation=organisation,
                                   code=data.ward.strip().upper()).first()
        if ward is None:
            _add(problems, "ward", f"There is no ward with code '{data.ward}' here")
    if not data.attendees:
        _add(problems, "attendees", "Record at least one person who attended")
    if len(data.attendees) + len(data.absent) > LARGEST_CLASS:
        _add(problems, "attendees", f"A session can have at most {LARGEST_CLASS} people: "
                                    "record a larger group as more than one session")
    members: list[StaffMember | None] = []
    seen: set[int] = set()
    for index, attendee in enumerate(data.attendees):
        prefix = f"attendees.{index}."
        member = _staff_for(organisation, attendee.staff_id, problems, prefix + "staff")
        members.append(member)
        for name, messages in outcome_problems(attendee, course=course, prefix=prefix).items():
            problems.setdefault(name, []).extend(messages)
        if member is None:
            continue
        if member.pk in seen:
            _add(problems, prefix + "staff", f"{member.name} is listed twice")
        seen.add(member.pk)
        if data.held_on is not None:
            _on_register(member, data.held_on, problems, prefix + "staff", previous=False)
            if course is not None and _already_recorded(member, course, data.held_on):
                _add(problems, prefix + "staff", f"{member.name} already has a {course.code} "
                                                 "record on this date")
    absent: list[StaffMember] = []
    for index, staff_id in enumerate(data.absent):
        member = _staff_for(organisation, staff_id, problems, f"absent.{index}")
        if member is None:
            continue
        if member.pk in seen:
            _add(problems, f"absent.{index}", f"{member.name} is listed as attending too")
        seen.add(member.pk)
        absent.append(member)
    if problems:
        raise ValidationError(problems)
    assert course is not None and data.held_on is not None
    session = TrainingSession.objects.create(
        organisation=organisation, course=course, held_on=data.held_on,
        trainer_name=data.trainer_name.strip(), ward=ward, location=data.location.strip(),
        recorded_by=_user(actor), recorded_at=now,
    )
    session.absent.set(absent)
    records = [
        _record(actor=actor, member=member, course=course, day=data.held_on, data=attendee,
                now=now, session=session)
        for member, attendee in zip(members, data.attendees, strict=True)
        if member is not None
    ]
    for record in records:
        record.save()
    outcomes = {
        label: sum(1 for r in records if r.outcome == value)
        for value, label in Outcome.choices
    }
    audit_record(
        actor=actor, action=AuditAction.CREATE, organisation=organisation, obj=session,
        summary=f"{course.code} session of {data.held_on:%d/%m/%Y} recorded: {len(records)} "
                f"attended, {len(absent)} absent",
        after={
            **snapshot(session),
            "absent": [m.pk for m in absent],
            "records": [{**snapshot(r), "id": r.pk} for r in records],
            "outcomes": {str(k): v for k, v in outcomes.items()},
        },
    )
    return session


@transaction.atomic
def training_record_mark_entered_in_error(
    *, actor: Actor, record: TrainingRecord, reason: str, now: dt.datetime | None = None
) -> TrainingRecord:
    """Never a deletion: the record stays, marked with when and why, and stops counting."""
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this record was entered in error"]})
    if record.entered_in_error_at is not None:
        raise ValidationError({"reason": ["This record is already marked as entered in error"]})
    record.entered_in_error_at = now or timezone.now()
    record.entered_in_error_reason = reason.strip()[: limits.NOTE]
    record.save(update_fields=["entered_in_error_at", "entered_in_error_reason"])
    audit_record(
        actor=actor, action=AuditAction.ENTERED_IN_ERROR, organisation=record.organisation,
        obj=record,
        summary=f"{record.course.code} record of {record.staff.staff_number} on "
                f"{record.completed_on:%d/%m/%Y} marked as entered in error",
        after={"reason": record.entered_in_error_reason},
    )
    return record


def export_audited(*, actor: Actor, organisation: Organisation, what: str, rows: int) -> None:
    """Training figures leave the system (a CSV or Excel file): named people, so audited."""
    with transaction.atomic():
        audit_record(
            actor=actor, action=AuditAction.EXPORT, organisation=organisation,
            object_type="workforce.trainingrecord", summary=f"{what}: {rows} rows exported",
        )


def staff_input_of(member: StaffMember) -> StaffInput:
    """A staff member as input: the starting point of the edit form."""
    return StaffInput(
        staff_number=member.staff_number, name=member.name, job_title=member.job_title,
        employment=member.employment, grade=member.grade, qualified=member.qualified,
        wards=sorted(member.wards.values_list("code", flat=True)),
        start_date=member.start_date, leaving_date=member.leaving_date, user_id=member.user_id,
    )


def course_input_of(course: Course) -> CourseInput:
    values = asdict(CourseInput(code="", title="", level=""))
    return CourseInput(**{name: getattr(course, name) for name in values
                          if name != "outcomes"}, outcomes=list(course.outcomes))


# ---------------------------------------------------------------------------------------------
# The training needs analysis (standard 3.4.II-III, 3.4.1, 3.4.2.I-XIX)
# ---------------------------------------------------------------------------------------------

# 3.4.1: "the analysis should be reviewed regularly"; RRN Training Standards and providers'
# conditions: at least yearly.
TNA_REVIEW_MONTHS = 12

# The sections the standard asks a TNA to outline, with the statement each answers; all must
# be written before the training provider can agree it.
TNA_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("risks", "the needs and elevated risks considered", "3.4.1"),
    ("content", "the non-physical and physical content", "3.4.2.IV"),
    ("learning_outcomes", "the learning outcomes", "3.4.2.V"),
    ("competence_testing", "how knowledge, competence and attitudes are tested", "3.4.2.VI"),
    ("physical_rationale", "the rationale for each physical intervention taught", "3.4.2.VII"),
    ("sub_specialty", "the sub-specialty needs (or that there are none)", "3.4.2.VIII"),
)


def _tna_snapshot(analysis: TrainingNeedsAnalysis) -> dict[str, Any]:
    return {
        **snapshot(analysis, exclude=("updated_at", "incident_profile")),
        "requirements": [
            {"id": r.pk, "course": r.course.code, "staff_group": r.staff_group,
             "employment": r.employment, "ward": r.ward.code if r.ward else "",
             "refresher_months": r.refresher_months}
            for r in analysis.requirements.filter(removed_at__isnull=True)
            .select_related("course", "ward")
        ],
    }


def tna_problems(data: TnaInput) -> Problems:
    problems: Problems = {}
    if data.service_type and data.service_type not in ServiceType.values:
        _add(problems, "service_type", "Choose a service type, or the whole organisation")
    for name, _label, _ref in TNA_SECTIONS:
        if len(getattr(data, name)) > limits.NARRATIVE * 4:
            _add(problems, name, limits.too_long(limits.NARRATIVE * 4))
    return problems


def _apply_tna(analysis: TrainingNeedsAnalysis, data: TnaInput) -> None:
    for name, _label, _ref in TNA_SECTIONS:
        setattr(analysis, name, getattr(data, name).strip())


def _editable(analysis: TrainingNeedsAnalysis) -> None:
    if not analysis.is_editable:
        raise ValidationError({"state": [
            f"Version {analysis.version} is {analysis.get_state_display().lower()}: start a new "
            "version to change it"
        ]})


def _back_to_draft(analysis: TrainingNeedsAnalysis) -> str:
    """A change after the training provider agreed voids the agreement: they agreed to what
    it said then (3.4.II), so the changed version goes back to them."""
    if analysis.state != TnaState.AGREED:
        return ""
    analysis.state = TnaState.DRAFT
    analysis.training_provider = analysis.agreed_by = ""
    analysis.agreed_on = None
    analysis.agreement_recorded_by = None
    return "; back to draft: the training provider must agree the changed version"


@transaction.atomic
def tna_create(
    *,
    actor: Actor,
    organisation: Organisation,
    data: TnaInput,
    copy_from: TrainingNeedsAnalysis | None = None,
    now: dt.datetime | None = None,
) -> TrainingNeedsAnalysis:
    """A new draft version for the organisation (or one service type), numbered after the
    scope's last; `copy_from` starts it from an earlier version's text and requirements."""
    problems = tna_problems(data)
    if copy_from is not None and copy_from.organisation_id != organisation.pk:
        _add(problems, "copy_from", "Choose a version of this organisation's analysis")
    if problems:
        raise ValidationError(problems)
    last = (
        TrainingNeedsAnalysis.objects.for_organisation(organisation)
        .filter(service_type=data.service_type).order_by("-version").first()
    )
    analysis = TrainingNeedsAnalysis(
        organisation=organisation, service_type=data.service_type,
        version=(last.version + 1) if last else 1, created_by=_user(actor),
        created_at=now or timezone.now(),
    )
    _apply_tna(analysis, data)
    analysis.save()
    if copy_from is not None:
        for row in copy_from.requirements.filter(removed_at__isnull=True):
            TnaRequirement.objects.create(
                organisation=organisation, analysis=analysis, course=row.course,
                staff_group=row.staff_group, employment=row.employment, ward=row.ward,
                refresher_months=row.refresher_months,
            )
    audit_record(
        actor=actor, action=AuditAction.CREATE, organisation=organisation, obj=analysis,
        summary=f"Training needs analysis version {analysis.version} drafted"
                + (f" from version {copy_from.version}" if copy_from else ""),
        after=_tna_snapshot(analysis),
    )
    return analysis


@transaction.atomic
def tna_update(
    *, actor: Actor, analysis: TrainingNeedsAnalysis, data: TnaInput
) -> TrainingNeedsAnalysis:
    """Change a draft's text (the scope it covers stays as it was created)."""
    _editable(analysis)
    problems = tna_problems(replace(data, service_type=analysis.service_type))
    if problems:
        raise ValidationError(problems)
    before = _tna_snapshot(analysis)
    _apply_tna(analysis, data)
    after_text = {name: getattr(analysis, name) for name, _l, _r in TNA_SECTIONS}
    if after_text == {name: before[name] for name, _l, _r in TNA_SECTIONS}:
        return analysis
    note = _back_to_draft(analysis)
    analysis.save()
    audit_record(
        actor=actor, action=AuditAction.CHANGE, organisation=analysis.organisation,
        obj=analysis, summary=f"Training needs analysis version {analysis.version} changed"
                              + note,
        before=before, after=_tna_snapshot(analysis),
    )
    return analysis


@transaction.atomic
def tna_requirement_add(
    *, actor: Actor, analysis: TrainingNeedsAnalysis, data: TnaRequirementInput
) -> TnaRequirement:
    """A staff group needs a course at a frequency (3.4.2.I-III)."""
    _editable(analysis)
    organisation = analysis.organisation
    problems: Problems = {}
    course = _course_for(organisation, data.course, problems)
    if data.staff_group not in StaffGroup.values:
        _add(problems, "staff_group", "Choose everyone, registered staff or staff who are not "
                                      "registered")
    if data.employment and data.employment not in Employment.values:
        _add(problems, "employment", "Choose an employment, or any")
    ward = None
    if data.ward.strip():
        ward = Ward.objects.filter(organisation=organisation,
                                   code=data.ward.strip().upper()).first()
        if ward is None:
            _add(problems, "ward", f"There is no ward with code '{data.ward}' here")
        elif analysis.service_type and ward.service_type != analysis.service_type:
            _add(problems, "ward", f"{ward.name} is not a {analysis.get_service_type_display()} "
                                   "ward, which this analysis covers")
    if data.refresher_months is not None and not 1 <= data.refresher_months <= 120:
        _add(problems, "refresher_months", "The refresher interval must be from 1 to 120 months")
    if course is not None and not course.is_taught_on(timezone.localdate()):
        _add(problems, "course", f"{course.code} was withdrawn on "
                                 f"{course.withdrawn_on:%d/%m/%Y}")
    if problems:
        raise ValidationError(problems)
    assert course is not None
    before = _tna_snapshot(analysis)
    row = TnaRequirement.objects.create(
        organisation=organisation, analysis=analysis, course=course,
        staff_group=data.staff_group, employment=data.employment, ward=ward,
        refresher_months=data.refresher_months,
    )
    note = _back_to_draft(analysis)
    analysis.save()
    audit_record(
        actor=actor, action=AuditAction.CHANGE, organisation=organisation, obj=analysis,
        summary=f"Training needs analysis version {analysis.version}: {course.code} required "
                f"for {row.group_label.lower()}" + note,
        before=before, after=_tna_snapshot(analysis),
    )
    return row


@transaction.atomic
def tna_requirement_remove(
    *, actor: Actor, requirement: TnaRequirement, now: dt.datetime | None = None
) -> TnaRequirement:
    """Take a row out of a draft. Never a deletion: the row keeps when it was removed."""
    analysis = requirement.analysis
    _editable(analysis)
    if requirement.removed_at is not None:
        raise ValidationError({"requirement": ["This requirement is already removed"]})
    before = _tna_snapshot(analysis)
    requirement.removed_at = now or timezone.now()
    requirement.save(update_fields=["removed_at"])
    note = _back_to_draft(analysis)
    analysis.save()
    audit_record(
        actor=actor, action=AuditAction.CHANGE, organisation=analysis.organisation,
        obj=analysis,
        summary=f"Training needs analysis version {analysis.version}: "
                f"{requirement.course.code} for {requirement.group_label.lower()} removed"
                + note,
        before=before, after=_tna_snapshot(analysis),
    )
    return requirement


@transaction.atomic
def tna_record_agreement(
    *,
    actor: Actor,
    analysis: TrainingNeedsAnalysis,
    data: TnaAgreementInput,
    now: dt.datetime | None = None,
) -> TrainingNeedsAnalysis:
    """The training provider agreed the draft (standard 3.4.II): who, for which provider, when.
    Every section must be written and at least one requirement set first (3.4.2.I-VIII)."""
    now = now or timezone.now()
    if analysis.state != TnaState.DRAFT:
        raise ValidationError({"state": [
            f"Version {analysis.version} is {analysis.get_state_display().lower()}: only a "
            "draft can be agreed"
        ]})
    problems: Problems = {}
    for name, label, ref in TNA_SECTIONS:
        if not getattr(analysis, name).strip():
            _add(problems, name, f"Write {label} before it is agreed (standard {ref})")
    if not analysis.requirements.filter(removed_at__isnull=True).exists():
        _add(problems, "requirements", "Say which staff need which course before it is agreed "
                                       "(standard 3.4.2.I-III)")
    if not data.training_provider.strip():
        _add(problems, "training_provider", "Enter the training provider")
    if not data.agreed_by.strip():
        _add(problems, "agreed_by", "Enter who agreed it for the training provider")
    for name in ("training_provider", "agreed_by"):
        if len(getattr(data, name)) > limits.NAME:
            _add(problems, name, limits.too_long(limits.NAME))
    _past_date(problems, "agreed_on", data.agreed_on, timezone.localdate(now),
               "Enter the date it was agreed")
    if data.agreed_on is not None and data.agreed_on < timezone.localdate(analysis.created_at):
        _add(problems, "agreed_on", "It cannot have been agreed before it was drafted")
    if problems:
        raise ValidationError(problems)
    before = _tna_snapshot(analysis)
    analysis.state = TnaState.AGREED
    analysis.training_provider = data.training_provider.strip()
    analysis.agreed_by = data.agreed_by.strip()
    analysis.agreed_on = data.agreed_on
    analysis.agreement_recorded_by = _user(actor)
    analysis.save()
    audit_record(
        actor=actor, action=AuditAction.CHANGE, organisation=analysis.organisation,
        obj=analysis,
        summary=f"Training needs analysis version {analysis.version} agreed with "
                f"{analysis.training_provider}",
        before=before, after=_tna_snapshot(analysis),
    )
    return analysis


@transaction.atomic
def tna_sign_off(
    *, actor: Actor, analysis: TrainingNeedsAnalysis, now: dt.datetime | None = None
) -> TrainingNeedsAnalysis:
    """The executive lead signs off the agreed analysis (standard 3.4.II-III): it comes into
    force at once, supersedes the version in force for the same scope, keeps the incident
    profile it was signed on, and is due for review a year later (3.4.1)."""
    from rrp.workforce.tna_profile import incident_profile

    now = now or timezone.now()
    organisation = analysis.organisation
    user = _user(actor)
    # Checked here as well as on the page: the CLI, the API and the demo come through here.
    if user is None or not user.has_perm("workforce.sign_off_tna", organisation):
        raise PermissionDenied("Only the executive lead for reducing restrictive practice signs "
                               "off the training needs analysis (standard 3.4.II)")
    if analysis.state != TnaState.AGREED:
        raise ValidationError({"state": [
            "Record the training provider's agreement before it is signed off (standard 3.4.II)"
        ]})
    # Locks the scope's rows: two leads signing off at once cannot both come into force.
    current = (
        TrainingNeedsAnalysis.objects.select_for_update()
        .filter(organisation=organisation, service_type=analysis.service_type,
                state=TnaState.IN_FORCE)
        .first()
    )
    before = _tna_snapshot(analysis)
    today = timezone.localdate(now)
    if current is not None:
        current_before = _tna_snapshot(current)
        current.state = TnaState.SUPERSEDED
        current.superseded_at = now
        current.superseded_by = analysis
        current.save()
        audit_record(
            actor=actor, action=AuditAction.CHANGE, organisation=organisation, obj=current,
            summary=f"Training needs analysis version {current.version} superseded by version "
                    f"{analysis.version}",
            before=current_before, after=_tna_snapshot(current),
        )
    analysis.state = TnaState.IN_FORCE
    analysis.signed_off_by = user
    analysis.signed_off_at = now
    analysis.review_due_on = st.add_months(today, TNA_REVIEW_MONTHS)
    analysis.incident_profile = incident_profile(organisation, today,
                                                 service_type=analysis.service_type)
    analysis.save()
    audit_record(
        actor=actor, action=AuditAction.CHANGE, organisation=organisation, obj=analysis,
        summary=f"Training needs analysis version {analysis.version} signed off and in force",
        before=before, after=_tna_snapshot(analysis),
    )
    return analysis


def tna_input_of(analysis: TrainingNeedsAnalysis) -> TnaInput:
    return TnaInput(service_type=analysis.service_type,
                    **{name: getattr(analysis, name) for name, _l, _r in TNA_SECTIONS})
