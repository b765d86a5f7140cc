"""Sync MySQL backend on mysql-connector-python."""

from __future__ import annotations

import socket
from typing import Any

from . import driver
from .backend_base import FamilySyncBackend
from .glue import MySQLConnectorGlue


class MySQLBackend(MySQLConnectorGlue, FamilySyncBackend):  # type: ignore[misc]  # the core types config as ConnectionConfig; the glue narrows it
    """MySQL/MariaDB through mysql-connector-python (C extension when it loads)."""

    driver_name = "mysql-connector-python"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # refused when the backend is built, not at connect
        driver.socket_timeouts(self.config)
        if not driver.use_pure(self.config):
            driver.whole_seconds(self.config)

    @property
    def driver_mode(self) -> str:
        return driver.driver_mode(self.config)

    def _driver_connection(self) -> Any:
        return driver.connection_class(self.config)()

    def _driver_open(self, conn: Any) -> None:
        conn.connect(**driver.connect_kwargs(self.config))

    def _socket_of(self, conn: Any) -> socket.socket | None:
        # pure Python: the socket of its MySQLTCPSocket (a new one once TLS starts); the C
        # extension's socket lives inside libmysqlclient, whose own connect timeout applies
        return getattr(getattr(conn, "_socket", None), "sock", None)

    def _close_dead(self, conn: Any) -> None:
        try:
            conn.shutdown()  # pure Python: closes the socket without a QUIT packet
        except NotImplementedError:
            conn.close()  # the C extension has no shutdown(); mysql_close() only writes QUIT
