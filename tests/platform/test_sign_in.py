"""Signing in: a correct username and password signs a person in and is audited; a wrong one is
refused and audited; five failures lock that username from that address for 15 minutes, even
with the right password, without locking the person out everywhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from rrp.audit.models import AuditAction, AuditEvent


@pytest.fixture
def ann(make_user: Any) -> Any:
    return make_user("ward_staff", username="ann", full_name="Ann Jones")


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        "/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_signing_in_goes_home_and_is_audited(ann: Any, client: Client, user_password: str) -> None:
    response = sign_in(client, "ann", user_password)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert event.actor == ann
    assert event.ip_address == "10.0.0.1"
    assert client.get("/").status_code == 200


def test_signing_in_returns_to_the_page_asked_for_but_never_to_another_site(
    ann: Any, user_password: str
) -> None:
    client = Client()
    response = client.post(
        "/sign-in/?next=/wards/", {"username": "ann", "password": user_password}
    )
    assert response.headers["Location"] == "/wards/"
    client = Client()
    response = client.post(
        "/sign-in/?next=https://evil.example/", {"username": "ann", "password": user_password}
    )
    assert response.headers["Location"] == "/"


def test_pages_need_a_signed_in_person(client: Client) -> None:
    response = client.get("/patients/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in/?next=/patients/"


def test_a_wrong_password_is_refused_with_a_message_and_audited(ann: Any, client: Client) -> None:
    response = sign_in(client, "ann", "not-the-password")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.after == {"username": "ann"}
    assert event.actor is None
    assert event.ip_address == "10.0.0.1"
    assert client.get("/").status_code == 302  # still signed out


def test_five_failures_lock_the_username_from_that_address(
    ann: Any, client: Client, user_password: str
) -> None:
    for _ in range(5):
        sign_in(client, "ann", "wrong-password")
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 5
    locked = sign_in(client, "ann", user_password)
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()
    assert client.get("/").status_code == 302


def test_the_lock_is_for_that_username_and_address_only(
    ann: Any, make_user: Any, user_password: str
) -> None:
    make_user("doctor", username="bea")
    attacker = Client()
    for _ in range(5):
        sign_in(attacker, "ann", "wrong-password", address="10.6.6.6")
    # Ann on her own ward PC, and a colleague on the attacker's machine, still get in.
    assert sign_in(Client(), "ann", user_password, address="10.0.0.1").status_code == 302
    assert sign_in(Client(), "bea", user_password, address="10.6.6.6").status_code == 302


def test_four_failures_then_success_resets_the_count(
    ann: Any, client: Client, user_password: str
) -> None:
    for _ in range(4):
        sign_in(client, "ann", "wrong-password")
    assert sign_in(client, "ann", user_password).status_code == 302
    other = Client()
    for _ in range(4):
        sign_in(other, "ann", "wrong-password")
    assert sign_in(other, "ann", user_password).status_code == 302


def test_signing_out_is_audited_and_ends_the_session(client_for: Any, ann: Any) -> None:
    client = client_for(ann)
    assert client.get("/sign-out/").status_code == 200  # a page asking to confirm
    response = client.post("/sign-out/")
    assert response.headers["Location"] == "/sign-in/"
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor=ann).exists()
    assert client.get("/").status_code == 302


def test_someone_with_no_role_anywhere_is_told_so(make_user: Any, client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.create_user("nobody", password="x" * 16)
    page = client_for(person).get("/")
    assert page.status_code == 200
    assert "You do not have a role in any organisation yet" in page.content.decode()
    assert client_for(person).get("/patients/").status_code == 403
