from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from rrp.core.forms import error_summary


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = settings.LOGIN_REDIRECT_URL
        return redirect(target or settings.LOGIN_REDIRECT_URL)
    demo_accounts = []
    if settings.DEMO_MODE:
        from rrp.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, OTHER_PROVIDER_ACCOUNTS

        demo_accounts = [
            dict(a, password=DEMO_PASSWORD) for a in DEMO_ACCOUNTS + OTHER_PROVIDER_ACCOUNTS
        ]
    demo_rows = [
        [{"text": a["username"]}, {"text": a["role_label"]}, {"text": a["sees"]}]
        for a in demo_accounts
    ]
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "errors": error_summary(form),
            "demo_accounts": demo_accounts,
            "demo_rows": demo_rows,
        },
    )


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        logout(request)
        return redirect("accounts:sign-in")
    return render(request, "accounts/sign_out.html")
