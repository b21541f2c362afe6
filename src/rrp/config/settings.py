"""RRP settings, read from the environment through the typed helpers in `env.py`.

RRP_DATABASE_URL   sqlite:///path or postgres://user:pass@host:port/name (default: var/rrp.sqlite3)
RRP_DATABASE_REPLICA_URL  PostgreSQL only: a streaming read replica of RRP_DATABASE_URL; the
                   dashboards' summary reads go to it, everything else to the primary
                   (rrp.config.db_router)
RRP_SECRET_KEY     required when RRP_DEBUG is false; the demo generates one into var/
RRP_DEBUG          true for the local demo, false in production
RRP_ALLOWED_HOSTS  comma separated
RRP_VAR_DIR        where the SQLite database, uploads and the demo secret live (default: ./var)
RRP_DEMO           true shows the demo accounts on the sign-in page
RRP_EMAIL_HOST     when set, escalations are also sent by email
RRP_DRAW_AHEAD     false stops queueing the dashboards' charts to be drawn after a change
RRP_DRAW_THREADS   threads a worker draws charts on (default: the cores, at most 4)
RRP_JOB_MAX_ATTEMPTS   attempts of a failing background job before it stays failed (default 5)
RRP_JOB_LEASE_SECONDS  a worker silent this long is dead and its job is run again (default 120)
RRP_DATABASE_APP_ROLE  PostgreSQL: the role the app connects as; `rrp migrate`, run as the
                   tables' owner, grants it what it needs (INSERT/SELECT only on the audit trail)
RRP_ASSETS_DIR     the NHS.UK frontend build `make assets` made, read by `rrp collectstatic`
                   (default: build/static in the checkout)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from rrp.config.env import (
    ConfigurationError,
    DatabaseSettings,
    demo_secret_key,
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The checkout (editable install) holds var/ and build/; an installed package is told by
# RRP_VAR_DIR.
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("RRP_VAR_DIR", str(PROJECT_DIR / "var"))).resolve()

DEBUG = env_bool("RRP_DEBUG", False)
DEMO_MODE = env_bool("RRP_DEMO", False)

_secret = env_str("RRP_SECRET_KEY", "")
if not _secret:
    if not (DEBUG or DEMO_MODE):
        raise ConfigurationError("RRP_SECRET_KEY must be set when RRP_DEBUG is false")
    _secret = demo_secret_key(VAR_DIR)
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("RRP_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "rrp.core",
    "rrp.audit",
    "rrp.accounts",
    "rrp.organisations",
    "rrp.patients",
    "rrp.incidents",
    "rrp.careplans",
    "rrp.workforce",
    "rrp.trainers",
    "rrp.analytics",
    "rrp.standards",
    "rrp.api",
    "rrp.jobs",
    "rrp.notifications",
    "rrp.demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "rrp.organisations.middleware.CurrentOrganisationMiddleware",
    "rrp.accounts.middleware.LoginRequiredMiddleware",
    "rrp.core.middleware.NoStoreMiddleware",
    "rrp.api.bodies.JsonBodyMiddleware",
    "rrp.api.query_params.QueryParamsMiddleware",
    "rrp.api.idempotency.IdempotencyMiddleware",
]

# A form's text (not its files) is at most 2 MB: far past the longest record, and a round
# figure the "too large" page can say (rrp.core.views.bad_request).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000_000

ROOT_URLCONF = "rrp.config.urls"
WSGI_APPLICATION = "rrp.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "rrp.config.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "rrp.core.context_processors.service",
            ],
        },
    },
    {
        # Django's own templates (the few built-in pages that still need them).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

_db = parse_database_url(env_str("RRP_DATABASE_URL", f"sqlite:///{VAR_DIR / 'rrp.sqlite3'}"))


def _postgres(database: DatabaseSettings) -> dict[str, Any]:
    """A PostgreSQL DATABASES entry: the primary and its replica are connected to alike."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database.name,
        "USER": database.user,
        "PASSWORD": database.password,
        "HOST": database.host,
        "PORT": database.port,
        "CONN_MAX_AGE": env_int("RRP_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES: dict[str, dict[str, Any]]
if _db.engine == "sqlite":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _db.name,
            "OPTIONS": {
                # Deferred transactions fail with "database is locked" under concurrent writers
                # whatever the timeout; IMMEDIATE takes the write lock up front (Django 5.1+).
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # recursive_triggers makes INSERT OR REPLACE fire the audit trail's
                # no-delete trigger, so a REPLACE cannot rewrite an audit event (issue 11).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                    "PRAGMA recursive_triggers=ON;"
                ),
            },
        }
    }
else:
    DATABASES = {"default": _postgres(_db)}

# A streaming read replica (issue 12): the dashboards' summary reads go to it, every write and
# every read inside a write stay on the primary (rrp.config.db_router says which is which).
# Only PostgreSQL has one: a copy of a SQLite file is not kept up to date by anything.
DATABASE_ROUTERS: list[str] = []
_replica_url = env_str("RRP_DATABASE_REPLICA_URL", "")
if _replica_url:
    _replica = parse_database_url(_replica_url, "RRP_DATABASE_REPLICA_URL")
    if _replica.engine != "postgres" or _db.engine != "postgres":
        raise ImproperlyConfigured(
            "RRP_DATABASE_REPLICA_URL must be a postgres:// URL of a streaming replica of a "
            "PostgreSQL RRP_DATABASE_URL; SQLite has no replicas: leave it unset"
        )
    DATABASES["replica"] = {
        **_postgres(_replica),
        # The replica is a physical copy of default: Django's test runner must not create (or
        # migrate) a test database on it, but use default's under this name.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["rrp.config.db_router.ReplicaRouter"]

# PostgreSQL's two-role setup (README, docs/adr/0009): `rrp migrate` runs as the owner of
# the tables and, when this names the role the app connects as, grants it what it needs:
# INSERT and SELECT only on the audit trail, so the app's login can neither rewrite it nor
# lift its triggers.
DATABASE_APP_ROLE = env_str("RRP_DATABASE_APP_ROLE", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Login throttling: lock an account and address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = env_int("RRP_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Idle session timeout: 30 minutes of inactivity signs the user out (shared ward PCs).
SESSION_COOKIE_AGE = env_int("RRP_SESSION_IDLE_SECONDS", 30 * 60)
# API tokens stop working this many days after they are issued (issue 11).
TOKEN_DAYS = env_int("RRP_TOKEN_DAYS", 90)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("RRP_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("RRP_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Strict CSP: nothing inline without the per-request nonce, no third-party origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# `make assets` copies the NHS.UK frontend build here (never committed). A package installed
# with pip (not -e) lives in site-packages, away from the checkout, so it is told where.
STATICFILES_DIRS = [
    Path(env_str("RRP_ASSETS_DIR", str(PROJECT_DIR / "build" / "static"))).resolve()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded evidence lives outside the web root and is never served by the static server.
MEDIA_ROOT = VAR_DIR / "uploads"
# Largest evidence file accepted (standards uploads); the proxy in front should match it.
RRP_EVIDENCE_MAX_BYTES = env_int("RRP_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)

# Charts are drawn once per change of their numbers (rrp.analytics.charts) and kept on disk
# beside the database, so a restart or a second worker process does not draw them again.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "charts": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "charts"),
        "TIMEOUT": 14 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": env_int("RRP_CHART_CACHE_ENTRIES", 5000)},
    },
}
# After a change to a use of force record, queue the dashboards' charts to be drawn again by
# `rrp worker`, so the next reader finds them drawn (rrp.analytics.drawing_ahead).
RRP_DRAW_AHEAD = env_bool("RRP_DRAW_AHEAD", True)
# Threads a worker draws charts on (vl-convert renders outside the GIL).
RRP_DRAW_THREADS = env_int("RRP_DRAW_THREADS", min(4, os.cpu_count() or 1))

# Background jobs (rrp.jobs, docs/adr/0011-background-jobs.md): django-tasks' API over its
# database backend, so the queue needs no server beyond the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RRP_JOB_MAX_ATTEMPTS = env_int("RRP_JOB_MAX_ATTEMPTS", 5)
RRP_JOB_RETRY_SECONDS = float(env_str("RRP_JOB_RETRY_SECONDS", "10"))
RRP_JOB_LEASE_SECONDS = float(env_str("RRP_JOB_LEASE_SECONDS", "120"))
RRP_WORKER_BEAT_SECONDS = float(env_str("RRP_WORKER_BEAT_SECONDS", "5"))
RRP_WORKER_INTERVAL = float(env_str("RRP_WORKER_INTERVAL", "0.5"))

EMAIL_HOST = env_str("RRP_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.locmem.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("RRP_EMAIL_FROM", "rrp@localhost")
# A medical review still not done this long after it fell due is escalated to these roles on
# the ward (the ward manager stands for the nurse in charge) by the clock (rrp.incidents.clock).
RRP_ESCALATE_MEDICAL_REVIEW_AFTER_MINUTES = env_int("RRP_ESCALATE_MEDICAL_REVIEW_AFTER_MINUTES", 30)
RRP_ESCALATE_MEDICAL_REVIEW_TO = tuple(
    role.strip() for role in env_str("RRP_ESCALATE_MEDICAL_REVIEW_TO", "ward_manager,rrp_lead")
    .split(",") if role.strip()
)
# The address people reach RRP at, for the links in emails.
RRP_SITE_URL = env_str("RRP_SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

NINJA_PAGINATION_PER_PAGE = 100
