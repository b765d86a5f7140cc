"""Transaction decisions of the MySQL/MariaDB family (no I/O), shared by both managers.

MySQL sets the isolation level with ``SET TRANSACTION ISOLATION LEVEL ...`` (valid for the next
transaction only) and then ``START TRANSACTION [READ ONLY]``. Unlike PostgreSQL, a failed
statement does not abort the transaction; but a deadlock (and a lock-wait timeout under
``innodb_rollback_on_timeout``) and a lost connection end it on the server. The backend records
that in ``server_rolled_back``; from then on the manager refuses to commit or release and only
lets the application roll back, so nothing that ran after the server's rollback can sneak out
as if it were part of the transaction.
"""

from __future__ import annotations

from typing import Any

from rhosocial.activerecord.backend.errors import TransactionError
from rhosocial.activerecord.backend.transaction import IsolationLevel, TransactionMode


class FamilyTransactionLogic:
    """Non-I/O decisions shared by the sync and async managers."""

    _backend: Any  # the family backend (sync or async) the manager belongs to
    _isolation_level: IsolationLevel | None
    _transaction_mode: TransactionMode

    def _begin_statements(self) -> list[str]:
        stmts = []
        if self._isolation_level is not None:
            stmts.append(self._backend.dialect.format_isolation_level(self._isolation_level))
        ro = self._transaction_mode == TransactionMode.READ_ONLY
        stmts.append("START TRANSACTION READ ONLY" if ro else "START TRANSACTION")
        return stmts

    def _server_rollback_reason(self) -> str | None:
        reason: str | None = getattr(self._backend, "_server_rolled_back", None)
        return reason

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
