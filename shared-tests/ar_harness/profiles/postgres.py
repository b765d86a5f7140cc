"""Profile of the PostgreSQL package (psycopg 3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..schema import TypeMap
from . import BackendProfile

_IMPL = "rhosocial.activerecord.backend.impl.postgres"

TYPE_MAP = TypeMap(
    types={
        "pk_auto": "SERIAL PRIMARY KEY",
        "pk_uuid": "UUID PRIMARY KEY",
        "tinyint": "SMALLINT",  # PostgreSQL has no 1-byte integer
        "smallint": "SMALLINT",
        "int": "INTEGER",
        "bigint": "BIGINT",
        "float": "REAL",
        "double": "DOUBLE PRECISION",
        "decimal": "NUMERIC({0}, {1})",
        "char": "CHAR({0})",
        "varchar": "VARCHAR({0})",
        "text": "TEXT",
        "bool": "BOOLEAN",
        "datetime": "TIMESTAMPTZ",
        "date": "DATE",
        "time": "TIME",
        "blob": "BYTEA",
        "json": "JSONB",
        "json_text": "TEXT",  # str-typed model fields holding JSON; the dialect casts in JSON paths
        "int_array": "INTEGER[]",
    },
    quote='"',
    drop_table="DROP TABLE IF EXISTS {table} CASCADE",
)


def config_kwargs(server: Mapping[str, Any], database: str) -> dict[str, Any]:
    return {
        "host": server["host"],
        "port": int(server["port"]),
        "database": database,
        "username": server["user"],
        "password": server.get("password") or None,
    }


PROFILE = BackendProfile(
    package="postgres",
    family="postgres",
    sync_backend=f"{_IMPL}:PostgresBackend",
    async_backend=f"{_IMPL}:AsyncPostgresBackend",
    config_class=f"{_IMPL}:PostgresConnectionConfig",
    config_kwargs=config_kwargs,
    type_map=TYPE_MAP,
    label=lambda server: f"PostgreSQL backend on PostgreSQL {server.get('version', '?')}",
    database_exists_sql="SELECT 1 FROM pg_database WHERE datname = {ph}",
    create_database_sql="CREATE DATABASE {name}",
)
