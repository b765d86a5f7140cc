# Generated from packages/postgres/src/rhosocial/activerecord/backend/impl/postgres/introspection/async_status.py by tools/async_to_sync.py: do not edit.
# Edit the async source and run `python tools/async_to_sync.py`; `--check` fails when this is stale.
"""The PostgreSQL status introspector class (``async_status.py`` is the source, ``sync_status.py``
is written from it by ``tools/async_to_sync.py``)."""

from __future__ import annotations

from rhosocial.activerecord.backend.introspection.status.base import SyncAbstractStatusIntrospector
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

from .status import (
    QUERIES,
    PostgresStatusMixin,
    Rows,
    build_connections,
    build_databases,
    build_metrics,
    build_overview,
    build_replication,
    build_session,
    build_settings,
    build_storage,
    build_users,
)


class SyncPostgreSQLStatusIntrospector(PostgresStatusMixin, SyncAbstractStatusIntrospector):
    def _read(self, name: str) -> Rows:
        sql, params = QUERIES[name]
        rows: Rows = self._backend.fetch_all(sql, params or None)
        return rows

    def get_overview(self) -> ServerOverview:
        return build_overview({name: self._read(name) for name in self.READS})

    def list_configuration(self, category: StatusCategory | None = None) -> list[StatusItem]:
        return build_settings(self._read("settings"), category)

    def list_performance_metrics(self, category: StatusCategory | None = None) -> list[StatusItem]:
        return build_metrics(self._read("database_stats"))

    def get_connection_info(self) -> ConnectionInfo:
        return build_connections(self._read("connections"), self._read("settings"))

    def get_storage_info(self) -> StorageInfo:
        return build_storage(self._read("storage"))

    def list_databases(self) -> list[DatabaseBriefInfo]:
        return build_databases(self._read("databases"))

    def list_users(self) -> list[UserInfo]:
        return build_users(self._read("users"))

    def get_session_info(self) -> SessionInfo:
        return build_session(self._read("session"))

    def get_replication_info(self) -> ReplicationInfo:
        return build_replication(self._read("server"), self._read("wal_senders"))
