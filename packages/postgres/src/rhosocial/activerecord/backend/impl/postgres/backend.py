"""Synchronous PostgreSQL backend (psycopg 3 ``Connection``, autocommit, tuple rows).

The I/O sequences are written once, as ``async def`` methods in ``common.py``; this backend uses
their synchronous twins (``synchronous``) and holds what only it has: the connection class and
plain iteration.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg

from rhosocial.activerecord.backend.base import StorageBackend
from rhosocial.activerecord.backend.options import BulkInsertOptions as BulkOptions
from rhosocial.activerecord.backend.options import InsertOptions, UpdateOptions
from rhosocial.activerecord.backend.result import QueryResult

from .common import PostgresBackendCommon, synchronous
from .errors import connect_error
from .introspection.backend_mixin import PostgresIntrospectionMixin
from .transaction import PostgresTransactionManager


class PostgresBackend(PostgresIntrospectionMixin, PostgresBackendCommon, StorageBackend):
    """PostgreSQL through psycopg 3, synchronous."""

    # The I/O sequences of common.py without async/await (see ``synchronous``).
    _recover_io = synchronous(PostgresBackendCommon._recover_io)
    _run_io = synchronous(PostgresBackendCommon._run_io)
    _many_io = synchronous(PostgresBackendCommon._many_io)
    _tcl_io = synchronous(PostgresBackendCommon._tcl_io)
    _ping_io = synchronous(PostgresBackendCommon._ping_io)

    # -- connection ----------------------------------------------------------------------------

    def connect(self) -> None:
        if self._connection is not None:
            self._close_quietly()
        try:
            conn = psycopg.Connection.connect(**self._connect_args())
        except psycopg.Error as e:
            raise connect_error(e, self._secrets()) from None
        self._adopt(conn)

    def _close_quietly(self) -> None:
        conn, self._connection, self._cursor = self._connection, None, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - closing a dead socket may fail; nothing to do
                pass

    def disconnect(self) -> None:
        """Close the connection; an open transaction is rolled back by the server."""
        self._close_quietly()
        self._transaction_manager = None
        self._transaction_lost = False

    def ping(self, reconnect: bool = True) -> bool:
        return self._ping_io(reconnect)

    def get_server_version(self) -> tuple[int, int, int]:
        if self._server_version_cache is None and self._connection is None:
            self.connect()
        return self._server_version_cache

    def introspect_and_adapt(self) -> None:
        if self._connection is None:
            self.connect()
        else:
            self._adapt_to_connection(self._connection)

    @property
    def transaction_manager(self) -> PostgresTransactionManager:
        if self._transaction_manager is None:
            self._transaction_manager = PostgresTransactionManager(self)
        return self._transaction_manager

    def _get_cursor(self):
        if self._connection is None:
            self.connect()
        return self._cursor

    # -- execution -----------------------------------------------------------------------------

    # The entry points of common.py without async/await (see ``PostgresBackendCommon._execute``).
    execute = synchronous(PostgresBackendCommon._execute)
    fetch_one = synchronous(PostgresBackendCommon._fetch_one)
    fetch_all = synchronous(PostgresBackendCommon._fetch_all)
    execute_many = synchronous(PostgresBackendCommon._execute_many)

    def _execute_tcl(self, sql: str) -> None:
        self._tcl_io(sql)

    def _handle_error(self, error: Exception) -> None:
        """The core's error hook (used by its batch paths): map driver errors and raise."""
        self._reraise(self._translate(error, self._connection), error)

    # -- writes through the ORM ----------------------------------------------------------------

    def insert(self, options: InsertOptions) -> QueryResult:
        return super().insert(self._apply_declared_adapters(options))

    def update(self, options: UpdateOptions) -> QueryResult:
        return super().update(self._apply_declared_adapters(options))

    def bulk_insert(self, options: BulkOptions) -> QueryResult:
        options = self._apply_declared_adapters(options)
        plan = self._plan_bulk_insert(options)
        if plan is None:
            return super().bulk_insert(options)
        start, how = time.perf_counter(), self._bulk_options(options)
        results = [self.execute(sql, params, options=how) for sql, params in plan]
        return self._merge_results(results, time.perf_counter() - start)

    # -- streaming -----------------------------------------------------------------------------

    def _get_dql_cursor(self):
        """A server-side cursor for ``execute_batch_dql``: pages arrive one ``fetchmany`` at a time.

        Outside a transaction it is declared WITH HOLD (autocommit has no transaction to live in).
        """
        if self._connection is None:
            self.connect()
        return self._connection.cursor(name=self._cursor_name(), withhold=not self._in_tx)

    def stream(
        self, sql: str, params: Sequence[Any] | None = None, *, size: int = 1000
    ) -> Iterator[dict]:
        """Iterate over a large result without loading it: ``size`` rows per round trip."""
        final_sql, final_params = self._prepare(sql, params)
        cur = self._get_dql_cursor()
        cur.itersize = size
        try:
            try:
                cur.execute(final_sql, final_params)
            except psycopg.Error as e:
                raise self._translate(e, self._connection) from e
            one = self._one_row_shaper(cur)
            for row in cur:
                yield one(row)
        finally:
            cur.close()
