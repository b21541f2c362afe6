"""Query parameters an operation does not have are refused (issue 11), as unknown body fields
are: `?ward_code=OAK` (for `?ward=OAK`) silently ignored would list every ward's records.

The names each operation takes are read from the API's own OpenAPI document, so they are
declared once, on the views' filter schemas."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse, JsonResponse

from rrp.api.bodies import API_PREFIX

Route = tuple[re.Pattern[str], str, frozenset[str]]


@cache
def _routes() -> tuple[Route, ...]:
    from rrp.api.urls import api  # the document needs every router registered first

    routes: list[Route] = []
    for template, operations in api.get_openapi_schema()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")
        for method, operation in operations.items():
            names = frozenset(p["name"] for p in operation.get("parameters", [])
                              if p.get("in") == "query")
            routes.append((pattern, method.upper(), names))
    return tuple(routes)


def unknown_query_names(method: str, path: str, sent: list[str]) -> list[str]:
    for pattern, route_method, names in _routes():
        if route_method == method and pattern.match(path):
            return [name for name in sent if name not in names]
    return []  # not an API operation: the API answers 404 or 405 itself


class KnownQueryNamesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.GET and request.path.startswith(API_PREFIX):
            unknown = unknown_query_names(request.method or "", request.path, list(request.GET))
            if unknown:
                return JsonResponse({"detail": [
                    {"loc": ["query", name],
                     "msg": f"'{name[:60]}' is not something this list can be filtered by: "
                            "check the spelling"}
                    for name in unknown
                ]}, status=422)
        return self.get_response(request)
