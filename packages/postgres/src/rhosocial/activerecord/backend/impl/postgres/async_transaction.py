"""The transaction manager: isolation level, READ ONLY and DEFERRABLE really reach the server.

This is the hand-written source (``AsyncPostgresTransactionManager``); ``transaction.py``
(``PostgresTransactionManager``) is generated from it by ``tools/async_to_sync.py``.

``BEGIN`` is rendered through the dialect, whose ``format_begin_transaction`` emits
``BEGIN ISOLATION LEVEL ... READ ONLY [NOT] DEFERRABLE``; ``deferrable`` is a property of the
manager (PostgreSQL only honours it for SERIALIZABLE READ ONLY transactions).

All transaction-control SQL goes through ``backend._execute_tcl``: it is never retried on another
connection and never triggers the automatic rollback-to-savepoint that ordinary statements get.
After the connection died inside a transaction, ROLLBACK is a local no-op (the server already
discarded the transaction) and everything else raises ``ConnectionLostError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rhosocial.activerecord.backend.errors import TransactionError
from rhosocial.activerecord.backend.expression.transaction import BeginTransactionExpression
from rhosocial.activerecord.backend.impl.common.commit import typed_commit_failures
from rhosocial.activerecord.backend.transaction import AsyncTransactionManager, TransactionMode

from .reconnect import lost_in_transaction

if TYPE_CHECKING:  # pragma: no cover - the backend imports this module
    from .async_backend import AsyncPostgresBackend


class AsyncPostgresTransactionManager(AsyncTransactionManager):
    """Transactions of one backend's connection."""

    _deferrable: bool | None = None

    def __init__(self, backend: AsyncPostgresBackend) -> None:
        super().__init__(backend)
        # The core types its own _backend as the generic base class: this one is ours.
        self._pg = backend

    async def commit(self) -> None:
        # The core wraps whatever COMMIT raised in a plain TransactionError; a deadlock,
        # serialization failure or deferred constraint at COMMIT keeps its class (and its
        # retryable flag) this way, and is a TransactionError as well (issue 7, item 6).
        with typed_commit_failures():
            await super().commit()

    @property
    def deferrable(self) -> bool | None:
        return self._deferrable

    @deferrable.setter
    def deferrable(self, value: bool | None) -> None:
        if self.is_active:
            raise TransactionError("Cannot change DEFERRABLE during an active transaction")
        self._deferrable = value

    @property
    def current_savepoint(self) -> str | None:
        return self._active_savepoints[-1] if self._active_savepoints else None

    def _build_begin_sql(self) -> tuple[str, tuple[object, ...]]:
        expr = BeginTransactionExpression(self._pg.dialect)
        if self._isolation_level is not None:
            expr.isolation_level(self._isolation_level)
        if self._transaction_mode == TransactionMode.READ_ONLY:
            expr.read_only()
        if self._deferrable is not None:
            expr.deferrable(self._deferrable)
        sql, params = expr.to_sql()
        return sql, tuple(params)

    def _lost(self) -> bool:
        """True when the connection died inside this transaction (see the backend)."""
        return self._pg._transaction_lost

    async def _do_begin(self) -> None:
        await self._pg._execute_tcl(self._build_begin_sql()[0])

    async def _do_commit(self) -> None:
        if self._lost():
            raise lost_in_transaction()
        await self._pg._execute_tcl(self._build_commit_sql()[0])

    async def _do_rollback(self) -> None:
        if self._lost():
            self._pg._transaction_lost = False
            return
        await self._pg._execute_tcl(self._build_rollback_sql()[0])

    async def _do_create_savepoint(self, name: str) -> None:
        if self._lost():
            raise lost_in_transaction()
        await self._pg._execute_tcl(self._build_savepoint_sql(name)[0])

    async def _do_release_savepoint(self, name: str) -> None:
        if self._lost():
            raise lost_in_transaction()
        await self._pg._execute_tcl(self._build_release_savepoint_sql(name)[0])

    async def _do_rollback_savepoint(self, name: str) -> None:
        if self._lost():
            raise lost_in_transaction()
        await self._pg._execute_tcl(self._build_rollback_sql(savepoint=name)[0])
