from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
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


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's handler400, with a sentence instead of a bare "Bad Request (400)" (issue 11).
    A request larger than the server reads is a 413 that says the limit. (The API answers in
    JSON before this: rrp.api.bodies.)"""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000
        return render(request, "400.html", {
            "heading": "What you sent is too large",
            "sentence": f"A form can hold at most {limit:g} MB of text. Shorten what you typed; "
                        "to add a file, use the file upload, which takes larger files.",
        }, status=413)
    if isinstance(exception, MultiPartParserError) and "header size" in str(exception):
        # Django reads at most 1,024 bytes of each part's headers, where a file's name is.
        return render(request, "400.html", {
            "heading": "The file's name is too long",
            "sentence": "A file's name can be at most about 900 characters. Rename the file "
                        "to something shorter and upload it again.",
        }, status=400)
    if isinstance(exception, TooManyFieldsSent):
        sentence = (f"A form can hold at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} "
                    "answers.")
    else:
        sentence = "Something in what was sent could not be read."
    return render(request, "400.html", {"heading": "Sorry, what was sent could not be read",
                                        "sentence": sentence}, status=400)
