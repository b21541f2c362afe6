"""API tokens can be seen and revoked, and they expire (issue 11): `rrp token list` and
`rrp token revoke`, a page where a person sees and revokes their own and an organisation
administrator those of the organisation, and RRP_TOKEN_DAYS (default 90) after which a token
stops working. Each revocation is audited."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from rrp.accounts.models import ApiToken
from rrp.audit.models import AuditAction, AuditEvent


@pytest.fixture
def nurse(make_user: Any) -> Any:
    return make_user("ward_staff", username="nina")


def test_a_token_expires_after_the_configured_days(
    nurse: Any, ward: Any, api_client_for: Any
) -> None:
    with override_settings(TOKEN_DAYS=30):
        api = api_client_for(nurse)
    token = ApiToken.objects.get(user=nurse)
    lifetime = token.expires_at - token.created_at
    assert abs(lifetime - dt.timedelta(days=30)) < dt.timedelta(minutes=1)
    assert api.get("/api/v1/wards").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=30, minutes=1)):
        assert api.get("/api/v1/wards").status_code == 401


def test_the_default_is_ninety_days(nurse: Any, ward: Any, api_client_for: Any) -> None:
    api_client_for(nurse)
    token = ApiToken.objects.get(user=nurse)
    lifetime = token.expires_at - token.created_at
    assert abs(lifetime - dt.timedelta(days=90)) < dt.timedelta(minutes=1)


def test_rrp_token_list_and_revoke(nurse: Any, ward: Any, api_client_for: Any) -> None:
    api = api_client_for(nurse)
    api.get("/api/v1/wards")
    token = ApiToken.objects.get(user=nurse)
    out = io.StringIO()
    call_command("token", "list", "--username", "nina", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith(f"{token.pk}\t{token.hint}...\tR1A\t")
    assert "last used 20" in line and line.endswith("active")
    call_command("token", "revoke", "--id", str(token.pk), stdout=io.StringIO())
    assert api.get("/api/v1/wards").status_code == 401
    out = io.StringIO()
    call_command("token", "list", "--username", "nina", stdout=out)
    assert out.getvalue().strip().endswith("revoked")
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert event.object_id == str(token.pk) and event.via == "cli"
    with pytest.raises(CommandError, match="no API token with id 999999"):
        call_command("token", "revoke", "--id", "999999")


def test_a_person_sees_and_revokes_their_own_token_on_a_page(
    nurse: Any, ward: Any, api_client_for: Any, client_for: Any
) -> None:
    api = api_client_for(nurse)
    token = ApiToken.objects.get(user=nurse)
    client = client_for(nurse)
    page = client.get("/account/tokens/").content.decode()
    assert token.hint in page and "Active" in page and "Revoke" in page
    done = client.post(f"/account/tokens/{token.pk}/revoke/", follow=True)
    assert "revoked: it no longer works" in done.content.decode()
    assert api.get("/api/v1/wards").status_code == 401
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert event.actor == nurse


def test_an_administrator_revokes_anyones_token_in_the_organisation(
    nurse: Any, ward: Any, api_client_for: Any, client_as: Any
) -> None:
    api = api_client_for(nurse)
    token = ApiToken.objects.get(user=nurse)
    admin = client_as("org_admin")
    page = admin.get("/people/tokens/").content.decode()
    assert "nina" in page and token.hint in page
    assert admin.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert api.get("/api/v1/wards").status_code == 401


@pytest.mark.parametrize("role", ["ward_staff", "ward_manager", "doctor", "rrp_lead", "board",
                                  "trainer", "auditor"])
def test_nobody_else_can_see_or_revoke_someone_elses_token(
    role: str, nurse: Any, ward: Any, api_client_for: Any, client_as: Any
) -> None:
    api = api_client_for(nurse)
    token = ApiToken.objects.get(user=nurse)
    other = client_as(role)
    assert other.get("/people/tokens/").status_code == 403
    assert token.hint not in other.get("/account/tokens/").content.decode()
    assert other.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert api.get("/api/v1/wards").status_code == 200


def test_an_administrator_of_another_organisation_cannot_revoke(
    nurse: Any, ward: Any, api_client_for: Any, make_organisation: Any, make_user: Any,
    client_for: Any,
) -> None:
    api = api_client_for(nurse)
    token = ApiToken.objects.get(user=nurse)
    elsewhere = make_organisation(ods_code="R9Z")
    admin = make_user("org_admin", organisation=elsewhere)
    client = client_for(admin, elsewhere)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert api.get("/api/v1/wards").status_code == 200
