"""Transaction managers of the MySQL/MariaDB family, written once.

``async_transaction.py`` (``AsyncMySQLTransactionManager``) is the source; ``transaction.py``
(``MySQLTransactionManager``) is generated from it by ``tools/async_to_sync.py``. The decisions
are in ``transaction_logic``; every statement goes through ``backend.execute``.
"""

from __future__ import annotations

from rhosocial.activerecord.backend.transaction import AsyncTransactionManager

from .transaction_logic import FamilyTransactionLogic


class AsyncMySQLTransactionManager(FamilyTransactionLogic, AsyncTransactionManager):
    """Transaction manager of the family backends: the core's, plus the server's rollbacks."""

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
            return  # the savepoint went with the transaction; the outer rollback finishes it
        await super()._do_rollback_savepoint(name)
