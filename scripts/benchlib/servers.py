"""Which server a package is benchmarked against.

Reads the scenario file written by ``scripts/servers`` (docs/decisions/0001), falling back to
the local defaults when there is none, so the bench works before the server scripts exist.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = Path(os.environ.get("AR_SCENARIOS_FILE", REPO / "build" / "servers" / "scenarios.json"))

# Package -> server family in the scenario file.
FAMILY = {"postgres": "postgres", "mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite"}

_DEFAULTS = {
    "postgres": {"name": "postgres-local", "product": "postgresql", "port": 5432},
    "mysql": {"name": "mariadb-local", "product": "mariadb", "port": 3306},
}


@dataclass(frozen=True)
class Server:
    name: str
    product: str
    host: str
    port: int
    user: str
    password: str
    database: str
    version: str = ""

    def describe(self) -> str:
        """A label safe to print: never includes the password."""
        return f"{self.name} ({self.product} {self.version or '?'} at {self.host}:{self.port})"


def _from_entry(entry: dict) -> Server:
    return Server(
        name=entry["name"],
        product=entry.get("product", ""),
        host=entry.get("host", "127.0.0.1"),
        port=int(entry["port"]),
        user=entry.get("user", "root"),
        password=entry.get("password", "") or "",
        database=entry.get("database", "test"),
        version=str(entry.get("version", "")),
    )


def _entries() -> list[dict]:
    if not SCENARIOS.is_file():
        return []
    return json.loads(SCENARIOS.read_text()).get("servers", [])


def find_server(package: str, name: str | None = None) -> Server:
    """The named server, else the first matrix server of the package's family, else the default."""
    family = FAMILY[package]
    if family == "sqlite":
        return Server("sqlite-memory", "sqlite", "", 0, "", "", ":memory:")
    entries = _entries()
    if name:
        for entry in entries:
            if entry["name"] == name:
                return _from_entry(entry)
        raise SystemExit(f"server {name!r} not found in {SCENARIOS}")
    for entry in entries:
        if entry.get("family") == family and entry.get("role", "matrix") == "matrix":
            return _from_entry(entry)
    d = _DEFAULTS[family]
    return Server(d["name"], d["product"], "127.0.0.1", d["port"], "root", "", "test")
