"""A throwaway PostgreSQL server for one test run.

`pytest --postgres` runs the integration suite against a real PostgreSQL server, the database
production uses, without any setup on the machine beyond `apt-get install postgresql`: this
module initialises a cluster in a temporary directory, starts it on a free loopback port (and a
socket directory inside the same temporary directory), and removes it all at the end.

PostgreSQL's `initdb` and `postgres` refuse to run as root, so when the tests run as root (CI
does) the cluster is owned by and run as the `postgres` user through `runuser`.

`PostgresServer.start(replication=True)` starts a primary that can stream its WAL, and
`start_replica(primary)` a hot standby of it on another port (the read replica tests).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

INSTALL_HINT = "apt-get install postgresql"
SUPERUSER = "postgres"


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are missing or the server would not start."""


def find_bindir() -> Path:
    """The directory holding initdb, pg_ctl and postgres: $RRP_PG_BINDIR, Debian's
    /usr/lib/postgresql/<version>/bin (newest first), or wherever PATH finds pg_ctl."""
    candidates: list[Path] = []
    if os.environ.get("RRP_PG_BINDIR"):
        candidates.append(Path(os.environ["RRP_PG_BINDIR"]))

    def version(path: Path) -> int:
        digits = re.match(r"\d+", path.parent.name)
        return int(digits.group()) if digits else 0

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for bindir in candidates:
        if all((bindir / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return bindir
    raise PostgresUnavailable(
        "pytest --postgres needs the PostgreSQL server binaries (initdb, pg_ctl, postgres), "
        f"which were not found. Install them with: {INSTALL_HINT}"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    bindir: Path
    root: Path  # the temporary directory: data/, sockets/ and the server log
    port: int
    run_as: str | None  # the OS user the server runs as, when the tests run as root
    replication: bool = False  # keeps the WAL a streaming replica needs

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sockets"

    @property
    def logfile(self) -> Path:
        return self.root / "server.log"

    # -- lifecycle -------------------------------------------------------------------------

    @classmethod
    def start(cls, *, replication: bool = False) -> PostgresServer:
        """A new cluster, started. With `replication`, it keeps enough WAL for a streaming
        replica and lets the superuser connect for replication (see `start_replica`)."""
        server = cls._new(replication=replication)
        try:
            server._run(
                "initdb", "-D", str(server.datadir), "-U", SUPERUSER, "--auth=trust",
                "--encoding=UTF8", "--no-locale", "--no-sync",
            )
            if replication:
                # initdb's sample pg_hba.conf has these lines too; say it here rather than
                # depend on the sample. Trust is fine: loopback and a throwaway cluster.
                with (server.datadir / "pg_hba.conf").open("a") as hba:
                    hba.write(
                        f"local replication {SUPERUSER} trust\n"
                        f"host replication {SUPERUSER} 127.0.0.1/32 trust\n"
                    )
            server._start_on_a_free_port()
        except BaseException:
            server.remove()
            raise
        return server

    @classmethod
    def _new(cls, *, replication: bool) -> PostgresServer:
        """A temporary directory with a socket directory, owned by the user the server will
        run as; nothing in data/ yet."""
        bindir = find_bindir()
        run_as = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(SUPERUSER)
            except KeyError:
                raise PostgresUnavailable(
                    f"running as root needs the '{SUPERUSER}' user to own the test cluster; "
                    f"it comes with the server package: {INSTALL_HINT}"
                ) from None
            run_as = SUPERUSER
        root = Path(tempfile.mkdtemp(prefix="rrp-pg-"))
        server = cls(bindir=bindir, root=root, port=0, run_as=run_as, replication=replication)
        try:
            server.socket_dir.mkdir()
            if run_as:
                for path in (root, server.socket_dir):
                    shutil.chown(path, user=run_as, group=pwd.getpwnam(run_as).pw_gid)
        except BaseException:
            server.remove()
            raise
        return server

    def _start_on_a_free_port(self) -> None:
        # A port that is free now can be taken before the server binds it: try a few.
        for attempt in range(3):
            self.port = free_port()
            try:
                self._pg_ctl_start()
                return
            except PostgresUnavailable:
                if attempt == 2:
                    raise

    def _pg_ctl_start(self) -> None:
        # Durability and background work are off: the cluster is thrown away, and the tests
        # run faster. JIT compiles costly queries (analytics) for longer than they take here.
        # A replication primary (and its replica, started with the same options, as a hot
        # standby needs) keeps full WAL and full page writes, which a base backup relies on.
        wal = (
            "-c wal_level=replica -c max_wal_senders=4 -c full_page_writes=on "
            if self.replication
            else "-c wal_level=minimal -c max_wal_senders=0 -c full_page_writes=off "
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.socket_dir} "
            "-c fsync=off -c synchronous_commit=off "
            + wal
            + "-c autovacuum=off -c jit=off -c max_connections=50"
        )
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile), "-w", "-t", "60",
            "-o", options, "start",
        )

    def stop(self) -> None:
        if (self.datadir / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")
            except PostgresUnavailable:
                self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def run_sql(self, statement: str, dbname: str = "postgres") -> Any:
        """The first column of the first row `statement` returns (None if no row)."""
        with self.connect(dbname) as connection:
            row = connection.execute(statement).fetchone()
        return row[0] if row else None

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if self.run_as:
            runuser = shutil.which("runuser") or "/usr/sbin/runuser"  # sbin may not be on PATH
            command = [runuser, "-u", self.run_as, "--", *command]
        result = subprocess.run(  # noqa: S603 - fixed tool names and our own arguments
            command, capture_output=True, text=True, cwd=self.root, check=False
        )
        if result.returncode != 0:
            log = self.logfile.read_text()[-2000:] if self.logfile.exists() else ""
            raise PostgresUnavailable(
                f"{tool} failed ({result.returncode}): {result.stderr.strip() or result.stdout}"
                + (f"\nserver log:\n{log}" if log else "")
            )

    # -- databases -------------------------------------------------------------------------

    def connect(self, dbname: str = "postgres") -> Any:
        import psycopg

        deadline = time.monotonic() + 10
        while True:
            try:
                return psycopg.connect(
                    host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname=dbname,
                    autocommit=True,
                )
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def create_role(self, name: str, options: str) -> None:
        """A role (`options` such as "LOGIN CREATEDB"), trusted like every local login here."""
        from psycopg import sql

        with self.connect() as connection:
            connection.execute(sql.SQL("CREATE ROLE {} " + options).format(sql.Identifier(name)))

    def create_database(self, name: str, template: str | None = None) -> None:
        from psycopg import sql

        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self.connect() as connection:
            connection.execute(statement)

    # Django and the `rrp` commands connect through the socket directory: quicker per query
    # than the loopback port, which stays open for anyone who wants to look with psql -h.

    def url(self, dbname: str) -> str:
        """An RRP_DATABASE_URL for one database on this server."""
        return f"postgres://{SUPERUSER}@:{self.port}/{dbname}?host={self.socket_dir}"

    def django_settings(self, dbname: str) -> dict[str, Any]:
        """A DATABASES entry for one database on this server."""
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": dbname,
            "USER": SUPERUSER,
            "PASSWORD": "",
            "HOST": str(self.socket_dir),
            "PORT": str(self.port),
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "OPTIONS": {},
        }


def start_replica(primary: PostgresServer, timeout: float = 60) -> PostgresServer:
    """A hot standby streaming from `primary` (started with `replication=True`), on a port of
    its own, returned once it answers queries in recovery. Stop and remove it like any other.

    `pg_basebackup -R` copies the primary's data directory over the replication protocol and
    writes standby.signal and primary_conninfo (the primary's socket and port), so the copy
    starts as a standby and follows the primary's WAL as it is written (`-X stream`).
    """
    if not primary.replication:
        raise ValueError("start_replica needs a primary started with replication=True")
    if not (primary.bindir / "pg_basebackup").exists():
        raise PostgresUnavailable(
            f"the read replica tests need pg_basebackup in {primary.bindir}, which is missing. "
            f"Install it with: {INSTALL_HINT}"
        )
    replica = PostgresServer._new(replication=True)
    try:
        replica._run(
            "pg_basebackup", "-h", str(primary.socket_dir), "-p", str(primary.port),
            "-U", SUPERUSER, "-D", str(replica.datadir), "-R", "-X", "stream",
            "--checkpoint=fast", "--no-sync",
        )
        replica._start_on_a_free_port()
        deadline = time.monotonic() + timeout
        while replica.run_sql("SELECT pg_is_in_recovery()") is not True:
            if time.monotonic() > deadline:
                raise PostgresUnavailable(
                    "the replica started but is not in recovery: it is not a standby"
                )
            time.sleep(0.1)
    except BaseException:
        replica.stop()
        replica.remove()
        raise
    return replica
