"""The three packages as the fault tests see them: classes, configs, SQL types, and one
awaitable handle over a sync or an async backend, so each test is written once for both."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .servers import HOST, Server

MODES = ("sync", "async")


@dataclass(frozen=True)
class Package:
    name: str  # postgres | mysql | mariadb
    family: str  # postgres | mysql (the server the package talks to)
    module: str
    prefix: str  # class name prefix: Postgres, MySQL, MariaDB
    quote: str
    types: dict[str, str]
    # Settings that bound every call of the proxy tests (see bound_seconds).
    bounded: dict[str, Any]

    def _impl(self) -> Any:
        return importlib.import_module(self.module)

    @property
    def config_class(self) -> type:
        return getattr(self._impl(), f"{self.prefix}ConnectionConfig")

    def backend_class(self, mode: str) -> type:
        name = f"{self.prefix}Backend" if mode == "sync" else f"Async{self.prefix}Backend"
        return getattr(self._impl(), name)

    def config(self, server: Server, *, port: int | None = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = {
            "host": HOST,
            "port": port or server.port,
            "database": server.database,
            "username": server.user,
            "password": server.password,
        }
        kwargs.update(extra)
        return self.config_class(**kwargs)

    def q(self, name: str) -> str:
        return f"{self.quote}{name}{self.quote}"

    @property
    def bound_seconds(self) -> float:
        """The longest one call may take under ``bounded``, by the package's documentation:
        postgres: connect_timeout, then statement_timeout (server side, for the client bound
        the fix of issue 7 item 2 adds a documented margin; see MARGIN in the tests);
        family: connect_timeout, then read + write timeout (the async backends bound a round
        trip by their sum, the sync drivers each socket read or write)."""
        b = self.bounded
        if self.family == "postgres":
            return b["connect_timeout"] + b["statement_timeout"] / 1000
        return b["connect_timeout"] + b["read_timeout"] + b["write_timeout"]


_FAMILY_TYPES = {
    "pk": "BIGINT AUTO_INCREMENT PRIMARY KEY",
    "int": "BIGINT",
    "float": "DOUBLE",
    "text": "LONGTEXT",
    "short": "VARCHAR(10)",
    "blob": "LONGBLOB",
    "bool": "TINYINT(1)",
    "decimal": "DECIMAL(30, 10)",
    "datetime": "DATETIME(6)",
    "date": "DATE",
    "time": "TIME(6)",
    "json": "JSON",
    "uuid": "CHAR(36)",
}
_FAMILY_BOUNDED = {"connect_timeout": 2, "read_timeout": 2, "write_timeout": 2}

PACKAGES = {
    "postgres": Package(
        name="postgres",
        family="postgres",
        module="rhosocial.activerecord.backend.impl.postgres",
        prefix="Postgres",
        quote='"',
        types={
            "pk": "BIGSERIAL PRIMARY KEY",
            "int": "BIGINT",
            "float": "DOUBLE PRECISION",
            "text": "TEXT",
            "short": "VARCHAR(10)",
            "blob": "BYTEA",
            "bool": "BOOLEAN",
            "decimal": "NUMERIC(30, 10)",
            "datetime": "TIMESTAMPTZ",
            "date": "DATE",
            "time": "TIME",
            "json": "JSONB",
            "uuid": "UUID",
        },
        bounded={"connect_timeout": 2, "statement_timeout": 1000},
    ),
    "mysql": Package(
        name="mysql",
        family="mysql",
        module="rhosocial.activerecord.backend.impl.mysql",
        prefix="MySQL",
        quote="`",
        types=_FAMILY_TYPES,
        bounded=_FAMILY_BOUNDED,
    ),
    "mariadb": Package(
        name="mariadb",
        family="mysql",
        module="rhosocial.activerecord.backend.impl.mariadb",
        prefix="MariaDB",
        quote="`",
        types=_FAMILY_TYPES,
        bounded=_FAMILY_BOUNDED,
    ),
}


def new_table() -> str:
    return f"f_{uuid.uuid4().hex[:12]}"


class Handle:
    """A sync or async backend behind one awaitable API. Sync calls run inline (the body runs
    in its own thread, see ``run_body``); async calls are awaited."""

    def __init__(self, backend: Any, mode: str) -> None:
        self.backend = backend
        self.mode = mode

    async def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.backend, name)(*args, **kwargs)
        if self.mode == "async":
            result = await result
        return result

    async def connect(self) -> None:
        await self._call("connect")
        await self._call("introspect_and_adapt")

    async def disconnect(self) -> None:
        await self._call("disconnect")

    async def ping(self, reconnect: bool = True) -> bool:
        return bool(await self._call("ping", reconnect))

    async def execute(self, sql: str, params: Any = None) -> Any:
        return await self._call("execute", sql, params)

    async def fetch_one(self, sql: str, params: Any = None) -> Any:
        return await self._call("fetch_one", sql, params)

    async def fetch_all(self, sql: str, params: Any = None) -> Any:
        return await self._call("fetch_all", sql, params)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if self.mode == "async":
            async with self.backend.transaction():
                yield
        else:
            with self.backend.transaction():
                yield


def make_handle(package: Package, mode: str, config: Any) -> Handle:
    return Handle(package.backend_class(mode)(connection_config=config), mode)


async def timed(awaitable: Awaitable[Any]) -> tuple[float, Any, BaseException | None]:
    """(seconds, result, exception) of one call; the exception is returned, not raised."""
    began = time.monotonic()
    try:
        result = await awaitable
    except Exception as exc:  # the tests inspect it
        return time.monotonic() - began, None, exc
    return time.monotonic() - began, result, None


class StillRunning(AssertionError):
    pass


def run_body(body: Callable[[], Awaitable[Any]], cap: float) -> Any:
    """Run ``body`` (a coroutine function) on a fresh event loop in a daemon thread and wait at
    most ``cap`` seconds. A call that never returns makes the test fail with "still running",
    instead of hanging the suite; the proxy's teardown closes the sockets it waits on."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(body())
        except BaseException as exc:  # handed to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="fault-body", daemon=True)
    thread.start()
    thread.join(cap)
    if thread.is_alive():
        raise StillRunning(f"still running after {cap:.0f} s (a call that never returns)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
