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
from rhosocial.activerecord.backend.impl.common.errors import (
    BackendError,
    CheckViolation,
    ConnectionLostError,
    DataError,
    DeadlockError,
    ExclusionViolation,
    ForeignKeyViolation,
    LockTimeoutError,
    MissingTableError,
    NotNullViolation,
    QueryCanceledError,
    ReadOnlyTransactionError,
    SerializationError,
    ServerError,
    ServerOperationalError,
    StatementTimeoutError,
    TransactionAbortedError,
    UniqueViolation,
    class_for_sqlstate,
)

# The one error vocabulary of the three backends (decision 0006): the classes live in the
# common package, each under the nearest core class, with ``retryable`` and its details.
__all__ = [
    "CheckViolation",
    "ConnectionLostError",
    "DataError",
    "DeadlockError",
    "ExclusionViolation",
    "ForeignKeyViolation",
    "LockTimeoutError",
    "MissingTableError",
    "NotNullViolation",
    "QueryCanceledError",
    "ReadOnlyTransactionError",
    "ReadTimeout",
    "SerializationError",
    "StatementTimeoutError",
    "TransactionAbortedError",
    "UniqueViolation",
    "connect_error",
    "describe",
    "is_connection_lost",
    "map_error",
    "read_timeout_message",
]


#: Re-running the whole transaction may succeed: serialization failure, deadlock, lock timeout.
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
    cls: type[BackendError]
    if is_connection_lost(error, connection):
        cls = ConnectionLostError
    elif state:
        cls = class_for_sqlstate(state)
    elif isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError)):
        cls = ServerOperationalError
    else:
        cls = ServerError
    diag = error.diag
    return cls(
        _scrub(str(error), secrets),
        sqlstate=state,
        constraint=diag.constraint_name,
        table=diag.table_name,
        retryable=state in _RETRYABLE,
    )


def connect_error(error: Exception, secrets: Iterable[str | None] = ()) -> core.ConnectionError:
    """A failure to open a connection: always the core ``ConnectionError``, secrets scrubbed."""
    mapped = core.ConnectionError(f"could not connect to PostgreSQL: {_scrub(str(error), secrets)}")
    describe(mapped, sqlstate=getattr(error, "sqlstate", None))
    return mapped
