"""The read replica router against a real PostgreSQL streaming replica (issue 12).

A throwaway primary keeps WAL for replication; `pg_basebackup -R` copies it into a hot standby
on another port (tests/postgres_server.py: `start_replica`). RRP then runs in a subprocess
with the real settings, RRP_DATABASE_URL naming the primary and RRP_DATABASE_REPLICA_URL the
replica, so the router is installed exactly as in production.

To tell the two databases apart, the script pauses WAL replay on the replica: from then on a
row written to the primary is on the primary only, so whichever database a read finds it in
is the one that served the read. Replay is resumed at the end and the replica catches up.

Runs in the PostgreSQL run only (`pytest --postgres`); it starts its own two servers, not the
run's shared one, because that one keeps no WAL for a replica (wal_level=minimal, for speed).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from postgres_server import PostgresServer, PostgresUnavailable, start_replica

pytestmark = pytest.mark.postgres

DATABASE = "rrp"


@pytest.fixture(scope="module")
def primary_and_replica() -> Iterator[tuple[PostgresServer, PostgresServer]]:
    """A primary with database "rrp" and a hot standby streaming from it; both removed after."""
    servers: list[PostgresServer] = []
    try:
        unavailable = ""
        try:
            primary = PostgresServer.start(replication=True)
            servers.append(primary)
            primary.create_database(DATABASE)
            servers.append(start_replica(primary))
        except PostgresUnavailable as error:
            unavailable = str(error)  # failed below, outside the except: said once
        if unavailable:
            # Never a skip: a missing pg_basebackup says what to install.
            pytest.fail(unavailable, pytrace=False)
        yield servers[0], servers[1]
    finally:
        # The replica first: stopped after its primary, it would wait on the lost connection.
        for server in reversed(servers):
            server.stop()
            server.remove()


# Runs inside RRP (the real settings, router installed) and prints what it saw as JSON.
SCRIPT = r"""
import datetime as dt
import json
import time

import django

django.setup()

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from rrp.analytics.models import MonthlyMeasure, SummaryState
from rrp.audit.services import Actor
from rrp.config.db_router import primary
from rrp.organisations.models import Organisation
from rrp.organisations.services import organisation_create


def sql(alias, statement):
    with connections[alias].cursor() as cursor:
        cursor.execute(statement)
        return cursor.fetchone()[0]


def wait_for(check, what):
    deadline = time.monotonic() + 30
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after 30 s waiting for {what}")
        time.sleep(0.05)


seen = {
    "routers": settings.DATABASE_ROUTERS,
    "replica_mirrors": settings.DATABASES["replica"]["TEST"]["MIRROR"],
    "default_in_recovery": sql("default", "SELECT pg_is_in_recovery()"),
    "replica_in_recovery": sql("replica", "SELECT pg_is_in_recovery()"),
}

# A record written through the services (a transaction, audited) lands on the primary, and
# streaming replication brings it to the replica.
organisation = organisation_create(
    actor=Actor(user=None, via="cli"), ods_code="RRP01", name="Replica Test Trust"
)
seen["organisation_written_to"] = organisation._state.db
wait_for(
    lambda: Organisation.objects.using("replica").filter(pk=organisation.pk).exists(),
    "the organisation to be replayed on the replica",
)
seen["organisation_replayed"] = True

# From here until resumed, the replica has none of the writes below.
sql("replica", "SELECT pg_wal_replay_pause()")
seen["replay_paused"] = sql("replica", "SELECT pg_is_wal_replay_paused()")

month = dt.date(2025, 1, 1)
measure = MonthlyMeasure.objects.create(
    organisation=organisation, scope="org", month=month, interventions=7
)
seen["summary_written_to"] = measure._state.db
seen["summary_rows_on_primary"] = (
    MonthlyMeasure.objects.using("default").filter(organisation=organisation).count()
)

summaries = MonthlyMeasure.objects.filter(organisation=organisation)
seen["summary_read_db"] = summaries.db
seen["summary_read_rows"] = summaries.count()
seen["summary_read_in_recovery"] = sql(summaries.db, "SELECT pg_is_in_recovery()")

with transaction.atomic():
    inside = MonthlyMeasure.objects.filter(organisation=organisation)
    seen["atomic_read_db"] = inside.db
    seen["atomic_read_rows"] = inside.count()

with primary():
    forced = MonthlyMeasure.objects.filter(organisation=organisation)
    seen["primary_block_read_db"] = forced.db
    seen["primary_block_read_rows"] = forced.count()

now = timezone.now()
SummaryState.objects.create(
    organisation=organisation, open_through=month, rebuilt_at=now, refreshed_at=now
)
state = SummaryState.objects.filter(organisation=organisation)
seen["state_read_db"] = state.db
seen["state_read_rows"] = state.count()

sql("replica", "SELECT pg_wal_replay_resume()")
wait_for(
    lambda: MonthlyMeasure.objects.filter(organisation=organisation).count() == 1,
    "the summary row to be replayed on the replica",
)
seen["summary_read_rows_after_replay"] = (
    MonthlyMeasure.objects.filter(organisation=organisation).count()
)
print(json.dumps(seen))
"""


def run_rrp(
    arguments: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments], env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )


def test_summary_reads_come_from_the_replica_and_writes_go_to_the_primary(
    primary_and_replica: tuple[PostgresServer, PostgresServer],
    clean_env: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    primary, replica = primary_and_replica
    assert replica.run_sql("SELECT pg_is_in_recovery()") is True
    assert primary.run_sql("SELECT pg_is_in_recovery()") is False
    env = clean_env(
        RRP_DEBUG="true",
        RRP_VAR_DIR=str(tmp_path),
        RRP_DATABASE_URL=primary.url(DATABASE),
        RRP_DATABASE_REPLICA_URL=replica.url(DATABASE),
    )

    # Migrating with the replica configured touches only the primary (the replica is
    # read-only: a migration run there would fail); the tables reach the replica by streaming.
    migrated = run_rrp(["-m", "rrp.manage", "migrate", "--verbosity", "0"], env)
    assert migrated.returncode == 0, migrated.stderr

    result = run_rrp(["-c", SCRIPT], env)
    assert result.returncode == 0, result.stderr
    seen: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["routers"] == ["rrp.config.db_router.ReplicaRouter"]
    assert seen["replica_mirrors"] == "default"
    assert seen["default_in_recovery"] is False
    assert seen["replica_in_recovery"] is True
    # A write lands on the primary and is streamed to the replica.
    assert seen["organisation_written_to"] == "default"
    assert seen["organisation_replayed"] is True
    assert seen["replay_paused"] is True
    # A summary written through the router is on the primary only while replay is paused ...
    assert seen["summary_written_to"] == "default"
    assert seen["summary_rows_on_primary"] == 1
    # ... so the summary read, which does not find it, was served by the replica.
    assert seen["summary_read_db"] == "replica"
    assert seen["summary_read_in_recovery"] is True
    assert seen["summary_read_rows"] == 0
    # Inside a transaction, and inside primary(), the same read is served by the primary.
    assert (seen["atomic_read_db"], seen["atomic_read_rows"]) == ("default", 1)
    assert (seen["primary_block_read_db"], seen["primary_block_read_rows"]) == ("default", 1)
    # The catch-up's own bookkeeping is read from the primary, never from a lagging replica.
    assert (seen["state_read_db"], seen["state_read_rows"]) == ("default", 1)
    # Once replay resumes, the replica catches up and the dashboards see the new figures.
    assert seen["summary_read_rows_after_replay"] == 1
