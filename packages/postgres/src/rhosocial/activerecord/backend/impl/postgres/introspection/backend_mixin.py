"""The backend side of introspection: one mixin in each PostgreSQL backend's base list.

``introspector`` (the core's ``IntrospectorBackendMixin``) builds the sync or async
introspector to match the backend, and every statement whose command tag says it changed the
catalog (``CREATE``/``ALTER``/``DROP``/``COMMENT``/...) empties the introspector's cache, so a
migration run through this backend is seen by the next introspection. The check costs one
attribute test per statement that returns no rows, while no introspector exists.
"""

from __future__ import annotations

from rhosocial.activerecord.backend.base import AsyncStorageBackend
from rhosocial.activerecord.backend.impl.common.introspection import (
    AsyncCatalogExecutor,
    SyncCatalogExecutor,
)
from rhosocial.activerecord.backend.introspection.backend_mixin import IntrospectorBackendMixin

from .async_introspector import AsyncPostgreSQLIntrospector
from .introspector import is_schema_change
from .sync_introspector import SyncPostgreSQLIntrospector


class PostgresIntrospectionMixin(IntrospectorBackendMixin):
    """First in both backends' bases: ``introspector``, and the cache emptied by DDL."""

    def _create_introspector(self) -> SyncPostgreSQLIntrospector | AsyncPostgreSQLIntrospector:
        if isinstance(self, AsyncStorageBackend):
            return AsyncPostgreSQLIntrospector(self, AsyncCatalogExecutor(self))  # type: ignore[arg-type]  # the core types its executor param by its own executor class; ours has the same execute()
        return SyncPostgreSQLIntrospector(self, SyncCatalogExecutor(self))  # type: ignore[arg-type]  # as above

    def _catalog_may_have_changed(self, status: str | None) -> None:
        """Called by the backend after a statement that returned no rows, while an introspector
        exists: empties its cache when the command tag says the catalog changed."""
        if self._introspector_instance is not None and is_schema_change(status):
            self._introspector_instance.invalidate_cache()
