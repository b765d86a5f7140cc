"""The reconnect and resend policy: what to do after a statement failed.

Pure decisions over the error and the connection's state; the backend does the I/O (close,
roll back to a savepoint, reconnect and send again). A statement is sent again only outside a
transaction and only when nothing can double: it never left, or it only reads.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import psycopg

from .errors import ConnectionLostError, ReadTimeout, describe, is_connection_lost, map_error
from .statements import is_read_only_statement

_TS = psycopg.pq.TransactionStatus
# States in which the connection is at a statement boundary and can be used again.
CLEAN_STATES = (_TS.IDLE, _TS.INTRANS, _TS.INERROR)


class Failure(NamedTuple):
    """The decision after a failed statement."""

    error: BaseException | None  # what to raise; None: reconnect and send again
    close: bool  # drop the connection first
    savepoint: str | None  # roll back to this savepoint first (the transaction goes on)
    transaction_lost: bool  # the enclosing transaction is gone with the connection


def lost_in_transaction() -> ConnectionLostError:
    err = ConnectionLostError(
        "connection to PostgreSQL lost inside a transaction: the transaction is gone and no "
        "statement of it was re-run; roll it back and retry the whole transaction"
    )
    describe(err, retryable=True)
    return err


def translate(
    error: BaseException,
    conn: psycopg.BaseConnection[Any] | None,
    secrets: tuple[str | None, ...],
) -> BaseException:
    """The exception to raise for a driver error (others are returned unchanged)."""
    if isinstance(error, psycopg.Error):
        return map_error(error, connection=conn, secrets=secrets)
    return error


def decide(
    error: BaseException,
    sql: str,
    *,
    conn: psycopg.BaseConnection[Any] | None,
    sent: bool,
    attempt: int,
    in_transaction: bool,
    transaction_lost: bool,
    savepoint: str | None,
    secrets: tuple[str | None, ...],
) -> Failure:
    """What to do after ``sql`` failed with ``error`` on attempt ``attempt`` (0 or 1).

    ``sent``: the statement may have reached the server. ``savepoint``: the innermost
    savepoint of the enclosing transaction, if any.
    """
    if not isinstance(error, psycopg.Error):
        # Interrupted (task cancelled, KeyboardInterrupt) or a client-side bug. psycopg has
        # already cancelled the query on the server; keep the connection only if it is
        # provably back at a statement boundary.
        dirty = conn is not None and (
            conn.broken or conn.closed or conn.info.transaction_status not in CLEAN_STATES
        )
        return Failure(error, dirty, None, dirty and in_transaction)
    lost = conn is None or conn.broken or conn.closed or is_connection_lost(error, conn)
    if not lost:
        return Failure(translate(error, conn, secrets), False, savepoint, False)
    if attempt == 0 and not (in_transaction or transaction_lost or isinstance(error, ReadTimeout)):
        # Outside a transaction: send again if nothing can double (not after the client-side
        # bound expired: the server did not answer in time, it did not drop the session).
        if is_connection_lost(error, conn) and (not sent or is_read_only_statement(sql)):
            return Failure(None, True, None, False)
    if in_transaction:
        exc = lost_in_transaction()
        exc.__cause__ = error
        return Failure(exc, True, None, True)
    return Failure(translate(error, conn, secrets), True, None, False)
