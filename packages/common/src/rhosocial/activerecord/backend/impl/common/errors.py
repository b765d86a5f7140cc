"""The one error vocabulary of the PostgreSQL, MySQL and MariaDB backends.

Every class is a subclass of the nearest class of the core (``rhosocial.activerecord.backend
.errors``), so code that catches the core class keeps catching it, and of :class:`BackendError`,
which carries what the server said in machine-readable form:

- ``retryable``: re-running the *whole transaction* may succeed (deadlock, serialization
  failure, lock timeout, a lost connection). Whether one statement may be re-sent after a lost
  connection is a different question, answered by :mod:`.classify`, not by a flag here.
- ``sqlstate`` (PostgreSQL, and the MySQL family's SQLSTATE), ``errno`` (MySQL family),
  ``constraint`` and ``table`` where the server names them.

PostgreSQL maps with :func:`class_for_sqlstate` (exact code, then the SQLSTATE class). The MySQL
family keeps its errno numbers in its own package and builds its table with :func:`errno_table`;
:func:`class_for_errno` looks an errno up and falls back to the SQLSTATE class. :func:`make_error`
builds the instance. :func:`deprecated_aliases` gives a package the module ``__getattr__`` that
keeps old names importable for one release, with a ``DeprecationWarning``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from rhosocial.activerecord.backend import errors as core

__all__ = [
    "BackendError",
    "ServerError",
    "IntegrityViolation",
    "UniqueViolation",
    "ForeignKeyViolation",
    "NotNullViolation",
    "CheckViolation",
    "ExclusionViolation",
    "DataError",
    "ProgrammingError",
    "MissingTableError",
    "DeadlockError",
    "SerializationError",
    "LockTimeoutError",
    "QueryCanceledError",
    "StatementTimeoutError",
    "ConnectionLostError",
    "ConnectFailedError",
    "ConnectTimeoutError",
    "ServerOperationalError",
    "TransactionStateError",
    "TransactionAbortedError",
    "ReadOnlyTransactionError",
    "BY_SQLSTATE",
    "BY_SQLSTATE_CLASS",
    "class_for_sqlstate",
    "errno_table",
    "class_for_errno",
    "make_error",
    "from_sqlstate",
    "from_errno",
    "FAMILY_ALIASES",
    "deprecated_aliases",
]


class BackendError(core.DatabaseError):
    """Base of every error a backend maps from a driver or server error."""

    #: Re-running the whole transaction (on a fresh connection if need be) may succeed.
    retryable: bool = False

    def __init__(
        self,
        message: str = "",
        *,
        sqlstate: str | None = None,
        errno: int | None = None,
        constraint: str | None = None,
        table: str | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.errno = errno
        self.constraint = constraint
        self.table = table
        if retryable is not None:
            # An instance attribute shadows the class default for this error only.
            self.retryable = retryable

    @property
    def retry_safe(self) -> bool:
        """Deprecated (MySQL family, one release): True for deadlocks and lock timeouts, as
        before. Use ``retryable``, which means "re-running the whole transaction may succeed"."""
        warnings.warn(
            "retry_safe is deprecated and will be removed in the next release; use retryable "
            "(re-running the whole transaction may succeed)",
            DeprecationWarning,
            stacklevel=2,
        )
        return isinstance(self, (DeadlockError, LockTimeoutError))


class ServerError(BackendError):
    """Anything the server or driver reported that no other class here describes."""


# -- integrity (SQLSTATE class 23) ---------------------------------------------------------


class IntegrityViolation(core.IntegrityError, BackendError):
    """An integrity constraint refused the change (SQLSTATE class 23); base of the four below."""


class UniqueViolation(IntegrityViolation):
    """A unique or primary key constraint refused a duplicate (23505; errno 1062, ...)."""


class ForeignKeyViolation(IntegrityViolation):
    """A reference to a missing row, or a delete of a referenced one (23503; errno 1452, ...)."""


class NotNullViolation(IntegrityViolation):
    """NULL, or no value and no default, for a NOT NULL column (23502; errno 1048, 1364)."""


class CheckViolation(IntegrityViolation):
    """A CHECK constraint refused the row (23514; errno 3819, 4025)."""


class ExclusionViolation(IntegrityViolation):
    """An exclusion constraint found a conflicting row (23P01; PostgreSQL only)."""


# -- the statement itself (SQLSTATE classes 22 and 42) --------------------------------------


class DataError(core.QueryError, BackendError):
    """A value the column or operation cannot take: out of range, too long, bad format,
    division by zero (SQLSTATE class 22; errno 1264, 1406, 1366, ...)."""


class ProgrammingError(core.QueryError, BackendError):
    """The statement is wrong: syntax, unknown column or function, missing privilege
    (SQLSTATE class 42; errno 1064, 1054, ...)."""


class MissingTableError(ProgrammingError):
    """The statement names a table (or view) that does not exist (42P01; errno 1146, 1051)."""


# -- concurrency and time limits -----------------------------------------------------------


class DeadlockError(core.DeadlockError, BackendError):
    """The server chose this transaction as a deadlock victim and rolled it back (40P01;
    errno 1213). Subclass of the core's class of the same name."""

    retryable = True


class SerializationError(core.OperationalError, BackendError):
    """A concurrent transaction made this one impossible to serialize (40001 on PostgreSQL)."""

    retryable = True


class LockTimeoutError(core.LockError, core.OperationalError, BackendError):
    """A lock was not granted in time, or NOWAIT found it taken (55P03; errno 1205, 3572)."""

    retryable = True


class QueryCanceledError(core.OperationalError, BackendError):
    """The statement was cancelled before it finished (57014; errno 1317 for KILL QUERY)."""


class StatementTimeoutError(QueryCanceledError):
    """The statement ran into its time limit (the server's, or the backend's own client-side
    bound); a kind of cancellation, so ``except QueryCanceledError`` catches it too."""


# -- connections ---------------------------------------------------------------------------


class ConnectionLostError(core.OperationalError, core.ConnectionError, BackendError):
    """An open connection died (08xxx, 57P01-57P03; errno 2006, 2013, ...). An open transaction
    is gone with it; running the whole transaction again on a new connection may succeed."""

    retryable = True


class ConnectFailedError(core.ConnectionError, BackendError):
    """A connection could not be opened (refused, access denied, unknown database, TLS).
    ``retryable`` is set per error: True where trying later may work (refused, too many
    connections, server starting), False where it cannot (wrong password, unknown database)."""


class ConnectTimeoutError(ConnectFailedError):
    """Opening the connection did not finish within ``connect_timeout``."""

    retryable = True


class ServerOperationalError(core.OperationalError, BackendError):
    """The server could not run the statement for a reason of its own: resources, limits,
    operator intervention, internal error (SQLSTATE classes 53, 54, 55, 57, 58, XX)."""


# -- transaction state (SQLSTATE classes 25 and 40) ----------------------------------------


class TransactionStateError(core.TransactionError, BackendError):
    """The statement is not allowed in the transaction's current state (class 25, 40)."""


class TransactionAbortedError(TransactionStateError):
    """An earlier statement failed; the transaction must be rolled back first (25P02)."""


class ReadOnlyTransactionError(TransactionStateError):
    """A write inside a READ ONLY transaction or on a read-only server (25006; errno 1792)."""


# -- lookups -------------------------------------------------------------------------------

ErrorClass = type[BackendError]

#: Exact SQLSTATE -> class: the standard codes and PostgreSQL's own. PostgreSQL uses it as is.
#: Not for the MySQL family's SQLSTATEs: there 40001 is a deadlock (errno 1213), not a
#: serialization failure, so the family looks its errno up first (:func:`class_for_errno`).
BY_SQLSTATE: Mapping[str, ErrorClass] = {
    "23505": UniqueViolation,
    "23503": ForeignKeyViolation,
    "23502": NotNullViolation,
    "23514": CheckViolation,
    "23P01": ExclusionViolation,
    "40001": SerializationError,
    "40P01": DeadlockError,
    "55P03": LockTimeoutError,
    "57014": QueryCanceledError,
    "25P02": TransactionAbortedError,
    "25006": ReadOnlyTransactionError,
    "42P01": MissingTableError,
    "57P01": ConnectionLostError,  # admin_shutdown (pg_terminate_backend)
    "57P02": ConnectionLostError,  # crash_shutdown
    "57P03": ConnectionLostError,  # cannot_connect_now (server starting or in recovery)
}

#: SQLSTATE class (first two characters) -> class, when the exact code is not listed.
BY_SQLSTATE_CLASS: Mapping[str, ErrorClass] = {
    "08": ConnectionLostError,  # connection exception
    "22": DataError,  # data exception
    "23": IntegrityViolation,  # integrity constraint violation
    "2B": IntegrityViolation,  # dependent privilege descriptors still exist
    "25": TransactionStateError,  # invalid transaction state
    "40": TransactionStateError,  # transaction rollback
    "42": ProgrammingError,  # syntax error or access rule violation
    "53": ServerOperationalError,  # insufficient resources
    "54": ServerOperationalError,  # program limit exceeded
    "55": ServerOperationalError,  # object not in prerequisite state
    "57": ServerOperationalError,  # operator intervention
    "58": ServerOperationalError,  # system error
    "XX": ServerOperationalError,  # internal error
}


def class_for_sqlstate(sqlstate: str | None, default: ErrorClass = ServerError) -> ErrorClass:
    """The class for a SQLSTATE: the exact code, else its class, else ``default``."""
    if not sqlstate:
        return default
    return BY_SQLSTATE.get(sqlstate) or BY_SQLSTATE_CLASS.get(sqlstate[:2], default)


def errno_table(groups: Mapping[ErrorClass, Iterable[int]]) -> dict[int, ErrorClass]:
    """A flat errno -> class dict from ``{class: errnos}`` (built once, at import).

    An errno listed under two classes is a mistake in the table, so it raises ``ValueError``.
    """
    table: dict[int, ErrorClass] = {}
    for cls, numbers in groups.items():
        for number in numbers:
            if number in table and table[number] is not cls:
                raise ValueError(
                    f"errno {number} is listed for both {table[number].__name__} and {cls.__name__}"
                )
            table[number] = cls
    return table


def class_for_errno(
    errno: int | None,
    sqlstate: str | None,
    table: Mapping[int, ErrorClass],
    default: ErrorClass = ServerError,
) -> ErrorClass:
    """The class for a MySQL-family error: its errno in ``table``, else the SQLSTATE *class*
    (never the exact code: the family's exact SQLSTATEs mean other things, see BY_SQLSTATE)."""
    if errno is not None:
        cls = table.get(errno)
        if cls is not None:
            return cls
    if sqlstate:
        return BY_SQLSTATE_CLASS.get(sqlstate[:2], default)
    return default


E = TypeVar("E", bound=BackendError)


def make_error(
    cls: type[E],
    message: str,
    *,
    sqlstate: str | None = None,
    errno: int | None = None,
    constraint: str | None = None,
    table: str | None = None,
    retryable: bool | None = None,
) -> E:
    """An instance of ``cls`` with its details (``retryable=None`` keeps the class default).
    The caller raises it ``from`` the driver error, so the driver's exception stays chained."""
    return cls(
        message,
        sqlstate=sqlstate,
        errno=errno,
        constraint=constraint,
        table=table,
        retryable=retryable,
    )


def from_sqlstate(
    message: str,
    sqlstate: str | None,
    *,
    constraint: str | None = None,
    table: str | None = None,
    default: ErrorClass = ServerError,
) -> BackendError:
    """PostgreSQL's whole mapping in one call: the class for ``sqlstate``, with its details."""
    cls = class_for_sqlstate(sqlstate, default)
    return cls(message, sqlstate=sqlstate, constraint=constraint, table=table)


def from_errno(
    message: str,
    errno: int | None,
    sqlstate: str | None,
    table: Mapping[int, ErrorClass],
    *,
    retryable_errnos: frozenset[int] = frozenset(),
    default: ErrorClass = ServerError,
) -> BackendError:
    """The MySQL family's mapping in one call: the class for ``errno`` in ``table`` (else the
    SQLSTATE class), with its details; an errno in ``retryable_errnos`` is flagged retryable
    whatever its class says (a refused connect during an outage: trying later may work)."""
    cls = class_for_errno(errno, sqlstate, table, default)
    retryable = True if errno is not None and errno in retryable_errnos else None
    return cls(message, sqlstate=sqlstate, errno=errno, retryable=retryable)


#: The MySQL family's names before this vocabulary -> the shared class, for
#: ``__getattr__ = deprecated_aliases(__name__, FAMILY_ALIASES, removed_in=...)`` in its
#: errors module (the names must no longer be defined there, or ``__getattr__`` never runs).
#: ``UniqueViolation`` & co., ``IntegrityViolation``, ``DataError`` and ``ServerError`` keep
#: their names. ``StatementTimeout`` becomes a kind of cancellation (``except QueryCancelled``
#: now catches it too); ``DataError`` is now a ``QueryError``.
FAMILY_ALIASES: Mapping[str, type[BackendError]] = {
    "MySQLFamilyError": BackendError,
    "ConnectionLost": ConnectionLostError,
    "QueryCancelled": QueryCanceledError,
    "StatementTimeout": StatementTimeoutError,
    "LockWaitTimeout": LockTimeoutError,
    "Deadlock": DeadlockError,
    "QuerySyntaxError": ProgrammingError,
    "ConnectFailed": ConnectFailedError,
    "ConnectTimeout": ConnectTimeoutError,
}


def deprecated_aliases(
    module_name: str, aliases: Mapping[str, object], *, removed_in: str
) -> Callable[[str], object]:
    """A module ``__getattr__`` that serves old names for one release, with a warning.

    In the module that used to define the names::

        __getattr__ = deprecated_aliases(__name__, {"Deadlock": DeadlockError}, removed_in="0.3")

    ``from <module> import Deadlock`` then works, returns the new class and warns with
    ``DeprecationWarning`` naming the new name; an unknown name is the usual AttributeError.
    The value may be any object (a class, or a string for a renamed attribute).
    """

    def __getattr__(name: str) -> object:
        try:
            value = aliases[name]
        except KeyError:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}") from None
        new = getattr(value, "__name__", repr(value))
        warnings.warn(
            f"{module_name}.{name} is deprecated and will be removed in {removed_in}; use {new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return value

    return __getattr__
