"""Who must have which course, and how often: one rule, in one place.

The compliance figures, a person's training list (and GET /api/v1/staff/{id}/training), the
export and the home page all ask here, so they always agree.

The training needs analysis in force decides (issue 13: "the TNA in force decides who needs
what"; standard 3.4.2.I-III: which staff, what level, how often; 2.1.III: training for those
who may be involved in restrictive practice is based on the TNA). Each ward a person works on
is governed by one rule:

1. the TNA in force for the ward's service type, if there is one;
2. else the organisation-wide TNA in force, if there is one;
3. else the interim rule below (`is_required`), with each course's own refresher interval.

A person needs a course when the rule of any of their wards asks for it (bank staff covering
two wards need what either ward needs); where several rows apply, the shortest refresher
interval counts, since the standard asks for the most demanding need to be met. A TNA row
applies to a person on a ward when every criterion it sets matches: registered or not, the
employment (any if blank) and the ward (any ward the TNA covers if blank). Nobody off the wards
is counted, as before.

The interim rule, used only where no TNA is in force: everyone on a ward's register needs the
prevention and de-escalation course, the physical skills course and basic life support
(standard 2.5.2.I: staff who may restrain attend annual BLS updates); qualified (registered)
staff also need immediate life support (2.5.2.II). Awareness and specialist courses are needed
only where a TNA says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from rrp.workforce.models import Course, StaffMember

# Course levels by their stored values (rrp.workforce.models.CourseLevel), plain strings so
# the rule has no Django in it.
EVERYONE_ON_A_WARD: Final = frozenset({"prevention", "physical", "bls"})
QUALIFIED_ONLY: Final = frozenset({"ils"})


def is_required(*, level: str, on_a_ward: bool, qualified: bool) -> bool:
    """The interim rule: whether a person needs a course of `level` where no TNA is in force."""
    if not on_a_ward:
        return False
    if level in EVERYONE_ON_A_WARD:
        return True
    return level in QUALIFIED_ONLY and qualified


@dataclass(frozen=True)
class Row:
    """One requirement of a TNA in force, as plain values."""

    course_id: int
    staff_group: str  # "everyone", "qualified" or "unqualified"
    employment: str  # "" for any
    ward_id: int | None  # None for any ward the analysis covers
    refresher_months: int  # the row's own, or the course's

    def applies(self, *, ward_id: int, qualified: bool, employment: str) -> bool:
        if self.ward_id is not None and self.ward_id != ward_id:
            return False
        if self.employment and self.employment != employment:
            return False
        if self.staff_group == "qualified":
            return qualified
        if self.staff_group == "unqualified":
            return not qualified
        return True


@dataclass(frozen=True)
class Person:
    ward_ids: tuple[int, ...]
    qualified: bool
    employment: str


@dataclass(frozen=True)
class CourseFacts:
    id: int
    level: str
    refresher_months: int


def months_needed(
    person: Person,
    course: CourseFacts,
    *,
    ward_service_types: Mapping[int, str],
    analyses: Mapping[str, tuple[Row, ...]],
) -> int | None:
    """The refresher interval the person must keep the course in date at, or None when they
    do not need it. `analyses` maps a scope ("" for the whole organisation, else a service
    type) to the rows of the TNA in force for it."""
    found: list[int] = []
    for ward_id in person.ward_ids:
        service_type = ward_service_types.get(ward_id, "")
        rows = analyses.get(service_type) if service_type in analyses else analyses.get("")
        if rows is None:
            if is_required(level=course.level, on_a_ward=True, qualified=person.qualified):
                found.append(course.refresher_months)
            continue
        found.extend(
            row.refresher_months for row in rows
            if row.course_id == course.id
            and row.applies(ward_id=ward_id, qualified=person.qualified,
                            employment=person.employment)
        )
    return min(found) if found else None


@dataclass(frozen=True)
class Requirements:
    """The rule of one organisation, loaded once (two queries) and asked for each person and
    course without further queries (people's wards must be prefetched)."""

    ward_service_types: Mapping[int, str]
    analyses: Mapping[str, tuple[Row, ...]]

    @classmethod
    def of(cls, organisation: Any) -> Requirements:
        from rrp.organisations.models import Ward
        from rrp.workforce.models import TnaRequirement, TnaState, TrainingNeedsAnalysis

        wards = dict(
            Ward.objects.filter(organisation=organisation).values_list("pk", "service_type")
        )
        analyses: dict[str, list[Row]] = {}
        in_force = TnaRequirement.objects.for_organisation(organisation).filter(
            analysis__state=TnaState.IN_FORCE
        )
        # A TNA in force with every row removed still governs its scope (nobody needs
        # anything there), so its scope is known from the analyses, not only from the rows.
        for scope in TrainingNeedsAnalysis.objects.for_organisation(organisation).filter(
            state=TnaState.IN_FORCE
        ).values_list("service_type", flat=True):
            analyses.setdefault(scope, [])
        for row in in_force.filter(removed_at__isnull=True).values(
            "analysis__service_type", "course_id", "staff_group", "employment", "ward_id",
            "refresher_months", "course__refresher_months",
        ):
            analyses.setdefault(row["analysis__service_type"], []).append(Row(
                course_id=row["course_id"], staff_group=row["staff_group"],
                employment=row["employment"], ward_id=row["ward_id"],
                refresher_months=row["refresher_months"] or row["course__refresher_months"],
            ))
        return cls(wards, {scope: tuple(rows) for scope, rows in analyses.items()})

    @property
    def has_analysis(self) -> bool:
        return bool(self.analyses)

    def months(self, member: StaffMember, course: Course) -> int | None:
        """The interval the person must keep `course` in date at, or None if not needed."""
        person = Person(
            ward_ids=tuple(w.pk for w in member.wards.all()), qualified=member.qualified,
            employment=member.employment,
        )
        facts = CourseFacts(course.pk, course.level, course.refresher_months)
        return months_needed(person, facts, ward_service_types=self.ward_service_types,
                             analyses=self.analyses)

    def requires(self, member: StaffMember, course: Course) -> bool:
        return self.months(member, course) is not None

    def intervals(
        self, people: Iterable[StaffMember], courses: Iterable[Course]
    ) -> dict[tuple[int, int], int]:
        """(staff id, course id) -> the interval a TNA sets where it differs from the course's
        own: what `selectors.standings` works expiry out with."""
        course_list = list(courses)
        out: dict[tuple[int, int], int] = {}
        for member in people:
            for course in course_list:
                months = self.months(member, course)
                if months is not None and months != course.refresher_months:
                    out[(member.pk, course.pk)] = months
        return out
