"""MariaDB servers of the local matrix: the system server and a TLS instance we manage.

Both look the same to clients: root with an empty password over TCP on 127.0.0.1 and a
database `test`. The managed instance belongs to its checkout: it is "up" only when its pid
file names a live mariadbd started on this checkout's data directory and port (decision 0001).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import hostenv
import probe
from hostenv import StartError, run

HOST = "127.0.0.1"
MARIADBD = "/usr/sbin/mariadbd"


def _wait_ready(port: int, seconds: float, alive: Callable[[], bool]) -> probe.ProbeResult:
    deadline = time.monotonic() + seconds
    while True:
        result = probe.probe_mysql(HOST, port)
        if result.up or time.monotonic() > deadline or not alive():
            return result
        time.sleep(0.3)


def _client() -> str:
    client = hostenv.which("mariadb") or hostenv.which("mysql")
    if not client:
        raise StartError("no mariadb client found (apt-get install mariadb-client)")
    return client


@dataclass
class MariaDBServer:
    name: str
    port: int
    source: str
    family = "mysql"
    role: str = "matrix"
    managed = False

    def probe(self) -> probe.ProbeResult:
        return probe.probe_mysql(HOST, self.port)

    def tls_ca(self) -> str | None:
        return None


@dataclass
class SystemMariaDB(MariaDBServer):
    """The distribution's mariadbd (config in /etc/mysql); started if installed but stopped."""

    def up(self) -> None:
        if not probe.port_open(HOST, self.port):
            if not Path(MARIADBD).exists():
                raise StartError("MariaDB is not installed (apt-get install mariadb-server)")
            if not hostenv.is_root():
                raise StartError("the system MariaDB is stopped and only root can start it")
            print("  starting the system MariaDB")
            run_dir = Path("/run/mysqld")  # tmpfs: gone after a reboot
            run_dir.mkdir(exist_ok=True)
            hostenv.chown(run_dir, "mysql")
            run(["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", MARIADBD])
        ready = _wait_ready(self.port, 60, lambda: True)
        if not ready.up:
            raise StartError(f"system MariaDB on {self.port} does not answer: {ready.detail}")
        run(
            [
                _client(),
                "-h",
                HOST,
                "-P",
                str(self.port),
                "-u",
                "root",
                "-e",
                "CREATE DATABASE IF NOT EXISTS test",
            ]
        )

    def down(self) -> None:
        print(f"  {self.name}: system server, left running")


@dataclass
class ManagedMariaDB(MariaDBServer):
    """A second mariadbd with its own datadir, socket and pid file, TLS on."""

    tls: Callable[[], dict[str, Path]] | None = None
    managed = True

    def tls_ca(self) -> str | None:
        return str(self.tls()["ca"]) if self.tls else None

    def _owned_pid(self, any_port: bool = False) -> int | None:
        """The pid of this checkout's mariadbd on our port (`any_port`: on any), else None."""
        _, inst, _, pidfile = self._paths()
        pid = self._pid(pidfile)
        if pid is None:
            return None
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return None
        ours = {f"--datadir={inst / 'data'}".encode()}
        if not any_port:
            ours.add(f"--port={self.port}".encode())
        return pid if ours <= set(argv) else None

    def probe(self) -> probe.ProbeResult:
        """Up only if it is ours: our mariadbd on our port, and for TLS our CA."""
        if self._owned_pid() is None:
            if self._owned_pid(any_port=True) is not None:
                return probe.ProbeResult(
                    False, detail="this checkout's server, on another port: `up` moves it"
                )
            if probe.port_open(HOST, self.port):
                _, inst, _, _ = self._paths()
                return probe.ProbeResult(
                    False,
                    detail="answered by a server that is not this checkout's "
                    f"(not {inst / 'data'})",
                    taken=True,
                )
            return probe.ProbeResult(False, detail="not running")
        result = super().probe()
        if result.up and self.tls:
            problem = probe.tls_problem("mysql", HOST, self.port, self.tls_ca())
            if problem:
                return probe.ProbeResult(
                    False,
                    result.version,
                    result.product,
                    f"{problem} (an instance of another checkout?)",
                )
        return result

    def _paths(self) -> tuple[str, Path, Path, Path]:
        user = (
            hostenv.service_user("mysql")
            if hostenv.user_exists("mysql")
            else hostenv.current_user()
        )
        inst = hostenv.state_root(user) / "servers" / self.name
        sock = inst / "mysqld.sock"
        if len(str(sock)) > 100:  # sun_path limit
            sock = Path(f"/tmp/rhosocial-ar-mariadb-{self.port}.sock")
        return user, inst, sock, inst / "mysqld.pid"

    def _pid(self, pidfile: Path) -> int | None:
        try:
            pid = int(pidfile.read_text().strip())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

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
        if not Path(MARIADBD).exists():
            raise StartError("MariaDB is not installed (apt-get install mariadb-server)")
        if self._owned_pid(any_port=True) is not None:
            print(
                f"  {self.name}: running on another port (older scheme): restarting on {self.port}"
            )
            self.down()
        user, inst, sock, pidfile = self._paths()
        data = inst / "data"
        inst.mkdir(parents=True, exist_ok=True)
        hostenv.chown(inst, user)
        if not (data / "mysql").is_dir():
            print(f"  {self.name}: mariadb-install-db in {data}")
            shutil.rmtree(data, ignore_errors=True)
            run(
                [
                    "mariadb-install-db",
                    "--no-defaults",
                    f"--datadir={data}",
                    f"--user={user}",
                    "--auth-root-authentication-method=normal",
                    "--skip-test-db",
                ],
                cwd=inst,
            )
        opts = [
            f"--datadir={data}",
            f"--socket={sock}",
            f"--pid-file={pidfile}",
            f"--port={self.port}",
            f"--bind-address={HOST}",
            f"--log-error={inst / 'server.log'}",
            "--innodb-buffer-pool-size=128M",
            "--innodb-flush-log-at-trx-commit=2",
            "--max-connections=300",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_general_ci",
        ]
        if self.tls:
            tls_dir = inst / "tls"
            tls_dir.mkdir(exist_ok=True)
            for key, path in self.tls().items():
                shutil.copyfile(path, tls_dir / path.name)
                (tls_dir / path.name).chmod(0o600)
                opts.append(f"--ssl-{key}={tls_dir / path.name}")
            hostenv.chown(tls_dir, user, recursive=True)
        if hostenv.is_root():
            opts.append(f"--user={user}")
        print(f"  {self.name}: mariadbd on port {self.port}")
        proc = subprocess.Popen(
            [MARIADBD, "--no-defaults", *opts],
            cwd=inst,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        ready = _wait_ready(self.port, 90, lambda: proc.poll() is None)
        if not ready.up:
            log = inst / "server.log"
            tail = log.read_text(errors="replace")[-800:] if log.exists() else ready.detail
            raise StartError(f"{self.name} did not start: {tail.strip()}")
        run(
            [
                _client(),
                f"--socket={sock}",
                "-u",
                "root",
                "-e",
                "CREATE DATABASE IF NOT EXISTS test",
            ]
        )

    def down(self) -> None:
        _, _, _, pidfile = self._paths()
        pid = self._owned_pid(any_port=True)
        if pid is None:
            print(f"  {self.name}: not running")
            return
        print(f"  {self.name}: stopping mariadbd (pid {pid})")
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while self._pid(pidfile) == pid and time.monotonic() < deadline:
            time.sleep(0.2)
        if self._pid(pidfile) == pid:
            raise StartError(f"{self.name} (pid {pid}) did not stop within 60 s")
