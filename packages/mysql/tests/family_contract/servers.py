"""Which server the package tests use: the workspace scenario file, else local defaults."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

_DEFAULT = {
    "name": "mariadb-local",
    "family": "mysql",
    "product": "mariadb",
    "host": "127.0.0.1",
    "port": 3306,
    "user": "root",
    "password": "",
    "database": "test",
    "role": "matrix",
    "tls": None,
}


def _scenario_file() -> Path | None:
    env = os.environ.get("AR_SCENARIOS_FILE")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "build" / "servers" / "scenarios.json"
        if candidate.exists():
            return candidate
    return None


def _servers() -> list[dict[str, Any]]:
    path = _scenario_file()
    if path is None or not path.exists():
        return []
    return list(json.loads(path.read_text()).get("servers", []))


def matrix_server() -> dict[str, Any]:
    """The family server the integration tests run against (env ``AR_SERVER`` picks one)."""
    wanted = os.environ.get("AR_SERVER")
    for server in _servers():
        if server.get("family") != "mysql":
            continue
        if wanted and server.get("name") == wanted:
            return server
        if not wanted and server.get("role") == "matrix":
            return server
    return dict(_DEFAULT)


def tls_server() -> dict[str, Any] | None:
    """The family server with TLS on and a self-signed CA (None if the scripts did not start one)."""
    for server in _servers():
        if server.get("family") == "mysql" and server.get("role") == "tls" and server.get("tls"):
            return server
    return None


def config_kwargs(server: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    kwargs = {
        "host": server["host"],
        "port": int(server["port"]),
        "username": server["user"],
        "password": server.get("password") or None,
        "database": server.get("database") or "test",
    }
    kwargs.update(overrides)
    return kwargs
