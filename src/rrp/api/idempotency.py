"""`Idempotency-Key` on API POSTs (issue 11): a retry after a lost answer must not record the
same use of force twice (after a kill -9 of the server, 1 of 316 records was saved with no
answer sent; the client's retry made a second).

A POST with the header is run in one transaction with the keeping of its answer:
- the same key with the same request (method, path, body) again: the first answer, with
  `Idempotent-Replayed: true`, and nothing is run again;
- the same key with a different request: 409, and nothing is run;
- only a successful answer (2xx) is kept, so a request refused with a 422 can be corrected and
  sent again with the same key.
Two copies sent at once: the second to keep its answer finds the first's (the unique key),
undoes its own write and answers with the first's. Keys belong to the token they came with
and are kept for RETENTION.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from rrp.accounts.models import hash_token
from rrp.api.auth import TokenAuth
from rrp.api.bodies import API_PREFIX
from rrp.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
RETENTION = dt.timedelta(hours=24)


def key_problem(key: str) -> str | None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        return (f"The {HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters, "
                "like a UUID")
    return None


def _scope(request: HttpRequest) -> str | None:
    """The hash of a bearer token that still works, or None (ninja then answers 401): a
    revoked or expired token gets no replay either."""
    header = request.headers.get("Authorization", "")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        return None
    if TokenAuth().authenticate(request, token.strip()) is None:
        return None
    return hash_token(token.strip())


def _fingerprint(request: HttpRequest) -> str:
    return hashlib.sha256(request.body).hexdigest()


def _replay(kept: IdempotentRequest, request: HttpRequest) -> HttpResponse:
    if (kept.method, kept.path, kept.body_sha256) != (
        request.method, request.path, _fingerprint(request)
    ):
        return JsonResponse({"detail": f"This {HEADER} was already used for a different "
                                       "request: use a new key for a new request"}, status=409)
    response = HttpResponse(kept.response, status=kept.status, content_type=kept.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def _kept(scope: str, key: str) -> IdempotentRequest | None:
    return IdempotentRequest.objects.filter(scope=scope, key=key).first()


def _keep(request: HttpRequest, response: HttpResponse, scope: str, key: str) -> None:
    now = timezone.now()
    IdempotentRequest.objects.filter(created_at__lt=now - RETENTION).delete()
    IdempotentRequest.objects.create(
        scope=scope, key=key, method=request.method or "", path=request.path[:500],
        body_sha256=_fingerprint(request), status=response.status_code,
        content_type=response.get("Content-Type", "application/json")[:100],
        response=response.content.decode("utf-8"), created_at=now,
    )


class _Duplicate(Exception):
    """Another copy of this request kept its answer first: undo this one."""


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        scope = _scope(request)
        if scope is None:
            return self.get_response(request)
        problem = key_problem(key)
        if problem is not None:
            return JsonResponse({"detail": [{"loc": ["header", HEADER], "msg": problem}]},
                                status=422)
        kept = _kept(scope, key)
        if kept is not None:
            return _replay(kept, request)
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if 200 <= response.status_code < 300:
                    try:
                        with transaction.atomic():
                            _keep(request, response, scope, key)
                    except IntegrityError:
                        raise _Duplicate from None
        except _Duplicate:
            kept = _kept(scope, key)
            if kept is None:  # the unique row cannot vanish between the two reads
                raise
            return _replay(kept, request)
        return response
