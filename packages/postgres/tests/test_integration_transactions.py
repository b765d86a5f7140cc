"""Transactions applied on the server, savepoint semantics, typed errors, lost connections."""

import threading
import time

import pytest
from pg_support import backend_pid, terminate

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.impl.postgres import (
    CheckViolation,
    ConnectionLostError,
    ForeignKeyViolation,
    LockTimeoutError,
    NotNullViolation,
    PostgresBackend,
    QueryCanceledError,
    ReadOnlyTransactionError,
    SerializationError,
    TransactionAbortedError,
    UniqueViolation,
)
from rhosocial.activerecord.backend.transaction import IsolationLevel, TransactionMode


def setting(b, name):
    return b.fetch_one(f"SELECT current_setting('{name}') AS v")["v"]


def test_isolation_read_only_deferrable_reach_the_server(backend, table):
    backend.execute(f'CREATE TABLE "{table}" (id int)')
    tm = backend.transaction_manager
    with tm.transaction(
        isolation_level=IsolationLevel.SERIALIZABLE, mode=TransactionMode.READ_ONLY
    ):
        assert setting(backend, "transaction_isolation") == "serializable"
        assert setting(backend, "transaction_read_only") == "on"
        with pytest.raises(ReadOnlyTransactionError):
            backend.execute(f'INSERT INTO "{table}" VALUES (1)')
        tm.rollback()  # the owner ends the failed transaction
        tm.begin()  # so that the context manager has something to commit
    tm.deferrable = True
    with tm.transaction(
        isolation_level=IsolationLevel.SERIALIZABLE, mode=TransactionMode.READ_ONLY
    ):
        assert setting(backend, "transaction_deferrable") == "on"
    tm.deferrable = None
    with tm.transaction(isolation_level=IsolationLevel.REPEATABLE_READ):
        assert setting(backend, "transaction_isolation") == "repeatable read"
        assert setting(backend, "transaction_read_only") == "off"
    assert setting(backend, "transaction_isolation") == "read committed"


def test_failure_inside_savepoint_rolls_back_to_it_and_outer_goes_on(backend, table):
    backend.execute(f'CREATE TABLE "{table}" (id int PRIMARY KEY)')
    with backend.transaction():
        backend.execute(f'INSERT INTO "{table}" VALUES (1)')
        tm = backend.transaction_manager
        tm.begin()  # savepoint
        backend.execute(f'INSERT INTO "{table}" VALUES (2)')
        with pytest.raises(core.IntegrityError) as info:
            backend.execute(f'INSERT INTO "{table}" VALUES (1)')
        assert info.value.constraint == f"{table}_pkey"
        # the transaction is usable: only the savepoint's work is undone
        backend.execute(f'INSERT INTO "{table}" VALUES (3)')
        tm.commit()  # release
    assert [r["id"] for r in backend.fetch_all(f'SELECT id FROM "{table}" ORDER BY id')] == [1, 3]


def test_failure_outside_savepoint_leaves_transaction_failed_until_rollback(backend, table):
    backend.execute(f'CREATE TABLE "{table}" (id int PRIMARY KEY)')
    backend.begin_transaction()
    backend.execute(f'INSERT INTO "{table}" VALUES (1)')
    with pytest.raises(core.IntegrityError):
        backend.execute(f'INSERT INTO "{table}" VALUES (1)')
    with pytest.raises(TransactionAbortedError):
        backend.execute(f'INSERT INTO "{table}" VALUES (2)')  # no silent rollback + autocommit
    assert backend.in_transaction
    backend.rollback_transaction()
    assert backend.fetch_all(f'SELECT id FROM "{table}"') == []
    backend.execute(f'INSERT INTO "{table}" VALUES (5)')
    assert backend.fetch_one(f'SELECT id FROM "{table}"') == {"id": 5}


def test_integrity_errors_carry_constraint_names(backend, table):
    backend.execute(f'CREATE TABLE "{table}_p" (id int PRIMARY KEY)')
    backend.execute(f'''CREATE TABLE "{table}" (id int PRIMARY KEY, name text NOT NULL,
        qty int CONSTRAINT qty_positive CHECK (qty > 0), p int CONSTRAINT fk_p REFERENCES "{table}_p")''')
    backend.execute(f'INSERT INTO "{table}" VALUES (2, %s, 1, NULL)', ("n",))
    cases = [
        (f'INSERT INTO "{table}" VALUES (1, NULL, 1, NULL)', None, NotNullViolation),
        (f'INSERT INTO "{table}" VALUES (1, %s, 0, NULL)', "qty_positive", CheckViolation),
        (f'INSERT INTO "{table}" VALUES (1, %s, 1, 99)', "fk_p", ForeignKeyViolation),
        (f'INSERT INTO "{table}" VALUES (2, %s, 1, NULL)', f"{table}_pkey", UniqueViolation),
    ]
    for sql, constraint, cls in cases:
        with pytest.raises(cls) as info:
            backend.execute(sql, ("n",) if "%s" in sql else None)
        assert isinstance(info.value, core.IntegrityError)
        assert info.value.constraint == constraint
        assert isinstance(info.value.__cause__, Exception)  # driver error chained
    with pytest.raises(core.IntegrityError, match="violates not-null constraint"):
        backend.execute(f'INSERT INTO "{table}" VALUES (1, NULL, 1, NULL)')
    backend.execute(f'DROP TABLE "{table}"; DROP TABLE "{table}_p"')


def test_statement_and_lock_timeouts(backend, config, table):
    with pytest.raises(QueryCanceledError):
        with backend.transaction():
            backend.execute("SET LOCAL statement_timeout = 50")
            backend.execute("SELECT pg_sleep(2)")
    backend.execute(f'CREATE TABLE "{table}" (id int PRIMARY KEY)')
    backend.execute(f'INSERT INTO "{table}" VALUES (1)')
    other = PostgresBackend(connection_config=config)
    try:
        other.begin_transaction()
        other.execute(f'SELECT * FROM "{table}" FOR UPDATE')
        with pytest.raises(LockTimeoutError) as info:
            backend.execute(f'SELECT * FROM "{table}" FOR UPDATE NOWAIT')
        assert info.value.retryable is True
        other.rollback_transaction()
    finally:
        other.disconnect()


def test_deadlock_and_serialization_failures_are_typed_and_retryable(backend, config, table):
    backend.execute(f'CREATE TABLE "{table}" (id int PRIMARY KEY, v int)')
    backend.execute(f'INSERT INTO "{table}" VALUES (1, 0), (2, 0)')
    other = PostgresBackend(connection_config=config)
    errors = []

    def worker(b, first, second, barrier):
        try:
            with b.transaction():
                b.execute(f'UPDATE "{table}" SET v = v + 1 WHERE id = %s', (first,))
                barrier.wait()
                b.execute(f'UPDATE "{table}" SET v = v + 1 WHERE id = %s', (second,))
        except core.DatabaseError as e:
            errors.append(e)

    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(target=worker, args=(backend, 1, 2, barrier)),
        threading.Thread(target=worker, args=(other, 2, 1, barrier)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(errors) == 1 and isinstance(errors[0], core.DeadlockError) and errors[0].retryable

    tm1, tm2 = backend.transaction_manager, other.transaction_manager
    with pytest.raises(SerializationError) as info:
        with tm1.transaction(isolation_level=IsolationLevel.SERIALIZABLE):
            backend.fetch_all(f'SELECT * FROM "{table}"')
            with tm2.transaction(isolation_level=IsolationLevel.SERIALIZABLE):
                other.fetch_all(f'SELECT * FROM "{table}"')
                other.execute(f'UPDATE "{table}" SET v = 10 WHERE id = 1')
            backend.execute(f'UPDATE "{table}" SET v = 20 WHERE id = 1')
    assert info.value.retryable is True
    other.disconnect()


# -- lost connections -----------------------------------------------------------------------


def test_read_outside_transaction_reconnects_transparently(backend, admin):
    pid = backend_pid(backend)
    terminate(admin, pid)
    assert backend.fetch_one("SELECT 42 AS x") == {"x": 42}
    assert backend_pid(backend) != pid


def test_write_outside_transaction_is_never_resent(backend, admin, table):
    backend.execute(f'CREATE TABLE "{table}" (id int)')
    terminate(admin, backend_pid(backend))
    with pytest.raises(ConnectionLostError) as info:
        backend.execute(f'INSERT INTO "{table}" VALUES (1)')
    assert info.value.retryable is False
    assert backend.fetch_all(f'SELECT * FROM "{table}"') == []  # next call reconnects
    backend.execute(f'INSERT INTO "{table}" VALUES (2)')
    assert backend.fetch_all(f'SELECT * FROM "{table}"') == [{"id": 2}]


def test_lost_inside_transaction_fails_loudly_and_reruns_nothing(backend, admin, table):
    backend.execute(f'CREATE TABLE "{table}" (id int)')
    with pytest.raises(ConnectionLostError):
        with backend.transaction():
            backend.execute(f'INSERT INTO "{table}" VALUES (1)')
            terminate(admin, backend_pid(backend))
            try:
                backend.fetch_all(f'SELECT * FROM "{table}"')  # even a read is not resent
            finally:
                # every further statement of this transaction refuses to run
                with pytest.raises(ConnectionLostError):
                    backend.execute(f'INSERT INTO "{table}" VALUES (2)')
    assert not backend.in_transaction
    assert backend.fetch_all(f'SELECT * FROM "{table}"') == []  # nothing committed, nothing doubled
    with backend.transaction():
        backend.execute(f'INSERT INTO "{table}" VALUES (3)')
    assert backend.fetch_all(f'SELECT * FROM "{table}"') == [{"id": 3}]


def test_threadsafety_allows_persistent_pools(backend):
    assert backend.threadsafety == 2
    time.sleep(0)
