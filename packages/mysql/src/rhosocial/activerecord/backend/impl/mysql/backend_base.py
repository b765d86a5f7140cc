"""Sync and async backend bases of the MySQL/MariaDB family.

Both bases carry only the I/O: connect, run one statement, run a batch, close. Every decision
(what to bind, what the result means, whether a failure may be retried, what the server can do)
comes from ``FamilyBackendCore`` so the two stay in lockstep. The driver glue (mysql-connector,
PyMySQL, aiomysql) plugs in by providing ``_error_info``, ``_close_dead`` (every connection the
backend gives up on is closed through it, never left to the garbage collector) and the connect:
``_driver_connection``/``_driver_open``/``_socket_of`` for the sync backends (so the connect
timeout can reach the socket while the driver connects), ``_driver_connect`` for the async ones.
``connect_timeout`` bounds the whole connect, session set-up included: a ``SocketWatchdog``
(sync) or ``asyncio.wait_for`` (async) cuts it short and ``ConnectTimeout`` is raised. Both
drivers of each kind expose the same DB-API cursor calls, which is why the statement loop
itself lives here and not in the glue.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Awaitable, Sequence
from typing import Any, TypeVar

from rhosocial.activerecord.backend.base import AsyncStorageBackend, StorageBackend
from rhosocial.activerecord.backend.options import (
    BulkInsertOptions,
    ExecutionOptions,
    InsertOptions,
    UpdateOptions,
)
from rhosocial.activerecord.backend.result import QueryResult

from . import errors as family_errors
from .core import FamilyBackendCore, Raw
from .introspection.backend_mixin import FamilyIntrospectionMixin
from .transaction import AsyncMySQLTransactionManager, MySQLTransactionManager
from .watchdog import SocketWatchdog

T = TypeVar("T")


class FamilySyncBackend(FamilyIntrospectionMixin, FamilyBackendCore, StorageBackend):
    """Sync family backend; subclasses add a driver's connect hooks and ``_error_info``."""

    #: A short-lived backend that only sends KILL QUERY for another one.
    _is_side_connection = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**self._config_kwargs(kwargs))
        self._init_family()

    # --- the I/O primitives -----------------------------------------------------------------
    def _driver_connection(self) -> Any:
        """Driver glue: a connection object for the configured server, not connected yet."""
        raise NotImplementedError

    def _driver_open(self, conn: Any) -> None:
        """Driver glue: connect ``conn`` (TCP, handshake, TLS, authentication)."""
        raise NotImplementedError

    def _socket_of(self, conn: Any) -> socket.socket | None:
        """Driver glue: the socket ``conn`` uses right now (None: none yet, or not reachable)."""
        raise NotImplementedError

    def _run(self, sql: str, params: tuple | None) -> Raw:
        cur = self._cursor
        if cur is None:
            cur = self._cursor = self._connection.cursor()
        cur.execute(sql, params)
        description = cur.description
        rows = cur.fetchall() if description is not None else None
        return Raw(rows, description, cur.rowcount, cur.lastrowid)

    def _client_timed_out(self, detail: str) -> family_errors.StatementTimeout:
        """The driver stopped waiting: besides dropping the connection, stop the statement on
        the server, as the async backends do. Left running, it would keep its session, and an
        open transaction's locks, until the server noticed the closed socket."""
        connection_id = self._server_info.connection_id if self._server_info else None
        err = super()._client_timed_out(detail)
        if connection_id is not None and not self._is_side_connection:
            side = type(self)(connection_config=self.config)  # its own timeouts bound it
            side._is_side_connection = True  # a KILL that times out is not chased by another
            try:
                side.execute("KILL QUERY %s", (connection_id,))
            except Exception:  # noqa: BLE001 - best effort; the timeout is what the caller needs
                self.logger.warning("could not KILL QUERY %s after a client timeout", connection_id)
            finally:
                side.disconnect()
        return err

    # --- connection lifecycle ---------------------------------------------------------------
    def connect(self) -> None:
        if self._connection is not None:
            self.disconnect()
        self._server_info = None
        deadline = self._connect_deadline()
        try:
            self._connection, self._cursor = self._driver_connection(), None
        except Exception as exc:
            self._raise_connect_error(exc, deadline)
        conn = self._connection
        watchdog = SocketWatchdog(deadline, lambda: self._socket_of(conn))
        try:
            with watchdog:
                self._driver_open(conn)
                setup, raw = self._session_setup(), None
                with contextlib.suppress(StopIteration):
                    while True:
                        raw = self._run(*setup.send(raw))
        except BaseException as exc:  # half set up (even on Ctrl-C): never kept, always closed
            self._abandon_connection()
            if not isinstance(exc, Exception):
                raise
            self._raise_connect_error(exc, deadline, watchdog.fired)
        if watchdog.fired:  # cut off as it finished: its socket is shut down
            self._abandon_connection()
            self._server_info = None
            raise self._connect_timed_out()

    def disconnect(self) -> None:
        conn = self._connection
        if conn is None:
            return
        try:
            if self.in_transaction and not self._server_rolled_back:
                self._run("ROLLBACK", None)
        except Exception:  # noqa: BLE001 - closing anyway; the server rolls back on close
            pass
        finally:
            self._connection = self._cursor = self._transaction_manager = None
            self._server_rolled_back = None
            try:
                conn.close()
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

    def get_server_version(self) -> tuple:
        if self._server_info is None:
            self.connect()
        return self._server_info.features.version

    def introspect_and_adapt(self) -> None:
        if self._connection is None:
            self.connect()

    @property
    def transaction_manager(self) -> MySQLTransactionManager:
        if self._transaction_manager is None:
            self._transaction_manager = MySQLTransactionManager(self, self.logger)
        return self._transaction_manager

    # --- execution --------------------------------------------------------------------------
    def execute(
        self, sql: str, params: Sequence | None = None, *, options: ExecutionOptions | None = None
    ) -> QueryResult:
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
        params: Sequence | None = None,
        column_adapters: Any = None,
        column_mapping: Any = None,
    ) -> dict | None:
        data = self.execute(
            sql, params, options=self._dql_options(column_adapters, column_mapping)
        ).data
        return data[0] if data else None

    def fetch_all(
        self,
        sql: str,
        params: Sequence | None = None,
        column_adapters: Any = None,
        column_mapping: Any = None,
    ) -> list[dict]:
        return (
            self.execute(
                sql, params, options=self._dql_options(column_adapters, column_mapping)
            ).data
            or []
        )

    def execute_many(self, sql: str, params_list: Sequence[Sequence]) -> QueryResult:
        plan = self._plan(sql, None, None)
        total = 0
        try:
            if self._connection is None:
                self.connect()
            self._guard(plan)
            for chunk_sql, batch in self._execute_many_chunks(sql, params_list):
                cur = self._cursor or self._connection.cursor()
                self._cursor = cur
                cur.executemany(chunk_sql, batch)
                total += max(cur.rowcount or 0, 0)
        except Exception as exc:
            plan.attempt = 1  # a batch is never re-run
            self._raise_unless_retry(plan, exc)
        return self._shape(plan, Raw(None, None, total, None))

    def _execute_batch_fast(self, sql: str, params_list: list) -> int:
        """The core's batch DML path: through ``execute_many`` so values are adapted, ``%`` is
        escaped and errors are mapped like everywhere else."""
        return self.execute_many(sql, params_list).affected_rows

    # The model's own UseAdapter conversions (the core's insert/update/bulk_insert skip them).
    def insert(self, options: InsertOptions) -> QueryResult:
        return super().insert(self._with_declared_adapters(options))

    def update(self, options: UpdateOptions) -> QueryResult:
        return super().update(self._with_declared_adapters(options))

    def bulk_insert(self, options: BulkInsertOptions) -> QueryResult:
        options = self._with_declared_adapters(options)
        chunks = list(self._bulk_chunks(options))
        if len(chunks) <= 1:
            return super().bulk_insert(options)
        if self.in_transaction:
            results = [super(FamilySyncBackend, self).bulk_insert(c) for c in chunks]
        else:
            with self.transaction():
                results = [super(FamilySyncBackend, self).bulk_insert(c) for c in chunks]
        return self._merge_bulk(results, [len(c.rows) for c in chunks])

    def _handle_error(self, error: Exception) -> None:
        info = self._error_info(error)
        if info is None:
            raise error
        raise family_errors.map_error(info) from error


class FamilyAsyncBackend(FamilyIntrospectionMixin, FamilyBackendCore, AsyncStorageBackend):
    """Async family backend. A cancelled statement is stopped on the server (KILL QUERY from a
    side connection) and its connection discarded, so nothing is ever left half-read."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**self._config_kwargs(kwargs))
        self._init_family()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def _driver_connect(self) -> Any:
        raise NotImplementedError

    async def _handshake(self, conn: Any, handshake: Any) -> Any:
        """Await the driver's ``handshake`` on ``conn``; close ``conn`` if it fails or is
        cancelled, for drivers that leave the socket open then (mysql.connector.aio: on
        cancellation and when its post-connect setup fails; aiomysql closes it itself)."""
        try:
            await handshake
        except BaseException:
            self._close_dead(conn)
            raise
        return conn

    def _check_loop(self) -> None:
        """A connection belongs to the event loop that opened it. Code that configures a model
        under one ``asyncio.run()`` and queries under the next gets a fresh connection instead
        of a "Future attached to a different loop" error; inside a transaction that would lose
        the transaction, so it fails loudly instead."""
        if self._connection is None or self._loop is asyncio.get_running_loop():
            return
        self._abandon_connection()
        if self.in_transaction:
            self._server_rolled_back = "event loop changed; the connection was discarded"

    async def _bounded(self, io: Awaitable[T]) -> T:
        """Await one statement's I/O. Cancelled, or past the client timeout, the statement is
        stopped on the server and its connection discarded: nothing is ever left half-read.

        The sync drivers apply ``read_timeout`` and ``write_timeout`` per socket operation;
        aiomysql has neither, so the async backends bound the whole round trip by their sum.
        """
        limit = (self.config.read_timeout or 0) + (self.config.write_timeout or 0)
        try:
            if not limit:
                return await io
            return await asyncio.wait_for(io, limit)
        except asyncio.CancelledError:
            await self._cancel_running_statement()
            raise
        except asyncio.TimeoutError:
            await self._cancel_running_statement()
            raise self._client_timed_out(f"asyncio: {limit:g}s elapsed") from None

    async def _run(self, sql: str, params: tuple | None) -> Raw:
        return await self._bounded(self._run_io(sql, params))

    async def _run_io(self, sql: str, params: tuple | None) -> Raw:
        cur = self._cursor
        if cur is None:
            cur = self._cursor = await self._connection.cursor()
        await cur.execute(sql, params)
        description = cur.description
        rows = await cur.fetchall() if description is not None else None
        return Raw(rows, description, cur.rowcount, cur.lastrowid)

    async def _cancel_running_statement(self) -> None:
        """Stop our statement on the server and drop the connection it was using."""
        connection_id = self._server_info.connection_id if self._server_info else None
        self._abandon_connection()
        if self.in_transaction:
            self._server_rolled_back = "statement cancelled; its connection was discarded"
        if connection_id is not None:
            try:
                await asyncio.shield(self._kill_query(connection_id))
            except (Exception, asyncio.CancelledError):  # noqa: BLE001 - best effort
                self.logger.warning("could not KILL QUERY %s after cancellation", connection_id)

    async def _kill_query(self, connection_id: int) -> None:
        """KILL QUERY from a side connection, within ``connect_timeout`` (a server that stopped
        answering must not keep the cancelled task waiting)."""
        await asyncio.wait_for(self._kill_query_on_side(connection_id), self.config.connect_timeout)

    async def _kill_query_on_side(self, connection_id: int) -> None:
        side = await self._driver_connect()
        try:
            cur = await side.cursor()
            await cur.execute("KILL QUERY %s", (connection_id,))
            await self._close_connection(side)
        except BaseException:  # timed out or failed: drop it without waiting for the server
            self._close_dead(side)
            raise

    async def _close_connection(self, conn: Any) -> None:
        result = conn.close()
        if asyncio.iscoroutine(result):
            await result

    # --- connection lifecycle ---------------------------------------------------------------
    async def connect(self) -> None:
        if self._connection is not None:
            await self.disconnect()
        self._server_info = None
        deadline = self._connect_deadline()
        try:
            # the whole connect is one task: on timeout it is cancelled, closes what it opened
            # and is awaited, so nothing is left running or half open
            await asyncio.wait_for(self._connect_until(deadline), self.config.connect_timeout)
        except asyncio.TimeoutError as exc:  # wait_for's: inside, every error is mapped
            raise self._connect_timed_out() from exc

    async def _connect_until(self, deadline: float) -> None:
        try:
            conn = await self._driver_connect()
        except Exception as exc:
            self._raise_connect_error(exc, deadline)
        self._connection, self._cursor = conn, None
        self._loop = asyncio.get_running_loop()
        try:
            setup, raw = self._session_setup(), None
            with contextlib.suppress(StopIteration):
                while True:
                    raw = await self._run(*setup.send(raw))
        except BaseException as exc:  # cancelled too (the timeout): never kept, always closed
            self._abandon_connection()
            if not isinstance(exc, Exception):
                raise
            self._raise_connect_error(exc, deadline)

    async def disconnect(self) -> None:
        conn = self._connection
        if conn is None:
            return
        try:
            if self.in_transaction and not self._server_rolled_back:
                await self._run("ROLLBACK", None)
        except Exception:  # noqa: BLE001
            pass
        finally:
            self._connection = self._cursor = self._transaction_manager = None
            self._server_rolled_back = None
            try:
                await self._close_connection(conn)
            except Exception:  # noqa: BLE001
                pass

    async def ping(self, reconnect: bool = True) -> bool:
        if self._connection is None:
            if not reconnect:
                return False
            await self.connect()
            return True
        try:
            await self._run("SELECT 1", None)
            return True
        except Exception as exc:
            if not self._ping_may_reconnect(exc, reconnect):
                return False
        try:
            await self.connect()
        except family_errors.MySQLFamilyError:
            return False
        return True

    async def get_server_version(self) -> tuple:
        if self._server_info is None:
            await self.connect()
        return self._server_info.features.version

    async def introspect_and_adapt(self) -> None:
        if self._connection is None:
            await self.connect()

    @property
    def transaction_manager(self) -> AsyncMySQLTransactionManager:
        if self._transaction_manager is None:
            self._transaction_manager = AsyncMySQLTransactionManager(self, self.logger)
        return self._transaction_manager

    # --- execution --------------------------------------------------------------------------
    async def execute(
        self, sql: str, params: Sequence | None = None, *, options: ExecutionOptions | None = None
    ) -> QueryResult:
        plan = self._plan(sql, params, options)
        self._check_loop()
        while True:
            try:
                if self._connection is None:
                    await self.connect()
                self._guard(plan)
                return self._shape(plan, await self._run(plan.sql, plan.params))
            except Exception as exc:
                self._raise_unless_retry(plan, exc)

    async def fetch_one(
        self,
        sql: str,
        params: Sequence | None = None,
        column_adapters: Any = None,
        column_mapping: Any = None,
    ) -> dict | None:
        data = (
            await self.execute(
                sql, params, options=self._dql_options(column_adapters, column_mapping)
            )
        ).data
        return data[0] if data else None

    async def fetch_all(
        self,
        sql: str,
        params: Sequence | None = None,
        column_adapters: Any = None,
        column_mapping: Any = None,
    ) -> list[dict]:
        return (
            await self.execute(
                sql, params, options=self._dql_options(column_adapters, column_mapping)
            )
        ).data or []

    async def execute_many(self, sql: str, params_list: Sequence[Sequence]) -> QueryResult:
        plan = self._plan(sql, None, None)
        self._check_loop()
        total = 0
        try:
            if self._connection is None:
                await self.connect()
            self._guard(plan)
            for chunk_sql, batch in self._execute_many_chunks(sql, params_list):
                cur = self._cursor or await self._connection.cursor()
                self._cursor = cur
                await self._bounded(cur.executemany(chunk_sql, batch))
                total += max(cur.rowcount or 0, 0)
        except Exception as exc:
            plan.attempt = 1  # a batch is never re-run
            self._raise_unless_retry(plan, exc)
        return self._shape(plan, Raw(None, None, total, None))

    async def _execute_batch_fast_async(self, sql: str, params_list: list) -> int:
        return (await self.execute_many(sql, params_list)).affected_rows

    async def insert(self, options: InsertOptions) -> QueryResult:
        return await super().insert(self._with_declared_adapters(options))

    async def update(self, options: UpdateOptions) -> QueryResult:
        return await super().update(self._with_declared_adapters(options))

    async def bulk_insert(self, options: BulkInsertOptions) -> QueryResult:
        options = self._with_declared_adapters(options)
        chunks = list(self._bulk_chunks(options))
        if len(chunks) <= 1:
            return await super().bulk_insert(options)
        parent = super()
        if self.in_transaction:
            results = [await parent.bulk_insert(c) for c in chunks]
        else:
            async with self.transaction():
                results = [await parent.bulk_insert(c) for c in chunks]
        return self._merge_bulk(results, [len(c.rows) for c in chunks])

    async def _handle_error(self, error: Exception) -> None:
        info = self._error_info(error)
        if info is None:
            raise error
        raise family_errors.map_error(info) from error
