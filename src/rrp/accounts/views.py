from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from rrp.accounts.models import ApiToken
from rrp.accounts.services import token_revoke, tokens_in, tokens_of
from rrp.core.forms import error_summary
from rrp.core.permissions import actor_from, require_permission


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


# -- API tokens: a person sees and revokes their own; an administrator those of the organisation


def _token_rows(tokens: Any, now: Any, *, with_person: bool) -> list[dict[str, Any]]:
    return [
        {"token": t, "state": t.state(now), "person": t.user.get_username() if with_person
         else ""}
        for t in tokens
    ]


@login_required
@require_http_methods(["GET"])
def token_list(request: HttpRequest) -> HttpResponse:
    """Your own API tokens: when each was made and last used, when it expires; revoke it."""
    now = timezone.now()
    return render(request, "accounts/tokens.html", {
        "rows": _token_rows(tokens_of(cast(AbstractBaseUser, request.user)), now,
                            with_person=False),
        "heading": "Your API tokens", "everyone": False,
    })


@require_permission("accounts.manage_tokens")
@require_http_methods(["GET"])
def organisation_token_list(request: HttpRequest) -> HttpResponse:
    """Every API token of the organisation, for its administrators."""
    organisation = request.organisation  # type: ignore[attr-defined]
    now = timezone.now()
    return render(request, "accounts/tokens.html", {
        "rows": _token_rows(tokens_in(organisation), now, with_person=True),
        "heading": f"API tokens in {organisation.name}", "everyone": True,
    })


@login_required
@require_http_methods(["POST"])
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Your own token, or, for an administrator, any token of the current organisation."""
    token = get_object_or_404(ApiToken, pk=pk)
    organisation = getattr(request, "organisation", None)
    may = token.user_id == request.user.pk or (
        organisation is not None and token.organisation_id == organisation.pk
        and request.user.has_perm("accounts.manage_tokens", organisation)
    )
    if not may:
        raise Http404
    token_revoke(actor=actor_from(request), token=token)
    messages.success(request, f"Token {token.hint}… revoked: it no longer works.")
    back = "accounts:organisation-tokens" if token.user_id != request.user.pk else "accounts:tokens"
    return redirect(back)
