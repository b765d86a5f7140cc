"""Where the tests run: the scenario file and the cell of this pytest session.

The scenario file (docs/decisions/0001-workspace-conventions.md) lists the running servers; the
cell is chosen by env ``AR_PACKAGE`` (backend package) and ``AR_SERVER`` (server name). The
testsuite scenario name is the server name, so test ids read ``test_x[postgres-15]``.

Each cell works in a database of its own, ``ar_suite_<package>`` (env ``AR_DATABASE``
overrides), so cells run in parallel on one server without touching each other or the
packages' own tests, which use the server's default database.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .profiles import BackendProfile, get_profile, load

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SCENARIOS_FILE = REPO_ROOT / "build" / "servers" / "scenarios.json"


class CellError(RuntimeError):
    """The cell cannot run: missing env, unknown server, unreachable server."""


def scenarios_file() -> Path:
    return Path(os.environ.get("AR_SCENARIOS_FILE") or DEFAULT_SCENARIOS_FILE)


def load_servers(path: Path | None = None) -> list[dict[str, Any]]:
    path = path or scenarios_file()
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise CellError(f"scenario file {path} not found (run scripts/servers up)") from None
    return list(data.get("servers", []))


def find_server(name: str, path: Path | None = None) -> dict[str, Any]:
    for server in load_servers(path):
        if server.get("name") == name:
            return server
    raise CellError(f"server {name!r} is not in the scenario file {path or scenarios_file()}")


@dataclass(frozen=True)
class Cell:
    profile: BackendProfile
    server: Mapping[str, Any]
    database: str

    @property
    def scenario(self) -> str:
        return str(self.server["name"])

    def config_kwargs(self, database: str | None = None) -> dict[str, Any]:
        return self.profile.config_kwargs(self.server, database or self.database)

    def make_config(self, database: str | None = None):
        """A fresh config object: backends keep a reference, so never share one."""
        return load(self.profile.config_class)(**self.config_kwargs(database))

    def sync_backend_class(self):
        return load(self.profile.sync_backend)

    def async_backend_class(self):
        return load(self.profile.async_backend)


@lru_cache(maxsize=1)
def current_cell() -> Cell:
    package = os.environ.get("AR_PACKAGE")
    server_name = os.environ.get("AR_SERVER")
    if not package or not server_name:
        raise CellError("set AR_PACKAGE (postgres|mysql|mariadb) and AR_SERVER (a server name)")
    profile = get_profile(package)
    server = find_server(server_name)
    database = os.environ.get("AR_DATABASE") or f"ar_suite_{package}"
    return Cell(profile, server, database)


def ensure_database(cell: Cell) -> None:
    """Create the cell's database on its server when missing (never drops anything)."""
    backend = cell.sync_backend_class()(connection_config=cell.make_config(cell.server["database"]))
    try:
        backend.connect()
        ph = backend.dialect.get_parameter_placeholder()
        if backend.fetch_one(cell.profile.database_exists_sql.format(ph=ph), (cell.database,)):
            return
        q = cell.profile.type_map.quote
        backend.execute(cell.profile.create_database_sql.format(name=f"{q}{cell.database}{q}"))
    finally:
        backend.disconnect()
