"""The demo's past uses of force name people on the staff register (issue 13): the ward teams
and bank staff who held patients are on the register of their ward, each record is linked to
them by name with their training on the day, and the names and job titles recorded stay as
they were. A small demo (three months, a third of the beds) is enough."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rrp.incidents import codes
from rrp.incidents.models import StaffInvolvement

TODAY = dt.date(2026, 9, 16)


def test_staff_on_past_uses_of_force_are_linked_to_the_register_with_training(
    db: None, settings: Any
) -> None:
    from rrp.demo.generator import seed_demo

    organisation = seed_demo(seed=2026, today=TODAY, history_months=3, bed_share=0.3)
    involved = StaffInvolvement.objects.filter(
        incident__organisation=organisation, incident__entered_in_error_at__isnull=True,
    ).exclude(incident__status=codes.Status.DRAFT).select_related("staff_member", "incident")
    assert involved.count() > 50
    linked = [s for s in involved if s.staff_member is not None]
    assert len(linked) == involved.count()
    for person in linked:
        assert person.staff_member is not None
        assert person.staff_member.name == person.name  # linked by name, name kept as recorded
        assert person.training_on_the_day  # everyone in the demo works on a ward
        assert {c["status"] for c in person.training_on_the_day} <= {
            "in_date", "expiring", "expired", "never"}
    # Most who held were in date; a few were not, as on a real ward.
    physical = [next((c for c in s.training_on_the_day if c["level"] == "physical"), None)
                for s in linked]
    in_date = sum(1 for c in physical if c and c["status"] in ("in_date", "expiring"))
    assert 0.6 <= in_date / len(linked) < 1.0, in_date / len(linked)
