"""Every write about what a course teaches and how its sessions went: the physical techniques
of the training manual with their risk assessments and the executive lead's sign-off
(standard 3.4.2.XXIV-XXXI), and, on a session, injuries, incidents and near misses
(XXXVII), the trainer's course report (XXXVIII) and the evaluation (XL). The lead reviews
the injuries and incidents in a regular audit (XLI).

As in services.py: keyword-only, every problem found before anything is written and raised as
one ValidationError naming each field, one transaction, audited in it. Nothing is deleted: a
technique no longer taught is withdrawn with a reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_changed, audit_created, audit_record, snapshot
from rrp.core import limits
from rrp.workforce import status as st
from rrp.workforce.inputs import (
    CourseReportInput,
    EvaluationInput,
    TechniqueInput,
    TrainingEventInput,
)
from rrp.workforce.models import (
    PHYSICAL_LEVELS,
    RATINGS,
    Course,
    CourseReport,
    PhysicalTechnique,
    SessionEvaluation,
    StaffMember,
    TrainingEvent,
    TrainingEventKind,
    TrainingEventSeverity,
    TrainingSession,
)
from rrp.workforce.services import Problems, _add, _past_date, _user

# 3.4.2.XXIX: physical interventions are regularly reviewed to ensure they remain fit for
# purpose; the RRN Training Standards and the TNA (3.4.1) are reviewed yearly, so these are.
TECHNIQUE_REVIEW_MONTHS = 12

# The assessed content: a change to any of it needs the lead's sign-off again (3.4.2.XXV).
ASSESSED_FIELDS = (
    "name", "description", "training_risks", "physical_risks", "psychological_risks",
    "mitigations", "assessed_by", "assessor_qualification", "assessed_on",
)

# Each text field with what to say when it is empty, and the statement asking for it.
_TECHNIQUE_TEXT: tuple[tuple[str, str], ...] = (
    ("description", "Describe the technique as the training manual does (standard "
                    "3.4.2.XXIV)"),
    ("training_risks", "Write the risks in training (standard 3.4.2.XXVI)"),
    ("physical_risks", "Write the physical risks in practice (standard 3.4.2.XXXI)"),
    ("psychological_risks", "Write the psychological risks in practice (standard "
                            "3.4.2.XXXI)"),
    ("mitigations", "Write how the risks are reduced in clinical practice (standard "
                    "3.4.2.XXX)"),
    ("assessed_by", "Enter who assessed the risks (standard 3.4.2.XXVI)"),
    ("assessor_qualification", "Enter their qualification: an appropriately qualified "
                               "professional, such as a doctor (standard 3.4.2.XXVI)"),
)


def technique_problems(data: TechniqueInput, *, today: dt.date) -> Problems:
    problems: Problems = {}
    if not data.name.strip():
        _add(problems, "name", "Enter the name of the technique")
    elif len(data.name) > limits.NAME:
        _add(problems, "name", limits.too_long(limits.NAME))
    for name, missing in _TECHNIQUE_TEXT:
        value = getattr(data, name)
        if not value.strip():
            _add(problems, name, missing)
        longest = limits.NAME if name in ("assessed_by", "assessor_qualification") \
            else limits.NARRATIVE
        if len(value) > longest:
            _add(problems, name, limits.too_long(longest))
    _past_date(problems, "assessed_on", data.assessed_on, today,
               "Enter the date the risks were assessed")
    return problems


def _apply_technique(technique: PhysicalTechnique, data: TechniqueInput) -> None:
    for name in ASSESSED_FIELDS:
        value = getattr(data, name)
        setattr(technique, name, value.strip() if isinstance(value, str) else value)


def _technique_snapshot(technique: PhysicalTechnique) -> dict[str, Any]:
    return snapshot(technique, exclude=("updated_at",))


@transaction.atomic
def technique_add(
    *, actor: Actor, course: Course, data: TechniqueInput, now: dt.datetime | None = None
) -> PhysicalTechnique:
    """A technique taught on a physical or specialist course, awaiting the lead's sign-off."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    problems = technique_problems(data, today=today)
    if course.level not in PHYSICAL_LEVELS:
        _add(problems, "course", f"{course.code} teaches no physical skills: techniques are "
                                 "recorded on physical and specialist courses")
    elif not course.is_taught_on(today):
        _add(problems, "course", f"{course.code} was withdrawn on {course.withdrawn_on:%d/%m/%Y}")
    if problems:
        raise ValidationError(problems)
    technique = PhysicalTechnique(organisation=course.organisation, course=course,
                                  created_by=_user(actor), created_at=now)
    _apply_technique(technique, data)
    technique.save()
    audit_created(actor=actor, organisation=course.organisation, obj=technique,
                  summary=f"Technique '{technique.name}' added to the {course.code} training "
                          "manual, awaiting sign-off")
    return technique


def _not_withdrawn(technique: PhysicalTechnique) -> None:
    if technique.is_withdrawn:
        raise ValidationError({"technique": [
            f"'{technique.name}' was withdrawn on {technique.withdrawn_on:%d/%m/%Y}"
        ]})


@transaction.atomic
def technique_update(
    *, actor: Actor, technique: PhysicalTechnique, data: TechniqueInput,
    now: dt.datetime | None = None,
) -> PhysicalTechnique:
    """Change a technique or its risk assessment. If anything the lead signed off changes it
    goes back to awaiting sign-off (3.4.2.XXV: the lead signed off the balance of these risks
    as written), as a TNA changed after agreement goes back to draft."""
    now = now or timezone.now()
    _not_withdrawn(technique)
    problems = technique_problems(data, today=timezone.localdate(now))
    if problems:
        raise ValidationError(problems)
    before = _technique_snapshot(technique)
    old = {name: getattr(technique, name) for name in ASSESSED_FIELDS}
    _apply_technique(technique, data)
    if {name: getattr(technique, name) for name in ASSESSED_FIELDS} == old:
        return technique
    note = ""
    if technique.is_signed_off:
        technique.signed_off_by = None
        technique.signed_off_at = None
        technique.review_due_on = None
        note = "; back to awaiting sign-off: the executive lead signs off the changed risks"
    technique.save()
    audit_record(
        actor=actor, action=AuditAction.CHANGE, organisation=technique.organisation,
        obj=technique, summary=f"Technique '{technique.name}' ({technique.course.code}) "
                               f"changed" + note,
        before=before, after=_technique_snapshot(technique),
    )
    return technique


@transaction.atomic
def technique_sign_off(
    *, actor: Actor, technique: PhysicalTechnique, now: dt.datetime | None = None
) -> PhysicalTechnique:
    """The executive lead signs off the balance of the risks (3.4.2.XXV). Signing off again
    is the yearly review (XXIX): the review comes due a year on from each sign-off."""
    now = now or timezone.now()
    user = _user(actor)
    # Checked here as well as on the page: the CLI, the API and the demo come through here.
    if user is None or not user.has_perm("workforce.sign_off_techniques",
                                         technique.organisation):
        raise PermissionDenied("Only the executive lead for reducing restrictive practice signs "
                               "off a technique's risk assessment (standard 3.4.2.XXV)")
    _not_withdrawn(technique)
    before = _technique_snapshot(technique)
    review = technique.is_signed_off
    technique.signed_off_by = user
    technique.signed_off_at = now
    technique.review_due_on = st.add_months(timezone.localdate(now), TECHNIQUE_REVIEW_MONTHS)
    technique.save()
    audit_record(
        actor=actor, action=AuditAction.CHANGE, organisation=technique.organisation,
        obj=technique,
        summary=f"Technique '{technique.name}' ({technique.course.code}) "
                + ("reviewed and signed off again" if review else "signed off"),
        before=before, after=_technique_snapshot(technique),
    )
    return technique


@transaction.atomic
def technique_withdraw(
    *, actor: Actor, technique: PhysicalTechnique, reason: str, now: dt.datetime | None = None
) -> PhysicalTechnique:
    """No longer taught: kept, with when and why (3.4.1: a restrictive component is reviewed
    to see whether it is still needed)."""
    now = now or timezone.now()
    _not_withdrawn(technique)
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the technique is no longer taught"]})
    before = _technique_snapshot(technique)
    technique.withdrawn_on = timezone.localdate(now)
    technique.withdrawn_reason = reason.strip()[: limits.NOTE]
    technique.save()
    audit_record(
        actor=actor, action=AuditAction.CHANGE, organisation=technique.organisation,
        obj=technique,
        summary=f"Technique '{technique.name}' ({technique.course.code}) withdrawn",
        before=before, after=_technique_snapshot(technique),
    )
    return technique


def technique_input_of(technique: PhysicalTechnique) -> TechniqueInput:
    return TechniqueInput(**{name: getattr(technique, name) for name in ASSESSED_FIELDS})


# ---------------------------------------------------------------------------------------------
# A session's injuries and incidents, course report and evaluation (3.4.2.XXXVII-XL)
# ---------------------------------------------------------------------------------------------


def _attendee(session: TrainingSession, staff_id: int, problems: Problems) -> StaffMember | None:
    member = StaffMember.objects.filter(
        organisation=session.organisation, pk=staff_id,
        records__session=session,
    ).first()
    if member is None:
        _add(problems, "staff", "Choose someone who attended this session, or the trainer")
    return member


@transaction.atomic
def training_event_record(
    *, actor: Actor, session: TrainingSession, data: TrainingEventInput,
    now: dt.datetime | None = None,
) -> TrainingEvent:
    """An injury, incident or near miss during the session, to an attendee or the trainer,
    with the reference it was reported under in the trust's incident system (3.4.2.XXXVII:
    accurately recorded and reported through established reporting systems)."""
    now = now or timezone.now()
    problems: Problems = {}
    if data.kind not in TrainingEventKind.values:
        _add(problems, "kind", "Choose injury, incident or near miss")
    if data.severity not in TrainingEventSeverity.values:
        _add(problems, "severity", "Choose how severe it was")
    member = _attendee(session, data.staff_id, problems) if data.staff_id is not None else None
    _past_date(problems, "occurred_on", data.occurred_on, timezone.localdate(now),
               "Enter the date it happened")
    if data.occurred_on is not None and data.occurred_on < session.held_on:
        _add(problems, "occurred_on", f"The session was on {session.held_on:%d/%m/%Y}: it "
                                      "cannot have happened before")
    if not data.what_happened.strip():
        _add(problems, "what_happened", "Say what happened")
    elif len(data.what_happened) > limits.NARRATIVE:
        _add(problems, "what_happened", limits.too_long(limits.NARRATIVE))
    reference = data.incident_reference.strip()
    if len(reference) > 60:
        _add(problems, "incident_reference", "A reference is at most 60 characters")
    if not reference and data.kind == TrainingEventKind.INJURY:
        _add(problems, "incident_reference", "Report the injury through the trust's incident "
                                             "system and enter its reference (standard "
                                             "3.4.2.XXXVII)")
    if problems:
        raise ValidationError(problems)
    assert data.occurred_on is not None
    event = TrainingEvent.objects.create(
        organisation=session.organisation, session=session, kind=data.kind, staff=member,
        occurred_on=data.occurred_on, what_happened=data.what_happened.strip(),
        severity=data.severity, incident_reference=reference, recorded_by=_user(actor),
        recorded_at=now,
    )
    audit_created(actor=actor, organisation=session.organisation, obj=event,
                  summary=f"{event.get_kind_display()} during the {session.course.code} session "
                          f"of {session.held_on:%d/%m/%Y} recorded")
    return event


@transaction.atomic
def training_event_review(
    *, actor: Actor, event: TrainingEvent, note: str, now: dt.datetime | None = None
) -> TrainingEvent:
    """The executive lead's regular audit of injuries and incidents in training (3.4.2.XLI):
    each reviewed once, with what was learned or done."""
    now = now or timezone.now()
    user = _user(actor)
    if user is None or not user.has_perm("workforce.review_training_events", event.organisation):
        raise PermissionDenied("Only the executive lead reviews injuries and incidents in "
                               "training (standard 3.4.2.XLI)")
    if event.reviewed_at is not None:
        raise ValidationError({"review_note": ["This has already been reviewed"]})
    if event.entered_in_error_at is not None:
        raise ValidationError({"review_note": ["This was entered in error"]})
    if not note.strip():
        raise ValidationError({"review_note": ["Write what the review found or what was done"]})
    before = snapshot(event)
    event.reviewed_by = user
    event.reviewed_at = now
    event.review_note = note.strip()[: limits.NARRATIVE]
    event.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    audit_changed(actor=actor, organisation=event.organisation, obj=event,
                  summary=f"{event.get_kind_display()} in training of "
                          f"{event.occurred_on:%d/%m/%Y} reviewed", before=before)
    return event


@transaction.atomic
def training_event_mark_entered_in_error(
    *, actor: Actor, event: TrainingEvent, reason: str, now: dt.datetime | None = None
) -> TrainingEvent:
    """Never a deletion: the event stays, marked with when and why, and stops counting."""
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this was entered in error"]})
    if event.entered_in_error_at is not None:
        raise ValidationError({"reason": ["This is already marked as entered in error"]})
    event.entered_in_error_at = now or timezone.now()
    event.entered_in_error_reason = reason.strip()[: limits.NOTE]
    event.save(update_fields=["entered_in_error_at", "entered_in_error_reason"])
    audit_record(
        actor=actor, action=AuditAction.ENTERED_IN_ERROR, organisation=event.organisation,
        obj=event, summary=f"{event.get_kind_display()} in training of "
                           f"{event.occurred_on:%d/%m/%Y} marked as entered in error",
        after={"reason": event.entered_in_error_reason},
    )
    return event


@transaction.atomic
def course_report_save(
    *, actor: Actor, session: TrainingSession, data: CourseReportInput,
    now: dt.datetime | None = None,
) -> CourseReport:
    """Write or change the trainer's report of the session (3.4.2.XXXVIII). One per session;
    every version is kept in the audit trail."""
    now = now or timezone.now()
    problems: Problems = {}
    if not data.content_delivered.strip():
        _add(problems, "content_delivered", "Outline the content delivered (standard "
                                            "3.4.2.XXXVIII)")
    for name in ("content_delivered", "issues_arising"):
        if len(getattr(data, name)) > limits.NARRATIVE:
            _add(problems, name, limits.too_long(limits.NARRATIVE))
    if problems:
        raise ValidationError(problems)
    report = CourseReport.objects.filter(session=session).first()
    what = f"{session.course.code} session of {session.held_on:%d/%m/%Y}"
    if report is None:
        report = CourseReport.objects.create(
            organisation=session.organisation, session=session,
            content_delivered=data.content_delivered.strip(),
            issues_arising=data.issues_arising.strip(), written_by=_user(actor), written_at=now,
        )
        audit_created(actor=actor, organisation=session.organisation, obj=report,
                      summary=f"Course report of the {what} written")
        return report
    before = snapshot(report, exclude=("updated_at",))
    report.content_delivered = data.content_delivered.strip()
    report.issues_arising = data.issues_arising.strip()
    if snapshot(report, exclude=("updated_at",)) == before:
        return report
    report.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, organisation=session.organisation,
                 obj=report, summary=f"Course report of the {what} changed", before=before,
                 after=snapshot(report, exclude=("updated_at",)))
    return report


def evaluation_problems(data: EvaluationInput, *, attended: int) -> Problems:
    problems: Problems = {}
    if data.forms_returned < 0:
        _add(problems, "forms_returned", "Enter how many forms came back")
    elif data.forms_returned > attended:
        _add(problems, "forms_returned", f"{attended} people attended: at most {attended} "
                                         "forms can come back")
    ratings = 0
    for rating in RATINGS:
        value = getattr(data, f"rating_{rating}")
        if value < 0:
            _add(problems, f"rating_{rating}", "Enter 0 or more")
        ratings += max(value, 0)
    if ratings > data.forms_returned >= 0:
        _add(problems, "forms_returned", f"{ratings} ratings were entered but only "
                                         f"{data.forms_returned} forms came back")
    if len(data.themes) > limits.NARRATIVE:
        _add(problems, "themes", limits.too_long(limits.NARRATIVE))
    return problems


@transaction.atomic
def evaluation_save(
    *, actor: Actor, session: TrainingSession, data: EvaluationInput,
    now: dt.datetime | None = None,
) -> SessionEvaluation:
    """Record or correct what the session's evaluation forms said (3.4.2.XL)."""
    now = now or timezone.now()
    attended = session.records.filter(entered_in_error_at__isnull=True).count()
    problems = evaluation_problems(data, attended=attended)
    if problems:
        raise ValidationError(problems)
    values: dict[str, Any] = {"forms_returned": data.forms_returned,
                              "themes": data.themes.strip(),
                              **{f"rating_{r}": getattr(data, f"rating_{r}") for r in RATINGS}}
    evaluation = SessionEvaluation.objects.filter(session=session).first()
    what = f"{session.course.code} session of {session.held_on:%d/%m/%Y}"
    if evaluation is None:
        evaluation = SessionEvaluation.objects.create(
            organisation=session.organisation, session=session, recorded_by=_user(actor),
            recorded_at=now, **values,
        )
        audit_created(actor=actor, organisation=session.organisation, obj=evaluation,
                      summary=f"Evaluation of the {what} recorded: {data.forms_returned} forms")
        return evaluation
    before = snapshot(evaluation, exclude=("updated_at",))
    for name, value in values.items():
        setattr(evaluation, name, value)
    if snapshot(evaluation, exclude=("updated_at",)) == before:
        return evaluation
    evaluation.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, organisation=session.organisation,
                 obj=evaluation, summary=f"Evaluation of the {what} changed", before=before,
                 after=snapshot(evaluation, exclude=("updated_at",)))
    return evaluation
