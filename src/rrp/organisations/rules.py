"""Object-level permissions with `rules`: the object is the organisation (or a record in it),
and a user's roles are the ones they hold in that organisation."""

from __future__ import annotations

from typing import Any

import rules

from rrp.organisations.roles import PERMISSION_ROLES, roles_allow
from rrp.organisations.selectors import roles_in


def _organisation_of(obj: Any) -> Any:
    if obj is None:
        return None
    if obj.__class__.__name__ == "Organisation":
        return obj
    return getattr(obj, "organisation", None)


def _predicate_for(permission: str) -> rules.Predicate:
    @rules.predicate(name=f"may_{permission}")
    def allowed(user: Any, obj: Any = None) -> bool:
        organisation = _organisation_of(obj)
        if organisation is None or not user.is_authenticated:
            return False
        return roles_allow(roles_in(user, organisation), permission)

    return allowed


for _permission in PERMISSION_ROLES:
    rules.add_perm(_permission, _predicate_for(_permission))
