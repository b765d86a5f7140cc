"""Where the demo runs: one target per backend package whose server answers.

Servers come from the scenario file that ``scripts/servers`` writes, read by the repository's
one reader, ``ar_harness.scenarios``: PostgreSQL on the embedded server (postgres-18, else
postgres-16, else any), MySQL and MariaDB packages on the first MySQL-family server.
Each target gets its own database, ``ar_demo``, created on first use.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from ar_harness import scenarios

DATABASE = "ar_demo"

# package -> (server family, preferred servers, backend class, async backend class, config class)
PACKAGES = {
    "postgres": (
        "postgres",
        ("postgres-18", "postgres-16"),
        "PostgresBackend",
        "AsyncPostgresBackend",
        "PostgresConnectionConfig",
    ),
    "mysql": ("mysql", (), "MySQLBackend", "AsyncMySQLBackend", "MySQLConnectionConfig"),
    "mariadb": ("mysql", (), "MariaDBBackend", "AsyncMariaDBBackend", "MariaDBConnectionConfig"),
}


@dataclass
class Target:
    package: str
    family: str
    server: str  # e.g. "postgres-18 (postgresql 18.1)"
    backend: type
    async_backend: type | None
    config: Any  # the package's ConnectionConfig, pointing at DATABASE
    database: str = DATABASE


class Skip(Exception):
    """This package cannot run here; the message says why."""


def _pick(family: str, preferred: tuple[str, ...]) -> dict:
    servers = scenarios.servers(family, role="matrix")
    for name in preferred:
        for s in servers:
            if s["name"] == name:
                return s
    if not servers:
        kind = "PostgreSQL" if family == "postgres" else "MySQL/MariaDB"
        raise Skip(
            f"no {kind} server is up (none in {scenarios.scenarios_file()}; "
            "see scripts/servers status)"
        )
    return servers[0]


def _create_database(backend_cls: type, config_cls: type, server: dict) -> None:
    """CREATE DATABASE ar_demo unless it exists, through the backend itself."""
    backend = backend_cls(connection_config=config_cls(**_conn_kwargs(server, server["database"])))
    try:
        backend.connect()
        if backend_cls.__name__.startswith("Postgres"):
            found = backend.fetch_one(
                "SELECT 1 AS found FROM pg_database WHERE datname = %s", (DATABASE,)
            )
            if not found:
                backend.execute(f"CREATE DATABASE {backend.dialect.format_identifier(DATABASE)}")
        else:
            backend.execute(f"CREATE DATABASE IF NOT EXISTS {DATABASE}")
    finally:
        backend.disconnect()


def _conn_kwargs(server: dict, database: str) -> dict:
    return scenarios.config_kwargs(server, database)


def target(package: str) -> Target:
    family, preferred, sync_name, async_name, config_name = PACKAGES[package]
    try:
        mod = importlib.import_module(f"rhosocial.activerecord.backend.impl.{package}")
        backend, config_cls = getattr(mod, sync_name), getattr(mod, config_name)
    except (ImportError, AttributeError) as e:
        raise Skip(f"the {package} backend is not usable: {e}") from e
    server = _pick(family, preferred)
    try:
        _create_database(backend, config_cls, server)
    except Exception as e:
        raise Skip(
            f"{server['name']} at {server['host']}:{server['port']} did not answer: {e}"
        ) from e
    return Target(
        package,
        family,
        f"{server['name']} ({server.get('product', family)} {server.get('version', '')})",
        backend,
        getattr(mod, async_name, None),
        config_cls(**_conn_kwargs(server, DATABASE)),
    )


def sqlite_target() -> Target:
    """The core's own SQLite backend in memory: handy to try the walkthrough with no server."""
    from rhosocial.activerecord.backend.impl.sqlite import SQLiteBackend, SQLiteConnectionConfig

    return Target(
        "sqlite",
        "sqlite",
        "in-memory SQLite",
        SQLiteBackend,
        None,
        SQLiteConnectionConfig(database=":memory:"),
        ":memory:",
    )
