"""Jobs for the worker process tests (tests/platform/test_worker_processes.py): imported by
`rrp worker` with this folder on PYTHONPATH. Each attempt leaves a file, so a test can count
how many times a job ran and in which process."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def note_and_sleep(name: str, seconds: float, out_dir: str) -> str:
    Path(out_dir, f"{name}.started.{os.getpid()}").touch()
    time.sleep(seconds)
    Path(out_dir, f"{name}.done.{os.getpid()}").touch()
    return name


@task()
def fail(message: str) -> None:
    raise RuntimeError(message)
