"""Run the SQLite and the PostgreSQL suites side by side, one per core, then show both.

`make test` runs the unit and integration tests twice, on SQLite and on a throwaway PostgreSQL
server. They share nothing (each has its own database, temporary folders and var/), so on a
2-core machine running them at once takes about as long as the slower one. Each run's output
goes to its own log and is printed whole when both have finished, so it reads as if they had
run one after the other. Any failure, or a run that collected no tests (pytest's exit 5),
fails the whole: nothing is passed over silently.

    python tests/suites.py        (from the repository root; what `make test` runs)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

SUITES: dict[str, list[str]] = {
    "SQLite": ["-m", "not browser"],
    "PostgreSQL": ["-m", "not browser", "--postgres"],
}


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="rrp-suites-"))
    started = time.monotonic()
    running: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}
    for name, arguments in SUITES.items():
        log = work / f"{name}.log"
        command = [sys.executable, "-m", "pytest", "-q", *arguments,
                   f"--basetemp={work / (name + '-tmp')}"]
        print(f"{name}: {' '.join(command[1:])} (log {log})", flush=True)
        with log.open("wb") as out:
            running[name] = (subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT),
                             log)
    failed = []
    for name, (process, log) in running.items():
        code = process.wait()
        print(f"\n===== {name} suite (exit {code}) =====", flush=True)
        sys.stdout.write(log.read_text(errors="replace"))
        if code != 0:
            failed.append(f"{name} (exit {code}{': no tests ran' if code == 5 else ''})")
    print(f"\nBoth suites took {time.monotonic() - started:.0f} s side by side.", flush=True)
    if failed:
        print("FAILED: " + ", ".join(failed), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
