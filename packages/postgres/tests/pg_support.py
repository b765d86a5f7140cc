"""Helpers the postgres tests import: where the server is, and how to end a session.

Kept out of ``conftest.py`` under a name of their own, so that one pytest session can collect
every package's tests (each package's ``conftest`` is imported as the module ``conftest``).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from rhosocial.activerecord.backend.impl.postgres import PostgresConnectionConfig

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


def backend_pid(b) -> int:
    return b._connection.info.backend_pid


def terminate(admin, pid: int) -> None:
    admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    # wait until the server has really ended it
    for _ in range(100):
        if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
            return
        time.sleep(0.02)
