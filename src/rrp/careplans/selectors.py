"""Reads of plans, assessments and physical health checks, always within one organisation.

`current_safety_plan(patient)` is what the use of force form shows first; `plan_rows` is the
list of people on the wards with the state of their plan (ward page, home page, worklist).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from rrp.careplans import codes
from rrp.careplans.due_rules import (
    CheckState,
    ReviewState,
    examination_due_on,
    examination_state,
    medication_review_due_on,
    review_state,
    stomp_applies,
)
from rrp.careplans.models import HealthCheck, RiskAssessment, RiskFactorEntry, SafetyPlanVersion
from rrp.incidents.models import Duty
from rrp.patients.models import Admission, Patient


def _versions() -> QuerySet[SafetyPlanVersion]:
    return SafetyPlanVersion.objects.select_related(
        "plan", "plan__patient", "incident"
    ).prefetch_related(Prefetch("risk_factors", queryset=RiskFactorEntry.objects.order_by("pk")))


def current_safety_plan(patient: Patient) -> SafetyPlanVersion | None:
    """The latest signed version not entered in error: what staff follow now."""
    return (
        _versions()
        .filter(
            plan__patient=patient,
            organisation=patient.organisation,
            entered_in_error_at__isnull=True,
        )
        .order_by("-number")
        .first()
    )


def safety_plan_at(patient: Patient, moment: dt.datetime) -> SafetyPlanVersion | None:
    """The version that was current at `moment`: the plan staff had in front of them when a
    use of force happened (Use of Force Act s.6(5)(d) asks about the plan at that time)."""
    return (
        _versions()
        .filter(
            plan__patient=patient,
            organisation=patient.organisation,
            entered_in_error_at__isnull=True,
            signed_at__lte=moment,
        )
        .order_by("-number")
        .first()
    )


def safety_plan_versions(patient: Patient) -> QuerySet[SafetyPlanVersion]:
    """Every version, newest first, including any entered in error (they stay visible)."""
    return (
        _versions()
        .filter(plan__patient=patient, organisation=patient.organisation)
        .order_by("-number")
    )


def safety_plan_version(patient: Patient, number: int) -> SafetyPlanVersion | None:
    return safety_plan_versions(patient).filter(number=number).first()


def risk_assessments_of(patient: Patient) -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.filter(
        patient=patient, organisation=patient.organisation
    ).select_related("incident")


def current_risk_assessment(patient: Patient) -> RiskAssessment | None:
    return risk_assessments_of(patient).filter(entered_in_error_at__isnull=True).first()


def open_care_plan_reviews(patient: Patient, *, before: dt.datetime | None = None) -> list[Duty]:
    """The person's care plan review duties still open after a use of force (one per incident),
    soonest due first. `before`: only incidents that had ended by then."""
    duties = (
        Duty.objects.for_organisation(patient.organisation)
        .filter(
            kind="care_plan_review",
            completed_at__isnull=True,
            not_required_reason="",
            incident__patient=patient,
            incident__entered_in_error_at__isnull=True,
            incident__ended_at__isnull=False,
        )
        .exclude(incident__status="draft")
        .select_related("incident")
        .order_by("due_at", "pk")
    )
    if before is not None:
        duties = duties.filter(incident__ended_at__lte=before)
    return list(duties)


# ---------------------------------------------------------------------------------------------
# Physical health (standard 2.5.1)
# ---------------------------------------------------------------------------------------------


def _current_admissions(organisation: Any, today: dt.date) -> QuerySet[Admission]:
    return (
        Admission.objects.for_organisation(organisation)
        .filter(
            admitted_on__lte=today, entered_in_error_reason="", patient__entered_in_error_reason=""
        )
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=today))
    )


def latest_admission(patient: Patient, today: dt.date) -> Admission | None:
    return (
        Admission.objects.filter(
            patient=patient, admitted_on__lte=today, entered_in_error_reason=""
        )
        .select_related("ward")
        .order_by("-admitted_on")
        .first()
    )


@dataclass(frozen=True)
class HealthStatus:
    """Where one person's physical health checks stand today."""

    admission: Admission | None
    examination: HealthCheck | None
    examination_state: CheckState | None
    examination_due_on: dt.date | None
    capacity: HealthCheck | None
    capacity_state: ReviewState
    medication_review: HealthCheck | None
    medication_due_on: dt.date | None
    medication_state: ReviewState | None
    stomp_applies: bool
    checks: list[HealthCheck]

    @property
    def stomp_missing(self) -> bool:
        """standard 2.5.1.IV: the last review of a person with a learning disability or autism
        was not a STOMP review."""
        return self.stomp_applies and (
            self.medication_review is None or not self.medication_review.stomp
        )


def _latest(
    checks: list[HealthCheck], kind: str, admission: Admission | None = None
) -> HealthCheck | None:
    for check in checks:  # newest first
        if check.kind == kind and (admission is None or check.admission_id == admission.pk):
            return check
    return None


def health_status(patient: Patient, today: dt.date) -> HealthStatus:
    checks = list(
        HealthCheck.objects.filter(
            patient=patient, organisation=patient.organisation, entered_in_error_at__isnull=True
        ).order_by("-done_on", "-recorded_at", "-pk")
    )
    admission = latest_admission(patient, today)
    exam = exam_state = exam_due = None
    medication_due = medication_state = None
    if admission is not None:
        this_stay = [c for c in checks if c.admission_id == admission.pk]
        exam = next(
            (
                c
                for c in this_stay
                if c.kind == codes.HealthCheckKind.EXAMINATION
                and c.outcome == codes.ExaminationOutcome.EXAMINED
            ),
            None,
        )
        declined = exam is None and any(
            c.kind == codes.HealthCheckKind.EXAMINATION for c in this_stay
        )
        if exam is None and declined:
            exam = _latest(this_stay, codes.HealthCheckKind.EXAMINATION)
        exam_due = examination_due_on(admission.admitted_on)
        exam_state = examination_state(
            admission.admitted_on,
            exam.done_on if exam and exam.outcome == codes.ExaminationOutcome.EXAMINED else None,
            today,
            declined=declined,
        )
    medication = _latest(checks, codes.HealthCheckKind.MEDICATION_REVIEW)
    if admission is not None and admission.is_current_on(today):
        stay_review = _latest(checks, codes.HealthCheckKind.MEDICATION_REVIEW, admission)
        medication_due = medication_review_due_on(
            admission.admitted_on, stay_review.next_due_on if stay_review else None
        )
        medication_state = review_state(medication_due, today)
    capacity = _latest(checks, codes.HealthCheckKind.CAPACITY_PRN)
    capacity_state: ReviewState = (
        review_state(capacity.next_due_on, today)
        if capacity and capacity.next_due_on
        else "in_date"
        if capacity
        else "missing"
    )
    return HealthStatus(
        admission=admission,
        examination=exam,
        examination_state=exam_state,
        examination_due_on=exam_due,
        capacity=capacity,
        capacity_state=capacity_state,
        medication_review=medication,
        medication_due_on=medication_due,
        medication_state=medication_state,
        stomp_applies=stomp_applies(patient.learning_disability_autism),
        checks=checks,
    )


@dataclass(frozen=True)
class ExaminationRow:
    admission: Admission
    state: CheckState
    due_on: dt.date


def examinations_outstanding(
    organisation: Any, today: dt.date, *, ward: str | None = None
) -> list[ExaminationRow]:
    """People on a ward today whose examination on admission is not done (standard 2.5.1.I),
    overdue first."""
    admissions = _current_admissions(organisation, today).select_related("patient", "ward")
    if ward:
        admissions = admissions.filter(ward__code=ward)
    examined = set(
        HealthCheck.objects.for_organisation(organisation)
        .filter(
            kind=codes.HealthCheckKind.EXAMINATION,
            outcome=codes.ExaminationOutcome.EXAMINED,
            entered_in_error_at__isnull=True,
            admission__in=admissions,
        )
        .values_list("admission_id", flat=True)
    )
    declined = set(
        HealthCheck.objects.for_organisation(organisation)
        .filter(
            kind=codes.HealthCheckKind.EXAMINATION,
            entered_in_error_at__isnull=True,
            admission__in=admissions,
        )
        .exclude(outcome=codes.ExaminationOutcome.EXAMINED)
        .values_list("admission_id", flat=True)
    )
    rows = [
        ExaminationRow(
            a,
            examination_state(a.admitted_on, None, today, declined=a.pk in declined),
            examination_due_on(a.admitted_on),
        )
        for a in admissions
        if a.pk not in examined
    ]
    return sorted(
        rows, key=lambda r: (r.state != "overdue", r.due_on, r.admission.patient.local_id)
    )


# ---------------------------------------------------------------------------------------------
# People on the wards and their plans (ward page, home page, the plans worklist)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    """A person on a ward today and where their safety plan stands."""

    patient: Patient
    admission: Admission
    version: SafetyPlanVersion | None
    state: ReviewState  # "missing" when there is no current plan

    @property
    def ward(self) -> Any:
        return self.admission.ward


_STATE_ORDER = {"overdue": 0, "missing": 1, "due_soon": 2, "in_date": 3}


def plan_rows(
    organisation: Any, today: dt.date, *, ward: str | None = None, state: str | None = None
) -> list[PlanRow]:
    """Everyone on a ward today with the state of their current plan: overdue and missing first.

    Two queries whatever the number of people: the stays, then their plans' latest versions.
    """
    admissions = list(
        _current_admissions(organisation, today)
        .select_related("patient", "ward")
        .filter(**({"ward__code": ward} if ward else {}))
        .order_by("ward__name", "patient__local_id", "-admitted_on")
    )
    seen: set[int] = set()
    stays = []
    for admission in admissions:  # one row per person, their latest stay
        if admission.patient_id not in seen:
            seen.add(admission.patient_id)
            stays.append(admission)
    latest: dict[int, SafetyPlanVersion] = {}
    for version in (
        SafetyPlanVersion.objects.for_organisation(organisation)
        .filter(plan__patient_id__in=seen, entered_in_error_at__isnull=True)
        .select_related("plan")
        .order_by("plan__patient_id", "-number")
    ):
        latest.setdefault(version.plan.patient_id, version)
    rows = []
    for admission in stays:
        found = latest.get(admission.patient_id)
        row_state: ReviewState = review_state(found.review_on, today) if found else "missing"
        rows.append(PlanRow(admission.patient, admission, found, row_state))
    if state:
        rows = [r for r in rows if r.state == state]
    return sorted(rows, key=lambda r: (_STATE_ORDER[r.state], r.ward.name, r.patient.local_id))


def ward_safety_plans(ward: Any, today: dt.date) -> list[PlanRow]:
    """For the ward page: everyone on this ward today and their plan's state."""
    return plan_rows(ward.organisation, today, ward=ward.code)


@dataclass(frozen=True)
class PlanCounts:
    overdue: int
    missing: int
    due_soon: int
    in_date: int

    @property
    def needing_action(self) -> int:
        return self.overdue + self.missing


def plan_counts(rows: list[PlanRow]) -> PlanCounts:
    tally = dict.fromkeys(_STATE_ORDER, 0)
    for row in rows:
        tally[row.state] += 1
    return PlanCounts(**tally)


def patient_page_context(patient: Patient, today: dt.date) -> dict[str, Any]:
    """What the patient page shows of the person's care: the plan at a glance, the current
    risk assessment and the physical health checks (careplans/includes/patient_care_summary)."""
    return {
        "safety_plan": current_safety_plan(patient),
        "risk_assessment": current_risk_assessment(patient),
        "health": health_status(patient, today),
        "care_plan_reviews": open_care_plan_reviews(patient),
    }
