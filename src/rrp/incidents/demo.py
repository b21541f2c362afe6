"""Synthetic uses of force for the demo provider: two years of records that behave like a real
ward's, so the pages, worklists, exports and analytics have something true to find.

Everything is drawn from the demo's seeded random generator (`DemoContext.rng`): the same seed
and the same `today` give the same records. Nothing is real: people come from the demo's own
name lists, and every figure is made up to look like published national patterns:

- rates per 1,000 occupied bed days by service type (`PROFILES`): a few on older adult and
  rehabilitation wards, 10-20 on adult acute, 20-30 on psychiatric intensive care and learning
  disability and autism wards, moderate on forensic wards, high-ish on CAMHS;
- mostly physical restraint, with standing, seated and escort holds common, prone a visible
  minority, and supine, side and kneeling in between; rapid tranquillisation after some
  restraints; seclusion lasting hours (sometimes past the 8 hours that call an independent
  review); a little long-term segregation on the forensic and learning disability wards; rare
  mechanical restraint;
- more incidents in the late afternoon and evening and around handovers, fewer at night and at
  weekends; more early in an admission on acute wards; monthly counts steadier than real wards'
  (`_steady_count`), so the run charts tell the initiative's story clearly;
- a small share of people account for a large share of the restraint (`concentration`);
- medical reviews, observations, support, debriefs and accounts mostly on time, some late with
  a reason, a few never done (left open, so overdue);
- a dated reduction initiative (`REDUCTION_INITIATIVES`) after which two wards' rates fall by
  about 40% and stay down, so a run chart shows special-cause improvement.

Every use of force is recorded through incident_create with `now=` the moment it was recorded,
so its duties come from duties_sync and it is audited as a real one would be. What followed
the last 60 days' uses of force (medical reviews, observations, support, debriefs, accounts,
reviews) goes through the follow-up services one call at a time; what followed older ones is
written in bulk by `_Bulk`, field for field as the services write it, because thousands of
service calls were most of the demo's load time (see `_Bulk` for how that is kept honest).
Review, closure and entered-in-error go through their services with `now=`. Two things take the
real clock: acknowledging an escalation (the service has no `now`) and the `recorded_at` /
`created_at` fields Django fills itself; `_Writer.backdate` moves those to the synthetic moment
afterwards. Audit events keep the real moment they were written: they are append-only.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_record
from rrp.demo.generator import FIRST_NAMES, LAST_NAMES, DemoContext
from rrp.incidents import codes, duty_rules, services
from rrp.incidents.inputs import (
    IncidentInput,
    InjuryInput,
    InterventionInput,
    OtherPersonInput,
    StaffInput,
)
from rrp.incidents.models import (
    Debrief,
    Duty,
    Escalation,
    Incident,
    MedicalReview,
    Observation,
    PatientAccount,
    PostIncidentSupport,
    Review,
)
from rrp.incidents.validation import FUTURE_GRACE
from rrp.organisations import services as org_services
from rrp.organisations.models import Membership, Role, ServiceType, Ward
from rrp.patients.models import Admission, Patient

LOCAL = ZoneInfo(settings.TIME_ZONE)

# ---------------------------------------------------------------------------------------------
# The reduction initiative the analytics should find
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReductionInitiative:
    """A dated change on some wards after which their use of force falls and stays down."""

    name: str
    description: str
    ward_codes: tuple[str, ...]
    # The demo's history ends at its `today`, so the date is kept relative to it: the first day
    # of the month this many months before today's month.
    months_before_today: int
    # Rates on these wards from that day on, as a share of their rate before.
    rate_factor: float

    def started_on(self, today: dt.date) -> dt.date:
        month_index = today.year * 12 + (today.month - 1) - self.months_before_today
        return dt.date(month_index // 12, month_index % 12 + 1, 1)


REDUCTION_INITIATIVES: tuple[ReductionInitiative, ...] = (
    ReductionInitiative(
        name="Safewards launched",
        description=(
            "Oak Ward and Cedar Unit adopted the Safewards interventions (calm-down methods, "
            "bad news mitigation, mutual help meetings) with a restraint reduction lead on "
            "each ward."
        ),
        ward_codes=("OAK", "CEDAR"),
        months_before_today=12,
        rate_factor=0.58,
    ),
)


def initiative_dates(today: dt.date) -> list[tuple[ReductionInitiative, dt.date]]:
    """Each demo reduction initiative with the day it started, for a demo seeded on `today`."""
    return [(initiative, initiative.started_on(today)) for initiative in REDUCTION_INITIATIVES]


def initiative_rate_factor(ward_code: str, day: dt.date, today: dt.date) -> float:
    """How much of the ward's usual rate applies on `day` (1 before any initiative)."""
    factor = 1.0
    for initiative, started in initiative_dates(today):
        if ward_code in initiative.ward_codes and day >= started:
            factor *= initiative.rate_factor
    return factor


# ---------------------------------------------------------------------------------------------
# How each kind of ward uses force
# ---------------------------------------------------------------------------------------------

# Sequences of holds: each step is (MHSDS RestrictiveIntType, shortest, longest minutes).
HOLDS: dict[str, tuple[tuple[str, int, int], ...]] = {
    "standing": (("07", 2, 10),),
    "escort": (("08", 2, 8),),
    "seated": (("11", 3, 12),),
    "standing_then_seated": (("07", 1, 4), ("11", 3, 10)),
    "standing_then_supine": (("07", 1, 4), ("09", 4, 15)),
    "standing_then_side": (("07", 1, 4), ("10", 3, 10)),
    "standing_prone_supine": (("07", 1, 3), ("01", 1, 6), ("09", 3, 12)),
    "standing_then_prone": (("07", 1, 3), ("01", 2, 9)),
    "escort_then_kneeling": (("08", 2, 5), ("12", 2, 8)),
    "kneeling_then_seated": (("12", 2, 6), ("11", 2, 8)),
    "other_hold": (("13", 2, 8),),
}
FLOOR_CODES = frozenset({"01", "09", "10", "12"})


@dataclass(frozen=True)
class UseOfForceProfile:
    # Uses of force per 1,000 occupied bed days before any reduction initiative.
    rate_per_1000: float
    # Shape of the gamma distribution of each person's propensity (mean 1): the smaller, the
    # more the restraint concentrates on a few people.
    concentration: float
    holds: tuple[tuple[str, int], ...]
    reasons: tuple[tuple[str, int], ...]
    rapid_tranquillisation: float
    seclusion: float
    long_seclusion: float  # share of seclusions past 8 hours
    negligible: float
    police: float
    security: float
    # Long episodes over the whole history.
    segregation_episodes: int = 0
    mechanical_episodes: int = 0
    # More force early in an admission on acute wards: (days, factor).
    early_admission: tuple[int, float] = (0, 1.0)


PROFILES: dict[str, UseOfForceProfile] = {
    ServiceType.ADULT_ACUTE: UseOfForceProfile(
        rate_per_1000=15, concentration=0.5,
        holds=(("standing", 22), ("escort", 18), ("seated", 10), ("standing_then_seated", 8),
               ("standing_then_supine", 12), ("standing_then_side", 6),
               ("standing_prone_supine", 8), ("standing_then_prone", 6),
               ("escort_then_kneeling", 5), ("kneeling_then_seated", 3), ("other_hold", 2)),
        reasons=(("10", 45), ("11", 20), ("17", 12), ("13", 10), ("19", 5), ("18", 3),
                 ("16", 3), ("98", 2)),
        rapid_tranquillisation=0.14, seclusion=0.06, long_seclusion=0.1, negligible=0.03,
        police=0.015, security=0.03, early_admission=(7, 2.5),
    ),
    ServiceType.PICU: UseOfForceProfile(
        rate_per_1000=25, concentration=0.35,
        holds=(("standing", 15), ("escort", 15), ("seated", 5), ("standing_then_seated", 5),
               ("standing_then_supine", 18), ("standing_then_side", 8),
               ("standing_prone_supine", 14), ("standing_then_prone", 8),
               ("escort_then_kneeling", 6), ("kneeling_then_seated", 4), ("other_hold", 2)),
        reasons=(("10", 55), ("13", 15), ("17", 15), ("11", 10), ("19", 5)),
        rapid_tranquillisation=0.3, seclusion=0.22, long_seclusion=0.15, negligible=0.01,
        police=0.02, security=0.0, early_admission=(5, 2.0),
    ),
    ServiceType.OLDER_ADULT: UseOfForceProfile(
        rate_per_1000=4, concentration=0.8,
        holds=(("standing", 25), ("escort", 15), ("seated", 35), ("standing_then_seated", 15),
               ("standing_then_supine", 3), ("standing_then_side", 3), ("other_hold", 4)),
        reasons=(("14", 35), ("13", 25), ("10", 20), ("12", 15), ("17", 5)),
        rapid_tranquillisation=0.03, seclusion=0.0, long_seclusion=0.0, negligible=0.05,
        police=0.0, security=0.0,
    ),
    ServiceType.LEARNING_DISABILITY_AUTISM: UseOfForceProfile(
        rate_per_1000=25, concentration=0.3,
        holds=(("standing", 18), ("escort", 12), ("seated", 14), ("standing_then_seated", 10),
               ("standing_then_supine", 12), ("standing_then_side", 12),
               ("standing_prone_supine", 6), ("standing_then_prone", 3),
               ("escort_then_kneeling", 6), ("kneeling_then_seated", 5), ("other_hold", 2)),
        reasons=(("10", 40), ("11", 25), ("17", 20), ("14", 8), ("13", 5), ("16", 2)),
        rapid_tranquillisation=0.07, seclusion=0.08, long_seclusion=0.1, negligible=0.03,
        police=0.005, security=0.0, segregation_episodes=2, mechanical_episodes=1,
    ),
    ServiceType.FORENSIC: UseOfForceProfile(
        rate_per_1000=9, concentration=0.45,
        holds=(("standing", 18), ("escort", 22), ("seated", 6), ("standing_then_seated", 6),
               ("standing_then_supine", 14), ("standing_then_side", 8),
               ("standing_prone_supine", 10), ("standing_then_prone", 6),
               ("escort_then_kneeling", 6), ("kneeling_then_seated", 2), ("other_hold", 2)),
        reasons=(("10", 55), ("17", 15), ("18", 10), ("11", 10), ("13", 10)),
        rapid_tranquillisation=0.1, seclusion=0.16, long_seclusion=0.15, negligible=0.01,
        police=0.03, security=0.0, segregation_episodes=2, mechanical_episodes=2,
    ),
    ServiceType.CAMHS: UseOfForceProfile(
        rate_per_1000=16, concentration=0.4,
        holds=(("standing", 18), ("escort", 14), ("seated", 18), ("standing_then_seated", 10),
               ("standing_then_supine", 14), ("standing_then_side", 12),
               ("standing_prone_supine", 4), ("standing_then_prone", 2),
               ("escort_then_kneeling", 4), ("kneeling_then_seated", 4)),
        reasons=(("11", 50), ("15", 15), ("10", 20), ("17", 10), ("19", 5)),
        rapid_tranquillisation=0.08, seclusion=0.05, long_seclusion=0.05, negligible=0.02,
        police=0.005, security=0.0, early_admission=(7, 1.5),
    ),
    ServiceType.REHABILITATION: UseOfForceProfile(
        rate_per_1000=3, concentration=0.6,
        holds=(("standing", 30), ("escort", 30), ("seated", 15), ("standing_then_supine", 10),
               ("standing_then_side", 10), ("other_hold", 5)),
        reasons=(("10", 50), ("17", 20), ("11", 15), ("19", 15)),
        rapid_tranquillisation=0.03, seclusion=0.02, long_seclusion=0.0, negligible=0.05,
        police=0.02, security=0.0,
    ),
    ServiceType.EATING_DISORDERS: UseOfForceProfile(
        rate_per_1000=12, concentration=0.35,
        holds=(("seated", 60), ("standing", 15), ("standing_then_seated", 15),
               ("standing_then_side", 10)),
        reasons=(("15", 60), ("11", 25), ("13", 10), ("17", 5)),
        rapid_tranquillisation=0.02, seclusion=0.0, long_seclusion=0.0, negligible=0.02,
        police=0.0, security=0.0,
    ),
}

# Uses of force by day of the week (Monday first; averages 1) and by hour of the day: fewer at
# night, peaks around the 07:30, 14:00 and 21:00 handovers and in the late afternoon and evening.
DAY_OF_WEEK = (1.08, 1.04, 1.0, 1.0, 1.04, 0.94, 0.9)
HOUR_OF_DAY = (0.5, 0.4, 0.3, 0.25, 0.25, 0.3, 0.5, 1.0, 1.3, 1.1, 1.0, 1.1,
               1.2, 1.1, 1.4, 1.3, 1.5, 1.7, 1.8, 1.8, 1.6, 1.5, 1.1, 0.8)

# The spread of a ward's monthly count, as a share of a Poisson process's (see _steady_count).
MONTHLY_SPREAD = 0.35

# The last fortnight's follow-up work is still being caught up with (more left undone), and
# wards that restrain often have a use of force in the last couple of days.
RECENT_DAYS = 14
RECENT_WORK_DAYS = 2

# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------

WHAT_HAPPENED = {
    "10": ["Punched another patient in the dining room", "Threw a chair at a member of staff",
           "Tried to hit a nurse during a disagreement about leave",
           "Kicked out at staff at the nursing office door",
           "Grabbed another patient by the hair in the lounge"],
    "11": ["Was found tying a ligature in the bathroom",
           "Was banging their head repeatedly against the wall",
           "Was cutting their arm with a broken plastic case",
           "Tried to swallow batteries taken from a remote control"],
    "12": ["Kept trying to stand unaided after a fall and was slipping",
           "Was walking into the path of the garden door while very unsteady"],
    "13": ["Declined prescribed medication that the treatment plan says must be given",
           "Needed a wound dressed and would not let staff near it"],
    "14": ["Needed help with continence care and became very distressed",
           "Had not washed for several days and their skin was breaking down"],
    "15": ["Needed nasogastric feeding as set out in the care plan"],
    "16": ["Had not slept for two days and was running into walls and furniture"],
    "17": ["Climbed onto the garden fence", "Was setting light to paper in their bedroom",
           "Was throwing crockery in the ward kitchen"],
    "18": ["Staff believed a blade had been brought back from leave and a search was refused"],
    "19": ["Tried to force the airlock door to leave the ward while detained"],
    "98": ["Blocked the fire exit and would not move"],
}
OTHER_REASON_DETAIL = "Blocking the fire exit during a fire alarm test"
HOLD_WORDS = {
    "01": "held prone (face down) on the floor",
    "07": "held standing using approved holds",
    "08": "moved by restrictive escort",
    "09": "supported to the floor and held supine (face up)",
    "10": "held on their side",
    "11": "held seated",
    "12": "held kneeling",
    "13": "held sitting on the floor against the wall (a hold not listed elsewhere)",
    "04": "an emergency response belt was applied",
    "05": "escorted to the seclusion room and secluded",
    "06": "moved to long-term segregation in the extra care area",
}
OUTCOMES = [
    "Settled within a few minutes and went back to their bedroom with one-to-one observations.",
    "Calmer once the hold ended; accepted a drink and talked it through with their named nurse.",
    "Remained distressed for about an hour, then settled with a member of staff they trust.",
    "Apologised to the other patient later in the day; observations increased overnight.",
    "Settled and joined the evening activity; the care plan was updated the next day.",
]
RT_OUTCOMES = [
    "Slept for two hours after the medication; physical observations stayed in normal range.",
    "Drowsy but rousable after the injection; monitored until no further concerns.",
]
SECLUSION_OUTCOMES = [
    "Seclusion ended after a medical review once they were calm and talking with staff.",
    "Came out of seclusion after a planned step-down; returned to their bedroom.",
]
EFFORT_WORDS = [
    "Staff talked with them for about ten minutes before any hands-on intervention.",
    "The named nurse offered time in the quiet room first.",
    "Other patients were moved away to give space while staff kept talking.",
    "Staff followed the de-escalation steps in the positive behaviour support plan.",
]
INJURIES = {
    ("patient", "minor"): ["Carpet burn to the left knee", "Bruise to the right forearm",
                           "Graze to the forehead", "Red marks on both wrists"],
    ("patient", "moderate"): ["Cut above the eye closed with adhesive strips",
                              "Sprained wrist, strapped by the duty doctor"],
    ("staff", "minor"): ["Scratch to the hand", "Bitten on the forearm, skin not broken",
                         "Bruised shin after being kicked"],
    ("staff", "moderate"): ["Bitten on the hand, skin broken: went to the emergency department",
                            "Twisted knee, off work for three days"],
}
RAPID_TRANQUILLISATION = {
    "adult": [("Lorazepam", "2 mg"), ("Haloperidol with promethazine", "5 mg + 50 mg"),
              ("Promethazine", "50 mg"), ("Olanzapine", "10 mg"), ("Aripiprazole", "9.75 mg")],
    "young": [("Lorazepam", "1 mg"), ("Promethazine", "25 mg")],
    "older": [("Lorazepam", "0.5 mg")],
}
DEPOT_INJECTIONS = [("Zuclopenthixol decanoate", "200 mg"), ("Paliperidone palmitate", "100 mg"),
                    ("Aripiprazole (long-acting)", "400 mg")]
ORAL_MEDICINES = [("Lorazepam", "1 mg"), ("Promethazine", "25 mg")]
POLICE_REASONS = [
    "Called because the patient had a weapon (a broken piece of crockery) and staff could not "
    "safely approach",
    "Brought the patient back to the ward after they absconded and helped with the escort",
    "Called to help when the level of violence was more than ward staff could safely manage",
]
SECURITY_REASONS = ["Hospital security team called to help as ward staff were outnumbered"]
LATE_REASONS = {
    "medical_review": [
        "Duty doctor was attending a medical emergency on another ward",
        "Doctor was at the general hospital with another patient; reviewed on return",
        "Bleep not answered; escalated to the on-call consultant",
        "One doctor covering the whole site overnight",
    ],
    "other": [
        "Ward very short-staffed on the day",
        "Patient asleep; done when they woke",
        "Delayed by another incident on the ward",
        "Staff member went off shift; completed the next day",
        "Waiting for the patient's named nurse, who was on leave",
    ],
}
# Why a hold went prone, by the reason force was used (the recording form asks; taken from the
# reason rather than the random generator, so adding it changed no other demo record).
PRONE_REASONS = {
    "10": "Fell forward onto the floor during the standing hold while still hitting out; "
          "turned onto their back as soon as it was safe",
    "11": "Went to the floor face down still trying to reach the ligature; staff turned them "
          "onto their back once it was removed",
    "13": "Rolled face down on the floor during the hold; turned to seated within two minutes",
    "17": "Went to the floor face down while kicking out; turned onto their side once it was safe",
    "18": "Dropped face down during the escort; turned onto their back as soon as it was safe",
}
NOT_TAKEN = [
    ("Patient refused and was too agitated to approach safely",
     "Watched breathing, colour and movement from the doorway every 15 minutes"),
    ("Patient fell asleep straight after the restraint",
     "Checked breathing and colour every 15 minutes; full set taken when they woke"),
]
LEARNING = [
    "The trigger was a delay in leave being confirmed; the team will confirm leave by noon.",
    "Noise in the lounge built up before the incident; the quiet room will be kept free.",
    "The safety plan's early warning signs were missed at handover; handover sheet updated.",
    "Nothing new: the plan worked as intended and the hold was short.",
    "A familiar member of staff de-escalated quickly once present; added to the care plan.",
]

# ---------------------------------------------------------------------------------------------
# The people who record, hold, review and support
# ---------------------------------------------------------------------------------------------


@dataclass
class StaffMember:
    name: str
    job_title: str
    grade: str
    user: Any = None  # None for bank staff without an account

    @property
    def registered(self) -> bool:
        return "nurse" in self.job_title.lower() or "charge" in self.job_title.lower()


@dataclass
class WardTeam:
    staff: list[StaffMember]
    manager: Any  # a user
    bank: list[StaffMember] = field(default_factory=list)

    def nurses(self) -> list[StaffMember]:
        return [s for s in self.staff if s.registered and s.user is not None]


TEAM = [
    ("Charge nurse", "Band 6"),
    ("Staff nurse", "Band 5"),
    ("Healthcare support worker", "Band 3"),
    ("Healthcare support worker", "Band 3"),
]


def _full_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _synthetic_name(rng: random.Random) -> str:
    sex = rng.choice(["female", "male"])
    return f"{rng.choice(FIRST_NAMES[sex])} {rng.choice(LAST_NAMES)}"


def _teams(ctx: DemoContext, wards: Sequence[Ward]) -> dict[int, WardTeam]:
    """Each ward's team: its existing members plus a few synthetic staff who cannot sign in."""
    rng = ctx.rng
    prefix = ctx.organisation.ods_code.lower()
    teams: dict[int, WardTeam] = {}
    for ward in wards:
        members = Membership.objects.filter(
            organisation=ctx.organisation, home_ward=ward, is_active=True
        ).select_related("user").order_by("user__username", "role")
        staff = [
            StaffMember(_full_name(m.user), m.job_title or "Staff nurse", "", m.user)
            for m in members if m.role == Role.WARD_STAFF
        ]
        manager: Any = next((m.user for m in members if m.role == Role.WARD_MANAGER), None)
        for number, (title, grade) in enumerate(TEAM, start=1):
            name = _synthetic_name(rng)
            user = org_services.user_add(
                actor=ctx.actor, username=f"{prefix}.{ward.code.lower()}.{number}",
                organisation=ctx.organisation, role=Role.WARD_STAFF, password=None,
                full_name=name, job_title=f"{title}, {grade.lower()}", home_ward=ward,
            )
            staff.append(StaffMember(name, title, grade, user))
        if manager is None:
            name = _synthetic_name(rng)
            manager = org_services.user_add(
                actor=ctx.actor, username=f"{prefix}.{ward.code.lower()}.manager",
                organisation=ctx.organisation, role=Role.WARD_MANAGER, password=None,
                full_name=name, job_title="Ward manager, band 7", home_ward=ward,
            )
        bank = [StaffMember(_synthetic_name(rng), "Healthcare support worker (bank)", "Band 3")
                for _ in range(2)]
        teams[ward.pk] = WardTeam(staff=staff, manager=manager, bank=bank)
    return teams


def _doctors(ctx: DemoContext) -> list[Any]:
    existing: list[Any] = [
        m.user for m in Membership.objects.filter(
            organisation=ctx.organisation, role=Role.DOCTOR, is_active=True
        ).select_related("user").order_by("user__username")
    ]
    prefix = ctx.organisation.ods_code.lower()
    for number, title in enumerate(["Specialty doctor", "Core trainee in psychiatry"], start=1):
        existing.append(org_services.user_add(
            actor=ctx.actor, username=f"{prefix}.doctor.{number}", organisation=ctx.organisation,
            role=Role.DOCTOR, password=None, full_name=f"Dr {_synthetic_name(ctx.rng)}",
            job_title=title,
        ))
    return existing


def _lead(ctx: DemoContext) -> Any:
    membership = Membership.objects.filter(
        organisation=ctx.organisation, role=Role.RRP_LEAD, is_active=True
    ).select_related("user").order_by("user__username").first()
    return membership.user if membership else None


# ---------------------------------------------------------------------------------------------
# Planning: which uses of force happen, to whom, when and how
# ---------------------------------------------------------------------------------------------


@dataclass
class PlannedUseOfForce:
    ward: Ward
    patient: Patient
    data: IncidentInput
    recorder: StaffMember
    seed: int  # the follow-up's own generator, so its draws never depend on writing order
    draft: bool = False
    duplicate: bool = False
    serious: bool = False
    # The newest restraint's medical review is not yet recorded: overdue work on the home page.
    medical_review_missing: bool = False

    @property
    def started_at(self) -> dt.datetime:
        assert self.data.started_at is not None
        return self.data.started_at


def _weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    values = [value for value, _ in options]
    weights = [weight for _, weight in options]
    return rng.choices(values, weights=weights)[0]


def _steady_count(rng: random.Random, expected: float) -> int:
    """A month's number of uses of force on a ward. Real wards vary at least as much as a
    Poisson process; the demo varies about a third as much, so that its run charts show the
    initiative's effect as a clear shift rather than leaving it to the luck of the draw."""
    if expected <= 0:
        return 0
    return max(0, int(rng.gauss(expected, MONTHLY_SPREAD * math.sqrt(expected)) + 0.5))


def _months(first: dt.date, last: dt.date) -> list[list[dt.date]]:
    """The days from first to last, grouped by calendar month."""
    months: list[list[dt.date]] = []
    day = first
    while day <= last:
        if not months or months[-1][0].month != day.month:
            months.append([])
        months[-1].append(day)
        day += dt.timedelta(days=1)
    return months


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    hour = rng.choices(range(24), weights=HOUR_OF_DAY)[0]
    local = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tzinfo=LOCAL)
    return local.astimezone(dt.UTC)


def _minutes(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


def _age_group(service_type: str) -> str:
    if service_type == ServiceType.CAMHS:
        return "young"
    if service_type == ServiceType.OLDER_ADULT:
        return "older"
    return "adult"


@dataclass
class _Stay:
    admission: Admission
    propensity: float
    restrained_on: list[dt.date] = field(default_factory=list)

    def in_crisis(self, day: dt.date) -> int:
        """Uses of force in the week before: restraint clusters in spells of crisis."""
        return sum(1 for earlier in self.restrained_on if (day - earlier).days <= 7)


def _stays_by_day(ctx: DemoContext, ward: Ward, last_day: dt.date,
                  profile: UseOfForceProfile) -> dict[dt.date, list[_Stay]]:
    """Who was on the ward each night (the midnight census bed days count), with each person's
    propensity to be restrained: drawn once per stay, and higher for longer stays (the people
    who stay longest are often the most unwell)."""
    admissions = list(
        Admission.objects.filter(organisation=ctx.organisation, ward=ward,
                                 entered_in_error_reason="")
        .select_related("patient")
        .order_by("admitted_on", "patient__local_id", "pk")
    )
    if not admissions:
        return {}
    lengths = [max(1, ((a.discharged_on or ctx.today) - a.admitted_on).days) for a in admissions]
    mean_length = sum(lengths) / len(lengths)
    by_day: dict[dt.date, list[_Stay]] = defaultdict(list)
    shape = profile.concentration
    for admission, length in zip(admissions, lengths, strict=True):
        propensity = ctx.rng.gammavariate(shape, 1 / shape) * math.sqrt(length / mean_length)
        stay = _Stay(admission, propensity)
        day = max(admission.admitted_on, ctx.start)
        end = min(admission.discharged_on or last_day + dt.timedelta(days=1),
                  last_day + dt.timedelta(days=1))
        while day < end:
            by_day[day].append(stay)
            day += dt.timedelta(days=1)
    return by_day


def _choose_stay(rng: random.Random, stays: list[_Stay], day: dt.date,
                 profile: UseOfForceProfile) -> _Stay:
    early_days, early_factor = profile.early_admission
    weights = [
        s.propensity * (1 + 2 * s.in_crisis(day))
        * (early_factor if (day - s.admission.admitted_on).days < early_days else 1)
        for s in stays
    ]
    chosen = rng.choices(stays, weights=weights)[0]
    chosen.restrained_on.append(day)
    return chosen


def _staff_for(rng: random.Random, team: WardTeam, codes_used: list[str],
               rapid_tranquillisation: bool) -> tuple[list[StaffInput], StaffMember]:
    """3-5 people for a restraint: who held, one named person monitoring wellbeing
    (standard 3.4.2.XXII), and a nurse giving any medication. Returns them and the recorder."""
    floor = any(code in FLOOR_CODES for code in codes_used)
    roles: list[str] = [codes.StaffRole.HEAD_AIRWAY if floor else codes.StaffRole.LEAD]
    if rapid_tranquillisation:
        roles.append(codes.StaffRole.MEDICATION)
    roles += [codes.StaffRole.UPPER_LIMBS, codes.StaffRole.UPPER_LIMBS] if floor else [
        codes.StaffRole.UPPER_LIMBS]
    if rng.random() < 0.5:
        roles.append(codes.StaffRole.LOWER_LIMBS if floor else codes.StaffRole.UPPER_LIMBS)
    roles = [*roles[:4], codes.StaffRole.MONITORING]
    pool = list(team.staff)
    rng.shuffle(pool)
    bank = list(team.bank)
    if bank and rng.random() < 0.25:
        pool.insert(rng.randrange(1, len(pool) + 1), bank.pop(0))
    while bank and len(pool) < len(roles):
        pool.append(bank.pop(0))
    # Registered nurses first: one leads (and records), another gives any medication.
    nurses = [s for s in pool if s.registered and s.user is not None]
    people = (nurses + [s for s in pool if s not in nurses])[: len(roles)]
    if len(people) < len(roles):
        roles = roles[: len(people) - 1] + [codes.StaffRole.MONITORING]
    recorder = people[0]
    chosen = [
        StaffInput(person.name, person.job_title, role, person.grade,
                   person.user.pk if person.user is not None else None)
        for role, person in zip(roles, people, strict=True)
    ]
    return chosen, recorder


def _plan_one(rng: random.Random, ward: Ward, profile: UseOfForceProfile, stay: _Stay,
              start: dt.datetime, team: WardTeam) -> PlannedUseOfForce:
    # In a spell of crisis (another use of force in the week before) restraint more often
    # escalates to rapid tranquillisation or seclusion.
    escalation = 1.6 if stay.in_crisis(start.astimezone(LOCAL).date()) > 1 else 0.85
    reason = _weighted(rng, profile.reasons)
    if reason == "15":
        hold = "seated"
    elif reason == "14":
        hold = rng.choice(["seated", "standing_then_seated", "standing"])
    else:
        hold = _weighted(rng, profile.holds)
    negligible = reason in {"10", "17", "19"} and hold in {"escort", "standing"} and (
        rng.random() < profile.negligible * 3)
    interventions: list[InterventionInput] = []
    moment = start
    for code, shortest, longest in HOLDS[hold]:
        length = rng.uniform(shortest, longest)
        if negligible:
            length = rng.uniform(1, 3)
        elif rng.random() < 0.05:
            length *= rng.uniform(2, 3)  # the occasional long hold
        interventions.append(InterventionInput(
            code, moment, moment + _minutes(round(length)),
            prone_reason=PRONE_REASONS.get(reason, PRONE_REASONS["10"]) if code == "01" else "",
        ))
        moment = interventions[-1].ended_at  # type: ignore[assignment]
    physical_end = moment
    group = _age_group(ward.service_type)
    rapid_tranquillisation = (not negligible and reason != "15"
                              and rng.random() < profile.rapid_tranquillisation * escalation)
    if rapid_tranquillisation:
        last = interventions[-1]
        assert last.started_at is not None and last.ended_at is not None
        given = last.started_at + (last.ended_at - last.started_at) * rng.uniform(0.3, 0.8)
        given = given.replace(second=0, microsecond=0)
        drug, dose = rng.choice(RAPID_TRANQUILLISATION[group])
        interventions.append(InterventionInput(
            "14", given, given, drug, dose, codes.Route.INTRAMUSCULAR,
            high_risk=rng.random() < 0.15,
        ))
    if not negligible and reason == "13":
        hold_start = interventions[len(HOLDS[hold]) - 1].started_at
        assert hold_start is not None
        given = hold_start + _minutes(1)
        if group == "older" and rng.random() < 0.3:
            drug, dose = rng.choice(ORAL_MEDICINES)
            interventions.append(InterventionInput("16", given, given, drug, dose,
                                                   codes.Route.ORAL))
        elif group == "adult" and rng.random() < 0.35:
            drug, dose = rng.choice(DEPOT_INJECTIONS)
            interventions.append(InterventionInput("15", given, given, drug, dose,
                                                   codes.Route.INTRAMUSCULAR))
    secluded = not negligible and reason not in {"13", "14", "15"} and (
        rng.random() < profile.seclusion * escalation)
    end = physical_end
    if secluded:
        seclusion_start = physical_end + _minutes(rng.randint(1, 4))
        if rng.random() < profile.long_seclusion:
            length = rng.uniform(490, 1500)
        else:
            length = min(470.0, max(45.0, rng.lognormvariate(math.log(150), 0.5)))
        end = seclusion_start + _minutes(round(length))
        interventions.append(InterventionInput("05", seclusion_start, end))
    codes_used = [i.type_code for i in interventions]
    if negligible:
        person = rng.choice(team.staff)
        staff = [StaffInput(person.name, person.job_title, codes.StaffRole.LEAD, person.grade,
                            person.user.pk if person.user is not None else None)]
        recorder = person if person.user is not None else team.staff[0]
    else:
        staff, recorder = _staff_for(rng, team, codes_used, rapid_tranquillisation)
    injuries: list[InjuryInput] = []
    physical_positions = [
        n for n, i in enumerate(interventions) if i.type_code in codes.PHYSICAL_CODES
    ]
    prone = "01" in codes_used
    harm = codes.Harm.NONE
    if not negligible and rng.random() < (0.08 if prone else 0.035):
        severity = "moderate" if rng.random() < 0.15 else "minor"
        injuries.append(InjuryInput("patient", severity,
                                    rng.choice(INJURIES[("patient", severity)]),
                                    rng.choice(physical_positions)))
        harm = codes.Harm.MODERATE if severity == "moderate" else codes.Harm.LOW
    if not negligible and rng.random() < 0.04:
        severity = "moderate" if rng.random() < 0.15 else "minor"
        injured = rng.choice([n for n, s in enumerate(staff)
                              if s.role != codes.StaffRole.MONITORING] or [0])
        staff[injured].injured = True
        injuries.append(InjuryInput("staff", severity, rng.choice(INJURIES[("staff", severity)]),
                                    rng.choice(physical_positions)))
    others: list[OtherPersonInput] = []
    if not negligible and rng.random() < profile.police:
        others.append(OtherPersonInput(codes.OtherPersonKind.POLICE, rng.choice(POLICE_REASONS),
                                       f"PC {rng.choice(LAST_NAMES)}, collar number "
                                       f"{rng.randint(1000, 9999)}"))
    if not negligible and rng.random() < profile.security:
        others.append(OtherPersonInput(codes.OtherPersonKind.SECURITY, SECURITY_REASONS[0]))
    planned = reason == "15" or (reason in {"13", "14"} and rng.random() < 0.5)
    return PlannedUseOfForce(
        ward=ward, patient=stay.admission.patient, recorder=recorder, seed=rng.getrandbits(48),
        data=IncidentInput(
            ward=ward, patient=stay.admission.patient, started_at=start, ended_at=end,
            reason=reason, reason_detail=OTHER_REASON_DETAIL if reason == "98" else "",
            description=_description(rng, reason, interventions, staff, negligible),
            efforts_to_avoid=rng.choice(EFFORT_WORDS),
            de_escalation=_de_escalation(rng, planned),
            in_care_plan=True if planned else _weighted_bool(rng, 0.5, 0.1),
            outcome=rng.choice(SECLUSION_OUTCOMES if secluded
                               else RT_OUTCOMES if rapid_tranquillisation else OUTCOMES),
            notification=_weighted(rng, [(codes.Notification.YES, 55), (codes.Notification.NO, 15),
                                         (codes.Notification.NOT_APPLICABLE, 30)]),
            planned=planned, negligible=negligible, harm=harm,
            psychological_harm=_weighted(rng, [(codes.PsychologicalHarm.NOT_KNOWN, 40),
                                               (codes.PsychologicalHarm.LOW, 35),
                                               (codes.PsychologicalHarm.NONE, 15),
                                               (codes.PsychologicalHarm.MODERATE, 10)]),
            interventions=interventions, staff=staff, others=others, injuries=injuries,
        ),
    )


def _weighted_bool(rng: random.Random, yes: float, unknown: float) -> bool | None:
    roll = rng.random()
    if roll < unknown:
        return None
    return roll < unknown + yes


def _de_escalation(rng: random.Random, planned: bool) -> list[str]:
    if not planned and rng.random() < 0.08:
        return [codes.DeEscalation.NONE_POSSIBLE]
    options = [c for c in codes.DeEscalation.values if c != codes.DeEscalation.NONE_POSSIBLE]
    weights = [6 if c == codes.DeEscalation.VERBAL else 3 if c in {
        codes.DeEscalation.SPACE, codes.DeEscalation.SAFETY_PLAN} else 1 for c in options]
    chosen: list[str] = []
    for _ in range(rng.randint(2, 4)):
        pick = rng.choices(options, weights=weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return sorted(chosen, key=options.index)


def _description(rng: random.Random, reason: str, interventions: list[InterventionInput],
                 staff: list[StaffInput], negligible: bool) -> str:
    if negligible:
        return ("Guided back to their bedroom with a light hand on the elbow; they did not "
                "resist. Recorded as negligible force.")
    steps = []
    for item in interventions:
        assert item.started_at is not None and item.ended_at is not None
        if item.type_code in codes.CHEMICAL_CODES:
            local = item.started_at.astimezone(LOCAL)
            how = "by mouth" if item.route == codes.Route.ORAL else "by intramuscular injection"
            steps.append(f"{item.drug} {item.dose} given {how} at {local:%H:%M}")
        else:
            minutes = round((item.ended_at - item.started_at).total_seconds() / 60)
            unit = "minute" if minutes == 1 else "minutes"
            steps.append(f"{HOLD_WORDS[item.type_code]} for {minutes} {unit}")
    monitor = next((s.name for s in staff if s.role == codes.StaffRole.MONITORING), "")
    lead_in = rng.choice(WHAT_HAPPENED.get(reason, WHAT_HAPPENED["17"]))
    text = f"{lead_in}. The patient was " + ", then ".join(steps) + "."
    text += f" {len(staff)} staff were involved"
    return text + (f"; {monitor} watched breathing and wellbeing throughout." if monitor else ".")


def _long_episode(rng: random.Random, kind: str, ward: Ward, stay: _Stay, start: dt.datetime,
                  team: WardTeam) -> PlannedUseOfForce:
    """Long-term segregation (days) or mechanical restraint (an hour or so) after a hold."""
    hold_end = start + _minutes(rng.randint(2, 5))
    if kind == "segregation":
        end = hold_end + dt.timedelta(days=rng.randint(4, 18), hours=rng.randint(0, 20))
        what = ("Repeated serious assaults on staff over two days. After a standing hold the MDT "
                "agreed long-term segregation in the extra care area with one-to-one staffing.")
        outcome = ("Segregation ended after the weekly MDT review agreed a phased return to "
                   "the ward.")
        reason, code = "10", "06"
    else:
        end = hold_end + _minutes(rng.randint(25, 70))
        what = ("Was hitting their head against the floor with great force and could not be held "
                "safely by hand. An emergency response belt was applied as the care plan allows.")
        outcome = "Belt removed once they were calm; seen by the duty doctor; no injury."
        reason, code = "11", "04"
    interventions = [InterventionInput("07", start, hold_end),
                     InterventionInput(code, hold_end, end)]
    staff, recorder = _staff_for(rng, team, ["07"], False)
    return PlannedUseOfForce(
        ward=ward, patient=stay.admission.patient, recorder=recorder, seed=rng.getrandbits(48),
        data=IncidentInput(
            ward=ward, patient=stay.admission.patient, started_at=start, ended_at=end,
            reason=reason, description=what, efforts_to_avoid=rng.choice(EFFORT_WORDS),
            de_escalation=[codes.DeEscalation.VERBAL, codes.DeEscalation.SPACE,
                           codes.DeEscalation.SAFETY_PLAN],
            in_care_plan=True, outcome=outcome, notification=codes.Notification.YES,
            planned=kind == "segregation", interventions=interventions, staff=staff,
            psychological_harm=codes.PsychologicalHarm.MODERATE,
        ),
    )


def _serious_injury(rng: random.Random, ward: Ward, stay: _Stay, start: dt.datetime,
                    team: WardTeam) -> PlannedUseOfForce:
    """The one death or serious injury of the history: escalated to the lead on submission."""
    standing_end = start + _minutes(2)
    prone_end = standing_end + _minutes(6)
    end = prone_end + _minutes(5)
    interventions = [InterventionInput("07", start, standing_end),
                     InterventionInput("01", standing_end, prone_end,
                                       prone_reason=PRONE_REASONS["10"]),
                     InterventionInput("09", prone_end, end)]
    staff, recorder = _staff_for(rng, team, ["07", "01", "09"], False)
    return PlannedUseOfForce(
        ward=ward, patient=stay.admission.patient, recorder=recorder, seed=rng.getrandbits(48),
        serious=True,
        data=IncidentInput(
            ward=ward, patient=stay.admission.patient, started_at=start, ended_at=end,
            reason="10",
            description=("Attacked another patient with a chair leg in the lounge. Taken to the "
                         "floor by four staff; went prone as they fell, turned to supine after "
                         "six minutes. Complained of wrist pain once released."),
            efforts_to_avoid="Staff tried to talk them down and cleared the lounge first.",
            de_escalation=[codes.DeEscalation.VERBAL, codes.DeEscalation.SPACE],
            in_care_plan=False,
            outcome=("Taken to the emergency department by ambulance: fracture of the left wrist, "
                     "put in plaster. Returned to the ward the same night."),
            death_or_serious_injury=True, notification=codes.Notification.YES,
            harm=codes.Harm.SEVERE, psychological_harm=codes.PsychologicalHarm.MODERATE,
            interventions=interventions, staff=staff,
            others=[OtherPersonInput(codes.OtherPersonKind.AMBULANCE,
                                     "Took the patient to the emergency department for an X-ray")],
            injuries=[InjuryInput("patient", "serious",
                                  "Fracture of the left wrist, confirmed on X-ray", 1)],
        ),
    )


def _plan(ctx: DemoContext, wards: Sequence[Ward], teams: dict[int, WardTeam],
          present: dt.datetime) -> list[PlannedUseOfForce]:
    rng = ctx.rng
    last_day = ctx.today - dt.timedelta(days=1)
    plans: list[PlannedUseOfForce] = []
    serious_ward = next((w for w in wards if w.service_type == ServiceType.PICU),
                        next((w for w in wards if w.service_type == ServiceType.ADULT_ACUTE), None))
    serious_day = ctx.today - dt.timedelta(days=150)
    for ward in wards:
        profile = PROFILES.get(ward.service_type, PROFILES[ServiceType.ADULT_ACUTE])
        team = teams[ward.pk]
        by_day = _stays_by_day(ctx, ward, last_day, profile)
        for days in _months(ctx.start, last_day):
            # How likely each day is: who was on the ward, the day of the week, any initiative.
            weights = [len(by_day.get(day, [])) * DAY_OF_WEEK[day.weekday()]
                       * initiative_rate_factor(ward.code, day, ctx.today) for day in days]
            count = _steady_count(rng, profile.rate_per_1000 / 1000 * sum(weights))
            if not count or not any(weights):
                continue
            for day in sorted(rng.choices(days, weights=weights, k=count)):
                stay = _choose_stay(rng, by_day[day], day, profile)
                plans.append(_plan_one(rng, ward, profile, stay, _moment(day, rng), team))
        if ward == serious_ward and by_day.get(serious_day):
            stay = _choose_stay(rng, by_day[serious_day], serious_day, profile)
            start = dt.datetime.combine(serious_day, dt.time(19, 40), tzinfo=LOCAL)
            plans.append(_serious_injury(rng, ward, stay, start.astimezone(dt.UTC), team))
        # Long episodes go to the person most often restrained on the ward at the time.
        days = sorted(d for d, s in by_day.items() if s and d <= last_day - dt.timedelta(days=25))
        episodes = ([("segregation", n) for n in range(profile.segregation_episodes)]
                    + [("mechanical", n) for n in range(profile.mechanical_episodes)])
        for kind, _ in episodes:
            if not days:
                break
            day = rng.choice(days)
            stay = max(by_day[day], key=lambda s: s.propensity)
            plans.append(_long_episode(rng, kind, ward, stay, _moment(day, rng), team))
        # Wards that restrain often always have something from the last couple of days, so the
        # worklists show live work whatever the random lull.
        recent = ctx.today - dt.timedelta(days=RECENT_WORK_DAYS)
        if profile.rate_per_1000 >= 10 and not any(
            p.ward == ward and p.started_at.astimezone(LOCAL).date() >= recent for p in plans
        ):
            day = ctx.today - dt.timedelta(days=rng.randint(1, RECENT_WORK_DAYS))
            if by_day.get(day):
                stay = _choose_stay(rng, by_day[day], day, profile)
                local = dt.datetime.combine(day, dt.time(rng.randint(13, 20), rng.randrange(60)),
                                            tzinfo=LOCAL)
                plans.append(_plan_one(rng, ward, profile, stay, local.astimezone(dt.UTC), team))
    plans.sort(key=lambda p: (p.started_at, p.ward.code, p.patient.local_id))
    _fit_before(plans, present)
    _mark_drafts_and_duplicates(rng, plans, present)
    return plans


def _fit_before(plans: list[PlannedUseOfForce], present: dt.datetime) -> None:
    """A use of force late on the last evening must have ended before the demo's present."""
    latest = present - dt.timedelta(minutes=30)
    for plan in plans:
        data = plan.data
        assert data.ended_at is not None and data.started_at is not None
        if data.ended_at <= latest:
            continue
        shift = data.ended_at - latest
        data.started_at -= shift
        data.ended_at -= shift
        for item in data.interventions:
            item.started_at = item.started_at - shift if item.started_at else None
            item.ended_at = item.ended_at - shift if item.ended_at else None


def _mark_drafts_and_duplicates(rng: random.Random, plans: list[PlannedUseOfForce],
                                present: dt.datetime) -> None:
    # The latest record on two wards is still a draft: started, not yet finished.
    drafted: set[str] = set()
    for plan in reversed(plans):
        if len(drafted) == 2 or present - plan.started_at > dt.timedelta(days=RECENT_WORK_DAYS):
            break
        if plan.ward.code not in drafted and not plan.serious and not plan.data.negligible:
            plan.draft = True
            plan.data.outcome = ""
            drafted.add(plan.ward.code)
    # The newest submitted restraint still waits for its medical review (standard 2.5.2.XI).
    newest = next((p for p in reversed(plans) if not p.draft and not p.data.negligible
                   and any(i.type_code in codes.PHYSICAL_CODES for i in p.data.interventions)),
                  None)
    if newest is not None:
        newest.medical_review_missing = True
    # About 1 in 200 is recorded twice by two people; the second is marked entered in error.
    # At least one is, so the demo always shows a record entered in error.
    candidates = [p for p in plans if not p.draft and not p.serious]
    for plan in candidates:
        if rng.random() < 0.005:
            plan.duplicate = True
    if candidates and not any(p.duplicate for p in candidates):
        rng.choice(candidates).duplicate = True


# ---------------------------------------------------------------------------------------------
# Writing: the services, with `now` the moment each thing was recorded
# ---------------------------------------------------------------------------------------------


FOLLOW_UP_SERVICES: dict[str, Callable[..., Any]] = {
    "medical_review": services.medical_review_record,
    "observation": services.observation_record,
    "support": services.support_record,
    "debrief": services.debrief_record,
    "account": services.patient_account_record,
    "review": services.review_record,
}

# What followed uses of force in the last 60 days goes through the follow-up services one call
# at a time; older history is written in bulk (see _Bulk).
SERVICES_FOR_LAST = dt.timedelta(days=60)


class _Bulk:
    """Writes what followed older uses of force in a few statements instead of thousands.

    Why: each follow-up service call costs about eight queries (the soonest open duty, the
    organisation's duty policy, the duty, the record, the audit event, savepoints), and two
    years of history hold over five thousand of them: most of the demo's load time. The
    records are the ones the services make: the same fields from the same arguments (this
    class mirrors incidents/services.py: medical_review_record, observation_record,
    support_record, debrief_record, patient_account_record, review_record,
    duty_mark_not_required and _next_rt_check), the duty met is the soonest open one of its
    kind, lateness is checked with duty_rules.completion_problems, the next rapid
    tranquillisation check comes from duty_rules.next_rapid_tranquillisation_check, and every
    record is audited with audit_record and the service's own summary.
    tests/incidents/test_demo_bulk_matches_services.py writes the same history both ways and
    compares every record, duty and audit event, so a change to the services that this class
    does not follow fails a test. Duties themselves always come from duties_sync (through
    incident_create)."""

    def __init__(self, policy: Any) -> None:
        self.policy = policy
        self.duties: dict[int, list[Duty]] = {}
        self.records: list[tuple[Any, Actor, Incident, str]] = []
        self.changes: list[tuple[Duty, Actor, Incident, str]] = []

    def take(self, incident: Incident, duties: list[Duty]) -> None:
        """From now on what follows this use of force is written here."""
        assert all(i.ended_at is not None for i in incident.interventions.all()), (
            "an intervention still going on needs duties_sync after each record: use the services"
        )
        self.duties[incident.pk] = duties

    def holds(self, incident: Incident) -> bool:
        return incident.pk in self.duties

    def soonest_open(self, incident: Incident, kinds: list[str] | None) -> Duty | None:
        open_ = [d for d in self.duties[incident.pk]
                 if d.completed_at is None and not d.not_required_reason
                 and (kinds is None or d.kind in kinds)]
        return min(open_, key=lambda d: (d.due_at, d.pk or 0), default=None)

    def not_required(self, actor: Actor, incident: Incident, duty: Duty, reason: str) -> None:
        duty.not_required_reason = reason.strip()
        self.changes.append((duty, actor, incident,
                             f"{duty.label} marked not required for {incident.reference}"))

    def meet(self, what: str, actor: Actor, incident: Incident, now: dt.datetime,
             values: dict[str, Any]) -> None:
        user: Any = actor.user if actor.user is not None and actor.user.is_authenticated else None
        record, summary, at, late_reason, kinds = _follow_up_record(what, incident, user, values)
        duty = self.soonest_open(incident, kinds)
        if duty is not None:
            problems = duty_rules.completion_problems(
                duty.kind, duty.due_at, at, late_reason or None, max(now, at), self.policy)
            assert incident.started_at is not None  # the demo writes no undated draft
            if problems or at < incident.started_at or at > now + FUTURE_GRACE:
                raise ValueError(f"{incident.reference} {duty.kind}: {problems}")
            duty.completed_at = at
            duty.completed_by = user
            duty.late_reason = late_reason.strip()
        self.records.append((record, actor, incident, summary))
        if (duty is not None and duty.kind == "rapid_tranquillisation_monitoring"
                and not record.no_further_concerns):
            self.duties[incident.pk].append(self._next_check(incident, duty, at))

    def _next_check(self, incident: Incident, previous: Duty, checked_at: dt.datetime) -> Duty:
        intervention = previous.intervention
        spec = duty_rules.next_rapid_tranquillisation_check(
            duty_rules.DutySpec(kind="rapid_tranquillisation_monitoring",
                                sequence=previous.sequence, due_at=previous.due_at,
                                owner_role=previous.owner_role,  # type: ignore[arg-type]
                                source=previous.source, label=previous.label),
            checked_at, self.policy, high_risk=bool(intervention and intervention.high_risk),
        )
        index = previous.key.split(":")[1]
        return Duty(
            organisation=incident.organisation, incident=incident, kind=spec.kind,
            sequence=spec.sequence, intervention=intervention,
            key=f"{spec.kind}:{index}:{spec.sequence}", label=spec.label, source=spec.source,
            owner_role=spec.owner_role, due_at=spec.due_at,
        )

    def flush(self) -> None:
        duties = [d for ds in self.duties.values() for d in ds]
        Duty.objects.bulk_update(
            [d for d in duties if d.pk is not None],
            ["completed_at", "completed_by", "late_reason", "not_required_reason"],
            batch_size=500,
        )
        Duty.objects.bulk_create([d for d in duties if d.pk is None], batch_size=500)
        by_model: dict[Any, list[Any]] = defaultdict(list)
        for record, _actor, _incident, _summary in self.records:
            by_model[type(record)].append(record)
        for model, rows in by_model.items():
            model.objects.bulk_create(rows, batch_size=500)
        for record, actor, incident, summary in self.records:
            audit_record(actor=actor, action=AuditAction.CREATE,
                         organisation=incident.organisation, obj=record, summary=summary)
        for duty, actor, incident, summary in self.changes:
            audit_record(actor=actor, action=AuditAction.CHANGE,
                         organisation=incident.organisation, obj=duty, summary=summary,
                         after={"reason": duty.not_required_reason})
        self.duties, self.records, self.changes = {}, [], []


def _follow_up_record(what: str, incident: Incident, user: Any, values: dict[str, Any]
                      ) -> tuple[Any, str, dt.datetime, str, list[str]]:
    """The unsaved record a follow-up service makes from these arguments, with its audit
    summary, the moment it meets a duty, the reason for any lateness and the duty kinds it
    meets: field for field as incidents/services.py builds them."""
    ref = incident.reference
    late = str(values.get("late_reason", ""))
    if what == "medical_review":
        delay = str(values.get("delay_reason", ""))
        return (MedicalReview(incident=incident, reviewed_at=values["reviewed_at"],
                              reviewer=values["reviewer"].strip(), findings=values["findings"],
                              delay_reason=delay.strip(), recorded_by=user),
                f"Medical review recorded for {ref}", values["reviewed_at"], delay,
                ["medical_review"])
    if what == "observation":
        fields = {k: v for k, v in values.items() if k not in {"taken_at", "late_reason"}}
        fields.setdefault("kind", Observation.KIND_PHYSICAL)
        observation = Observation(incident=incident, late_reason=late.strip(), recorded_by=user,
                                  taken_at=values["taken_at"], **fields)
        kind = ("rapid_tranquillisation_monitoring" if observation.kind == Observation.KIND_RT
                else "physical_observations")
        return (observation, f"Observations recorded for {ref}", values["taken_at"], late,
                [kind])
    if what == "support":
        support_for = values["support_for"]
        return (PostIncidentSupport(
                    incident=incident, support_for=support_for, held=values["held"],
                    held_at=values["held_at"], not_held_reason=values.get("not_held_reason", ""),
                    notes=values.get("notes", ""), late_reason=late.strip(), recorded_by=user),
                f"Post-incident support ({support_for}) for {ref}", values["held_at"], late,
                [f"post_incident_support_{support_for}"])
    if what == "debrief":
        held, took_part = values["held"], values.get("patient_took_part", False)
        return (Debrief(
                    incident=incident, held=held, held_at=values["held_at"],
                    patient_took_part=took_part,
                    not_held_reason=values.get("not_held_reason", "")
                    if not (held and took_part) else "",
                    carer_took_part=values.get("carer_took_part", False),
                    attendees=values.get("attendees", ""), learning=values.get("learning", ""),
                    late_reason=late.strip(), recorded_by=user),
                f"Reflection and learning review for {ref}", values["held_at"], late,
                ["post_incident_review"])
    if what == "account":
        return (PatientAccount(incident=incident, offered_at=values["offered_at"],
                               response=values["response"], account=values.get("account", ""),
                               late_reason=late.strip(), recorded_by=user),
                f"Patient's account offered for {ref}", values["offered_at"], late,
                ["patient_account_offer"])
    review = Review(incident=incident, kind=values["kind"], reviewed_at=values["reviewed_at"],
                    reviewer=values["reviewer"].strip(), notes=values["notes"],
                    late_reason=late.strip(), recorded_by=user)
    return (review, f"{review.get_kind_display()} for {ref}", values["reviewed_at"], late,
            [values["kind"]])


@dataclass
class _Writer:
    ctx: DemoContext
    teams: dict[int, WardTeam]
    doctors: list[Any]
    lead: Any
    present: dt.datetime
    # What followed uses of force that ended before this is written in bulk (see _Bulk).
    bulk_before: dt.datetime | None
    bulk: _Bulk
    escalations: list[tuple[int, dt.datetime]] = field(default_factory=list)

    def recorded(self, moment: dt.datetime, rng: random.Random) -> dt.datetime:
        """When a thing done at `moment` was typed in: a little later, never after the present."""
        return min(self.present, moment + _minutes(rng.randint(5, 60)))

    def write(self, plan: PlannedUseOfForce) -> None:
        rng = random.Random(plan.seed)
        assert plan.recorder.user is not None
        actor = Actor(user=plan.recorder.user, via="web")
        assert plan.data.ended_at is not None
        submitted = min(self.present, plan.data.ended_at + _minutes(rng.randint(20, 180)))
        incident = services.incident_create(
            actor=actor, organisation=self.ctx.organisation, data=plan.data,
            submit=not plan.draft, now=submitted,
        )
        if plan.draft:
            return
        if plan.duplicate:
            self._duplicate(plan, incident, rng, submitted)
        if plan.serious:
            self.escalations.append((incident.pk, submitted))
        if not plan.data.negligible:
            self._follow_up(plan, incident, rng)
        self._lifecycle(plan, incident, rng)

    def _duplicate(self, plan: PlannedUseOfForce, original: Incident, rng: random.Random,
                   submitted: dt.datetime) -> None:
        team = self.teams[plan.ward.pk]
        other = next((s for s in team.nurses() if s is not plan.recorder), plan.recorder)
        again = min(self.present, submitted + _minutes(rng.randint(10, 90)))
        copy = services.incident_create(actor=Actor(user=other.user, via="web"),
                                        organisation=self.ctx.organisation, data=plan.data,
                                        now=again)
        services.incident_mark_entered_in_error(
            actor=Actor(user=team.manager, via="web"), incident=copy,
            reason=f"Duplicate of {original.reference}: the same restraint was recorded twice",
            now=min(self.present, again + dt.timedelta(hours=rng.randint(2, 40))),
        )

    # -- what follows ---------------------------------------------------------------------------

    def _outcome(self, rng: random.Random, kind: str, due: dt.datetime, one_off: bool) -> str:
        """on_time, late or missing. Recurring reviews are never skipped: the services meet the
        soonest open review of a kind, so a gap would be filled by the next one."""
        recent = self.present - due < dt.timedelta(days=RECENT_DAYS)
        missing = 0.0
        if one_off:
            missing = {"medical_review": 0.012, "physical_observations": 0.01,
                       "post_incident_review": 0.02, "care_plan_review": 0.025}.get(kind, 0.015)
            if recent:
                missing *= 6  # the last fortnight's work is still being caught up with
        late = 0.14 if kind in {"medical_review", "care_plan_review"} else 0.08
        roll = rng.random()
        if roll < missing:
            return "missing"
        if roll < missing + late:
            return "late"
        return "on_time"

    @staticmethod
    def when_done(rng: random.Random, duty: Duty, outcome: str) -> dt.datetime:
        """When a follow-up that meets `duty` took place, on time or late as `outcome` says."""
        # (earliest before due, latest before due) for on time; (least, most) lateness if late.
        on_time, late = {
            "medical_review": ((5, 45), (5, 90)),
            "physical_observations": ((10, 55), (10, 120)),
            "post_incident_support_patient": ((120, 1320), (60, 1440)),
            "post_incident_support_staff": ((120, 1320), (60, 1440)),
            "post_incident_review": ((1440, 9360), (1440, 14400)),
            "patient_account_offer": ((240, 4200), (360, 5760)),
            "care_plan_review": ((240, 4200), (360, 7200)),
            "seclusion_mdt_review": ((0, 60), (15, 120)),
            # The first check may be due 15 minutes after the injection (higher risk).
            "rapid_tranquillisation_monitoring": ((0, 10), (5, 45)),
        }.get(duty.kind, ((0, 20), (10, 90)))
        low, high = on_time if outcome == "on_time" else late
        offset = _minutes(rng.randint(low, high))
        moment = duty.due_at - offset if outcome == "on_time" else duty.due_at + offset
        # The services refuse a follow-up timed before the use of force started. A duty can
        # fall due at the very start (a seclusion that reaches 12 hours in 48 across earlier
        # incidents calls its MDT review at once), so "a little before it was due" is clamped
        # to the start: the demo must never write what its own services reject.
        started = duty.incident.started_at
        assert started is not None  # duties start only at submission, which needs a time
        moment = max(moment, _next_minute(started))
        return moment.replace(second=0, microsecond=0)

    def _late_reason(self, rng: random.Random, kind: str, moment: dt.datetime,
                     due: dt.datetime) -> str:
        if moment <= due:
            return ""
        return rng.choice(LATE_REASONS["medical_review" if "medical" in kind else "other"])

    def _follow_up(self, plan: PlannedUseOfForce, incident: Incident, rng: random.Random) -> None:
        team = self.teams[plan.ward.pk]
        nurse = Actor(user=plan.recorder.user, via="web")
        manager = Actor(user=team.manager, via="web")
        doctor_user = rng.choice(self.doctors)
        doctor = Actor(user=doctor_user, via="web")
        doctor_name = _full_name(doctor_user)
        psychiatrist_authorised = rng.random() < 0.2
        assert incident.ended_at is not None
        duties = list(incident.duties.order_by("due_at", "pk"))
        if self.bulk_before is not None and incident.ended_at < self.bulk_before:
            self.bulk.take(incident, duties)
        # A copy: later rapid tranquillisation checks are added as each check is recorded.
        for duty in list(duties):
            if duty.kind == "rapid_tranquillisation_monitoring":
                self._rapid_tranquillisation_checks(incident, duty, rng, nurse)
                continue
            if duty.kind == "medical_review" and plan.medical_review_missing:
                continue
            if (duty.kind == "seclusion_medical_review" and duty.sequence == 1
                    and psychiatrist_authorised):
                reason = "The consultant psychiatrist authorised the seclusion in person"
                if self.bulk.holds(incident):
                    self.bulk.not_required(doctor, incident, duty, reason)
                else:
                    services.duty_mark_not_required(actor=doctor, duty=duty, reason=reason)
                continue
            one_off = duty.kind not in {
                "mechanical_restraint_review", "seclusion_nursing_review",
                "seclusion_medical_review", "segregation_clinician_review",
                "segregation_mdt_review",
            }
            outcome = self._outcome(rng, duty.kind, duty.due_at, one_off)
            if outcome == "missing":
                continue
            moment = self.when_done(rng, duty, outcome)
            if moment > self.present:
                continue  # not done yet: the duty stays due (or overdue) on the worklists
            late_reason = self._late_reason(rng, duty.kind, moment, duty.due_at)
            now = self.recorded(moment, rng)
            self._record(duty, incident, moment, late_reason, now, rng, nurse, manager, doctor,
                         doctor_name, team)

    def _meet(self, what: str, actor: Actor, incident: Incident, now: dt.datetime,
              **values: Any) -> None:
        """Record what met a duty: through its service, or for older history in bulk."""
        if self.bulk.holds(incident):
            self.bulk.meet(what, actor, incident, now, values)
        else:
            FOLLOW_UP_SERVICES[what](actor=actor, incident=incident, now=now, **values)

    def _record(self, duty: Duty, incident: Incident, moment: dt.datetime, late_reason: str,
                now: dt.datetime, rng: random.Random, nurse: Actor, manager: Actor,
                doctor: Actor, doctor_name: str, team: WardTeam) -> None:
        kind = duty.kind
        if kind == "medical_review":
            self._meet(
                "medical_review", doctor, incident, now, reviewed_at=moment, reviewer=doctor_name,
                findings=rng.choice([
                    "No injury found. Breathing and circulation normal. Plan unchanged.",
                    "Minor bruising noted and documented. Observations normal.",
                    "Settled; reviewed medication and increased observations overnight.",
                ]),
                delay_reason=late_reason,
            )
        elif kind == "physical_observations":
            if rng.random() < 0.1:
                reason, instead = rng.choice(NOT_TAKEN)
                values: dict[str, Any] = {"not_taken_reason": reason, "action_instead": instead}
            else:
                values = _vital_signs(rng)
            self._meet("observation", nurse, incident, now, taken_at=moment,
                       late_reason=late_reason, **values)
        elif kind in {"post_incident_support_patient", "post_incident_support_staff"}:
            for_patient = kind.endswith("patient")
            held = rng.random() < (0.82 if for_patient else 0.9)
            reason = "" if held else (
                _weighted(rng, [("01", 50), ("03", 30), ("02", 10), ("04", 10)]) if for_patient
                else "98")
            self._meet(
                "support", nurse if for_patient else manager, incident, now,
                support_for="patient" if for_patient else "staff", held=held, held_at=moment,
                not_held_reason=reason,
                notes=("Talked through what happened and checked for pain and worries."
                       if for_patient else "Team check-in after the shift; no one needed more.")
                if held else ("Offered again the next day." if for_patient
                              else "Staff went off shift; the manager phoned them the next day."),
                late_reason=late_reason,
            )
        elif kind == "post_incident_review":
            roll = rng.random()
            held = roll < 0.9
            patient_took_part = held and roll < 0.6
            self._meet(
                "debrief", manager, incident, now, held=held, held_at=moment,
                patient_took_part=patient_took_part,
                not_held_reason="" if patient_took_part else _weighted(
                    rng, [("01", 55), ("02", 20), ("03", 15), ("04", 10)]),
                carer_took_part=held and rng.random() < 0.2,
                attendees=", ".join(s.name for s in team.staff[:3]) if held else "",
                learning=rng.choice(LEARNING) if held else "",
                late_reason=late_reason,
            )
        elif kind == "patient_account_offer":
            response = _weighted(rng, [(codes.AccountResponse.ACCEPTED, 42),
                                       (codes.AccountResponse.DECLINED, 46),
                                       (codes.AccountResponse.LATER, 12)])
            self._meet(
                "account", nurse, incident, now, offered_at=moment, response=response,
                account=rng.choice([
                    "I felt scared when lots of staff came at once. I wanted someone to listen.",
                    "It hurt my arm. I know I was angry but I needed space, not a hold.",
                    "The staff were calm and told me what they were doing, which helped.",
                ]) if response == codes.AccountResponse.ACCEPTED else "",
                late_reason=late_reason,
            )
        else:
            reviewer = {
                "seclusion_nursing_review": _full_name(nurse.user),
                "seclusion_mdt_review": f"{doctor_name}, {_full_name(manager.user)} and an "
                                        "independent advocate",
                "segregation_mdt_review": f"{doctor_name} and the ward MDT",
                "care_plan_review": _full_name(nurse.user),
            }.get(kind, doctor_name)
            actor = {"seclusion_nursing_review": nurse, "care_plan_review": nurse,
                     "seclusion_mdt_review": manager, "segregation_mdt_review": manager
                     }.get(kind, doctor)
            self._meet(
                "review", actor, incident, now, kind=kind, reviewed_at=moment, reviewer=reviewer,
                notes={
                    "care_plan_review": "Risk assessment and positive behaviour support plan "
                                        "updated with the triggers identified.",
                    "seclusion_mdt_review": "Seclusion to continue for now; plan agreed to "
                                            "step down over the next few hours.",
                }.get(kind, "Reviewed in person; restriction still needed; plan to end it "
                            "as soon as it is safe."),
                late_reason=late_reason,
            )

    def _rapid_tranquillisation_checks(self, incident: Incident, first: Duty,
                                       rng: random.Random, nurse: Actor) -> None:
        """NICE QS154 statement 4: checks at the policy interval until no further concerns; the
        service adds each next check as the previous one is recorded."""
        checks = rng.randint(2, 4)
        duty: Duty | None = first
        for number in range(1, checks + 1):
            if duty is None:
                return
            outcome = "late" if rng.random() < 0.08 else "on_time"
            moment = self.when_done(rng, duty, outcome)
            if moment > self.present:
                return
            last = number == checks
            values = _vital_signs(rng)
            if number == 1 and rng.random() < 0.4:
                values["consciousness"] = codes.Consciousness.VOICE
            self._meet(
                "observation", nurse, incident, self.recorded(moment, rng), taken_at=moment,
                kind=Observation.KIND_RT, no_further_concerns=last,
                late_reason=self._late_reason(rng, duty.kind, moment, duty.due_at), **values,
            )
            duty = self._soonest_open(incident, duty.kind)

    def _soonest_open(self, incident: Incident, kind: str) -> Duty | None:
        if self.bulk.holds(incident):
            return self.bulk.soonest_open(incident, [kind])
        return Duty.objects.filter(
            incident=incident, kind=kind, completed_at__isnull=True, not_required_reason="",
        ).order_by("due_at", "pk").first()

    def _lifecycle(self, plan: PlannedUseOfForce, incident: Incident, rng: random.Random) -> None:
        """Ward managers review most records within about a week; the older ones with nothing
        left to do are closed."""
        assert plan.data.ended_at is not None
        reviewed = plan.data.ended_at + dt.timedelta(days=rng.uniform(1, 8))
        if reviewed > self.present or rng.random() < 0.04:
            return
        manager = Actor(user=self.teams[plan.ward.pk].manager, via="web")
        services.incident_review(actor=manager, incident=incident, now=reviewed, notes=rng.choice([
            "Record complete; proportionate and in line with the care plan.",
            "Checked with the team; debrief booked. Record complete.",
            "Reviewed with the charge nurse; no concerns about the holds used.",
        ]))
        closed = reviewed + dt.timedelta(days=rng.uniform(7, 30))
        if closed > self.present or rng.random() < 0.1:
            return
        still_open = (
            self.bulk.soonest_open(incident, None) is not None if self.bulk.holds(incident)
            else incident.duties.filter(completed_at__isnull=True, not_required_reason="").exists()
        )
        if still_open:
            return
        services.incident_close(actor=manager, incident=incident, now=closed)

    def acknowledge_escalations(self) -> None:
        for incident_pk, raised in self.escalations:
            for escalation in Escalation.objects.filter(incident_id=incident_pk):
                actor = Actor(user=self.lead, via="web") if self.lead else self.ctx.actor
                services.escalation_acknowledge(actor=actor, escalation=escalation)
                Escalation.objects.filter(pk=escalation.pk).update(
                    raised_at=raised, acknowledged_at=raised + _minutes(35),
                )

    def backdate(self) -> None:
        """Move the timestamps Django fills from the real clock (`auto_now_add`) to the synthetic
        moments they stand for. Only the demo's own records are touched."""
        organisation = self.ctx.organisation
        incidents = Incident.objects.filter(organisation=organisation)
        incidents.filter(submitted_at__isnull=False).update(created_at=F("submitted_at"))
        for draft in incidents.filter(submitted_at__isnull=True, entered_in_error_at__isnull=True):
            assert draft.ended_at is not None
            Incident.objects.filter(pk=draft.pk).update(
                created_at=min(self.present, draft.ended_at + _minutes(20)))
        mine = {"incident__organisation": organisation}
        MedicalReview.objects.filter(**mine).update(recorded_at=F("reviewed_at"))
        Observation.objects.filter(**mine).update(recorded_at=F("taken_at"))
        PostIncidentSupport.objects.filter(**mine).update(recorded_at=F("held_at"))
        Debrief.objects.filter(**mine).update(recorded_at=F("held_at"))
        PatientAccount.objects.filter(**mine).update(recorded_at=F("offered_at"))
        Review.objects.filter(**mine).update(recorded_at=F("reviewed_at"))


def _next_minute(moment: dt.datetime) -> dt.datetime:
    """`moment` rounded up to a whole minute: follow-ups are timed in whole minutes."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + _minutes(1)


def _vital_signs(rng: random.Random) -> dict[str, Any]:
    return {
        "pulse": rng.randint(68, 118),
        "bp_systolic": rng.randint(108, 148),
        "bp_diastolic": rng.randint(64, 94),
        "respiratory_rate": rng.randint(13, 22),
        "temperature": Decimal(str(round(rng.uniform(36.2, 37.6), 1))),
        "spo2": rng.randint(95, 99),
        "consciousness": codes.Consciousness.ALERT,
        "hydration": rng.choice(["Drinking fluids; ate the next meal",
                                 "Had a cup of tea and a glass of water",
                                 "Declined food; drinking water"]),
    }


def present_of(today: dt.date) -> dt.datetime:
    """The demo's 'now' for recording: the start of `today`, so nothing is recorded in the
    future whatever time of day the demo is loaded, and the same seed gives the same records."""
    return dt.datetime.combine(today, dt.time(0, 0), tzinfo=LOCAL).astimezone(dt.UTC)


def seed_incidents(ctx: DemoContext, *,
                   services_for_last: dt.timedelta | None = SERVICES_FOR_LAST) -> None:
    """Add about two years of synthetic uses of force, and what followed each, to the demo.

    Every use of force is recorded through incident_create. What followed the ones that ended
    within `services_for_last` of the demo's present goes through the follow-up services one by
    one; older history is written in bulk (see _Bulk). None writes everything through the
    services (slower; the test that the two agree uses it)."""
    present = present_of(ctx.today)
    wards = sorted(ctx.wards.values(), key=lambda w: w.code)
    teams = _teams(ctx, wards)
    writer = _Writer(
        ctx=ctx, teams=teams, doctors=_doctors(ctx), lead=_lead(ctx), present=present,
        bulk_before=None if services_for_last is None else present - services_for_last,
        bulk=_Bulk(services.policy_for(ctx.organisation)),
    )
    for plan in _plan(ctx, wards, teams, present):
        writer.write(plan)
    writer.bulk.flush()
    writer.acknowledge_escalations()
    writer.backdate()
