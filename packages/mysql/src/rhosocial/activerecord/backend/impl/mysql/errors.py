"""Driver error -> core error, by MySQL/MariaDB errno and SQLSTATE, never by message text.

Both drivers of the family (mysql-connector-python, PyMySQL) report the server's errno; the
driver glue extracts ``(errno, sqlstate, message)`` and this module decides what it means.
The driver exception is always chained (``raise ... from exc``) and its message kept, so
nothing the server said is lost; the message never contains the connection password because
neither the server nor the drivers put it there and we add nothing but errno and SQLSTATE.
"""

from __future__ import annotations

from dataclasses import dataclass

from rhosocial.activerecord.backend import errors as core

# --- errno groups (server errors and the client errors the drivers reuse) -------------------
UNIQUE = frozenset({1022, 1062, 1169, 1586})
FOREIGN_KEY = frozenset({1216, 1217, 1451, 1452})
NOT_NULL = frozenset({1048, 1364, 1263})
CHECK = frozenset({3819, 4025})
DEADLOCK = frozenset({1213})
LOCK_WAIT = frozenset({1205, 3572})  # 3572: MySQL NOWAIT could not lock
STATEMENT_TIMEOUT = frozenset(
    {3024, 1969, 1907}
)  # MySQL max_execution_time, MariaDB max_statement_time
QUERY_INTERRUPTED = frozenset({1317})  # KILL QUERY
CONNECTION_LOST = frozenset({2006, 2013, 2055, 4031, 1927, 1053, 2014, 2027})
CONNECT_FAILED = frozenset(
    {1040, 1044, 1045, 1049, 1129, 1130, 1203, 2002, 2003, 2005, 2026, 2059, 2061}
)
SYNTAX_OR_SCHEMA = frozenset({1054, 1064, 1091, 1146, 1149, 1166, 1305})
#: Connect failures an outage causes (refused, unreachable, dropped, server shutting down, too
#: many connections): trying again later is what succeeds. Access denied, an unknown database
#: or a TLS failure stay not retry-safe: they fail the same way until someone changes something.
CONNECT_TRANSIENT = frozenset({1040, 1053, 1203, 2002, 2003, 2006, 2013, 2055})


class MySQLFamilyError(core.DatabaseError):
    """Mixin base carried by every mapped error: what the server said, machine-readable."""

    errno: int | None = None
    sqlstate: str | None = None
    #: True when re-running the same statement (outside a transaction) cannot double an effect.
    retry_safe: bool = False


class UniqueViolation(core.IntegrityError, MySQLFamilyError):
    """Duplicate primary or unique key."""


class ForeignKeyViolation(core.IntegrityError, MySQLFamilyError):
    """A referenced row is missing, or a referencing row blocks a delete/update."""


class NotNullViolation(core.IntegrityError, MySQLFamilyError):
    """NULL (or no value, no default) for a NOT NULL column."""


class CheckViolation(core.IntegrityError, MySQLFamilyError):
    """A CHECK constraint (or MariaDB's JSON_VALID check on JSON columns) rejected a row."""


class IntegrityViolation(core.IntegrityError, MySQLFamilyError):
    """Any other integrity failure (SQLSTATE class 23)."""


class Deadlock(core.DeadlockError, MySQLFamilyError):
    """InnoDB chose this transaction as deadlock victim and rolled the whole of it back."""

    retry_safe = True


class LockWaitTimeout(core.OperationalError, core.LockError, MySQLFamilyError):
    """A row lock was not granted in time (or NOWAIT found it taken). By default only the
    statement is rolled back; with ``innodb_rollback_on_timeout`` the whole transaction is."""

    retry_safe = True


class StatementTimeout(core.OperationalError, MySQLFamilyError):
    """The server stopped the statement at its time limit."""


class QueryCancelled(core.OperationalError, MySQLFamilyError):
    """The statement was stopped by KILL QUERY (our cancellation, or an operator)."""


class ConnectionLost(core.ConnectionError, core.OperationalError, MySQLFamilyError):
    """The connection died (server gone, killed, network); the backend discards it."""


class ConnectFailed(core.ConnectionError, MySQLFamilyError):
    """Could not open a connection (refused, access denied, unknown database, TLS handshake)."""


class ConnectTimeout(ConnectFailed):
    """The connect did not finish within ``connect_timeout``; its socket is closed."""

    retry_safe = True


class QuerySyntaxError(core.QueryError, MySQLFamilyError):
    """Syntax error, unknown table or column: the statement itself is wrong."""


class DataError(MySQLFamilyError):
    """Value out of range, too long or of the wrong type (SQLSTATE class 22)."""


class ServerError(MySQLFamilyError):
    """Anything else the server or driver reported."""


@dataclass(frozen=True)
class ErrorInfo:
    """What the driver glue extracts from a driver exception."""

    errno: int | None
    sqlstate: str | None
    message: str
    #: The driver stopped waiting for the server (a client-side timeout), whatever its errno
    #: says: mysql-connector reports those with 3024, the server's statement-timeout errno.
    timed_out: bool = False


def error_class(errno: int | None, sqlstate: str | None) -> type[MySQLFamilyError]:
    """Choose the mapped class: errno first (precise), then the SQLSTATE class."""
    if errno is not None:
        for group, cls in _BY_ERRNO:
            if errno in group:
                return cls
    state = (sqlstate or "")[:2]
    return _BY_SQLSTATE_CLASS.get(state, ServerError)


_BY_ERRNO: tuple[tuple[frozenset[int], type[MySQLFamilyError]], ...] = (
    (UNIQUE, UniqueViolation),
    (FOREIGN_KEY, ForeignKeyViolation),
    (NOT_NULL, NotNullViolation),
    (CHECK, CheckViolation),
    (DEADLOCK, Deadlock),
    (LOCK_WAIT, LockWaitTimeout),
    (STATEMENT_TIMEOUT, StatementTimeout),
    (QUERY_INTERRUPTED, QueryCancelled),
    (CONNECTION_LOST, ConnectionLost),
    (CONNECT_FAILED, ConnectFailed),
    (SYNTAX_OR_SCHEMA, QuerySyntaxError),
)

_BY_SQLSTATE_CLASS: dict[str, type[MySQLFamilyError]] = {
    "23": IntegrityViolation,
    "22": DataError,
    "42": QuerySyntaxError,
    "40": Deadlock,
    "08": ConnectionLost,
}


def map_error(info: ErrorInfo, *, connecting: bool = False) -> MySQLFamilyError:
    """Build the core-typed error for ``info`` (the caller raises it ``from`` the driver error).

    ``connecting`` turns a connection-loss errno seen while opening into ``ConnectFailed``.
    """
    cls = error_class(info.errno, info.sqlstate)
    if connecting and cls in (ConnectionLost, ServerError):
        cls = ConnectFailed
    detail = ", ".join(
        part
        for part in (
            f"errno {info.errno}" if info.errno is not None else "",
            f"SQLSTATE {info.sqlstate}" if info.sqlstate else "",
        )
        if part
    )
    text = f"{info.message} ({detail})" if detail else info.message
    err = cls(text)
    err.errno = info.errno
    err.sqlstate = info.sqlstate
    return err


def is_connection_lost(errno: int | None) -> bool:
    return errno in CONNECTION_LOST


def rolls_back_transaction(errno: int | None, rollback_on_timeout: bool) -> bool:
    """Whether the server has already rolled back the *whole* open transaction.

    Most errors only undo the failing statement; a deadlock always undoes the transaction and
    a lock-wait timeout does when the server runs with ``innodb_rollback_on_timeout=ON``.
    """
    if errno in DEADLOCK:
        return True
    return bool(errno in LOCK_WAIT and rollback_on_timeout)
