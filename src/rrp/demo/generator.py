"""The synthetic demo provider: seeded, reproducible, and realistic enough to learn from.

Nothing here is real: names are drawn from short lists of common first and last names,
NHS numbers are generated with a valid check digit in the 999 range that the NHS reserves
for testing, and every figure comes from the random generator seeded by `seed`.
Later capabilities add to `seed_demo` (incidents, plans, assessments) in their own modules.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from rrp.audit.services import Actor
from rrp.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from rrp.organisations import services as org_services
from rrp.organisations.models import Organisation, ServiceType, Ward
from rrp.patients import characteristics as c
from rrp.patients.models import Admission, Patient

DEMO_ODS_CODE = "ZZ9"
DEMO_NAME = "Northgate Mental Health NHS Foundation Trust (demo)"
YEARS_OF_HISTORY = 2


@dataclass(frozen=True)
class WardPlan:
    code: str
    name: str
    site: str
    service_type: str
    beds: int
    mean_stay_days: int
    age_range: tuple[int, int]
    share_male: float


WARDS = [
    WardPlan(
        "OAK", "Oak Ward", "Northgate Hospital", ServiceType.ADULT_ACUTE, 18, 35, (18, 64), 0.55
    ),
    WardPlan("ASH", "Ash Ward", "Northgate Hospital", ServiceType.PICU, 10, 24, (18, 60), 0.75),
    WardPlan(
        "BIRCH", "Birch Ward", "Northgate Hospital", ServiceType.OLDER_ADULT, 16, 60, (65, 92), 0.45
    ),
    WardPlan(
        "CEDAR", "Cedar Unit", "Riverside Centre", ServiceType.LEARNING_DISABILITY_AUTISM,
        8, 240, (18, 55), 0.7,
    ),
    WardPlan("ELM", "Elm Ward", "Riverside Centre", ServiceType.FORENSIC, 15, 420, (20, 60), 0.85),
    WardPlan("WILLOW", "Willow Ward", "Riverside Centre", ServiceType.CAMHS, 12, 55, (12, 17), 0.4),
]

FIRST_NAMES = {
    "female": ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Aisha", "Priya", "Chloe",
               "Fatima", "Zara", "Emily", "Hannah", "Ruth", "Joy", "Niamh", "Maryam", "Lily"],
    "male": ["Oliver", "George", "Harry", "Noah", "Jack", "Mohammed", "Leo", "Kwame", "Arjun",
             "Daniel", "Tyrone", "Adam", "Samuel", "Liam", "Yusuf", "Connor", "David", "Ethan"],
}
LAST_NAMES = ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Khan", "Patel",
              "Wilson", "Thomas", "Johnson", "Roberts", "Ahmed", "Okafor", "Campbell", "Murphy",
              "Walker", "Wright", "Begum", "Mensah", "Hughes", "Edwards", "Green", "Hall", "Ali"]

# Ethnic category mix of admissions, weighted so Black patients are over-represented on acute
# and intensive care wards, as national data shows; the equality analysis should find it.
ETHNICITY_WEIGHTS = {
    "A": 62, "B": 2, "C": 6, "D": 2, "E": 1, "F": 1, "G": 1, "H": 3, "J": 3, "K": 1,
    "L": 1, "M": 4, "N": 5, "P": 2, "R": 1, "S": 2, "Z": 2, "99": 1,
}
BLACK_CATEGORIES = {"M", "N", "P", "D", "E"}

RELIGIONS = [(c.Religion.CHRISTIAN, 40), (c.Religion.NONE, 35), (c.Religion.MUSLIM, 8),
             (c.Religion.HINDU, 2), (c.Religion.SIKH, 1), (c.Religion.JEWISH, 1),
             (c.Religion.BUDDHIST, 1), (c.Religion.OTHER, 1), (c.NOT_KNOWN, 8),
             (c.PREFERS_NOT_TO_SAY, 3)]
ORIENTATIONS = [(c.SexualOrientation.HETEROSEXUAL, 78), (c.SexualOrientation.GAY_LESBIAN, 4),
                (c.SexualOrientation.BISEXUAL, 4), (c.SexualOrientation.OTHER, 1),
                (c.NOT_KNOWN, 9), (c.PREFERS_NOT_TO_SAY, 4)]
DISORDERS: dict[str, list[tuple[str, int]]] = {
    ServiceType.ADULT_ACUTE: [
        ("F20-F29", 45), ("F30-F39", 30), ("F60-F69", 12), ("F10-F19", 8), ("F40-F48", 5)
    ],
    ServiceType.PICU: [("F20-F29", 60), ("F30-F39", 25), ("F10-F19", 10), ("F60-F69", 5)],
    ServiceType.OLDER_ADULT: [("F00-F09", 60), ("F30-F39", 25), ("F20-F29", 15)],
    ServiceType.LEARNING_DISABILITY_AUTISM: [("F70-F79", 55), ("F80-F89", 45)],
    ServiceType.FORENSIC: [("F20-F29", 65), ("F60-F69", 25), ("F30-F39", 10)],
    ServiceType.CAMHS: [("F50-F59", 30), ("F30-F39", 30), ("F90-F98", 20), ("F40-F48", 20)],
}
LEGAL_STATUS: dict[str, list[tuple[str, int]]] = {
    ServiceType.ADULT_ACUTE: [("03", 45), ("02", 30), ("01", 20), ("20", 5)],
    ServiceType.PICU: [("03", 70), ("02", 25), ("09", 5)],
    ServiceType.OLDER_ADULT: [("02", 40), ("03", 35), ("01", 25)],
    ServiceType.LEARNING_DISABILITY_AUTISM: [("03", 70), ("09", 20), ("01", 10)],
    ServiceType.FORENSIC: [("09", 60), ("10", 15), ("15", 15), ("03", 10)],
    ServiceType.CAMHS: [("03", 50), ("02", 30), ("01", 20)],
}


def weighted(rng: random.Random, options: list[tuple[str, int]] | dict[str, int]) -> str:
    pairs = list(options.items()) if isinstance(options, dict) else options
    values, weights = zip(*pairs, strict=True)
    return str(rng.choices(values, weights=weights)[0])


def test_nhs_number(rng: random.Random) -> str:
    """A valid-looking NHS number from the 999 range reserved for testing."""
    while True:
        digits = [9, 9, 9] + [rng.randrange(10) for _ in range(6)]
        total = sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits + [check]))


def make_patient(rng: random.Random, organisation: Organisation, plan: WardPlan, number: int,
                 today: dt.date) -> Patient:
    sex = "male" if rng.random() < plan.share_male else "female"
    ethnicity = weighted(rng, ETHNICITY_WEIGHTS)
    if plan.service_type in {ServiceType.ADULT_ACUTE, ServiceType.PICU} and rng.random() < 0.12:
        ethnicity = rng.choice(sorted(BLACK_CATEGORIES))
    age = rng.randint(*plan.age_range)
    born = today - dt.timedelta(days=age * 365 + rng.randrange(365))
    pregnant = c.Pregnancy.NOT_APPLICABLE if sex == "male" else weighted(
        rng, [(c.Pregnancy.NEITHER, 90), (c.Pregnancy.PREGNANT, 2), (c.NOT_KNOWN, 8)])
    ld_by_service: dict[str, str] = {
        ServiceType.LEARNING_DISABILITY_AUTISM: weighted(
            rng, [("learning_disability", 40), ("autism", 25), ("both", 35)]),
    }
    ld = ld_by_service.get(plan.service_type, weighted(rng, [("neither", 85), ("autism", 6),
                                                           ("learning_disability", 3),
                                                           (c.NOT_KNOWN, 6)]))
    return Patient(
        organisation=organisation,
        local_id=f"NG{number:05d}",
        nhs_number=test_nhs_number(rng) if rng.random() < 0.95 else "",
        given_name=rng.choice(FIRST_NAMES[sex]),
        family_name=rng.choice(LAST_NAMES),
        date_of_birth=born,
        sex=sex if rng.random() < 0.98 else c.NOT_KNOWN,
        gender_same_as_birth=weighted(rng, [("yes", 88), ("no", 2), (c.NOT_KNOWN, 8),
                                            (c.PREFERS_NOT_TO_SAY, 2)]),
        sexual_orientation=weighted(rng, ORIENTATIONS),
        religion=weighted(rng, RELIGIONS),
        ethnic_category=ethnicity,
        disability=weighted(rng, [("yes", 30), ("no", 55), (c.NOT_KNOWN, 12),
                                  (c.PREFERS_NOT_TO_SAY, 3)]),
        pregnancy=pregnant,
        marital_status=weighted(rng, [("single", 60), ("married", 15), ("separated", 10),
                                      ("widowed", 5), (c.NOT_KNOWN, 10)]),
        mental_disorder=weighted(rng, DISORDERS[plan.service_type]),
        learning_disability_autism=ld,
        legal_status=weighted(rng, LEGAL_STATUS[plan.service_type]),
    )


@dataclass
class DemoContext:
    """What the generator built, handed to later steps (incidents, plans...)."""

    rng: random.Random
    organisation: Organisation
    wards: dict[str, Ward]
    today: dt.date
    start: dt.date
    actor: Actor


# Each capability's demo step, in order (each takes the context and may use what the steps
# before it made). Named by path and imported when run, since they import DemoContext from here.
DEMO_STEPS: tuple[str, ...] = (
    "rrp.incidents.demo.seed_incidents",
    "rrp.careplans.demo.seed_care_plans",  # after the incidents its plans answer to
    "rrp.standards.demo.seed_compliance",
    "rrp.workforce.demo.seed_workforce",  # draws nothing from the generator the next step uses
    "rrp.trainers.demo.seed_trainers",  # trainers from the register above; draws nothing
    "rrp.analytics.demo.seed_analytics",  # last: summarises everything above
)


def _admissions(ctx: DemoContext, plan: WardPlan, ward: Ward, counter: list[int]) -> None:
    """Fill each bed with back-to-back stays (with short gaps) from before the history starts."""
    rng = ctx.rng
    patients: list[Patient] = []
    stays: list[tuple[int, dt.date, dt.date | None]] = []
    for _bed in range(ward.beds):
        day = ctx.start - dt.timedelta(days=rng.randrange(plan.mean_stay_days))
        while day <= ctx.today:
            length = max(2, int(rng.expovariate(1 / plan.mean_stay_days)))
            end: dt.date | None = day + dt.timedelta(days=length)
            assert end is not None
            if end > ctx.today:
                end = None
            counter[0] += 1
            patients.append(make_patient(rng, ctx.organisation, plan, counter[0], ctx.today))
            stays.append((len(patients) - 1, day, end))
            if end is None:
                break
            day = end + dt.timedelta(days=rng.choice([0, 0, 1, 2, 3]))
    created = Patient.objects.bulk_create(patients)
    Admission.objects.bulk_create(
        Admission(organisation=ctx.organisation, patient=created[i], ward=ward,
                  admitted_on=start, discharged_on=end, spell_id=f"SP{created[i].local_id}")
        for i, start, end in stays
    )


def history_start(today: dt.date, months: int) -> dt.date:
    """The first day of the month `months` months before `today`'s month."""
    index = today.year * 12 + today.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


@transaction.atomic
def seed_demo(seed: int = 2026, today: dt.date | None = None, *,
              history_months: int = 12 * YEARS_OF_HISTORY, bed_share: float = 1.0) -> Organisation:
    """Create the demo provider with its wards, people, patients and ward stays, then run
    every capability's demo step. `history_months` and `bed_share` (each ward's beds, at least
    two) make a smaller demo for tests that build it many times: the same code runs, over
    fewer months and people."""
    from rrp.patients.services import bed_days_compute_from_admissions

    rng = random.Random(seed)
    today = today or timezone.localdate()
    actor = Actor(user=None, via="cli")
    organisation = org_services.organisation_create(
        actor=actor, ods_code=DEMO_ODS_CODE, name=DEMO_NAME, sector="nhs"
    )
    sites = {}
    wards: dict[str, Ward] = {}
    for plan in WARDS:
        if plan.site not in sites:
            sites[plan.site] = org_services.site_create(actor=actor, organisation=organisation,
                                                        name=plan.site)
        wards[plan.code] = org_services.ward_create(
            actor=actor, organisation=organisation, code=plan.code, name=plan.name,
            beds=max(2, round(plan.beds * bed_share)), service_type=plan.service_type,
            site=sites[plan.site],
        )
    for account in DEMO_ACCOUNTS:
        home = wards["OAK"] if account["role"] in {"ward_staff", "ward_manager"} else None
        org_services.user_add(
            actor=actor, username=account["username"], organisation=organisation,
            role=account["role"], password=DEMO_PASSWORD, full_name=account["full_name"],
            job_title=account["job_title"], home_ward=home,
        )
    start = history_start(today, history_months)
    ctx = DemoContext(rng=rng, organisation=organisation, wards=wards, today=today, start=start,
                      actor=actor)
    counter = [0]
    for plan in WARDS:
        _admissions(ctx, plan, wards[plan.code], counter)
    bed_days_compute_from_admissions(
        actor=actor, organisation=organisation, first_month=start, last_month=today,
        today=today,
    )
    for path in DEMO_STEPS:
        step: Callable[[DemoContext], None] = import_string(path)
        step(ctx)
    return organisation

