from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from rrp.audit.services import Actor


def require_permission(permission: str) -> Callable[..., Any]:
    """The user must hold a role in the current organisation that grants `permission`."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            organisation = getattr(request, "organisation", None)
            if organisation is None or not request.user.has_perm(permission, organisation):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def actor_from(request: HttpRequest) -> Actor:
    return Actor(user=request.user, ip_address=request.META.get("REMOTE_ADDR"), via="web")  # type: ignore[arg-type]
