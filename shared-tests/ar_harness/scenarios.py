"""The scenario file: the one module that reads (and writes) it, for the whole repository.

The scenario file (docs/decisions/0001-workspace-conventions.md) lists the servers that are up:
``build/servers/scenarios.json`` of this checkout, or the file env ``AR_SCENARIOS_FILE`` names.
Standard library only at import time: ``scripts/servers`` writes it with the machine's Python
before any virtualenv exists. Importable as ``ar_harness.scenarios`` everywhere in the
repository's ``.venv`` (bootstrap-venv puts ``shared-tests/`` on its path with a ``.pth`` file):
the scripts, the harness, the examples, the benchmarks and the packages' own tests.

Reading::

    from ar_harness import scenarios
    server = scenarios.matrix_server("postgres")      # AR_SERVER, else first matrix server,
                                                      # else the family's local default
    tls = scenarios.tls_server("mysql")               # None when no TLS instance is up
    Config(**scenarios.config_kwargs(server, database="mine", connect_timeout=3))

The testsuite cell of a harness session (``AR_PACKAGE``/``AR_SERVER``/``AR_DATABASE``):
``current_cell()``; each cell works in a database of its own, ``ar_suite_<package>`` (env
``AR_DATABASE`` overrides), so cells run in parallel on one server without touching each other
or the packages' own tests, which use the server's default database.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .profiles import BackendProfile

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SCENARIOS_FILE = REPO_ROOT / "build" / "servers" / "scenarios.json"
FAMILIES = ("postgres", "mysql")  # "mysql" = the MySQL family: MySQL and MariaDB servers

# When there is no scenario file (nothing ran scripts/servers): the system servers, as
# scripts/servers configures them (trust/empty password for root, a database `test`).
LOCAL_DEFAULTS: dict[str, dict[str, Any]] = {
    "postgres": {
        "name": "postgres-local",
        "family": "postgres",
        "product": "postgresql",
        "version": "",
        "host": "127.0.0.1",
        "port": 5432,
        "user": "root",
        "password": "",
        "database": "test",
        "role": "matrix",
        "tls": None,
        "source": "default",
    },
    "mysql": {
        "name": "mariadb-local",
        "family": "mysql",
        "product": "mariadb",
        "version": "",
        "host": "127.0.0.1",
        "port": 3306,
        "user": "root",
        "password": "",
        "database": "test",
        "role": "matrix",
        "tls": None,
        "source": "default",
    },
}


class CellError(RuntimeError):
    """The cell cannot run: missing env, unknown server, unreachable server."""


# --- the file -------------------------------------------------------------------------------
def scenarios_file() -> Path:
    return Path(os.environ.get("AR_SCENARIOS_FILE") or DEFAULT_SCENARIOS_FILE)


def load_servers(path: Path | None = None) -> list[dict[str, Any]]:
    """Every server entry of the file; CellError when there is no file."""
    path = path or scenarios_file()
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise CellError(f"scenario file {path} not found (run scripts/servers up)") from None
    return list(data.get("servers", []))


def servers(
    family: str | None = None, role: str | None = None, path: Path | None = None
) -> list[dict[str, Any]]:
    """The entries of `family` and `role` (None: any), in file order; [] without a file."""
    try:
        entries = load_servers(path)
    except CellError:
        return []
    return [
        s
        for s in entries
        if (family is None or s.get("family") == family)
        and (role is None or s.get("role", "matrix") == role)
    ]


def find_server(name: str, path: Path | None = None) -> dict[str, Any]:
    for server in load_servers(path):
        if server.get("name") == name:
            return server
    raise CellError(f"server {name!r} is not in the scenario file {path or scenarios_file()}")


def matrix_server(family: str, name: str | None = None, *, default: bool = True) -> dict[str, Any]:
    """The server a family's tests run against.

    `name`, else env ``AR_SERVER`` when it names a server of this family, else the first
    ``role: matrix`` server of the family, else (with `default`) the family's local default.
    CellError when an explicitly named server is missing or nothing is found.
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; one of {FAMILIES}")
    wanted = name or os.environ.get("AR_SERVER")
    entries = servers(family)
    for server in entries:
        if wanted and server.get("name") == wanted:
            return server
    if name:
        raise CellError(f"no {family} server {name!r} in {scenarios_file()}")
    for server in entries:
        if server.get("role", "matrix") == "matrix":
            return server
    if default:
        return dict(LOCAL_DEFAULTS[family])
    raise CellError(f"no {family} matrix server in {scenarios_file()}")


def tls_server(family: str) -> dict[str, Any] | None:
    """The family's server with TLS on and its CA (None when none is up)."""
    for server in servers(family, role="tls"):
        if server.get("tls"):
            return server
    return None


def tls_ca(server: Mapping[str, Any]) -> str | None:
    tls = server.get("tls") or {}
    return str(tls["ca"]) if tls.get("ca") else None


def config_kwargs(
    server: Mapping[str, Any], database: str | None = None, **overrides: Any
) -> dict[str, Any]:
    """Connection config keyword arguments of all three backends for a server entry.

    host, port (int), username, password (None when empty: no password is sent), database
    (the entry's own unless `database` is given); `overrides` are added last.
    """
    kwargs: dict[str, Any] = {
        "host": server["host"],
        "port": int(server["port"]),
        "username": server["user"],
        "password": server.get("password") or None,
        "database": database or server.get("database") or "test",
    }
    kwargs.update(overrides)
    return kwargs


def describe(server: Mapping[str, Any]) -> str:
    """A label safe to print (never the password): ``postgres-17 (postgresql 17.10 at h:p)``."""
    version = server.get("version") or "?"
    return (
        f"{server['name']} ({server.get('product', server.get('family', ''))} {version} "
        f"at {server['host']}:{server['port']})"
    )


# --- writing (scripts/servers) --------------------------------------------------------------
def server_entry(
    *,
    name: str,
    family: str,
    product: str,
    version: str,
    port: int,
    role: str = "matrix",
    ca: str | None = None,
    source: str = "",
    host: str = "127.0.0.1",
    user: str = "root",
    password: str = "",
    database: str = "test",
) -> dict[str, Any]:
    """One entry of the file, in the order decision 0001 shows."""
    return {
        "name": name,
        "family": family,
        "product": product,
        "version": version,
        "host": host,
        "port": port,
        "user": user,
        "password": password,
        "database": database,
        "role": role,
        "tls": {"ca": ca} if ca else None,
        "source": source,
    }


def write_servers(entries: list[dict[str, Any]], path: Path | None = None) -> Path:
    """Replace the file atomically (a reader never sees half of it); return its path."""
    path = path or scenarios_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"servers": entries}, indent=2) + "\n")
    tmp.replace(path)
    return path


# --- the testsuite cell of a harness session ------------------------------------------------
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

    def make_config(self, database: str | None = None) -> Any:
        """A fresh config object: backends keep a reference, so never share one."""
        from .profiles import load

        return load(self.profile.config_class)(**self.config_kwargs(database))

    def sync_backend_class(self) -> Any:
        from .profiles import load

        return load(self.profile.sync_backend)

    def async_backend_class(self) -> Any:
        from .profiles import load

        return load(self.profile.async_backend)


@lru_cache(maxsize=1)
def current_cell() -> Cell:
    from .profiles import get_profile

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
