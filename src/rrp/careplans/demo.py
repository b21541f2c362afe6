"""Synthetic safety plans, risk assessments and physical health checks for the demo provider.

Runs after the demo's uses of force (rrp.incidents.demo), so the plans can answer to them:

- most people on a ward today, or discharged in the last two months, have a plan written with
  them soon after admission and reviewed on the dates it sets; about one in eight people on a
  ward has none yet, and about one in five stopped being reviewed, so their plan is out of date;
- a review follows a use of force when the team reviewed the plan then (the incidents demo
  recorded that care plan review); open care plan reviews are left open, overdue, as the
  incidents demo meant them to be;
- several people held face down or face up have asthma, heart disease or obesity in their plan,
  or asked not to be held that way, and some given rapid tranquillisation have a prolonged QTc:
  the conflicts the use of force form warns about;
- examinations on admission for the last year's admissions (most within 24 hours, some late,
  some declined, a few missing), medication reviews (STOMP for people with a learning
  disability or autism) and capacity assessments for 'as needed' medication.

Every record goes through the services with `now=` the moment it stands for, as a person
recording at the time would; everything is drawn from a generator seeded from the demo's own.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q

from rrp.audit.services import Actor
from rrp.careplans import selectors, services
from rrp.careplans.inputs import (
    HealthCheckInput,
    RiskAssessmentInput,
    RiskFactorInput,
    SafetyPlanInput,
)
from rrp.careplans.warnings import PRONE, RAPID_TRANQUILLISATION, SUPINE
from rrp.demo.generator import DemoContext
from rrp.incidents.models import Duty, Intervention
from rrp.organisations.models import Membership, Role, ServiceType
from rrp.patients.models import Admission, Patient

LOCAL = ZoneInfo("Europe/London")

# How often each kind of ward reviews a plan (days): weekly MDTs on intensive care, longer on
# long-stay forensic and learning disability wards.
REVIEW_DAYS: dict[str, int] = {
    ServiceType.PICU: 14,
    ServiceType.ADULT_ACUTE: 28,
    ServiceType.CAMHS: 28,
    ServiceType.OLDER_ADULT: 42,
    ServiceType.LEARNING_DISABILITY_AUTISM: 84,
    ServiceType.FORENSIC: 84,
}
HISTORY_DAYS = 150  # plans are written for the last five months or so of a long stay
RECENT_DISCHARGE_DAYS = 60
NO_PLAN_SHARE = 0.12
LAPSED_SHARE = 0.2

GREEN_SIGNS = [
    "Chatty, joins in groups, sleeps well",
    "Quiet but friendly; likes routine",
    "Laughs a lot, plays cards with others",
    "Reads in my room; eats with others",
]
GREEN_SUPPORT = [
    "Music through headphones, phoning my sister in the evening",
    "Time in the garden every morning; a set daily plan",
    "Drawing, and knowing what is happening each day",
    "Going to the gym with staff; regular snacks",
]
TRIGGERS = [
    "Being told no without a reason",
    "Loud alarms and busy corridors",
    "Waiting a long time for leave decisions",
    "Being touched without warning",
    "Night-time checks that wake me",
    "Arguments between other patients",
    "Phone calls with my ex-partner",
    "Missing a visit from family",
]
TRIGGER_DATES = [
    "The anniversary of my mum's death in November",
    "My son's birthday in June",
    "Court dates",
    "",
]
AMBER_SIGNS = [
    "Pacing, clenched fists, going quiet",
    "Talking fast and loud, swearing",
    "Staying in my room and not eating",
    "Rocking, covering my ears",
    "Following staff and repeating the same question",
]
AMBER_SUPPORT = [
    "Offer the garden and a drink; one familiar nurse talks quietly",
    "Give me space for ten minutes, then check in",
    "Weighted blanket and a quiet room with the lights low",
    "Explain what is happening and when; offer my PRN by mouth",
    "Let me phone my sister",
]
RED_SIGNS = [
    "Shouting and throwing things",
    "Hitting out at staff",
    "Trying to hurt myself",
    "Running at the door",
]
RED_SUPPORT = [
    "One person talks, others stand back; clear the area of other patients",
    "Offer oral medication first; stay with me",
    "Move other patients away and give me room to calm down",
]
WHAT_TO_AVOID = [
    "Crowding me, raised voices",
    "Touching my head or face",
    "Lots of staff arriving at once",
    "Talking about me as if I'm not there",
]
COMMUNICATION = [
    "Short sentences; give me time to answer",
    "Uses Makaton and picture cards; see communication passport",
    "Hard of hearing: face me and speak clearly",
    "Prefers written notes when distressed",
    "English is my second language",
]
WORDS = [
    "Give me space and talk to me quietly. Don't crowd me.",
    "I want someone I know to talk to me, not lots of people.",
    "If I'm getting upset, let me go outside. Tell me what's going on.",
    "Please don't hold me on the floor. Ask me to sit down first.",
    "I like it when staff explain things and don't rush me.",
]
PREFERENCES = [
    "Never face down: I was held like that before and couldn't breathe",
    "I would rather take tablets than have an injection",
    "If you have to hold me, let a woman do it",
    "Tell me what you are going to do before you do it",
]
DIGNITY = [
    "Make sure I am covered; close the curtains",
    "Female staff only for personal care",
    "Keep other patients away from the room",
]
POST_INCIDENT = [
    "A cup of tea and time with my named nurse after; check my wrists",
    "Someone to check on me every 15 minutes for the first hour",
    "Talk it through the next morning, not straight away",
]
STRATEGIES = {
    "respiratory": (
        "Asthma since childhood; blue inhaler",
        "Inhaler to hand; never prone; no weight on the chest or back; watch breathing",
    ),
    "obesity": ("BMI 41", "Avoid prone and supine holds; keep any hold short; monitor breathing"),
    "heart_disease": (
        "Angina; on a beta blocker",
        "Avoid prone; keep holds short; ECG after restraint",
    ),
    "pregnancy": (
        "About 20 weeks pregnant",
        "Never prone or supine; seated or side only; midwife review",
    ),
    "prolonged_qtc": (
        "QTc 478 ms on the admission ECG",
        "No haloperidol; oral lorazepam first; ECG before any antipsychotic injection",
    ),
    "diabetes": ("Type 1 diabetes", "Check blood glucose after any restraint"),
    "high_blood_pressure": ("On amlodipine", "Blood pressure after restraint; keep holds short"),
    "drugs_alcohol": (
        "Uses cannabis and alcohol on leave",
        "Test on return from leave; extra monitoring after restraint",
    ),
    "medication": ("High-dose clozapine", "Check interactions before any PRN; pharmacist advice"),
    "joint_impairment": ("Arthritis in both knees", "No kneeling holds; no pressure on the knees"),
    "fracture_risk": ("Low bone density", "Avoid wrist and arm locks; gentle holds"),
    "large_muscle_bulk": (
        "Trains daily; very muscular",
        "Keep any hold short; watch for exhaustion",
    ),
    "stimulant_intoxication": (
        "Has used amphetamines before admission",
        "Treat any struggle as a medical emergency; call the doctor",
    ),
}
OTHER_FACTORS = [
    ("respiratory", 20),
    ("obesity", 14),
    ("diabetes", 10),
    ("high_blood_pressure", 10),
    ("drugs_alcohol", 14),
    ("medication", 10),
    ("joint_impairment", 5),
    ("heart_disease", 5),
    ("fracture_risk", 5),
    ("large_muscle_bulk", 5),
]


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    values, weights = zip(*options, strict=True)
    return str(rng.choices(values, weights=weights)[0])


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(rng.randint(9, 16), rng.choice([0, 15, 30, 45])), tzinfo=LOCAL
    )


def _signers(ctx: DemoContext) -> tuple[dict[int, list[Any]], list[Any], list[Any]]:
    """Registered nurses per ward, the ward managers, and the doctors, as demo accounts."""
    nurses: dict[int, list[Any]] = defaultdict(list)
    managers, doctors = [], []
    for member in (
        Membership.objects.filter(organisation=ctx.organisation, is_active=True)
        .select_related("user")
        .order_by("user__username", "role")
    ):
        if member.role == Role.DOCTOR:
            doctors.append(member.user)
        elif member.role == Role.WARD_MANAGER:
            managers.append(member.user)
        elif (
            member.role == Role.WARD_STAFF
            and member.home_ward_id
            and "nurse" in member.job_title.lower()
        ):
            nurses[member.home_ward_id].append(member.user)
    return nurses, managers, doctors


def _factors(rng: random.Random, patient: Patient, used: set[str]) -> tuple[list[str], list[str]]:
    """Risk factor codes and positions to avoid; conflicts with the restraint actually used."""
    factors: list[str] = []
    avoid: list[str] = []
    if used & {PRONE, SUPINE} and rng.random() < 0.55:
        factors.append(
            "pregnancy"
            if patient.pregnancy == "pregnant"
            else _weighted(rng, [("respiratory", 60), ("obesity", 25), ("heart_disease", 15)])
        )
    if PRONE in used and rng.random() < 0.3:
        avoid.append(PRONE)
    if RAPID_TRANQUILLISATION in used and rng.random() < 0.35:
        factors.append("prolonged_qtc")
    while rng.random() < 0.35 and len(factors) < 3:
        factors.append(_weighted(rng, OTHER_FACTORS))
    if patient.mental_disorder == "F20-F29" and rng.random() < 0.1:
        factors.append(
            "fracture_risk"
        )  # standard 2.5: fracture risk may be higher in schizophrenia
    return sorted(set(factors)), avoid


def _first_plan(
    rng: random.Random, patient: Patient, stay: Admission, day: dt.date, used: set[str]
) -> SafetyPlanInput:
    factors, avoid = _factors(rng, patient, used)
    person = _weighted(rng, [("yes", 80), ("declined", 12), ("not_able", 8)])
    physical = ["07", "11", "10", "08"]
    preferred = sorted(set(rng.sample(physical, 2) + (["16"] if rng.random() < 0.7 else [])))
    less = {code for code in ("14", rng.choice(["12", "05"])) if rng.random() < 0.5}
    age = patient.age_on(day)
    return SafetyPlanInput(
        occasion="admission" if (day - stay.admitted_on).days <= 3 else "scheduled",
        agreed_on=day,
        person_took_part=person,
        carer_took_part=_weighted(
            rng, [("yes", 35), ("no", 25), ("person_declined", 15), ("not_appropriate", 25)]
        ),
        others_involved=rng.choice(
            ["", "their named nurse", "an advocate", "a psychologist and their named nurse"]
        ),
        persons_words=rng.choice(WORDS) if person == "yes" else "",
        advance_decisions=rng.choice(
            ["", "", "Advance statement: prefers oral medication; copy in the notes"]
        ),
        green_signs=rng.choice(GREEN_SIGNS),
        green_support=rng.choice(GREEN_SUPPORT),
        triggers="; ".join(rng.sample(TRIGGERS, 2)),
        trigger_dates=rng.choice(TRIGGER_DATES),
        amber_signs=rng.choice(AMBER_SIGNS),
        amber_support=rng.choice(AMBER_SUPPORT),
        red_signs=rng.choice(RED_SIGNS),
        red_support=rng.choice(RED_SUPPORT),
        what_to_avoid=rng.choice(WHAT_TO_AVOID),
        preferred_interventions=[c for c in preferred if c not in avoid],
        less_preferred_interventions=sorted(set(less)),
        positions_to_avoid=avoid,
        intervention_preferences=PREFERENCES[0] if avoid else rng.choice(PREFERENCES[1:] + [""]),
        risk_factors=[
            RiskFactorInput(code, STRATEGIES[code][1], STRATEGIES[code][0]) for code in factors
        ],
        communication_needs=rng.choice(COMMUNICATION),
        communication_passport=patient.learning_disability_autism
        in {"learning_disability", "both"},
        interpreter_language=rng.choice(
            ["", "", "", "", "", "Polish", "Urdu", "British Sign Language"]
        ),
        sensory_needs="Sensitive to noise and bright light"
        if patient.learning_disability_autism in {"autism", "both"}
        else "",
        spiritual_cultural_needs="Prays five times a day; halal food"
        if patient.religion == "muslim"
        else "",
        gender_trauma_needs=rng.choice(["", "", "Prefers female staff; history of domestic abuse"]),
        age_related_needs=(
            "Dementia: keep explanations short; check for pain"
            if age >= 65
            else "Daily call with parents; school work on the ward"
            if age < 18
            else ""
        ),
        dignity=rng.choice(DIGNITY),
        post_incident_support=rng.choice(POST_INCIDENT),
        notify_after_force=rng.choice(["", "Mother, by phone", "Sister, by phone", "Advocate"]),
        review_on=None,
    )


def _assessment(
    rng: random.Random, plan: SafetyPlanInput, incident_id: int | None
) -> RiskAssessmentInput:
    return RiskAssessmentInput(
        assessed_on=plan.agreed_on,
        occasion="after_incident"
        if incident_id
        else ("admission" if plan.occasion == "admission" else "scheduled"),
        incident_id=incident_id,
        method=rng.choice(["HCR-20", "START", "Local risk tool"]),
        summary=rng.choice(
            [
                "Risk to others rises when frustrated by restrictions; no self-harm history.",
                "Risk of self-harm when low in mood; risk to others only when cornered.",
                "Historical violence when using substances; settled on the ward so far.",
            ]
        ),
        risk_to_self=_weighted(rng, [("low", 50), ("medium", 35), ("high", 15)]),
        risk_to_others=_weighted(rng, [("low", 35), ("medium", 45), ("high", 20)]),
        sources=sorted(
            set(
                rng.sample(
                    [
                        "person",
                        "carer",
                        "records",
                        "care_team",
                        "gp",
                        "observation",
                        "police_mappa",
                    ],
                    3,
                )
            )
        ),
        person_took_part=plan.person_took_part,
        carer_took_part=plan.carer_took_part,
        communicated_to=["mdt", "ward_team"],
        communicated_on=plan.agreed_on,
        review_on=plan.review_on,
    )


def _plans_for(
    ctx: DemoContext,
    rng: random.Random,
    stay: Admission,
    end: dt.date,
    present: dt.datetime,
    actor: Actor,
    lapsed: bool,
) -> None:
    patient = stay.patient
    interval = REVIEW_DAYS.get(stay.ward.service_type, 28)
    used = set(
        Intervention.objects.filter(
            incident__patient=patient, incident__entered_in_error_at__isnull=True
        ).values_list("type_code", flat=True)
    )
    # When the team reviewed the plan after each use of force (the incidents demo recorded it).
    reviews = sorted(
        (completed, incident)
        for completed, incident in Duty.objects.filter(
            incident__patient=patient,
            kind="care_plan_review",
            completed_at__isnull=False,
            incident__entered_in_error_at__isnull=True,
        ).values_list("completed_at", "incident_id")
        if completed is not None
    )
    day = max(
        stay.admitted_on + dt.timedelta(days=rng.randint(0, 2)),
        ctx.today - dt.timedelta(days=HISTORY_DAYS),
    )
    data = _first_plan(rng, patient, stay, day, used)
    moment = _moment(day, rng)
    incident_id: int | None = None
    count = 0
    while moment < present and moment.date() <= end:
        data = replace(
            data,
            agreed_on=moment.date(),
            review_on=moment.date() + dt.timedelta(days=interval + rng.randint(-3, 3)),
        )
        if selectors.open_care_plan_reviews(patient, before=moment):
            return  # an open review after a use of force: left overdue, as recorded
        services.safety_plan_version_create(actor=actor, patient=patient, data=data, now=moment)
        if rng.random() < 0.7 or count == 0:
            services.risk_assessment_create(
                actor=actor, patient=patient, data=_assessment(rng, data, incident_id), now=moment
            )
        count += 1
        if lapsed and count >= 1 and rng.random() < 0.6:
            return  # reviews stopped: the plan goes past its review date
        assert data.review_on is not None
        scheduled = _moment(data.review_on - dt.timedelta(days=rng.randint(0, 3)), rng)
        after = next(((at, pk) for at, pk in reviews if moment < at < scheduled), None)
        if after is not None:
            moment, incident_id = after[0], after[1]
            data = replace(
                data,
                occasion="after_incident",
                incident_id=incident_id,
                changes="Reviewed after the use of force: "
                + rng.choice(
                    [
                        "added the trigger identified at the debrief",
                        "nothing needed to change",
                        "added a second familiar nurse to what helps",
                    ]
                ),
            )
        else:
            moment, incident_id = scheduled, None
            data = replace(
                data,
                occasion="scheduled",
                incident_id=None,
                changes=rng.choice(
                    [
                        "Reviewed with the person; nothing needed to change",
                        "Updated early warning signs after talking with their sister",
                        "Added the garden to what helps",
                    ]
                ),
            )
        if data.person_took_part == "yes" and rng.random() < 0.2:
            data = replace(data, person_took_part="declined", persons_words="")
        elif data.person_took_part != "yes" and rng.random() < 0.6:
            data = replace(data, person_took_part="yes", persons_words=rng.choice(WORDS))


def _health_checks(
    ctx: DemoContext, rng: random.Random, present: dt.datetime, doctors: list[Any]
) -> None:
    first = ctx.today - dt.timedelta(days=365)
    stays = (
        Admission.objects.filter(organisation=ctx.organisation, entered_in_error_reason="")
        .filter(Q(admitted_on__gte=first) | Q(discharged_on__isnull=True))
        .select_related("patient", "ward")
        .order_by("admitted_on", "pk")
    )
    for stay in stays:
        doctor = Actor(user=rng.choice(doctors), via="web") if doctors else ctx.actor
        name = services.signer_of(doctor, ctx.organisation)[0]
        roll = rng.random()
        if roll < 0.04:
            continue  # never recorded
        if roll < 0.08:
            outcome, done_on, notes = "declined", stay.admitted_on, "Declined; offer again tomorrow"
        else:
            late = roll > 0.92
            done_on = stay.admitted_on + dt.timedelta(
                days=rng.randint(2, 4) if late else rng.randint(0, 1)
            )
            outcome, notes = (
                "examined",
                rng.choice(
                    [
                        "BP 128/82, pulse 76, chest clear, BMI 27. No physical needs identified.",
                        "Asthma noted; peak flow 420. Inhaler prescribed.",
                        "Bruising to both forearms, documented. Bloods and ECG requested.",
                    ]
                ),
            )
        moment = _moment(done_on, rng)
        if moment >= present or (stay.discharged_on and done_on > stay.discharged_on):
            continue
        services.health_check_record(
            actor=doctor,
            patient=stay.patient,
            now=moment,
            data=HealthCheckInput(
                kind="examination", done_on=done_on, outcome=outcome, done_by_name=name, notes=notes
            ),
        )
        if stay.discharged_on is not None:
            continue
        # People on the wards today: medication reviews and capacity for 'as needed' medication.
        stomp = stay.patient.learning_disability_autism in {"learning_disability", "autism", "both"}
        review_day = ctx.today - dt.timedelta(days=rng.randint(1, 12))
        if review_day > stay.admitted_on:
            services.health_check_record(
                actor=doctor,
                patient=stay.patient,
                now=_moment(review_day, rng),
                data=HealthCheckInput(
                    kind="medication_review",
                    done_on=review_day,
                    outcome=_weighted(
                        rng, [("no_change", 55), ("reduced", 20), ("changed", 20), ("started", 5)]
                    ),
                    done_by_name=name,
                    notes="Regular and PRN medicines reviewed at the MDT",
                    stomp=stomp and rng.random() < 0.7,
                    next_due_on=review_day + dt.timedelta(days=7),
                ),
            )
        if rng.random() < 0.6 and review_day > stay.admitted_on:
            services.health_check_record(
                actor=doctor,
                patient=stay.patient,
                now=_moment(review_day, rng),
                data=HealthCheckInput(
                    kind="capacity_prn",
                    done_on=review_day,
                    outcome=_weighted(
                        rng, [("has_capacity", 60), ("lacks_capacity", 20), ("fluctuating", 20)]
                    ),
                    done_by_name=name,
                    notes="Two-stage test; discussed PRN options",
                    next_due_on=review_day + dt.timedelta(days=28),
                ),
            )


def seed_care_plans(ctx: DemoContext) -> None:
    """Add safety plans, risk assessments and physical health checks to the demo."""
    rng = random.Random(ctx.rng.getrandbits(64))
    present = dt.datetime.combine(ctx.today, dt.time(0, 0), tzinfo=LOCAL)
    nurses, managers, doctors = _signers(ctx)
    recent = ctx.today - dt.timedelta(days=RECENT_DISCHARGE_DAYS)
    stays = (
        Admission.objects.filter(
            organisation=ctx.organisation, entered_in_error_reason="", admitted_on__lt=ctx.today
        )
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=recent))
        .select_related("patient", "ward")
        .order_by("patient_id", "-admitted_on")
    )
    seen: set[int] = set()
    for stay in stays:
        if stay.patient_id in seen:
            continue
        seen.add(stay.patient_id)
        on_ward = stay.discharged_on is None
        if on_ward and rng.random() < NO_PLAN_SHARE:
            continue
        signer = rng.choice(nurses.get(stay.ward_id) or managers or [None])
        actor = Actor(user=signer, via="web") if signer else ctx.actor
        end = stay.discharged_on or ctx.today
        _plans_for(
            ctx, rng, stay, end, present, actor, lapsed=on_ward and rng.random() < LAPSED_SHARE
        )
    _health_checks(ctx, rng, present, doctors)
