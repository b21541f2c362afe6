"""What the API accepts as a request body, checked before any view runs (issue 11).

A body is JSON, sent as `application/json`, of at most MAX_BODY_BYTES, and an object. Each
failure is answered with a sentence saying what to change, in the API's own shape
(`{"detail": ...}`), instead of Django's bare "Bad Request (400)":

- another content type (a JSON body sent as text/plain was once read as JSON): 415
- larger than MAX_BODY_BYTES: 413, naming the limit (read no further than the limit)
- not JSON: 400, naming the line and column
- JSON but not an object (`[]`, `"x"`, `3`): 422 on the body

This is middleware rather than a ninja parser because ninja turns any parser error into the
same 400 without the sentence, and a Django RequestDataTooBig into a bare 400 page.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/"
WRITES = frozenset({"POST", "PUT", "PATCH"})
# The largest real body, a use of force with 50 interventions, 50 staff and 50 injuries each
# at their text limits, is under 1 MB; anything larger is a mistake or an attack.
MAX_BODY_BYTES = 1_000_000
JSON_TYPES = ("application/json",)


def body_problem(request: HttpRequest) -> JsonResponse | None:
    """The answer refusing this request's body, or None when the body can go to the view."""
    length = _declared_length(request)
    if length == 0 and not request.META.get("HTTP_TRANSFER_ENCODING"):
        return None  # no body: a POST such as /submit needs none
    content_type = request.content_type or ""
    if content_type not in JSON_TYPES and not content_type.endswith("+json"):
        sent = content_type or "no Content-Type"
        return _answer(415, f"Send the body as JSON with Content-Type: application/json "
                            f"(this was {sent[:80]})")
    if length is not None and length > MAX_BODY_BYTES:
        return _too_large()
    try:
        raw = request.body
    except RequestDataTooBig:
        return _too_large()
    if not raw.strip():
        return None
    try:
        parsed = json.loads(raw)
    except UnicodeDecodeError:
        return _answer(400, "The body is not valid JSON: it must be UTF-8 text")
    except json.JSONDecodeError as error:
        return _answer(400, f"The body is not valid JSON: {error.msg} at line {error.lineno}, "
                            f"column {error.colno}")
    except RecursionError:
        return _answer(400, "The body is not valid JSON: it is nested too deeply")
    if not isinstance(parsed, dict):
        return JsonResponse({"detail": [{"loc": ["body"], "msg": "Send a JSON object here"}]},
                            status=422)
    return None


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def _too_large() -> JsonResponse:
    return _answer(413, f"The body is too large: at most {MAX_BODY_BYTES:,} bytes")


def _answer(status: int, sentence: str) -> JsonResponse:
    return JsonResponse({"detail": sentence}, status=status)


class JsonBodyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in WRITES and request.path.startswith(API_PREFIX):
            refused = body_problem(request)
            if refused is not None:
                return refused
        return self.get_response(request)
