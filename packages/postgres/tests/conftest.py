"""Shared fixtures: find the PostgreSQL server as docs/decisions/0001 describes.

The scenario file (env ``AR_SCENARIOS_FILE``, default ``build/servers/scenarios.json`` at the
repository root) names the servers; the first ``role: matrix`` server of the postgres family is
used, or the one named by env ``AR_SERVER``. Without a scenario file: 127.0.0.1:5432 root/test.
"""

from __future__ import annotations

import uuid

import psycopg
import pytest
from pg_support import config_for, find_server

from rhosocial.activerecord.backend.impl.postgres import (
    AsyncPostgresBackend,
    PostgresBackend,
    PostgresConnectionConfig,
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
