"""Query parameters are held to the same rules as bodies (issue 11):

- a name the operation does not have is refused, as an unknown body field is: `?ward_code=OAK`
  (for `?ward=OAK`) silently ignored would list every ward's records;
- a text value is at most MAX_TEXT characters and a whole number at most the databases'
  bigint (a larger one reached PostgreSQL as a 500).

The names and types each operation takes are read from the API's own OpenAPI document, so
they are declared once, on the views; rrp.api.openapi documents these limits there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from rrp.api.bodies import API_PREFIX
from rrp.api.schemas import LARGEST_ID
from rrp.core import limits

MAX_TEXT = limits.NAME  # a ward code, a date, a search: 200 characters is past any of them

Route = tuple[re.Pattern[str], str, dict[str, set[str]]]


@cache
def _routes() -> tuple[Route, ...]:
    from rrp.api.urls import api  # the document needs every router registered first

    routes: list[Route] = []
    for template, operations in api.get_openapi_schema()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")
        for method, operation in operations.items():
            names = {p["name"]: _types(p.get("schema", {}))
                     for p in operation.get("parameters", []) if p.get("in") == "query"}
            routes.append((pattern, method.upper(), names))
    return tuple(routes)


def _types(schema: dict[str, Any]) -> set[str]:
    return {str(option.get("type")) for option in schema.get("anyOf", [schema])}


def query_problems(method: str, path: str, sent: dict[str, list[str]]) -> list[dict[str, Any]]:
    for pattern, route_method, names in _routes():
        if route_method == method and pattern.match(path):
            return [problem for name, values in sent.items()
                    for problem in _problems(name, values, names)]
    return []  # not an API operation: the API answers 404 or 405 itself


def _problems(name: str, values: list[str], names: dict[str, set[str]]) -> list[dict[str, Any]]:
    where = ["query", name]
    if name not in names:
        return [{"loc": where, "msg": f"'{name[:60]}' is not something this list can be "
                                      "filtered by: check the spelling"}]
    for value in values:
        if len(value) > MAX_TEXT:
            return [{"loc": where, "msg": limits.too_long(MAX_TEXT)}]
        if "integer" in names[name] and value.strip().lstrip("+-").isdigit() and \
                abs(int(value)) > LARGEST_ID:
            return [{"loc": where, "msg": f"The {name} must be at most {LARGEST_ID:,}"}]
    return []


class QueryParamsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.GET and request.path.startswith(API_PREFIX):
            sent = {name: request.GET.getlist(name) for name in request.GET}
            problems = query_problems(request.method or "", request.path, sent)
            if problems:
                return JsonResponse({"detail": problems}, status=422)
        return self.get_response(request)
