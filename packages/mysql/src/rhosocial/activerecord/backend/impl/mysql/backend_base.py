# Generated from packages/mysql/src/rhosocial/activerecord/backend/impl/mysql/async_backend_base.py by tools/async_to_sync.py: do not edit.
# Edit the async source and run `python tools/async_to_sync.py`; `--check` fails when this is stale.
"""The I/O layer of the MySQL/MariaDB family: the backend bases, written once.

``async_backend_base.py`` (``FamilyAsyncBackend``) is the source; ``backend_base.py``
(``FamilySyncBackend``) is generated from it by ``tools/async_to_sync.py``: ``await`` and
``async`` drop out, the names of the tool's ``mysql`` entry are mapped, and the few real
differences are ``if True:  # ASYNC ... else:`` blocks of the source.

Both bases carry only the I/O: connect, run one statement, run a batch, close. Every decision
(what to bind, what the result means, whether a failure may be retried, what the server can do)
comes from ``FamilyBackendCore``. The driver glue (mysql-connector, PyMySQL, aiomysql) plugs in
by providing ``_error_info``, ``_close_dead`` (every connection the backend gives up on is closed
through it, never left to the garbage collector) and the connect: ``_driver_connect`` for the
async backends; ``_driver_connection``/``_driver_open``/``_socket_of`` for the sync ones (so the
connect timeout can reach the socket while the driver connects). ``connect_timeout`` bounds the
whole connect, session set-up included: ``asyncio.wait_for`` (async) or a ``SocketWatchdog``
(sync) cuts it short and ``ConnectTimeout`` is raised.

A statement the client stopped waiting for is stopped on the server with ``KILL QUERY`` from a
side driver connection (``_kill_query_on_side``, below): the async backends when the task is
cancelled or the round trip exceeds ``read_timeout + write_timeout``, the sync ones when the
driver's ``read_timeout``/``write_timeout`` ran out.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from typing import Any, TypeVar

from rhosocial.activerecord.backend.base import StorageBackend
from rhosocial.activerecord.backend.options import (
    BulkInsertOptions,
    ExecutionOptions,
    InsertOptions,
    UpdateOptions,
)
from rhosocial.activerecord.backend.result import QueryResult

from . import errors as family_errors
from .core import FamilyBackendCore
from .explain import FamilyExplainMixin
from .results import Raw
from .session import ServerInfo
from .statements import Params
from .transaction import MySQLTransactionManager
from .watchdog import SocketWatchdog

T = TypeVar("T")


class FamilySyncBackend(FamilyExplainMixin, FamilyBackendCore, StorageBackend):  # type: ignore[misc]
    "Family backend base; subclasses add a driver's connect hooks and ``_error_info``."

    # Why the class line ignores [misc]: the core's StorageBackendBase infers ``config`` as
    # ConnectionConfig and ``_server_version_cache`` as None from its __init__; the family
    # narrows both (its config class, the server's version tuple), which mypy reports as
    # incompatible multiple inheritance.
    _transaction_manager: MySQLTransactionManager | None  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**self._config_kwargs(kwargs))
        self._init_family()

    # --- driver glue --------------------------------------------------------------------------

    def _driver_connection(self) -> Any:
        """Driver glue: a connection object for the configured server, not connected yet."""
        raise NotImplementedError

    def _driver_open(self, conn: Any) -> None:
        """Driver glue: connect ``conn`` (TCP, handshake, TLS, authentication)."""
        raise NotImplementedError

    def _socket_of(self, conn: Any) -> socket.socket | None:
        """Driver glue: the socket ``conn`` uses right now (None: none yet, or unreachable)."""
        raise NotImplementedError

    def _driver_connect(self) -> Any:
        """A connected driver connection, bounded by the driver's own timeouts only (the
        side connection that sends KILL QUERY)."""
        conn = self._driver_connection()
        try:
            self._driver_open(conn)
        except BaseException:
            self._close_dead(conn)
            raise
        return conn

    def _close_connection(self, conn: Any) -> None:
        """Close ``conn`` politely (QUIT); aiomysql's ``close()`` is plain, aio's a coroutine."""
        conn.close()

    # --- one statement ------------------------------------------------------------------------

    def _run_io(self, sql: str, params: Params) -> Raw:
        cur = self._cursor  # inline, not _open_cursor(): this is the per-statement path
        if cur is None:
            cur = self._cursor = self._connection.cursor()
        cur.execute(sql, params)
        description = cur.description
        rows = cur.fetchall() if description is not None else None
        return Raw(rows, description, cur.rowcount, cur.lastrowid)

    #: The sync drivers bound each socket operation by read_timeout/write_timeout, so a
    #: statement is its I/O alone: an alias, not a wrapper (one frame less per statement).
    _run = _run_io

    def _open_cursor(self) -> Any:
        cur = self._cursor
        if cur is None:
            cur = self._cursor = self._connection.cursor()
        return cur

    def _kill_query_on_side(self, connection_id: int) -> None:
        """``KILL QUERY connection_id`` from a short-lived side connection of the same driver:
        the one way a family backend stops its own statement on the server."""
        side = self._driver_connect()
        try:
            cur = side.cursor()
            cur.execute("KILL QUERY %s", (connection_id,))
            self._close_connection(side)
        except BaseException:  # timed out or failed: drop it without waiting for the server
            self._close_dead(side)
            raise

    def _client_timed_out(self, detail: str) -> family_errors.StatementTimeout:
        """The driver stopped waiting: besides dropping the connection, stop the statement
        on the server, as the async backends do. Left running, it would keep its session,
        and an open transaction's locks, until the server noticed the closed socket."""
        connection_id = self._server_info.connection_id if self._server_info else None
        err = super()._client_timed_out(detail)
        if connection_id is not None:
            try:
                self._kill_query_on_side(connection_id)
            except Exception:  # noqa: BLE001 - best effort; the timeout is what matters
                self.logger.warning("could not KILL QUERY %s after a client timeout", connection_id)
        return err

    # --- connection lifecycle -----------------------------------------------------------------

    def connect(self) -> None:
        if self._connection is not None:
            self.disconnect()
        self._server_info = None
        deadline = self._connect_deadline()
        self._connect_until(deadline)

    def _connect_until(self, deadline: float) -> None:
        try:
            conn = self._driver_connection()
        except Exception as exc:
            self._raise_connect_error(exc, deadline)
        self._connection, self._cursor = (conn, None)
        watchdog = SocketWatchdog(deadline, lambda: self._socket_of(conn))
        try:
            with watchdog:
                self._driver_open(conn)
                self._run_session_setup()
        except BaseException as exc:  # half set up (even on Ctrl-C): never kept, closed
            self._give_up_connect(exc, deadline, watchdog.fired)
        if watchdog.fired:  # cut off as it finished: its socket is shut down
            self._abandon_connection()
            self._server_info = None
            raise self._connect_timed_out()

    def _run_session_setup(self) -> None:
        """Run the statements of ``session_setup``, sending each one's ``Raw`` back in."""
        setup = self._session_setup()
        raw: Raw | None = None
        while True:
            try:
                sql, params = setup.send(raw)
            except StopIteration:
                return
            raw = self._run(sql, params)

    def disconnect(self) -> None:
        conn = self._connection
        if conn is None:
            return
        try:
            if self.in_transaction and (not self._server_rolled_back):
                self._run("ROLLBACK", None)
        except Exception:  # noqa: BLE001 - closing anyway; the server rolls back on close
            pass
        finally:
            self._connection = self._cursor = self._transaction_manager = None
            self._server_rolled_back = None
            try:
                self._close_connection(conn)
            except Exception:  # noqa: BLE001
                pass

    def ping(self, reconnect: bool = True) -> bool:
        if self._connection is None:
            if not reconnect:
                return False
            self.connect()
            return True
        try:
            self._run("SELECT 1", None)
            return True
        except Exception as exc:
            if not self._ping_may_reconnect(exc, reconnect):
                return False
        try:
            self.connect()
        except family_errors.MySQLFamilyError:
            return False
        return True

    def get_server_version(self) -> tuple[int, int, int]:
        if self._server_info is None:
            self.connect()
        return self._connected_info().features.version

    def introspect_and_adapt(self) -> None:
        if self._connection is None:
            self.connect()

    @property
    def transaction_manager(self) -> MySQLTransactionManager:
        if self._transaction_manager is None:
            self._transaction_manager = MySQLTransactionManager(self, self.logger)
        return self._transaction_manager

    # --- execution ----------------------------------------------------------------------------

    def execute(
        self,
        sql: str,
        params: Sequence[Any] | None = None,
        *,
        options: ExecutionOptions | None = None,
    ) -> QueryResult[Any]:
        plan = self._plan(sql, params, options)
        while True:
            try:
                if self._connection is None:
                    self.connect()
                self._guard(plan)
                return self._shape(plan, self._run(plan.sql, plan.params))
            except Exception as exc:
                self._raise_unless_retry(plan, exc)

    def fetch_one(
        self,
        sql: str,
        params: Sequence[Any] | None = None,
        column_adapters: Any = None,
        column_mapping: Any = None,
    ) -> dict[str, Any] | None:
        options = self._dql_options(column_adapters, column_mapping)
        data = self.execute(sql, params, options=options).data
        return data[0] if data else None

    def fetch_all(
        self,
        sql: str,
        params: Sequence[Any] | None = None,
        column_adapters: Any = None,
        column_mapping: Any = None,
    ) -> list[dict[str, Any]]:
        options = self._dql_options(column_adapters, column_mapping)
        return self.execute(sql, params, options=options).data or []

    def execute_many(self, sql: str, params_list: Sequence[Sequence[Any]]) -> QueryResult[Any]:  # type: ignore[override, unused-ignore]
        "Run ``sql`` once per row of positional parameters, in multi-row batches.\n\n        (The ignore: the core's async declaration takes ``list[tuple | dict]``, its sync one\n        ``list[tuple]``; the family binds positional rows only, as ``_plan`` does.)\n"
        plan = self._plan(sql, None, None)
        total = 0
        try:
            if self._connection is None:
                self.connect()
            self._guard(plan)
            for chunk_sql, batch in self._execute_many_chunks(sql, params_list):
                cur = self._open_cursor()
                cur.executemany(chunk_sql, batch)
                total += max(cur.rowcount or 0, 0)
        except Exception as exc:
            plan.attempt = 1  # a batch is never re-run
            self._raise_unless_retry(plan, exc)
        return self._shape(plan, Raw(None, None, total, None))

    def _execute_batch_fast(self, sql: str, params_list: list[Any]) -> int:
        """The core's batch DML path: through ``execute_many`` so values are adapted, ``%`` is
        escaped and errors are mapped like everywhere else."""
        return self.execute_many(sql, params_list).affected_rows

    # The model's own UseAdapter conversions (the core's insert/update/bulk_insert skip them).

    def insert(self, options: InsertOptions) -> QueryResult[Any]:
        return super().insert(self._with_declared_adapters(options))

    def update(self, options: UpdateOptions) -> QueryResult[Any]:
        return super().update(self._with_declared_adapters(options))

    def bulk_insert(self, options: BulkInsertOptions) -> QueryResult[Any]:
        options = self._with_declared_adapters(options)
        chunks = list(self._bulk_chunks(options))
        # bound here: zero-argument super() does not work inside the comprehensions
        insert_chunk = super().bulk_insert
        if len(chunks) <= 1:
            return insert_chunk(options)
        if self.in_transaction:
            results = [insert_chunk(c) for c in chunks]
        else:
            with self.transaction():
                results = [insert_chunk(c) for c in chunks]
        return self._merge_bulk(results, [len(c.rows) for c in chunks])

    def _handle_error(self, error: Exception) -> None:
        info = self._error_info(error)
        if info is None:
            raise error
        raise family_errors.map_error(info) from error

    def _connected_info(self) -> ServerInfo:
        """``server_info`` of the open connection (``connect`` sets it or raises)."""
        info = self._server_info
        if info is None:
            raise family_errors.ConnectFailed("not connected")
        return info
