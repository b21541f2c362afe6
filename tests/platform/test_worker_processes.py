"""`rrp worker` as real processes over one database: each job is taken once however many
workers run, and a worker killed mid-job (kill -9) loses no job: another runs it again.
On SQLite (a file, as the demo uses) and on the throwaway PostgreSQL server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
RRP = [sys.executable, "-m", "rrp.manage"]


def _env(database_url: str, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rrp.config.settings",
        "RRP_DATABASE_URL": database_url,
        "RRP_VAR_DIR": str(var_dir),
        "RRP_DEBUG": "true",
        "RRP_SECRET_KEY": "worker-process-test-secret-key-0123456789-abcdefghijklmnop",
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
        "RRP_WORKER_BEAT_SECONDS": "0.5",
        "RRP_WORKER_INTERVAL": "0.1",
    }


Shell = Callable[[str], str]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'workers.sqlite3'}"


def _prepare(database_url: str, tmp_path: Path) -> tuple[dict[str, str], Shell]:
    env = _env(database_url, tmp_path / "var")
    subprocess.run([*RRP, "migrate", "--verbosity", "0"], env=env, check=True, timeout=300)

    def shell(code: str) -> str:
        done = subprocess.run([*RRP, "shell", "--verbosity", "0", "-c", code], env=env,
                              check=True, timeout=120, capture_output=True, text=True)
        return done.stdout.strip()

    return env, shell


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*RRP, "worker", "--no-clock", "--verbosity", "0"], env=env)


def _wait(until: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if until():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


STATUS = ("from django_tasks_db.models import DBTaskResult; "
          "print(','.join(sorted(DBTaskResult.objects.values_list('status', flat=True))))")


def _enqueue(shell: Shell, out: Path, names: list[str], seconds: float) -> None:
    shell("import worker_test_jobs as j\n"
          f"for name in {names!r}: j.note_and_sleep.enqueue(name, {seconds}, {str(out)!r})")


@pytest.fixture
def stop_all() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def each_job_taken_once(database_url: str, tmp_path: Path,
                        stop_all: list[subprocess.Popen[bytes]]) -> None:
    env, shell = _prepare(database_url, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    names = [f"job{n:02}" for n in range(30)]
    _enqueue(shell, out, names, 0.05)
    stop_all.extend(_worker(env) for _ in range(3))
    _wait(lambda: shell(STATUS) == ",".join(["SUCCESSFUL"] * len(names)), 120)
    started = sorted(p.name.split(".")[0] for p in out.glob("*.started.*"))
    assert started == names  # every job once: none twice, none lost
    pids = {p.name.rsplit(".", 1)[1] for p in out.glob("*.started.*")}
    assert len(pids) >= 2  # and the workers shared them


def a_killed_worker_loses_no_job(database_url: str, tmp_path: Path,
                                 stop_all: list[subprocess.Popen[bytes]]) -> None:
    env, shell = _prepare(database_url, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    _enqueue(shell, out, ["long"], 3.0)
    first = _worker(env)
    stop_all.append(first)
    _wait(lambda: any(out.glob("long.started.*")))
    os.kill(first.pid, signal.SIGKILL)  # mid-job, no chance to clean up
    first.wait(timeout=30)
    assert shell(STATUS) == "RUNNING"  # left as it was when the worker died
    second = _worker(env)
    stop_all.append(second)
    _wait(lambda: shell(STATUS) == "SUCCESSFUL", 120)
    started = {p.name.rsplit(".", 1)[1] for p in out.glob("long.started.*")}
    done = {p.name.rsplit(".", 1)[1] for p in out.glob("long.done.*")}
    assert started == {str(first.pid), str(second.pid)}
    assert done == {str(second.pid)}
    attempts = shell("from django_tasks_db.models import DBTaskResult; "
                     "print(len(DBTaskResult.objects.get().worker_ids))")
    assert attempts == "2"


def test_each_job_is_taken_once_by_several_workers_on_sqlite(
    sqlite_url: str, tmp_path: Path, stop_all: list[subprocess.Popen[bytes]]
) -> None:
    each_job_taken_once(sqlite_url, tmp_path, stop_all)


def test_a_worker_killed_mid_job_loses_no_job_on_sqlite(
    sqlite_url: str, tmp_path: Path, stop_all: list[subprocess.Popen[bytes]]
) -> None:
    a_killed_worker_loses_no_job(sqlite_url, tmp_path, stop_all)


def _postgres_url(postgres_server: object, name: str) -> str:
    server = postgres_server
    server.create_database(name)  # type: ignore[attr-defined]
    settings = server.django_settings(name)  # type: ignore[attr-defined]
    return f"postgres://{settings['USER']}@127.0.0.1:{settings['PORT']}/{name}"


@pytest.mark.postgres
def test_each_job_is_taken_once_by_several_workers_on_postgresql(
    postgres_server: object, tmp_path: Path, stop_all: list[subprocess.Popen[bytes]]
) -> None:
    each_job_taken_once(_postgres_url(postgres_server, "workers_once"), tmp_path, stop_all)


@pytest.mark.postgres
def test_a_worker_killed_mid_job_loses_no_job_on_postgresql(
    postgres_server: object, tmp_path: Path, stop_all: list[subprocess.Popen[bytes]]
) -> None:
    a_killed_worker_loses_no_job(_postgres_url(postgres_server, "workers_killed"), tmp_path,
                                 stop_all)
