from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from rrp.core.permissions import actor_from
from rrp.notifications import services
from rrp.notifications.models import Notification

SHOWN = 200


@require_http_methods(["GET"])
def notification_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    mine = Notification.objects.for_organisation(organisation).filter(
        recipient=request.user)  # type: ignore[misc]
    items = list(mine.order_by("-created_at", "-pk")[:SHOWN])
    return render(request, "notifications/list.html", {
        "items": items, "unread": sum(1 for n in items if n.read_at is None),
        "email_on": bool(settings.EMAIL_HOST),
    })


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_read(
        actor=actor_from(request),
        organisation=request.organisation,  # type: ignore[attr-defined]
    )
    return redirect("notifications:list")
