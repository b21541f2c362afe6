"""Sign-in, failed sign-in and sign-out are audited from Django's auth signals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_record


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(
        actor=Actor(user=user, ip_address=client_ip(request)),
        action=AuditAction.SIGN_IN,
        organisation=None,
        object_type="auth.user",
        object_id=user.pk,
        summary=f"{user.get_username()} signed in",
    )


@receiver(user_logged_out)
def _signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    audit_record(
        actor=Actor(user=user, ip_address=client_ip(request)),
        action=AuditAction.SIGN_OUT,
        organisation=None,
        object_type="auth.user",
        object_id=user.pk,
        summary=f"{user.get_username()} signed out",
    )


@receiver(user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=Actor(user=None, ip_address=client_ip(request)),
        action=AuditAction.SIGN_IN_FAILED,
        organisation=None,
        object_type="auth.user",
        summary=f"Failed sign-in for {username!r}",
        after={"username": username},
    )
