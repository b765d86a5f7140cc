"""The docker compose matrix (docker-compose.yml) seen as servers of the scenario file.

The compose file is the only list: each service name is a server name (`postgres-16`,
`mysql-8.4`, `mariadb-11.8`, ...), its image says the family, its published port the port.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass

import probe
from hostenv import REPO, StartError

HOST = "127.0.0.1"


def compose_command() -> list[str]:
    """`docker compose` (v2 plugin) or the standalone `docker-compose`."""
    if shutil.which("docker"):
        ok = subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
        if ok:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    raise StartError(
        "docker compose is not available on this machine (no Docker engine "
        "or compose plugin); use the local matrix: scripts/servers up"
    )


def _compose(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*compose_command(), "-f", str(REPO / "docker-compose.yml"), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
    )


@dataclass
class ComposeServer:
    name: str
    port: int
    family: str
    source: str = "docker"
    role: str = "matrix"
    managed = True

    def probe(self) -> probe.ProbeResult:
        if self.family == "postgres":
            return probe.probe_postgres(HOST, self.port, "root", "test")
        return probe.probe_mysql(HOST, self.port)

    def tls_ca(self) -> str | None:
        return None


def services() -> list[ComposeServer]:
    proc = _compose("config", "--format", "json")
    if proc.returncode:
        raise StartError(f"docker compose config failed: {proc.stderr.strip()[-400:]}")
    result = []
    for name, spec in json.loads(proc.stdout)["services"].items():
        image = spec.get("image", "")
        family = "postgres" if image.startswith("postgres") else "mysql"
        port = int(spec["ports"][0]["published"])
        result.append(ComposeServer(name=name, port=port, family=family))
    return result


def up(names: list[str]) -> None:
    proc = subprocess.run(
        [*compose_command(), "-f", str(REPO / "docker-compose.yml"), "up", "-d", "--wait", *names],
        cwd=REPO,
    )
    if proc.returncode:
        raise StartError("docker compose up --wait failed (see its output above)")


def down(names: list[str]) -> None:
    args = ["stop", *names] if names else ["down"]
    proc = subprocess.run(
        [*compose_command(), "-f", str(REPO / "docker-compose.yml"), *args], cwd=REPO
    )
    if proc.returncode:
        raise StartError("docker compose down failed (see its output above)")
