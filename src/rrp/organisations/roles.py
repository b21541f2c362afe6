"""Which roles may do what. One table, read by the `rules` predicates in rules.py.

Roles hold within one organisation: being a lead at one provider gives nothing at another.
"""

from __future__ import annotations

from rrp.organisations.models import Role

CLINICAL = frozenset({Role.WARD_STAFF, Role.WARD_MANAGER, Role.DOCTOR, Role.RRP_LEAD})

PERMISSION_ROLES: dict[str, frozenset[str]] = {
    # Patient-identifiable pages (names, NHS numbers) only for people who care for patients.
    "patients.view_patient": CLINICAL,
    "patients.view_identifiable": CLINICAL,
    "patients.change_patient": CLINICAL,
    "organisations.view_organisation": frozenset(Role.values),
    "organisations.manage_organisation": frozenset({Role.ORG_ADMIN}),
    "organisations.enter_bed_days": frozenset({Role.ORG_ADMIN, Role.WARD_MANAGER, Role.RRP_LEAD}),
    "organisations.view_members": frozenset({Role.ORG_ADMIN, Role.RRP_LEAD}),
    "audit.view_auditevent": frozenset({Role.ORG_ADMIN}),
}


def roles_allow(roles: frozenset[str] | set[str], permission: str) -> bool:
    return bool(set(roles) & PERMISSION_ROLES.get(permission, frozenset()))
