"""Home page items for compliance: overdue actions (their owner and the lead), open peer
review invitations (the reviewer) and challenges waiting for an answer (the lead)."""

from __future__ import annotations

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
            href=reverse("standards:review-list"),
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
    waiting = PeerReviewResponse.objects.filter(
        peer_review__cycle__organisation=organisation,
        peer_review__status__in=[PeerReviewStatus.INVITED, PeerReviewStatus.SIGNED_OFF],
        peer_review__cycle__status__in=["in_progress", "in_review"],
        verdict=Verdict.CHALLENGE,
        answer="",
    ).select_related("peer_review")
    count = waiting.count()
    if not count:
        return []
    first = waiting.first()
    assert first is not None
    return [
        AttentionItem(
            title="Peer review challenges to answer",
            count=count,
            href=reverse("standards:cycle", kwargs={"pk": first.peer_review.cycle_id})
            + "?filter=challenged",
            detail="A peer reviewer has challenged statements of your self-assessment",
        )
    ]
