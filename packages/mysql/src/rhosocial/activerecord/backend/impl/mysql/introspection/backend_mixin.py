"""The backend side of introspection: one mixin in the family's sync and async backend bases.

``introspector`` (the core's ``IntrospectorBackendMixin``) builds the sync or async
introspector to match the backend; a statement that changes the catalog (first keyword
``CREATE``/``ALTER``/``DROP``/``RENAME``/``TRUNCATE``, and not read-only) empties its cache, so a
migration run through this backend is seen by the next introspection. While no introspector
exists the check is one attribute test per statement.
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

from ..results import ResultShaping
from .async_introspector import AsyncMySQLIntrospector
from .introspector import is_schema_change
from .sync_introspector import SyncMySQLIntrospector


class FamilyIntrospectionMixin(IntrospectorBackendMixin):
    """Put before ``FamilyBackendCore`` in the backend's bases (it wraps ``_shape``)."""

    def _create_introspector(self) -> SyncMySQLIntrospector | AsyncMySQLIntrospector:
        if isinstance(self, AsyncStorageBackend):
            return AsyncMySQLIntrospector(self, AsyncCatalogExecutor(self))  # type: ignore[arg-type]  # the core types the executor by its own class; ours has the same execute()
        return SyncMySQLIntrospector(self, SyncCatalogExecutor(self))  # type: ignore[arg-type]  # as above

    def _shape(self, plan: Any, raw: Any) -> QueryResult[Any]:
        # ResultShaping's, called directly: a zero-argument super() costs more than the rest
        result: QueryResult[Any] = ResultShaping._shape(self, plan, raw)  # type: ignore[arg-type]  # self is a FamilyBackendCore, whose bases put this mixin before ResultShaping
        if (
            self._introspector_instance is not None
            and not plan.read_only
            and is_schema_change(plan.sql)
        ):
            self._introspector_instance.invalidate_cache()
        return result
