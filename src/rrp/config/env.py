"""Small typed readers for settings from environment variables.

Each one fails loudly with the variable's name, so a bad deployment stops at start-up
instead of running with a half-understood setting.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse


class ConfigurationError(RuntimeError):
    """A setting from the environment is missing or malformed."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ConfigurationError(f"{name} must be set")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


@dataclass(frozen=True)
class DatabaseSettings:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""


def parse_database_url(url: str, variable: str = "RRP_DATABASE_URL") -> DatabaseSettings:
    """Read `sqlite:///path` or `postgres://user:pass@host:port/name` (also `?host=/socket/dir`).

    `variable` is the setting the URL came from, named in the error messages."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute/path.db, as most tools write them
        path = parsed.path[1:] if parsed.path.startswith("/") else parsed.path
        if not path:
            raise ConfigurationError(f"{variable}: sqlite URL needs a file path")
        return DatabaseSettings(engine="sqlite", name=path)
    if parsed.scheme in {"postgres", "postgresql"}:
        name = parsed.path.lstrip("/")
        if not name:
            raise ConfigurationError(f"{variable}: postgres URL needs a database name")
        host = unquote(parsed.hostname or "")
        for pair in parsed.query.split("&"):
            if pair.startswith("host="):
                host = unquote(pair[5:])
        return DatabaseSettings(
            engine="postgres",
            name=name,
            user=unquote(parsed.username or ""),
            password=unquote(parsed.password or ""),
            host=host,
            port=str(parsed.port or ""),
        )
    raise ConfigurationError(
        f"{variable} must start with sqlite:// or postgres://, not {parsed.scheme!r}://"
    )


def demo_secret_key(var_dir: Path) -> str:
    """A secret key generated once into var/ so a demo survives restarts. Never for production."""
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
