"""psycopg errors -> the core's error classes, by SQLSTATE (never by message text).

The core has no classes for the kinds of integrity violation, serialization failures,
lock/statement timeouts or a lost connection, so they are defined here as subclasses of the
nearest core class (callers that catch the core class still catch them; the MySQL family
packages use the same names). Every mapped error carries:

- ``sqlstate``: the server's code (None for client-side errors),
- ``constraint``: the violated constraint's name where the server reports one,
- ``retryable``: True when running the same *transaction* again is safe and may succeed.

The driver error is chained (``raise ... from``) and its message kept as the message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg

from rhosocial.activerecord.backend import errors as core


class UniqueViolation(core.IntegrityError):
    """23505: a unique or primary key constraint refused a duplicate."""


class ForeignKeyViolation(core.IntegrityError):
    """23503: a reference to a missing row, or a delete of a referenced one."""


class NotNullViolation(core.IntegrityError):
    """23502: NULL in a NOT NULL column."""


class CheckViolation(core.IntegrityError):
    """23514: a CHECK constraint refused the row."""


class ExclusionViolation(core.IntegrityError):
    """23P01: an exclusion constraint found a conflicting row."""


class SerializationError(core.OperationalError):
    """40001: a concurrent transaction made this one impossible to serialize; retry it."""

    retryable = True


class LockTimeoutError(core.LockError, core.OperationalError):
    """55P03: ``lock_timeout`` expired or ``NOWAIT`` found the row locked."""

    retryable = True


class QueryCanceledError(core.OperationalError):
    """57014: ``statement_timeout`` expired or the query was cancelled."""


StatementTimeoutError = QueryCanceledError


class ConnectionLostError(core.OperationalError, core.ConnectionError):
    """The server connection died (08xxx, 57P01-57P03 or a broken socket)."""


class TransactionAbortedError(core.TransactionError):
    """25P02: an earlier statement failed; the transaction must be rolled back first."""


class ReadOnlyTransactionError(core.TransactionError):
    """25006: a write inside a READ ONLY transaction."""


_BY_STATE = {
    "23505": UniqueViolation,
    "23503": ForeignKeyViolation,
    "23502": NotNullViolation,
    "23514": CheckViolation,
    "23P01": ExclusionViolation,
    "40001": SerializationError,
    "40P01": core.DeadlockError,
    "55P03": LockTimeoutError,
    "57014": QueryCanceledError,
    "25P02": TransactionAbortedError,
    "25006": ReadOnlyTransactionError,
    "57P01": ConnectionLostError,  # admin_shutdown (pg_terminate_backend)
    "57P02": ConnectionLostError,  # crash_shutdown
    "57P03": ConnectionLostError,  # cannot_connect_now
}

_BY_CLASS = {
    "23": core.IntegrityError,  # integrity constraint violation
    "08": ConnectionLostError,  # connection exception
    "42": core.QueryError,  # syntax error or access rule violation
    "22": core.QueryError,  # data exception (bad input, division by zero, ...)
    "2B": core.IntegrityError,  # dependent privilege descriptors still exist
    "40": core.TransactionError,  # transaction rollback
    "25": core.TransactionError,  # invalid transaction state
    "53": core.OperationalError,  # insufficient resources
    "54": core.OperationalError,  # program limit exceeded
    "55": core.OperationalError,  # object not in prerequisite state
    "57": core.OperationalError,  # operator intervention
    "58": core.OperationalError,  # system error
    "XX": core.OperationalError,  # internal error
}

_RETRYABLE = frozenset({"40001", "40P01", "55P03"})


class ReadTimeout(psycopg.errors.QueryCanceled):
    """No answer from the server within ``read_timeout`` (a client-side bound)."""


def read_timeout_message(bound: float, kept: bool) -> str:
    outcome = (
        "the statement was cancelled on the server and the connection kept"
        if kept
        else "the server could not be reached to cancel it; the connection was discarded"
    )
    return (
        f"no answer from PostgreSQL within read_timeout={bound:g} s (client-side bound; by "
        f"default statement_timeout plus a margin): {outcome}"
    )


def describe(
    error: Exception,
    *,
    sqlstate: str | None = None,
    constraint: str | None = None,
    table: str | None = None,
    retryable: bool = False,
) -> None:
    """Give an error the attributes callers read (``sqlstate``, ``constraint``, ``table``,
    ``retryable``). The core's error classes carry them by convention but declare none, so
    they are set through the instance dict, in this one place."""
    error.__dict__.update(
        sqlstate=sqlstate, constraint=constraint, table=table, retryable=retryable
    )


def is_connection_lost(
    error: BaseException, connection: psycopg.BaseConnection[Any] | None = None
) -> bool:
    """True when ``error`` means the session is gone (not merely that a statement failed)."""
    if not isinstance(error, psycopg.Error):
        return False
    state = getattr(error, "sqlstate", None)
    if state and (state.startswith("08") or state in ("57P01", "57P02", "57P03")):
        return True
    if connection is not None and (connection.broken or connection.closed):
        return isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError))
    return False


def _scrub(message: str, secrets: Iterable[str | None]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 3:
            message = message.replace(secret, "***")
    return message


def map_error(
    error: psycopg.Error,
    *,
    connection: psycopg.BaseConnection[Any] | None = None,
    secrets: Iterable[str | None] = (),
) -> core.DatabaseError:
    """The core error for one psycopg error (the caller raises it ``from error``)."""
    state = error.sqlstate
    cls: type[core.DatabaseError]
    if is_connection_lost(error, connection):
        cls = ConnectionLostError
    elif state:
        cls = _BY_STATE.get(state) or _BY_CLASS.get(state[:2], core.DatabaseError)
    elif isinstance(error, psycopg.IntegrityError):
        cls = core.IntegrityError
    elif isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError)):
        cls = core.OperationalError
    else:
        cls = core.DatabaseError
    mapped = cls(_scrub(str(error), secrets))
    diag = error.diag
    describe(
        mapped,
        sqlstate=state,
        constraint=diag.constraint_name,
        table=diag.table_name,
        retryable=state in _RETRYABLE,
    )
    return mapped


def connect_error(error: Exception, secrets: Iterable[str | None] = ()) -> core.ConnectionError:
    """A failure to open a connection: always the core ``ConnectionError``, secrets scrubbed."""
    mapped = core.ConnectionError(f"could not connect to PostgreSQL: {_scrub(str(error), secrets)}")
    describe(mapped, sqlstate=getattr(error, "sqlstate", None))
    return mapped
