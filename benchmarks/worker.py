"""One benchmark run on one database: migrate a fresh database, bulk-load the synthetic
provider's CSV files, build the analytics summaries, then time what a reader waits for.

Run by benchmarks.run in its own process (Django reads its database settings once):

    RRP_DATABASE_URL=sqlite:///... python -m benchmarks.worker DATA_DIR

Prints one JSON object on its last line.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPEATS = 5


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rrp.config.settings")
    os.environ.setdefault("RRP_DEBUG", "true")
    os.environ.setdefault("RRP_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def _sqlite_converters(model: Any, header: list[str]) -> list[Callable[[str], Any]]:
    by_column = {f.column: f for f in model._meta.concrete_fields}
    converters: list[Callable[[str], Any]] = []
    for column in header:
        kind = by_column[column].get_internal_type()
        if kind == "BooleanField":
            converters.append(lambda v: None if v == "\\N" else (1 if v == "true" else 0))
        elif kind == "DateTimeField":
            # Django keeps UTC on SQLite as text without the offset.
            converters.append(lambda v: None if v == "\\N" else v[:19])
        else:
            converters.append(lambda v: None if v == "\\N" else v)
    return converters


def load(directory: Path) -> dict[str, float]:
    """Bulk-load every CSV file; returns seconds per table."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from benchmarks.synthetic import table_files

    models = {m._meta.db_table: m for m in apps.get_models()}
    timings: dict[str, float] = {}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    for path in table_files(directory):
        table = path.stem
        model = models[table]
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with path.open("rb") as handle:
                    columns = handle.readline().decode().strip()
                    statement = (
                        f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
                    )
                    with cursor.cursor.copy(statement) as copy:
                        while chunk := handle.read(1 << 20):
                            copy.write(chunk)
            else:
                with path.open(newline="") as handle:
                    reader = csv.reader(handle)
                    header = next(reader)
                    convert = _sqlite_converters(model, header)
                    sql = (
                        f"INSERT INTO {table} ({', '.join(header)}) "  # noqa: S608
                        f"VALUES ({', '.join(['?'] * len(header))})"
                    )
                    raw = cursor.cursor  # sqlite3 cursor: ? placeholders, no Django wrapping
                    batch: list[list[Any]] = []
                    for row in reader:
                        batch.append([c(v) for c, v in zip(convert, row, strict=True)])
                        if len(batch) >= 50_000:
                            raw.executemany(sql, batch)
                            batch = []
                    if batch:
                        raw.executemany(sql, batch)
        timings[table] = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(models.values())):
                cursor.execute(statement)
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return timings


def _timed(action: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, Any]:
    """Median seconds of `repeats` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _peak_memory(action: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(now: dt.datetime) -> dict[str, Any]:
    from django.core.cache import caches
    from django.test import Client

    from rrp.audit.services import Actor
    from rrp.organisations.models import Organisation
    from rrp.organisations.services import user_add

    actor = Actor(user=None, via="cli")
    organisation = Organisation.objects.get(ods_code="BEN01")
    board = user_add(actor=actor, username="bench_board", organisation=organisation, role="board",
                     password="correct-horse-battery-staple-42", full_name="Board Member")
    lead = user_add(actor=actor, username="bench_lead", organisation=organisation, role="rrp_lead",
                    password="correct-horse-battery-staple-42", full_name="Lead")
    results: dict[str, Any] = {}

    from rrp.analytics.bulk_rebuild import rebuild_in_steps

    started = time.perf_counter()
    rebuild_in_steps(organisation, now=now)  # what `rrp analytics rebuild` runs
    results["summaries_build"] = time.perf_counter() - started

    def client_for(user: Any) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    board_client, lead_client = client_for(board), client_for(lead)
    org_page = "/dashboards/?from=2024-10&to=2026-09"
    ward_page = "/dashboards/wards/W01/?from=2024-10&to=2026-09"

    def get(client: Client, path: str) -> Any:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    from rrp.jobs.worker import run_ready_jobs

    # A process that has served a page already (templates compiled, URLs resolved), as a
    # server has; then the chart store emptied.
    get(board_client, "/dashboards/?from=2024-09&to=2026-08")
    caches["charts"].clear()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    started = time.perf_counter()
    get(board_client, org_page)  # the figures at once; its charts queued for the worker
    results["org_dashboard_cold"] = time.perf_counter() - started
    started = time.perf_counter()
    run_ready_jobs()  # what `rrp worker` does next: draw them
    results["org_dashboard_cold_drawn"] = time.perf_counter() - started
    results["org_dashboard"], _ = _timed(lambda: get(board_client, org_page))
    get(lead_client, org_page)
    run_ready_jobs()
    results["org_dashboard_exact"], _ = _timed(lambda: get(lead_client, org_page))
    prone_page = org_page + "&type=prone"
    get(board_client, prone_page)
    run_ready_jobs()
    results["org_dashboard_prone"], _ = _timed(lambda: get(board_client, prone_page))
    get(board_client, ward_page)
    run_ready_jobs()
    results["ward_dashboard"], _ = _timed(lambda: get(board_client, ward_page))

    from rrp.accounts.services import token_issue
    from rrp.api.urls import api  # noqa: F401 - the API is mounted

    token = token_issue(actor=actor, user=board, organisation=organisation)
    headers = {"Authorization": f"Bearer {token}"}
    api_client = Client()
    results["ward_spc"], _ = _timed(
        lambda: api_client.get("/api/v1/spc", {"measure": "MHS96", "ward": "W01",
                                               "from": "2024-10", "to": "2026-09"},
                               headers=headers)
    )
    national = ("MHS76", "MHS77", "MHS96", "MHS97", "MHS98", "MHS99", "MHS136", "MHS137",
                "MHS138", "MHS139", "MHS146", "MHS147")

    def year_of_measures() -> None:
        for measure_id in national:
            for level in ("organisation", "site", "service_type", "ward"):
                response = api_client.get(
                    "/api/v1/measures",
                    {"measure": measure_id, "level": level, "from": "2025-10", "to": "2026-09"},
                    headers=headers,
                )
                assert response.status_code == 200, response.content

    results["measures_year"], _ = _timed(year_of_measures, repeats=3)

    # Checked against DuckDB's before this run records anything of its own.
    from rrp.analytics.models import MonthlyMeasure

    results["org_months"] = {
        f"{m.month:%Y-%m}": [m.interventions, m.incidents, m.people]
        for m in MonthlyMeasure.objects.filter(
            organisation=organisation, scope="org", month__gte=dt.date(2024, 10, 1),
            month__lte=dt.date(2026, 9, 1),
        )
    }
    # Near real time: a new use of force, then the next ward page catches up with it. First a
    # reader who comes before the charts are drawn again (catching up and drawing on their
    # time), then the usual case: drawn ahead in the background, then read.
    from django.test import override_settings

    with override_settings(RRP_DRAW_AHEAD=False):
        results["after_new_incident"] = _after_new_incident(
            organisation, lead, lambda: get(lead_client, ward_page))
    with override_settings(RRP_DRAW_AHEAD=True):
        results["drawn_ahead"] = _after_new_incident(organisation, lead, run_ready_jobs)
    started = time.perf_counter()
    get(lead_client, ward_page)
    results["after_new_incident_drawn"] = time.perf_counter() - started
    # A late record for last month changes nearly every chart of the period: drawn again in
    # the background, after which the pages are as fast as ever.
    with override_settings(RRP_DRAW_AHEAD=True):
        results["late_record_drawn_ahead"] = _after_new_incident(
            organisation, lead, run_ready_jobs, days_ago=25)
    started = time.perf_counter()
    get(board_client, org_page)
    results["org_after_late_record"] = time.perf_counter() - started
    started = time.perf_counter()
    get(lead_client, ward_page)
    results["ward_after_late_record"] = time.perf_counter() - started

    results["memory_org_dashboard"] = _peak_memory(lambda: get(board_client, org_page))
    results["memory_ward_dashboard"] = _peak_memory(lambda: get(board_client, ward_page))
    return results


def _after_new_incident(
    organisation: Any, user: Any, then: Callable[[], Any], days_ago: int = 0
) -> float:
    """Record a use of force on W01 (`days_ago`), then time `then`."""
    from django.utils import timezone

    from rrp.audit.services import Actor
    from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput
    from rrp.incidents.services import incident_create
    from rrp.organisations.models import Ward
    from rrp.patients.models import Admission

    ward = Ward.objects.get(organisation=organisation, code="W01")
    stay = Admission.objects.filter(ward=ward, discharged_on__isnull=True).first()
    assert stay is not None
    start = timezone.now() - dt.timedelta(days=days_ago, hours=1)
    incident_create(
        actor=Actor(user=user, via="web"), organisation=organisation,
        data=IncidentInput(
            ward=ward, patient=stay.patient, started_at=start,
            ended_at=start + dt.timedelta(minutes=5), reason="10", description="Held",
            efforts_to_avoid="Talked", outcome="Settled", notification="not_applicable",
            interventions=[InterventionInput("07", start, start + dt.timedelta(minutes=5))],
            staff=[StaffInput("A", "Nurse", "lead"), StaffInput("B", "Nurse",
                                                                "monitoring_wellbeing")],
        ),
    )
    started = time.perf_counter()
    then()
    return time.perf_counter() - started


def main() -> None:
    directory = Path(sys.argv[1])
    _setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    per_table = load(directory)
    load_seconds = time.perf_counter() - started
    from benchmarks.synthetic import TODAY

    # "Now" is the synthetic provider's last day, so its history ends where the data does.
    now = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    import time_machine

    with time_machine.travel(now, tick=True):
        results = measure(now)
    results.update(
        {"vendor": connection.vendor, "migrate": migrate_seconds, "load": load_seconds,
         "load_by_table": per_table}
    )
    out = io.StringIO()
    json.dump(results, out)
    print(out.getvalue())


if __name__ == "__main__":
    main()
