"""Asynchronous PostgreSQL backend (psycopg 3 ``AsyncConnection``: native asyncio, no threads).

The I/O sequences are written once, as ``async def`` methods in ``common.py``, used here as they
are; this module holds what only asyncio has: the connection class and ``async for``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from typing import Any

import psycopg

from rhosocial.activerecord.backend.base import AsyncStorageBackend
from rhosocial.activerecord.backend.options import BulkInsertOptions as BulkOptions
from rhosocial.activerecord.backend.options import InsertOptions, UpdateOptions
from rhosocial.activerecord.backend.result import QueryResult

from .common import PostgresBackendCommon
from .errors import connect_error
from .introspection.backend_mixin import PostgresIntrospectionMixin
from .transaction import AsyncPostgresTransactionManager


class AsyncPostgresBackend(PostgresIntrospectionMixin, PostgresBackendCommon, AsyncStorageBackend):
    """PostgreSQL through psycopg 3, asyncio."""

    # -- connection ----------------------------------------------------------------------------

    async def connect(self) -> None:
        if self._connection is not None:
            await self._close_quietly()
        try:
            conn = await psycopg.AsyncConnection.connect(**self._connect_args())
        except psycopg.Error as e:
            raise connect_error(e, self._secrets()) from None
        self._adopt(conn)

    async def _close_quietly(self) -> None:
        conn, self._connection, self._cursor = self._connection, None, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:  # noqa: BLE001 - closing a dead socket may fail; nothing to do
                pass

    async def disconnect(self) -> None:
        """Close the connection; an open transaction is rolled back by the server."""
        await self._close_quietly()
        self._transaction_manager = None
        self._transaction_lost = False

    async def ping(self, reconnect: bool = True) -> bool:
        return await self._ping_io(reconnect)

    async def get_server_version(self) -> tuple[int, int, int]:
        if self._server_version_cache is None and self._connection is None:
            await self.connect()
        return self._server_version_cache

    async def introspect_and_adapt(self) -> None:
        if self._connection is None:
            await self.connect()
        else:
            self._adapt_to_connection(self._connection)

    @property
    def transaction_manager(self) -> AsyncPostgresTransactionManager:
        if self._transaction_manager is None:
            self._transaction_manager = AsyncPostgresTransactionManager(self)
        return self._transaction_manager

    async def _get_cursor(self):
        if self._connection is None:
            await self.connect()
        return self._cursor

    # -- execution -----------------------------------------------------------------------------

    # The entry points of common.py, as written (see ``PostgresBackendCommon._execute``).
    execute = PostgresBackendCommon._execute
    fetch_one = PostgresBackendCommon._fetch_one
    fetch_all = PostgresBackendCommon._fetch_all
    execute_many = PostgresBackendCommon._execute_many

    async def _execute_tcl(self, sql: str) -> None:
        await self._tcl_io(sql)

    async def _handle_error(self, error: Exception) -> None:
        """The core's error hook (used by its batch paths): map driver errors and raise."""
        self._reraise(self._translate(error, self._connection), error)

    # -- writes through the ORM ----------------------------------------------------------------

    async def insert(self, options: InsertOptions) -> QueryResult:
        return await super().insert(self._apply_declared_adapters(options))

    async def update(self, options: UpdateOptions) -> QueryResult:
        return await super().update(self._apply_declared_adapters(options))

    async def bulk_insert(self, options: BulkOptions) -> QueryResult:
        options = self._apply_declared_adapters(options)
        plan = self._plan_bulk_insert(options)
        if plan is None:
            return await super().bulk_insert(options)
        start, how = time.perf_counter(), self._bulk_options(options)
        results = [await self.execute(sql, params, options=how) for sql, params in plan]
        return self._merge_results(results, time.perf_counter() - start)

    # -- streaming -----------------------------------------------------------------------------

    async def _get_dql_cursor(self):
        """A server-side cursor for ``execute_batch_dql``: pages arrive one ``fetchmany`` at a time.

        Outside a transaction it is declared WITH HOLD (autocommit has no transaction to live in).
        """
        if self._connection is None:
            await self.connect()
        return self._connection.cursor(name=self._cursor_name(), withhold=not self._in_tx)

    async def stream(
        self, sql: str, params: Sequence[Any] | None = None, *, size: int = 1000
    ) -> AsyncIterator[dict]:
        """Iterate over a large result without loading it: ``size`` rows per round trip."""
        final_sql, final_params = self._prepare(sql, params)
        cur = await self._get_dql_cursor()
        cur.itersize = size
        try:
            try:
                await cur.execute(final_sql, final_params)
            except psycopg.Error as e:
                raise self._translate(e, self._connection) from e
            one = self._one_row_shaper(cur)
            async for row in cur:
                yield one(row)
        finally:
            await cur.close()
