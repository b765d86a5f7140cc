"""The PostgreSQL status introspector class (``async_status.py`` is the source, ``sync_status.py``
is written from it by ``tools/async_to_sync.py``)."""

from __future__ import annotations

from rhosocial.activerecord.backend.introspection.status.base import AsyncAbstractStatusIntrospector
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


class AsyncPostgreSQLStatusIntrospector(PostgresStatusMixin, AsyncAbstractStatusIntrospector):
    async def _read(self, name: str) -> Rows:
        sql, params = QUERIES[name]
        rows: Rows = await self._backend.fetch_all(sql, params or None)
        return rows

    async def get_overview(self) -> ServerOverview:
        return build_overview({name: await self._read(name) for name in self.READS})

    async def list_configuration(self, category: StatusCategory | None = None) -> list[StatusItem]:
        return build_settings(await self._read("settings"), category)

    async def list_performance_metrics(
        self, category: StatusCategory | None = None
    ) -> list[StatusItem]:
        return build_metrics(await self._read("database_stats"))

    async def get_connection_info(self) -> ConnectionInfo:
        return build_connections(await self._read("connections"), await self._read("settings"))

    async def get_storage_info(self) -> StorageInfo:
        return build_storage(await self._read("storage"))

    async def list_databases(self) -> list[DatabaseBriefInfo]:
        return build_databases(await self._read("databases"))

    async def list_users(self) -> list[UserInfo]:
        return build_users(await self._read("users"))

    async def get_session_info(self) -> SessionInfo:
        return build_session(await self._read("session"))

    async def get_replication_info(self) -> ReplicationInfo:
        return build_replication(await self._read("server"), await self._read("wal_senders"))
