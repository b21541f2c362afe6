"""Home page items from uses of force: overdue duties, escalations, records to review."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rrp.core.attention import AttentionItem, register
from rrp.incidents.models import Escalation, Incident
from rrp.incidents.selectors import open_duties
from rrp.organisations.models import Role
from rrp.organisations.roles import CLINICAL


@register
def duties_needing_action(request: HttpRequest) -> list[AttentionItem]:
    roles = getattr(request, "roles", frozenset())
    if not roles & CLINICAL:
        return []
    organisation = request.organisation  # type: ignore[attr-defined]
    now = timezone.now()
    # The lead sees everyone's; others see the duties their role owns.
    owners = None if Role.RRP_LEAD in roles else frozenset(roles)
    duties = open_duties(organisation, now=now, owner_roles=owners)
    overdue = [d for d in duties if d.state == "overdue"]
    soon = [d for d in duties if d.state == "due" and (d.due_at - now).total_seconds() <= 4 * 3600]
    items = []
    href = reverse("incidents:duties")
    if overdue:
        items.append(AttentionItem(
            title="Overdue duties", count=len(overdue), urgent=True, href=href + "?state=overdue",
            detail="Reviews, observations and support after a use of force that are past due",
        ))
    if soon:
        items.append(AttentionItem(
            title="Due in the next 4 hours", count=len(soon), href=href + "?state=due",
            detail="Duties after a use of force coming up soon",
        ))
    return items


@register
def escalations(request: HttpRequest) -> list[AttentionItem]:
    roles = getattr(request, "roles", frozenset())
    if Role.RRP_LEAD not in roles:
        return []
    waiting = Escalation.objects.for_organisation(request.organisation).filter(  # type: ignore[attr-defined]
        acknowledged_at__isnull=True
    )
    count = waiting.count()
    if not count:
        return []
    return [AttentionItem(
        title="Death or serious injury to review", count=count, urgent=True,
        href=reverse("incidents:escalations"),
        detail="Recorded uses of force where someone died or was seriously injured",
    )]


@register
def records_to_review(request: HttpRequest) -> list[AttentionItem]:
    roles = getattr(request, "roles", frozenset())
    if not roles & {Role.WARD_MANAGER, Role.RRP_LEAD}:
        return []
    count = Incident.objects.for_organisation(request.organisation).filter(  # type: ignore[attr-defined]
        status="submitted", entered_in_error_at__isnull=True
    ).count()
    if not count:
        return []
    return [AttentionItem(
        title="Records waiting for review", count=count,
        href=reverse("incidents:list") + "?status=submitted",
        detail="Submitted uses of force a ward manager has not yet reviewed",
    )]
