"""The PostgreSQL status introspector (``backend.introspector.status``), sync and async.

Every read is one named query (``QUERIES``, bound parameters only) and every answer a pure
assembly of its rows (``build_*``), shared by both classes; the classes only run the reads
(``async_status.py`` is their source, ``sync_status.py`` is written from it).
Replication: the role (primary/standby from ``pg_is_in_recovery()``) and the WAL senders this
server feeds; the lag measurement belongs to the cluster work and is not read here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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

Rows = list[dict[str, Any]]

#: The settings a user tunes, by category (read from pg_settings with their unit and context).
TUNED_SETTINGS: Mapping[str, StatusCategory] = {
    "max_connections": StatusCategory.CONNECTION,
    "superuser_reserved_connections": StatusCategory.CONNECTION,
    "idle_in_transaction_session_timeout": StatusCategory.CONNECTION,
    "statement_timeout": StatusCategory.CONFIGURATION,
    "lock_timeout": StatusCategory.CONFIGURATION,
    "default_transaction_isolation": StatusCategory.CONFIGURATION,
    "search_path": StatusCategory.CONFIGURATION,
    "TimeZone": StatusCategory.CONFIGURATION,
    "shared_buffers": StatusCategory.PERFORMANCE,
    "work_mem": StatusCategory.PERFORMANCE,
    "maintenance_work_mem": StatusCategory.PERFORMANCE,
    "effective_cache_size": StatusCategory.PERFORMANCE,
    "random_page_cost": StatusCategory.PERFORMANCE,
    "max_parallel_workers_per_gather": StatusCategory.PERFORMANCE,
    "wal_level": StatusCategory.REPLICATION,
    "max_wal_senders": StatusCategory.REPLICATION,
    "synchronous_commit": StatusCategory.REPLICATION,
    "ssl": StatusCategory.SECURITY,
    "password_encryption": StatusCategory.SECURITY,
}

QUERIES: Mapping[str, tuple[str, tuple[Any, ...]]] = {
    "server": (
        "SELECT version() AS version_string, current_setting('server_version_num')::int AS version_num,"
        " current_setting('cluster_name') AS cluster_name, pg_postmaster_start_time() AS started,"
        " EXTRACT(EPOCH FROM now() - pg_postmaster_start_time())::bigint AS uptime_seconds,"
        " pg_is_in_recovery() AS in_recovery",
        (),
    ),
    "settings": (
        "SELECT name, setting, unit, short_desc, context, boot_val FROM pg_settings"
        " WHERE name = ANY(%s) ORDER BY name",
        (list(TUNED_SETTINGS),),
    ),
    "connections": (
        "SELECT COALESCE(state, 'background') AS state, count(*) AS n FROM pg_stat_activity"
        " GROUP BY 1 ORDER BY 1",
        (),
    ),
    "database_stats": (
        "SELECT xact_commit, xact_rollback, blks_read, blks_hit, tup_returned, tup_fetched,"
        " tup_inserted, tup_updated, tup_deleted, deadlocks, temp_bytes"
        " FROM pg_stat_database WHERE datname = current_database()",
        (),
    ),
    "storage": (
        "SELECT pg_database_size(current_database()) AS total,"
        " (SELECT COALESCE(sum(pg_relation_size(c.oid)), 0) FROM pg_class c"
        "   WHERE c.relkind IN ('r', 'm', 't'))::bigint AS data,"
        " (SELECT COALESCE(sum(pg_relation_size(c.oid)), 0) FROM pg_class c"
        "   WHERE c.relkind = 'i')::bigint AS indexes",
        (),
    ),
    "databases": (
        "SELECT d.datname AS name, pg_get_userbyid(d.datdba) AS owner,"
        " pg_encoding_to_char(d.encoding) AS encoding,"
        " CASE WHEN has_database_privilege(d.oid, 'CONNECT') THEN pg_database_size(d.oid) END AS size"
        " FROM pg_database d WHERE NOT d.datistemplate ORDER BY d.datname",
        (),
    ),
    "users": (
        "SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolcanlogin AS can_login,"
        " ARRAY(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
        "   WHERE m.member = r.oid ORDER BY g.rolname)::text[] AS roles"
        " FROM pg_roles r WHERE r.rolname !~ '^pg_' ORDER BY r.rolname",
        (),
    ),
    "session": (
        "SELECT current_user AS user, current_database() AS database, current_schema() AS schema,"
        " inet_client_addr()::text AS host, s.ssl, s.version AS ssl_version, s.cipher AS ssl_cipher,"
        " pg_backend_pid() AS pid"
        " FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()",
        (),
    ),
    "wal_senders": ("SELECT count(*) AS n FROM pg_stat_replication", ()),
}


def _num(value: Any) -> Any:
    """A setting's text as a number where it is one (pg_settings.setting is text)."""
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value
    return value


def build_settings(rows: Rows, category: StatusCategory | None = None) -> list[StatusItem]:
    items = [
        StatusItem(
            name=r["name"],
            value=_num(r["setting"]),
            category=TUNED_SETTINGS.get(r["name"], StatusCategory.CONFIGURATION),
            description=r["short_desc"],
            unit=r["unit"],
            is_readonly=r["context"] == "internal",
            is_dynamic=r["context"]
            in ("user", "superuser", "sighup", "superuser-backend", "backend"),
            default_value=_num(r["boot_val"]),
            extra={"context": r["context"]},
        )
        for r in rows
    ]
    return [i for i in items if category is None or i.category == category]


def build_metrics(rows: Rows) -> list[StatusItem]:
    if not rows:
        return []
    return [
        StatusItem(name=k, value=v, category=StatusCategory.PERFORMANCE) for k, v in rows[0].items()
    ]


def build_connections(rows: Rows, settings: Rows) -> ConnectionInfo:
    states = {r["state"]: r["n"] for r in rows}
    max_conn = next((_num(s["setting"]) for s in settings if s["name"] == "max_connections"), None)
    return ConnectionInfo(
        active_count=states.get("active", 0),
        idle_count=states.get("idle", 0),
        max_connections=max_conn,
        extra={"by_state": states, "total": sum(states.values())},
    )


def build_storage(rows: Rows) -> StorageInfo:
    r = rows[0]
    return StorageInfo(
        total_size_bytes=r["total"], data_size_bytes=r["data"], index_size_bytes=r["indexes"]
    )


def build_databases(rows: Rows) -> list[DatabaseBriefInfo]:
    return [
        DatabaseBriefInfo(
            name=r["name"], owner=r["owner"], encoding=r["encoding"], size_bytes=r["size"]
        )
        for r in rows
    ]


def build_users(rows: Rows) -> list[UserInfo]:
    return [
        UserInfo(
            name=r["name"],
            roles=list(r["roles"]),
            is_superuser=r["superuser"],
            extra={"can_login": r["can_login"]},
        )
        for r in rows
    ]


def build_session(rows: Rows) -> SessionInfo:
    r = rows[0]
    return SessionInfo(
        user=r["user"],
        database=r["database"],
        schema=r["schema"],
        host=r["host"],
        ssl_enabled=r["ssl"],
        ssl_version=r["ssl_version"],
        ssl_cipher=r["ssl_cipher"],
        extra={"backend_pid": r["pid"]},
    )


def build_replication(server: Rows, senders: Rows) -> ReplicationInfo:
    standby = bool(server[0]["in_recovery"])
    return ReplicationInfo(
        is_primary=not standby,
        is_standby=standby,
        active_replications=senders[0]["n"] if senders else None,
        extra={"role": "standby" if standby else "primary"},
    )


def build_overview(read: Mapping[str, Rows]) -> ServerOverview:
    server = read["server"][0]
    return ServerOverview(
        server_version=f"{server['version_num'] // 10000}.{server['version_num'] % 10000}",
        server_vendor="PostgreSQL",
        server_name=server["cluster_name"] or None,
        session=build_session(read["session"]),
        configuration=[
            i for i in build_settings(read["settings"]) if i.category != StatusCategory.PERFORMANCE
        ],
        performance=build_settings(read["settings"], StatusCategory.PERFORMANCE)
        + build_metrics(read["database_stats"]),
        connections=build_connections(read["connections"], read["settings"]),
        storage=build_storage(read["storage"]),
        databases=build_databases(read["databases"]),
        users=build_users(read["users"]),
        replication=build_replication(read["server"], read["wal_senders"]),
        extra={
            "flavour": "postgresql",
            "version_string": server["version_string"],
            "uptime_seconds": server["uptime_seconds"],
            "started_at": server["started"].isoformat() if server["started"] is not None else None,
        },
    )


class PostgresStatusMixin(StatusIntrospectorMixin):
    _backend: Any
    READS: Sequence[str] = tuple(QUERIES)

    def _get_vendor_name(self) -> str:
        return "PostgreSQL"
