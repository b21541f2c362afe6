"""Live compliance indicators from the staff register, training records and the training needs
analysis (issue 13: "live indicators for every statement ... that these records can measure").

Registered with the standards registry (rrp.standards.indicators), which imports this module
when the app registry is ready. Each takes the organisation and an IndicatorPeriod and counts
what RRP holds on the last day of the period; section 2 figures keep to the period's wards.

Training figures count required training the way the compliance page does (one count per
person and course they need, in date including those running out soon; who needs what from
the TNA in force now, else the interim rule) and read the records as RRP holds them now.

Measured here:
- 1.3.I    required prevention and de-escalation training in date (the first line approach);
- 1.8.I    new starters trained in prevention and de-escalation within six weeks of starting
           (1.8.III: the same for volunteers and peer support workers);
- 1.9.II   required training in date for bank staff, and separately for agency staff;
- 2.1.I    every required course in date, and physical and specialist skills on their own;
- 2.5.2.I  basic life support in date for those who need it (who may restrain);
- 2.5.2.II registered (qualified) staff in date with immediate life support;
- 3.4.II, 3.4.III, 2.1.III, 3.4.2.I-III: a TNA in force, agreed with the training provider,
           signed off by the executive lead, and within a year of its sign-off.

Not measured, because RRP holds nothing that shows them: 1.3.II, 2.1.IV (the Human Rights Act
in the content: the learning outcomes are not mapped yet), 1.8.II, 1.9.I, 2.1.II, 3.4.I, 3.4.IV,
and 3.5 (trainers' portfolios, annual updates and reviews are not recorded yet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from rrp.standards.indicators import (
    IndicatorPeriod,
    IndicatorResult,
    counted,
    long_date,
    register,
    share,
)
from rrp.workforce import selectors
from rrp.workforce.models import (
    PHYSICAL_LEVELS,
    CourseLevel,
    Employment,
    StaffMember,
    TnaState,
    TrainingNeedsAnalysis,
    TrainingRecord,
)
from rrp.workforce.requirements import Requirements
from rrp.workforce.status import add_months

SOURCE = "The staff register and training records in RRP"
TNA_SOURCE = "The training needs analysis in RRP"

# Issue 13: "induction within the first weeks" (1.8.I); six weeks is the longest a new starter
# commonly waits for the trust's next prevention and de-escalation course.
INDUCTION_WEEKS = 6


def last_day(period: IndicatorPeriod) -> dt.date:
    """The last day the period covers (its end is exclusive)."""
    return timezone.localdate(period.end - dt.timedelta(microseconds=1))


def _ward_staff(
    organisation: Any, day: dt.date, wards: Collection[int] | None,
    keep: Callable[[StaffMember], bool] = lambda member: True,
) -> list[StaffMember]:
    people = selectors.current_staff(organisation, day).filter(wards__isnull=False).distinct()
    return [
        p for p in people
        if (wards is None or any(w.pk in wards for w in p.wards.all())) and keep(p)
    ]


@dataclass(frozen=True)
class Pairs:
    in_date: int
    required: int
    people: int


def required_in_date(
    organisation: Any, day: dt.date, people: list[StaffMember],
    levels: Collection[str] | None = None,
) -> Pairs:
    """Required (person, course) pairs of the levels given and how many are in date on `day`."""
    courses = [c for c in selectors.taught_courses(organisation, day)
               if levels is None or c.level in levels]
    rules = Requirements.of(organisation)
    found = selectors.standings(organisation, day, staff_ids=[p.pk for p in people],
                                courses=courses, intervals=rules.intervals(people, courses))
    in_date = required = 0
    counted: set[int] = set()
    for person in people:
        for course in courses:
            if not rules.requires(person, course):
                continue
            required += 1
            counted.add(person.pk)
            status = found.get((person.pk, course.pk), selectors.NEVER).status
            if status in ("in_date", "expiring"):
                in_date += 1
    return Pairs(in_date, required, len(counted))


def _training_result(pairs: Pairs, day: dt.date, what: str, who: str) -> IndicatorResult:
    if not pairs.required:
        return IndicatorResult(None, 0, 0, f"Nobody {who} needed {what} on {long_date(day)}")
    text = (
        f"{pairs.in_date} of {pairs.required} required {what} in date on {long_date(day)}, for "
        f"{counted(pairs.people, 'person', 'people')} {who}"
    )
    return IndicatorResult(share(pairs.in_date, pairs.required), pairs.in_date,
                           pairs.required, text)


@register(
    "1.3.I",
    key="prevention-training-in-date",
    title="Required prevention and de-escalation training in date",
    source=SOURCE,
)
def prevention_training(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 1.3.I: recognition, prevention and de-escalation as the first line approach.
    day = last_day(period)
    people = _ward_staff(organisation, day, period.wards)
    pairs = required_in_date(organisation, day, people, {CourseLevel.PREVENTION})
    return _training_result(pairs, day, "prevention and de-escalation courses", "on the wards")


@register(
    "2.1.I",
    key="required-training-in-date",
    title="Every required course in date",
    source=SOURCE,
)
def all_training(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.1.I: staff attend relevant training programmes and refresher training.
    day = last_day(period)
    people = _ward_staff(organisation, day, period.wards)
    return _training_result(required_in_date(organisation, day, people), day, "courses",
                            "on the wards")


@register(
    "2.1.I",
    key="physical-skills-in-date",
    title="Required physical and specialist skills training in date",
    source=SOURCE,
)
def physical_training(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.1.I, and the refresher Use of Force Act s.5 asks for at regular intervals.
    day = last_day(period)
    people = _ward_staff(organisation, day, period.wards)
    pairs = required_in_date(organisation, day, people, PHYSICAL_LEVELS)
    return _training_result(pairs, day, "physical and specialist skills courses",
                            "on the wards")


def _temporary(employment: str, label: str) -> Callable[[Any, IndicatorPeriod],
                                                        IndicatorResult]:
    def measure(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
        # standard 1.9.II: bank and agency staff adequately trained for where they work,
        # shown apart from the organisation's own staff (and from each other).
        day = last_day(period)
        people = _ward_staff(organisation, day, period.wards,
                             lambda member: member.employment == employment)
        return _training_result(required_in_date(organisation, day, people), day, "courses",
                                f"among {label} on the wards")

    return measure


register("1.9.II", key="bank-staff-training-in-date",
         title="Bank staff: required training in date", source=SOURCE)(
    _temporary(Employment.BANK, "bank staff"))
register("1.9.II", key="agency-staff-training-in-date",
         title="Agency staff: required training in date", source=SOURCE)(
    _temporary(Employment.AGENCY, "agency staff"))


@register(
    "2.5.2.I",
    key="basic-life-support-in-date",
    title="Basic life support in date for staff who may restrain",
    source=SOURCE,
)
def basic_life_support(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.5.2.I: staff who may be involved in restraint attend annual BLS updates.
    # Who may restrain is who the TNA (or the interim rule) asks BLS of.
    day = last_day(period)
    people = _ward_staff(organisation, day, period.wards)
    pairs = required_in_date(organisation, day, people, {CourseLevel.BLS})
    return _training_result(pairs, day, "basic life support courses", "on the wards")


@register(
    "2.5.2.II",
    key="immediate-life-support-qualified",
    title="Registered staff in date with immediate life support",
    source=SOURCE,
)
def immediate_life_support(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.5.2.II: qualified staff are trained in ILS. Counted over every registered
    # person on the wards, whatever the TNA says, since the statement names them all.
    day = last_day(period)
    people = _ward_staff(organisation, day, period.wards, lambda member: member.qualified)
    if not people:
        return IndicatorResult(None, 0, 0, f"No registered staff on the wards on {long_date(day)}")
    courses = list(selectors.taught_courses(organisation, day).filter(level=CourseLevel.ILS))
    rules = Requirements.of(organisation)
    found = selectors.standings(organisation, day, staff_ids=[p.pk for p in people],
                                courses=courses, intervals=rules.intervals(people, courses))
    trained = sum(
        1 for p in people
        if any(found.get((p.pk, c.pk), selectors.NEVER).status in ("in_date", "expiring")
               for c in courses)
    )
    text = (f"{trained} of {counted(len(people), 'registered person', 'registered people')} on "
            f"the wards on {long_date(day)} were in date with immediate life support")
    return IndicatorResult(share(trained, len(people)), trained, len(people), text)


def _induction(organisation: Any, period: IndicatorPeriod,
               employments: Collection[str] | None, who: str) -> IndicatorResult:
    """New starters in the period whose six weeks were over by its end: how many completed a
    prevention and de-escalation course (or had previous training accepted) by then."""
    day = last_day(period)
    first = timezone.localdate(period.start)
    latest_start = day - dt.timedelta(weeks=INDUCTION_WEEKS)
    starters = StaffMember.objects.for_organisation(organisation).filter(
        start_date__gte=first, start_date__lte=latest_start, wards__isnull=False,
    ).filter(Q(leaving_date__isnull=True) | Q(leaving_date__gte=latest_start)).distinct()
    if employments is not None:
        starters = starters.filter(employment__in=list(employments))
    people = {m.pk: m.start_date for m in starters if m.start_date is not None}
    if not people:
        return IndicatorResult(None, 0, 0, f"No {who} started in the period at least "
                                           f"{INDUCTION_WEEKS} weeks before its end")
    done: set[int] = set()
    for staff_id, completed_on in TrainingRecord.objects.for_organisation(organisation).filter(
        staff_id__in=list(people), course__level=CourseLevel.PREVENTION, outcome="competent",
        entered_in_error_at__isnull=True,
    ).values_list("staff_id", "completed_on"):
        if completed_on <= people[staff_id] + dt.timedelta(weeks=INDUCTION_WEEKS):
            done.add(staff_id)
    text = (f"{len(done)} of {counted(len(people), who[:-1] if who.endswith('s') else who, who)} "
            f"who started in the period were trained in prevention and de-escalation within "
            f"{INDUCTION_WEEKS} weeks of starting (or had equivalent training accepted)")
    return IndicatorResult(share(len(done), len(people)), len(done), len(people), text)


@register(
    "1.8.I",
    key="induction-prevention-training",
    title=f"New starters trained in prevention and de-escalation within {INDUCTION_WEEKS} "
          "weeks",
    source=SOURCE,
)
def induction(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 1.8.I: all staff, permanent or temporary, have an induction in primary,
    # secondary and tertiary intervention; RRP sees the prevention course of that induction.
    return _induction(organisation, period, None, "new starters")


@register(
    "1.8.III",
    key="induction-peer-support-and-volunteers",
    title="Peer support workers and volunteers trained in prevention and de-escalation within "
          f"{INDUCTION_WEEKS} weeks",
    source=SOURCE,
)
def induction_lived_experience(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 1.8.III: inductions for volunteering service users and peer support workers.
    return _induction(organisation, period, {Employment.VOLUNTEER, Employment.PEER_SUPPORT},
                      "peer support workers and volunteers")


@register(
    "3.4.II", "3.4.III", "2.1.III", "3.4.2.I", "3.4.2.II", "3.4.2.III",
    key="training-needs-analysis-in-force",
    title="A training needs analysis in force, agreed, signed off and reviewed within a year",
    source=TNA_SOURCE,
)
def analysis_in_force(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.4.II-III: agreed with the training provider and signed off by the executive
    # lead; 3.4.1: reviewed regularly (at least yearly); 3.4.2.I-III: it says who needs which
    # training, at what level and how often; 2.1.III: training is based on it.
    day = last_day(period)
    signed = (
        TrainingNeedsAnalysis.objects.for_organisation(organisation)
        .filter(signed_off_at__lt=period.end, service_type="")
        .filter(Q(state=TnaState.IN_FORCE)
                | Q(state=TnaState.SUPERSEDED, superseded_at__gte=period.end))
        .order_by("-signed_off_at")
        .first()
    )
    if signed is None or signed.signed_off_at is None:
        return IndicatorResult(0.0, 0, 1, f"No organisation-wide training needs analysis was "
                                          f"in force on {long_date(day)}")
    signed_on = timezone.localdate(signed.signed_off_at)
    current = add_months(signed_on, 12) >= day
    rows = signed.requirements.filter(removed_at__isnull=True).count()
    text = (
        f"Version {signed.version} in force on {long_date(day)}: agreed with "
        f"{signed.training_provider} on {long_date(signed.agreed_on or signed_on)}, signed off on "
        f"{long_date(signed_on)}, {counted(rows, 'requirement')}; "
        + ("reviewed within the last year" if current else "its yearly review is overdue")
    )
    return IndicatorResult(100.0 if current else 0.0, 1 if current else 0, 1, text)
