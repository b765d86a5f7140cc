"""Asynchronous PostgreSQL backend (psycopg 3 ``AsyncConnection``: native asyncio, no threads).

Only I/O lives here; the decisions (what to send, what to do after an error) come from
:class:`.common.PostgresBackendCommon`, shared with the async backend.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from logging import DEBUG
from typing import Any

import psycopg

from rhosocial.activerecord.backend.base import AsyncStorageBackend
from rhosocial.activerecord.backend.options import (
    BulkInsertOptions,
    ExecutionOptions,
    InsertOptions,
    UpdateOptions,
)
from rhosocial.activerecord.backend.result import QueryResult

from .common import PostgresBackendCommon
from .errors import connect_error
from .transaction import AsyncPostgresTransactionManager


class AsyncPostgresBackend(PostgresBackendCommon, AsyncStorageBackend):
    """PostgreSQL through psycopg 3, asyncio."""

    # -- connection ----------------------------------------------------------------------------

    async def connect(self) -> None:
        if self._connection is not None:
            await self._close_quietly()
        try:
            conn = await psycopg.AsyncConnection.connect(
                autocommit=True,
                prepare_threshold=self.config.prepare_threshold,
                **self.config.connect_kwargs(),
            )
        except psycopg.Error as e:
            raise connect_error(e, self._secrets()) from None
        self._connection = conn
        self._cursor = conn.cursor()
        self._transaction_lost = False
        self._adapt_to_connection(conn)

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
        conn = self._connection
        if conn is not None and not conn.closed:
            try:
                await conn.execute("SELECT 1")
                return True
            except psycopg.Error:
                if self._in_tx:
                    return False
        if not reconnect or self._in_tx:
            return False
        try:
            await self.connect()
            return True
        except Exception:  # noqa: BLE001 - ping answers, it does not raise
            return False

    async def get_server_version(self) -> tuple[int, int, int]:
        if self._server_version_cache is None:
            if self._connection is None:
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

    async def execute(
        self,
        sql: str,
        params: Sequence[Any] | None = None,
        *,
        options: ExecutionOptions | None = None,
    ) -> QueryResult:
        start = time.perf_counter()
        cur, columns, rows = await self._run(sql, params, self._wants_rows(options))
        return self._make_result(cur, columns, rows, options, time.perf_counter() - start)

    async def _run(self, sql: str, params: Any, want: bool | None) -> tuple[Any, Any, list | None]:
        """Send one statement: ``(cursor, columns, rows)`` (see ``_columns``). Reconnects and resends only
        where ``_failure`` says nothing can be lost or doubled."""
        if self._logger is None or self._logger.isEnabledFor(DEBUG):
            self._log_statement(sql, params)
        final_sql, final_params = self._prepare(sql, params)
        for attempt in (0, 1):
            sent = False
            try:
                if self._transaction_lost and self._in_tx:
                    raise self._lost_in_transaction()
                cur = self._cursor
                if cur is None or self._connection.closed:
                    if self._in_tx:
                        raise self._lost_in_transaction()
                    await self.connect()
                    cur = self._cursor
                sent = True
                # Results in binary for statements known to read the same that way (common.py).
                ask = want and final_params is not None
                binary = self._binary_reads.get(final_sql) if ask else None
                await cur.execute(final_sql, final_params, binary=binary)
                columns = self._columns(cur)
                if ask and binary is not False and columns:
                    if self._settle_result_format(cur, final_sql, binary):
                        await cur.execute(final_sql, final_params)
                        columns = self._columns(cur)
                rows = await cur.fetchall() if (want is not False and columns) else None
                if want and rows is None:
                    rows = []
                return cur, columns, rows
            except BaseException as e:
                exc, close, savepoint = self._failure(e, final_sql, sent, attempt)
                if close:
                    await self._close_quietly()
                elif savepoint is not None:
                    await self._rollback_to_quietly(savepoint)
                if exc is None:
                    continue
                if exc is e:
                    raise
                raise exc from e
        raise AssertionError("unreachable")  # pragma: no cover

    async def _handle_error(self, error: Exception) -> None:
        """The core's error hook (used by its batch paths): map driver errors and raise."""
        mapped = self._translate(error, self._connection)
        if mapped is error:
            raise error
        raise mapped from error

    async def _rollback_to_quietly(self, savepoint: str) -> None:
        """Undo a failed statement's savepoint so the enclosing transaction can carry on."""
        try:
            await self._cursor.execute(
                f"ROLLBACK TO SAVEPOINT {self._dialect.format_identifier(savepoint)}"
            )
        except psycopg.Error:
            pass  # the original error is what the caller needs to see

    async def _execute_tcl(self, sql: str) -> None:
        """Transaction control: never resent, never followed by a savepoint rollback."""
        self._log_statement(sql, None)
        if self._transaction_lost:
            raise self._lost_in_transaction()
        if self._connection is None or self._connection.closed:
            if self._in_tx and not sql.startswith("BEGIN"):
                raise self._lost_in_transaction()
            await self.connect()
        try:
            await self._cursor.execute(sql)
        except psycopg.Error as e:
            conn = self._connection
            if conn is None or conn.broken or conn.closed:
                await self._close_quietly()
                if self._in_tx and not sql.startswith("BEGIN"):
                    raise self._lost_in_transaction() from e
            raise self._translate(e, conn) from e

    async def fetch_one(
        self, sql: str, params: Any = None, column_adapters: Any = None, column_mapping: Any = None
    ) -> dict | None:
        _, columns, rows = await self._run(sql, params, True)
        if not rows:
            return None
        if column_adapters or column_mapping:
            return self._shape_rows(columns[0], rows[:1], column_adapters, column_mapping)[0]
        return columns[2](rows[0])

    async def fetch_all(
        self, sql: str, params: Any = None, column_adapters: Any = None, column_mapping: Any = None
    ) -> list[dict]:
        _, columns, rows = await self._run(sql, params, True)
        if not rows:
            return []
        if column_adapters or column_mapping:
            return self._shape_rows(columns[0], rows, column_adapters, column_mapping)
        return columns[1](rows)

    async def execute_many(self, sql: str, params_list: list[Sequence[Any]]) -> QueryResult | None:
        """One statement, many parameter sets: psycopg's pipelined ``executemany``."""
        start = time.perf_counter()
        self._log_statement(sql, f"<{len(params_list)} parameter sets>")
        if not params_list:
            return QueryResult(affected_rows=0, duration=0.0)
        final_sql, _ = self._prepare(sql, params_list[0])
        rows = self._convert_rows(params_list)
        if self._connection is None or self._connection.closed:
            if self._in_tx:
                raise self._lost_in_transaction()
            await self.connect()
        cur = self._cursor
        try:
            await cur.executemany(final_sql, rows)
        except BaseException as e:
            exc, close, savepoint = self._failure(e, final_sql, True, 1)
            if close:
                await self._close_quietly()
            elif savepoint is not None:
                await self._rollback_to_quietly(savepoint)
            if exc is e:
                raise
            raise exc from e
        return QueryResult(affected_rows=cur.rowcount, duration=time.perf_counter() - start)

    async def insert(self, options: InsertOptions) -> QueryResult:
        return await super().insert(self._apply_declared_adapters(options))

    async def update(self, options: UpdateOptions) -> QueryResult:
        return await super().update(self._apply_declared_adapters(options))

    async def bulk_insert(self, options: BulkInsertOptions) -> QueryResult:
        options = self._apply_declared_adapters(options)
        plan = self._plan_bulk_insert(options)
        if plan is None:
            return await super().bulk_insert(options)
        start = time.perf_counter()
        exec_options = self._bulk_options(options)
        results = [await self.execute(sql, params, options=exec_options) for sql, params in plan]
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
            columns = self._columns(cur)
            one = columns[2] if columns else (lambda row: {})  # zero columns: empty rows
            async for row in cur:
                yield one(row)
        finally:
            await cur.close()
