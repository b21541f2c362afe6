"""Background jobs of the analytics (django-tasks, run by `rrp worker`): drawing charts from
the figures. Each job's first argument is the organisation's id (the jobs page shows an
organisation its own jobs)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from rrp.config.db_router import primary


@task()
def draw_after_change(organisation_id: int, ward_ids: list[int]) -> int:
    """Catch the summaries up, then draw the organisation's default dashboard and these
    wards' (every ward when `ward_ids` holds EVERY_WARD). Returns the charts on them."""
    from rrp.organisations.models import Organisation

    organisation = Organisation.objects.get(pk=organisation_id)
    # The figures just caught up on the primary are read from it: a lagging replica would
    # have the charts drawn from the figures before the change (rrp.config.db_router).
    with primary():
        return _draw_after_change(organisation, ward_ids)


def _draw_after_change(organisation: Any, ward_ids: list[int]) -> int:
    from rrp.analytics import drawing_ahead
    from rrp.organisations.models import Ward

    wards = (
        set(Ward.objects.filter(organisation=organisation).values_list("pk", flat=True))
        if drawing_ahead.EVERY_WARD in ward_ids
        else set(ward_ids)
    )
    return drawing_ahead.draw_ahead(organisation, wards)


@task()
def draw_dashboard(organisation_id: int, query: dict[str, str], ward_code: str,
                   exact: bool) -> int:
    """Draw the charts of one dashboard as a reader asked for it (their filters and
    audience), after the reader was shown it without them. Returns the charts drawn."""
    from rrp.analytics import dashboard
    from rrp.analytics.drawing_ahead import AUDIENCES
    from rrp.organisations.models import Organisation, Ward

    organisation = Organisation.objects.get(pk=organisation_id)
    ward: Any = (Ward.objects.get(organisation=organisation, code=ward_code)
                 if ward_code else None)
    filters, _ = dashboard.parse_filters(query, organisation, timezone.now(), ward=ward)
    count = 0
    with primary():  # as above: the figures as they are now, not as a replica has them
        board = dashboard.build(organisation, filters, AUDIENCES[0 if exact else 1])
        for chart in board.charts():
            chart.draw()
            count += 1
    return count
