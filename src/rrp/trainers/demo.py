"""Synthetic trainers for the demo provider (standard 3.5), on the staff register the workforce
step made.

- Three internal trainers: the demo's trainer account (Sam Patel, lead trainer), put on the
  register and linked to the account, and two senior nurses from the register who teach as
  associate trainers. Each has a portfolio (registration, clinical experience, a teaching
  qualification, CPD and reflections, annual updates, co-delivery with an expert by
  experience), a yearly portfolio review by the restrictive practice lead and yearly
  competency monitoring.
- Sam's review is due in three weeks (his home page says so); one associate trainer's review is
  overdue (13 months ago, and their annual update lapsed); the other's is in date, with actions
  agreed. One duplicate entry was marked entered in error.
- One external training provider (the one the training needs analysis was agreed with): RRN
  certified, the trust registered as an affiliate, evidence of its trainers, a competency
  framework, and indemnity insurance clarified but running out in seven weeks (the lead's home
  page warns); one of its trainers, with their portfolio as the provider evidenced it.

Everything goes through the services with `now=` the day it stands for, and is drawn from a
generator seeded from the demo's own without drawing from it, so later steps are unchanged.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from rrp.audit.services import Actor
from rrp.demo.generator import DemoContext
from rrp.organisations.models import Membership, Role
from rrp.trainers import services
from rrp.trainers.inputs import (
    CompetencyCheckInput,
    PortfolioEntryInput,
    ProviderInput,
    ReviewInput,
    TrainerInput,
)
from rrp.trainers.models import EntryKind, Trainer
from rrp.workforce import services as workforce_services
from rrp.workforce.inputs import StaffInput
from rrp.workforce.models import StaffMember
from rrp.workforce.status import add_months

LOCAL = ZoneInfo("Europe/London")

# This step's own stream, reproducible from the demo's seed, taking nothing from the demo's
# generator (see rrp.workforce.demo).
SALT = 0x74726E72  # "trnr"

# The records reach back about two years, as the training records do; the trainers and the
# provider were added to RRP then (older evidence is recorded on that day).
HISTORY_DAYS = 760
PROVIDER = "Northgate Positive Behaviour Training"
# The lead trainer's staff number: the first free one from here (the workforce step numbers
# ward staff from 30100001 and the past incidents' teams from 30900001).
LEAD_TRAINER_NUMBER = 30800001
SENIOR_TITLES = ("Charge nurse", "Deputy ward manager", "Ward manager")


@dataclass(frozen=True)
class Plan:
    """How one trainer's records run back from the demo's today."""

    last_review_days_ago: int
    last_update_days_ago: int
    last_check_days_ago: int
    outcome: str = "satisfactory"


# Sam: due in three weeks. The first associate: overdue. The second: in date, actions agreed.
PLANS = (
    Plan(last_review_days_ago=344, last_update_days_ago=150, last_check_days_ago=90),
    Plan(last_review_days_ago=398, last_update_days_ago=410, last_check_days_ago=300),
    Plan(last_review_days_ago=120, last_update_days_ago=60, last_check_days_ago=45,
         outcome="actions_agreed"),
)
EXTERNAL_PLAN = Plan(last_review_days_ago=200, last_update_days_ago=230, last_check_days_ago=75)

CPD = [
    ("NICE NG10 and the Mental Health Units (Use of Force) Act guidance",
     "Read the statutory guidance and NICE NG10 with the team; reflection on what it changes in "
     "how holds are taught: the least restrictive option first, and for the shortest time."),
    ("RRN webinar: reducing prone restraint",
     "Attended the Restraint Reduction Network webinar. Reflection: added the evidence on "
     "positional asphyxia to the physical skills handout."),
    ("Trauma-informed care study day",
     "Attended the trust's study day. Reflection: de-escalation scenarios now start from what "
     "the person may have been through, not from the behaviour."),
    ("Reflection on a debrief after a use of force on the ward",
     "Joined a post-incident debrief as an observer; reflected on how the scenario taught "
     "matched what staff did, and changed one scenario to rehearse a safer exit."),
]


def _rng(ctx: DemoContext) -> random.Random:
    copy = random.Random()
    copy.setstate(ctx.rng.getstate())
    return random.Random(copy.getrandbits(64) ^ SALT)


def _at(day: dt.date, hour: int = 16) -> dt.datetime:
    """The afternoon of the day, or now if that is still to come today."""
    return min(dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LOCAL), timezone.now())


def _yearly(last: dt.date, first: dt.date, rng: random.Random) -> list[dt.date]:
    """`last` and a day about every 12 months before it, back to `first`, oldest first."""
    days = []
    day = last
    while day >= first:
        days.append(day)
        day = add_months(day, -12) - dt.timedelta(days=rng.randint(-10, 20))
    return sorted(days)


def _associates(ctx: DemoContext, rng: random.Random, count: int) -> list[StaffMember]:
    """Senior registered nurses of some years' standing, still on the register."""
    long_ago = ctx.today - dt.timedelta(days=3 * 365)
    candidates = list(
        StaffMember.objects.for_organisation(ctx.organisation)
        .filter(qualified=True, employment="permanent", leaving_date__isnull=True,
                start_date__lte=long_ago, job_title__in=SENIOR_TITLES, user__isnull=True)
        .order_by("staff_number")
    )
    return rng.sample(candidates, min(count, len(candidates)))


def _lead_trainer(ctx: DemoContext, actor: Actor, user: Any) -> StaffMember:
    """The demo's trainer account on the register (no ward: they teach on every ward), so
    their own review shows on their home page."""
    existing = StaffMember.objects.for_organisation(ctx.organisation).filter(user=user).first()
    if existing is not None:
        return existing
    taken = set(StaffMember.objects.for_organisation(ctx.organisation)
                .values_list("staff_number", flat=True))
    number = LEAD_TRAINER_NUMBER
    while str(number) in taken:
        number += 1
    return workforce_services.staff_member_create(
        actor=actor, organisation=ctx.organisation,
        data=StaffInput(
            staff_number=str(number),
            name=user.get_full_name() or "Sam Patel",
            job_title="Lead trainer, reducing restrictive practice", grade="Band 7",
            qualified=True, employment="permanent",
            start_date=ctx.today - dt.timedelta(days=9 * 365 + 40),
            user_id=user.pk,
        ),
    )


def _portfolio(
    ctx: DemoContext, rng: random.Random, actor: Actor, trainer: Trainer, plan: Plan,
    since: dt.date,
) -> None:
    added = ctx.today - dt.timedelta(days=HISTORY_DAYS)

    def add(kind: str, day: dt.date, title: str, evidence: str) -> None:
        services.portfolio_entry_add(
            actor=actor, trainer=trainer, now=_at(max(day, added)),
            data=PortfolioEntryInput(kind=kind, dated_on=day, title=title, evidence=evidence),
        )

    registered = since - dt.timedelta(days=rng.randint(6, 14) * 365)
    add(EntryKind.QUALIFICATION, registered, "Registered mental health nurse (NMC)",
        "NMC registration checked on the register; revalidated every three years.")
    add(EntryKind.CLINICAL_EXPERIENCE, since - dt.timedelta(days=30),
        "Clinical experience on acute and intensive care wards",
        f"{rng.randint(6, 14)} years on adult acute and psychiatric intensive care wards, "
        "including nurse in charge; still works clinical shifts each month.")
    add(EntryKind.TEACHING_QUALIFICATION, since - dt.timedelta(days=rng.randint(20, 90)),
        rng.choice(["Level 3 Award in Education and Training",
                    "Postgraduate certificate in clinical education"]),
        "Certificate seen and copied to the portfolio.")
    first = ctx.today - dt.timedelta(days=HISTORY_DAYS)
    updates = _yearly(ctx.today - dt.timedelta(days=plan.last_update_days_ago), first, rng)
    for day in updates:
        add(EntryKind.ANNUAL_UPDATE, day, f"RRN trainer annual update {day.year}",
            "Two-day trainer update with the certified provider: changes to the curriculum, "
            "skills reassessed and passed.")
    for index, (title, text) in enumerate(rng.sample(CPD, 3)):
        add(EntryKind.CPD, ctx.today - dt.timedelta(days=40 + 170 * index + rng.randint(0, 30)),
            title, text)
    add(EntryKind.LIVED_EXPERIENCE, ctx.today - dt.timedelta(days=rng.randint(60, 200)),
        "Co-delivered the prevention course with an expert by experience",
        "Planned and taught the de-escalation day with an expert by experience from the "
        "trust's involvement team; their feedback on the scenarios is in the portfolio.")


def _reviews(
    ctx: DemoContext, rng: random.Random, reviewer: Actor, reviewer_name: str, observer: str,
    trainer: Trainer, plan: Plan,
) -> None:
    first = ctx.today - dt.timedelta(days=HISTORY_DAYS)
    days = _yearly(ctx.today - dt.timedelta(days=plan.last_review_days_ago), first, rng)
    for day in days:
        latest = day == days[-1]
        outcome = plan.outcome if latest else "satisfactory"
        services.portfolio_review_record(
            actor=reviewer, trainer=trainer, now=_at(day),
            data=ReviewInput(
                reviewed_on=day, reviewer_name=reviewer_name, outcome=outcome,
                actions="Complete the positive behaviour support module and co-deliver one "
                        "more course with an expert by experience by the next review"
                if outcome == "actions_agreed" else "",
                notes="Portfolio complete: annual update, CPD and reflections in date.",
            ),
        )
    checks = _yearly(ctx.today - dt.timedelta(days=plan.last_check_days_ago), first, rng)
    for day in checks:
        services.competency_check_record(
            actor=reviewer, trainer=trainer, now=_at(day),
            data=CompetencyCheckInput(
                observed_on=day, observed_teaching=f"Physical skills class of {day:%d/%m/%Y}",
                observer_name=observer, outcome="meets",
            ),
        )


def seed_trainers(ctx: DemoContext) -> None:
    """Add the trainers, their portfolios, reviews and monitoring, and the external provider."""
    rng = _rng(ctx)
    account = (
        Membership.objects.filter(organisation=ctx.organisation, role=Role.TRAINER)
        .select_related("user").order_by("pk").first()
    )
    lead = (
        Membership.objects.filter(organisation=ctx.organisation, role=Role.RRP_LEAD)
        .select_related("user").order_by("pk").first()
    )
    actor = Actor(user=account.user, via="web") if account else ctx.actor
    people: list[StaffMember] = []
    if account is not None:
        people.append(_lead_trainer(ctx, actor, account.user))
    people += _associates(ctx, rng, 3 - len(people))
    created = ctx.today - dt.timedelta(days=HISTORY_DAYS)

    insured = ProviderInput(
        name=PROVIDER, certifying_body="BILD ACT", certificate_number="BILD-ACT-CP-2291",
        certificate_valid_until=ctx.today + dt.timedelta(days=410),
        affiliate_registered_on=created - dt.timedelta(days=300),
        affiliate_reference="AFF-R1-0931",
        indemnity_clarified_on=created - dt.timedelta(days=14),
        indemnity_valid_until=created + dt.timedelta(days=400),
        indemnity_evidence="Public and professional liability insurance certificate seen; the "
                           "contract says who is liable for injuries during training.",
        trainer_evidence="CVs, NMC registrations and teaching qualifications of its trainers, "
                         "and their clinical hours in the last year.",
        competency_framework="Senior trainers observe every trainer yearly against the "
                             "provider's trainer competency framework; BILD ACT observes a "
                             "sample of senior trainers.",
    )
    provider = services.provider_create(actor=actor, organisation=ctx.organisation,
                                        now=_at(created), data=insured)
    # Renewed last year; the renewal runs out in seven weeks, so the lead's home page warns.
    renewed_on = ctx.today - dt.timedelta(days=315)
    services.provider_update(
        actor=actor, provider=provider, now=_at(renewed_on),
        data=replace(insured, indemnity_clarified_on=renewed_on,
                     indemnity_valid_until=ctx.today + dt.timedelta(days=50)),
    )
    trainers: list[tuple[Trainer, Plan]] = []
    for index, member in enumerate(people):
        since = ctx.today - dt.timedelta(days=rng.randint(3, 8) * 365)
        trainer = services.trainer_create(
            actor=actor, organisation=ctx.organisation, now=_at(created),
            data=TrainerInput(
                staff_id=member.pk, teaching_since=since,
                code_of_conduct_accepted_on=since,
                clinical_credibility=f"Registered mental health nurse; {member.job_title.lower()}"
                                     " with years on acute and intensive care wards",
                teaching_qualification="See the teaching qualification in the portfolio",
            ),
        )
        _portfolio(ctx, rng, actor, trainer, PLANS[index], since)
        trainers.append((trainer, PLANS[index]))
    external = services.trainer_create(
        actor=actor, organisation=ctx.organisation, now=_at(created),
        data=TrainerInput(
            provider_id=provider.pk, name="Ruth Okoye", role="Head of training, senior trainer",
            teaching_since=created - dt.timedelta(days=5 * 365),
            code_of_conduct_accepted_on=created,
            clinical_credibility="Registered learning disability nurse; 15 years in secure and "
                                 "learning disability services (the provider's evidence)",
            teaching_qualification="Postgraduate certificate in education; BILD ACT certified "
                                   "senior trainer",
        ),
    )
    _portfolio(ctx, rng, actor, external, EXTERNAL_PLAN, created - dt.timedelta(days=5 * 365))
    trainers.append((external, EXTERNAL_PLAN))

    # A duplicate annual update typed twice, marked entered in error (never deleted).
    last, _plan = trainers[-2] if len(trainers) > 1 else trainers[-1]
    update = last.entries.filter(kind=EntryKind.ANNUAL_UPDATE).order_by("-dated_on").first()
    if update is not None:
        duplicate = services.portfolio_entry_add(
            actor=actor, trainer=last, now=_at(update.dated_on),
            data=PortfolioEntryInput(kind=update.kind, dated_on=update.dated_on,
                                     title=update.title, evidence=update.evidence),
        )
        services.portfolio_entry_mark_entered_in_error(
            actor=actor, entry=duplicate, reason="Entered twice: the same update",
            now=_at(update.dated_on, 17),
        )

    if lead is None:
        return  # nobody who may review: the portfolios stand unreviewed
    reviewer = Actor(user=lead.user, via="web")
    name = lead.user.get_full_name() or lead.user.get_username()
    for trainer, plan in trainers:
        reviewer_name = (f"{name}, executive lead for reducing restrictive practice"
                         if trainer.is_internal else f"Quality lead, {PROVIDER}")
        observer = f"Senior trainer, {PROVIDER}" if trainer.is_internal else \
            f"{name}, executive lead (joint observation)"
        _reviews(ctx, rng, reviewer, reviewer_name, observer, trainer, plan)
