"""Home page items from uses of force: overdue duties, escalations, records to review.

Every number links to the list it counts, filtered the same way (who must act, ward, state),
so the list has exactly that many rows (tests/platform/test_home_counts.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rrp.core.attention import AttentionItem, register
from rrp.incidents import codes
from rrp.incidents.models import Escalation, Incident
from rrp.incidents.presenters import DRAFT_FLAGGED_AFTER
from rrp.incidents.selectors import DUE_SOON, open_duties
from rrp.organisations.models import Role, Ward
from rrp.organisations.roles import CLINICAL
from rrp.organisations.selectors import home_ward_of

# The roles that own duties (duty_rules.DUTY_OWNERS), as the worklist's "Who must act" names
# them, in the order a person with several sees their cards.
OWNER_NAMES: dict[str, str] = {
    Role.WARD_STAFF: "ward staff",
    Role.WARD_MANAGER: "ward managers",
    Role.DOCTOR: "doctors",
}
# Ward staff and ward managers act on their home ward's duties; doctors cover several wards.
WARD_BOUND = frozenset({Role.WARD_STAFF, Role.WARD_MANAGER})


def _href(name: str, **filters: str | None) -> str:
    query = urlencode({key: value for key, value in filters.items() if value})
    return reverse(name) + (f"?{query}" if query else "")


def _duty_scopes(request: HttpRequest) -> list[tuple[str | None, Ward | None]]:
    """(owner role or None for everyone's, ward or None for every ward), one per card set."""
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    if Role.RRP_LEAD in roles:
        return [(None, None)]  # the lead answers for every duty on every ward
    home = home_ward_of(request.user, request.organisation)  # type: ignore[attr-defined]
    return [(role, home if role in WARD_BOUND else None) for role in OWNER_NAMES if role in roles]


@register
def duties_needing_action(request: HttpRequest) -> list[AttentionItem]:
    organisation = request.organisation  # type: ignore[attr-defined]
    now = timezone.now()
    scopes = _duty_scopes(request)
    items = []
    for owner, ward in scopes:
        duties = open_duties(
            organisation, now=now, ward=ward.code if ward else None,
            owner_roles=frozenset({owner}) if owner else None,
        )
        overdue = sum(1 for d in duties if d.state == "overdue")
        soon = sum(1 for d in duties if d.state == "due" and d.due_at - now <= DUE_SOON)
        whose = f" for {OWNER_NAMES[owner]}" if owner else ""
        where = ward.name if ward else "the wards"
        # A person with two duty-owning roles gets a card set for each; say which is which.
        suffix = f" ({OWNER_NAMES[owner]})" if owner and len(scopes) > 1 else ""
        code = ward.code if ward else None
        if overdue:
            items.append(AttentionItem(
                title=f"Overdue duties{suffix}", count=overdue, urgent=True,
                href=_href("incidents:duties", state="overdue", ward=code, owner=owner),
                detail=f"Reviews, observations and support after a use of force{whose} on "
                f"{where} that are past due",
            ))
        if soon:
            items.append(AttentionItem(
                title=f"Due in the next 4 hours{suffix}", count=soon,
                href=_href("incidents:duties", state="due_soon", ward=code, owner=owner),
                detail=f"Duties after a use of force{whose} on {where} coming up soon",
            ))
    return items


@register
def escalations(request: HttpRequest) -> list[AttentionItem]:
    roles: frozenset[str] = getattr(request, "roles", frozenset())
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
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    if not roles & {Role.WARD_MANAGER, Role.RRP_LEAD}:
        return []
    organisation = request.organisation  # type: ignore[attr-defined]
    # A ward manager reviews their own ward's records; the lead every ward's.
    ward = None if Role.RRP_LEAD in roles else home_ward_of(request.user, organisation)
    records = Incident.objects.for_organisation(organisation).filter(
        status="submitted", entered_in_error_at__isnull=True
    )
    if ward is not None:
        records = records.filter(ward=ward)
    count = records.count()
    if not count:
        return []
    return [AttentionItem(
        title="Records waiting for review", count=count,
        href=_href("incidents:list", status="submitted", ward=ward.code if ward else None),
        detail="Submitted uses of force a ward manager has not yet reviewed"
        + (f" on {ward.name}" if ward else ""),
    )]


def drafts_of(request: HttpRequest) -> list[Incident]:
    """The person's own drafts in the current organisation, oldest first."""
    return list(
        Incident.objects.for_organisation(request.organisation)  # type: ignore[attr-defined]
        .filter(status=codes.Status.DRAFT, entered_in_error_at__isnull=True,
                created_by=request.user)  # type: ignore[misc]  # signed in: a User
        .select_related("ward")
        .order_by("created_at", "pk")
    )


def _drafts_href(drafts: list[Incident]) -> str:
    if len(drafts) == 1:
        return reverse("incidents:detail", kwargs={"pk": drafts[0].pk})
    return reverse("incidents:list") + "?status=draft&mine=on"


def _which(drafts: list[Incident]) -> str:
    if len(drafts) == 1:
        draft = drafts[0]
        started = timezone.localtime(draft.created_at)
        return (f"{draft.reference} on {draft.ward.name}, saved as a draft on "
                f"{started.day} {started:%B %Y, %H:%M}")
    return f"{', '.join(d.reference for d in drafts[:3])}{' and more' if len(drafts) > 3 else ''}"


@register
def drafts_to_submit(request: HttpRequest) -> list[AttentionItem]:
    """Issue 10: a use of force saved as a draft is on its author's home page as "draft, not
    yet submitted" until it is; after 24 hours it is urgent, because the Use of Force Act s.6
    record must still be made."""
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    if not roles & CLINICAL:
        return []
    drafts = drafts_of(request)
    if not drafts:
        return []
    now = timezone.now()
    old = [d for d in drafts if now - d.created_at > DRAFT_FLAGGED_AFTER]
    recent = [d for d in drafts if d not in old]
    items = []
    if old:
        items.append(AttentionItem(
            title="Drafts over 24 hours old", count=len(old), urgent=True,
            href=_drafts_href(old),
            detail=f"Draft, not yet submitted: {_which(old)}. The Use of Force Act record must "
            f"still be made: complete and submit {'it' if len(old) == 1 else 'them'} now",
        ))
    if recent:
        items.append(AttentionItem(
            title="Your drafts, not yet submitted", count=len(recent),
            href=_drafts_href(recent),
            detail=f"Draft, not yet submitted: {_which(recent)}. "
            + ("Submit it when it is complete" if len(recent) == 1
               else "Submit each when it is complete"),
        ))
    return items
