"""Per package: the raw driver, the backend classes and their config, for one server.

Imports are local to each builder so ``--package all`` can skip a package whose code or
driver is missing, with the reason, instead of failing as a whole.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .data import Tables
from .raw import RawAsync, RawSync
from .servers import Server


class Unavailable(Exception):
    """The package cannot be benchmarked here (the message says why)."""


@dataclass
class Stack:
    package: str
    family: str
    aware: bool  # does the timestamp column keep a zone (aware datetimes in the rows)?
    raw_sync: Callable[[Tables, str], RawSync]
    raw_async: Callable[[Tables, str], RawAsync] | None
    bulk_paths: tuple[str, ...]  # raw 10,000-row insert paths to calibrate
    backend_cls: type
    async_backend_cls: type | None
    config: Any
    info: dict[str, Any] = field(default_factory=dict)
    async_skip: str = ""  # why there is no async run, if there is none
    ph: str = "%s"  # the raw driver's placeholder


def _impl(package: str) -> Any:
    try:
        return importlib.import_module(f"rhosocial.activerecord.backend.impl.{package}")
    except ImportError as e:
        raise Unavailable(f"cannot import the {package} backend: {e}") from e


def _classes(mod: Any, *names: str) -> list[Any]:
    missing = [n for n in names if not hasattr(mod, n)]
    if missing:
        raise Unavailable(f"{mod.__name__} does not export {', '.join(missing)} yet")
    return [getattr(mod, n) for n in names]


def postgres(server: Server) -> Stack:
    import psycopg

    mod = _impl("postgres")
    backend, abackend, config_cls = _classes(
        mod, "PostgresBackend", "AsyncPostgresBackend", "PostgresConnectionConfig"
    )
    kw = dict(
        host=server.host,
        port=server.port,
        user=server.user,
        password=server.password,
        dbname=server.database,
        autocommit=True,
    )
    return Stack(
        "postgres",
        "postgres",
        True,
        raw_sync=lambda t, b: RawSync("psycopg", lambda: psycopg.connect(**kw), t, b),
        raw_async=lambda t, b: RawAsync(
            "psycopg async", lambda: psycopg.AsyncConnection.connect(**kw), t, b
        ),
        bulk_paths=("executemany", "multirow"),
        backend_cls=backend,
        async_backend_cls=abackend,
        config=config_cls(
            host=server.host,
            port=server.port,
            database=server.database,
            username=server.user,
            password=server.password,
        ),
        info={
            "driver": f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, "
            f"libpq {psycopg.pq.version()})"
        },
    )


def mysql(server: Server) -> Stack:
    import mysql.connector
    import mysql.connector.aio

    mod = _impl("mysql")
    backend, abackend, config_cls = _classes(
        mod, "MySQLBackend", "AsyncMySQLBackend", "MySQLConnectionConfig"
    )
    kw = dict(
        host=server.host,
        port=server.port,
        user=server.user,
        password=server.password,
        database=server.database,
        autocommit=True,
    )
    mode = "C extension" if mysql.connector.HAVE_CEXT else "pure Python"
    return Stack(
        "mysql",
        "mysql",
        False,
        raw_sync=lambda t, b: RawSync(
            "mysql-connector", lambda: mysql.connector.connect(**kw), t, b
        ),
        # The aio module needs TLS explicitly off on a server without TLS (issue 3).
        raw_async=lambda t, b: RawAsync(
            "mysql.connector.aio",
            lambda: mysql.connector.aio.connect(**kw, ssl_disabled=True),
            t,
            b,
        ),
        bulk_paths=("executemany",),  # the driver rewrites it into multi-row INSERTs
        backend_cls=backend,
        async_backend_cls=abackend,
        config=config_cls(
            host=server.host,
            port=server.port,
            database=server.database,
            username=server.user,
            password=server.password,
        ),
        info={"driver": f"mysql-connector-python {mysql.connector.__version__} ({mode})"},
    )


def mariadb(server: Server) -> Stack:
    import pymysql

    mod = _impl("mariadb")
    backend, abackend, config_cls = _classes(
        mod, "MariaDBBackend", "AsyncMariaDBBackend", "MariaDBConnectionConfig"
    )
    kw = dict(
        host=server.host,
        port=server.port,
        user=server.user,
        password=server.password,
        database=server.database,
        autocommit=True,
    )
    stack = Stack(
        "mariadb",
        "mysql",
        False,
        raw_sync=lambda t, b: RawSync("PyMySQL", lambda: pymysql.connect(**kw), t, b),
        raw_async=None,
        bulk_paths=("executemany",),  # PyMySQL rewrites it into multi-row INSERTs
        backend_cls=backend,
        async_backend_cls=abackend,
        config=config_cls(
            host=server.host,
            port=server.port,
            database=server.database,
            username=server.user,
            password=server.password,
        ),
        info={"driver": f"PyMySQL {importlib.metadata.version('PyMySQL')}"},
    )
    # The raw async baseline is the library the async backend is built on.
    if "aiomysql" in sys.modules:
        import aiomysql

        akw = {k: v for k, v in kw.items() if k != "database"} | {"db": server.database}
        stack.raw_async = lambda t, b: RawAsync("aiomysql", lambda: aiomysql.connect(**akw), t, b)
        stack.info["async_driver"] = f"aiomysql {aiomysql.__version__}"
    else:
        stack.async_skip = (
            "the async MariaDB backend does not use aiomysql; no matching raw baseline"
        )
    return stack


def sqlite(server: Server) -> Stack:
    """The core's reference backend against raw sqlite3: a harness check, sync only."""
    import sqlite3

    from rhosocial.activerecord.backend.impl.sqlite import SQLiteBackend, SQLiteConnectionConfig

    path = os.path.join(tempfile.gettempdir(), f"bench_{os.getpid()}.sqlite3")

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(path, isolation_level=None)

    return Stack(
        "sqlite",
        "sqlite",
        False,
        raw_sync=lambda t, b: RawSync("sqlite3", connect, t, b),
        raw_async=None,
        bulk_paths=("executemany",),
        backend_cls=SQLiteBackend,
        async_backend_cls=None,
        config=SQLiteConnectionConfig(database=path),
        info={"driver": f"sqlite3 {sqlite3.sqlite_version}", "path": path},
        async_skip="aiosqlite is not installed in the dev venv",
        ph="?",
    )


BUILDERS: dict[str, Callable[[Server], Stack]] = {
    "postgres": postgres,
    "mysql": mysql,
    "mariadb": mariadb,
    "sqlite": sqlite,
}
