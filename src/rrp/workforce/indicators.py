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
           signed off by the executive lead, and within a year of its sign-off;
- 2.1.IV   a course in use teaches 3.1.V (legal and ethical issues, the Human Rights Act);
- 3.1.I-XV each learning outcome taught by at least one course in use (the outcomes matrix);
- 3.4.2.XXIV  physical and specialist courses in use with their techniques in the manual;
- 3.4.2.XXV   techniques taught whose risk assessment the executive lead has signed off;
- 3.4.2.XXIX  techniques taught signed off or reviewed within the last year;
- 3.4.2.XXXVII injuries and incidents in training in the period reported through the trust's
           incident system (with its reference);
- 3.4.2.XLI   injuries and incidents in training in the period reviewed by the lead;
- 3.4.2.XXXVIII sessions in the period with the trainer's course report;
- 3.4.2.XL    sessions in the period with an evaluation recorded;
- 3.4.2.XXXIX physical and specialist sessions in the period (with techniques in the manual and
           attendees) where every attendee has a result in every technique taught (the
           competency assessment system, technique by technique).

Not measured, because RRP holds nothing that shows them: 1.3.II, 1.8.II, 1.9.I, 2.1.II, 3.4.I,
3.4.IV. The trainers (3.5) are measured by rrp.trainers.indicators.
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
from rrp.workforce import content_selectors, selectors, technique_results
from rrp.workforce.models import (
    PHYSICAL_LEVELS,
    CourseLevel,
    Employment,
    PhysicalTechnique,
    StaffMember,
    TnaState,
    TrainingEvent,
    TrainingNeedsAnalysis,
    TrainingRecord,
    TrainingSession,
)
from rrp.workforce.outcomes import BY_CODE, HUMAN_RIGHTS, STANDARD_3_1
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


# ---------------------------------------------------------------------------------------------
# What the courses teach and how their sessions went (3.1, 2.1.IV, 3.4.2.XXIV-XLI)
# ---------------------------------------------------------------------------------------------

CONTENT_SOURCE = "The courses, their training manual and the training sessions in RRP"


def _teaching(organisation: Any, day: dt.date, code: str) -> list[str]:
    return [c.code for c in content_selectors.courses_in_use(organisation, day)
            if code in c.outcomes]


def _taught_result(organisation: Any, period: IndicatorPeriod, code: str) -> IndicatorResult:
    day = last_day(period)
    outcome = BY_CODE[code]
    courses = _teaching(organisation, day, code)
    if courses:
        return IndicatorResult(100.0, 1, 1, f"{outcome.label} ({outcome.text}) is taught by "
                                            f"{', '.join(courses)} on {long_date(day)}")
    return IndicatorResult(0.0, 0, 1, f"No course in use on {long_date(day)} teaches "
                                      f"{outcome.label} ({outcome.text})")


@register(
    "2.1.IV",
    key="human-rights-act-taught",
    title="A course in use teaches legal and ethical issues, including the Human Rights Act",
    source=CONTENT_SOURCE,
)
def human_rights_taught(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.1.IV: training content includes the Human Rights Act (3.1.V maps it).
    return _taught_result(organisation, period, HUMAN_RIGHTS)


def _outcome_indicator(code: str) -> Callable[[Any, IndicatorPeriod], IndicatorResult]:
    def measure(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
        # standard 3.1: training strategies are explicit about learning outcomes I-XV.
        return _taught_result(organisation, period, code)

    return measure


for _outcome in STANDARD_3_1:
    register(_outcome.code, key=f"learning-outcome-{_outcome.code.lower().replace('.', '-')}",
             title=f"A course in use teaches learning outcome {_outcome.label}",
             source=CONTENT_SOURCE)(_outcome_indicator(_outcome.code))


def _techniques_taught(organisation: Any, day: dt.date) -> list[PhysicalTechnique]:
    return [
        t for t in PhysicalTechnique.objects.for_organisation(organisation)
        .filter(withdrawn_on__isnull=True).select_related("course")
        if t.course.is_taught_on(day)
    ]


@register(
    "3.4.2.XXIV",
    key="physical-techniques-in-manual",
    title="Physical and specialist courses in use with their techniques in the training manual",
    source=CONTENT_SOURCE,
)
def techniques_recorded(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.4.2.XXIV: the interventions taught are outlined in a written training manual.
    day = last_day(period)
    courses = [c for c in content_selectors.courses_in_use(organisation, day)
               if c.level in PHYSICAL_LEVELS]
    if not courses:
        return IndicatorResult(None, 0, 0, f"No physical or specialist course in use on "
                                           f"{long_date(day)}")
    with_manual = {t.course_id for t in _techniques_taught(organisation, day)}
    done = sum(1 for c in courses if c.pk in with_manual)
    return IndicatorResult(share(done, len(courses)), done, len(courses), (
        f"{done} of {counted(len(courses), 'physical or specialist course')} in use on "
        f"{long_date(day)} had the techniques they teach in the training manual"))


@register(
    "3.4.2.XXV", "3.4.2.XXVI",
    key="physical-techniques-signed-off",
    title="Techniques taught with a risk assessment signed off by the executive lead",
    source=CONTENT_SOURCE,
)
def techniques_signed_off(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.4.2.XXV: risk assessed, the balance of the risks signed off by the lead;
    # XXVI: by an appropriately qualified professional (each records who, with what).
    day = last_day(period)
    taught = _techniques_taught(organisation, day)
    if not taught:
        return IndicatorResult(None, 0, 0, f"No techniques recorded on {long_date(day)}")
    signed = sum(1 for t in taught if t.signed_off_at is not None
                 and t.signed_off_at < period.end)
    return IndicatorResult(share(signed, len(taught)), signed, len(taught), (
        f"{signed} of {counted(len(taught), 'technique')} taught on {long_date(day)} signed off "
        "by the executive lead"))


@register(
    "3.4.2.XXIX",
    key="physical-techniques-reviewed",
    title="Techniques taught signed off or reviewed within the last year",
    source=CONTENT_SOURCE,
)
def techniques_reviewed(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.4.2.XXIX: physical interventions are regularly reviewed (yearly here).
    day = last_day(period)
    taught = _techniques_taught(organisation, day)
    if not taught:
        return IndicatorResult(None, 0, 0, f"No techniques recorded on {long_date(day)}")
    current = sum(1 for t in taught if t.review_due_on is not None and t.review_due_on >= day)
    return IndicatorResult(share(current, len(taught)), current, len(taught), (
        f"{current} of {counted(len(taught), 'technique')} taught on {long_date(day)} signed "
        "off or reviewed within the last year"))


def _period_days(period: IndicatorPeriod) -> tuple[dt.date, dt.date]:
    return timezone.localdate(period.start), last_day(period)


def _events_counted(count: int) -> str:
    return counted(count, "injury, incident or near miss", "injuries, incidents and near misses")


def _events(organisation: Any, period: IndicatorPeriod) -> list[TrainingEvent]:
    first, last = _period_days(period)
    return list(TrainingEvent.objects.for_organisation(organisation)
                .filter(occurred_on__gte=first, occurred_on__lte=last,
                        entered_in_error_at__isnull=True))


@register(
    "3.4.2.XXXVII",
    key="training-injuries-reported",
    title="Injuries and incidents in training reported through the incident system",
    source=CONTENT_SOURCE,
)
def training_events_reported(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.4.2.XXXVII: recorded and reported through established reporting systems.
    events = _events(organisation, period)
    if not events:
        return IndicatorResult(None, 0, 0, "No injuries, incidents or near misses in training "
                                           "were recorded in the period")
    reported = sum(1 for e in events if e.incident_reference)
    return IndicatorResult(share(reported, len(events)), reported, len(events), (
        f"{reported} of {_events_counted(len(events))} in training in the period reported "
        "through the trust's incident system"))


@register(
    "3.4.2.XLI",
    key="training-injuries-reviewed",
    title="Injuries and incidents in training reviewed by the executive lead",
    source=CONTENT_SOURCE,
)
def training_events_reviewed(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.4.2.XLI: injuries or incidents are audited and reviewed regularly.
    events = _events(organisation, period)
    if not events:
        return IndicatorResult(None, 0, 0, "No injuries, incidents or near misses in training "
                                           "were recorded in the period")
    reviewed = sum(1 for e in events if e.reviewed_at is not None
                   and e.reviewed_at < period.end)
    return IndicatorResult(share(reviewed, len(events)), reviewed, len(events), (
        f"{reviewed} of {_events_counted(len(events))} in training in the period reviewed by "
        "the executive lead"))


def _sessions(organisation: Any, period: IndicatorPeriod) -> Any:
    first, last = _period_days(period)
    return TrainingSession.objects.for_organisation(organisation).filter(
        held_on__gte=first, held_on__lte=last)


@register(
    "3.4.2.XXXVIII",
    key="sessions-with-course-report",
    title="Training sessions with the trainer's course report",
    source=CONTENT_SOURCE,
)
def sessions_reported(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.4.2.XXXVIII: trainers complete course reports for quality assurance.
    return _sessions_with(organisation, period, "report", "have a course report")


@register(
    "3.4.2.XL",
    key="sessions-with-evaluation",
    title="Training sessions with an evaluation recorded",
    source=CONTENT_SOURCE,
)
def sessions_evaluated(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.4.2.XL: evaluation procedures establish the efficacy of training.
    return _sessions_with(organisation, period, "evaluation", "have an evaluation recorded")


def _sessions_with(
    organisation: Any, period: IndicatorPeriod, part: str, words: str
) -> IndicatorResult:
    """The share of the sessions held in the period that have `part` (a report, an
    evaluation) recorded."""
    sessions = _sessions(organisation, period)
    total = sessions.count()
    if not total:
        return IndicatorResult(None, 0, 0, "No training sessions were held in the period")
    done = sessions.filter(**{f"{part}__isnull": False}).count()
    return IndicatorResult(share(done, total), done, total, (
        f"{done} of {counted(total, 'training session')} held in the period {words}"))


@register(
    "3.4.2.XXXIX",
    key="physical-sessions-with-technique-results",
    title="Physical skills sessions with competence recorded for every technique",
    source=CONTENT_SOURCE,
)
def sessions_with_technique_results(organisation: Any, period: IndicatorPeriod
                                    ) -> IndicatorResult:
    # standard 3.4.2.XXXIX: a system for assessing competence, technique by technique. A
    # session counts when its course has techniques taught that day and someone attended;
    # it is done when every attendee whose record counts has a result in every one of them.
    total = done = 0
    for session in _sessions(organisation, period).filter(
            course__level__in=PHYSICAL_LEVELS).select_related("course"):
        taught = technique_results.techniques_taught(session)
        records = technique_results.attendees(session)
        if not taught or not records:
            continue
        total += 1
        recorded = technique_results.results_of(session)
        if all((r.pk, t.pk) in recorded for r in records for t in taught):
            done += 1
    if not total:
        return IndicatorResult(None, 0, 0, "No physical or specialist skills sessions with "
                                           "techniques in their training manual were held in "
                                           "the period")
    return IndicatorResult(share(done, total), done, total, (
        f"{done} of {counted(total, 'physical or specialist skills session')} held in the "
        "period have every attendee's result in every technique taught"))
