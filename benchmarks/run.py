"""`make bench`: how fast the dashboards are at 100,000 and 1,000,000 interventions, on SQLite
and PostgreSQL, against DuckDB computing the same figures from the raw rows (the floor).

    python -m benchmarks.run                      # 100k and 1M, SQLite and PostgreSQL
    python -m benchmarks.run --sizes 100000       # a quick run
    python -m benchmarks.run --databases sqlite   # without PostgreSQL

For each size the synthetic provider is written once as CSV files (benchmarks.synthetic), then
loaded into a fresh SQLite file, a database on a throwaway PostgreSQL server (started the way
`pytest --postgres` starts one) and DuckDB. Each database run happens in its own process
(benchmarks.worker) and times, after building the analytics summaries:

  summary rebuild        `rrp analytics rebuild` (rrp.analytics.bulk_rebuild), against DuckDB
                         computing the dashboard's figures for every month and type filter
  org dashboard, no chart drawn yet
                         the organisation dashboard page as a board member with the chart store
                         empty: the figures at once, the charts queued (a reader never waits)
  worker: draw them      `rrp worker` drawing that page's charts (both audiences, both widths)
  org dashboard          the same page again (charts drawn: only queries and the page)
  org dashboard, exact   as the restrictive practice lead (exact figures)
  org dashboard, prone only  the breakdowns filtered to prone restraint
  ward dashboard         one ward's dashboard page
  ward SPC               GET /api/v1/spc for one ward
  MHSDS measures, year   GET /api/v1/measures for the 12 national measures x 4 levels, 12 months
  ward, read at once after an incident
                         the ward page read before drawing ahead has run (catch-up included)
  background: catch up, draw   what rrp.analytics.drawing_ahead does after that change
  ward, after an incident      the ward page once it has
  background after a late record  the same for a record of last month (every chart changes)
  org/ward dashboard, after it    the pages once that is drawn

Times are medians of repeated runs; "x floor" is the time over DuckDB's for the same figures.
Memory is the peak Python allocation (tracemalloc) during one page.

Then the writers section (benchmarks.writers): RRP deployed with production settings, gunicorn
with 4 workers and `rrp worker`, on each database: 50 clients doing a trivial authenticated GET
for 20 s, then 50 clients recording uses of force for 60 s; writes/s against GETs/s, p50, p95,
p99, errors, and every 201 looked for in the database afterwards.

    python -m benchmarks.run --sections writers   # the writers section only
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"org_dashboard": 0.300, "org_dashboard_exact": 0.300, "org_dashboard_prone": 0.300,
         "ward_dashboard": 0.100, "after_new_incident_drawn": 0.100,
         "org_after_late_record": 0.300, "ward_after_late_record": 0.100,
         "after_new_incident": 0.300, "org_dashboard_cold": 1.0}
# Goals as a ratio to DuckDB's time for the same figures (issue 12).
FLOOR_GOALS = {"summaries_build": 10.0}


def _django(scratch: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rrp.config.settings")
    os.environ["RRP_DEBUG"] = "true"
    os.environ["RRP_VAR_DIR"] = str(scratch)
    os.environ["RRP_DATABASE_URL"] = f"sqlite:///{scratch / 'unused.sqlite3'}"
    import django

    django.setup()


def _worker(directory: Path, database_url: str, scratch: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RRP_", "DJANGO_"))}
    env.update(
        RRP_DATABASE_URL=database_url, RRP_DEBUG="true", RRP_VAR_DIR=str(scratch),
        RRP_ALLOWED_HOSTS="testserver", DJANGO_SETTINGS_MODULE="rrp.config.settings",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "benchmarks.worker", str(directory)],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"benchmark worker failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--databases", nargs="+", choices=("sqlite", "postgres"),
                        default=["sqlite", "postgres"])
    parser.add_argument("--sections", nargs="+", choices=("dashboards", "writers"),
                        default=["dashboards", "writers"])
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="rrp-bench-"))
    _django(workdir)
    sys.path.insert(0, str(ROOT / "tests"))
    from benchmarks import floor, synthetic, writers

    began = time.perf_counter()
    load_before = os.getloadavg()
    server = None
    rows: list[tuple[str, ...]] = []
    writer_rows: list[tuple[str, ...]] = []
    checks: list[str] = []
    sizes = args.sizes if "dashboards" in args.sections else []
    try:
        if "postgres" in args.databases:
            from postgres_server import PostgresServer

            server = PostgresServer.start()
        for size in sizes:
            directory = workdir / f"data-{size}"
            started = time.perf_counter()
            counts = synthetic.generate(size, directory)
            generated = time.perf_counter() - started
            print(f"\n{size:,} interventions: {counts['incident']:,} incidents, "
                  f"{counts['admission']:,} ward stays, {counts['staff']:,} staff rows, "
                  f"{counts['duty']:,} duties; CSV written in {generated:.1f} s", flush=True)
            base = floor.run(directory)
            print(f"  DuckDB floor: loaded in {base['load']:.1f} s", flush=True)
            for database in args.databases:
                scratch = workdir / f"{database}-{size}"
                scratch.mkdir()
                if database == "sqlite":
                    url = f"sqlite:///{scratch / 'bench.sqlite3'}"
                else:
                    assert server is not None
                    name = f"bench_{size}"
                    server.create_database(name)
                    url = server.url(name)
                result = _worker(directory, url, scratch)
                print(f"  {database}: migrated in {result['migrate']:.1f} s, loaded in "
                      f"{result['load']:.1f} s, summaries built in "
                      f"{result['summaries_build']:.1f} s", flush=True)
                agree = result["org_months"] == base["org_months"]
                checks.append(f"{size:,} {database}: monthly interventions, incidents and people "
                              f"for 24 months {'agree' if agree else 'DIFFER'} with DuckDB")
                for key, label, floor_key in (
                    ("summaries_build", "summary rebuild (rrp analytics rebuild)",
                     "every_summary"),
                    ("org_dashboard_cold", "org dashboard, no chart drawn yet", "org_dashboard"),
                    ("org_dashboard_cold_drawn", "  worker: draw them", "org_dashboard"),
                    ("org_dashboard", "org dashboard", "org_dashboard"),
                    ("org_dashboard_exact", "org dashboard, exact", "org_dashboard"),
                    ("org_dashboard_prone", "org dashboard, prone only", "org_dashboard_prone"),
                    ("ward_dashboard", "ward dashboard", "ward_dashboard"),
                    ("ward_spc", "ward SPC (API)", "ward_spc"),
                    ("measures_year", "MHSDS measures, year", "measures_year"),
                    ("after_new_incident", "ward, read at once after an incident",
                     "ward_dashboard"),
                    ("drawn_ahead", "  background: catch up, draw", "ward_dashboard"),
                    ("after_new_incident_drawn", "ward, after an incident", "ward_dashboard"),
                    ("late_record_drawn_ahead", "  background after a late record",
                     "org_dashboard"),
                    ("org_after_late_record", "org dashboard, after it", "org_dashboard"),
                    ("ward_after_late_record", "ward dashboard, after it", "ward_dashboard"),
                ):
                    seconds = result[key]
                    ratio = seconds / base[floor_key] if base[floor_key] else float("nan")
                    memory = {"org_dashboard": result["memory_org_dashboard"],
                              "ward_dashboard": result["memory_ward_dashboard"]}.get(key)
                    goal = GOALS.get(key)
                    verdict = "" if goal is None else ("meets goal" if seconds < goal else
                                                       "MISSES goal")
                    if key in FLOOR_GOALS:
                        verdict = ("meets goal" if ratio <= FLOOR_GOALS[key] else
                                   f"MISSES goal ({ratio / FLOOR_GOALS[key]:.1f}x over "
                                   f"{FLOOR_GOALS[key]:.0f}x floor)")
                    rows.append((f"{size:,}", database, label, _ms(seconds),
                                 _ms(base[floor_key]), f"{ratio:.1f}x",
                                 _mb(memory) if memory else "", verdict))
            if not args.keep:
                shutil.rmtree(directory, ignore_errors=True)
        if "writers" in args.sections:
            print("\nwriters", flush=True)
            writer_rows = writers.run(args.databases, server, workdir)
    finally:
        if server is not None:
            server.stop()
            server.remove()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"files kept in {workdir}")
    if rows:
        headings = ("interventions", "database", "what", "time", "DuckDB floor", "x floor",
                    "peak memory", "goal")
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headings)]
        print()
        print("  ".join(h.ljust(w) for h, w in zip(headings, widths, strict=True)))
        print("  ".join("-" * w for w in widths))
        for row in rows:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    if writer_rows:
        print()
        print(writers.table(writer_rows))
    print()
    for check in checks:
        print(check)
    print(
        f"\nWhole run {time.perf_counter() - began:,.0f} s on {os.cpu_count()} cores; load average "
        f"{load_before[0]:.1f} at the start and {os.getloadavg()[0]:.1f} at the end (other "
        "work on the machine slows every time above)."
    )


if __name__ == "__main__":
    main()
