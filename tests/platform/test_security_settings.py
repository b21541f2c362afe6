"""The security baseline: Argon2 passwords, session and CSRF cookies that scripts cannot read
and other sites cannot send, a 30-minute idle timeout, a strict Content Security Policy with
a per-request nonce, CSRF on every form, and `rrp check --deploy` clean in production.

The test settings use a fast password hasher and run with DEBUG, so production values are read
from the real settings module in a fresh interpreter with production environment variables.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import time_machine

PRODUCTION_SETTINGS = [
    "PASSWORD_HASHERS", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_AGE", "SESSION_SAVE_EVERY_REQUEST",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "X_FRAME_OPTIONS", "DEBUG", "ALLOWED_HOSTS", "AXES_FAILURE_LIMIT",
]


def production_env(clean_env: Any, tmp_path: Any) -> dict[str, str]:
    return clean_env(
        RRP_DEBUG="false",
        RRP_SECRET_KEY=secrets.token_urlsafe(64),
        RRP_ALLOWED_HOSTS="rrp.example.nhs.uk",
        RRP_VAR_DIR=str(tmp_path),
        RRP_DATABASE_URL=f"sqlite:///{tmp_path / 'rrp.sqlite3'}",
    )


@pytest.fixture
def production(clean_env: Any, tmp_path: Any) -> dict[str, Any]:
    code = (
        "import json\nfrom django.conf import settings\n"
        f"print(json.dumps({{n: getattr(settings, n) for n in {PRODUCTION_SETTINGS!r}}}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env=production_env(clean_env, tmp_path), capture_output=True, text=True, timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_hashes_passwords_with_argon2(production: dict[str, Any]) -> None:
    assert production["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_production_cookies_are_secure_httponly_and_same_site(production: dict[str, Any]) -> None:
    assert production["DEBUG"] is False
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["ALLOWED_HOSTS"] == ["rrp.example.nhs.uk"]


def test_production_signs_out_after_30_idle_minutes(production: dict[str, Any]) -> None:
    assert production["SESSION_COOKIE_AGE"] == 30 * 60
    assert production["SESSION_SAVE_EVERY_REQUEST"] is True  # each request restarts the clock


def test_rrp_check_deploy_is_clean_with_production_settings(
    clean_env: Any, tmp_path: Any
) -> None:
    rrp = str(Path(sys.executable).with_name("rrp"))
    env = production_env(clean_env, tmp_path)
    # As the README deploys: static files collected first (the check looks for their manifest,
    # tests/platform/test_static_manifest_check.py).
    collect = subprocess.run(  # noqa: S603
        [rrp, "collectstatic", "--noinput"], env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert collect.returncode == 0, collect.stdout + collect.stderr
    result = subprocess.run(  # noqa: S603
        [rrp, "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues" in output


# -- in the running application ----------------------------------------------------------------


def csp_of(response: Any) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_every_page_has_a_strict_content_security_policy_with_a_nonce(client: Any) -> None:
    response = client.get("/sign-in/")
    policy = csp_of(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    nonces = [v for v in policy["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1
    # The nonce changes with every response.
    again = [v for v in csp_of(client.get("/sign-in/"))["script-src"] if v.startswith("'nonce-")]
    assert again != nonces
    # Any inline script or style in the page carries this response's nonce.
    nonce = nonces[0][len("'nonce-"):-1]
    html = response.content.decode()
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
        if "src=" not in tag:
            assert f'nonce="{nonce}"' in tag, tag
    assert " style=" not in html, "inline style attributes are refused by the policy"


def test_signed_in_pages_have_the_policy_too(client_as: Any) -> None:
    response = client_as("org_admin").get("/wards/")
    assert response.status_code == 200
    assert "'nonce-" in response.headers["Content-Security-Policy"]


def test_the_session_and_csrf_cookies_are_httponly_and_same_site(
    make_user: Any, client: Any, user_password: str
) -> None:
    make_user("ward_staff", username="ann")
    csrf = client.get("/sign-in/").cookies["csrftoken"]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    response = client.post("/sign-in/", {"username": "ann", "password": user_password})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_an_idle_session_ends_after_30_minutes(client_as: Any) -> None:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = client_as("ward_staff")
        assert client.get("/wards/").status_code == 200
        # Working steadily keeps the session alive well past 30 minutes in all.
        for _ in range(3):
            clock.shift(dt.timedelta(minutes=25))
            assert client.get("/wards/").status_code == 200
        # 31 minutes without a request signs the person out.
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/wards/")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in/")


def test_forms_need_the_csrf_token(make_user: Any, client_for: Any, organisation: Any) -> None:
    from django.test import Client

    from rrp.organisations.middleware import SESSION_KEY

    user = make_user("org_admin")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = strict.session
    session[SESSION_KEY] = organisation.pk
    session.save()
    response = strict.post("/wards/add/", {"code": "ELM", "name": "Elm", "service_type": "picu",
                                           "beds": "4"})
    assert response.status_code == 403


def test_pages_cannot_be_framed_or_sniffed(client: Any) -> None:
    response = client.get("/sign-in/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_and_api_answers_with_patient_data_are_never_cached(
    client_as: Any, api_client_as: Any, make_patient: Any
) -> None:
    """Issue 11: a shared ward PC's cache must not keep patient pages."""
    patient = make_patient()
    nurse = client_as("ward_staff")
    for path in ("/", "/patients/", f"/patients/{patient.pk}/"):
        response = nurse.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store", path
    api = api_client_as("ward_staff")
    answer = api.get(f"/api/v1/patients/{patient.pk}")
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
