from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from rrp.core.navigation import navigation_for
from rrp.notifications.services import unread_count


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": "Reducing Restrictive Practice",
        "demo_mode": settings.DEMO_MODE,
        "organisation": getattr(request, "organisation", None),
        "roles": getattr(request, "roles", frozenset()),
        "navigation": navigation_for(request),
        "unread_notifications": unread_count(
            getattr(request, "user", None), getattr(request, "organisation", None)),
        "csp_nonce": str(request.csp_nonce) if hasattr(request, "csp_nonce") else "",
    }
