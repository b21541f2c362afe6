"""The incident profile a training needs analysis is built on: the organisation's own uses of
force over the last 24 months, ward by ward (RRN Training Standards 1.1: built on the past two
years of incident data; standard 3.4.1: proportional to the needs and elevated risks of the
people supported).

Shown, never typed: the figures come from RRP's records with a plain query through the current
organisation. Anonymised: only counts are read (no patient, no staff member, no free text), and
every count goes through the disclosure rule (rrp.analytics.disclosure, the MHSDS rule unless
RRP_DISCLOSURE_RULE says otherwise) whoever reads it - the TNA goes to the training provider,
outside the treating team - with secondary suppression within each table, so a hidden small
number cannot be worked out from the total.

The profile is plain JSON-safe data, so a signed-off analysis keeps the profile it was signed
on (TrainingNeedsAnalysis.incident_profile) and shows it unchanged later.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from rrp.analytics import disclosure, measures
from rrp.incidents import codes
from rrp.incidents.models import Incident, Injury, Intervention
from rrp.organisations.models import ServiceType, Ward
from rrp.workforce.status import add_months

# RRN Training Standards 1.1: "the past two years of incident data".
MONTHS = 24


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _table(
    title: str, heading: str, measure: str, counts: Mapping[str, int],
    labels: Mapping[str, str], rule: disclosure.SuppressionRule,
) -> dict[str, Any]:
    """One suppressed one-way table: rows in the order of `labels`, only categories seen."""
    present = {k: counts[k] for k in labels if counts.get(k)}
    table = disclosure.suppress_table(present, rule=rule)
    return {
        "title": title,
        "heading": heading,
        "measure": measure,
        "rows": [[labels[k], str(table.cells[k])] for k in present],
        "total": str(table.total),
    }


def incident_profile(
    organisation: Any, today: dt.date, *, service_type: str = ""
) -> dict[str, Any]:
    """The profile on `today`: the 24 months up to and including it, for every ward of the
    organisation (or of the service type), each with its interventions by type and position,
    prone restraint, reasons for the use of force, and injuries by who was injured."""
    rule = measures.disclosure_rule()
    first = add_months(today, -MONTHS) + dt.timedelta(days=1)
    wards = Ward.objects.filter(organisation=organisation).order_by("name")
    if service_type:
        wards = wards.filter(service_type=service_type)
    ward_list = list(wards)
    incidents = Incident.objects.for_organisation(organisation).filter(
        ward__in=ward_list, entered_in_error_at__isnull=True,
        started_at__gte=_start_of(first), started_at__lt=_start_of(today + dt.timedelta(days=1)),
    ).exclude(status=codes.Status.DRAFT)
    by_type: dict[int, Counter[str]] = defaultdict(Counter)
    for ward_id, type_code in Intervention.objects.filter(incident__in=incidents).values_list(
        "incident__ward_id", "type_code"
    ):
        by_type[ward_id][type_code] += 1
    by_reason: dict[int, Counter[str]] = defaultdict(Counter)
    for ward_id, reason in incidents.values_list("ward_id", "reason"):
        by_reason[ward_id][reason] += 1
    by_injured: dict[int, Counter[str]] = defaultdict(Counter)
    for ward_id, person in Injury.objects.filter(incident__in=incidents).values_list(
        "incident__ward_id", "person"
    ):
        by_injured[ward_id][person] += 1
    type_labels = dict(codes.InterventionType.choices)
    physical = codes.PHYSICAL_CODES
    service_labels = dict(ServiceType.choices)
    profile_wards = []
    for ward in ward_list:
        types = by_type.get(ward.pk, Counter())
        prone = types.get(codes.InterventionType.PRONE, 0)
        held = sum(n for code, n in types.items() if code in physical)
        profile_wards.append({
            "code": ward.code,
            "name": ward.name,
            "service": service_labels.get(ward.service_type, ward.service_type),
            "uses_of_force": str(disclosure.suppress_count(sum(by_reason[ward.pk].values()),
                                                          rule)),
            "prone": str(disclosure.suppress_count(prone, rule)),
            "prone_share": str(disclosure.suppress_percentage(prone, held, rule))
            if held else "",
            "tables": [
                _table("Interventions by type and position", "Type of intervention",
                       "Interventions", types, type_labels, rule),
                _table("Why force was used", "Reason", "Uses of force",
                       by_reason.get(ward.pk, Counter()), dict(codes.Reason.choices), rule),
                _table("Injuries during uses of force", "Person injured", "Injuries",
                       by_injured.get(ward.pk, Counter()), dict(codes.InjuredPerson.choices),
                       rule),
            ],
        })
    return {
        "from": first.isoformat(),
        "to": today.isoformat(),
        "rule": rule.name,
        "symbol": rule.symbol,
        "wards": profile_wards,
    }
