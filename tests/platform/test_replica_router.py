"""The read replica router's rules (issue 12), without a replica: the router object asked
directly, as Django asks it, with model classes and hints. The settings that install it are
read in a fresh interpreter. tests/platform/test_replica_streaming.py shows the same rules
against a real streaming replica (PostgreSQL run)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from rrp.analytics.models import (
    ChangePoint,
    DutyFact,
    InterventionFact,
    MeasureTarget,
    MonthlyBreakdown,
    MonthlyMeasure,
    MonthlyPopulation,
    SummaryDirty,
    SummaryState,
)
from rrp.audit.models import AuditEvent
from rrp.config.db_router import ReplicaRouter, primary
from rrp.incidents.models import Incident
from rrp.organisations.models import Organisation

router = ReplicaRouter()


@pytest.mark.parametrize(
    "model", [MonthlyMeasure, MonthlyBreakdown, MonthlyPopulation, InterventionFact, DutyFact]
)
def test_summary_reads_go_to_the_replica(model: Any) -> None:
    assert router.db_for_read(model) == "replica"


@pytest.mark.parametrize("model", [Incident, Organisation, AuditEvent])
def test_reads_of_records_go_to_the_primary(model: Any) -> None:
    assert router.db_for_read(model) == "default"


@pytest.mark.parametrize("model", [SummaryDirty, SummaryState])
def test_the_catch_up_bookkeeping_is_read_from_the_primary(model: Any) -> None:
    # bring_up_to_date decides from these whether the summaries are behind: a lagging replica
    # would say they are not.
    assert router.db_for_read(model) == "default"


@pytest.mark.parametrize("model", [ChangePoint, MeasureTarget])
def test_what_people_set_on_the_baselines_page_is_read_from_the_primary(model: Any) -> None:
    assert router.db_for_read(model) == "default"


@pytest.mark.parametrize("model", [MonthlyMeasure, SummaryDirty, Incident])
def test_writes_always_go_to_the_primary(model: Any) -> None:
    assert router.db_for_write(model) == "default"
    assert router.db_for_write(model, instance=model()) == "default"


def test_a_related_read_from_a_summary_follows_the_rules_not_the_instance() -> None:
    measure = MonthlyMeasure()
    measure._state.db = "replica"
    assert router.db_for_read(Organisation, instance=measure) == "default"
    assert router.db_for_read(MonthlyBreakdown, instance=Organisation()) == "replica"


def test_reads_inside_primary_go_to_the_primary_and_only_there() -> None:
    with primary():
        assert router.db_for_read(MonthlyMeasure) == "default"
        with primary():
            assert router.db_for_read(MonthlyMeasure) == "default"
        assert router.db_for_read(MonthlyMeasure) == "default"  # the outer block still holds
    assert router.db_for_read(MonthlyMeasure) == "replica"


def test_primary_in_one_thread_leaves_other_threads_on_the_replica() -> None:
    seen: list[str] = []
    with primary():
        other = threading.Thread(target=lambda: seen.append(router.db_for_read(MonthlyMeasure)))
        other.start()
        other.join()
        assert router.db_for_read(MonthlyMeasure) == "default"
    assert seen == ["replica"]


# A real transaction on the test database: in the `db` fixture's every test is inside one
# already, so only a transactional test can show the read moving when atomic() begins. The
# PostgreSQL run takes no transactional tests (tests/conftest.py); test_replica_streaming
# shows the same there.
@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_go_to_the_primary() -> None:
    assert router.db_for_read(MonthlyMeasure) == "replica"
    with transaction.atomic():
        assert router.db_for_read(MonthlyMeasure) == "default"
        with transaction.atomic():  # a savepoint
            assert router.db_for_read(MonthlyMeasure) == "default"
    assert router.db_for_read(MonthlyMeasure) == "replica"


def test_objects_from_the_primary_and_the_replica_may_be_related() -> None:
    measure, organisation = MonthlyMeasure(), Organisation()
    measure._state.db, organisation._state.db = "replica", "default"
    assert router.allow_relation(measure, organisation) is True
    organisation._state.db = "elsewhere"
    assert router.allow_relation(measure, organisation) is None


def test_only_the_primary_is_migrated() -> None:
    assert router.allow_migrate("default", "analytics", "monthlymeasure") is True
    assert router.allow_migrate("replica", "analytics", "monthlymeasure") is False
    assert router.allow_migrate("replica", "incidents") is False


# -- the settings ------------------------------------------------------------------------------

PRIMARY_URL = "postgres://rrp_app:secret@db.internal:5432/rrp"
REPLICA_URL = "postgres://rrp_app:secret@replica.internal:5432/rrp"

SHOW_DATABASES = (
    "import json, rrp.config.settings as s; "
    "print(json.dumps({'databases': s.DATABASES, 'routers': s.DATABASE_ROUTERS}))"
)


def load_settings(clean_env: Any, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Import the real settings module in a fresh interpreter with this environment."""
    return subprocess.run(
        [sys.executable, "-c", SHOW_DATABASES],
        env=clean_env(RRP_DEBUG="true", RRP_VAR_DIR=str(tmp_path), **env),
        capture_output=True, text=True, timeout=60, check=False,
    )


def test_without_a_replica_there_is_one_database_and_no_router(
    clean_env: Any, tmp_path: Path
) -> None:
    result = load_settings(clean_env, tmp_path, RRP_DATABASE_URL=PRIMARY_URL)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert list(loaded["databases"]) == ["default"]
    assert loaded["routers"] == []


def test_a_replica_url_adds_the_replica_and_the_router(clean_env: Any, tmp_path: Path) -> None:
    result = load_settings(
        clean_env, tmp_path, RRP_DATABASE_URL=PRIMARY_URL, RRP_DATABASE_REPLICA_URL=REPLICA_URL
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    default, replica = loaded["databases"]["default"], loaded["databases"]["replica"]
    assert loaded["routers"] == ["rrp.config.db_router.ReplicaRouter"]
    assert (replica["HOST"], replica["NAME"], replica["USER"]) == ("replica.internal", "rrp",
                                                                   "rrp_app")
    assert replica["ENGINE"] == default["ENGINE"] == "django.db.backends.postgresql"
    for option in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        assert replica[option] == default[option]
    # Django's test runner uses default's test database under this name, creating nothing.
    assert replica["TEST"] == {"MIRROR": "default"}


@pytest.mark.parametrize(
    "env",
    [
        {"RRP_DATABASE_URL": PRIMARY_URL, "RRP_DATABASE_REPLICA_URL": "sqlite:///replica.db"},
        {"RRP_DATABASE_URL": "sqlite:///rrp.db", "RRP_DATABASE_REPLICA_URL": REPLICA_URL},
    ],
)
def test_a_replica_needs_postgresql_on_both_sides(
    clean_env: Any, tmp_path: Path, env: dict[str, str]
) -> None:
    result = load_settings(clean_env, tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: RRP_DATABASE_REPLICA_URL must be a postgres:// URL" in (
        result.stderr
    )


def test_a_bad_replica_url_names_its_own_variable(clean_env: Any, tmp_path: Path) -> None:
    result = load_settings(
        clean_env, tmp_path, RRP_DATABASE_URL=PRIMARY_URL,
        RRP_DATABASE_REPLICA_URL="postgres://rrp@replica.internal:5432/",
    )
    assert result.returncode != 0
    assert "RRP_DATABASE_REPLICA_URL: postgres URL needs a database name" in result.stderr
