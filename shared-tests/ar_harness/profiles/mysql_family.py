"""Profiles of the MySQL-family packages: mysql (mysql-connector-python) and mariadb (PyMySQL).

Both speak the same SQL family, so they share one type map; they differ in classes, in the
label of a cell (the mysql package on a MariaDB server is "MySQL driver against a MariaDB
server") and possibly in connection options.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..schema import TypeMap
from . import BackendProfile

TYPE_MAP = TypeMap(
    types={
        "pk_auto": "INT AUTO_INCREMENT PRIMARY KEY",
        "pk_uuid": "CHAR(36) PRIMARY KEY",
        "tinyint": "TINYINT",
        "smallint": "SMALLINT",
        "int": "INT",
        "bigint": "BIGINT",
        "float": "FLOAT",
        "double": "DOUBLE",
        "decimal": "DECIMAL({0}, {1})",
        "char": "CHAR({0})",
        "varchar": "VARCHAR({0})",
        "text": "LONGTEXT",
        "bool": "TINYINT(1)",
        "datetime": "DATETIME(6)",
        "date": "DATE",
        "time": "TIME(6)",
        "blob": "LONGBLOB",
        "json": "JSON",
        "json_text": "JSON",
        "int_array": "JSON",
    },
    quote="`",
    drop_table="DROP TABLE IF EXISTS {table}",
)


def config_kwargs(server: Mapping[str, Any], database: str) -> dict[str, Any]:
    return {
        "host": server["host"],
        "port": int(server["port"]),
        "database": database,
        "username": server["user"],
        "password": server.get("password") or None,
    }


def _product(server: Mapping[str, Any]) -> str:
    return "MariaDB" if server.get("product") == "mariadb" else "MySQL"


def _mysql_label(server: Mapping[str, Any]) -> str:
    if server.get("product") == "mariadb":
        return "MySQL driver against a MariaDB server"
    return f"MySQL backend on MySQL {server.get('version', '?')}"


def _mariadb_label(server: Mapping[str, Any]) -> str:
    return f"MariaDB backend on {_product(server)} {server.get('version', '?')}"


def _profile(package: str, cls: str, label) -> BackendProfile:
    impl = f"rhosocial.activerecord.backend.impl.{package}"
    return BackendProfile(
        package=package,
        family="mysql",
        sync_backend=f"{impl}:{cls}Backend",
        async_backend=f"{impl}:Async{cls}Backend",
        config_class=f"{impl}:{cls}ConnectionConfig",
        config_kwargs=config_kwargs,
        type_map=TYPE_MAP,
        label=label,
        database_exists_sql=("SELECT 1 FROM information_schema.schemata WHERE schema_name = {ph}"),
        create_database_sql="CREATE DATABASE {name} CHARACTER SET utf8mb4",
    )


PROFILES = {
    "mysql": _profile("mysql", "MySQL", _mysql_label),
    "mariadb": _profile("mariadb", "MariaDB", _mariadb_label),
}
