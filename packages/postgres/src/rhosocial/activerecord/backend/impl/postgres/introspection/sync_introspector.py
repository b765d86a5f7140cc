# Generated from packages/postgres/src/rhosocial/activerecord/backend/impl/postgres/introspection/async_introspector.py by tools/async_to_sync.py: do not edit.
# Edit the async source and run `python tools/async_to_sync.py`; `--check` fails when this is stale.
"""The PostgreSQL introspector class. ``async_introspector.py`` is the source; ``sync_introspector.py``
is written from it (``python tools/async_to_sync.py postgres-introspection``). The core's base
does the I/O of the methods it declares; this class adds those beyond it, over
``PostgresIntrospectorMixin``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rhosocial.activerecord.backend.introspection.base import SyncAbstractIntrospector
from rhosocial.activerecord.backend.introspection.status.types import ExtensionInfo

from .introspector import Catalog, PostgresIntrospectorMixin
from .types import ConstraintInfo, DomainInfo, EnumTypeInfo, PartitionInfo, SequenceInfo

if TYPE_CHECKING:
    from .sync_status import SyncPostgreSQLStatusIntrospector


class SyncPostgreSQLIntrospector(PostgresIntrospectorMixin, SyncAbstractIntrospector):
    """The PostgreSQL introspector: ``backend.introspector`` of the backend of the same kind."""

    _status_instance: SyncPostgreSQLStatusIntrospector | None = None

    @property
    def status(self) -> SyncPostgreSQLStatusIntrospector:
        if self._status_instance is None:
            from .sync_status import SyncPostgreSQLStatusIntrospector

            self._status_instance = SyncPostgreSQLStatusIntrospector(self._backend)
        return self._status_instance

    def _catalog(self, catalog: Catalog) -> list[Any]:
        key, (sql, params), parser = catalog
        hit, value = self._cached(key)
        if hit:
            return list(value)
        result = [parser(r) for r in self._executor.execute(sql, params)]
        self._set_cached(key, result)
        return result

    def list_check_constraints(
        self, table_name: str, schema: str | None = None
    ) -> list[ConstraintInfo]:
        return self._catalog(self._check_constraints(table_name, schema))

    def list_unique_constraints(
        self, table_name: str, schema: str | None = None
    ) -> list[ConstraintInfo]:
        return self._catalog(self._unique_constraints(table_name, schema))

    def list_sequences(self, schema: str | None = None) -> list[SequenceInfo]:
        return self._catalog(self._sequences(schema))

    def list_enum_types(self, schema: str | None = None) -> list[EnumTypeInfo]:
        return self._catalog(self._enum_types(schema))

    def list_domains(self, schema: str | None = None) -> list[DomainInfo]:
        return self._catalog(self._domains(schema))

    def list_extensions(self) -> list[ExtensionInfo]:
        return self._catalog(self._extensions())

    def list_partitions(self, table_name: str, schema: str | None = None) -> list[PartitionInfo]:
        return self._catalog(self._partitions(table_name, schema))
