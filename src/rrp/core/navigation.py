"""The header navigation: the areas that exist, shown to the roles that can use them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from rrp.organisations.roles import roles_allow


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str
    # Not shown to those who reach the area from another entry (whose permission this is).
    unless: str = ""


# Each capability adds its area here, with the permission that makes it visible.
NAVIGATION: list[NavEntry] = [
    NavEntry("Home", "core:home", "organisations.view_organisation"),
    NavEntry("Patients", "patients:list", "patients.view_patient"),
    NavEntry("Uses of force", "incidents:list", "incidents.view_incident"),
    NavEntry("Safety plans", "careplans:worklist", "careplans.view_plan"),
    NavEntry("Training", "workforce:compliance", "workforce.view_compliance"),
    # The board holds the trainers to account (standard 3.5.I: their yearly summary goes to the
    # executive and non-executive leads) without seeing the staff's own training records.
    NavEntry("Trainers", "trainers:list", "trainers.view", unless="workforce.view_compliance"),
    NavEntry("Dashboards", "analytics:organisation", "analytics.view_dashboard"),
    NavEntry("Wards", "organisations:wards", "organisations.view_organisation"),
    NavEntry("People", "organisations:members", "organisations.view_members"),
    NavEntry("Exports", "exports:index", "incidents.export"),
    NavEntry("Compliance", "standards:home", "standards.view_assessment"),
    NavEntry("Audit", "audit:search", "audit.view_auditevent"),
    NavEntry("Jobs", "jobs:list", "jobs.view_jobs"),
]


def navigation_for(request: HttpRequest) -> list[dict[str, Any]]:
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    if not roles:
        return []
    items = []
    for entry in NAVIGATION:
        if not roles_allow(roles, entry.permission):
            continue
        if entry.unless and roles_allow(roles, entry.unless):
            continue
        href = reverse(entry.url_name)
        current = request.path == href or (href != "/" and request.path.startswith(href))
        items.append({"href": href, "text": entry.label, "current": current})
    return items
