"""Reads for compliance: always through the assessing organisation, or - for a peer reviewer -
through the one invitation they hold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from rrp.core.scoping import get_in_organisation
from rrp.organisations.models import Membership, Ward
from rrp.organisations.roles import PERMISSION_ROLES
from rrp.standards import rules
from rrp.standards.indicators import (
    ComputedIndicator,
    IndicatorPeriod,
    compute_for,
)
from rrp.standards.models import (
    OPEN_ACTION_STATUSES,
    ActionPlanItem,
    AssessmentCycle,
    CycleStatus,
    Evidence,
    EvidenceAttachment,
    PeerReview,
    PeerReviewResponse,
    PeerReviewStatus,
    Rating,
    StandardsEdition,
    StatementAssessment,
    Verdict,
)

User = get_user_model()


# -- editions ----------------------------------------------------------------------------------


def latest_edition() -> StandardsEdition | None:
    return StandardsEdition.objects.order_by("-published", "-pk").first()


# -- people ------------------------------------------------------------------------------------


def owners_of(organisation: Any) -> QuerySet[Any]:
    """People who can own a statement, evidence or an action: those whose role in the
    organisation lets them see the compliance pages (an owner must be able to act on it)."""
    return (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=PERMISSION_ROLES["standards.view_assessment"],
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def may_own(user: Any, organisation: Any) -> bool:
    return owners_of(organisation).filter(pk=user.pk).exists()


def is_member(user: Any, organisation: Any) -> bool:
    """Any active role at all: someone who is not independent of the organisation."""
    return Membership.objects.filter(user=user, organisation=organisation, is_active=True).exists()


def peer_reviewer_candidates(organisation: Any) -> list[tuple[Any, Any]]:
    """(person, their organisation) for everyone in another organisation of this deployment
    who holds no role in this one: the people a lead can invite as a peer reviewer."""
    insiders = Membership.objects.filter(organisation=organisation).values("user_id")
    memberships = (
        Membership.objects.filter(is_active=True, user__is_active=True)
        .exclude(organisation=organisation)
        .exclude(user_id__in=insiders)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__first_name", "user__last_name", "user__username")
    )
    seen: set[int] = set()
    candidates = []
    for membership in memberships:
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        candidates.append((membership.user, membership.organisation))
    return candidates


def display_name(user: Any) -> str:
    if user is None:
        return "Nobody yet"
    return user.get_full_name() or user.get_username()


# -- cycles ------------------------------------------------------------------------------------


def cycles_of(organisation: Any) -> QuerySet[AssessmentCycle]:
    return AssessmentCycle.objects.for_organisation(organisation).select_related("edition")


def cycle_in(organisation: Any, pk: int) -> AssessmentCycle:
    return get_in_organisation(
        AssessmentCycle.objects.select_related("edition", "organisation"), organisation, pk=pk
    )


def previous_cycle(cycle: AssessmentCycle) -> AssessmentCycle | None:
    """The cycle this one is compared with: the one it was copied from, else the latest
    signed-off cycle before it."""
    if cycle.copied_from_id:
        return cycle.copied_from
    return (
        AssessmentCycle.objects.filter(
            organisation_id=cycle.organisation_id,
            status=CycleStatus.SIGNED_OFF,
            period_start__lt=cycle.period_start,
        )
        .exclude(pk=cycle.pk)
        .order_by("-period_start", "-pk")
        .first()
    )


def assessments_of(cycle: AssessmentCycle) -> QuerySet[StatementAssessment]:
    # Withdrawing evidence detaches it from open cycles; a signed-off cycle keeps what it had.
    active = Q(attachments__removed_at__isnull=True)
    return (
        StatementAssessment.objects.filter(cycle=cycle)
        .select_related("statement", "owner")
        .annotate(evidence_count=Count("attachments", filter=active, distinct=True))
        .order_by("statement__position")
    )


def assessment_in(cycle: AssessmentCycle, ref: str) -> StatementAssessment:
    try:
        return StatementAssessment.objects.select_related("statement", "owner", "cycle").get(
            cycle=cycle, statement__ref=ref
        )
    except StatementAssessment.DoesNotExist:
        raise Http404("No such statement in this cycle") from None


def unrated_count(cycle: AssessmentCycle) -> int:
    return StatementAssessment.objects.filter(cycle=cycle, rating="").count()


def scope_ward_ids(cycle: AssessmentCycle) -> frozenset[int] | None:
    """The wards section 2 statements are assessed for, or None for the whole organisation."""
    ward_ids = set(cycle.scope_wards.values_list("pk", flat=True))
    site_ids = list(cycle.scope_sites.values_list("pk", flat=True))
    if site_ids:
        ward_ids |= set(Ward.objects.filter(site_id__in=site_ids).values_list("pk", flat=True))
    if not ward_ids and not site_ids:
        return None
    return frozenset(ward_ids)


def scope_description(cycle: AssessmentCycle) -> str:
    sites = [site.name for site in cycle.scope_sites.all()]
    wards = [ward.name for ward in cycle.scope_wards.all()]
    if not sites and not wards:
        return "The whole organisation"
    return ", ".join([*sites, *wards])


def indicator_period(cycle: AssessmentCycle, *, section: str, now: dt.datetime) -> IndicatorPeriod:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(cycle.period_start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(cycle.period_end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    wards = scope_ward_ids(cycle) if section == "2" else None
    return IndicatorPeriod(start=start, end=min(end, now), wards=wards)


def indicators_of(
    assessment: StatementAssessment, *, now: dt.datetime | None = None
) -> list[ComputedIndicator]:
    """Live figures for the statement, or the figures frozen at sign-off for a locked cycle."""
    cycle = assessment.cycle
    ref = assessment.statement.ref
    if cycle.is_locked:
        return [
            ComputedIndicator.from_dict(item) for item in cycle.indicators_at_sign_off.get(ref, [])
        ]
    period = indicator_period(
        cycle, section=assessment.statement.section, now=now or timezone.now()
    )
    return compute_for(ref, cycle.organisation, period)


def evidence_of(assessment: StatementAssessment) -> list[EvidenceAttachment]:
    return list(
        EvidenceAttachment.objects.filter(assessment=assessment, removed_at__isnull=True)
        .select_related("evidence", "evidence__owner")
        .order_by("added_at", "pk")
    )


def actions_for(assessment: StatementAssessment) -> QuerySet[ActionPlanItem]:
    """Actions raised for this statement in this cycle, and open ones carried from earlier."""
    cycle = assessment.cycle
    return (
        ActionPlanItem.objects.filter(
            organisation_id=cycle.organisation_id,
            statement__ref=assessment.statement.ref,
        )
        .filter(
            Q(raised_in=cycle)
            | Q(status__in=OPEN_ACTION_STATUSES, raised_in__period_start__lt=cycle.period_start)
        )
        .select_related("owner", "raised_in")
        .order_by("due_on", "pk")
    )


def cycle_actions(cycle: AssessmentCycle) -> QuerySet[ActionPlanItem]:
    return (
        ActionPlanItem.objects.filter(organisation_id=cycle.organisation_id)
        .filter(
            Q(raised_in=cycle)
            | Q(status__in=OPEN_ACTION_STATUSES, raised_in__period_start__lt=cycle.period_start)
        )
        .select_related("owner", "statement", "raised_in")
        .order_by("due_on", "pk")
    )


def overdue(actions: QuerySet[ActionPlanItem], today: dt.date) -> QuerySet[ActionPlanItem]:
    return actions.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)


def actions_of(
    organisation: Any, *, status: str = "", owner: Any = None, today: dt.date | None = None
) -> QuerySet[ActionPlanItem]:
    actions: QuerySet[ActionPlanItem] = ActionPlanItem.objects.for_organisation(
        organisation
    ).select_related("owner", "statement", "raised_in")
    if status == "open":
        actions = actions.filter(status__in=OPEN_ACTION_STATUSES)
    elif status == "overdue":
        actions = overdue(actions, today or timezone.localdate())
    elif status:
        actions = actions.filter(status=status)
    if owner is not None:
        actions = actions.filter(owner=owner)
    return actions


def evidence_library(organisation: Any, *, include_withdrawn: bool = False) -> QuerySet[Evidence]:
    evidence = Evidence.objects.for_organisation(organisation).select_related("owner")
    if not include_withdrawn:
        evidence = evidence.filter(withdrawn_at__isnull=True)
    return evidence


def unanswered_challenges(cycle: AssessmentCycle) -> QuerySet[PeerReviewResponse]:
    return PeerReviewResponse.objects.filter(
        peer_review__cycle=cycle,
        peer_review__status__in=[PeerReviewStatus.INVITED, PeerReviewStatus.SIGNED_OFF],
        verdict=Verdict.CHALLENGE,
        answer="",
    )


def open_peer_reviews(cycle: AssessmentCycle) -> QuerySet[PeerReview]:
    return PeerReview.objects.filter(cycle=cycle, status=PeerReviewStatus.INVITED)


def responses_for(assessment: StatementAssessment) -> QuerySet[PeerReviewResponse]:
    return (
        PeerReviewResponse.objects.filter(
            assessment=assessment,
            peer_review__status__in=[PeerReviewStatus.INVITED, PeerReviewStatus.SIGNED_OFF],
        )
        .select_related(
            "peer_review__reviewer", "peer_review__reviewer_organisation", "answered_by"
        )
        .order_by("responded_at")
    )


# -- summary -----------------------------------------------------------------------------------


@dataclass
class StatementChange:
    ref: str
    title: str
    before: str
    after: str
    change: str


@dataclass
class CycleReport:
    cycle: AssessmentCycle
    previous: AssessmentCycle | None
    summary: rules.CycleSummary
    changes: list[StatementChange]
    without_evidence: list[StatementAssessment]
    overdue_actions: list[ActionPlanItem]
    open_actions: list[ActionPlanItem]
    not_fully_met: list[StatementAssessment]
    peer_reviews: list[PeerReview]
    as_of: dt.date


def cycle_report(
    cycle: AssessmentCycle, *, today: dt.date | None = None, compare: bool = True
) -> CycleReport:
    """Everything the compliance summary page, the board PDF and the evidence pack show."""
    today = today or timezone.localdate()
    assessments = list(assessments_of(cycle))
    # A peer reviewer sees the invited cycle alone, without last year's figures.
    previous = previous_cycle(cycle) if compare else None
    before: dict[str, str] | None = None
    if previous is not None:
        before = dict(
            StatementAssessment.objects.filter(cycle=previous).values_list(
                "statement__ref", "rating"
            )
        )
    subsection_titles = {a.statement.subsection: a.statement.title for a in assessments}
    summary = rules.summarise(
        (
            rules.RatedStatement(
                ref=a.statement.ref,
                section=a.statement.section,
                section_title=a.statement.section_title,
                subsection=a.statement.subsection,
                subsection_title=subsection_titles[a.statement.subsection],
                rating=a.rating,
            )
            for a in assessments
        ),
        before,
    )
    changes = []
    if before is not None:
        for a in assessments:
            was = before.get(a.statement.ref, "")
            change = rules.rating_change(was, a.rating)
            if change != "unchanged":
                changes.append(
                    StatementChange(a.statement.ref, a.statement.title, was, a.rating, change)
                )
    actions = list(cycle_actions(cycle))
    return CycleReport(
        cycle=cycle,
        previous=previous,
        summary=summary,
        changes=changes,
        without_evidence=[
            a
            for a in assessments
            if a.rating in (Rating.MET, Rating.PARTIALLY_MET, Rating.NOT_MET)
            and not getattr(a, "evidence_count", 0)
        ],
        overdue_actions=[a for a in actions if a.is_open and a.due_on < today],
        open_actions=[a for a in actions if a.is_open],
        not_fully_met=[
            a for a in assessments if a.rating in (Rating.PARTIALLY_MET, Rating.NOT_MET)
        ],
        peer_reviews=list(
            PeerReview.objects.filter(cycle=cycle)
            .exclude(status__in=[PeerReviewStatus.WITHDRAWN, PeerReviewStatus.DECLINED])
            .select_related("reviewer", "reviewer_organisation")
            .prefetch_related(Prefetch("responses", queryset=PeerReviewResponse.objects.all()))
        ),
        as_of=today,
    )


# -- peer reviewers ----------------------------------------------------------------------------


def peer_review_for_reviewer(user: Any, pk: int) -> PeerReview:
    """The invitation `pk` if `user` is its reviewer and it is open or signed off; 404
    otherwise, whoever asks. This, not the current organisation, is a reviewer's only key."""
    try:
        return PeerReview.objects.select_related(
            "cycle", "cycle__organisation", "cycle__edition", "reviewer_organisation"
        ).get(
            pk=pk,
            reviewer=user,
            status__in=[PeerReviewStatus.INVITED, PeerReviewStatus.SIGNED_OFF],
        )
    except (PeerReview.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def invitations_for(user: Any) -> QuerySet[PeerReview]:
    return (
        PeerReview.objects.filter(
            reviewer=user, status__in=[PeerReviewStatus.INVITED, PeerReviewStatus.SIGNED_OFF]
        )
        .select_related("cycle", "cycle__organisation")
        .order_by("-invited_at")
    )


def evidence_in_cycle(
    cycle: AssessmentCycle, pk: int, *, attached_by: dt.datetime | None = None
) -> Evidence:
    """Evidence attached (now) to a statement of this cycle; 404 for any other evidence.
    With `attached_by` (a peer review's sign-off), only evidence already attached then: a
    reviewer's access ends at sign-off, so what is added later is not theirs to read."""
    attached = Evidence.objects.filter(
        pk=pk, attachments__assessment__cycle=cycle, attachments__removed_at__isnull=True,
    )
    if attached_by is not None:
        attached = attached.filter(attachments__added_at__lte=attached_by)
    try:
        return attached.distinct().get()
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None
