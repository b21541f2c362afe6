"""Nothing RRP answers is kept by a browser or a proxy cache, except static files.

Pages and API answers carry patient data (names, NHS numbers, what happened): a shared ward PC's
back button or disk cache must not show them to the next person (issue 11). Static files keep
whitenoise's long cache; a view that sets its own Cache-Control keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL) and not response.has_header(
            "Cache-Control"
        ):
            response["Cache-Control"] = "no-store"
        return response
