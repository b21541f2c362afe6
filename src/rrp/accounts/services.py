from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from rrp.accounts.models import ApiToken, hash_token, new_token_value
from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_record
from rrp.organisations.models import Organisation
from rrp.organisations.selectors import organisations_of


@transaction.atomic
def token_issue(
    *, actor: Actor, user: AbstractBaseUser, organisation: Organisation | None = None
) -> str:
    """Make a token for `user` in one of their organisations and return its only clear copy."""
    mine = list(organisations_of(user))
    if organisation is None:
        if len(mine) != 1:
            raise ValidationError(
                {"org": f"{user.get_username()} belongs to {len(mine)} organisations: name one"}
            )
        organisation = mine[0]
    elif organisation not in mine:
        raise ValidationError({"org": f"{user.get_username()} has no role in {organisation}"})
    value = new_token_value()
    token = ApiToken.objects.create(
        user_id=user.pk, organisation=organisation, token_hash=hash_token(value), hint=value[:10],
        expires_at=timezone.now() + dt.timedelta(days=settings.TOKEN_DAYS),
    )
    audit_record(
        actor=actor,
        action=AuditAction.TOKEN_ISSUED,
        organisation=organisation,
        obj=token,
        summary=f"API token {token.hint}... issued to {user.get_username()}",
    )
    return value


def tokens_of(user: AbstractBaseUser) -> QuerySet[ApiToken]:
    """A person's own tokens, newest first."""
    return ApiToken.objects.filter(user_id=user.pk).select_related("organisation")


def tokens_in(organisation: Organisation) -> QuerySet[ApiToken]:
    """Every token issued for the organisation, for its administrators."""
    return ApiToken.objects.filter(organisation=organisation).select_related("user")


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Stop a token working at once. Revoking one already revoked changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    token.revoked_by = user  # type: ignore[assignment]
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor, action=AuditAction.TOKEN_REVOKED, organisation=token.organisation,
        obj=token, summary=f"API token {token.hint}... of {token.user.get_username()} revoked",
    )
    return token
