"""Reads of the staff register, courses and training, always within one organisation.

`standings` is the one place a person's status in a course is worked out from their records
(rrp.workforce.status does the arithmetic); the person's training list, the compliance figures,
the export and the home page all read it, so they always agree.

Compliance counts, per course: `required` (rrp.workforce.requirements says who: the TNA in
force, else the interim rule), `in_date` (everyone in date that day, including those running
out soon), `expiring` (those of them
running out within 60 days), `expired` and `never`; required = in_date + expired + never, and
the percentage is in_date / required. Bank and agency staff are counted apart as well as in the
total (standard 1.9.II).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from rrp.organisations.models import Organisation, Ward
from rrp.workforce import status as st
from rrp.workforce.models import (
    Course,
    Employment,
    Outcome,
    StaffMember,
    TrainingRecord,
    TrainingSession,
)
from rrp.workforce.requirements import Requirements

# standard 1.9.II: bank and agency staff shown separately from the organisation's own staff.
GROUPS: dict[str, str] = {"employed": "Own staff", "bank": "Bank staff", "agency": "Agency staff"}

# RRN certification: warn this long before the certificate runs out (issue 13).
CERTIFICATE_WARNING_DAYS = 90


def group_of(employment: str) -> str:
    if employment == Employment.BANK:
        return "bank"
    if employment == Employment.AGENCY:
        return "agency"
    return "employed"


def staff_of(organisation: Organisation | None) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.for_organisation(organisation)
        .select_related("user")
        .prefetch_related(Prefetch("wards", queryset=Ward.objects.order_by("name")))
    )


def current_staff(organisation: Organisation | None, today: dt.date) -> QuerySet[StaffMember]:
    """On the register today: started (or no start date known) and not yet left."""
    return (
        staff_of(organisation)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
        .filter(Q(leaving_date__isnull=True) | Q(leaving_date__gte=today))
    )


def staff_list(
    organisation: Organisation | None,
    today: dt.date,
    *,
    ward: str = "",
    employment: str = "",
    include_leavers: bool = False,
) -> QuerySet[StaffMember]:
    people = staff_of(organisation) if include_leavers else current_staff(organisation, today)
    if ward:
        people = people.filter(wards__code=ward)
    if employment:
        people = people.filter(employment=employment)
    return people.distinct()


def courses_of(organisation: Organisation | None) -> QuerySet[Course]:
    return Course.objects.for_organisation(organisation)


def taught_courses(organisation: Organisation | None, today: dt.date) -> QuerySet[Course]:
    return courses_of(organisation).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today)
    )


def records_of(member: StaffMember) -> QuerySet[TrainingRecord]:
    """Every record of the person, newest first, including any entered in error (shown)."""
    return TrainingRecord.objects.filter(
        organisation=member.organisation, staff=member
    ).select_related("course", "session")


def sessions_of(organisation: Organisation | None) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.for_organisation(organisation).select_related("course", "ward")


def standings(
    organisation: Organisation | None,
    today: dt.date,
    *,
    staff_ids: Iterable[int] | None = None,
    courses: Iterable[Course] | None = None,
    intervals: Mapping[tuple[int, int], int] | None = None,
) -> dict[tuple[int, int], st.Standing]:
    """(staff id, course id) -> where they stand today, for every pair with a record.
    `intervals` are the refresher intervals the TNA in force sets where they differ from the
    course's own (Requirements.intervals)."""
    course_list = list(courses) if courses is not None else list(courses_of(organisation))
    months = {c.pk: c.refresher_months for c in course_list}
    records = TrainingRecord.objects.for_organisation(organisation).filter(
        entered_in_error_at__isnull=True, course_id__in=list(months)
    )
    if staff_ids is not None:
        records = records.filter(staff_id__in=list(staff_ids))
    found: dict[tuple[int, int], list[st.Completion]] = defaultdict(list)
    for staff_id, course_id, completed_on, outcome in records.values_list(
        "staff_id", "course_id", "completed_on", "outcome"
    ):
        found[(staff_id, course_id)].append(st.Completion(completed_on, outcome))
    return {
        key: st.standing(completions, (intervals or {}).get(key, months[key[1]]), today)
        for key, completions in found.items()
    }


NEVER = st.Standing("never", None, None, "", None)


def requires(member: StaffMember, course: Course, rules: Requirements | None = None) -> bool:
    """Whether the person needs the course: the TNA in force, else the interim rule
    (requirements.py). Pass `rules` when asking for many people: it is loaded once."""
    return (rules or Requirements.of(member.organisation)).requires(member, course)


@dataclass(frozen=True)
class CourseStanding:
    course: Course
    required: bool
    standing: st.Standing

    @property
    def status(self) -> str:
        return self.standing.status


def record_expires_on(record: TrainingRecord) -> dt.date | None:
    """The last day a competent record keeps its holder in date: at the interval the TNA in
    force sets for them (ADR 12), else the course's own; None for any other outcome."""
    if record.outcome != Outcome.COMPETENT:
        return None
    months = Requirements.of(record.organisation).months(record.staff, record.course)
    return st.expiry(record.completed_on, months or record.course.refresher_months)


def person_training(member: StaffMember, today: dt.date) -> list[CourseStanding]:
    """Every course the person has a record of or needs, needed ones first."""
    courses = list(courses_of(member.organisation))
    rules = Requirements.of(member.organisation)
    found = standings(member.organisation, today, staff_ids=[member.pk], courses=courses,
                      intervals=rules.intervals([member], courses))
    rows = []
    for course in courses:
        required = course.is_taught_on(today) and requires(member, course, rules)
        mine = found.get((member.pk, course.pk))
        if mine is None and not required:
            continue
        rows.append(CourseStanding(course, required, mine or NEVER))
    return sorted(rows, key=lambda r: (not r.required, r.course.code))


@dataclass
class Counts:
    required: int = 0
    in_date: int = 0  # including those expiring
    expiring: int = 0
    expired: int = 0
    never: int = 0

    def add(self, status: str) -> None:
        self.required += 1
        if status in ("in_date", "expiring"):
            self.in_date += 1
        if status == "expiring":
            self.expiring += 1
        elif status == "expired":
            self.expired += 1
        elif status == "never":
            self.never += 1

    @property
    def percent(self) -> float | None:
        """In date as a percentage of those required, to one decimal place, halves up (never
        Python's round(), which rounds halves to even)."""
        if not self.required:
            return None
        value = decimal.Decimal(self.in_date * 100) / decimal.Decimal(self.required)
        return float(value.quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP))


@dataclass
class ComplianceRow:
    course: Course
    total: Counts = field(default_factory=Counts)
    groups: dict[str, Counts] = field(
        default_factory=lambda: {name: Counts() for name in GROUPS}
    )
    # The people behind the figures who need action: expired, never trained, expiring.
    people: list[tuple[StaffMember, st.Standing]] = field(default_factory=list)


@dataclass
class Compliance:
    ward: Ward | None  # None: every ward, each person counted once
    today: dt.date
    rows: list[ComplianceRow]

    @property
    def lowest_percent(self) -> float | None:
        values = [r.total.percent for r in self.rows if r.total.percent is not None]
        return min(values) if values else None


def compliance(
    organisation: Organisation | None, today: dt.date, *, ward: Ward | None = None
) -> Compliance:
    """The figures for one ward (or all wards) on `today`, course by course."""
    people = list(current_staff(organisation, today).filter(wards__isnull=False).distinct())
    if ward is not None:
        people = [p for p in people if any(w.pk == ward.pk for w in p.wards.all())]
    courses = list(taught_courses(organisation, today))
    rules = Requirements.of(organisation)
    found = standings(organisation, today, staff_ids=[p.pk for p in people], courses=courses,
                      intervals=rules.intervals(people, courses))
    rows = []
    for course in courses:
        row = ComplianceRow(course)
        for person in people:
            if not requires(person, course, rules):
                continue
            mine = found.get((person.pk, course.pk), NEVER)
            row.total.add(mine.status)
            row.groups[group_of(person.employment)].add(mine.status)
            if mine.status != "in_date":
                row.people.append((person, mine))
        if row.total.required:
            row.people.sort(key=lambda p: (st.STATUSES.index(p[1].status) * -1, p[0].name))
            rows.append(row)
    return Compliance(ward, today, rows)


def ward_compliance(organisation: Organisation | None, today: dt.date) -> list[Compliance]:
    """Every open ward's figures, for the trainer's view of all wards."""
    wards = Ward.objects.filter(organisation=organisation, is_open=True).order_by("name")
    return [compliance(organisation, today, ward=w) for w in wards]


@dataclass(frozen=True)
class PersonNeedingTraining:
    member: StaffMember
    courses: list[tuple[Course, st.Standing]]


def people_out_of_date(
    organisation: Organisation | None, today: dt.date, *, wards: Iterable[Ward] | None = None
) -> tuple[list[PersonNeedingTraining], list[PersonNeedingTraining]]:
    """(people out of date in a course they need - expired or never trained -, people whose
    training runs out within 60 days), on the wards given or every ward."""
    ward_ids = {w.pk for w in wards} if wards is not None else None
    people = [
        p for p in current_staff(organisation, today).filter(wards__isnull=False).distinct()
        if ward_ids is None or any(w.pk in ward_ids for w in p.wards.all())
    ]
    courses = list(taught_courses(organisation, today))
    rules = Requirements.of(organisation)
    found = standings(organisation, today, staff_ids=[p.pk for p in people], courses=courses,
                      intervals=rules.intervals(people, courses))
    out: list[PersonNeedingTraining] = []
    soon: list[PersonNeedingTraining] = []
    for person in people:
        lapsed, expiring = [], []
        for course in courses:
            if not requires(person, course, rules):
                continue
            mine = found.get((person.pk, course.pk), NEVER)
            if mine.status in ("expired", "never"):
                lapsed.append((course, mine))
            elif mine.status == "expiring":
                expiring.append((course, mine))
        if lapsed:
            out.append(PersonNeedingTraining(person, lapsed))
        if expiring:
            soon.append(PersonNeedingTraining(person, expiring))
    return out, soon


def not_yet_competent(
    organisation: Organisation | None, today: dt.date
) -> list[tuple[TrainingRecord, st.Standing]]:
    """People still on the register whose latest assessment in a course found them not yet
    competent or excluded them on health grounds, with no competent outcome since: each has a
    written plan and an interim management plan to follow up (standard 3.4.2.XXXIX)."""
    people = {p.pk: p for p in current_staff(organisation, today)}
    courses = {c.pk: c for c in taught_courses(organisation, today)}
    found = standings(organisation, today, staff_ids=list(people), courses=courses.values())
    waiting = {
        key: s for key, s in found.items()
        if s.latest_outcome in (Outcome.NOT_YET_COMPETENT, Outcome.EXCLUDED_HEALTH)
    }
    if not waiting:
        return []
    latest = (
        TrainingRecord.objects.for_organisation(organisation)
        .filter(entered_in_error_at__isnull=True, staff_id__in={k[0] for k in waiting},
                outcome__in=[Outcome.NOT_YET_COMPETENT, Outcome.EXCLUDED_HEALTH])
        .select_related("staff", "course")
        .order_by("completed_on", "pk")
    )
    records: dict[tuple[int, int], TrainingRecord] = {}
    for record in latest:
        key = (record.staff_id, record.course_id)
        if key in waiting and record.completed_on == waiting[key].latest_on:
            records[key] = record
    return sorted(
        ((records[k], waiting[k]) for k in records),
        key=lambda pair: (pair[0].completed_on, pair[0].staff.name),
    )


def certificates_running_out(
    organisation: Organisation | None, today: dt.date, *, within: int = CERTIFICATE_WARNING_DAYS
) -> list[Course]:
    """RRN-certified courses still taught whose certificate has run out or runs out within
    `within` days: certification has to be renewed before it lapses."""
    last_day = today + dt.timedelta(days=within)
    return list(
        taught_courses(organisation, today)
        .filter(certificate_valid_until__isnull=False, certificate_valid_until__lte=last_day)
        .exclude(certifying_body="")
        .order_by("certificate_valid_until")
    )


def certificate_state(course: Course, today: dt.date) -> str:
    """'' (not certified), 'valid', 'running_out' (within 90 days) or 'expired'."""
    if not course.rrn_certified or course.certificate_valid_until is None:
        return ""
    if course.certificate_valid_until < today:
        return "expired"
    if (course.certificate_valid_until - today).days <= CERTIFICATE_WARNING_DAYS:
        return "running_out"
    return "valid"


def export_rows(organisation: Organisation | None, today: dt.date) -> list[dict[str, Any]]:
    """One row per person on the register and course they need or have a record of: the
    spreadsheet managers keep, made from the same figures as the pages."""
    people = list(current_staff(organisation, today))
    courses = list(courses_of(organisation))
    rules = Requirements.of(organisation)
    found = standings(organisation, today, staff_ids=[p.pk for p in people], courses=courses,
                      intervals=rules.intervals(people, courses))
    rows = []
    for person in people:
        wards = "; ".join(w.code for w in person.wards.all())
        for course in courses:
            required = course.is_taught_on(today) and requires(person, course, rules)
            mine = found.get((person.pk, course.pk))
            if mine is None and not required:
                continue
            mine = mine or NEVER
            rows.append({
                "staff_number": person.staff_number,
                "name": person.name,
                "job_title": person.job_title,
                "grade": person.grade,
                "qualified": "yes" if person.qualified else "no",
                "employment": person.get_employment_display(),
                "wards": wards,
                "course": course.code,
                "course_title": course.title,
                "level": course.get_level_display(),
                "required": "yes" if required else "no",
                "status": st.STATUS_LABELS[mine.status],
                "last_completed_on": mine.last_completed_on.isoformat()
                if mine.last_completed_on else "",
                "expires_on": mine.expires_on.isoformat() if mine.expires_on else "",
                "latest_outcome": dict(Outcome.choices).get(mine.latest_outcome, ""),
            })
    return rows


EXPORT_COLUMNS: tuple[str, ...] = (
    "staff_number", "name", "job_title", "grade", "qualified", "employment", "wards", "course",
    "course_title", "level", "required", "status", "last_completed_on", "expires_on",
    "latest_outcome",
)


# ---------------------------------------------------------------------------------------------
# Training on the day of a use of force (issue 13 "at the point of recording"; standard 1.5.V)
# ---------------------------------------------------------------------------------------------


def training_on_the_day(
    organisation: Organisation | None, staff_ids: Iterable[int], day: dt.date
) -> dict[int, list[dict[str, Any]]]:
    """For each register entry, where the person stood on `day` in every course they needed
    then or had a record of: the snapshot a use of force keeps of each person involved, so the
    record says whether the staff who held the patient were trained (standard 1.5.V) and never
    changes when later training is recorded. The same rows as `person_training` (the TNA in
    force decides who needs what), worked out for several people at once.

    Each row: {"course", "title", "level", "required", "status" (in_date, expiring, expired,
    never), "expires_on" (ISO date or None)}, needed courses first. People not in the
    organisation are left out."""
    wanted = set(staff_ids)
    if not wanted:
        return {}
    people = list(staff_of(organisation).filter(pk__in=wanted))
    courses = list(courses_of(organisation))
    rules = Requirements.of(organisation)  # who needs what, as person_training asks it
    found = standings(organisation, day, staff_ids=[p.pk for p in people], courses=courses,
                      intervals=rules.intervals(people, courses))
    result: dict[int, list[dict[str, Any]]] = {}
    for person in people:
        rows: list[CourseStanding] = []
        for course in courses:
            required = course.is_taught_on(day) and requires(person, course, rules)
            mine = found.get((person.pk, course.pk))
            if mine is None and not required:
                continue
            rows.append(CourseStanding(course, required, mine or NEVER))
        rows.sort(key=lambda r: (not r.required, r.course.code))
        result[person.pk] = [
            {
                "course": r.course.code,
                "title": r.course.title,
                "level": r.course.level,
                "required": r.required,
                "status": r.standing.status,
                "expires_on": r.standing.expires_on.isoformat() if r.standing.expires_on else None,
            }
            for r in rows
        ]
    return result


def register_for_recording(
    organisation: Organisation | None, day: dt.date, ward: Ward | None
) -> tuple[list[StaffMember], list[StaffMember]]:
    """The people who can be picked as involved in a use of force on `day`: (the usual team of
    `ward` - staff whose wards include it -, everyone else on the register that day), each by
    name. Leavers and people not yet started are left out."""
    people = list(current_staff(organisation, day))
    if ward is None:
        return [], people
    team = [p for p in people if any(w.pk == ward.pk for w in p.wards.all())]
    chosen = {p.pk for p in team}
    return team, [p for p in people if p.pk not in chosen]
