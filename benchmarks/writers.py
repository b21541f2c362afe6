"""`make bench`, writers: how many uses of force RRP records per second while many people
record at once, against how many trivial requests the same server answers (its capacity).

RRP is deployed as the README's "Deploying" section says: production settings
(RRP_DEBUG=false), `rrp migrate`, an organisation with six wards and 200 patients made with the
`rrp` commands and the API, gunicorn with 4 workers and one `rrp worker` beside it (the worker
catches the summaries up and draws the charts while the writes go on). Then, from this process:

  1. 50 clients, each with its own API token, GET /api/v1/organisation as fast as they can for
     20 s: the server's capacity for a request that only authenticates and reads one row;
  2. 50 clients POST /api/v1/incidents (a restraint in two positions by three staff, as the
     browser test records) for 60 s.

Each client waits for its answer before sending the next request (a person at a form, not a
flood). Afterwards every 201's id is looked for in the database ("lost" counts those missing)
and the time the worker took to catch up after the last write is measured.

    python -m benchmarks.writers                      # SQLite and PostgreSQL
    python -m benchmarks.writers --databases sqlite --get-seconds 5 --write-seconds 10
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLIENTS = 50
GUNICORN_WORKERS = 4
WARDS = ("OAK", "ASH", "ELM", "YEW", "FIR", "BAY")
PATIENTS = 200
GOALS = {"ratio": 0.5, "p95_write": 0.500}


@dataclass
class Phase:
    """What the clients of one phase saw."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    created: list[int] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds

    def percentile(self, p: float) -> float:
        if len(self.latencies) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1]

    @property
    def failed(self) -> int:
        return len(self.errors) + sum(n for s, n in self.statuses.items() if not 200 <= s < 300)


@dataclass
class Deployment:
    env: dict[str, str]
    port: int
    tokens: list[str]
    patients: list[int]
    count_incidents: Callable[[list[int]], int]
    queued_jobs: Callable[[], int]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rrp(env: dict[str, str], *args: str, input: str | None = None) -> str:
    result = subprocess.run(  # noqa: S603 - our own console script
        [str(BIN / "rrp"), *args], env=env, input=input, capture_output=True, text=True,
        timeout=600, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"rrp {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def _request(port: int, method: str, path: str, token: str, body: bytes | None = None,
             timeout: float = 120) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https",
                   "Host": "127.0.0.1"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def restraint(ward: str, patient_id: int, start: dt.datetime) -> dict[str, Any]:
    """A use of force starting at `start`: held standing for 4 minutes, then on the side for
    6, by three staff, no injury (also what the production deployment test records)."""
    moment = lambda minutes: (start + dt.timedelta(minutes=minutes)).isoformat()  # noqa: E731
    return {
        "ward": ward, "patient": patient_id, "started_at": moment(0), "ended_at": moment(10),
        "reason": "10", "description": "Held standing, then guided to the floor on his side",
        "efforts_to_avoid": "Calm talking and space offered for ten minutes",
        "in_care_plan": False, "outcome": "Settled in his room, no injury",
        "death_or_serious_injury": False, "notification": "not_applicable",
        "interventions": [
            {"type": "07", "started_at": moment(0), "ended_at": moment(4)},
            {"type": "10", "started_at": moment(4), "ended_at": moment(10)},
        ],
        "staff": [
            {"name": "Sam Lee", "job_title": "Staff nurse", "role": "lead"},
            {"name": "Ali Khan", "job_title": "Healthcare assistant", "role": "head_airway"},
            {"name": "Kim Ode", "job_title": "Staff nurse", "role": "monitoring_wellbeing"},
        ],
    }


def a_restraint(ward: str, patient_id: int, rng: random.Random) -> bytes:
    """The body of a restraint some time in the last two days."""
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    start = now - dt.timedelta(minutes=rng.randint(30, 2 * 24 * 60))
    return json.dumps(restraint(ward, patient_id, start)).encode()


def _wait_until_serving(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()[-4000:]}")
        with contextlib.suppress(OSError):
            _request(port, "GET", "/health/", "", timeout=5)
            return
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on port {port}:\n{log.read_text()[-4000:]}")


@contextlib.contextmanager
def deployed(database: str, scratch: Path, server: Any, *, clients: int = CLIENTS,
             patients: int = PATIENTS) -> Iterator[Deployment]:
    """RRP deployed the README's way on one database, with gunicorn and `rrp worker` running."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RRP_", "DJANGO_"))}
    if database == "sqlite":
        path = scratch / "rrp.sqlite3"
        url = f"sqlite:///{path}"
    else:
        name = f"writers_{secrets.token_hex(4)}"
        server.create_database(name)
        url = server.url(name)
    env.update(
        RRP_DEBUG="false", RRP_SECRET_KEY=secrets.token_urlsafe(50),
        RRP_ALLOWED_HOSTS="127.0.0.1,localhost", RRP_VAR_DIR=str(scratch / "var"),
        RRP_DATABASE_URL=url, RRP_ASSETS_DIR=str(ROOT / "build" / "static"),
    )
    _rrp(env, "collectstatic", "--noinput", "--verbosity", "0")
    _rrp(env, "migrate", "--verbosity", "0")
    _rrp(env, "org", "add", "--ods-code", "R1A", "--name", "Example NHS Trust", "--sector", "nhs")
    for code in WARDS:
        _rrp(env, "ward", "add", "--org", "R1A", "--code", code, "--name", f"{code.title()} Ward",
             "--beds", "18", "--service-type", "adult_acute")
    made = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-c",
         f"from benchmarks.writers import make_people; make_people({clients})"],
        env={**env, "DJANGO_SETTINGS_MODULE": "rrp.config.settings", "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=False,
    )
    if made.returncode != 0:
        raise RuntimeError(f"making the clients' people failed:\n{made.stderr[-4000:]}")
    tokens = json.loads(made.stdout.strip().splitlines()[-1])
    port = _free_port()
    log = scratch / "gunicorn.log"
    with log.open("wb") as output:
        gunicorn = subprocess.Popen(  # noqa: S603 - our own app server
            [str(BIN / "gunicorn"), "rrp.config.wsgi", "--workers", str(GUNICORN_WORKERS),
             "--bind", f"127.0.0.1:{port}", "--timeout", "120"],
            env=env, cwd=scratch, stdout=output, stderr=subprocess.STDOUT,
        )
        worker = subprocess.Popen(  # noqa: S603
            [str(BIN / "rrp"), "worker"], env=env, cwd=scratch, stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(gunicorn, port, log)
        patient_ids = []
        for n in range(patients):
            status, body = _request(port, "POST", "/api/v1/patients", tokens[0], json.dumps({
                "local_id": f"P{10000 + n}", "date_of_birth": f"{1950 + n % 50}-05-01",
                "sex": "male" if n % 2 else "female", "ethnic_category": "ABCDEFGHJ"[n % 9],
            }).encode())
            if status != 201:
                raise RuntimeError(f"POST /api/v1/patients gave {status}: {body[:500]!r}")
            patient_ids.append(json.loads(body)["id"])
        yield Deployment(
            env=env, port=port, tokens=tokens, patients=patient_ids,
            count_incidents=_counter(database, url, server),
            queued_jobs=_queue_counter(database, url, server),
        )
    finally:
        for process in (worker, gunicorn):
            process.terminate()
        for process in (worker, gunicorn):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def make_people(clients: int) -> None:
    """In a process with the deployment's settings: one lead per client, each with a token
    (made with the services `rrp user add` and `rrp token issue` call, without 100 process
    starts). Prints the tokens as JSON."""
    import django

    django.setup()
    from rrp.accounts.services import token_issue
    from rrp.core.cli import cli_actor
    from rrp.organisations import services
    from rrp.organisations.models import Organisation

    organisation = Organisation.objects.get(ods_code="R1A")
    tokens = []
    for n in range(clients):
        user = services.user_add(actor=cli_actor(), username=f"nurse{n:02d}",
                                 organisation=organisation, role="rrp_lead",
                                 full_name=f"Nurse {n:02d}")
        tokens.append(token_issue(actor=cli_actor(), user=user, organisation=organisation))
    print(json.dumps(tokens))


def _query(database: str, url: str, server: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
    if database == "sqlite":
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=60)) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchone()[0]
    dbname = url.split("?", 1)[0].rsplit("/", 1)[1]  # postgres://user@:port/NAME?host=...
    with server.connect(dbname) as db:
        return db.execute(sql, params).fetchone()[0]


def _counter(database: str, url: str, server: Any) -> Callable[[list[int]], int]:
    """How many of these incident ids are in the database."""

    def count(ids: list[int]) -> int:
        found = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            found += _query(database, url, server,
                            f"SELECT COUNT(*) FROM incidents_incident WHERE id IN ({marks})",  # noqa: S608
                            tuple(chunk))
        return found

    return count


def _queue_counter(database: str, url: str, server: Any) -> Callable[[], int]:
    def queued() -> int:
        return int(_query(database, url, server,
                          "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                          "WHERE status IN ('READY', 'RUNNING')"))
    return queued


def _clients(phase: Phase, clients: int, deadline: float,
             act: Callable[[int, random.Random], tuple[int, bytes]]) -> None:
    """`clients` threads, each acting until the deadline; fills the phase in place."""
    lock = threading.Lock()

    def client(n: int) -> None:
        rng = random.Random(n)  # noqa: S311 - synthetic load, not security
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                status, body = act(n, rng)
            except OSError as error:
                with lock:
                    phase.errors.append(f"{type(error).__name__}: {error}")
                continue
            took = time.perf_counter() - began
            with lock:
                phase.latencies.append(took)
                phase.statuses[status] = phase.statuses.get(status, 0) + 1
                if status == 201:
                    phase.created.append(json.loads(body)["id"])
                elif status >= 400 and len(phase.errors) < 1000:
                    phase.errors.append(f"{status}: {body[:200]!r}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def measure(deployment: Deployment, get_seconds: float, write_seconds: float) -> dict[str, Any]:
    port, tokens, patients = deployment.port, deployment.tokens, deployment.patients

    def get(n: int, rng: random.Random) -> tuple[int, bytes]:
        return _request(port, "GET", "/api/v1/organisation", tokens[n])

    def write(n: int, rng: random.Random) -> tuple[int, bytes]:
        body = a_restraint(rng.choice(WARDS), rng.choice(patients), rng)
        return _request(port, "POST", "/api/v1/incidents", tokens[n], body)

    gets = Phase(get_seconds)
    _clients(gets, len(tokens), time.monotonic() + get_seconds, get)
    writes = Phase(write_seconds)
    began = time.monotonic()
    _clients(writes, len(tokens), began + write_seconds, write)
    writes.seconds = time.monotonic() - began  # the last answers arrive after the deadline
    stopped = time.monotonic()
    while deployment.queued_jobs() and time.monotonic() - stopped < 600:
        time.sleep(0.5)
    caught_up = time.monotonic() - stopped
    found = deployment.count_incidents(writes.created)
    return {"clients": len(tokens), "gets": gets, "writes": writes,
            "lost": len(writes.created) - found, "caught_up": caught_up,
            "still_queued": deployment.queued_jobs()}


def _ms(seconds: float) -> str:
    return "-" if seconds != seconds else f"{seconds * 1000:,.0f} ms"


def rows_for(database: str, result: dict[str, Any]) -> list[tuple[str, ...]]:
    clients = result["clients"]
    gets: Phase = result["gets"]
    writes: Phase = result["writes"]
    ratio = writes.rate / gets.rate if gets.rate else float("nan")
    p95 = writes.percentile(95)

    def verdict(met: bool, miss: str) -> str:
        return "meets goal" if met else f"MISSES goal ({miss})"

    write_miss = (f"p95 {p95 / GOALS['p95_write']:.1f}x the 500 ms goal"
                  if p95 > GOALS["p95_write"]
                  else f"{writes.failed} errors, {result['lost']} lost")

    return [
        (database, f"trivial GET, {clients} clients", f"{gets.rate:,.0f}/s",
         _ms(gets.percentile(50)), _ms(gets.percentile(95)), _ms(gets.percentile(99)),
         str(gets.failed), "", ""),
        (database, f"record a use of force, {clients} clients", f"{writes.rate:,.1f}/s",
         _ms(writes.percentile(50)), _ms(p95), _ms(writes.percentile(99)), str(writes.failed),
         str(result["lost"]),
         verdict(p95 <= GOALS["p95_write"] and not writes.failed and not result["lost"],
                 write_miss)),
        (database, "writes/s over trivial GETs/s", f"{ratio:.2f}", "", "", "", "", "",
         verdict(ratio >= GOALS["ratio"], f"{GOALS['ratio'] / ratio:.1f}x short of 0.5")
         if ratio == ratio else ""),
        (database, "worker caught up after the last write", _ms(result["caught_up"]), "", "",
         "", "", "", f"{result['still_queued']} jobs still queued" if result["still_queued"]
         else ""),
    ]


HEADINGS = ("database", "what", "rate", "p50", "p95", "p99", "errors", "lost", "goal")


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADINGS)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(HEADINGS, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def run(databases: list[str], server: Any, workdir: Path, *, get_seconds: float = 20,
        write_seconds: float = 60) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for database in databases:
        scratch = workdir / f"writers-{database}"
        scratch.mkdir(parents=True)
        print(f"  writers on {database}: deploying (gunicorn x{GUNICORN_WORKERS}, rrp worker)",
              flush=True)
        with deployed(database, scratch, server) as deployment:
            result = measure(deployment, get_seconds, write_seconds)
        writes: Phase = result["writes"]
        for error in sorted(set(writes.errors))[:5]:
            print(f"    {error}", flush=True)
        rows += rows_for(database, result)
        print(table(rows_for(database, result)), flush=True)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.writers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", nargs="+", choices=("sqlite", "postgres"),
                        default=["sqlite", "postgres"])
    parser.add_argument("--get-seconds", type=float, default=20)
    parser.add_argument("--write-seconds", type=float, default=60)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="rrp-writers-"))
    sys.path.insert(0, str(ROOT / "tests"))
    server = None
    began = time.perf_counter()
    try:
        if "postgres" in args.databases:
            from postgres_server import PostgresServer

            server = PostgresServer.start()
        rows = run(args.databases, server, workdir, get_seconds=args.get_seconds,
                   write_seconds=args.write_seconds)
    finally:
        if server is not None:
            server.stop()
            server.remove()
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(table(rows))
    print(f"\nWhole run {time.perf_counter() - began:,.0f} s on {os.cpu_count()} cores; load "
          f"average {os.getloadavg()[0]:.1f} at the end.")


if __name__ == "__main__":
    main()
