from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rrp.audit.models import AuditAction, AuditEvent
from rrp.audit.redaction import summaries_for
from rrp.core.permissions import require_permission


@require_permission("audit.view_auditevent")
def audit_search(request: HttpRequest) -> HttpResponse:
    """Administrators search their organisation's trail: who, what, when, which record."""
    organisation = request.organisation  # type: ignore[attr-defined]
    events = AuditEvent.objects.filter(organisation=organisation)
    query = {k: request.GET.get(k, "").strip() for k in ("user", "action", "record", "from", "to")}
    if query["user"]:
        events = events.filter(actor_username__iexact=query["user"])
    if query["action"] in AuditAction.values:
        events = events.filter(action=query["action"])
    if query["record"]:
        kind, _, pk = query["record"].partition(":")
        events = events.filter(object_type__icontains=kind) if not pk else events.filter(
            object_type__icontains=kind, object_id=pk
        )
    for key, lookup in (("from", "occurred_at__date__gte"), ("to", "occurred_at__date__lte")):
        if query[key]:
            try:
                events = events.filter(**{lookup: dt.date.fromisoformat(query[key])})
            except ValueError:
                query[key] = ""
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    shown = summaries_for(
        (e.summary for e in page.object_list), organisation,
        identifiable=request.user.has_perm("patients.view_identifiable", organisation),
    )
    return render(
        request,
        "audit/search.html",
        {"page": page, "rows": list(zip(page.object_list, shown, strict=True)), "query": query,
         "actions": AuditAction.choices},
    )
