"""The MySQL-family status introspector (``backend.introspector.status``), sync and async.

Each read is one named query (bound parameters only); each answer a pure assembly of rows,
shared by the two classes (``async_status.py`` is their source, ``sync_status.py`` is written
from it). Replication: the role is read from ``read_only`` (a replica is normally read-only;
``SHOW REPLICA STATUS`` is not read yet) and Galera's ``wsrep_*`` status is shown when wsrep
runs; the lag measurement belongs to the cluster work.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rhosocial.activerecord.backend.introspection.status.base import (
    StatusIntrospectorMixin,
)
from rhosocial.activerecord.backend.introspection.status.types import (
    ConnectionInfo,
    DatabaseBriefInfo,
    ReplicationInfo,
    ServerOverview,
    SessionInfo,
    StatusCategory,
    StatusItem,
    StorageInfo,
    UserInfo,
)

from .parse import parse_version, text

Rows = list[dict[str, Any]]

TUNED_VARIABLES: Mapping[str, StatusCategory] = {
    "max_connections": StatusCategory.CONNECTION,
    "wait_timeout": StatusCategory.CONNECTION,
    "interactive_timeout": StatusCategory.CONNECTION,
    "max_allowed_packet": StatusCategory.CONFIGURATION,
    "sql_mode": StatusCategory.CONFIGURATION,
    "time_zone": StatusCategory.CONFIGURATION,
    "transaction_isolation": StatusCategory.CONFIGURATION,
    "tx_isolation": StatusCategory.CONFIGURATION,
    "lock_wait_timeout": StatusCategory.CONFIGURATION,
    "innodb_lock_wait_timeout": StatusCategory.CONFIGURATION,
    "character_set_server": StatusCategory.CONFIGURATION,
    "collation_server": StatusCategory.CONFIGURATION,
    "innodb_buffer_pool_size": StatusCategory.PERFORMANCE,
    "tmp_table_size": StatusCategory.PERFORMANCE,
    "max_heap_table_size": StatusCategory.PERFORMANCE,
    "sort_buffer_size": StatusCategory.PERFORMANCE,
    "join_buffer_size": StatusCategory.PERFORMANCE,
    "log_bin": StatusCategory.REPLICATION,
    "server_id": StatusCategory.REPLICATION,
    "read_only": StatusCategory.REPLICATION,
    "require_secure_transport": StatusCategory.SECURITY,
}
METRICS = (
    "Uptime",
    "Threads_connected",
    "Threads_running",
    "Questions",
    "Slow_queries",
    "Aborted_connects",
    "Max_used_connections",
)


def _marks(names: Any) -> str:
    return ", ".join(["%s"] * len(names))


def status_tables(flavour: str) -> tuple[str, str]:
    """Where the server variables and status counters are read.

    MySQL 8.0 removed ``information_schema.GLOBAL_VARIABLES``/``GLOBAL_STATUS`` (they live in
    ``performance_schema``); MariaDB keeps them in information_schema (and its performance_schema
    may be off).
    """
    if flavour == "mariadb":
        return "information_schema.GLOBAL_VARIABLES", "information_schema.GLOBAL_STATUS"
    return "performance_schema.global_variables", "performance_schema.global_status"


def queries(flavour: str) -> Mapping[str, tuple[str, tuple[Any, ...]]]:
    variables, status = status_tables(flavour)
    return {
        "server": (
            "SELECT VERSION() AS version, @@version_comment AS comment, @@hostname AS hostname",
            (),
        ),
        "variables": (
            f"SELECT VARIABLE_NAME AS name, VARIABLE_VALUE AS value FROM {variables}"
            f" WHERE UPPER(VARIABLE_NAME) IN ({_marks(TUNED_VARIABLES)}) ORDER BY VARIABLE_NAME",
            tuple(n.upper() for n in TUNED_VARIABLES),
        ),
        "metrics": (
            f"SELECT VARIABLE_NAME AS name, VARIABLE_VALUE AS value FROM {status}"
            f" WHERE UPPER(VARIABLE_NAME) IN ({_marks(METRICS)}) OR UPPER(VARIABLE_NAME) IN"
            " ('WSREP_CLUSTER_SIZE', 'WSREP_CLUSTER_STATUS', 'WSREP_LOCAL_STATE_COMMENT')",
            tuple(n.upper() for n in METRICS),
        ),
        "connections": (
            "SELECT COMMAND AS state, COUNT(*) AS n FROM information_schema.PROCESSLIST GROUP BY COMMAND ORDER BY COMMAND",
            (),
        ),
        "storage": (
            "SELECT SUM(DATA_LENGTH) AS data, SUM(INDEX_LENGTH) AS indexes, SUM(DATA_FREE) AS free"
            " FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
            (),
        ),
        # SCHEMATA alone: MariaDB 10.11.19 died (signal 11) on this list with per-schema
        # correlated counts over information_schema.TABLES/VIEWS while other sessions created
        # and dropped databases; counts are read for the session's own database only.
        "databases": (
            "SELECT SCHEMA_NAME AS name, DEFAULT_CHARACTER_SET_NAME AS encoding"
            " FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME",
            (),
        ),
        "users": (
            "SELECT DISTINCT GRANTEE AS grantee FROM information_schema.USER_PRIVILEGES ORDER BY GRANTEE",
            (),
        ),
        "session": (
            "SELECT CURRENT_USER() AS user, DATABASE() AS `database`, USER() AS login, CONNECTION_ID() AS id",
            (),
        ),
    }


def _value(raw: Any) -> Any:
    value = text(raw)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return value


def build_variables(rows: Rows, category: StatusCategory | None = None) -> list[StatusItem]:
    items = []
    for r in rows:
        name = text(r["name"]).lower()
        items.append(
            StatusItem(
                name=name,
                value=_value(r["value"]),
                category=TUNED_VARIABLES.get(name, StatusCategory.CONFIGURATION),
            )
        )
    return [i for i in items if category is None or i.category == category]


def build_metrics(rows: Rows) -> list[StatusItem]:
    return [
        StatusItem(
            name=text(r["name"]).lower(),
            value=_value(r["value"]),
            category=StatusCategory.PERFORMANCE,
        )
        for r in rows
    ]


def build_connections(rows: Rows, variables: Rows) -> ConnectionInfo:
    states = {text(r["state"]): int(r["n"]) for r in rows}
    max_conn = next(
        (_value(v["value"]) for v in variables if text(v["name"]).lower() == "max_connections"),
        None,
    )
    return ConnectionInfo(
        active_count=sum(
            n for s, n in states.items() if s not in ("Sleep", "Daemon", "Binlog Dump")
        ),
        idle_count=states.get("Sleep", 0),
        max_connections=max_conn,
        extra={"by_state": states, "total": sum(states.values())},
    )


def build_storage(rows: Rows) -> StorageInfo:
    r = rows[0]
    data, indexes = (int(r[k]) if r[k] is not None else None for k in ("data", "indexes"))
    total = None if data is None or indexes is None else data + indexes
    return StorageInfo(
        total_size_bytes=total,
        data_size_bytes=data,
        index_size_bytes=indexes,
        free_space_bytes=None if r["free"] is None else int(r["free"]),
    )


def build_databases(rows: Rows) -> list[DatabaseBriefInfo]:
    return [DatabaseBriefInfo(name=text(r["name"]), encoding=text(r["encoding"])) for r in rows]


def build_users(rows: Rows) -> list[UserInfo]:
    users = []
    for r in rows:
        user, _, host = text(r["grantee"]).partition("@")
        users.append(UserInfo(name=user.strip("'"), host=host.strip("'") or None))
    return users


def build_session(rows: Rows) -> SessionInfo:
    r = rows[0]
    login = text(r["login"]) or ""
    return SessionInfo(
        user=text(r["user"]),
        database=text(r["database"]),
        host=login.partition("@")[2] or None,
        extra={"connection_id": r["id"]},
    )


def build_replication(variables: Rows, metrics: Rows) -> ReplicationInfo:
    values = {text(v["name"]).lower(): _value(v["value"]) for v in variables + metrics}
    read_only = str(values.get("read_only", "OFF")).upper() in ("ON", "1")
    extra: dict[str, Any] = {
        "role": "read_only" if read_only else "primary",
        "server_id": values.get("server_id"),
    }
    if values.get("wsrep_cluster_size"):  # 0 (or absent) when Galera is not running
        extra["galera"] = {
            "cluster_size": values["wsrep_cluster_size"],
            "cluster_status": values.get("wsrep_cluster_status"),
            "local_state": values.get("wsrep_local_state_comment"),
        }
    return ReplicationInfo(is_primary=not read_only, is_standby=read_only, extra=extra)


def build_overview(read: Mapping[str, Rows]) -> ServerOverview:
    server = read["server"][0]
    version_string = text(server["version"])
    flavour, version = parse_version(version_string)
    metrics = build_metrics(read["metrics"])
    uptime = next((m.value for m in metrics if m.name == "uptime"), None)
    variables = build_variables(read["variables"])
    return ServerOverview(
        server_version=".".join(str(v) for v in version),
        server_vendor="MariaDB" if flavour == "mariadb" else "MySQL",
        server_name=text(server["hostname"]),
        session=build_session(read["session"]),
        configuration=[v for v in variables if v.category != StatusCategory.PERFORMANCE],
        performance=[v for v in variables if v.category == StatusCategory.PERFORMANCE] + metrics,
        connections=build_connections(read["connections"], read["variables"]),
        storage=build_storage(read["storage"]),
        databases=build_databases(read["databases"]),
        users=build_users(read["users"]),
        replication=build_replication(read["variables"], read["metrics"]),
        extra={
            "flavour": flavour,
            "version_string": version_string,
            "version_comment": text(server["comment"]),
            "uptime_seconds": uptime,
        },
    )


class MySQLStatusMixin(StatusIntrospectorMixin):
    _backend: Any
    READS = (
        "server",
        "variables",
        "metrics",
        "connections",
        "storage",
        "databases",
        "users",
        "session",
    )

    def _query(self, name: str) -> tuple[str, tuple[Any, ...]]:
        return queries(getattr(self._backend.dialect, "flavour", "mysql"))[name]

    def _get_vendor_name(self) -> str:
        return (
            "MariaDB"
            if getattr(self._backend.dialect, "flavour", "mysql") == "mariadb"
            else "MySQL"
        )
