"""PostgreSQL servers of the local matrix: the system cluster and clusters we manage.

Every server ends up the same from a client's point of view: trust auth on 127.0.0.1, roles
`root` and `postgres` (both superusers) and a database `test`, so one configuration works on
all of them. A managed cluster belongs to its checkout: it is "up" only when the server on its
port is the postmaster of this checkout's data directory (decision 0001).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import hostenv
import probe
from hostenv import StartError, run

HOST = "127.0.0.1"
_ENSURE_SQL = """\
DO $$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'root') THEN
    CREATE ROLE root SUPERUSER LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'postgres') THEN
    CREATE ROLE postgres SUPERUSER LOGIN; END IF;
END$$;
SELECT 'CREATE DATABASE test OWNER root'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'test') \\gexec
"""
# Run in single-user mode right after initdb, before the server listens: the registry builds
# ship no psql, and this needs no client at all. One statement per line.
_BOOTSTRAP_SQL = "CREATE ROLE root SUPERUSER LOGIN;\nCREATE DATABASE test OWNER root;\n"


def _wait_ready(port: int, seconds: float = 60) -> probe.ProbeResult:
    deadline = time.monotonic() + seconds
    while True:
        result = probe.probe_postgres(HOST, port, "postgres", "postgres")
        if result.up or time.monotonic() > deadline:
            return result
        time.sleep(0.3)


def _ensure_roles_and_db(psql: str, port: int) -> None:
    run(
        [
            psql,
            "-X",
            "-q",
            "-h",
            HOST,
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-f",
            "-",
        ],
        input=_ENSURE_SQL,
    )


@dataclass
class PostgresServer:
    name: str
    port: int
    source: str  # "system" | "wheel" | "tls"
    family = "postgres"
    role: str = "matrix"

    managed = False

    def probe(self) -> probe.ProbeResult:
        return probe.probe_postgres(HOST, self.port, "root", "test")

    def tls_ca(self) -> str | None:
        return None


@dataclass
class SystemPostgres(PostgresServer):
    """The distribution's cluster (pg_ctlcluster); started if installed but stopped."""

    major: str = "15"
    cluster: str = "main"

    def up(self) -> None:
        bindir = Path(f"/usr/lib/postgresql/{self.major}/bin")
        if not probe.port_open(HOST, self.port):
            if not (bindir / "postgres").exists() or not shutil.which("pg_ctlcluster"):
                raise StartError(
                    f"PostgreSQL {self.major} is not installed "
                    f"(apt-get install postgresql-{self.major})"
                )
            if not hostenv.is_root():
                raise StartError(
                    "the system cluster is stopped and only root can start it: "
                    f"sudo pg_ctlcluster {self.major} {self.cluster} start"
                )
            print(f"  starting system cluster {self.major}/{self.cluster}")
            run(["pg_ctlcluster", "--skip-systemctl-redirect", self.major, self.cluster, "start"])
        ready = _wait_ready(self.port)
        if not ready.up:
            raise StartError(
                f"system PostgreSQL on {self.port} does not accept "
                f"postgres@127.0.0.1 without a password: {ready.detail}"
            )
        if not self.probe().up:
            _ensure_roles_and_db(str(bindir / "psql"), self.port)

    def down(self) -> None:
        print(f"  {self.name}: system server, left running")


@dataclass
class ManagedPostgres(PostgresServer):
    """A cluster we initdb and pg_ctl ourselves, as an unprivileged user, TCP only."""

    bindir: Callable[[], Path] = lambda: Path("/nonexistent")
    tls: Callable[[], dict[str, Path]] | None = None
    managed = True

    def _dirs(self) -> tuple[str, Path]:
        user = hostenv.service_user(hostenv.PG_USER)
        return user, hostenv.state_root(user) / "servers" / self.name

    def tls_ca(self) -> str | None:
        return str(self.tls()["ca"]) if self.tls else None

    def _postmaster(self, any_port: bool = False) -> int | None:
        """The pid of this checkout's postmaster serving our port, else None.

        postmaster.pid (in our data directory) holds the pid and the port; the process must be
        alive and be a postgres started on our data directory (a stale file and a reused pid
        do not count). `any_port`: ours even when it listens elsewhere (a port of an older
        scheme: `up` moves it, `down` stops it).
        """
        _, inst = self._dirs()
        data = inst / "data"
        try:
            lines = (data / "postmaster.pid").read_text().splitlines()
            pid, port = int(lines[0]), int(lines[3])
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            return None
        if (port != self.port and not any_port) or os.fsencode(str(data)) not in cmdline:
            return None
        return pid

    def probe(self) -> probe.ProbeResult:
        """Up only if it is ours: our postmaster on our port, and for TLS our CA."""
        if self._postmaster() is None:
            if self._postmaster(any_port=True) is not None:
                return probe.ProbeResult(
                    False, detail="this checkout's server, on another port: `up` moves it"
                )
            if probe.port_open(HOST, self.port):
                _, inst = self._dirs()
                return probe.ProbeResult(
                    False,
                    detail="answered by a server that is not this checkout's "
                    f"(not {inst / 'data'})",
                    taken=True,
                )
            return probe.ProbeResult(False, detail="not running")
        result = super().probe()
        if result.up and self.tls:
            problem = probe.tls_problem("postgres", HOST, self.port, self.tls_ca())
            if problem:
                return probe.ProbeResult(
                    False,
                    result.version,
                    result.product,
                    f"{problem} (an instance of another checkout?)",
                )
        return result

    def _settings(self, data: Path) -> str:
        lines = [
            f"port = {self.port}",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = ''",
            "max_connections = 200",
            # Throwaway test servers: durability costs time and buys nothing here.
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
        ]
        if self.tls:
            lines += [
                "ssl = on",
                "ssl_cert_file = 'server.crt'",
                "ssl_key_file = 'server.key'",
                "ssl_ca_file = 'ca.crt'",
            ]
        return "\n".join(lines) + "\n"

    def up(self) -> None:
        state = self.probe()
        if state.up:
            return
        if state.taken or probe.port_open(HOST, self.port):
            raise StartError(
                f"port {self.port} is taken by something that is not this "
                f"checkout's {self.name}: {state.detail} "
                f"(see `ss -ltnp 'sport = {self.port}'`)"
            )
        if self._postmaster(any_port=True) is not None:
            print(
                f"  {self.name}: running on another port (older scheme): restarting on {self.port}"
            )
            self.down()
        bindir = self.bindir()
        user, inst = self._dirs()
        data = inst / "data"
        if not hostenv.can_reach(user, bindir / "postgres"):
            raise StartError(
                f"user {user} cannot execute {bindir / 'postgres'}; make its "
                f"parent directories world-executable"
            )
        inst.mkdir(parents=True, exist_ok=True)
        hostenv.chown(inst, user)
        if not (data / "PG_VERSION").exists():
            print(f"  {self.name}: initdb in {data}")
            shutil.rmtree(data, ignore_errors=True)
            run(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync",
                ],
                user=user,
                cwd=inst,
            )
            try:
                run(
                    [
                        str(bindir / "postgres"),
                        "--single",
                        "-D",
                        str(data),
                        "-F",
                        "-c",
                        "exit_on_error=true",
                        "postgres",
                    ],
                    user=user,
                    cwd=inst,
                    input=_BOOTSTRAP_SQL,
                )
            except StartError:
                shutil.rmtree(data, ignore_errors=True)  # half made: initdb again next time
                raise
            with open(data / "postgresql.conf", "a") as conf:
                conf.write("\ninclude_if_exists = 'ar_local.conf'\n")
        (data / "ar_local.conf").write_text(self._settings(data))
        if self.tls:
            certs = self.tls()
            for src, dst in (("cert", "server.crt"), ("key", "server.key"), ("ca", "ca.crt")):
                shutil.copyfile(certs[src], data / dst)
                (data / dst).chmod(0o600)
        hostenv.chown(data, user, recursive=True)
        print(f"  {self.name}: pg_ctl start on port {self.port}")
        proc = run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(inst / "server.log"),
                "-w",
                "-t",
                "90",
                "start",
            ],
            user=user,
            cwd=inst,
            check=False,
        )
        if proc.returncode:
            log = inst / "server.log"
            tail = log.read_text(errors="replace")[-800:] if log.exists() else proc.stderr
            raise StartError(f"{self.name} did not start: {tail.strip()}")
        ready = self.probe()
        deadline = time.monotonic() + 60
        while not ready.up and time.monotonic() < deadline:
            time.sleep(0.3)
            ready = self.probe()
        if not ready.up:
            raise StartError(f"{self.name} started but does not answer: {ready.detail}")

    def down(self) -> None:
        user, inst = self._dirs()
        data = inst / "data"
        if self._postmaster(any_port=True) is None:
            print(f"  {self.name}: not running")
            return
        print(f"  {self.name}: pg_ctl stop")
        run(
            [str(self.bindir() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            user=user,
            cwd=inst,
        )
