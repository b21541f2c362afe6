"""Home page items: safety plans past their review date, people on a ward with no plan, and
physical examinations on admission not done in time, for the people responsible.

Ward staff and ward managers see their home ward (the whole organisation if they have none);
the restrictive practice lead sees every ward; doctors see the examinations (2.5.1.I).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rrp.careplans.selectors import examinations_outstanding, plan_counts, plan_rows
from rrp.core.attention import AttentionItem, register
from rrp.organisations.models import Role
from rrp.organisations.selectors import home_ward_of

PLAN_ROLES = frozenset({Role.WARD_STAFF, Role.WARD_MANAGER, Role.RRP_LEAD})
EXAMINATION_ROLES = frozenset({Role.DOCTOR, Role.WARD_MANAGER, Role.RRP_LEAD})


def _ward_scope(request: HttpRequest) -> tuple[str | None, str]:
    """The ward whose plans this person answers for, and how to name it."""
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    if Role.RRP_LEAD in roles:
        return None, "the wards"
    ward = home_ward_of(request.user, request.organisation)  # type: ignore[attr-defined]
    return (ward.code, ward.name) if ward else (None, "the wards")


def _query(ward: str | None, state: str) -> str:
    # #plans: the worklist holds two lists; the number counts the safety plans one.
    return f"?state={state}" + (f"&ward={ward}" if ward else "") + "#plans"


@register
def safety_plans_needing_action(request: HttpRequest) -> list[AttentionItem]:
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    if not roles & PLAN_ROLES:
        return []
    ward, where = _ward_scope(request)
    counts = plan_counts(plan_rows(request.organisation, timezone.localdate(), ward=ward))  # type: ignore[attr-defined]
    href = reverse("careplans:worklist")
    items = []
    if counts.overdue:
        items.append(
            AttentionItem(
                title="Safety plans past their review date",
                count=counts.overdue,
                href=href + _query(ward, "overdue"),
                detail=f"People on {where} whose plan should have been reviewed with them by now",
            )
        )
    if counts.missing:
        items.append(
            AttentionItem(
                title="People with no safety plan",
                count=counts.missing,
                href=href + _query(ward, "missing"),
                detail=f"People on {where} with no safety plan in RRP (standard 2.2.I)",
            )
        )
    return items


@register
def examinations_not_done(request: HttpRequest) -> list[AttentionItem]:
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    if not roles & EXAMINATION_ROLES:
        return []
    ward = _ward_scope(request)[0] if Role.DOCTOR not in roles else None
    rows = examinations_outstanding(request.organisation, timezone.localdate(), ward=ward)  # type: ignore[attr-defined]
    overdue = [r for r in rows if r.state == "overdue"]
    if not overdue:
        return []
    return [
        AttentionItem(
            title="Physical examinations overdue",
            count=len(overdue),
            urgent=True,
            # The worklist shows only the overdue examinations then, as many as counted here.
            href=reverse("careplans:worklist")
            + "?examination=overdue"
            + (f"&ward={ward}" if ward else "")
            + "#examinations",
            detail="People admitted more than 24 hours ago with no physical examination recorded "
            "(standard 2.5.1.I)",
        )
    ]
