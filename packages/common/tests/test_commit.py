"""COMMIT failures raised through the core's real TransactionManager.commit()."""

from __future__ import annotations

import asyncio
import pickle
import sqlite3

import pytest

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.impl.common import errors as e
from rhosocial.activerecord.backend.impl.common.commit import (
    commit_error_class,
    typed_commit_error,
    typed_commit_failures,
)
from rhosocial.activerecord.backend.transaction import AsyncTransactionManager, TransactionManager


class _Owner:
    """What the core's manager reads from its backend besides the _do_* hooks we override."""

    _logging_config = None


class SQLiteManager(TransactionManager):
    """A manager whose COMMIT really runs on SQLite, mapping its errors like a backend does."""

    def __init__(self, conn: sqlite3.Connection, wrap: bool) -> None:
        super().__init__(_Owner())  # type: ignore[arg-type]
        self.conn, self.wrap = conn, wrap

    def _do_begin(self) -> None:
        self.conn.execute("BEGIN")

    def _do_rollback(self) -> None:
        self.conn.execute("ROLLBACK")

    def _do_commit(self) -> None:
        try:
            self.conn.execute("COMMIT")
        except sqlite3.IntegrityError as error:
            raise e.make_error(
                e.ForeignKeyViolation, str(error), sqlstate="23503", constraint="fk_child"
            ) from error

    def commit(self) -> None:
        if not self.wrap:
            return super().commit()
        with typed_commit_failures():
            super().commit()


def _deferred_fk_db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    conn.execute(
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id) "
        "DEFERRABLE INITIALLY DEFERRED)"
    )
    return conn


def _commit_orphan(manager: SQLiteManager) -> BaseException:
    manager.begin()
    manager.conn.execute("INSERT INTO child VALUES (1, 42)")  # deferred: fails at COMMIT
    with pytest.raises(core.TransactionError) as info:
        manager.commit()
    return info.value


def test_without_the_mechanism_the_typed_error_is_only_the_cause():
    err = _commit_orphan(SQLiteManager(_deferred_fk_db(), wrap=False))
    assert type(err) is core.TransactionError
    assert isinstance(err.__cause__, e.ForeignKeyViolation)


def test_deferred_constraint_at_commit_is_typed_and_a_transaction_error():
    manager = SQLiteManager(_deferred_fk_db(), wrap=True)
    err = _commit_orphan(manager)
    assert isinstance(err, e.ForeignKeyViolation) and isinstance(err, core.IntegrityError)
    assert isinstance(err, core.TransactionError)
    assert (err.sqlstate, err.constraint, err.retryable) == ("23503", "fk_child", False)
    assert str(err).startswith("Failed to commit transaction: FOREIGN KEY constraint failed")
    assert isinstance(err.__cause__, e.ForeignKeyViolation)
    assert isinstance(err.__cause__.__cause__, sqlite3.IntegrityError)
    # the core restored the level: the transaction is still open and can be rolled back
    assert manager.is_active
    manager.rollback()
    assert manager.conn.execute("SELECT count(*) FROM child").fetchone() == (0,)


@pytest.mark.parametrize(
    "cls, sqlstate, retryable",
    [(e.DeadlockError, "40P01", True), (e.SerializationError, "40001", True)],
)
def test_retryable_failures_keep_their_flag(cls, sqlstate, retryable):
    cause = e.make_error(cls, "could not serialize", sqlstate=sqlstate)
    wrapper = core.TransactionError("Failed to commit transaction: could not serialize")
    wrapper.__cause__ = cause
    typed = typed_commit_error(wrapper)
    assert isinstance(typed, cls) and isinstance(typed, core.TransactionError)
    assert (typed.sqlstate, typed.retryable) == (sqlstate, retryable)
    assert type(typed).__name__ == cls.__name__
    assert commit_error_class(cls) is type(typed)  # cached: one class per typed class


def test_connection_lost_at_commit_is_not_retryable():
    cause = e.ConnectionLostError("server closed the connection")
    wrapper = core.TransactionError("Failed to commit transaction: server closed the connection")
    wrapper.__cause__ = cause
    typed = typed_commit_error(wrapper)
    assert isinstance(typed, e.ConnectionLostError) and isinstance(typed, core.TransactionError)
    assert typed.retryable is False
    assert "may or may not have been committed" in str(typed)


def test_other_failures_are_left_alone():
    plain = core.TransactionError("No active transaction to commit")
    assert typed_commit_error(plain) is plain
    handler = core.TransactionError("Failed to commit transaction: boom")
    handler.__cause__ = ValueError("boom")  # an event handler's own exception
    assert typed_commit_error(handler) is handler
    aborted = e.TransactionAbortedError("aborted", sqlstate="25P02")
    assert commit_error_class(e.TransactionAbortedError) is e.TransactionAbortedError
    wrapper = core.TransactionError("Failed to commit transaction: aborted")
    wrapper.__cause__ = aborted
    assert type(typed_commit_error(wrapper)) is e.TransactionAbortedError


def test_commit_errors_pickle():
    cause = e.make_error(e.DeadlockError, "victim", sqlstate="40P01")
    wrapper = core.TransactionError("Failed to commit transaction: victim")
    wrapper.__cause__ = cause
    back = pickle.loads(pickle.dumps(typed_commit_error(wrapper)))
    assert isinstance(back, e.DeadlockError) and isinstance(back, core.TransactionError)
    assert type(back) is commit_error_class(e.DeadlockError)
    assert (back.sqlstate, back.retryable, str(back)) == ("40P01", True, str(wrapper))


class AsyncManager(AsyncTransactionManager):
    def __init__(self, cause: BaseException) -> None:
        super().__init__(_Owner())  # type: ignore[arg-type]
        self.cause = cause

    async def _do_begin(self) -> None:
        pass

    async def _do_commit(self) -> None:
        raise self.cause

    async def commit(self) -> None:
        with typed_commit_failures():
            await super().commit()


def test_async_manager_uses_the_same_context_manager():
    async def run() -> BaseException:
        manager = AsyncManager(e.make_error(e.SerializationError, "conflict", sqlstate="40001"))
        await manager.begin()
        try:
            await manager.commit()
        except core.TransactionError as error:
            return error
        raise AssertionError("commit did not fail")

    err = asyncio.run(run())
    assert isinstance(err, e.SerializationError) and err.retryable is True
