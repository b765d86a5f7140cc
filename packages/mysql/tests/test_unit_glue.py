"""The mysql-connector glue (no server): how a connection the backend gives up on is closed."""

from rhosocial.activerecord.backend.impl.mysql import MySQLBackend


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
