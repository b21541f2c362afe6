"""Home page items for compliance: overdue actions (their owner and the lead), open peer
review invitations (the reviewer) and challenges waiting for an answer (the lead)."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rrp.core.attention import AttentionItem, register
from rrp.organisations.roles import roles_allow
from rrp.standards.models import PeerReviewResponse, PeerReviewStatus, Verdict
from rrp.standards.selectors import actions_of, invitations_for


@register
def overdue_actions(request: HttpRequest) -> list[AttentionItem]:
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return []
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    # The action plan is shown only to roles that may see compliance: a count for anyone else
    # would link to a page they are refused.
    if not roles_allow(roles, "standards.view_assessment"):
        return []
    today = timezone.localdate()
    href = reverse("standards:actions") + "?status=overdue"
    if roles_allow(roles, "standards.manage_assessment"):
        count = actions_of(organisation, status="overdue", today=today).count()
        detail = "Actions from the compliance self-assessment past their due date"
    else:
        count = actions_of(organisation, status="overdue", owner=request.user, today=today).count()
        detail = "Compliance actions you own that are past their due date"
        href += "&mine=1"
    if not count:
        return []
    return [
        AttentionItem(
            title="Overdue compliance actions", detail=detail, href=href, count=count, urgent=True
        )
    ]


@register
def peer_review_invitations(request: HttpRequest) -> list[AttentionItem]:
    if not request.user.is_authenticated:
        return []
    count = invitations_for(request.user).filter(status=PeerReviewStatus.INVITED).count()
    if not count:
        return []
    return [
        AttentionItem(
            title="Peer reviews to do",
            count=count,
            href=reverse("standards:review-list") + "#to-do",
            detail="Self-assessments another organisation has invited you to review",
        )
    ]


@register
def challenges_to_answer(request: HttpRequest) -> list[AttentionItem]:
    organisation = getattr(request, "organisation", None)
    if organisation is None or not roles_allow(
        getattr(request, "roles", frozenset()), "standards.manage_assessment"
    ):
        return []
    # Counted as the cycle page lists them: statements with an unanswered challenge (two
    # reviewers challenging one statement is one statement to answer), one card per cycle.
    waiting = (
        PeerReviewResponse.objects.filter(
            peer_review__cycle__organisation=organisation,
            peer_review__status__in=[PeerReviewStatus.INVITED, PeerReviewStatus.SIGNED_OFF],
            peer_review__cycle__status__in=["in_progress", "in_review"],
            verdict=Verdict.CHALLENGE,
            answer="",
        )
        .values("peer_review__cycle_id", "peer_review__cycle__name")
        .annotate(statements=Count("assessment_id", distinct=True))
        .order_by("peer_review__cycle__name")
    )
    several = len(waiting) > 1
    return [
        AttentionItem(
            title="Peer review challenges to answer"
            + (f" ({cycle['peer_review__cycle__name']})" if several else ""),
            count=cycle["statements"],
            href=reverse("standards:cycle", kwargs={"pk": cycle["peer_review__cycle_id"]})
            + "?filter=challenged#statements",
            detail="Statements of your self-assessment a peer reviewer has challenged",
        )
        for cycle in waiting
    ]
