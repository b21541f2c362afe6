from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

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
        user=user, organisation=organisation, token_hash=hash_token(value), hint=value[:10]
    )
    audit_record(
        actor=actor,
        action=AuditAction.TOKEN_ISSUED,
        organisation=organisation,
        obj=token,
        summary=f"API token {token.hint}... issued to {user.get_username()}",
    )
    return value
