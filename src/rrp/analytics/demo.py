"""The analytics part of the demo: the reduction initiative recorded as a known change (so the
SPC charts of its wards start a new baseline there), then every summary built once, so the
first dashboard loads at once."""

from __future__ import annotations

from typing import Any

from rrp.analytics import services
from rrp.analytics.summaries import rebuild


def seed_analytics(ctx: Any) -> None:
    from rrp.incidents.demo import initiative_dates

    for initiative, started in initiative_dates(ctx.today):
        for code in initiative.ward_codes:
            ward = ctx.wards.get(code)
            if ward is not None:
                services.change_point_create(
                    actor=ctx.actor, organisation=ctx.organisation, ward=ward,
                    month=started.replace(day=1), label=initiative.name,
                )
    rebuild(ctx.organisation)
