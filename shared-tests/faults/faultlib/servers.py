"""Private PostgreSQL 15 and MariaDB instances the fault suite starts, restarts and stops.

Never the shared servers: each instance gets a fresh data directory under the checkout's
``build/faults/`` and a loopback port that is free when the suite starts, so a restart, a
killed session or a full disk cannot disturb anyone else's run. Both authenticate with a
password (the bad-configuration tests need one to leak); neither has TLS (the "TLS required"
test needs a server without it).

When the suite runs as root, the servers run as the unprivileged accounts the repository's
scripts already use (``arpg`` for PostgreSQL, created when missing; ``mysql`` for MariaDB), with
the same helpers (``scripts/lib/hostenv.py``).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "scripts" / "lib"))
import hostenv  # noqa: E402  (the repository's own "run as the service user" helpers)

HOST = "127.0.0.1"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
MARIADBD = Path("/usr/sbin/mariadbd")

# Bounded waits. A cold start on a busy 2-core machine measured about 1 s (PostgreSQL) and
# 2-3 s (MariaDB, install-db included); the limits leave a factor of ten.
START_SECONDS = 30.0
STOP_SECONDS = 30.0


class ServerUnavailable(RuntimeError):
    """A private server could not be prepared; the message says what is missing."""


def _root(os_user: str) -> Path:
    """build/faults/, or the scripts' fallback under /var/tmp when ``os_user`` cannot reach
    the checkout (a 0700 home directory on the path)."""
    root = hostenv.state_root(os_user) / "faults"
    root.mkdir(parents=True, exist_ok=True)
    return root


def free_port() -> int:
    """A loopback port nobody listens on right now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _wait(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise ServerUnavailable(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.05)


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Server:
    """What a test needs to reach one private instance."""

    family: str  # "postgres" or "mysql"
    port: int
    user: str
    password: str
    database: str
    root: Path
    log: Path
    admin_user: str = ""
    admin_password: str = ""
    restarts: int = field(default=0)

    def restart(self) -> float:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def tail(self, chars: int = 1500) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


class PostgresServer(Server):
    """PostgreSQL 15 from Debian's binaries, run with pg_ctl as ``arpg``."""

    @classmethod
    def start_new(cls) -> PostgresServer:
        if not (PG_BIN / "initdb").exists():
            raise ServerUnavailable(f"{PG_BIN}/initdb missing (apt-get install postgresql-15)")
        os_user = hostenv.service_user(hostenv.PG_USER)
        root = _root(os_user) / "pg15"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        hostenv.chown(root, os_user)
        if not hostenv.can_reach(os_user, root):
            raise ServerUnavailable(f"user {os_user} cannot enter {root}")
        admin_password = secrets.token_urlsafe(12)
        pwfile = root / "pwfile"
        pwfile.write_text(admin_password + "\n")
        hostenv.chown(pwfile, os_user)
        data = root / "data"
        hostenv.run(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ],
            user=os_user,
            cwd=root,
        )
        pwfile.unlink()
        port = free_port()
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                "\n".join(
                    [
                        "",
                        f"port = {port}",
                        f"listen_addresses = '{HOST}'",
                        "unix_socket_directories = ''",
                        "max_connections = 150",
                        "ssl = off",
                        # A throwaway instance: durability costs time and buys nothing here.
                        "fsync = off",
                        "synchronous_commit = off",
                        "full_page_writes = off",
                        "shared_buffers = 32MB",
                        "log_min_messages = warning",
                        "",
                    ]
                )
            )
        server = cls(
            family="postgres",
            port=port,
            user="fault",
            password="pw-" + secrets.token_urlsafe(16),
            database="faults",
            root=root,
            log=root / "server.log",
            admin_user="postgres",
            admin_password=admin_password,
        )
        server._os_user = os_user
        server._pg_ctl("start")
        import psycopg

        with psycopg.connect(
            host=HOST,
            port=port,
            user="postgres",
            password=admin_password,
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        ) as conn:
            conn.execute(
                psycopg.sql.SQL("CREATE ROLE fault LOGIN SUPERUSER PASSWORD {}").format(
                    psycopg.sql.Literal(server.password)
                )
            )
            conn.execute("CREATE DATABASE faults OWNER fault")
        return server

    _os_user: str = ""

    def _pg_ctl(self, action: str, *extra: str) -> None:
        hostenv.run(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.root / "data"),
                "-l",
                str(self.log),
                "-w",
                "-t",
                str(int(START_SECONDS)),
                *extra,
                action,
            ],
            user=self._os_user,
            cwd=self.root,
        )

    def restart(self) -> float:
        """Stop (fast: sessions are terminated) and start again on the same port."""
        began = time.monotonic()
        self._pg_ctl("restart", "-m", "fast")
        _wait(lambda: _port_open(self.port), START_SECONDS, "PostgreSQL restart")
        self.restarts += 1
        return time.monotonic() - began

    def stop(self) -> None:
        if (self.root / "data" / "postmaster.pid").exists():
            self._pg_ctl("stop", "-m", "fast")


class MariaDBServer(Server):
    """A private mariadbd with its own datadir, socket, pid file and port."""

    _proc: subprocess.Popen | None = None
    _argv: list[str] = []

    @classmethod
    def start_new(cls) -> MariaDBServer:
        if not MARIADBD.exists():
            raise ServerUnavailable(f"{MARIADBD} missing (apt-get install mariadb-server)")
        installer = hostenv.which("mariadb-install-db") or hostenv.which("mysql_install_db")
        if not installer:
            raise ServerUnavailable("mariadb-install-db missing (apt-get install mariadb-server)")
        os_user = "mysql" if hostenv.is_root() and hostenv.user_exists("mysql") else None
        os_user = os_user or hostenv.current_user()
        root = _root(os_user) / "mariadb"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        hostenv.chown(root, os_user)
        data = root / "data"
        sock = root / "mysqld.sock"
        if len(str(sock)) > 100:  # sun_path limit
            sock = Path(f"/tmp/rhosocial-faults-{os.getpid()}.sock")
        hostenv.run(
            [
                installer,
                "--no-defaults",
                f"--datadir={data}",
                f"--user={os_user}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve",
            ],
            cwd=root,
        )
        port = free_port()
        argv = [
            str(MARIADBD),
            "--no-defaults",
            f"--datadir={data}",
            f"--socket={sock}",
            f"--pid-file={root / 'mysqld.pid'}",
            f"--port={port}",
            f"--bind-address={HOST}",
            f"--log-error={root / 'server.log'}",
            "--skip-name-resolve",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=16M",
            # A throwaway instance: durability costs time and buys nothing here.
            "--innodb-flush-log-at-trx-commit=0",
            "--innodb-doublewrite=0",
            "--max-connections=300",
            # Small enough that the oversize test needs only a few megabytes.
            "--max-allowed-packet=1M",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_general_ci",
            "--sql-mode=STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION",
        ]
        if hostenv.is_root():
            argv.append(f"--user={os_user}")
        server = cls(
            family="mysql",
            port=port,
            user="fault",
            password="pw-" + secrets.token_urlsafe(16),
            database="faults",
            root=root,
            log=root / "server.log",
            admin_user="root",
            admin_password="",
        )
        server._argv = argv
        server._spawn()
        import pymysql

        conn = pymysql.connect(host=HOST, port=port, user="root", password="", autocommit=True)
        try:
            with conn.cursor() as cur:
                cur.execute("CREATE USER 'fault'@'%%' IDENTIFIED BY %s", (server.password,))
                cur.execute("GRANT ALL ON *.* TO 'fault'@'%' WITH GRANT OPTION")
                cur.execute("CREATE DATABASE faults CHARACTER SET utf8mb4")
        finally:
            conn.close()
        return server

    def _spawn(self) -> None:
        self._proc = subprocess.Popen(
            self._argv,
            cwd=self.root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        proc = self._proc

        def ready() -> bool:
            if proc.poll() is not None:
                raise ServerUnavailable(f"mariadbd exited ({proc.returncode}): {self.tail()}")
            return _port_open(self.port)

        _wait(ready, START_SECONDS, "MariaDB start")

    def _terminate(self, sig: int) -> None:
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(STOP_SECONDS)

    def restart(self) -> float:
        """SIGTERM (a normal shutdown: sessions are closed), then the same command again."""
        began = time.monotonic()
        self._terminate(signal.SIGTERM)
        self._spawn()
        self.restarts += 1
        return time.monotonic() - began

    def stop(self) -> None:
        self._terminate(signal.SIGTERM)
