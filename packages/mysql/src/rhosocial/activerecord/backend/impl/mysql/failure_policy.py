"""What a failure means: map it, drop a dead connection, re-run or not, refuse a dead transaction.

Only a read-only statement outside a transaction is re-run after a lost connection; a loss
inside a transaction marks it as ended by the server, and nothing is re-run. A client-side
timeout ends the connection too (its reply could be read as the next statement's). Connect
failures are mapped here as well: ``ConnectTimeout`` once the connect deadline has passed,
``ConnectFailed`` for everything the driver or the socket reports before.
"""

from __future__ import annotations

import ssl
import time
from typing import NamedTuple, NoReturn

from rhosocial.activerecord.backend.errors import TransactionError

from . import errors as family_errors
from .adapters import check_packet_size
from .backend_state import FamilyState
from .sqltext import is_rollback
from .statements import Plan


class Verdict(NamedTuple):
    """What a failed statement means."""

    error: BaseException  # to raise (``from`` the driver's exception when it is another one)
    retry: bool  # run the statement once more, on a new connection


class FailurePolicy(FamilyState):
    """Statement and connect failures of every family backend, decided without I/O."""

    def _guard(self, plan: Plan) -> None:
        """Refuse to run statements in a transaction the server has already ended, and one
        that cannot fit the connection's ``max_allowed_packet``."""
        if plan.params and self._server_info is not None:
            limit, charset = self._server_info.max_allowed_packet, self.config.charset
            check_packet_size(plan.sql, plan.params, limit, charset=charset)
        if self._server_rolled_back and self.in_transaction and not is_rollback(plan.sql):
            raise TransactionError(
                f"the server already rolled this transaction back ({self._server_rolled_back}); "
                "roll back and retry the whole transaction"
            )

    def _on_failure(self, plan: Plan, exc: BaseException) -> Verdict:
        """Decide what a failed statement means (see the module docstring)."""
        info = self._error_info(exc)
        if info is None:
            return Verdict(exc, False)
        if info.timed_out:
            return Verdict(self._client_timed_out(info.message), False)
        mapped = family_errors.map_error(info)
        lost = family_errors.is_connection_lost(info.errno)
        if lost:
            self._abandon_connection()
        if self.in_transaction:
            rollback_on_timeout = bool(self._server_info and self._server_info.rollback_on_timeout)
            if lost:
                self._server_rolled_back = f"connection lost: errno {info.errno}"
            elif family_errors.rolls_back_transaction(info.errno, rollback_on_timeout):
                self._server_rolled_back = f"errno {info.errno}"
            return Verdict(mapped, False)
        retry = lost and plan.read_only and plan.attempt == 0 and self.config.reconnect_read_only
        return Verdict(mapped, retry)

    def _raise_unless_retry(self, plan: Plan, exc: Exception) -> None:
        """Raise the mapped error for ``exc``, or return when the statement may run again."""
        err, retry = self._on_failure(plan, exc)
        if retry:
            plan.attempt += 1
            return
        if err is exc:
            raise exc
        raise err from exc

    def _ping_may_reconnect(self, exc: Exception, reconnect: bool) -> bool:
        """After a failed ping: drop the dead connection; reconnect only outside a transaction
        (a new connection would silently lose the transaction)."""
        if self._error_info(exc) is None:
            raise exc
        self._abandon_connection()
        if self.in_transaction:
            self._server_rolled_back = "connection lost (ping)"
            return False
        return reconnect

    def _abandon_connection(self) -> None:
        """Forget a connection given up on (dead, or refused while connecting) and close its
        socket through the glue's ``_close_dead``, without I/O."""
        conn, self._connection, self._cursor = self._connection, None, None
        if conn is not None:
            try:
                self._close_dead(conn)
            except NotImplementedError:
                raise  # a glue without _close_dead would leave sockets open: say so
            except Exception:  # noqa: BLE001 - it is already dead; nothing to report
                pass

    def _client_timed_out(self, detail: str) -> family_errors.StatementTimeout:
        """The client stopped waiting for a statement's reply: drop the connection (and with it
        an open transaction, which the server rolls back) and say so. Never re-run: the
        statement may have taken effect on the server."""
        self._abandon_connection()
        if self.in_transaction:
            self._server_rolled_back = "client-side timeout; the connection was closed"
        limits = ", ".join(
            f"{name}={value:g}s"
            for name in ("read_timeout", "write_timeout")
            if (value := getattr(self.config, name))
        )
        detail = " ".join(detail.split())  # mysql-connector's message spans indented lines
        return family_errors.StatementTimeout(
            f"no reply from the server within {limits or 'the client timeout'} ({detail}); the "
            "connection was closed, and the statement may still have taken effect on the server"
        )

    # --- connecting -------------------------------------------------------------------------
    def _connect_error(
        self, exc: BaseException, deadline: float, interrupted: bool = False
    ) -> family_errors.MySQLFamilyError | None:
        """The error to raise ``from exc`` for a connect that failed with ``exc``, or None when
        ``exc`` is to be raised as it is: a family error already, or not the driver's and not a
        socket's (a bug is not disguised as a connect failure, nor made its own cause).

        ``interrupted``: the connect timeout cut the connect short, so whatever ``exc`` says is
        its consequence: ``ConnectTimeout``. A client-side timeout (the driver's or the
        socket's) once ``deadline`` (``time.monotonic()``) has passed is the connect timeout
        too, whichever driver and whatever errno; before that it was a shorter timeout (a
        ``read_timeout``) and stays the driver's error.
        """
        if isinstance(exc, family_errors.ConnectTimeout):
            return None
        if interrupted:
            return self._connect_timed_out()
        info = self._error_info(exc)
        if info is None:
            if isinstance(exc, (OSError, ssl.SSLError)):
                timed_out = isinstance(exc, TimeoutError)
                info = family_errors.ErrorInfo(
                    None, None, f"{type(exc).__name__}: {exc}", timed_out
                )
            else:
                return None
        if info.timed_out and time.monotonic() >= deadline:
            return self._connect_timed_out()
        err = family_errors.map_error(info, connecting=True)
        if not isinstance(err, family_errors.ConnectFailed):
            converted = family_errors.ConnectFailed(str(err))
            converted.errno, converted.sqlstate = err.errno, err.sqlstate
            err = converted
        # an outage: connecting again later is what succeeds (a socket error has no errno)
        err.retry_safe = info.errno in family_errors.CONNECT_TRANSIENT or (
            info.errno is None and isinstance(exc, (ConnectionError, TimeoutError))
        )
        return err

    def _raise_connect_error(
        self, exc: Exception, deadline: float, interrupted: bool = False
    ) -> NoReturn:
        """Raise what a connect that failed with ``exc`` means (see ``_connect_error``)."""
        err = self._connect_error(exc, deadline, interrupted)
        if err is None:
            raise exc
        raise err from exc

    def _give_up_connect(
        self, exc: BaseException, deadline: float, interrupted: bool = False
    ) -> NoReturn:
        """A connect failed half set up (even on Ctrl-C or cancellation): its connection is
        never kept and always closed; then raise what the failure means."""
        self._abandon_connection()
        if not isinstance(exc, Exception):
            raise exc
        self._raise_connect_error(exc, deadline, interrupted)

    def _connect_deadline(self) -> float:
        """When a connect starting now must have finished (``time.monotonic()``)."""
        return time.monotonic() + self.config.connect_timeout

    def _connect_timed_out(self) -> family_errors.ConnectTimeout:
        return family_errors.ConnectTimeout(
            f"could not connect to {self.config.host}:{self.config.port} within "
            f"connect_timeout={self.config.connect_timeout:g}s; the connection was closed"
        )
