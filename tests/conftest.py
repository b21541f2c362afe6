"""Fixtures shared by every test: organisations, wards, patients, people with a role, signed-in
clients for pages and the API, the `rrp` console script against a fresh database, and the
throwaway PostgreSQL server behind `pytest --postgres`.

Most fixtures are small factories (`make_ward(...)`, `make_user(...)`) so a test says exactly
what it needs. They go through the services, as the pages and the CLI do, so the audit trail a
test sees is the one a real user would leave. The setup actor is the system (`via="cli"`), so a
test looking for a user's audit events filters on that user.

    def test_ward_staff_see_their_patients(make_patient, client_as):
        patient = make_patient(local_id="P1")
        response = client_as("ward_staff").get("/patients/")
        assert "P1" in response.content.decode()

Running against PostgreSQL
--------------------------
`pytest --postgres` starts a throwaway server (tests/postgres_server.py) and points Django at
it before the test database is created. Tests that do not touch the database are deselected,
so the same integration suite runs on both databases. Tests marked `postgres` only run there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from postgres_server import PostgresServer, PostgresUnavailable

# Fixtures that give a test the database: with --postgres, tests without one are deselected.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_setup",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "postgres_server",
    "rrp_cli",
    "rrp_cli_databases",
}

TEST_PASSWORD = "correct-horse-battery-staple-42"  # passes the password validators
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


# -- options and selection -------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        action="store_true",
        default=False,
        help="run the database tests against a throwaway PostgreSQL server started for the run "
        "(needs: apt-get install postgresql); tests without the database are deselected",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Say at once, not once per test, when --postgres cannot work on this machine.
    if config.getoption("postgres"):
        from postgres_server import find_bindir

        try:
            find_bindir()
        except PostgresUnavailable as error:
            raise pytest.UsageError(str(error)) from None


def _uses_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") or item.get_closest_marker("postgres"):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = config.getoption("postgres")
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        if on_postgres:
            wanted = _uses_database(item) and item.get_closest_marker("sqlite_only") is None
        else:
            wanted = item.get_closest_marker("postgres") is None
        (keep if wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
        config.stash[_DESELECTED_REASON] = (
            f"{len(dropped)} tests without the database or marked sqlite_only deselected: "
            "this run is on PostgreSQL"
            if on_postgres
            else f"{len(dropped)} tests marked postgres deselected: run them with --postgres"
        )


_DESELECTED_REASON = pytest.StashKey[str]()


def pytest_report_header(config: pytest.Config) -> str:
    return "database: " + (
        "throwaway PostgreSQL server (--postgres)" if config.getoption("postgres") else "SQLite"
    )


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    reason = config.stash.get(_DESELECTED_REASON, None)
    if reason:
        terminalreporter.write_line(reason)


# -- PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> Iterator[PostgresServer]:
    """The throwaway PostgreSQL server of a `--postgres` run, stopped and removed at the end."""
    if not request.config.getoption("postgres"):
        pytest.fail("this test needs the PostgreSQL server: run pytest with --postgres")
    try:
        server = PostgresServer.start()
    except PostgresUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield server
    finally:
        server.stop()
        server.remove()


def _point_django_at(database: dict[str, Any]) -> None:
    """Replace the default database settings after Django has read them.

    pytest-django configures Django before any conftest runs, so the settings module cannot
    be told about a server started here. The settings dict is changed in place and the
    connection handler forgets its cached settings and connection objects.
    """
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    default = settings.DATABASES["default"]
    default.clear()
    default.update(database)
    for alias in list(connections.settings):
        with contextlib.suppress(AttributeError):  # never opened
            del connections[alias]
    connections.__dict__.pop("settings", None)
    connections._settings = None  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request: pytest.FixtureRequest, django_db_modify_db_settings_parallel_suffix: None
) -> None:
    """pytest-django calls this just before it creates the test database."""
    if not request.config.getoption("postgres"):
        return
    from django.conf import settings

    server: PostgresServer = request.getfixturevalue("postgres_server")
    # The two-role setup the README describes (docs/adr/0009): the owner creates and migrates
    # the test database, whose migration grants the app role; the tests then run as the app.
    server.create_role(OWNER_ROLE, "LOGIN CREATEDB")
    server.create_role(APP_ROLE, "LOGIN")
    server.create_database("rrp")
    settings.DATABASE_APP_ROLE = APP_ROLE
    _point_django_at({**server.django_settings("rrp"), "USER": OWNER_ROLE})


OWNER_ROLE = "rrp_owner"
APP_ROLE = "rrp_app"


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, request: pytest.FixtureRequest, django_db_blocker: Any
) -> Iterator[None]:
    """pytest-django's test database, and on PostgreSQL the tests connect as the app role
    once it is migrated (and as the owner again to drop it at the end)."""
    if not request.config.getoption("postgres"):
        yield
        return
    from django.db import connections

    def connect_as(role: str) -> None:
        with django_db_blocker.unblock():
            connections.close_all()
        for alias in ("default",):
            connections[alias].settings_dict["USER"] = role
            connections.settings[alias]["USER"] = role

    connect_as(APP_ROLE)
    yield
    connect_as(OWNER_ROLE)


# -- transactional tests and the append-only audit trail ---------------------------------------


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


def _sqlite_audit_triggers(connection: Any, *, present: bool) -> None:
    import importlib

    migration = importlib.import_module("rrp.audit.migrations.0002_append_only_trigger")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master "
            "WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'"
        )
        existing = {row[0] for row in cursor.fetchall()}
        if present and not existing:
            for statement in migration.SQLITE_UP:
                cursor.execute(statement)
        elif not present and existing:
            for statement in migration.SQLITE_DOWN:
                cursor.execute(statement)


@pytest.fixture(autouse=True)
def _audit_trail_can_be_flushed(request: pytest.FixtureRequest) -> Iterator[None]:
    """Transactional tests (live server, browser) empty every table after each test. On SQLite
    that is a DELETE, which the append-only trigger rightly refuses for audit events, so the
    trigger is lifted just for the flush and put back before the next test. PostgreSQL empties
    tables with TRUNCATE, which the app role the tests run as may not do to the audit trail
    (and a trigger refuses): transactional tests belong to the SQLite and browser runs."""
    if not _is_transactional(request):
        yield
        return
    if request.config.getoption("postgres"):
        pytest.fail("transactional tests cannot run on the PostgreSQL run: the app role may "
                    "not empty the audit trail; test it on SQLite", pytrace=False)
    request.getfixturevalue("transactional_db")
    from django.db import connection

    _sqlite_audit_triggers(connection, present=True)
    yield
    _sqlite_audit_triggers(connection, present=False)


# -- organisations, wards, patients ------------------------------------------------------------


@pytest.fixture
def system_actor() -> Any:
    """The actor fixtures act as: the system, as the CLI would be."""
    from rrp.audit.services import Actor

    return Actor(user=None, via="cli")


_codes = itertools.count(1)


def _next_code(prefix: str) -> str:
    return f"{prefix}{next(_codes)}"


@pytest.fixture
def make_organisation(db: None, system_actor: Any) -> Callable[..., Any]:
    """make_organisation(ods_code="R1A", name="Example NHS Trust", sector="nhs")."""
    from rrp.organisations.services import organisation_create

    def make(ods_code: str | None = None, name: str | None = None, sector: str = "nhs") -> Any:
        code = ods_code or _next_code("RX")
        return organisation_create(
            actor=system_actor, ods_code=code, name=name or f"Trust {code}", sector=sector
        )

    return make


@pytest.fixture
def organisation(make_organisation: Callable[..., Any]) -> Any:
    """The organisation a test works in unless it says otherwise: R1A, Example NHS Trust."""
    return make_organisation(ods_code="R1A", name="Example NHS Trust")


@pytest.fixture
def make_site(db: None, system_actor: Any, organisation: Any) -> Callable[..., Any]:
    """make_site(name="Northgate Hospital", organisation=...)."""
    from rrp.organisations.services import site_create

    def make(name: str | None = None, organisation: Any = organisation) -> Any:
        return site_create(
            actor=system_actor, organisation=organisation, name=name or _next_code("Site ")
        )

    return make


@pytest.fixture
def make_ward(db: None, system_actor: Any, organisation: Any) -> Callable[..., Any]:
    """make_ward(code="OAK", name="Oak Ward", beds=18, service_type="adult_acute",
    organisation=..., site=None)."""
    from rrp.organisations.services import ward_create

    def make(
        code: str | None = None,
        name: str | None = None,
        beds: int = 18,
        service_type: str = "adult_acute",
        organisation: Any = organisation,
        site: Any = None,
    ) -> Any:
        code = code or _next_code("W")
        return ward_create(
            actor=system_actor, organisation=organisation, code=code,
            name=name or f"{code.title()} Ward", beds=beds, service_type=service_type, site=site,
        )

    return make


@pytest.fixture
def ward(make_ward: Callable[..., Any]) -> Any:
    """Oak Ward (OAK), adult acute, 18 beds, in `organisation`."""
    return make_ward(code="OAK", name="Oak Ward")


@pytest.fixture
def make_patient(db: None, system_actor: Any, organisation: Any) -> Callable[..., Any]:
    """make_patient(local_id="P1001", organisation=..., **any patient field). Defaults: born
    15 March 1984, everything else "not known"."""
    from rrp.patients.services import patient_create

    def make(local_id: str | None = None, organisation: Any = organisation, **values: Any) -> Any:
        values.setdefault("date_of_birth", dt.date(1984, 3, 15))
        return patient_create(
            actor=system_actor, organisation=organisation,
            local_id=local_id or _next_code("P"), **values,
        )

    return make


@pytest.fixture
def patient(make_patient: Callable[..., Any]) -> Any:
    """Patient P1001, Jo Bloggs, NHS number 943 476 5919, in `organisation`."""
    return make_patient(
        local_id="P1001", nhs_number="9434765919", given_name="Jo", family_name="Bloggs"
    )


@pytest.fixture
def make_admission(db: None, system_actor: Any) -> Callable[..., Any]:
    """make_admission(patient, ward, admitted_on=date, discharged_on=None)."""
    from rrp.patients.services import admission_create

    def make(
        patient: Any, ward: Any, admitted_on: dt.date, discharged_on: dt.date | None = None
    ) -> Any:
        return admission_create(
            actor=system_actor, patient=patient, ward=ward, admitted_on=admitted_on,
            discharged_on=discharged_on,
        )

    return make


# -- people and signed-in clients --------------------------------------------------------------


@pytest.fixture
def make_user(db: None, system_actor: Any, organisation: Any) -> Callable[..., Any]:
    """make_user(role="ward_staff", organisation=..., username=None, roles=(...),
    password=TEST_PASSWORD, full_name="").

    `roles` gives several roles at once; the password is `TEST_PASSWORD` unless given.
    """
    from rrp.organisations.services import user_add

    def make(
        role: str = "ward_staff",
        organisation: Any = organisation,
        username: str | None = None,
        roles: tuple[str, ...] | list[str] | None = None,
        password: str | None = TEST_PASSWORD,
        full_name: str = "",
    ) -> Any:
        username = username or _next_code(f"{role}_")
        user = None
        for each in roles or (role,):
            user = user_add(
                actor=system_actor, username=username, organisation=organisation, role=each,
                password=password, full_name=full_name,
            )
        return user

    return make


@pytest.fixture
def user_password() -> str:
    """The password `make_user` gives everyone unless told otherwise."""
    return TEST_PASSWORD


@pytest.fixture
def client_for() -> Callable[..., Client]:
    """client_for(user, organisation=None): a test client signed in as `user`, working in
    `organisation` when they belong to several."""

    def make(user: Any, organisation: Any = None) -> Client:
        from rrp.organisations.middleware import SESSION_KEY

        client = Client()
        client.force_login(user, backend=MODEL_BACKEND)
        if organisation is not None:
            session = client.session
            session[SESSION_KEY] = organisation.pk
            session.save()
        return client

    return make


@pytest.fixture
def client_as(
    make_user: Callable[..., Any], client_for: Callable[..., Client], organisation: Any
) -> Callable[..., Client]:
    """client_as("ward_manager", organisation=...): a new person with that role, signed in."""

    def make(role: str, organisation: Any = organisation) -> Client:
        return client_for(make_user(role, organisation=organisation), organisation)

    return make


@dataclass
class ApiClient:
    """A Django test client that sends `Authorization: Bearer <token>` on every request and
    JSON bodies: api.get("/api/v1/wards"), api.post("/api/v1/patients", {...})."""

    token: str
    client: Client = field(default_factory=Client)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, params or {}, headers=self._headers())

    def _send(self, method: str, path: str, body: Any) -> Any:
        return getattr(self.client, method)(
            path, data=json.dumps(body), content_type="application/json", headers=self._headers()
        )

    def post(self, path: str, body: Any = None) -> Any:
        return self._send("post", path, body if body is not None else {})

    def put(self, path: str, body: Any = None) -> Any:
        return self._send("put", path, body if body is not None else {})

    def patch(self, path: str, body: Any = None) -> Any:
        return self._send("patch", path, body if body is not None else {})

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self._headers())


@pytest.fixture
def api_client_for(system_actor: Any) -> Callable[..., ApiClient]:
    """api_client_for(user, organisation=None): an API client with a new token for `user`
    (issued with rrp.accounts.services.token_issue, as `rrp token issue` does)."""
    from rrp.accounts.services import token_issue

    def make(user: Any, organisation: Any = None) -> ApiClient:
        token = token_issue(actor=system_actor, user=user, organisation=organisation)
        return ApiClient(token=token)

    return make


@pytest.fixture
def api_client_as(
    make_user: Callable[..., Any], api_client_for: Callable[..., ApiClient], organisation: Any
) -> Callable[..., ApiClient]:
    """api_client_as("ward_staff", organisation=...): a new person with that role and a token."""

    def make(role: str, organisation: Any = organisation) -> ApiClient:
        return api_client_for(make_user(role, organisation=organisation), organisation)

    return make


@pytest.fixture
def demo_without_other_capabilities(monkeypatch: pytest.MonkeyPatch) -> None:
    """seed_demo with only the platform's part (provider, sites, wards, people, patients, ward
    stays, bed days): a second or two instead of most of a minute. Leaves out every
    capability's step in generator.DEMO_STEPS."""
    from rrp.demo import generator

    monkeypatch.setattr(generator, "DEMO_STEPS", ())


# -- the rrp console script --------------------------------------------------------------------


@dataclass
class RrpCli:
    """Runs the real `rrp` console script in a subprocess against its own fresh, migrated
    database (SQLite, or a database on the throwaway PostgreSQL server with --postgres)."""

    executable: Path
    env: dict[str, str]
    database: str  # the SQLite file, or the database name on the PostgreSQL server

    @property
    def database_url(self) -> str:
        return self.env["RRP_DATABASE_URL"]

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own console script
            [str(self.executable), *args],
            input=input,
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            timeout=600,  # seed-demo writes two years of records
            check=False,
        )

    def shell(self, code: str) -> subprocess.CompletedProcess[str]:
        """Run Python inside the app (`rrp shell -c`) against the same database."""
        return self("shell", "--no-imports", "-c", code)


def rrp_executable() -> Path:
    executable = Path(sys.executable).with_name("rrp")
    if not executable.exists():
        pytest.fail(f"{executable} is missing: install the package with pip install -e '.[test]'")
    return executable


def clean_environment(**extra: str) -> dict[str, str]:
    """The environment without any RRP_ or Django setting of the test run itself."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RRP_", "DJANGO_"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "rrp.config.settings"
    env.update(extra)
    return env


@pytest.fixture
def clean_env() -> Callable[..., dict[str, str]]:
    """clean_env(RRP_DEBUG="false", ...): an environment for a subprocess without the test
    run's own RRP_ and Django settings, with the real settings module."""
    return clean_environment


class RrpCliDatabases:
    """Fresh databases for the `rrp` console script. Migrations run once into a template;
    each database after that is a copy (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on
    PostgreSQL), so a test can also copy a database another fixture has already provisioned."""

    def __init__(self, workdir: Path, server: PostgresServer | None) -> None:
        self.workdir = workdir
        self.server = server
        self.executable = rrp_executable()
        self._names = itertools.count(1)
        self.template = self._create(source=None)
        result = self.template("migrate", "--verbosity", "0")
        if result.returncode != 0:
            pytest.fail(f"rrp migrate failed for the CLI template database:\n{result.stderr}")

    def new(self, copy_of: RrpCli | None = None) -> RrpCli:
        """A fresh migrated database, or a copy of `copy_of`'s database."""
        return self._create(source=copy_of or self.template)

    def _create(self, source: RrpCli | None) -> RrpCli:
        number = next(self._names)
        folder = self.workdir / f"db{number}"
        folder.mkdir()
        if self.server is not None:
            name = f"rrp_cli_{number}"
            self.server.create_database(name, template=source.database if source else None)
            url, database = self.server.url(name), name
        else:
            database = str(folder / "rrp.sqlite3")
            if source is not None:
                shutil.copyfile(source.database, database)
            url = f"sqlite:///{database}"
        env = clean_environment(RRP_DATABASE_URL=url, RRP_DEBUG="true", RRP_VAR_DIR=str(folder))
        return RrpCli(executable=self.executable, env=env, database=database)


@pytest.fixture(scope="session")
def rrp_cli_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> RrpCliDatabases:
    """Makes `RrpCli`s with fresh databases: `rrp_cli_databases.new(copy_of=provisioned)`."""
    server = (
        request.getfixturevalue("postgres_server") if request.config.getoption("postgres") else None
    )
    return RrpCliDatabases(tmp_path_factory.mktemp("rrp-cli"), server)


@pytest.fixture
def rrp_cli(rrp_cli_databases: RrpCliDatabases) -> RrpCli:
    """rrp_cli("org", "add", "--ods-code", "R1A", "--name", "Example NHS Trust") runs the real
    console script (RRP_DEBUG=true) against a fresh migrated database of this test's own."""
    return rrp_cli_databases.new()
