"""Demo compliance data: a provider part-way through its restrictive practice programme.

Last year's self-assessment is signed off; this year's started as a copy of it and is in
progress, with about half the statements looked at again (most of those improved). There is
evidence (files, links and RRP records), an action plan with some actions done and some
overdue, and a peer review of this year's cycle by a lead from a second synthetic provider,
Eastfield, who has challenged four ratings (two answered so far).

Everything goes through the services with `now=` set in the past, so histories read as if
the work happened over the year. All names and text are synthetic.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve
from django.utils import timezone

from rrp.audit.services import Actor
from rrp.demo.accounts import DEMO_PASSWORD
from rrp.organisations import services as org_services
from rrp.organisations.models import Organisation
from rrp.standards import services
from rrp.standards.models import (
    ActionStatus,
    AssessmentCycle,
    ComplianceStatement,
    Evidence,
    Rating,
    StatementAssessment,
    Verdict,
)
from rrp.standards.selectors import latest_edition

if TYPE_CHECKING:
    from rrp.demo.generator import DemoContext

PEER_ODS_CODE = "ZZ8"
PEER_ORGANISATION = "Eastfield Community Health NHS Trust (demo)"
PEER_USERNAME = "peer"
PEER_FULL_NAME = "Nadia Rahman"
PEER_JOB_TITLE = "Head of positive and safe care"

# Statements a trust with its own RRN-certified training team does not meet as written.
NOT_APPLICABLE = {
    "3.5.X": (
        "We use no external training provider: all restrictive intervention training is "
        "delivered by our own RRN-certified training team.",
        "Our trainers' experience, qualifications and clinical credibility are checked at "
        "appointment and in the annual portfolio review (see 3.5.I and 3.5.XIII).",
    ),
    "3.5.XI": (
        "We commission no external training provider, so there is no provider's indemnity to "
        "clarify.",
        "Our in-house trainers are covered by the trust's own indemnity through NHS "
        "Resolution; the workforce lead confirms this each year.",
    ),
    "3.5.XII": (
        "We do not run or buy a commercial 'train the trainer' programme.",
        "New trainers qualify through an RRN-certified programme and are observed twice by "
        "a senior trainer before teaching alone.",
    ),
}

# What the lead wrote for the statements the board asks about most.
NARRATIVES: dict[str, tuple[str, str]] = {
    "1.1.I": (
        Rating.MET,
        "The board approved the Reducing Restrictive Practice strategy "
        "2024-2027 in March 2024. It is built on the ward risk assessments and names the "
        "Six Core Strategies. Progress is reported to the board each quarter.",
    ),
    "1.4.1.I": (
        Rating.MET,
        "The Director of Nursing is the executive lead and a "
        "non-executive director is the named non-executive lead; both are in the "
        "strategy and the board's terms of reference.",
    ),
    "1.5.I": (
        Rating.MET,
        "Every use of force is recorded in RRP on the day. The weekly "
        "check of drafts by ward managers keeps unsubmitted records below 2%.",
    ),
    "1.5.II": (
        Rating.PARTIALLY_MET,
        "Trends by ward, type and time of day are on the "
        "restrictive practice dashboard. Ward managers review most records within a "
        "week, but Riverside Centre wards have a backlog.",
    ),
    "1.5.III": (
        Rating.PARTIALLY_MET,
        "Demographics come from the patient record. Sexual "
        "orientation and religion are often not asked on admission, so the "
        "equality analysis has gaps.",
    ),
    "1.6.III": (
        Rating.PARTIALLY_MET,
        "Support for the person is usually offered within a "
        "day. Staff debriefs are less consistent at night. The reflection and "
        "learning review template was relaunched in June.",
    ),
    "2.2.V": (
        Rating.PARTIALLY_MET,
        "Care plans are reviewed after most incidents, but the "
        "audit found reviews more than a week late on two wards.",
    ),
    "2.3.XVIII": (
        Rating.PARTIALLY_MET,
        "Changes in risk are discussed at handover; the care "
        "plan is not always updated the same day.",
    ),
    "2.5.2.XI": (
        Rating.PARTIALLY_MET,
        "Doctors attend within the hour on weekdays. Out of "
        "hours the on-call doctor is often later; the reason is now recorded in "
        "RRP, as the standard asks.",
    ),
    "2.5.2.XII": (
        Rating.MET,
        "Mechanical restraint is used rarely and only on Elm Ward "
        "(forensic), with medical reviews at least every four hours.",
    ),
    "2.5.2.XIV": (
        Rating.MET,
        "Observations after restraint are recorded in RRP; where they "
        "cannot be taken the reason and what was done instead are recorded.",
    ),
    "1.15.III": (
        Rating.PARTIALLY_MET,
        "We took part in a regional peer review network last "
        "year. This year Eastfield Community Health has agreed to review our "
        "self-assessment.",
    ),
    "1.2.I": (
        Rating.NOT_MET,
        "People who use our services have not yet been involved in "
        "writing the strategy. A lived-experience panel is being recruited with the "
        "local advocacy service.",
    ),
}

WEAKER_LAST_YEAR: dict[str, str] = {
    "1.5.I": Rating.PARTIALLY_MET,
    "2.5.2.XIV": Rating.PARTIALLY_MET,
    "1.15.III": Rating.NOT_MET,
}
COMMITTEES = (
    "Quality and Safety Committee",
    "Reducing Restrictive Practice group",
    "Mental Health Law Committee",
    "People Committee",
)
MET_TEXT = (
    "In place across all six wards. Confirmed at the {committee} in {month}, with the "
    "{title_lower} arrangements audited on a sample of wards and no gaps found.",
    "In place and working: described in the restrictive interventions policy and checked "
    "in the quarterly restrictive practice audit ({month}).",
    "Met. The {title_lower} arrangements are owned by a named lead and reported to the "
    "{committee} twice a year.",
)
PARTIAL_TEXT = (
    "In place on Northgate Hospital wards; Riverside Centre wards are still adopting it. "
    "Roll-out is due to finish by the end of the year.",
    "The policy is approved but the {month} audit found it applied inconsistently: about "
    "{pct}% of the records sampled met it. An action is open.",
    "Partly in place. The {committee} agreed the approach in {month}; training and "
    "monitoring are still being set up.",
)
NOT_MET_TEXT = (
    "Not yet in place. The Reducing Restrictive Practice group has agreed an approach, to "
    "start next quarter.",
    "No reliable arrangement yet: this depends on the new {title_lower} work in the "
    "strategy's second year.",
)
SECTION_WEIGHTS: dict[str, list[tuple[str, int]]] = {
    "1": [(Rating.MET, 45), (Rating.PARTIALLY_MET, 38), (Rating.NOT_MET, 17)],
    "2": [(Rating.MET, 35), (Rating.PARTIALLY_MET, 45), (Rating.NOT_MET, 20)],
    "3": [(Rating.MET, 58), (Rating.PARTIALLY_MET, 30), (Rating.NOT_MET, 12)],
}
ACTIONS = {
    "1.2.I": "Recruit a lived-experience panel of four people with the advocacy service and "
    "hold the first strategy workshop with them.",
    "1.5.II": "Clear the review backlog on Riverside Centre wards and agree a seven-day review "
    "standard with ward managers.",
    "1.5.III": "Add sexual orientation and religion to the admission checklist and re-audit "
    "completeness after three months.",
    "1.6.III": "Add staff debrief to the night coordinator's checklist; report completion "
    "monthly to the RRP group.",
    "2.2.V": "Set a care plan review within 72 hours of any use of force as the ward standard "
    "and show overdue reviews on the ward dashboard.",
    "2.5.2.XI": "Agree an out-of-hours medical response standard with the medical director "
    "and audit it quarterly.",
    "1.15.III": "Invite a peer reviewer from another provider to review this year's "
    "self-assessment.",
}


def _pick(rng: random.Random, weights: list[tuple[str, int]]) -> str:
    values, counts = zip(*weights, strict=True)
    return rng.choices(values, weights=counts)[0]


def _narrative(rng: random.Random, statement: ComplianceStatement, rating: str, month: str) -> str:
    bank = {Rating.MET: MET_TEXT, Rating.PARTIALLY_MET: PARTIAL_TEXT, Rating.NOT_MET: NOT_MET_TEXT}[
        Rating(rating)
    ]
    return rng.choice(bank).format(
        committee=rng.choice(COMMITTEES),
        month=month,
        pct=rng.choice([55, 60, 65, 70, 75]),
        title_lower=(statement.title or "training").lower(),
    )


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    html = (
        f"<html><body style='font-family: Liberation Sans, sans-serif'><h1>{title}</h1>"
        f"<p><em>Synthetic document for the RRP demo.</em></p>{body}</body></html>"
    )
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _first_page(*paths: str) -> str:
    """The first address that is a page of this RRP (capabilities arrive at different times)."""
    for path in paths:
        try:
            resolve(path)
        except Resolver404:
            continue
        return path
    return "/compliance/"


def _peer_reviewer(actor: Actor) -> Any:
    organisation = Organisation.objects.filter(ods_code=PEER_ODS_CODE).first()
    if organisation is None:
        organisation = org_services.organisation_create(
            actor=actor, ods_code=PEER_ODS_CODE, name=PEER_ORGANISATION, sector="nhs"
        )
    return org_services.user_add(
        actor=actor,
        username=PEER_USERNAME,
        organisation=organisation,
        role="rrp_lead",
        password=DEMO_PASSWORD,
        full_name=PEER_FULL_NAME,
        job_title=PEER_JOB_TITLE,
    )


def seed_compliance(ctx: DemoContext) -> None:
    edition = latest_edition()
    if edition is None:
        return
    rng = random.Random(f"compliance-{ctx.organisation.ods_code}")
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["lead", "manager", "trainer", "admin", "board"]
        )
    }
    lead = users["lead"]
    as_lead = Actor(user=lead, via="cli")
    reviewer = _peer_reviewer(ctx.actor)
    as_reviewer = Actor(user=reviewer, via="cli")
    owners_by_section = {
        "1": [lead, users["admin"], users["board"]],
        "2": [users["manager"], lead],
        "3": [users["trainer"]],
    }

    today = ctx.today
    year = today.year if today.month >= 4 else today.year - 1
    this_start = dt.date(year, 4, 1)
    last_start = dt.date(year - 1, 4, 1)
    org = ctx.organisation

    # Last year's cycle is signed off about seven weeks into this year; this year's cycle
    # starts about four months in. Early in a year both move back so nothing is in the future.
    signed = _at(min(this_start + dt.timedelta(days=48), today - dt.timedelta(days=35)), 16)
    submitted = signed - dt.timedelta(days=28)
    planned = min(_at(last_start + dt.timedelta(days=300)), submitted - dt.timedelta(days=40))

    # -- last year's cycle ---------------------------------------------------------------------
    previous = services.cycle_create(
        actor=as_lead,
        organisation=org,
        name=f"{year - 1}/{str(year)[2:]} annual",
        period_start=last_start,
        period_end=this_start - dt.timedelta(days=1),
        now=planned,
    )
    services.cycle_start(actor=as_lead, cycle=previous, now=planned + dt.timedelta(days=1))
    evidence = _evidence(ctx, as_lead, users, planned + dt.timedelta(days=2))
    rated_at = planned + dt.timedelta(days=20)
    month = f"{(last_start + dt.timedelta(days=270)):%B %Y}"
    rating: str
    narrative: str
    for assessment in _assessments(previous):
        statement = assessment.statement
        owner = rng.choice(owners_by_section[statement.section])
        if statement.ref in NOT_APPLICABLE:
            rationale, arrangements = NOT_APPLICABLE[statement.ref]
            services.assessment_update(
                actor=as_lead,
                assessment=assessment,
                rating=Rating.NOT_APPLICABLE,
                narrative="",
                owner=owner,
                na_rationale=rationale,
                na_arrangements=arrangements,
                now=rated_at,
            )
            continue
        if statement.ref in WEAKER_LAST_YEAR:
            # The programme has worked on these since: a year ago they were weaker.
            rating = WEAKER_LAST_YEAR[statement.ref]
            narrative = _narrative(rng, statement, rating, month)
        elif statement.ref in NARRATIVES:
            rating, narrative = NARRATIVES[statement.ref]
        else:
            rating = _pick(rng, SECTION_WEIGHTS[statement.section])
            narrative = _narrative(rng, statement, rating, month)
        services.assessment_update(
            actor=as_lead,
            assessment=assessment,
            rating=rating,
            narrative=narrative,
            owner=owner,
            now=rated_at,
        )
    _attach(as_lead, previous, evidence, rated_at + dt.timedelta(hours=2))
    actions_at = rated_at + dt.timedelta(days=3)
    raised = _raise_actions(rng, as_lead, previous, users, actions_at)
    services.cycle_submit_for_review(actor=as_lead, cycle=previous, now=submitted)
    services.cycle_sign_off(
        actor=as_lead,
        cycle=previous,
        now=signed,
        statement=(
            "I am assured this self-assessment is a fair account of our compliance with the "
            "National Minimum Standards. The board should note the gaps in involving people "
            "who use our services (1.2) and in out-of-hours medical review after restraint "
            "(2.5.2.XI); the action plan addresses both."
        ),
    )
    _progress(rng, raised, users, lead, this_start, today)

    # -- this year's cycle: a copy, part-way through being looked at again --------------------
    started = max(
        _at(min(this_start + dt.timedelta(days=120), today - dt.timedelta(days=30))),
        signed + dt.timedelta(days=1),
    )
    current = services.cycle_create(
        actor=as_lead,
        organisation=org,
        name=f"{year}/{str(year + 1)[2:]} annual",
        period_start=this_start,
        period_end=dt.date(year + 1, 3, 31),
        copy_from=previous,
        now=started,
    )
    services.cycle_start(actor=as_lead, cycle=current, now=started + dt.timedelta(hours=1))
    reviewed_at = started + dt.timedelta(days=10)
    month = f"{started:%B %Y}"
    improve: dict[str, str] = {
        Rating.NOT_MET: Rating.PARTIALLY_MET,
        Rating.PARTIALLY_MET: Rating.MET,
    }
    for assessment in _assessments(current):
        statement = assessment.statement
        if statement.ref in NOT_APPLICABLE:
            continue
        if statement.ref in NARRATIVES:
            rating, narrative = NARRATIVES[statement.ref]
        elif rng.random() < 0.5:
            continue  # not looked at yet: still carried forward
        elif rng.random() < 0.45 and assessment.rating in improve:
            rating = improve[assessment.rating]
            narrative = _narrative(rng, statement, rating, month)
        else:
            rating, narrative = (
                assessment.rating,
                assessment.narrative + (f" Reviewed in {month}: no change."),
            )
        services.assessment_update(
            actor=as_lead,
            assessment=assessment,
            rating=rating,
            narrative=narrative,
            owner=assessment.owner,
            now=reviewed_at,
        )
    new_policy = services.evidence_link_create(
        actor=as_lead,
        organisation=org,
        title="Lived-experience panel terms of reference",
        url="https://intranet.example.nhs.uk/rrp/lived-experience-panel",
        owner=lead,
        review_on=dt.date(year + 1, 6, 30),
        now=reviewed_at,
    )
    services.evidence_attach(
        actor=as_lead,
        assessment=_assessment(current, "1.2.I"),
        evidence=new_policy,
        now=reviewed_at,
    )

    # -- peer review by Eastfield -------------------------------------------------------------
    invited = reviewed_at + dt.timedelta(days=5)
    review = services.peer_review_invite(
        actor=as_lead,
        cycle=current,
        reviewer=reviewer,
        message="Thank you for agreeing to review our self-assessment. Sections 1 and 2 matter "
        "most to our board this year.",
        respond_by=(invited + dt.timedelta(days=42)).date(),
        now=invited,
    )
    agreed = [
        "1.1.I",
        "1.1.II",
        "1.3.I",
        "1.4.1.I",
        "1.4.1.II",
        "1.5.I",
        "1.6.I",
        "2.1.I",
        "2.5.2.XII",
        "2.5.2.XIV",
        "3.4.I",
    ]
    challenged = {
        "1.5.II": "Rated partially met, but the dashboard shows no analysis by seriousness or "
        "by area over time, which 1.5.II asks for. Is this nearer not met?",
        "2.5.2.XI": "Your figure counts a late review with a reason as meeting the standard. "
        "How does the board know how late out-of-hours reviews are, and whether that is safe?",
        "1.6.III": "The procedure covers staff debriefs but not carers. How is support for "
        "families arranged after an incident?",
        "3.5.X": "You rate this not applicable, but your bank staff are trained by an external "
        "provider. Does 3.5.X apply to that contract?",
    }
    responded = invited + dt.timedelta(days=7)
    for ref in agreed:
        services.peer_review_respond(
            actor=as_reviewer,
            review=review,
            assessment=_assessment(current, ref),
            verdict=Verdict.AGREE,
            comment="The evidence supports the rating.",
            now=responded,
        )
    for ref, comment in challenged.items():
        services.peer_review_respond(
            actor=as_reviewer,
            review=review,
            assessment=_assessment(current, ref),
            verdict=Verdict.CHALLENGE,
            comment=comment,
            now=responded,
        )
    services.peer_review_sign_off(
        actor=as_reviewer,
        review=review,
        now=responded + dt.timedelta(hours=3),
        conclusion="A candid self-assessment with a credible action plan. The ratings I checked "
        "are mostly well evidenced; my four challenges concern incident analysis, "
        "out-of-hours medical review, support for families and bank staff training.",
    )
    answers = {
        "1.6.III": "Carers are offered a call from the ward manager within 48 hours; we will "
        "add this to the written procedure (action raised).",
        "2.5.2.XI": "Agreed. The board receives the figure monthly from this quarter and the "
        "out-of-hours standard is an open action.",
    }
    for ref, answer in answers.items():
        response = _assessment(current, ref).peer_responses.get(peer_review=review)
        services.challenge_answer(
            actor=as_lead, response=response, answer=answer, now=responded + dt.timedelta(days=3)
        )
    # The answer to the challenge on 1.6.III promised an action: here it is.
    services.action_raise(
        actor=as_lead,
        assessment=_assessment(current, "1.6.III"),
        description="Add support for families and carers to the post-incident support procedure, "
        "as the peer reviewer asked.",
        owner=users["manager"],
        due_on=(responded + dt.timedelta(days=120)).date(),
        now=responded + dt.timedelta(days=3),
    )


def _assessments(cycle: AssessmentCycle) -> list[StatementAssessment]:
    return list(
        StatementAssessment.objects.filter(cycle=cycle)
        .select_related("statement", "cycle", "cycle__organisation", "owner")
        .order_by("statement__position")
    )


def _assessment(cycle: AssessmentCycle, ref: str) -> StatementAssessment:
    return StatementAssessment.objects.select_related("statement", "cycle").get(
        cycle=cycle, statement__ref=ref
    )


def _evidence(
    ctx: DemoContext, actor: Actor, users: dict[str, Any], now: dt.datetime
) -> dict[str, list[Evidence]]:
    """Evidence and the statements each supports."""
    org, lead, trainer = ctx.organisation, users["lead"], users["trainer"]
    year = now.year

    def upload(name: str, content: bytes, title: str, owner: Any, review_on: dt.date) -> Evidence:
        return services.evidence_upload(
            actor=actor,
            organisation=org,
            upload=io.BytesIO(content),
            filename=name,
            size=len(content),
            title=title,
            owner=owner,
            review_on=review_on,
            now=now,
        )

    strategy = upload(
        "rrp-strategy-2024-2027.pdf",
        _pdf(
            "Reducing Restrictive Practice strategy 2024-2027",
            [
                "Approved by the board. Our aim is to reduce the use of restrictive interventions "
                "by a third over three years, using the Six Core Strategies.",
                "Executive lead: Director of Nursing. Non-executive lead: a named non-executive "
                "director.",
            ],
        ),
        "Reducing Restrictive Practice strategy 2024-2027",
        lead,
        dt.date(year + 2, 3, 31),
    )
    minutes = upload(
        "board-minutes-restrictive-practice-extract.pdf",
        _pdf(
            "Board minutes (extract): restrictive practice report",
            [
                "The board received the quarterly restrictive practice report, discussed the rise "
                "in prone restraint on Ash Ward and asked for a deep dive.",
            ],
        ),
        "Board minutes: quarterly restrictive practice report",
        lead,
        dt.date(year + 1, 3, 31),
    )
    debrief = upload(
        "post-incident-support-procedure.pdf",
        _pdf(
            "Post-incident support and reflection procedure",
            [
                "Support is offered to the person within 24 hours and to staff before the end of "
                "the shift. A separate reflection and learning review follows within a week.",
            ],
        ),
        "Post-incident support and reflection procedure",
        users["manager"],
        dt.date(year + 1, 9, 30),
    )
    observations = upload(
        "post-restraint-observations-audit.pdf",
        _pdf(
            "Audit: physical observations after restraint",
            [
                "Forty records sampled across six wards: observations or the reason they could not "
                "be taken were recorded in 36.",
            ],
        ),
        "Audit of physical observations after restraint",
        users["manager"],
        # Past its review date: the demo shows evidence that needs checking again.
        (now + dt.timedelta(days=200)).date(),
    )
    training = upload(
        "training-compliance-by-ward.csv",
        (
            b"Ward,Staff,Trained in last 12 months,Percent\r\n"
            b"Oak Ward,42,39,93\r\nAsh Ward,30,29,97\r\nBirch Ward,36,30,83\r\n"
            b"Cedar Unit,28,27,96\r\nElm Ward,40,37,93\r\nWillow Ward,33,28,85\r\n"
        ),
        "Restrictive intervention training compliance by ward",
        trainer,
        dt.date(year + 1, 1, 31),
    )
    policy = services.evidence_link_create(
        actor=actor,
        organisation=org,
        title="Restrictive interventions policy (intranet)",
        url="https://intranet.example.nhs.uk/policies/restrictive-interventions",
        owner=lead,
        review_on=dt.date(year + 1, 12, 31),
        now=now,
    )
    accessible = services.evidence_link_create(
        actor=actor,
        organisation=org,
        title="Accessible Information Standard procedure",
        url="https://intranet.example.nhs.uk/policies/accessible-information",
        owner=users["manager"],
        review_on=dt.date(year + 1, 10, 31),
        now=now,
    )
    records = services.evidence_record_create(
        actor=actor,
        organisation=org,
        record_kind="report",
        title="Use of force records in RRP",
        record_path=_first_page("/uses-of-force/"),
        owner=lead,
        now=now,
    )
    dashboard = services.evidence_record_create(
        actor=actor,
        organisation=org,
        record_kind="dashboard",
        title="Restrictive practice dashboard",
        owner=lead,
        now=now,
        record_path=_first_page("/dashboards/", "/uses-of-force/duties/"),
    )
    # Policies and training records support whole subsections, as they would in practice.
    broad = {
        "1.1": policy,
        "1.4": policy,
        "1.5": records,
        "1.14": policy,
        "2.5.1": policy,
        "2.5.2": policy,
        "2.1": training,
        "3.1": training,
        "3.4.2": training,
        "2.4": accessible,
    }
    mapping: dict[str, list[Evidence]] = {
        s.ref: [broad[s.subsection]]
        for s in ComplianceStatement.objects.filter(edition=latest_edition())
        if s.subsection in broad
    }
    for ref, items in {
        "1.1.I": [strategy, policy],
        "1.1.II": [strategy],
        "1.4.1.I": [strategy, minutes],
        "1.4.1.II": [minutes],
        "1.5.VI": [minutes],
        "1.5.I": [records],
        "1.5.II": [dashboard],
        "1.4.III": [dashboard],
        "1.6.III": [debrief],
        "1.6.I": [debrief],
        "1.3.I": [training],
        "3.4.2.I": [training],
        "1.9.II": [training],
        "2.5.2.XI": [policy],
        "2.5.2.XIV": [observations],
        "2.5.2.XVII": [observations],
        "2.4.V": [accessible],
        "2.1.I": [training],
        "3.4.I": [training],
    }.items():
        mapping[ref] = [*mapping.get(ref, []), *(i for i in items if i not in mapping.get(ref, []))]
    return mapping


def _attach(
    actor: Actor, cycle: AssessmentCycle, evidence: dict[str, list[Evidence]], now: dt.datetime
) -> None:
    for ref, items in evidence.items():
        assessment = _assessment(cycle, ref)
        for item in items:
            services.evidence_attach(actor=actor, assessment=assessment, evidence=item, now=now)


def _raise_actions(
    rng: random.Random,
    actor: Actor,
    cycle: AssessmentCycle,
    users: dict[str, Any],
    now: dt.datetime,
) -> list[Any]:
    raised = []
    owners = [users["lead"], users["manager"], users["trainer"]]
    for index, (ref, description) in enumerate(ACTIONS.items()):
        assessment = _assessment(cycle, ref)
        if assessment.rating not in (Rating.PARTIALLY_MET, Rating.NOT_MET):
            continue
        due = (now + dt.timedelta(days=rng.choice([90, 120, 150, 200, 240]) + 9 * index)).date()
        raised.append(
            services.action_raise(
                actor=actor,
                assessment=assessment,
                description=description,
                owner=rng.choice(owners),
                due_on=due,
                now=now,
            )
        )
    return raised


def _progress(
    rng: random.Random,
    actions: list[Any],
    users: dict[str, Any],
    lead: Any,
    this_start: dt.date,
    today: dt.date,
) -> None:
    """Some actions done, some under way, some overdue with no news."""
    for index, action in enumerate(actions):
        when = _at(min(action.due_on - dt.timedelta(days=20), today - dt.timedelta(days=5)))
        actor = Actor(user=action.owner, via="cli")
        if index % 3 == 0:
            services.action_progress_record(
                actor=actor,
                action=action,
                status=ActionStatus.IN_PROGRESS,
                now=when,
                note="Work has started; the first meeting was held and a plan agreed.",
            )
            services.action_progress_record(
                actor=actor,
                action=action,
                status=ActionStatus.DONE,
                now=when + dt.timedelta(days=10),
                note="Done. Evidence added to the statement for next year's assessment.",
            )
        elif index % 3 == 1:
            services.action_progress_record(
                actor=actor,
                action=action,
                status=ActionStatus.IN_PROGRESS,
                now=when,
                note="Under way but slower than planned: waiting for the ward managers' "
                "meeting to agree the standard.",
            )
