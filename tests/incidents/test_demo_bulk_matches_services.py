"""The demo writes what followed older uses of force in bulk, for speed. Written that way, the
history is exactly what the follow-up services write one call at a time: the same records,
the same duties met, the same audit events."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from incidents.test_demo_reproducible import small_demo
from rrp.audit.models import AuditEvent
from rrp.incidents.models import Incident

RECORDS = {
    "medical_reviews": ("reviewed_at", "reviewer", "findings", "delay_reason"),
    "observations": ("kind", "taken_at", "pulse", "bp_systolic", "bp_diastolic",
                     "respiratory_rate", "temperature", "spo2", "consciousness", "hydration",
                     "not_taken_reason", "action_instead", "no_further_concerns", "late_reason"),
    "support": ("support_for", "held", "held_at", "not_held_reason", "notes", "late_reason"),
    "debriefs": ("held", "held_at", "patient_took_part", "not_held_reason", "carer_took_part",
                 "attendees", "learning", "late_reason"),
    "accounts": ("offered_at", "response", "account", "late_reason"),
    "reviews": ("kind", "reviewed_at", "reviewer", "notes", "late_reason"),
}


def _user(user: Any) -> str:
    return "" if user is None else user.username.split(".", 1)[1]  # without the ODS prefix


def history(organisation: Any) -> list[tuple[Any, ...]]:
    """Every use of force with its duties and what met them, without ids or the ODS code."""
    found = []
    for incident in Incident.objects.filter(organisation=organisation).order_by(
        "started_at", "ward__code", "patient__local_id", "pk"
    ):
        records = tuple(
            tuple((*(getattr(r, f) for f in fields), _user(r.recorded_by))
                  for r in getattr(incident, name).order_by("pk"))
            for name, fields in RECORDS.items()
        )
        duties = tuple(
            (d.key, d.kind, d.sequence, d.label, d.due_at, d.completed_at, _user(d.completed_by),
             d.late_reason, d.not_required_reason,
             None if d.intervention is None else d.intervention.type_code)
            for d in incident.duties.order_by("key")
        )
        found.append((incident.patient.local_id, incident.status, incident.started_at,
                      records, duties))
    return found


# What is written in bulk: the records that meet duties, and duties marked not required.
FOLLOW_UP_TYPES = {
    "incidents.medicalreview", "incidents.observation", "incidents.postincidentsupport",
    "incidents.debrief", "incidents.patientaccount", "incidents.review", "incidents.duty",
}


def audit_trail(organisation: Any) -> Counter[tuple[Any, ...]]:
    return Counter(
        (e.action, e.object_type, re.sub(r"UOF-\d+", "UOF-n", e.summary), str(e.after),
         e.actor_username.split(".", 1)[-1], e.via)
        for e in AuditEvent.objects.filter(organisation=organisation,
                                           object_type__in=FOLLOW_UP_TYPES)
    )


def test_bulk_history_is_what_the_services_write(db: None) -> None:
    by_services = small_demo("R1A", seed=5, services_for_last=None)
    in_bulk = small_demo("R1B", seed=5, services_for_last=dt.timedelta(0))
    written = history(by_services)
    assert len(written) > 20
    assert sum(len(r) for *_, records, _d in written for r in records) > 100
    assert history(in_bulk) == written
    trail = audit_trail(by_services)
    assert sum(trail.values()) > 100
    assert audit_trail(in_bulk) == trail
