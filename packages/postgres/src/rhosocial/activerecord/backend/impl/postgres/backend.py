# Generated from packages/postgres/src/rhosocial/activerecord/backend/impl/postgres/async_backend.py by tools/async_to_sync.py: do not edit.
# Edit the async source and run `python tools/async_to_sync.py`; `--check` fails when this is stale.
"""The PostgreSQL backend's I/O through psycopg 3: connecting, statements with their reconnect
policy, ``executemany``, transaction control, ping and streaming.

This is the hand-written source: ``AsyncPostgresBackend`` (``AsyncConnection``, native asyncio,
no threads). ``backend.py`` (``PostgresBackend``) is generated from it by
``tools/async_to_sync.py`` (decision 0007); what the two share that is not I/O is in
``backend_base.py``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import psycopg
from psycopg.rows import TupleRow

from rhosocial.activerecord.backend.base import StorageBackend
from rhosocial.activerecord.backend.options import (
    BulkInsertOptions,
    ExecutionOptions,
    InsertOptions,
    UpdateOptions,
)

from .backend_base import Params, PostgresBackendBase
from .bulk import (
    apply_declared_adapters,
    apply_declared_adapters_to_rows,
    bulk_execution_options,
    merge_results,
    plan_bulk_insert,
)
from .connection import BoundedConnection
from .errors import ConnectionLostError, connect_error
from .explain import PostgresExplainMixin
from .reconnect import Failure, decide, lost_in_transaction, translate
from .results import ColumnAdapters, ColumnMapping, Result, all_rows, make_result, one_row_shaper
from .row_readers import Columns
from .statements import settle_result_format
from .transaction import PostgresTransactionManager

_DEBUG = logging.DEBUG
Connection = psycopg.Connection[TupleRow]  # or its subclass AsyncBoundedConnection
Cursor = psycopg.Cursor[TupleRow]
RunOutcome = tuple[Cursor, Columns | None, list[TupleRow] | None]
# The core's __init__ leaves config as a plain ConnectionConfig and _server_version_cache as None
# (inferred, never declared); PostgresBackendBase narrows both.


class PostgresBackend(PostgresExplainMixin, PostgresBackendBase, StorageBackend):  # type: ignore[misc]
    "PostgreSQL through psycopg 3."

    # The core's __init__ sets these to None without declaring a type.
    _connection: Connection | None  # type: ignore[assignment]
    _cursor: Cursor | None  # type: ignore[assignment]
    _transaction_manager: PostgresTransactionManager | None  # type: ignore[assignment]
    # -- connection ----------------------------------------------------------------------------

    def connect(self) -> None:
        if self._connection is not None:
            self._close_quietly()
        try:
            bound = self.config.effective_read_timeout()
            if bound is None:  # psycopg's class: no extra frame per round trip
                conn = psycopg.Connection.connect(**self._connect_args())
            else:
                bounded = BoundedConnection.connect(**self._connect_args())
                bounded.read_timeout = bound
                conn = bounded
        except psycopg.Error as e:
            raise connect_error(e, self._secrets()) from None
        self._adopt(conn)

    def _adopt(self, conn: Connection) -> None:
        """Take a fresh connection into use."""
        self._connection = conn
        self._cursor = conn.cursor()
        self._transaction_lost = False
        self._adapt_to_connection(conn)

    def _close_quietly(self) -> None:
        conn, self._connection, self._cursor = (self._connection, None, None)
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
        conn = self._connection
        if conn is not None and (not conn.closed):
            try:
                conn.execute("SELECT 1")
                return True
            except psycopg.Error:
                pass
        if not reconnect or self._in_tx:  # a new connection would not carry the transaction
            return False
        try:
            self.connect()
        except Exception:  # noqa: BLE001 - ping answers, it does not raise
            return False
        return True

    def get_server_version(self) -> tuple[int, int, int]:
        if self._server_version_cache is None and self._connection is None:
            self.connect()
        version = self._server_version_cache
        assert version is not None  # connect() adapts to the server's version or raises
        return version

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

    @property
    def _in_tx(self) -> bool:
        tm = self._transaction_manager
        return tm is not None and tm._transaction_level > 0

    def _get_cursor(self) -> Cursor:
        if self._connection is None:
            self.connect()
        return self._cursor  # type: ignore[return-value]  # connect() sets it or raises

    # -- failures --------------------------------------------------------------------------------

    def _lost_in_transaction(self) -> ConnectionLostError:
        self._transaction_lost = True
        return lost_in_transaction()

    def _failure(self, error: BaseException, sql: str, sent: bool, attempt: int) -> Failure:
        """What to do after a statement failed (see ``reconnect.decide``)."""
        in_tx = self._in_tx
        failure = decide(
            error,
            sql,
            conn=self._connection,
            sent=sent,
            attempt=attempt,
            in_transaction=in_tx,
            transaction_lost=self._transaction_lost,
            savepoint=self.transaction_manager.current_savepoint if in_tx else None,
            secrets=self._secrets(),
        )
        if failure.transaction_lost:
            self._transaction_lost = True
        return failure

    def _recover(self, failure: Failure) -> None:
        """After a failed statement: drop the connection, or roll back to its savepoint so the
        enclosing transaction can carry on."""
        if failure.close:
            self._close_quietly()
        elif failure.savepoint is not None and self._cursor is not None:
            quoted = self._dialect.format_identifier(failure.savepoint)
            try:
                self._cursor.execute(f"ROLLBACK TO SAVEPOINT {quoted}")
            except psycopg.Error:
                pass  # the original error is what the caller needs to see

    def _handle_error(self, error: Exception) -> None:
        """The core's error hook (used by its batch paths): map driver errors and raise."""
        self._reraise(translate(error, self._connection, self._secrets()), error)

    # -- statements ------------------------------------------------------------------------------

    def _run(self, sql: str, params: Params, want: bool | None) -> RunOutcome:
        """Send one statement; returns ``(cursor, columns, rows)``.

        Reconnects and resends only where ``reconnect.decide`` says nothing can be lost or
        doubled. Results come in binary for statements known to read the same that way.
        """
        if self._logger is None or self._logger.isEnabledFor(_DEBUG):
            self._log_statement(sql, params)
        if params:
            stmt = self._statements.get(sql) or self._statements.statement(sql)
            final_sql, params = (stmt.escaped, self._converter.convert(params))
        else:  # sent verbatim: no escaping, and nothing learned about it
            final_sql, params, stmt = (sql, None, None)
        ask = want and stmt is not None
        for attempt in (0, 1):
            sent = False
            try:
                cur = self._cursor
                if cur is None or self._transaction_lost or self._connection.closed:  # type: ignore[union-attr]  # set together with _cursor
                    if self._ready_cursor() is None:  # raises if a transaction was lost
                        self.connect()
                    cur = self._cursor
                    assert cur is not None  # connect() sets it or raises
                sent = True
                binary = stmt.binary if ask else None  # type: ignore[union-attr]  # ask: stmt set
                cur.execute(final_sql, params, binary=binary)
                columns = self._columns(cur, stmt)
                if ask and binary is not False and columns:
                    if settle_result_format(cur.pgresult, stmt):  # type: ignore[arg-type]  # ask: stmt set
                        cur.execute(final_sql, params)
                        columns = self._columns(cur, stmt)
                if not columns or want is False:
                    if self._introspector_instance is not None:  # DDL empties its cache
                        self._catalog_may_have_changed(cur.statusmessage)
                    return (cur, columns, [] if want else None)
                return (cur, columns, cur.fetchall())
            except BaseException as e:
                failure = self._failure(e, final_sql, sent, attempt)
                self._recover(failure)
                if failure.error is not None:
                    self._reraise(failure.error, e)
        raise AssertionError("unreachable")  # pragma: no cover

    def _ready_cursor(self) -> Cursor | None:
        """The cursor to send on, None when the connection must be opened first; raises when a
        transaction's connection is gone (nothing of it may run on a new one)."""
        if self._transaction_lost and self._in_tx:
            raise self._lost_in_transaction()
        cur = self._cursor
        if cur is None or self._connection is None or self._connection.closed:
            if self._in_tx:
                raise self._lost_in_transaction()
            return None
        return cur

    def execute(
        self, sql: str, params: Params = None, *, options: ExecutionOptions | None = None
    ) -> Result:
        start = time.perf_counter()
        cur, columns, rows = self._run(sql, params, self._wants_rows(options))
        return make_result(cur, columns, rows, options, time.perf_counter() - start)

    def fetch_one(
        self,
        sql: str,
        params: Params = None,
        column_adapters: ColumnAdapters | None = None,
        column_mapping: ColumnMapping | None = None,
    ) -> dict[str, Any] | None:
        _, columns, rows = self._run(sql, params, True)
        if not rows or columns is None:
            return None
        if column_adapters or column_mapping:
            return all_rows(columns, rows[:1], column_adapters, column_mapping)[0]
        return columns.one(rows[0])

    def fetch_all(
        self,
        sql: str,
        params: Params = None,
        column_adapters: ColumnAdapters | None = None,
        column_mapping: ColumnMapping | None = None,
    ) -> list[dict[str, Any]]:
        _, columns, rows = self._run(sql, params, True)
        return all_rows(columns, rows or [], column_adapters, column_mapping)

    def execute_many(
        self, sql: str, params_list: Sequence[Sequence[Any] | Mapping[str, Any]]
    ) -> Result:
        """One statement, many parameter sets: psycopg's pipelined ``executemany``; never resent."""
        start = time.perf_counter()
        self._log_statement(sql, f"<{len(params_list)} parameter sets>")
        affected = 0
        if params_list:
            final_sql, _ = self._prepare(sql, params_list[0])
            rows = self._convert_rows(params_list)
            cur = self._ready_cursor()
            if cur is None:
                self.connect()
                cur = self._cursor
                assert cur is not None  # connect() sets it or raises
            try:
                cur.executemany(final_sql, rows)
            except BaseException as e:
                failure = self._failure(e, final_sql, True, 1)
                self._recover(failure)
                self._reraise(failure.error or e, e)
            affected = cur.rowcount
        return Result(affected_rows=affected, duration=time.perf_counter() - start)

    def _execute_tcl(self, sql: str) -> None:
        """Transaction control: never resent, never followed by a savepoint rollback."""
        self._log_statement(sql, None)
        begins = sql.startswith("BEGIN")
        if self._transaction_lost:
            raise self._lost_in_transaction()
        if self._connection is None or self._connection.closed or self._cursor is None:
            if self._in_tx and (not begins):
                raise self._lost_in_transaction()
            self.connect()
        cur = self._cursor
        assert cur is not None  # connect() sets it or raises
        try:
            cur.execute(sql)
        except psycopg.Error as e:
            conn = self._connection
            if conn is None or conn.broken or conn.closed:
                self._close_quietly()
                if self._in_tx and (not begins):
                    raise self._lost_in_transaction() from e
            raise translate(e, conn, self._secrets()) from e

    # -- writes through the ORM ----------------------------------------------------------------

    def insert(self, options: InsertOptions) -> Result:
        result: Result = super().insert(apply_declared_adapters(self._declared, options))
        return result

    def update(self, options: UpdateOptions) -> Result:
        result: Result = super().update(apply_declared_adapters(self._declared, options))
        return result

    def bulk_insert(self, options: BulkInsertOptions) -> Result:
        options = apply_declared_adapters_to_rows(self._declared, options)
        plan = plan_bulk_insert(self._dialect, self._converter.convert, options)
        if plan is None:
            result: Result = super().bulk_insert(options)
            return result
        start, how = (time.perf_counter(), bulk_execution_options(options))
        results = [self.execute(sql, params, options=how) for sql, params in plan]
        return merge_results(results, time.perf_counter() - start)

    # -- streaming -----------------------------------------------------------------------------

    def _get_dql_cursor(self) -> psycopg.ServerCursor[TupleRow]:
        """A server-side cursor for ``execute_batch_dql``: pages arrive one ``fetchmany`` at a time.

        Outside a transaction it is declared WITH HOLD (autocommit has no transaction to live in).
        """
        if self._connection is None:
            self.connect()
        assert self._connection is not None  # connect() sets it or raises
        return self._connection.cursor(name=self._cursor_name(), withhold=not self._in_tx)

    def stream(
        self, sql: str, params: Sequence[Any] | None = None, *, size: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Iterate over a large result without loading it: ``size`` rows per round trip."""
        final_sql, final_params = self._prepare(sql, params)
        cur = self._get_dql_cursor()
        cur.itersize = size
        try:
            try:
                cur.execute(final_sql, final_params)
            except psycopg.Error as e:
                raise translate(e, self._connection, self._secrets()) from e
            one = one_row_shaper(self._columns(cur))
            for row in cur:
                yield one(row)
        finally:
            cur.close()
