"""Home page items for trainers: the lead (who records the yearly portfolio reviews, standard
3.5.I) sees trainers whose review is overdue or due within 30 days, and external providers
whose RRN certificate or indemnity insurance is lapsing (3.5 introduction, XI); a trainer sees
their own review when it is due."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rrp.core.attention import AttentionItem, register
from rrp.trainers import selectors


def _may(request: HttpRequest, permission: str) -> bool:
    organisation = getattr(request, "organisation", None)
    return organisation is not None and bool(request.user.has_perm(permission, organisation))


@register
def trainer_reviews_due(request: HttpRequest) -> list[AttentionItem]:
    if not _may(request, "trainers.review"):
        return []
    organisation = request.organisation  # type: ignore[attr-defined]
    today = timezone.localdate()
    items = []
    due = selectors.reviews_needed(organisation, today)
    if due:
        overdue = [s for s in due if s.review.status in ("overdue", "never")]
        items.append(AttentionItem(
            title="Trainer portfolio review due" if len(due) == 1
            else "Trainer portfolio reviews due",
            count=len(due),
            urgent=bool(overdue),
            href=reverse("trainers:list") + "#reviews-due",
            detail="Trainers' portfolios are reviewed every year (standard 3.5.I)"
                   + (f": {len(overdue)} overdue" if overdue else ", due within 30 days"),
        ))
    lapsing = selectors.providers_lapsing(organisation, today)
    if lapsing:
        ended = [item for item in lapsing if item.ended(today)]
        items.append(AttentionItem(
            title="Training provider certificate or insurance lapsing",
            count=len(lapsing),
            urgent=bool(ended),
            href=reverse("trainers:list") + "#providers",
            detail="An external provider's RRN certificate or indemnity insurance ends within "
                   "90 days" + (" or has ended" if ended else "")
                   + " (standard 3.5 and 3.5.XI)",
        ))
    return items


@register
def own_review_due(request: HttpRequest) -> list[AttentionItem]:
    """The trainer's own yearly review, when it is due within 30 days or overdue."""
    if not _may(request, "trainers.view"):
        return []
    organisation = request.organisation  # type: ignore[attr-defined]
    today = timezone.localdate()
    mine = selectors.own_standing(organisation, request.user, today)
    if mine is None or not mine.review.needs_review:
        return []
    due_on = mine.review.due_on
    if due_on is None:
        when = "has not been reviewed yet"
    elif due_on < today:
        when = f"was due on {due_on:%d/%m/%Y}"
    else:
        when = f"is due by {due_on:%d/%m/%Y}"
    return [AttentionItem(
        title="Your trainer portfolio review is due",
        count=1,
        urgent=mine.review.status in ("overdue", "never"),
        href=reverse("trainers:trainer", kwargs={"trainer_id": mine.trainer.pk}),
        detail=f"Your portfolio {when}: bring it up to date and arrange the review with the "
               "restrictive practice lead (standard 3.5.I)",
    )]
