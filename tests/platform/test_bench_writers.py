"""`make bench`'s writers section runs end to end (briefly): RRP deployed with production
settings, gunicorn and `rrp worker`, clients reading and recording at once, and every record
a client was told was kept found in the database. The times it measures are for `make bench`
to print, never asserted here."""

from __future__ import annotations

from pathlib import Path

from benchmarks import writers


def test_the_writers_section_records_and_counts_back_every_use_of_force(tmp_path: Path) -> None:
    with writers.deployed("sqlite", tmp_path, server=None, clients=5, patients=10) as deployment:
        result = writers.measure(deployment, get_seconds=1, write_seconds=3)
    gets, written = result["gets"], result["writes"]
    assert gets.ok > 0 and gets.failed == 0
    assert written.ok > 0 and written.failed == 0, written.errors[:3]
    assert len(written.created) == written.ok
    assert result["lost"] == 0
    assert result["still_queued"] == 0  # the worker caught up with the writes
    table = writers.table(writers.rows_for("sqlite", result))
    assert "record a use of force, 5 clients" in table
    assert "writes/s over trivial GETs/s" in table
