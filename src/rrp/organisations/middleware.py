"""Puts the current organisation and the user's roles in it on every request.

Every page and API call reads organisation data through `request.organisation`; a user who
belongs to more than one organisation chooses which one they are working in.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from rrp.organisations.selectors import organisations_of, roles_in

SESSION_KEY = "rrp_organisation_id"


class CurrentOrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = None  # type: ignore[attr-defined]
        request.roles = frozenset()  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            mine = list(organisations_of(user))
            chosen = request.session.get(SESSION_KEY)
            current = next((o for o in mine if o.pk == chosen), mine[0] if mine else None)
            if current is not None:
                request.organisation = current  # type: ignore[attr-defined]
                request.roles = roles_in(user, current)  # type: ignore[attr-defined]
            request.my_organisations = mine  # type: ignore[attr-defined]
        return self.get_response(request)
