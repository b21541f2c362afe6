from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from rrp.audit.services import Actor
from rrp.organisations.roles import roles_allow


def require(request: HttpRequest, permission: str) -> None:
    if not roles_allow(getattr(request, "roles", frozenset()), permission):
        raise PermissionDenied


def api_actor(request: HttpRequest) -> Actor:
    return Actor(user=request.user, ip_address=request.META.get("REMOTE_ADDR"), via="api")  # type: ignore[arg-type]
