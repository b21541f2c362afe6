"""Every write to risk assessments, safety plans and physical health checks.

Each function is keyword-only, runs in one transaction and audits in it. Every problem is
found before anything is written and raised as one ValidationError naming each field, so a
form shows them all at once and nothing already recorded changes.

A safety plan version or a risk assessment recorded after a use of force meets that incident's
"care_plan_review" duty (standard 2.2.V, 2.3.XVIII) through the incidents service, so the duty
disappears from the same worklist as the other post-incident duties.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_created, audit_record, snapshot
from rrp.careplans import codes
from rrp.careplans.due_rules import examination_due_on
from rrp.careplans.inputs import (
    PLAN_CODE_FIELDS,
    PLAN_TEXT_FIELDS,
    HealthCheckInput,
    RiskAssessmentInput,
    SafetyPlanInput,
)
from rrp.careplans.models import (
    HealthCheck,
    RiskAssessment,
    RiskFactorEntry,
    SafetyPlan,
    SafetyPlanVersion,
)
from rrp.careplans.selectors import open_care_plan_reviews
from rrp.incidents.duty_rules import ALL_INTERVENTION_CODES, PHYSICAL_RESTRAINT_CODES
from rrp.incidents.models import Incident
from rrp.incidents.services import review_record
from rrp.organisations.models import Membership
from rrp.patients.models import Admission, Patient

Problems = dict[str, list[str]]

# A plan reviewed less often than yearly is not "regularly reviewed" (standard 2.5.1.VIII).
LONGEST_REVIEW_INTERVAL = dt.timedelta(days=366)


def _user(actor: Actor) -> Any:
    user = actor.user
    return user if user is not None and user.is_authenticated else None


def signer_of(actor: Actor, organisation: Any) -> tuple[str, str]:
    """The name and job title a signature carries, as the person is known in this provider."""
    user = _user(actor)
    if user is None:
        return ("RRP system", "")
    title = (
        Membership.objects.filter(user=user, organisation=organisation)
        .exclude(job_title="")
        .values_list("job_title", flat=True)
        .first()
    )
    return (user.get_full_name() or user.get_username(), title or "")


def _date_problems(
    problems: Problems, name: str, value: dt.date | None, today: dt.date, missing: str
) -> None:
    if value is None:
        problems.setdefault(name, []).append(missing)
    elif value > today:
        problems.setdefault(name, []).append("The date cannot be in the future")


def _review_date_problems(
    problems: Problems, review_on: dt.date | None, from_day: dt.date | None, today: dt.date
) -> None:
    # standard 2.3.XXI: review dates should be stated in the individual's care plan.
    if review_on is None:
        problems.setdefault("review_on", []).append("Enter the date this will be reviewed")
        return
    if review_on < today:
        problems.setdefault("review_on", []).append("The review date must be today or later")
    elif from_day is not None and review_on - from_day > LONGEST_REVIEW_INTERVAL:
        problems.setdefault("review_on", []).append(
            "The review date must be within a year: plans are reviewed regularly "
            "(standard 2.5.1.VIII)"
        )


def _incident_of(patient: Patient, incident_id: int | None, problems: Problems) -> Incident | None:
    if incident_id is None:
        return None
    incident = Incident.objects.filter(
        pk=incident_id, organisation=patient.organisation, patient=patient
    ).first()
    if incident is None:
        problems.setdefault("incident_id", []).append(
            "Choose a use of force recorded for this person"
        )
    return incident


def _codes_problems(data: SafetyPlanInput, problems: Problems) -> None:
    for name in PLAN_CODE_FIELDS:
        allowed = (
            PHYSICAL_RESTRAINT_CODES if name == "positions_to_avoid" else ALL_INTERVENTION_CODES
        )
        for index, code in enumerate(getattr(data, name)):
            if code not in allowed:
                what = (
                    "a physical restraint position"
                    if name == "positions_to_avoid"
                    else "an intervention type"
                )
                problems.setdefault(f"{name}.{index}", []).append(
                    f"'{code}' is not {what}: use the MHSDS codes"
                )
    preferred = set(data.preferred_interventions)
    less = set(data.less_preferred_interventions)
    avoid = set(data.positions_to_avoid)
    if preferred & less:
        problems.setdefault("less_preferred_interventions", []).append(
            "An intervention cannot be both preferred and less preferred"
        )
    if avoid & (preferred | less):
        problems.setdefault("positions_to_avoid", []).append(
            "A position the person asked not to be held in cannot also be an agreed intervention"
        )


def safety_plan_problems(data: SafetyPlanInput, *, today: dt.date, first_version: bool) -> Problems:
    """Everything wrong with a safety plan version, by field, in words a nurse understands."""
    problems: Problems = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if data.occasion not in codes.PlanOccasion.values:
        add("occasion", "Choose why this plan is being written or reviewed")
    _date_problems(
        problems,
        "agreed_on",
        data.agreed_on,
        today,
        "Enter the date the plan was discussed with the person",
    )
    # standard 2.3.I: co-produced with the person and, where appropriate, their carer.
    if data.person_took_part not in codes.Participation.values:
        add("person_took_part", "Say whether the person took part in writing the plan")
    elif data.person_took_part == codes.Participation.YES and not data.persons_words.strip():
        add("persons_words", "Write down what the person said, in their own words")
    if data.carer_took_part not in codes.CarerParticipation.values:
        add("carer_took_part", "Say whether a family member or carer took part")
    # standard 2.3.III: known triggers and early warning signs; 2.3.XIII: what helps.
    if not data.triggers.strip():
        add("triggers", "Enter the known triggers, or ‘None known yet’")
    if not data.amber_signs.strip():
        add("amber_signs", "Enter the early warning signs, or ‘None known yet’")
    if not (data.green_support.strip() or data.amber_support.strip()):
        add("amber_support", "Enter what helps the person when they are becoming distressed")
    _codes_problems(data, problems)
    seen: set[str] = set()
    for index, factor in enumerate(data.risk_factors):
        if factor.code not in codes.RiskFactor.values:
            add(
                f"risk_factors.{index}.code",
                f"'{factor.code}' is not a physical health risk factor",
            )
            continue
        if factor.code in seen:
            add(f"risk_factors.{index}.code", "This risk factor is listed twice")
        seen.add(factor.code)
        # standard 2.5.1.VII: the plan identifies the condition and the strategies to minimise it.
        if not factor.strategies.strip():
            label = dict(codes.RiskFactor.choices)[factor.code]
            add(
                f"risk_factors.{index}.strategies",
                f"Enter the strategies to reduce the risk from {str(label).lower()}",
            )
    if not first_version and not data.changes.strip():
        add("changes", "Say what this review changed, or that nothing needed to change")
    _review_date_problems(problems, data.review_on, data.agreed_on, today)
    return problems


@transaction.atomic
def safety_plan_version_create(
    *,
    actor: Actor,
    patient: Patient,
    data: SafetyPlanInput,
    late_reason: str = "",
    now: dt.datetime | None = None,
) -> SafetyPlanVersion:
    """Sign a new version of the person's safety plan: the first, or a review of the last."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    organisation = patient.organisation
    plan = SafetyPlan.objects.select_for_update().filter(patient=patient).first()
    previous = (
        plan.versions.filter(entered_in_error_at__isnull=True).order_by("-number").first()
        if plan
        else None
    )
    problems = safety_plan_problems(data, today=today, first_version=previous is None)
    incident = _incident_of(patient, data.incident_id, problems)
    name, job_title = signer_of(actor, organisation)
    _late_review_problems(patient, now, late_reason, problems)
    if problems:
        raise ValidationError(problems)
    assert data.agreed_on is not None and data.review_on is not None  # checked above
    if plan is None:
        plan = SafetyPlan.objects.create(organisation=organisation, patient=patient)
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = SafetyPlanVersion(
        organisation=organisation,
        plan=plan,
        number=number,
        occasion=data.occasion,
        incident=incident,
        agreed_on=data.agreed_on,
        person_took_part=data.person_took_part,
        carer_took_part=data.carer_took_part,
        review_on=data.review_on,
        communication_passport=data.communication_passport,
        signed_by=_user(actor),
        signed_name=name,
        signed_job_title=job_title,
        signed_at=now,
        **{field: getattr(data, field).strip() for field in PLAN_TEXT_FIELDS},
        **{field: sorted(set(getattr(data, field))) for field in PLAN_CODE_FIELDS},
    )
    version.save()
    RiskFactorEntry.objects.bulk_create(
        RiskFactorEntry(
            version=version, code=f.code, notes=f.notes.strip(), strategies=f.strategies.strip()
        )
        for f in data.risk_factors
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        organisation=organisation,
        obj=version,
        summary=f"Safety plan version {number} signed for {patient.local_id}",
        after={**snapshot(version), "risk_factors": [asdict(f) for f in data.risk_factors]},
    )
    _meet_care_plan_reviews(
        actor=actor,
        patient=patient,
        moment=now,
        late_reason=late_reason,
        now=now,
        reviewer=version.signature,
        notes=f"Safety plan version {number} signed. {data.changes.strip()}".strip(),
    )
    return version


def _mark_entered_in_error(
    *,
    actor: Actor,
    record: SafetyPlanVersion | RiskAssessment | HealthCheck,
    what: str,
    reason: str,
    now: dt.datetime | None,
    summary: str,
) -> None:
    """Never a deletion: the record stays, marked with when and why. `what` names the record
    in the messages ("version", "assessment", "check")."""
    if not reason.strip():
        raise ValidationError({"reason": [f"Say why this {what} was entered in error"]})
    if record.entered_in_error_at is not None:
        raise ValidationError({"reason": [f"This {what} is already marked as entered in error"]})
    record.entered_in_error_at = now or timezone.now()
    record.entered_in_error_reason = reason.strip()
    record.save(update_fields=["entered_in_error_at", "entered_in_error_reason"])
    audit_record(
        actor=actor,
        action=AuditAction.ENTERED_IN_ERROR,
        organisation=record.organisation,
        obj=record,
        summary=summary,
        after={"reason": record.entered_in_error_reason},
    )


@transaction.atomic
def safety_plan_version_mark_entered_in_error(
    *, actor: Actor, version: SafetyPlanVersion, reason: str, now: dt.datetime | None = None
) -> SafetyPlanVersion:
    """Never a deletion: the version stays, marked, and the one before becomes current."""
    _mark_entered_in_error(
        actor=actor,
        record=version,
        what="version",
        reason=reason,
        now=now,
        summary=f"Safety plan version {version.number} of {version.plan.patient.local_id} "
        "marked as entered in error",
    )
    return version


@transaction.atomic
def safety_plan_printed(*, actor: Actor, version: SafetyPlanVersion) -> None:
    """A paper copy leaves the system (standard 2.4.VII: governance of paper plans)."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        organisation=version.organisation,
        obj=version,
        summary=f"Safety plan version {version.number} of {version.plan.patient.local_id} printed",
    )


# ---------------------------------------------------------------------------------------------
# Risk assessments (standard 2.2)
# ---------------------------------------------------------------------------------------------


def risk_assessment_problems(data: RiskAssessmentInput, *, today: dt.date) -> Problems:
    problems: Problems = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    _date_problems(
        problems, "assessed_on", data.assessed_on, today, "Enter the date of the assessment"
    )
    if data.occasion not in codes.AssessmentOccasion.values:
        add("occasion", "Choose why the risk was assessed")
    if not data.summary.strip():
        add("summary", "Enter the formulation and summary of the assessment")
    # standard 2.2.I: separate elements for risks to self and to others.
    if data.risk_to_self not in codes.RiskLevel.values:
        add("risk_to_self", "Choose the level of risk to self")
    if data.risk_to_others not in codes.RiskLevel.values:
        add("risk_to_others", "Choose the level of risk to others")
    if not data.sources:
        add("sources", "Choose the sources of information used")
    for index, source in enumerate(data.sources):
        if source not in codes.InformationSource.values:
            add(f"sources.{index}", f"'{source}' is not a source of information on the list")
    # standard 2.2.II: in collaboration with the person and, if appropriate, their carer.
    if data.person_took_part not in codes.Participation.values:
        add("person_took_part", "Say whether the person took part in the assessment")
    if data.carer_took_part not in codes.CarerParticipation.values:
        add("carer_took_part", "Say whether a family member or carer took part")
    # standard 2.2.III: findings communicated to all relevant staff.
    for index, audience in enumerate(data.communicated_to):
        if audience not in codes.CommunicatedTo.values:
            add(f"communicated_to.{index}", f"'{audience}' is not on the list")
    if data.communicated_to and data.communicated_on is None:
        add("communicated_on", "Enter the date the findings were shared")
    if data.communicated_on is not None:
        if data.communicated_on > today:
            add("communicated_on", "The date cannot be in the future")
        elif data.assessed_on is not None and data.communicated_on < data.assessed_on:
            add("communicated_on", "The findings cannot be shared before the assessment")
        if not data.communicated_to:
            add("communicated_to", "Choose who the findings were shared with")
    _review_date_problems(problems, data.review_on, data.assessed_on, today)
    return problems


@transaction.atomic
def risk_assessment_create(
    *,
    actor: Actor,
    patient: Patient,
    data: RiskAssessmentInput,
    late_reason: str = "",
    now: dt.datetime | None = None,
) -> RiskAssessment:
    now = now or timezone.now()
    problems = risk_assessment_problems(data, today=timezone.localdate(now))
    incident = _incident_of(patient, data.incident_id, problems)
    _late_review_problems(patient, now, late_reason, problems)
    if problems:
        raise ValidationError(problems)
    name, job_title = signer_of(actor, patient.organisation)
    values = asdict(data)
    values.pop("incident_id")
    assessment = RiskAssessment(
        organisation=patient.organisation,
        patient=patient,
        incident=incident,
        assessed_by=_user(actor),
        assessor_name=name,
        assessor_job_title=job_title,
        recorded_at=now,
        **values,
    )
    for text in (
        "summary",
        "method",
        "risk_to_self_detail",
        "risk_to_others_detail",
        "other_risks",
        "sources_detail",
    ):
        setattr(assessment, text, getattr(assessment, text).strip())
    assessment.save()
    audit_created(
        actor=actor,
        organisation=patient.organisation,
        obj=assessment,
        summary=f"Risk assessment recorded for {patient.local_id}",
    )
    _meet_care_plan_reviews(
        actor=actor,
        patient=patient,
        moment=now,
        late_reason=late_reason,
        now=now,
        reviewer=", ".join(p for p in (name, job_title) if p),
        notes=f"Risk assessment of {assessment.assessed_on:%d/%m/%Y} recorded: "
        f"risk to self {assessment.get_risk_to_self_display().lower()}, risk to others "
        f"{assessment.get_risk_to_others_display().lower()}.",
    )
    return assessment


@transaction.atomic
def risk_assessment_mark_entered_in_error(
    *, actor: Actor, assessment: RiskAssessment, reason: str, now: dt.datetime | None = None
) -> RiskAssessment:
    _mark_entered_in_error(
        actor=actor,
        record=assessment,
        what="assessment",
        reason=reason,
        now=now,
        summary=f"Risk assessment of {assessment.patient.local_id} marked as entered in error",
    )
    return assessment


# ---------------------------------------------------------------------------------------------
# The care plan review duty after a use of force
# ---------------------------------------------------------------------------------------------


def _late_review_problems(
    patient: Patient, moment: dt.datetime, late_reason: str, problems: Problems
) -> None:
    """A review meeting an overdue duty needs the reason for the delay (as every late duty
    after a use of force does), asked for here so the form names the field."""
    if late_reason.strip():
        return
    late = [d for d in open_care_plan_reviews(patient, before=moment) if d.due_at < moment]
    if late:
        references = ", ".join(d.incident.reference for d in late)
        due = min(d.due_at for d in late)
        problems.setdefault("late_reason", []).append(
            f"The care plan review after {references} was due by "
            f"{timezone.localtime(due):%d/%m/%Y %H:%M}: say why it is late"
        )


def _meet_care_plan_reviews(
    *,
    actor: Actor,
    patient: Patient,
    moment: dt.datetime,
    reviewer: str,
    notes: str,
    late_reason: str,
    now: dt.datetime,
) -> None:
    for duty in open_care_plan_reviews(patient, before=moment):
        review_record(
            actor=actor,
            incident=duty.incident,
            kind="care_plan_review",
            reviewed_at=moment,
            reviewer=reviewer or "Not recorded",
            notes=notes,
            late_reason=late_reason.strip() if duty.due_at < moment else "",
            now=now,
        )


# ---------------------------------------------------------------------------------------------
# Physical health checks (standard 2.5.1)
# ---------------------------------------------------------------------------------------------

_OUTCOMES = {
    codes.HealthCheckKind.EXAMINATION: codes.ExaminationOutcome,
    codes.HealthCheckKind.CAPACITY_PRN: codes.CapacityOutcome,
    codes.HealthCheckKind.MEDICATION_REVIEW: codes.MedicationReviewOutcome,
}


def admission_on(patient: Patient, day: dt.date) -> Admission | None:
    """The ward stay a check on `day` belongs to: the one current that day, else the latest
    one that started on or before it."""
    stays = Admission.objects.filter(
        patient=patient, admitted_on__lte=day, entered_in_error_reason=""
    ).order_by("-admitted_on")
    current = next((a for a in stays if a.is_current_on(day) or a.admitted_on == day), None)
    return current or stays.first()


def health_check_problems(data: HealthCheckInput, *, today: dt.date) -> Problems:
    problems: Problems = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if data.kind not in codes.HealthCheckKind.values:
        add("kind", "Choose which check this is")
        return problems
    kind = codes.HealthCheckKind(data.kind)
    _date_problems(problems, "done_on", data.done_on, today, "Enter the date of the check")
    if data.outcome not in _OUTCOMES[kind].values:
        add("outcome", "Choose the outcome")
    if not data.done_by_name.strip():
        add("done_by_name", "Enter who carried out the check")
    if (
        kind == codes.HealthCheckKind.EXAMINATION
        and data.outcome
        in {codes.ExaminationOutcome.DECLINED, codes.ExaminationOutcome.NOT_POSSIBLE}
        and not data.notes.strip()
    ):
        add("notes", "Say why the examination did not happen and when it will be offered again")
    if (
        kind == codes.HealthCheckKind.EXAMINATION
        and data.outcome == codes.ExaminationOutcome.EXAMINED
        and not data.notes.strip()
    ):
        add("notes", "Record the findings and the physical needs assessed")
    # standard 2.3.XVI: medication is reviewed regularly, so each review sets the next.
    if kind == codes.HealthCheckKind.MEDICATION_REVIEW and data.next_due_on is None:
        add("next_due_on", "Enter the date of the next medication review")
    if (
        data.next_due_on is not None
        and data.done_on is not None
        and data.next_due_on <= data.done_on
    ):
        add("next_due_on", "The next date must be after the date of this check")
    return problems


@transaction.atomic
def health_check_record(
    *, actor: Actor, patient: Patient, data: HealthCheckInput, now: dt.datetime | None = None
) -> HealthCheck:
    now = now or timezone.now()
    problems = health_check_problems(data, today=timezone.localdate(now))
    admission = admission_on(patient, data.done_on) if data.done_on else None
    if data.kind == codes.HealthCheckKind.EXAMINATION and data.done_on and admission is None:
        problems.setdefault("done_on", []).append(
            "The examination on admission needs a ward stay that started on or before this date"
        )
    if problems:
        raise ValidationError(problems)
    assert data.done_on is not None  # checked above
    check = HealthCheck(
        organisation=patient.organisation,
        patient=patient,
        admission=admission,
        kind=data.kind,
        done_on=data.done_on,
        outcome=data.outcome,
        notes=data.notes.strip(),
        stomp=data.stomp,
        next_due_on=data.next_due_on,
        done_by_name=data.done_by_name.strip(),
        recorded_by=_user(actor),
        recorded_at=now,
    )
    check.save()
    late = ""
    if (
        check.kind == codes.HealthCheckKind.EXAMINATION
        and admission is not None
        and check.done_on > examination_due_on(admission.admitted_on)
    ):
        late = " (more than 24 hours after admission)"
    audit_created(
        actor=actor,
        organisation=patient.organisation,
        obj=check,
        summary=f"{check.get_kind_display()} recorded for {patient.local_id}{late}",
    )
    return check


@transaction.atomic
def health_check_mark_entered_in_error(
    *, actor: Actor, check: HealthCheck, reason: str, now: dt.datetime | None = None
) -> HealthCheck:
    _mark_entered_in_error(
        actor=actor,
        record=check,
        what="check",
        reason=reason,
        now=now,
        summary=f"{check.get_kind_display()} of {check.patient.local_id} marked as "
        "entered in error",
    )
    return check
