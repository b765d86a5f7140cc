"""Executors that run the introspectors' catalog queries through the backend's ``fetch_all``.

Not the core's ``SyncIntrospectorExecutor``/``AsyncIntrospectorExecutor``: those take
``backend._get_cursor()`` and close it afterwards, and these backends hand out one shared
cursor. ``fetch_all`` also brings each backend's error translation and reconnect policy.
"""

from __future__ import annotations

from typing import Any

Rows = list[dict[str, Any]]


class SyncCatalogExecutor:
    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Rows:
        rows: Rows = self._backend.fetch_all(sql, params or None)
        return rows


class AsyncCatalogExecutor:
    def __init__(self, backend: Any) -> None:
        self._backend = backend

    async def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Rows:
        rows: Rows = await self._backend.fetch_all(sql, params or None)
        return rows
