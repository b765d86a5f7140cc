"""MariaDB package tests: unit tests need nothing; integration tests use the family server of
the workspace scenario file (build/servers/scenarios.json) or MariaDB on 127.0.0.1:3306."""

import inspect
import sys
from pathlib import Path

import aiomysql
import pymysql
import pytest

from rhosocial.activerecord.backend.impl.mariadb import AsyncMariaDBBackend, MariaDBBackend

# The family's contract suite lives with the MySQL package's tests (it is not shipped).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "mysql" / "tests"))
from family_contract.fixtures import *  # noqa: F403

from rhosocial.activerecord.backend.impl.mysql.session import PROBE_SQL, TLS_PROBE_SQL


@pytest.fixture(scope="session")
def backend_classes():
    return MariaDBBackend, AsyncMariaDBBackend


def pytest_collection_modifyitems(items):
    for item in items:
        if inspect.iscoroutinefunction(getattr(item, "function", None)):
            item.add_marker(pytest.mark.asyncio)


class FakeServer:
    """What PyMySQL/aiomysql would report from a MariaDB server, without a socket: answers the
    backend's connect-time probes, records every statement and driver connect."""

    def __init__(self) -> None:
        self.version = "10.11.9-MariaDB-0+deb12u1"
        self.cipher = ""  # Ssl_cipher: empty when the session is not encrypted
        self.error: Exception | None = None  # raised by the next statement after connecting
        self.connects: list[dict] = []  # the driver's connect() arguments ...
        self.connections: list = []  # ... and the connections it returned
        self.statements: list[tuple] = []

    def run(self, sql, params):
        self.statements.append((sql, params))
        if sql == PROBE_SQL:
            return [(self.version, 42, 0, 16 * 1024 * 1024, 2, 1)]
        if sql == TLS_PROBE_SQL:
            return [("Ssl_cipher", self.cipher)]
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        return None


class FakeConnection:
    """A PyMySQL connection (and its cursor) on a ``FakeServer``."""

    def __init__(self, server: FakeServer) -> None:
        self.server, self.rows, self.description = server, None, None
        self.rowcount, self.lastrowid = 0, None
        self.escape = repr  # aiomysql's escape, which the backend wraps for bytes
        self.closed = None  # how the backend closed it: "close" (with QUIT) or "force" (without)
        self._sock = None  # PyMySQL's socket: none, the connect timeout never shuts one down

    def connect(self):  # PyMySQL (built with defer_connect=True)
        pass

    def cursor(self):
        return self

    def execute(self, sql, params=None):
        self.rows = self.server.run(sql, params)
        self.description = None if self.rows is None else [("c",)]
        self.rowcount = len(self.rows or ())

    def fetchall(self):
        return self.rows

    def close(self):
        self.closed = self.closed or "close"

    def _force_close(self):  # PyMySQL
        self.closed = self.closed or "force"


class FakeAsyncConnection(FakeConnection):
    """The same, with aiomysql's awaitable cursor calls (``close()`` drops the transport)."""

    async def cursor(self):
        return FakeAsyncCursor(self)


class FakeAsyncCursor:
    def __init__(self, conn: FakeConnection) -> None:
        self._conn = conn

    async def execute(self, sql, params=None):
        self._conn.execute(sql, params)

    async def fetchall(self):
        return self._conn.fetchall()

    def __getattr__(self, name):  # description, rowcount, lastrowid
        return getattr(self._conn, name)


@pytest.fixture
def fake_server(monkeypatch):
    """``pymysql.connect`` and ``aiomysql.connect`` talk to a ``FakeServer`` for this test."""
    server = FakeServer()

    def connect(connection_class=FakeConnection, **kwargs):
        server.connects.append(kwargs)
        server.connections.append(connection_class(server))
        return server.connections[-1]

    async def connect_async(**kwargs):
        return connect(FakeAsyncConnection, **kwargs)

    monkeypatch.setattr(pymysql, "connect", connect)
    monkeypatch.setattr(aiomysql, "connect", connect_async)
    return server
