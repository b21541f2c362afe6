"""The breakdown cells counted in one pass over the fact rows (rrp.analytics.breakdown_cells,
issue 12) are exactly what one GROUP BY query per dimension and type filter gives - the way
they were counted before, written out again here as the reference. Checked on four months of
the small synthetic demo, and again with rows made to hit the edges the demo seldom reaches
(two or more injuries, five or more staff, a restraint with no training recorded, the
police), so that every dimension, flag, duty state and type filter has something in it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest
from django.db.models import Count, F, Q, Sum

from rrp.analytics import breakdown_cells, summaries
from rrp.analytics import categories as cat
from rrp.analytics.models import DutyFact, InterventionFact

FIRST, INCIDENT_FIRST = Q(first_month=True), Q(incident_first=True)
GROUP = ("ward_id", "month")


def with_type(rows: Any, type_filter: str) -> Any:
    bit = cat.TYPE_FILTER_BIT[type_filter]
    return rows.alias(type_bit=F("incident_types").bitand(bit)).filter(type_bit__gt=0)


def reference_cells(facts: Any, duties: Any) -> dict[tuple[Any, ...], list[int]]:
    """Every variant's cells, one GROUP BY query per dimension and variant."""
    cells: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    variants: list[tuple[str | None, Any, Any, Any]] = [
        (None, facts.filter(FIRST), facts.filter(INCIDENT_FIRST), duties)]
    for name, (_, codes) in cat.TYPE_FILTERS.items():
        variants.append((name, facts.filter(FIRST, type_code__in=codes),
                         with_type(facts.filter(INCIDENT_FIRST), name), with_type(duties, name)))
    for variant, interventions, incidents, duty_rows in variants:
        def at(row: dict[str, Any], dimension: str, key: str,
               variant: str | None = variant) -> list[int]:
            return cells[(row["ward_id"], row["month"], cat.typed_dimension(variant, dimension),
                          key)]

        for d in breakdown_cells.DIMENSIONS:
            if d.per == "intervention":
                distinct = variant is not None or d.incidents == "distinct"
                incident_count = (Count("incident_id", distinct=True) if distinct
                                  else Count("id", filter=INCIDENT_FIRST))
                query = interventions.values(*GROUP, *d.fields).annotate(
                    i=Count("id"), n=incident_count, c=Count("id", filter=Q(pk__lt=0)))
            else:
                query = incidents.values(*GROUP, *d.fields).annotate(
                    i=Count("id", filter=Q(pk__lt=0)), n=Count("id"),
                    c=Sum(d.count) if d.count else Count("id", filter=Q(pk__lt=0)))
            for row in query.order_by():
                if d.only_when_set and not row[d.fields[0]]:
                    continue
                cell = at(row, d.name, d.key(row))
                cell[0] += row["i"]
                cell[1] += row["n"]
                cell[2] += row["c"] or 0
        for flag in breakdown_cells.FLAGS:
            is_set = Q(**{f"{flag.field}__gt": 0}) if flag.sums else Q(**{flag.field: True})
            for row in incidents.values(*GROUP).annotate(
                n=Count("id", filter=is_set),
                c=Sum(flag.field) if flag.sums else Count("id", filter=is_set),
            ).order_by():
                if row["n"]:
                    cell = at(row, flag.dimension, flag.key)
                    cell[1] += row["n"]
                    cell[2] += row["c"] or 0
        for row in duty_rows.values(*GROUP, "kind", "status").annotate(n=Count("id")).order_by():
            at(row, "duty", f"{row['kind']}:{row['status']}")[2] += row["n"]
        if variant is None:
            for row in interventions.filter(type_code=cat.PRONE).values(
                *GROUP, "prone_band", "prone_reason_recorded"
            ).annotate(n=Count("id")).order_by():
                at(row, breakdown_cells.PRONE_DIMENSION,
                   cat.prone_key(row["prone_band"], row["prone_reason_recorded"]))[0] += row["n"]
    return dict(cells)


def one_pass(facts: Any, duties: Any) -> dict[tuple[Any, ...], list[int]]:
    return dict(breakdown_cells.count_cells(
        facts.filter(FIRST | INCIDENT_FIRST).values(*breakdown_cells.FACT_FIELDS),
        duties.values(*breakdown_cells.DUTY_FIELDS),
    ))


@pytest.fixture
def demo_facts(db: None) -> tuple[Any, Any]:
    from rrp.demo.generator import seed_demo

    organisation = seed_demo(seed=11, today=dt.date(2026, 6, 15), history_months=4,
                             bed_share=0.3)
    summaries.rebuild(organisation)
    return (InterventionFact.objects.filter(organisation=organisation),
            DutyFact.objects.filter(organisation=organisation))


def test_one_pass_counts_what_a_query_per_dimension_and_type_filter_counts(
    demo_facts: tuple[Any, Any],
) -> None:
    facts, duties = demo_facts
    cells = one_pass(facts, duties)
    reference = reference_cells(facts, duties)
    assert cells == reference

    # And the rebuild stored them so, ward by ward.
    from rrp.analytics.models import MonthlyBreakdown

    stored = {
        (row.scope, row.month, row.dimension, row.key): [row.interventions, row.incidents,
                                                         row.count]
        for row in MonthlyBreakdown.objects.filter(organisation_id=facts[0].organisation_id,
                                                   scope__startswith="ward:")
    }
    expected = {(f"ward:{ward}", month, dimension, key): values[:3]
                for (ward, month, dimension, key), values in reference.items()}
    assert {k: v for k, v in stored.items() if k in expected} == expected

    # And on rows at the edges the demo seldom makes: two or more of an injury, five or more
    # staff, a restraint with no training recorded.
    edge = list(facts.filter(incident_first=True).values_list("pk", flat=True)[:40:3])
    facts.filter(pk__in=edge).update(injuries_patient=2, injuries_other=3, staff_injured=4,
                                     staff_force=6, hold_training="", police=True)
    cells = one_pass(facts, duties)
    assert cells == reference_cells(facts, duties)
    # Every kind of cell is there, for every type filter: nothing above was left untried.
    assert {dimension.split("|")[-1] for (_, _, dimension, _) in cells} == set(
        breakdown_cells.BREAKDOWN_DIMENSIONS)
    assert {dimension.split("|")[0] for (_, _, dimension, _) in cells if "|" in dimension} == {
        cat.typed_dimension(name, "x").split("|")[0] for name in cat.TYPE_FILTERS}
