# Generated from packages/mysql/src/rhosocial/activerecord/backend/impl/mysql/async_transaction.py by tools/async_to_sync.py: do not edit.
# Edit the async source and run `python tools/async_to_sync.py`; `--check` fails when this is stale.
"""Transaction managers of the MySQL/MariaDB family, written once.

``async_transaction.py`` (``AsyncMySQLTransactionManager``) is the source; ``transaction.py``
(``MySQLTransactionManager``) is generated from it by ``tools/async_to_sync.py``. The decisions
are in ``transaction_logic``; every statement goes through ``backend.execute``.
"""

from __future__ import annotations

from rhosocial.activerecord.backend.transaction import TransactionManager

from .transaction_logic import FamilyTransactionLogic


class MySQLTransactionManager(FamilyTransactionLogic, TransactionManager):
    """Transaction manager of the family backends: the core's, plus the server's rollbacks."""

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
