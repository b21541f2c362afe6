"""Bearer tokens: `Authorization: Bearer <token>`. The token's hash is looked up; the request
then acts as the token's user within the token's one organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from rrp.accounts.models import ApiToken, hash_token
from rrp.organisations.selectors import roles_in

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user", "organisation")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True,
                    expires_at__gt=timezone.now())
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        roles = roles_in(found.user, found.organisation)
        if not roles:
            return None
        # "Last used" is shown to the minute (`rrp token list`); writing it on every request
        # would make every GET a write, queued behind the writers on SQLite's one write lock.
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.organisation = found.organisation  # type: ignore[attr-defined]
        request.roles = roles  # type: ignore[attr-defined]
        return found
