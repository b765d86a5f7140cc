"""Transactions for the MySQL/MariaDB family.

MySQL sets the isolation level with ``SET TRANSACTION ISOLATION LEVEL ...`` (valid for the next
transaction only) and then ``START TRANSACTION [READ ONLY]``. Unlike PostgreSQL, a failed
statement does not abort the transaction; but a deadlock (and a lock-wait timeout under
``innodb_rollback_on_timeout``) and a lost connection end it on the server. The backend records
that in ``server_rolled_back``; from then on the manager refuses to commit or release and only
lets the application roll back, so nothing that ran after the server's rollback can sneak out
as if it were part of the transaction.
"""

from __future__ import annotations

from rhosocial.activerecord.backend.errors import TransactionError
from rhosocial.activerecord.backend.transaction import (
    AsyncTransactionManager,
    TransactionManager,
    TransactionMode,
)


class _FamilyTransactionLogic:
    """Non-I/O decisions shared by the sync and async managers."""

    _backend: object

    def _begin_statements(self) -> list[str]:
        stmts = []
        if self._isolation_level is not None:
            stmts.append(self._backend.dialect.format_isolation_level(self._isolation_level))
        ro = self._transaction_mode == TransactionMode.READ_ONLY
        stmts.append("START TRANSACTION READ ONLY" if ro else "START TRANSACTION")
        return stmts

    def _server_rollback_reason(self) -> str | None:
        return getattr(self._backend, "_server_rolled_back", None)

    def _refuse_if_rolled_back(self, action: str) -> None:
        reason = self._server_rollback_reason()
        if reason:
            raise TransactionError(
                f"cannot {action}: the server already rolled this transaction back ({reason}); "
                "roll back and retry the whole transaction"
            )

    def _rollback_needs_io(self) -> bool:
        """False when there is no server-side transaction left to roll back."""
        backend = self._backend
        lost = backend._server_rolled_back is not None and backend._connection is None
        return not lost

    def _clear_server_rollback(self) -> None:
        self._backend._server_rolled_back = None


class MySQLTransactionManager(_FamilyTransactionLogic, TransactionManager):
    """Sync manager; every statement still goes through ``backend.execute``."""

    def _do_begin(self) -> None:
        self._clear_server_rollback()
        for sql in self._begin_statements():
            self._backend.execute(sql)

    def _do_commit(self) -> None:
        self._refuse_if_rolled_back("commit")
        super()._do_commit()

    def _do_rollback(self) -> None:
        try:
            if self._rollback_needs_io():
                super()._do_rollback()
        finally:
            self._clear_server_rollback()

    def _do_create_savepoint(self, name: str) -> None:
        self._refuse_if_rolled_back("create a savepoint")
        super()._do_create_savepoint(name)

    def _do_release_savepoint(self, name: str) -> None:
        self._refuse_if_rolled_back("release a savepoint")
        super()._do_release_savepoint(name)

    def _do_rollback_savepoint(self, name: str) -> None:
        if self._server_rollback_reason():
            return  # the savepoint went with the transaction; the outer rollback finishes it
        super()._do_rollback_savepoint(name)


class AsyncMySQLTransactionManager(_FamilyTransactionLogic, AsyncTransactionManager):
    """Async twin of ``MySQLTransactionManager`` (same decisions, awaited I/O)."""

    async def _do_begin(self) -> None:
        self._clear_server_rollback()
        for sql in self._begin_statements():
            await self._backend.execute(sql)

    async def _do_commit(self) -> None:
        self._refuse_if_rolled_back("commit")
        await super()._do_commit()

    async def _do_rollback(self) -> None:
        try:
            if self._rollback_needs_io():
                await super()._do_rollback()
        finally:
            self._clear_server_rollback()

    async def _do_create_savepoint(self, name: str) -> None:
        self._refuse_if_rolled_back("create a savepoint")
        await super()._do_create_savepoint(name)

    async def _do_release_savepoint(self, name: str) -> None:
        self._refuse_if_rolled_back("release a savepoint")
        await super()._do_release_savepoint(name)

    async def _do_rollback_savepoint(self, name: str) -> None:
        if self._server_rollback_reason():
            return
        await super()._do_rollback_savepoint(name)
