"""The backend side of introspection: one mixin in each PostgreSQL backend's base list.

``introspector`` (the core's ``IntrospectorBackendMixin``) builds the sync or async
introspector to match the backend, and every statement whose command tag says it changed the
catalog (``CREATE``/``ALTER``/``DROP``/``COMMENT``/...) empties the introspector's cache, so a
migration run through this backend is seen by the next introspection. The check costs one
attribute test per statement while no introspector exists.
"""

from __future__ import annotations

from typing import Any

from rhosocial.activerecord.backend.base import AsyncStorageBackend
from rhosocial.activerecord.backend.impl.common.introspection import (
    AsyncCatalogExecutor,
    SyncCatalogExecutor,
)
from rhosocial.activerecord.backend.introspection.backend_mixin import IntrospectorBackendMixin
from rhosocial.activerecord.backend.result import QueryResult

from ..common import PostgresBackendCommon
from .async_introspector import AsyncPostgreSQLIntrospector
from .introspector import is_schema_change
from .sync_introspector import SyncPostgreSQLIntrospector


class PostgresIntrospectionMixin(IntrospectorBackendMixin):
    """Put before ``PostgresBackendCommon`` in the backend's bases (it wraps ``_make_result``)."""

    def _create_introspector(self) -> SyncPostgreSQLIntrospector | AsyncPostgreSQLIntrospector:
        if isinstance(self, AsyncStorageBackend):
            return AsyncPostgreSQLIntrospector(self, AsyncCatalogExecutor(self))  # type: ignore[arg-type]  # the core types its executor param by its own executor class; ours has the same execute()
        return SyncPostgreSQLIntrospector(self, SyncCatalogExecutor(self))  # type: ignore[arg-type]  # as above

    def _make_result(self, cursor: Any, *args: Any) -> QueryResult[Any]:
        # PostgresBackendCommon's, called directly: a zero-argument super() costs more than the rest
        result: QueryResult[Any] = PostgresBackendCommon._make_result(self, cursor, *args)  # type: ignore[arg-type]  # self is a PostgresBackendCommon (this mixin goes before it)
        if self._introspector_instance is not None and is_schema_change(cursor.statusmessage):
            self._introspector_instance.invalidate_cache()
        return result
