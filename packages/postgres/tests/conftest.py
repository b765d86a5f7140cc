"""Shared fixtures: find the PostgreSQL server as docs/decisions/0001 describes.

The scenario file (env ``AR_SCENARIOS_FILE``, default ``build/servers/scenarios.json`` at the
repository root) names the servers; the first ``role: matrix`` server of the postgres family is
used, or the one named by env ``AR_SERVER``. Without a scenario file: 127.0.0.1:5432 root/test.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import psycopg
import pytest

from rhosocial.activerecord.backend.impl.postgres import (
    AsyncPostgresBackend,
    PostgresBackend,
    PostgresConnectionConfig,
)

REPO = Path(__file__).resolve().parents[3]


def scenario_servers() -> list:
    path = Path(os.environ.get("AR_SCENARIOS_FILE", REPO / "build" / "servers" / "scenarios.json"))
    if not path.exists():
        return []
    return [
        s for s in json.loads(path.read_text()).get("servers", []) if s.get("family") == "postgres"
    ]


def find_server(role: str = "matrix", name: str | None = None) -> dict | None:
    name = name or (os.environ.get("AR_SERVER") if role == "matrix" else None)
    for server in scenario_servers():
        if (name and server["name"] == name) or (not name and server.get("role") == role):
            return server
    if role == "matrix" and not name:
        return {
            "name": "postgres-default",
            "host": "127.0.0.1",
            "port": 5432,
            "user": "root",
            "password": "",
            "database": "test",
        }
    return None


def config_for(server: dict, **extra) -> PostgresConnectionConfig:
    return PostgresConnectionConfig(
        host=server["host"],
        port=server["port"],
        username=server["user"],
        password=server.get("password") or None,
        database=server["database"],
        **extra,
    )


@pytest.fixture(scope="session")
def server() -> dict:
    return find_server()


@pytest.fixture
def config(server) -> PostgresConnectionConfig:
    return config_for(server, application_name="ar-pg-tests")


@pytest.fixture
def backend(config):
    b = PostgresBackend(connection_config=config)
    b.introspect_and_adapt()
    yield b
    b.disconnect()


@pytest.fixture
async def abackend(config):
    b = AsyncPostgresBackend(connection_config=config)
    await b.introspect_and_adapt()
    yield b
    await b.disconnect()


@pytest.fixture
def admin(config):
    """A second, raw connection: inspects and kills the backend's session."""
    conn = psycopg.connect(autocommit=True, **config.connect_kwargs())
    yield conn
    conn.close()


@pytest.fixture
def table(admin):
    """A fresh table name of this test's own; dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    yield name
    admin.execute(f'DROP TABLE IF EXISTS "{name}" CASCADE')


def backend_pid(b) -> int:
    return b._connection.info.backend_pid


def terminate(admin, pid: int) -> None:
    admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    # wait until the server has really ended it
    for _ in range(100):
        if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
            return
        import time

        time.sleep(0.02)
