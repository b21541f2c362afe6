"""Reads about organisations and memberships."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from rrp.organisations.models import Membership, Organisation, Ward


def roles_in(user: Any, organisation: Organisation) -> frozenset[str]:
    """The roles a user holds in one organisation, cached on the user object for the request."""
    cache: dict[int, frozenset[str]] = user.__dict__.setdefault("_rrp_roles", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = frozenset(
            Membership.objects.filter(
                user=user, organisation=organisation, is_active=True
            ).values_list("role", flat=True)
        )
    return cache[organisation.pk]


def organisations_of(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        memberships__user=user, memberships__is_active=True
    ).distinct()


def wards_of(organisation: Organisation, *, open_only: bool = False) -> QuerySet[Ward]:
    wards = Ward.objects.filter(organisation=organisation).select_related("site")
    return wards.filter(is_open=True) if open_only else wards


def home_ward_of(user: Any, organisation: Organisation) -> Ward | None:
    membership = (
        Membership.objects.filter(user=user, organisation=organisation, home_ward__isnull=False)
        .select_related("home_ward")
        .first()
    )
    return membership.home_ward if membership else None
