from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from rrp.core.attention import attention_for
from rrp.organisations.middleware import SESSION_KEY


def home(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    if organisation is None:
        return render(request, "core/no_organisation.html")
    return render(request, "core/home.html", {"attention": attention_for(request)})


@require_http_methods(["GET", "POST"])
def switch_organisation(request: HttpRequest) -> HttpResponse:
    mine = request.my_organisations  # type: ignore[attr-defined]
    if request.method == "POST":
        chosen = request.POST.get("organisation", "")
        match = next((o for o in mine if str(o.pk) == chosen), None)
        if match is not None:
            request.session[SESSION_KEY] = match.pk
            return redirect("core:home")
    return render(request, "core/switch_organisation.html", {"organisations": mine})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
