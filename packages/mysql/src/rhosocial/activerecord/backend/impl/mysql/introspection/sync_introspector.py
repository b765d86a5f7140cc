# Generated from packages/mysql/src/rhosocial/activerecord/backend/impl/mysql/introspection/async_introspector.py by tools/async_to_sync.py: do not edit.
# Edit the async source and run `python tools/async_to_sync.py`; `--check` fails when this is stale.
"""The MySQL-family introspector class. ``async_introspector.py`` is the source;
``sync_introspector.py`` is written from it (``python tools/async_to_sync.py mysql-introspection``).
The core's base does the I/O of the methods it declares; this class adds those beyond it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rhosocial.activerecord.backend.introspection.base import SyncAbstractIntrospector

from .introspector import Catalog, MySQLIntrospectorMixin
from .types import ConstraintInfo, PartitionInfo, SequenceInfo

if TYPE_CHECKING:
    from .sync_status import SyncMySQLStatusIntrospector


class SyncMySQLIntrospector(MySQLIntrospectorMixin, SyncAbstractIntrospector):
    """The MySQL/MariaDB introspector: ``backend.introspector`` of the backends of the same kind."""

    _status_instance: SyncMySQLStatusIntrospector | None = None

    @property
    def status(self) -> SyncMySQLStatusIntrospector:
        if self._status_instance is None:
            from .sync_status import SyncMySQLStatusIntrospector

            self._status_instance = SyncMySQLStatusIntrospector(self._backend)
        return self._status_instance

    def _catalog(self, catalog: Catalog) -> list[Any]:
        key, (sql, params), build = catalog
        hit = self._get_cached(key)
        if hit is not None:
            return list(hit)
        result = build(self._executor.execute(sql, params))
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

    def list_partitions(self, table_name: str, schema: str | None = None) -> list[PartitionInfo]:
        return self._catalog(self._partitions(table_name, schema))

    def list_sequences(self, schema: str | None = None) -> list[SequenceInfo]:
        return self._catalog(self._sequences(schema))
