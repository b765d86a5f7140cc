"""The PostgreSQL introspector class. ``async_introspector.py`` is the source; ``sync_introspector.py``
is written from it (``python tools/async_to_sync.py postgres-introspection``). The core's base
does the I/O of the methods it declares; this class adds those beyond it, over
``PostgresIntrospectorMixin``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rhosocial.activerecord.backend.introspection.base import AsyncAbstractIntrospector
from rhosocial.activerecord.backend.introspection.status.types import ExtensionInfo

from .introspector import Catalog, PostgresIntrospectorMixin
from .types import ConstraintInfo, DomainInfo, EnumTypeInfo, PartitionInfo, SequenceInfo

if TYPE_CHECKING:
    from .async_status import AsyncPostgreSQLStatusIntrospector


class AsyncPostgreSQLIntrospector(PostgresIntrospectorMixin, AsyncAbstractIntrospector):
    """The PostgreSQL introspector: ``backend.introspector`` of the backend of the same kind."""

    _status_instance: AsyncPostgreSQLStatusIntrospector | None = None

    @property
    def status(self) -> AsyncPostgreSQLStatusIntrospector:
        if self._status_instance is None:
            from .async_status import AsyncPostgreSQLStatusIntrospector

            self._status_instance = AsyncPostgreSQLStatusIntrospector(self._backend)
        return self._status_instance

    async def _catalog(self, catalog: Catalog) -> list[Any]:
        key, (sql, params), parser = catalog
        hit, value = self._cached(key)
        if hit:
            return list(value)
        result = [parser(r) for r in await self._executor.execute(sql, params)]
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

    async def list_sequences(self, schema: str | None = None) -> list[SequenceInfo]:
        return await self._catalog(self._sequences(schema))

    async def list_enum_types(self, schema: str | None = None) -> list[EnumTypeInfo]:
        return await self._catalog(self._enum_types(schema))

    async def list_domains(self, schema: str | None = None) -> list[DomainInfo]:
        return await self._catalog(self._domains(schema))

    async def list_extensions(self) -> list[ExtensionInfo]:
        return await self._catalog(self._extensions())

    async def list_partitions(
        self, table_name: str, schema: str | None = None
    ) -> list[PartitionInfo]:
        return await self._catalog(self._partitions(table_name, schema))
