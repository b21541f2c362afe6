from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from rrp.core.navigation import navigation_for


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": "Reducing Restrictive Practice",
        "demo_mode": settings.DEMO_MODE,
        "organisation": getattr(request, "organisation", None),
        "roles": getattr(request, "roles", frozenset()),
        "navigation": navigation_for(request),
        "csp_nonce": str(request.csp_nonce) if hasattr(request, "csp_nonce") else "",
    }
