"""The MySQL-family introspector class. ``async_introspector.py`` is the source;
``sync_introspector.py`` is written from it (``python tools/async_to_sync.py mysql-introspection``).
The core's base does the I/O of the methods it declares; this class adds those beyond it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rhosocial.activerecord.backend.introspection.base import AsyncAbstractIntrospector

from .introspector import Catalog, MySQLIntrospectorMixin
from .types import ConstraintInfo, PartitionInfo, SequenceInfo

if TYPE_CHECKING:
    from .async_status import AsyncMySQLStatusIntrospector


class AsyncMySQLIntrospector(MySQLIntrospectorMixin, AsyncAbstractIntrospector):
    """The MySQL/MariaDB introspector: ``backend.introspector`` of the backends of the same kind."""

    _status_instance: AsyncMySQLStatusIntrospector | None = None

    @property
    def status(self) -> AsyncMySQLStatusIntrospector:
        if self._status_instance is None:
            from .async_status import AsyncMySQLStatusIntrospector

            self._status_instance = AsyncMySQLStatusIntrospector(self._backend)
        return self._status_instance

    async def _catalog(self, catalog: Catalog) -> list[Any]:
        key, (sql, params), build = catalog
        hit = self._get_cached(key)
        if hit is not None:
            return list(hit)
        result = build(await self._executor.execute(sql, params))
        self._set_cached(key, result)
        return result

    async def list_check_constraints(
        self, table_name: str, schema: str | None = None
    ) -> list[ConstraintInfo]:
        return await self._catalog(self._check_constraints(table_name, schema))

    async def list_unique_constraints(
        self, table_name: str, schema: str | None = None
    ) -> list[ConstraintInfo]:
        return await self._catalog(self._unique_constraints(table_name, schema))

    async def list_partitions(
        self, table_name: str, schema: str | None = None
    ) -> list[PartitionInfo]:
        return await self._catalog(self._partitions(table_name, schema))

    async def list_sequences(self, schema: str | None = None) -> list[SequenceInfo]:
        return await self._catalog(self._sequences(schema))
