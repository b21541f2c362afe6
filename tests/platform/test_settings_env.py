"""Settings come from RRP_ environment variables through small typed readers that fail loudly,
naming the variable, so a bad deployment stops at start-up rather than half-working."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from rrp.config.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)


@pytest.mark.parametrize("raw", ["true", "TRUE", "1", "yes", "on", " True "])
def test_true_values(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("RRP_X", raw)
    assert env_bool("RRP_X", False) is True


@pytest.mark.parametrize("raw", ["false", "0", "no", "off", ""])
def test_false_values(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("RRP_X", raw)
    assert env_bool("RRP_X", True) is False


def test_an_unset_value_takes_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RRP_X", raising=False)
    assert env_bool("RRP_X", True) is True
    assert env_int("RRP_X", 7) == 7
    assert env_list("RRP_X", ["a"]) == ["a"]
    assert env_str("RRP_X", "d") == "d"


def test_a_bad_boolean_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RRP_DEBUG", "maybe")
    with pytest.raises(ConfigurationError, match="RRP_DEBUG must be true or false, not 'maybe'"):
        env_bool("RRP_DEBUG", False)


def test_a_bad_number_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RRP_SESSION_IDLE_SECONDS", "half an hour")
    with pytest.raises(ConfigurationError, match="RRP_SESSION_IDLE_SECONDS must be a whole number"):
        env_int("RRP_SESSION_IDLE_SECONDS", 1800)


def test_a_required_value_that_is_missing_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RRP_SECRET", raising=False)
    with pytest.raises(ConfigurationError, match="RRP_SECRET must be set"):
        env_str("RRP_SECRET")


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RRP_ALLOWED_HOSTS", "rrp.example.nhs.uk, localhost,,")
    assert env_list("RRP_ALLOWED_HOSTS", []) == ["rrp.example.nhs.uk", "localhost"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///var/rrp.sqlite3", ("sqlite", "var/rrp.sqlite3", "", "", "")),
        ("sqlite:////srv/rrp/rrp.sqlite3", ("sqlite", "/srv/rrp/rrp.sqlite3", "", "", "")),
        ("postgres://rrp:s%40cret@db.internal:5433/rrp",
         ("postgres", "rrp", "rrp", "s@cret", "db.internal")),
        ("postgresql://rrp@/rrp?host=/var/run/postgresql",
         ("postgres", "rrp", "rrp", "", "/var/run/postgresql")),
    ],
)
def test_database_urls(url: str, expected: tuple[str, ...]) -> None:
    parsed = parse_database_url(url)
    assert (parsed.engine, parsed.name, parsed.user, parsed.password, parsed.host) == expected


def test_a_postgres_url_keeps_its_port() -> None:
    assert parse_database_url("postgres://rrp@db:5433/rrp").port == "5433"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://rrp@db/rrp", "RRP_DATABASE_URL must start with sqlite:// or postgres://"),
        ("sqlite://", "sqlite URL needs a file path"),
        ("postgres://rrp@db:5432/", "postgres URL needs a database name"),
        ("var/rrp.sqlite3", "RRP_DATABASE_URL must start with"),
    ],
)
def test_a_bad_database_url_names_the_problem(url: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        parse_database_url(url)


def load_settings(clean_env: Any, tmp_path: Any, **env: str) -> subprocess.CompletedProcess[str]:
    """Import the real settings module in a fresh interpreter with this environment."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import rrp.config.settings"],
        env=clean_env(RRP_VAR_DIR=str(tmp_path), **env),
        capture_output=True, text=True, timeout=60, check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RRP_DEBUG": "maybe"}, "RRP_DEBUG must be true or false, not 'maybe'"),
        ({"RRP_DEBUG": "true", "RRP_DATABASE_URL": "mysql://x@y/z"},
         "RRP_DATABASE_URL must start with sqlite:// or postgres://"),
        ({"RRP_DEBUG": "false", "RRP_ALLOWED_HOSTS": "rrp.example.nhs.uk"},
         "RRP_SECRET_KEY must be set when RRP_DEBUG is false"),
        ({"RRP_DEBUG": "true", "RRP_SESSION_IDLE_SECONDS": "soon"},
         "RRP_SESSION_IDLE_SECONDS must be a whole number"),
    ],
)
def test_the_application_refuses_to_start_with_a_bad_setting(
    clean_env: Any, tmp_path: Any, env: dict[str, str], message: str
) -> None:
    result = load_settings(clean_env, tmp_path, **env)
    assert result.returncode != 0
    assert f"ConfigurationError: {message}" in result.stderr


def test_the_demo_generates_a_secret_key_once_into_var(clean_env: Any, tmp_path: Any) -> None:
    result = load_settings(clean_env, tmp_path, RRP_DEBUG="true")
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "secret_key"
    key = key_file.read_text()
    assert len(key) >= 50
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    load_settings(clean_env, tmp_path, RRP_DEBUG="true")
    assert key_file.read_text() == key
