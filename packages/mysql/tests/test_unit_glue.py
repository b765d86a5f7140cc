"""The mysql-connector glue (no database server): how a connection the backend gives up on is
closed, and how the connect timeout reaches the driver and its timeouts come back."""

import time

import pytest
from family_contract.silent import SilentServer, call_with_limit
from mysql.connector import errors as driver_errors

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.impl.mysql import AsyncMySQLBackend, MySQLBackend, driver
from rhosocial.activerecord.backend.impl.mysql import errors as fe


class PureConnection:
    """mysql-connector's pure-Python connection: shutdown() closes the socket, no QUIT."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def shutdown(self):
        self.calls.append("shutdown")

    def close(self):
        self.calls.append("close")


class CExtConnection(PureConnection):
    """The C extension's connection: shutdown() is not implemented there."""

    def shutdown(self):
        raise NotImplementedError


def test_a_connection_given_up_on_is_closed_without_waiting_for_the_server():
    backend = MySQLBackend()
    for conn, expected in ((PureConnection(), ["shutdown"]), (CExtConnection(), ["close"])):
        backend._connection = conn
        backend._abandon_connection()
        assert backend._connection is None and conn.calls == expected


def test_a_sub_second_connect_timeout_is_honoured_by_the_driver():
    """Against a server that accepts and never greets, 0.3 s means 0.3 s (it meant "wait
    forever": ``int(0.3) or None``), raised as ``ConnectTimeout`` naming host:port and the
    timeout; the socket it opened is closed."""
    with SilentServer() as server:
        backend = MySQLBackend(
            host="127.0.0.1", port=server.port, connect_timeout=0.3, use_pure=True
        )
        outcome = call_with_limit(backend.connect, 5)
        assert outcome is not None, "connect_timeout=0.3 did not stop the connect"
        error, took = outcome
        assert isinstance(error, fe.ConnectTimeout) and isinstance(error, core.ConnectionError)
        assert str(error) == (
            f"could not connect to 127.0.0.1:{server.port} within connect_timeout=0.3s; "
            "the connection was closed"
        )
        assert 0.3 <= took < 1.5, took
        assert server.clients_closed() and backend._connection is None


def test_the_drivers_own_timeouts_are_the_connect_timeout_once_it_has_passed():
    """mysql-connector reports its timeouts with errno 3024 (the server's max_execution_time
    errno) or 2003: by class, not errno, they are ``ConnectTimeout`` once the deadline has
    passed, and an ordinary ``ConnectFailed`` (never a ``StatementTimeout``) before."""
    backend = MySQLBackend(connect_timeout=2)
    timeouts = (
        driver_errors.ConnectionTimeoutError(errno=3024, msg="The Read Operation timed out"),
        driver_errors.ReadTimeoutError(errno=3024),
        driver_errors.ConnectionTimeoutError(errno=2003, msg="Can't connect (timed out)"),
    )
    for exc in timeouts:
        assert type(backend._connect_error(exc, time.monotonic() - 0.01)) is fe.ConnectTimeout
        assert type(backend._connect_error(exc, time.monotonic() + 60)) is fe.ConnectFailed
    server_said = driver_errors.DatabaseError(
        errno=3024, sqlstate="HY000", msg="Query execution was interrupted"
    )
    assert type(backend._connect_error(server_said, time.monotonic() - 0.01)) is fe.ConnectFailed


def test_fractional_connect_timeouts_reach_pure_python_and_are_refused_for_the_c_extension():
    """The C extension takes whole seconds only (libmysqlclient): a fraction is refused when
    the backend is built, never rounded down to "no timeout"; pure Python gets it as it is."""
    kwargs = driver.connect_kwargs(MySQLBackend(connect_timeout=0.5, use_pure=True).config)
    assert kwargs["connection_timeout"] == 0.5
    async_kwargs = driver.connect_kwargs(
        AsyncMySQLBackend(connect_timeout=0.5).config, for_async=True
    )
    assert async_kwargs["connection_timeout"] == 0.5
    with pytest.raises(ValueError) as info:
        MySQLBackend(connect_timeout=0.5, use_pure=False)
    assert str(info.value) == (
        "connect_timeout=0.5: mysql-connector's C extension takes whole seconds only; "
        "give whole seconds, or use_pure=True (pure Python honours fractions)"
    )
    assert (
        driver.connect_kwargs(MySQLBackend(connect_timeout=2.0, use_pure=False).config)[
            "connection_timeout"
        ]
        == 2
    )
    AsyncMySQLBackend(connect_timeout=0.5, use_pure=False)  # asyncio is always pure Python
