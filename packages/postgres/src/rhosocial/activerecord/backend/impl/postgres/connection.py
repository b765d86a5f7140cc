# Generated from packages/postgres/src/rhosocial/activerecord/backend/impl/postgres/async_connection.py by tools/async_to_sync.py: do not edit.
# Edit the async source and run `python tools/async_to_sync.py`; `--check` fails when this is stale.
"""psycopg connections with a client-side bound on every round trip (``read_timeout``).

``statement_timeout`` acts on the server only: when the peer stops answering (a stalled link,
a frozen host) a query waited for ever. Every psycopg round trip on an open connection goes
through ``wait()``; this class gives it the bound. When it expires the statement is cancelled
with psycopg's ``cancel_safe`` (a separate connection to the server); if the server confirms
within the cancel bound the connection is kept (at a statement boundary), otherwise it is
discarded. Either way the caller gets ``ReadTimeout`` naming the setting.

The backend uses these classes only when a bound is configured: psycopg's own classes, with no
extra frame per round trip, otherwise.

This is the hand-written source (``AsyncBoundedConnection``); ``connection.py``
(``BoundedConnection``) is generated from it by ``tools/async_to_sync.py``.
"""

from __future__ import annotations

from typing import TypeVar

import psycopg
from psycopg import errors as pe
from psycopg.abc import PQGen
from psycopg.rows import TupleRow

from .errors import ReadTimeout, read_timeout_message

RV = TypeVar("RV")
# psycopg's own interval for its waits (how often it looks for Ctrl-C).
WAIT_INTERVAL = 0.1
# The longest the cancel request, and then the server's answer to it, may take each.
CANCEL_TIMEOUT = 5.0


class BoundedConnection(psycopg.Connection[TupleRow]):
    """A psycopg connection whose every round trip ends within ``read_timeout`` seconds."""

    read_timeout: float | None = None

    def wait(
        self, gen: PQGen[RV], interval: float = WAIT_INTERVAL, timeout: float | None = None
    ) -> RV:
        bound = self.read_timeout
        if bound is None or timeout is not None:
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, bound)
        except pe._WaitTimeout:
            pass
        cancel_bound = min(CANCEL_TIMEOUT, bound)
        try:
            self.cancel_safe(timeout=cancel_bound)
            # The generator is where the wait left it: read the server's answer to the cancel.
            return super().wait(gen, interval, cancel_bound)
        except pe.QueryCanceled:
            raise ReadTimeout(read_timeout_message(bound, kept=True)) from None
        except psycopg.Error:
            pass  # the cancel failed or timed out, or the answer did not come: discard
        self.pgconn.finish()
        raise ReadTimeout(read_timeout_message(bound, kept=False))
