"""Live compliance indicators from safety plans, risk assessments and physical health checks.

Registered with the standards registry (rrp.standards.indicators), which imports this module
when the app registry is ready. Each takes the organisation and an IndicatorPeriod (start
inclusive, end exclusive and never in the future, optionally some wards) and counts what RRP
holds; a figure with nothing to measure has the value None.

- 2.2.V   risk assessments kept within their review date (the after-incident part of 2.2.V is
          the incidents indicator "care-plans-reviewed", fed by the same reviews);
- 2.3.I   safety plans written or reviewed in the period with the person taking part;
- 2.3.XXI people on the wards at the end of the period whose plan states a review date that has
          not passed;
- 2.5.1.I admissions in the period with a physical examination within 24 hours.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from rrp.careplans import codes
from rrp.careplans.due_rules import examination_due_on
from rrp.careplans.models import HealthCheck, RiskAssessment, SafetyPlanVersion
from rrp.patients.models import Admission
from rrp.standards.indicators import (
    IndicatorPeriod,
    IndicatorResult,
    counted,
    long_date,
    register,
    share,
)

SOURCE = "Safety plans, risk assessments and physical health checks recorded in RRP"


def _end_of(day: dt.date) -> dt.datetime:
    """Midnight at the end of `day`, UK time."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def last_day(period: IndicatorPeriod) -> dt.date:
    """The last day the period covers (its end is exclusive)."""
    return timezone.localdate(period.end - dt.timedelta(microseconds=1))


def people_on_wards(organisation: Any, period: IndicatorPeriod, day: dt.date) -> list[int]:
    """Patient ids of everyone on a ward (in the period's wards) on `day`."""
    stays = (
        Admission.objects.for_organisation(organisation)
        .filter(
            admitted_on__lte=day, entered_in_error_reason="", patient__entered_in_error_reason=""
        )
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=day))
    )
    if period.wards is not None:
        stays = stays.filter(ward_id__in=period.wards)
    return sorted(set(stays.values_list("patient_id", flat=True)))


def _latest_review_dates(records: QuerySet[Any], key: str) -> dict[int, dt.date]:
    """The review date of each person's latest record (records ordered newest first)."""
    latest: dict[int, dt.date] = {}
    for person, review_on in records.values_list(key, "review_on"):
        latest.setdefault(person, review_on)
    return latest


@register(
    "2.3.XXI",
    key="safety-plan-review-dates",
    title="People on the wards whose safety plan states a review date still to come",
    source=SOURCE,
)
def safety_plan_review_dates(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.3.XXI: review dates should be stated in the individual's care plan. RRP asks
    # for one on every version, so what varies is whether the person has a plan and whether its
    # date has passed.
    day = last_day(period)
    people = people_on_wards(organisation, period, day)
    if not people:
        return IndicatorResult(None, 0, 0, f"Nobody was on the wards on {long_date(day)}")
    versions = (
        SafetyPlanVersion.objects.for_organisation(organisation)
        .filter(plan__patient_id__in=people, signed_at__lt=period.end)
        .filter(Q(entered_in_error_at__isnull=True) | Q(entered_in_error_at__gte=period.end))
        .order_by("plan__patient_id", "-number")
    )
    latest = _latest_review_dates(versions, "plan__patient_id")
    in_date = sum(1 for person in people if person in latest and latest[person] >= day)
    missing = sum(1 for person in people if person not in latest)
    overdue = len(people) - in_date - missing
    text = (
        f"{in_date} of {counted(len(people), 'person', 'people')} on the wards on "
        f"{long_date(day)} had a safety plan with a review date still to come; "
        f"{overdue} past the review date; "
        f"{missing} with no plan"
    )
    return IndicatorResult(share(in_date, len(people)), in_date, len(people), text)


@register(
    "2.2.V",
    key="risk-assessments-in-date",
    title="People on the wards whose risk assessment is within its review date",
    source=SOURCE,
)
def risk_assessments_in_date(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.2.V: risk assessments reviewed in line with organisational policy - the
    # review date each assessment sets is that policy applied to the person.
    day = last_day(period)
    people = people_on_wards(organisation, period, day)
    if not people:
        return IndicatorResult(None, 0, 0, f"Nobody was on the wards on {long_date(day)}")
    assessments = (
        RiskAssessment.objects.for_organisation(organisation)
        .filter(patient_id__in=people, recorded_at__lt=period.end)
        .filter(Q(entered_in_error_at__isnull=True) | Q(entered_in_error_at__gte=period.end))
        .order_by("patient_id", "-assessed_on", "-recorded_at", "-pk")
    )
    latest = _latest_review_dates(assessments, "patient_id")
    in_date = sum(1 for person in people if person in latest and latest[person] >= day)
    missing = sum(1 for person in people if person not in latest)
    text = (
        f"{in_date} of {counted(len(people), 'person', 'people')} on the wards on "
        f"{long_date(day)} had a risk assessment within its review date; "
        f"{len(people) - in_date - missing} past it; "
        f"{missing} with none recorded"
    )
    return IndicatorResult(share(in_date, len(people)), in_date, len(people), text)


@register(
    "2.3.I",
    key="safety-plans-co-produced",
    title="Safety plans written or reviewed with the person",
    source=SOURCE,
)
def safety_plans_co_produced(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.3.I: care plans are coproduced with the person whose plan it is.
    versions = SafetyPlanVersion.objects.for_organisation(organisation).filter(
        signed_at__gte=period.start, signed_at__lt=period.end, entered_in_error_at__isnull=True
    )
    if period.wards is not None:
        start, end = timezone.localdate(period.start), last_day(period)
        versions = (
            versions.filter(
                plan__patient__admissions__ward_id__in=period.wards,
                plan__patient__admissions__admitted_on__lte=end,
            )
            .filter(
                Q(plan__patient__admissions__discharged_on__isnull=True)
                | Q(plan__patient__admissions__discharged_on__gte=start)
            )
            .distinct()
        )
    total = versions.count()
    if not total:
        return IndicatorResult(None, 0, 0, "No safety plans were written or reviewed in the period")
    with_person = versions.filter(person_took_part=codes.Participation.YES).count()
    declined = versions.filter(person_took_part=codes.Participation.DECLINED).count()
    with_carer = versions.filter(carer_took_part=codes.CarerParticipation.YES).count()
    text = (
        f"{with_person} of {counted(total, 'safety plan version')} signed in the period were "
        f"written with the person; {declined} where they chose not to take part; "
        f"a family member or carer took part in {with_carer}"
    )
    return IndicatorResult(share(with_person, total), with_person, total, text)


@register(
    "2.5.1.I",
    key="examination-within-24-hours",
    title="Admissions with a physical examination within 24 hours",
    source=SOURCE,
)
def examinations_within_24_hours(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.5.1.I: on admission, within 24 hours, a basic physical examination. Admissions
    # whose 24 hours had not run out by the end of the period and have no examination yet are
    # not counted: they are neither met nor missed.
    first, day = timezone.localdate(period.start), last_day(period)
    admissions = Admission.objects.for_organisation(organisation).filter(
        admitted_on__gte=first, admitted_on__lte=day, entered_in_error_reason=""
    )
    if period.wards is not None:
        admissions = admissions.filter(ward_id__in=period.wards)
    examined: dict[int, dt.date] = {}
    for admission_id, done_on in (
        HealthCheck.objects.for_organisation(organisation)
        .filter(
            admission__in=admissions,
            kind=codes.HealthCheckKind.EXAMINATION,
            outcome=codes.ExaminationOutcome.EXAMINED,
            entered_in_error_at__isnull=True,
            recorded_at__lt=period.end,
        )
        .order_by("admission_id", "done_on")
        .values_list("admission_id", "done_on")
    ):
        examined.setdefault(admission_id, done_on)
    on_time = late = not_done = 0
    for admission_id, admitted_on in admissions.values_list("pk", "admitted_on"):
        due = examination_due_on(admitted_on)
        done = examined.get(admission_id)
        if done is not None and done <= due:
            on_time += 1
        elif done is not None:
            late += 1
        elif period.end < _end_of(due):
            continue  # still within its 24 hours at the end of the period
        else:
            not_done += 1
    total = on_time + late + not_done
    if not total:
        return IndicatorResult(None, 0, 0, "No admissions in the period to count")
    text = (
        f"{on_time} of {counted(total, 'admission')} in the period had a physical examination "
        f"within 24 hours; {late} later; {not_done} with none recorded"
    )
    return IndicatorResult(share(on_time, total), on_time, total, text)
