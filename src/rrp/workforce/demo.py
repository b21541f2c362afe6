"""A synthetic staff register and two years of training for the demo provider.

- About three staff per bed on every ward (about 250 over the demo trust's six wards), with the
  mix a mental health trust has: mostly permanent staff, about one in seven bank and one in
  twelve agency, a few peer support workers and volunteers; registered nurses and allied health
  professionals among them; some who started in the last few months (a few with previous
  training accepted as equivalent), and some who have left (kept, with a leaving date).
- Courses: prevention and de-escalation, physical skills (RRN-certified, the certificate
  running out in a few weeks, so the trainer's home page warns), specialist skills, BLS, ILS and
  an e-learning awareness module (with the rationale standard 3.1 asks for).
- Sessions over the last two years, whole classes at a time: most people refresh yearly and are
  in date, a few run late, and three wards slip below 85% in date for physical skills. A few
  people were found not yet competent (with the two plans, 3.4.2.XXXIX); most were reassessed,
  the latest ones are waiting. The demo's ward nurse and ward manager are on Oak Ward's register,
  linked to their accounts.
- Competence by technique (3.4.2.XXXIX) on the recent physical skills sessions: most people
  competent in every technique, a few not assessed in one, those not yet competent overall
  short in one or two, those excluded on health grounds excluded from all, and anyone whose
  adjustments avoid floor-level holds excluded from the floor restraint.
- The people named on the demo's past uses of force (each ward's team and bank staff) are on
  the register too, trained like everyone else, and each record is linked to them by name with
  their training on the day of the incident (issue 13).

Everything goes through the services with `now=` the moment it stands for, dated back from the
demo's "today" (the real clock's, as the other demo steps use), and is drawn from a generator
seeded from the demo's own, without drawing from it, so the steps after this one are unchanged.
"""

from __future__ import annotations

import datetime as dt
import decimal
import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from rrp.audit.services import Actor
from rrp.demo.generator import FIRST_NAMES, LAST_NAMES, DemoContext, weighted
from rrp.organisations.models import Membership, Role, ServiceType
from rrp.workforce import services
from rrp.workforce.inputs import (
    CourseInput,
    CourseReportInput,
    EvaluationInput,
    OutcomeInput,
    SessionInput,
    StaffInput,
    TechniqueInput,
    TnaAgreementInput,
    TnaInput,
    TnaRequirementInput,
    TrainingEventInput,
    TrainingRecordInput,
)
from rrp.workforce.models import PHYSICAL_LEVELS, Course, StaffMember
from rrp.workforce.requirements import is_required
from rrp.workforce.status import add_months

LOCAL = ZoneInfo("Europe/London")

# A fixed salt mixed into a copy of the demo's generator: this step's own stream, reproducible
# from the demo's seed, without taking a number from the generator the later steps use.
SALT = 0x7261696E  # "rain"
TEAMS_SALT = 0x7465616D  # "team": the past incidents' ward teams (issue 13)
CONTENT_SALT = 0x6D616E75  # "manu": the training manual, session reports and evaluations
RESULTS_SALT = 0x74656368  # "tech": competence by technique on recent sessions

# Staff per bed: more on intensive care and learning disability units (higher observation
# levels), fewer on long-stay wards.
STAFF_PER_BED: dict[str, float] = {
    ServiceType.ADULT_ACUTE: 2.7,
    ServiceType.PICU: 4.0,
    ServiceType.OLDER_ADULT: 2.5,
    ServiceType.LEARNING_DISABILITY_AUTISM: 4.5,
    ServiceType.FORENSIC: 3.0,
    ServiceType.CAMHS: 3.3,
}
# The share of required training kept in date on each ward: three wards are slipping below 85%.
IN_DATE_SHARE: dict[str, float] = {
    "OAK": 0.98, "ASH": 0.8, "BIRCH": 0.97, "CEDAR": 0.97, "ELM": 0.82, "WILLOW": 0.8,
}
EMPLOYMENT_MIX = [("permanent", 72), ("bank", 15), ("agency", 8), ("peer_support", 3),
                  ("volunteer", 2)]
QUALIFIED_SHARE = {"permanent": 0.42, "bank": 0.3, "agency": 0.5}
NOT_YET_COMPETENT_SHARE = 0.03
EXCLUDED_SHARE = 0.01
ABSENT_SHARE = 0.05
CLASS_SIZE = 14
TRAINERS = ["Sam Patel", "Jo Reid", "Marcus Lee"]


@dataclass(frozen=True)
class CoursePlan:
    code: str
    title: str
    level: str
    hours: str
    delivery: str = "face_to_face"
    rationale: str = ""
    refresher_months: int = 12
    outcomes: tuple[str, ...] = ()


# What each course teaches (standard 3.1 I-XV, Use of Force Act s.5(2)(a)-(k)). One realistic
# gap: no course teaches 3.1.VIII (safety planning tools and advance decisions), so the
# outcomes matrix and the self-assessment show it. Fixed, not drawn: the streams are unchanged.
_PREVENTION_OUTCOMES = ("3.1.I", "3.1.II", "3.1.III", "3.1.IV", "3.1.VII", "3.1.IX", "3.1.X",
                        "3.1.XI", "3.1.XV", "s5.a", "s5.b", "s5.c", "s5.d", "s5.e", "s5.g")
_PHYSICAL_OUTCOMES = ("3.1.V", "3.1.VI", "3.1.XII", "3.1.XIII", "3.1.XIV", "3.1.XV", "s5.e",
                      "s5.f", "s5.h", "s5.j", "s5.k")
_SPECIALIST_OUTCOMES = ("3.1.V", "3.1.VI", "3.1.XII", "3.1.XIV", "s5.f", "s5.h", "s5.i",
                        "s5.j", "s5.k")
_AWARENESS_OUTCOMES = ("3.1.I", "3.1.V", "3.1.VI", "s5.a", "s5.b", "s5.c", "s5.d", "s5.i",
                       "s5.k")

COURSES = [
    CoursePlan("RRN-PREV", "Prevention and de-escalation", "prevention", "7.5",
               outcomes=_PREVENTION_OUTCOMES),
    CoursePlan("RRN-PHYS", "Physical skills: restrictive interventions", "physical", "15",
               outcomes=_PHYSICAL_OUTCOMES),
    CoursePlan("RRN-SPEC", "Specialist skills: seclusion and rapid tranquillisation",
               "specialist", "7.5", outcomes=_SPECIALIST_OUTCOMES),
    CoursePlan("BLS", "Basic life support", "bls", "3"),
    CoursePlan("ILS", "Immediate life support", "ils", "7.5"),
    CoursePlan("RRP-AWARE", "Restrictive practice awareness", "awareness", "1", "e_learning",
               "The law, the Use of Force Act and the trust's policy: knowledge checked by a "
               "quiz. Every skill is taught face to face in the prevention course.", 36,
               outcomes=_AWARENESS_OUTCOMES),
]


@dataclass
class Person:
    member: StaffMember
    ward_code: str
    due: dict[str, dt.date] = field(default_factory=dict)


def _rng(ctx: DemoContext, salt: int = SALT) -> random.Random:
    copy = random.Random()
    copy.setstate(ctx.rng.getstate())
    return random.Random(copy.getrandbits(64) ^ salt)


def _job_and_grade(recorded: str, grade: str) -> tuple[str, str]:
    """"Staff nurse, band 5" as an account holds it -> ("Staff nurse", "Band 5")."""
    title, _, band = recorded.partition(", band ")
    if band and not grade:
        grade = f"Band {band}"
    return title.removesuffix(" (bank)").strip() or "Staff nurse", grade


def _incident_teams(ctx: DemoContext, rng: random.Random, actor: Actor) -> list[Person]:
    """The people the incidents demo named on its past uses of force (each ward's team, with
    their accounts, and its bank staff) put on the register of the ward they worked on, unless
    already on it by name (the demo's ward nurse and manager are), so that
    `incident_staff_link_register` links them by name and each record shows their training on
    the day (issue 13). They started before the first record and their training is drawn like
    everyone else's, from this step's second stream."""
    from rrp.incidents.models import StaffInvolvement  # the demo builds on both apps

    register = list(StaffMember.objects.for_organisation(ctx.organisation)
                    .prefetch_related("wards"))
    linked_users = {m.user_id for m in register if m.user_id is not None}

    def on_register(name: str, user_id: int | None, ward_code: str, day: dt.date) -> bool:
        if user_id is not None:
            return user_id in linked_users
        # Two people may share a name: the same one only if on that ward that day.
        return any(m.name.casefold() == name.casefold() and m.works_on(day)
                   and any(w.code == ward_code for w in m.wards.all()) for m in register)

    involvements = (
        StaffInvolvement.objects.filter(incident__organisation=ctx.organisation,
                                        incident__started_at__isnull=False)
        .order_by("incident__started_at", "pk")
        .values_list("name", "job_title", "grade", "user_id", "incident__ward__code",
                     "incident__started_at")
    )
    first_seen: dict[str, tuple[str, str, str, int | None, str, dt.datetime]] = {}
    for row in involvements:
        if row[5] is not None:
            first_seen.setdefault(row[0].casefold(), (*row[:5], row[5]))
    people: list[Person] = []
    number = 30900000
    for name, recorded_title, grade, user_id, ward_code, first in first_seen.values():
        first_day = timezone.localtime(first).date()
        if ward_code not in ctx.wards or on_register(name, user_id, ward_code, first_day):
            continue
        number += 1
        bank = "(bank)" in recorded_title
        job_title, grade = _job_and_grade(recorded_title, grade)
        qualified = any(word in job_title.lower() for word in ("nurse", "charge"))
        start = min(first_day, ctx.start) - dt.timedelta(
            days=rng.randint(30, 3000))
        user = user_id
        member = services.staff_member_create(
            actor=actor, organisation=ctx.organisation,
            data=StaffInput(
                staff_number=str(number), name=name, job_title=job_title,
                employment="bank" if bank else "permanent", grade=grade, qualified=qualified,
                wards=[ward_code], start_date=start, user_id=user,
            ),
        )
        if user is not None:
            linked_users.add(user)
        people.append(Person(member, ward_code))
    return people


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    """The afternoon of the session, or now if that is still to come today."""
    moment = dt.datetime.combine(day, dt.time(16, rng.randrange(60)), tzinfo=LOCAL)
    return min(moment, timezone.now())


def _courses(ctx: DemoContext, actor: Actor) -> dict[str, Course]:
    courses = {}
    for plan in COURSES:
        certified = plan.code in ("RRN-PREV", "RRN-PHYS")
        # The physical skills certificate runs out in six weeks: the warning shows.
        valid_until = ctx.today + dt.timedelta(days=42 if plan.code == "RRN-PHYS" else 700)
        courses[plan.code] = services.course_create(
            actor=actor, organisation=ctx.organisation,
            data=CourseInput(
                code=plan.code, title=plan.title, level=plan.level, delivery=plan.delivery,
                delivery_rationale=plan.rationale, duration_hours=decimal.Decimal(plan.hours),
                refresher_months=plan.refresher_months,
                certifying_body="BILD ACT" if certified else "",
                certificate_number=f"BILD-ACT-{plan.code[-4:]}-0417" if certified else "",
                certificate_valid_until=valid_until if certified else None,
                outcomes=list(plan.outcomes),
            ),
        )
    return courses


def _job(rng: random.Random, employment: str, qualified: bool) -> tuple[str, str]:
    if employment == "peer_support":
        return "Peer support worker", "Band 4"
    if employment == "volunteer":
        return "Volunteer", ""
    if qualified:
        choice = weighted(rng, [("Staff nurse|Band 5", 60), ("Charge nurse|Band 6", 20),
                                ("Occupational therapist|Band 6", 8),
                                ("Clinical psychologist|Band 8a", 4),
                                ("Deputy ward manager|Band 6", 8)])
    else:
        choice = weighted(rng, [("Healthcare assistant|Band 3", 70),
                                ("Senior healthcare assistant|Band 4", 20),
                                ("Activity coordinator|Band 4", 10)])
    title, grade = choice.split("|")
    return title, grade


def _staff(ctx: DemoContext, rng: random.Random, actor: Actor) -> list[Person]:
    people: list[Person] = []
    number = 30100000
    accounts = {
        m.role: m.user for m in Membership.objects.filter(
            organisation=ctx.organisation, role__in=[Role.WARD_STAFF, Role.WARD_MANAGER],
            home_ward__code="OAK",
        ).select_related("user").order_by("pk")
    }
    ward_codes = list(ctx.wards)
    for code, ward in ctx.wards.items():
        count = max(4, round(ward.beds * STAFF_PER_BED.get(ward.service_type, 3.0)))
        for index in range(count):
            number += 1
            employment = weighted(rng, EMPLOYMENT_MIX)
            qualified = rng.random() < QUALIFIED_SHARE.get(employment, 0.0)
            job_title, grade = _job(rng, employment, qualified)
            user = None
            name = f"{rng.choice(FIRST_NAMES[rng.choice(['female', 'male'])])} " \
                   f"{rng.choice(LAST_NAMES)}"
            if code == "OAK" and index == 0 and Role.WARD_MANAGER in accounts:
                user = accounts[Role.WARD_MANAGER]
                job_title, grade, qualified, employment = "Ward manager", "Band 7", True, \
                    "permanent"
            elif code == "OAK" and index == 1 and Role.WARD_STAFF in accounts:
                user = accounts[Role.WARD_STAFF]
                job_title, grade, qualified, employment = "Staff nurse", "Band 5", True, \
                    "permanent"
            if user is not None:
                name = user.get_full_name() or name
            # Years in post; about one in twelve started in the last six months.
            if user is None and rng.random() < 0.08:
                start = ctx.today - dt.timedelta(days=rng.randint(5, 180))
            else:
                start = ctx.today - dt.timedelta(days=rng.randint(800, 5500))
            leaving = None
            long_serving = (ctx.today - start).days > 400
            if user is None and employment == "permanent" and long_serving \
                    and rng.random() < 0.05:
                leaving = ctx.today - dt.timedelta(days=rng.randint(1, 300))
            wards = [code]
            others = [c for c in ward_codes if c != code]
            if employment == "bank" and others and rng.random() < 0.35:
                wards.append(rng.choice(others))  # bank staff often cover two wards
            member = services.staff_member_create(
                actor=actor, organisation=ctx.organisation,
                data=StaffInput(
                    staff_number=str(number), name=name, job_title=job_title,
                    employment=employment, grade=grade, qualified=qualified, wards=wards,
                    start_date=start, leaving_date=leaving,
                    user_id=user.pk if user is not None else None,
                ),
            )
            people.append(Person(member, code))
    return people


@dataclass(frozen=True)
class Attendance:
    person: Person
    outcome: str


def _completions(
    ctx: DemoContext, rng: random.Random, person: Person, course: Course,
    earliest: dt.date | None = None,
) -> list[dt.date]:
    """The days the person did the course over the last two years, refreshing yearly (or at
    the course's interval), in date or running late as their ward tends to."""
    member = person.member
    # Two years back, or less for a smaller demo (`history_months` of seed_demo).
    first = max(earliest or max(ctx.today - dt.timedelta(days=730), ctx.start),
                member.start_date or ctx.today)
    last = min(member.leaving_date or ctx.today, ctx.today) - dt.timedelta(days=1)
    if last < first:
        return []
    share = IN_DATE_SHARE.get(person.ward_code, 0.9)
    if member.employment == "agency":
        share -= 0.12
    in_date = rng.random() < share
    months = course.refresher_months
    # The latest completion: within the refresher interval if in date, else a few months past.
    span = (add_months(ctx.today, -months) - ctx.today).days * -1
    if in_date:
        latest = ctx.today - dt.timedelta(days=rng.randint(3, max(4, span - 3)))
    else:
        if rng.random() < 0.25 and member.start_date and member.start_date > first:
            return []  # never trained since they started
        latest = ctx.today - dt.timedelta(days=span + rng.randint(10, 200))
    days = []
    day = latest
    while day >= first:
        if day <= last:
            days.append(day)
        day = add_months(day, -months) + dt.timedelta(days=rng.randint(-20, 10))
    return sorted(days)


def _session_day(day: dt.date, course: Course) -> dt.date:
    """Classes run on set weekdays: Tuesdays for physical skills, Thursdays otherwise; the
    person joins the class of their week."""
    weekday = 1 if course.level in PHYSICAL_LEVELS else 3
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def seed_workforce(ctx: DemoContext) -> None:
    """Add the staff register, courses and two years of training to the demo."""
    rng = _rng(ctx)
    trainer = (
        Membership.objects.filter(organisation=ctx.organisation, role=Role.TRAINER)
        .select_related("user").order_by("pk").first()
    )
    actor = Actor(user=trainer.user, via="web") if trainer else ctx.actor
    courses = _courses(ctx, actor)
    people = _staff(ctx, rng, actor)
    # The past incidents' ward teams, from a stream of their own: everyone above is the same
    # with or without incidents in the demo.
    teams_rng = _rng(ctx, TEAMS_SALT)
    teams = _incident_teams(ctx, teams_rng, actor)
    classes: dict[tuple[str, dt.date], list[Attendance]] = defaultdict(list)
    for person in people:
        _plan_training(ctx, rng, actor, person, courses, classes)
    for person in teams:
        # Trained before the first incident they held a patient in, a year before the
        # history starts, so the oldest records show what a ward's training looked like.
        _plan_training(ctx, teams_rng, actor, person, courses, classes,
                       earliest=ctx.start - dt.timedelta(days=365))
    _record_classes(ctx, rng, actor, courses, classes)
    if teams:
        # Issue 13: staff on past incidents linked to the register, with their training on
        # the day of each incident.
        from rrp.incidents.services import incident_staff_link_register

        incident_staff_link_register(actor=ctx.actor, organisation=ctx.organisation)
    seed_needs_analysis(ctx, actor)
    seed_course_content(ctx, actor)
    seed_technique_results(ctx, actor)  # after the manual it records results in


def _plan_training(
    ctx: DemoContext,
    rng: random.Random,
    actor: Actor,
    person: Person,
    courses: dict[str, Course],
    classes: dict[tuple[str, dt.date], list[Attendance]],
    earliest: dt.date | None = None,
) -> None:
    """The person's e-learning and previous training recorded, and the classes they joined
    over two years (or from `earliest`) planned."""
    for course in courses.values():
        # Everyone in the demo works on a ward.
        needed = is_required(level=course.level, on_a_ward=True,
                             qualified=person.member.qualified)
        specialist = course.level == "specialist" and person.ward_code in ("ASH", "ELM")
        if course.delivery == "e_learning":
            _e_learning(ctx, rng, actor, person, course)
            continue
        if not needed and not specialist:
            continue
        start = person.member.start_date
        if (course.level == "physical" and start is not None
                and (ctx.today - start).days < 200 and rng.random() < 0.6):
            # A new starter trained at their last employer: accepted if recent (s.5).
            _previous_training(ctx, actor, person, course,
                               start - dt.timedelta(days=rng.randint(20, 150)))
            continue
        for day in _completions(ctx, rng, person, course, earliest):
            session_day = _session_day(day, course)
            member = person.member
            if member.start_date and session_day < member.start_date:
                continue  # the week's class was before they started
            classes[(course.code, session_day)].append(Attendance(person, "competent"))


def _e_learning(ctx: DemoContext, rng: random.Random, actor: Actor, person: Person,
                course: Course) -> None:
    member = person.member
    if rng.random() < 0.2:
        return
    day = ctx.today - dt.timedelta(days=rng.randint(2, 900))
    if day < ctx.start or (member.start_date and day < member.start_date) or (
        member.leaving_date and day > member.leaving_date
    ):
        return
    services.training_record_create(
        actor=actor, organisation=ctx.organisation, now=_moment(day, rng),
        data=TrainingRecordInput(staff_id=member.pk, course=course.code, completed_on=day,
                                 outcome="competent", theory_result="passed"),
    )


def _previous_training(ctx: DemoContext, actor: Actor, person: Person, course: Course,
                       day: dt.date) -> None:
    """A new starter's training at their last employer, accepted if still in date (s.5)."""
    member = person.member
    if add_months(day, course.refresher_months) < ctx.today or course.level != "physical":
        return
    services.training_record_create(
        actor=actor, organisation=ctx.organisation,
        now=_moment(member.start_date or ctx.today, random.Random(member.pk)),
        data=TrainingRecordInput(
            staff_id=member.pk, course=course.code, completed_on=day, outcome="competent",
            equivalent_previous=True,
            evidence="Certificate from their previous NHS trust: RRN-certified physical skills "
                     "course, same curriculum level, checked by the lead trainer",
        ),
    )


def _record_classes(
    ctx: DemoContext,
    rng: random.Random,
    actor: Actor,
    courses: dict[str, Course],
    classes: dict[tuple[str, dt.date], list[Attendance]],
) -> None:
    """Each class as sessions of at most CLASS_SIZE, oldest first, with a few people found not
    yet competent (reassessed three to six weeks later, unless that is still to come), a few
    excluded on health grounds and a few who were booked but did not come."""
    resits: dict[tuple[str, dt.date], list[Attendance]] = defaultdict(list)
    for (code, day), attendees in sorted(classes.items()):
        course = courses[code]
        physical = course.level in PHYSICAL_LEVELS
        seen: set[int] = set()
        unique = []
        for attendance in attendees + resits.pop((code, day), []):
            if attendance.person.member.pk not in seen:
                seen.add(attendance.person.member.pk)
                unique.append(attendance)
        for start in range(0, len(unique), CLASS_SIZE):
            group = unique[start:start + CLASS_SIZE]
            rows: list[OutcomeInput] = []
            absent: list[int] = []
            for attendance in group:
                member = attendance.person.member
                roll = rng.random()
                if physical and roll < NOT_YET_COMPETENT_SHARE:
                    rows.append(OutcomeInput(
                        staff_id=member.pk, outcome="not_yet_competent",
                        theory_result="passed", occupational_health_checked=True,
                        competence_plan="Two supported practice sessions on the disengagement "
                                        "and holding skills, then reassessment",
                        interim_plan="Not in the restraint team until reassessed; can be the "
                                     "person monitoring wellbeing",
                    ))
                    resit = _session_day(day + dt.timedelta(days=rng.randint(21, 42)), course)
                    if resit < ctx.today and (not member.leaving_date
                                              or resit <= member.leaving_date):
                        resits[(code, resit)].append(Attendance(attendance.person, "competent"))
                elif physical and roll < NOT_YET_COMPETENT_SHARE + EXCLUDED_SHARE:
                    rows.append(OutcomeInput(
                        staff_id=member.pk, outcome="excluded_health",
                        occupational_health_checked=True,
                        interim_plan="Referred to occupational health; no physical "
                                     "interventions until cleared",
                    ))
                elif roll > 1 - ABSENT_SHARE and len(group) > 1:
                    absent.append(member.pk)
                    # Booked again on a class two weeks on, when there is one before today.
                    again = _session_day(day + dt.timedelta(days=14), course)
                    if again < ctx.today and (not member.leaving_date
                                              or again <= member.leaving_date):
                        resits[(code, again)].append(Attendance(attendance.person, "competent"))
                else:
                    rows.append(OutcomeInput(
                        staff_id=member.pk, outcome="competent",
                        theory_result="passed" if course.level != "bls" else "",
                        occupational_health_checked=physical,
                        adjustments="Back support; avoided floor-level holds"
                        if physical and rng.random() < 0.04 else "",
                    ))
            if not rows:
                continue
            ward = group[0].person.ward_code
            services.training_session_record(
                actor=actor, organisation=ctx.organisation, now=_moment(day, rng),
                data=SessionInput(
                    course=code, held_on=day, trainer_name=rng.choice(TRAINERS),
                    ward=ward if len({a.person.ward_code for a in group}) == 1 else "",
                    location=rng.choice(["Training centre, Northgate Hospital",
                                         "Riverside Centre seminar room"]),
                    attendees=rows, absent=absent,
                ),
            )
    # Resits whose day came after every class of that course still need their session.
    for (code, day), attendees in sorted(resits.items()):
        _record_classes(ctx, rng, actor, courses, {(code, day): attendees})



# ---------------------------------------------------------------------------------------------
# The training needs analysis (standard 3.4.II-III, 3.4.2.I-XIX)
# ---------------------------------------------------------------------------------------------

# Version 1 was signed off this long before the demo's today, so its yearly review falls due
# in three weeks and shows on the lead's and the trainer's home pages (standard 3.4.1).
TNA_SIGNED_DAYS_AGO = 344
TNA_PROVIDER = "Northgate Positive Behaviour Training (BILD ACT certified)"

TNA_TEXT = TnaInput(
    risks="Two years of incidents recorded in RRP (the profile below): most uses of force are "
          "to prevent violence to others, on the intensive care and forensic wards above all; "
          "prone restraint still occurs on Ash and Elm; injuries to staff during restraint "
          "are reported on the acute wards. Elevated risks: young people on Willow Ward, "
          "frail older adults on Birch Ward, autistic people on Cedar Unit.",
    content="Prevention and de-escalation for everyone on the wards (theory, safety planning, "
            "trauma informed care, de-escalation skills). Physical skills for employed, bank "
            "and agency ward staff, taught only after the prevention course. Specialist skills "
            "(seclusion, rapid tranquillisation) for Ash and Elm Wards. Basic life support "
            "for everyone who may restrain; immediate life support for registered staff.",
    learning_outcomes="Mapped to standard 3.1 I-XV and the Use of Force Act s.5 (a)-(k) in "
                      "the course handbook, reviewed with the provider each year.",
    competence_testing="Knowledge: a written test at the end of each course. Competence: each "
                       "physical technique observed by two trainers, recorded as competent, "
                       "not yet competent (with a plan and an interim plan) or excluded on "
                       "health grounds. Attitudes: scenario discussion with a peer trainer "
                       "with lived experience.",
    physical_rationale="Standing and seated holds and restrictive escort: most physical "
                       "restraint on every ward. Supine and side holds: to move a person out "
                       "of prone at once. Prone is not taught as a planned hold; staff learn "
                       "to leave it. Breakaway: staff injuries on the acute wards.",
    sub_specialty="Trauma and gender on every ward; dementia and frailty on Birch Ward; "
                  "autism and positive behaviour support on Cedar Unit; the Children Act and "
                  "young people's rights on Willow Ward.",
)


def _tna_rows(ctx: DemoContext) -> list[TnaRequirementInput]:
    rows = [TnaRequirementInput(course="RRN-PREV"), TnaRequirementInput(course="BLS"),
            TnaRequirementInput(course="ILS", staff_group="qualified")]
    # standard 3.4.1: no blanket training - volunteers and peer support workers on the wards do
    # not take part in physical interventions, so are not taught them.
    rows += [TnaRequirementInput(course="RRN-PHYS", employment=employment)
             for employment in ("permanent", "bank", "agency")]
    rows += [TnaRequirementInput(course="RRN-SPEC", ward=code)
             for code in ("ASH", "ELM") if code in ctx.wards]
    return rows


def _at(day: dt.date, hour: int) -> dt.datetime:
    return min(dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LOCAL), timezone.now())


def seed_needs_analysis(ctx: DemoContext, actor: Actor) -> None:
    """Version 1 in force (drafted by the trainer, agreed with the training provider, signed off
    by the lead 344 days ago), and version 2 in draft for its yearly review, started from it."""
    lead = (
        Membership.objects.filter(organisation=ctx.organisation, role=Role.RRP_LEAD)
        .select_related("user").order_by("pk").first()
    )
    if lead is None:
        return  # nobody who may sign it off: the demo runs without a TNA, on the interim rule
    signed_on = ctx.today - dt.timedelta(days=TNA_SIGNED_DAYS_AGO)
    first = services.tna_create(actor=actor, organisation=ctx.organisation, data=TNA_TEXT,
                                now=_at(signed_on - dt.timedelta(days=40), 10))
    for row in _tna_rows(ctx):
        services.tna_requirement_add(actor=actor, analysis=first, data=row)
    services.tna_record_agreement(
        actor=actor, analysis=first, now=_at(signed_on - dt.timedelta(days=12), 15),
        data=TnaAgreementInput(training_provider=TNA_PROVIDER,
                               agreed_by="Dr Ruth Okoye, head of training",
                               agreed_on=signed_on - dt.timedelta(days=12)),
    )
    services.tna_sign_off(actor=Actor(user=lead.user, via="web"), analysis=first,
                          now=_at(signed_on, 11))
    review = replace(TNA_TEXT, risks=TNA_TEXT.risks + " Review: prone restraint on Elm Ward "
                     "is down; staff injuries during escorts are up on Oak Ward.")
    services.tna_create(actor=actor, organisation=ctx.organisation, data=review,
                        copy_from=first, now=_at(ctx.today - dt.timedelta(days=9), 10))


# ---------------------------------------------------------------------------------------------
# The training manual, and how the recent sessions went (standard 3.4.2.XXIV-XLI)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TechniquePlan:
    name: str
    description: str
    training_risks: str
    physical_risks: str
    psychological_risks: str
    mitigations: str


_ASSESSOR = ("Dr Helen Marsh", "Consultant psychiatrist and physical health lead, GMC "
                               "registered")
TECHNIQUES = [
    TechniquePlan(
        "Breakaway from a wrist grab",
        "Disengaging from a one- or two-handed wrist grab by rotating towards the thumb and "
        "stepping away (assault avoidance, 3.4.2.XX).",
        "Wrist and shoulder strain when practised at speed; partners practise at walking pace.",
        "Minor wrist strain to the staff member; bruising to the person if pulled against.",
        "Startle and fear for the person if done suddenly; staff feeling unsafe afterwards.",
        "Used only to disengage, with verbal de-escalation throughout; debrief after use."),
    TechniquePlan(
        "Two-person standing hold",
        "Two staff each holding an arm in a figure-of-four hold, the person standing, one "
        "staff member leading and monitoring throughout (3.4.2.XXII).",
        "Shoulder and elbow strain to participants; only trainers role play resistance "
        "(3.4.2.XXVII) and a second trainer manages the role play (XXVIII).",
        "Joint injury, bruising; positional stress if prolonged.",
        "Re-traumatisation, loss of dignity and trust; distress to people watching.",
        "Shortest possible duration; a named staff member monitors airway, breathing and "
        "wellbeing; release as soon as risk allows; post-incident support for all."),
    TechniquePlan(
        "Seated hold",
        "Moving from a standing hold to seated, on a chair or sofa, the person's back "
        "supported and their airway clear.",
        "Falls during the transition; practised on mats with padded seating.",
        "Falls, joint strain; restricted breathing if the person slumps forward.",
        "Feeling trapped; memories of past abuse.",
        "Never a forward-leaning position; monitoring of breathing; shortest duration."),
    TechniquePlan(
        "Supine restraint on the floor",
        "Controlled descent to the floor face up, with a head support; the person's airway "
        "and breathing monitored by the staff member at the head (3.4.2.XXII).",
        "Knee and back injury to participants during descent; trainers only for resistance.",
        "Restricted breathing, chest compression, head injury during descent; cardiac "
        "events (the Right to Life, Article 2).",
        "Severe distress, re-traumatisation, lasting damage to the therapeutic relationship.",
        "Last resort only; never prone; no pressure on chest or abdomen; physical health "
        "observations afterwards (2.5.2); medical review if any concern."),
    TechniquePlan(
        "Escort in a standing hold",
        "Walking a person held in a two-person standing hold a short distance to a safer "
        "place, a third staff member clearing the route.",
        "Trips and falls while walking; practised on a clear route.",
        "Falls, joint strain, collision with doors and furniture.",
        "Loss of dignity in front of others; fear of where they are being taken.",
        "Explain where and why throughout; shortest route; stop if the person falls."),
]
# The last technique was added after the review of the TNA (escorts on Oak Ward): it awaits
# the lead's sign-off.
TECHNIQUE_SIGNED_DAYS_AGO = 300
NEW_TECHNIQUE_DAYS_AGO = 6
# Of the sessions of the last RECENT_DAYS, these shares have a course report and evaluation.
RECENT_DAYS = 120
REPORTED_SHARE = 0.85
EVALUATED_SHARE = 0.7


def _evaluation(rng: random.Random, attended: int) -> EvaluationInput:
    returned = max(1, attended - rng.choice([0, 0, 1, 1, 2, 3]))
    weights = [1, 2, 8, 40, 49]
    counts = [0, 0, 0, 0, 0]
    for _form in range(returned):
        counts[rng.choices(range(5), weights=weights)[0]] += 1
    themes = rng.choice([
        "Most valued the de-escalation scenarios; several asked for more time on seated holds.",
        "Practical and well paced. Two said the room was too small for the floor work.",
        "Good link to real incidents on the wards; some wanted more on trauma informed care.",
        "Trainers knowledgeable; a request for refreshers on the ward rather than off site.",
    ])
    return EvaluationInput(forms_returned=returned, themes=themes,
                           **{f"rating_{r + 1}": counts[r] for r in range(5)})


def seed_course_content(ctx: DemoContext, actor: Actor) -> None:
    """The physical skills course's training manual (four techniques signed off by the lead,
    one awaiting sign-off), course reports and evaluations on most recent sessions, and a
    training injury and a near miss on the latest physical skills sessions. Drawn from a
    stream of its own: nothing before it changes."""
    from rrp.workforce import course_content
    from rrp.workforce.models import TrainingSession

    rng = _rng(ctx, CONTENT_SALT)
    lead = (
        Membership.objects.filter(organisation=ctx.organisation, role=Role.RRP_LEAD)
        .select_related("user").order_by("pk").first()
    )
    course = Course.objects.get(organisation=ctx.organisation, code="RRN-PHYS")
    signed_on = ctx.today - dt.timedelta(days=TECHNIQUE_SIGNED_DAYS_AGO)
    for index, plan in enumerate(TECHNIQUES):
        newest = index == len(TECHNIQUES) - 1
        assessed = ctx.today - dt.timedelta(days=NEW_TECHNIQUE_DAYS_AGO if newest else
                                            TECHNIQUE_SIGNED_DAYS_AGO + 14)
        technique = course_content.technique_add(
            actor=actor, course=course, now=_at(assessed, 14),
            data=TechniqueInput(
                name=plan.name, description=plan.description,
                training_risks=plan.training_risks, physical_risks=plan.physical_risks,
                psychological_risks=plan.psychological_risks, mitigations=plan.mitigations,
                assessed_by=_ASSESSOR[0], assessor_qualification=_ASSESSOR[1],
                assessed_on=assessed,
            ),
        )
        if lead is not None and not newest:
            course_content.technique_sign_off(actor=Actor(user=lead.user, via="web"),
                                              technique=technique, now=_at(signed_on, 12))
    recent = list(
        TrainingSession.objects.for_organisation(ctx.organisation)
        .filter(held_on__gte=ctx.today - dt.timedelta(days=RECENT_DAYS))
        .select_related("course").order_by("held_on", "pk")
    )
    for session in recent:
        attended = session.records.count()
        written = _at(min(session.held_on + dt.timedelta(days=1), ctx.today), 17)
        if rng.random() < REPORTED_SHARE:
            issues = rng.choice(["", "", "One participant left early (ward staffing).",
                                 "The training room's mats need replacing."])
            course_content.course_report_save(
                actor=actor, session=session, now=written,
                data=CourseReportInput(
                    content_delivered=f"{session.course.title}: the full syllabus as in the "
                                      "training manual, with scenarios from the wards.",
                    issues_arising=issues),
            )
        if attended and rng.random() < EVALUATED_SHARE:
            course_content.evaluation_save(actor=actor, session=session, now=written,
                                           data=_evaluation(rng, attended))
    physical = [s for s in recent if s.course_id == course.pk and s.records.exists()]
    if len(physical) < 2:
        return
    for session, kind, severity, what, reference in (
        (physical[-2], "injury", "minor", "Sprained left wrist practising the breakaway from "
         "a wrist grab; first aid given, back at work the next shift.", "DATIX-T-"),
        (physical[-1], "near_miss", "none", "A participant stepped back off the edge of the "
         "mat during the seated hold; the second trainer stopped the scenario (3.4.2.XXVIII).",
         ""),
    ):
        record = rng.choice(list(session.records.all()))
        event = course_content.training_event_record(
            actor=actor, session=session, now=_at(session.held_on, 16),
            data=TrainingEventInput(
                kind=kind, staff_id=record.staff_id, occurred_on=session.held_on,
                what_happened=what, severity=severity,
                incident_reference=f"{reference}{rng.randrange(10000, 99999)}"
                if reference else "",
            ),
        )
        if lead is not None and kind == "injury":
            course_content.training_event_review(
                actor=Actor(user=lead.user, via="web"), event=event,
                now=_at(min(session.held_on + dt.timedelta(days=7), ctx.today), 11),
                note="Reviewed at the training quality meeting: mats checked, warm-up added "
                     "before breakaway practice.")


# Of the attendees competent overall on a recent physical session, this share were not assessed
# in one technique (left early, or the scenario ran out of time); the rest are competent in all.
NOT_ASSESSED_SHARE = 0.06
# The technique someone whose adjustments avoid floor-level holds is excluded from (3.4.2.XV).
FLOOR_TECHNIQUE = "Supine restraint on the floor"


def _technique_result(record: Any, technique: Any, short: set[int], skipped: int | None) -> str:
    """One attendee's result, consistent with their overall outcome (result_problem's rules)."""
    if record.outcome == "excluded_health":
        return "excluded_health"
    if record.outcome == "not_yet_competent":
        return "not_yet_competent" if technique.pk in short else "competent"
    if technique.name == FLOOR_TECHNIQUE and "floor" in record.adjustments:
        return "excluded_health"
    return "not_assessed" if technique.pk == skipped else "competent"


def seed_technique_results(ctx: DemoContext, actor: Actor) -> None:
    """Competence by technique on the physical skills sessions of the last RECENT_DAYS, as the
    trainer would record it the day after. A technique assessed (added to the manual) after a
    session was not taught at it: "not assessed". The latest session is left to do. Drawn from
    a stream of its own: nothing before it changes."""
    from rrp.workforce import technique_results
    from rrp.workforce.inputs import TechniqueResultInput
    from rrp.workforce.models import TrainingSession

    rng = _rng(ctx, RESULTS_SALT)
    sessions = (
        TrainingSession.objects.for_organisation(ctx.organisation)
        .filter(held_on__gte=ctx.today - dt.timedelta(days=RECENT_DAYS),
                course__level__in=PHYSICAL_LEVELS)
        .select_related("course").order_by("held_on", "pk")
    )
    due = [s for s in sessions if technique_results.techniques_taught(s)
           and technique_results.attendees(s)]
    # The latest is still to record: the indicator and the session page show one to do.
    for session in due[:-1]:
        taught = technique_results.techniques_taught(session)
        records = technique_results.attendees(session)
        # Only what was in the manual by then was assessed: that is where anyone fell short.
        assessed = [t for t in taught if t.assessed_on <= session.held_on] or taught
        results = []
        for record in records:
            short = {t.pk for t in rng.sample(assessed, k=min(len(assessed),
                                                              rng.choice([1, 2])))}
            skipped = rng.choice(assessed).pk if rng.random() < NOT_ASSESSED_SHARE else None
            for technique in taught:
                result = _technique_result(record, technique, short, skipped)
                if technique.assessed_on > session.held_on:
                    result = "not_assessed"
                results.append(TechniqueResultInput(record_id=record.pk,
                                                    technique_id=technique.pk, result=result))
        technique_results.technique_results_record(
            actor=actor, session=session, results=results,
            now=_at(min(session.held_on + dt.timedelta(days=1), ctx.today), 17))
