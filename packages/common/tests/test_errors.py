"""The shared error vocabulary: hierarchy under the core, flags, lookups, deprecated aliases."""

from __future__ import annotations

import pickle
import types
import warnings

import pytest

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.impl.common import errors as e

# (class, core classes it must be an instance of, default retryable)
HIERARCHY = [
    (e.UniqueViolation, (core.IntegrityError,), False),
    (e.ForeignKeyViolation, (core.IntegrityError,), False),
    (e.NotNullViolation, (core.IntegrityError,), False),
    (e.CheckViolation, (core.IntegrityError,), False),
    (e.ExclusionViolation, (core.IntegrityError,), False),
    (e.DataError, (core.QueryError,), False),
    (e.MissingTableError, (core.QueryError,), False),
    (e.DeadlockError, (core.DeadlockError, core.LockError), True),
    (e.SerializationError, (core.OperationalError,), True),
    (e.LockTimeoutError, (core.LockError, core.OperationalError), True),
    (e.QueryCanceledError, (core.OperationalError,), False),
    (e.StatementTimeoutError, (core.OperationalError,), False),
    (e.ConnectionLostError, (core.OperationalError, core.ConnectionError), True),
    (e.ConnectFailedError, (core.ConnectionError,), False),
    (e.ConnectTimeoutError, (core.ConnectionError,), True),
    (e.TransactionAbortedError, (core.TransactionError,), False),
    (e.ReadOnlyTransactionError, (core.TransactionError,), False),
    (e.ServerOperationalError, (core.OperationalError,), False),
]


@pytest.mark.parametrize(
    "cls, bases, retryable", HIERARCHY, ids=lambda x: getattr(x, "__name__", "")
)
def test_each_class_sits_under_its_core_classes_with_its_flag(cls, bases, retryable):
    err = cls("boom")
    for base in bases:
        assert isinstance(err, base)
    assert isinstance(err, e.BackendError) and isinstance(err, core.DatabaseError)
    assert err.retryable is retryable
    assert str(err) == "boom"
    assert (err.sqlstate, err.errno, err.constraint, err.table) == (None, None, None, None)


def test_statement_timeout_is_a_cancellation():
    assert issubclass(e.StatementTimeoutError, e.QueryCanceledError)
    assert issubclass(e.MissingTableError, e.ProgrammingError)


def test_details_and_per_instance_retryable():
    err = e.make_error(
        e.ConnectFailedError, "refused", errno=2003, sqlstate="HY000", retryable=True
    )
    assert type(err) is e.ConnectFailedError
    assert (err.errno, err.sqlstate, err.retryable) == (2003, "HY000", True)
    assert e.ConnectFailedError("x").retryable is False  # the class default is untouched
    err = e.make_error(e.UniqueViolation, "dup", sqlstate="23505", constraint="uq", table="t")
    assert (err.constraint, err.table, err.retryable) == ("uq", "t", False)


def test_errors_pickle_with_their_details():
    err = e.make_error(e.DeadlockError, "victim", sqlstate="40P01", retryable=False)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is e.DeadlockError
    assert (str(back), back.sqlstate, back.retryable) == ("victim", "40P01", False)


@pytest.mark.parametrize(
    "state, cls",
    [
        ("23505", e.UniqueViolation),
        ("23503", e.ForeignKeyViolation),
        ("23502", e.NotNullViolation),
        ("23514", e.CheckViolation),
        ("23P01", e.ExclusionViolation),
        ("23001", e.IntegrityViolation),  # restrict_violation: the class
        ("40001", e.SerializationError),
        ("40P01", e.DeadlockError),
        ("40002", e.TransactionStateError),
        ("55P03", e.LockTimeoutError),
        ("57014", e.QueryCanceledError),
        ("25P02", e.TransactionAbortedError),
        ("25006", e.ReadOnlyTransactionError),
        ("42P01", e.MissingTableError),
        ("42601", e.ProgrammingError),
        ("22012", e.DataError),
        ("22P02", e.DataError),
        ("08006", e.ConnectionLostError),
        ("57P01", e.ConnectionLostError),
        ("53300", e.ServerOperationalError),
        ("XX000", e.ServerOperationalError),
        ("P0001", e.ServerError),  # raise_exception: nothing more precise
        (None, e.ServerError),
    ],
)
def test_class_for_sqlstate(state, cls):
    assert e.class_for_sqlstate(state) is cls


def test_errno_table_and_lookup():
    table = e.errno_table({e.UniqueViolation: {1062, 1586}, e.DeadlockError: [1213]})
    assert e.class_for_errno(1062, "23000", table) is e.UniqueViolation
    assert e.class_for_errno(1213, "40001", table) is e.DeadlockError
    # unknown errno: the SQLSTATE class, never the exact code (40001 is a deadlock there)
    assert e.class_for_errno(9999, "40001", table) is e.TransactionStateError
    assert e.class_for_errno(9999, "22003", table) is e.DataError
    assert e.class_for_errno(9999, "HY000", table) is e.ServerError
    assert e.class_for_errno(None, None, table) is e.ServerError


def test_errno_table_refuses_an_errno_under_two_classes():
    with pytest.raises(ValueError, match="errno 1062 is listed for both"):
        e.errno_table({e.UniqueViolation: {1062}, e.CheckViolation: {1062}})


def test_deprecated_aliases_warn_and_return_the_new_class():
    module = types.ModuleType("fake_family_errors")
    module.__getattr__ = e.deprecated_aliases(  # type: ignore[method-assign]
        "fake_family_errors", {"Deadlock": e.DeadlockError}, removed_in="0.3"
    )
    with pytest.warns(
        DeprecationWarning, match=r"fake_family_errors\.Deadlock .*use DeadlockError"
    ):
        assert module.Deadlock is e.DeadlockError
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        module.Nope  # noqa: B018


def test_retry_safe_keeps_its_old_meaning_with_a_warning():
    with pytest.warns(DeprecationWarning, match="use retryable"):
        assert e.DeadlockError("x").retry_safe is True
    with pytest.warns(DeprecationWarning):
        assert e.LockTimeoutError("x").retry_safe is True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        # a lost connection may be retried as a whole transaction, but was never retry_safe
        assert e.ConnectionLostError("x").retry_safe is False
        assert e.ConnectionLostError("x").retryable is True


def test_from_sqlstate_builds_the_whole_error():
    err = e.from_sqlstate("duplicate key", "23505", constraint="uq_name", table="users")
    assert type(err) is e.UniqueViolation
    assert (err.sqlstate, err.constraint, err.table, err.retryable) == (
        "23505",
        "uq_name",
        "users",
        False,
    )
    assert type(e.from_sqlstate("?", None)) is e.ServerError


def test_from_errno_builds_the_whole_error():
    table = e.errno_table({e.ConnectFailedError: {1045, 2003}, e.DeadlockError: {1213}})
    refused = e.from_errno("refused", 2003, "HY000", table, retryable_errnos=frozenset({2003}))
    denied = e.from_errno("denied", 1045, "28000", table, retryable_errnos=frozenset({2003}))
    assert type(refused) is e.ConnectFailedError and refused.retryable is True
    assert type(denied) is e.ConnectFailedError and denied.retryable is False
    victim = e.from_errno("deadlock", 1213, "40001", table)
    assert type(victim) is e.DeadlockError and (victim.errno, victim.retryable) == (1213, True)


def test_family_aliases_cover_the_old_names():
    module = types.ModuleType("family")
    module.__getattr__ = e.deprecated_aliases(  # type: ignore[method-assign]
        "family", e.FAMILY_ALIASES, removed_in="0.3"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert module.ConnectionLost is e.ConnectionLostError
        assert module.QueryCancelled is e.QueryCanceledError
        assert module.LockWaitTimeout is e.LockTimeoutError
        assert module.Deadlock is e.DeadlockError
        assert module.StatementTimeout is e.StatementTimeoutError
        assert module.MySQLFamilyError is e.BackendError
    assert len(caught) == 6 and all(w.category is DeprecationWarning for w in caught)
