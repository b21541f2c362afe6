"""Writes the analytics make: known changes that rebase SPC charts, targets, and the record
that figures were exported. Keyword-only, one transaction each, audited in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from rrp.analytics.measures import MEASURE_BY_ID
from rrp.analytics.models import ChangePoint, MeasureTarget
from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_record, snapshot


@transaction.atomic
def change_point_create(
    *, actor: Actor, organisation: Any, month: dt.date, label: str, ward: Any = None
) -> ChangePoint:
    """A known change in practice from `month`: SPC charts start a new baseline there."""
    problems: dict[str, list[str]] = {}
    if not label.strip():
        problems["label"] = ["Say what changed, like 'Safewards introduced'"]
    if ward is not None and ward.organisation_id != organisation.pk:
        problems["ward"] = ["That ward is not in your organisation"]
    if ChangePoint.objects.filter(organisation=organisation, ward=ward, month=month).exists():
        problems["month"] = ["A change is already recorded from that month"]
    if problems:
        raise ValidationError(problems)
    point = ChangePoint.objects.create(
        organisation=organisation, ward=ward, month=month.replace(day=1), label=label.strip()
    )
    audit_record(actor=actor, action=AuditAction.CREATE, organisation=organisation, obj=point,
                 summary=f"SPC baseline from {point.month:%B %Y}: {point.label}"[:300],
                 after=snapshot(point))
    return point


@transaction.atomic
def change_point_remove(*, actor: Actor, change_point: ChangePoint) -> None:
    """Charts stop rebasing at this point. The audit trail keeps what it was."""
    before = snapshot(change_point)
    organisation = change_point.organisation
    summary = f"SPC baseline from {change_point.month:%B %Y} removed: {change_point.label}"
    change_point.delete()
    audit_record(actor=actor, action=AuditAction.CHANGE, organisation=organisation,
                 object_type="analytics.changepoint", object_id=before["id"],
                 summary=summary[:300], before=before)


@transaction.atomic
def target_set(
    *, actor: Actor, organisation: Any, measure: str, scope: str, value: float | None
) -> MeasureTarget | None:
    """Set (or with None, clear) the target a measure's assurance icon is judged against."""
    if measure not in MEASURE_BY_ID:
        raise ValidationError({"measure": ["Choose a measure from the list"]})
    if value is not None and value < 0:
        raise ValidationError({"value": ["The target cannot be negative"]})
    existing = MeasureTarget.objects.filter(organisation=organisation, measure=measure,
                                            scope=scope).first()
    before = snapshot(existing) if existing else None
    if value is None:
        if existing is not None:
            existing.delete()
        target = None
    else:
        target, _ = MeasureTarget.objects.update_or_create(
            organisation=organisation, measure=measure, scope=scope, defaults={"value": value}
        )
    audit_record(actor=actor, action=AuditAction.CHANGE, organisation=organisation,
                 object_type="analytics.measuretarget", object_id=f"{measure}@{scope}",
                 summary=f"Target for {measure} ({scope}): "
                 f"{value if value is not None else 'none'}",
                 before=before, after=snapshot(target) if target else None)
    return target


@transaction.atomic
def figures_export_record(
    *, actor: Actor, organisation: Any, table_id: str, filters: dict[str, str], suppressed: bool
) -> None:
    """A CSV of aggregate figures left the system: who, which table, with which filters."""
    audit_record(
        actor=actor, action=AuditAction.EXPORT, organisation=organisation,
        object_type="analytics.figures", object_id=table_id,
        summary=f"Dashboard figures downloaded: {table_id}"
        + (" (small numbers suppressed)" if suppressed else " (exact figures)"),
        after={"filters": filters, "suppressed": suppressed},
    )
