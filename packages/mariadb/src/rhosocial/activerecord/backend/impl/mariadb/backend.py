"""Sync MariaDB backend on PyMySQL."""

from __future__ import annotations

import socket
from typing import Any

import pymysql

from rhosocial.activerecord.backend.impl.mysql.backend_base import FamilySyncBackend
from rhosocial.activerecord.backend.impl.mysql.errors import ErrorInfo

from . import driver
from .config import MariaDBConnectionConfig
from .dialect import MariaDBDialect


class MariaDBBackend(FamilySyncBackend):
    """MariaDB (and MySQL) through PyMySQL."""

    config_class = MariaDBConnectionConfig
    config: MariaDBConnectionConfig  # built from config_class (see _config_kwargs)
    dialect_class = MariaDBDialect
    driver_name = "PyMySQL"
    driver_mode = "pure Python"

    def _driver_connection(self) -> Any:
        return pymysql.connect(**driver.connect_kwargs(self.config), defer_connect=True)

    def _driver_open(self, conn: Any) -> None:
        conn.connect()

    def _socket_of(self, conn: Any) -> socket.socket | None:
        sock: socket.socket | None = conn._sock  # set once TCP is up, replaced when TLS starts
        return sock

    def _error_info(self, exc: BaseException) -> ErrorInfo | None:
        return driver.error_info(exc)

    def _close_dead(self, conn: Any) -> None:
        conn._force_close()  # PyMySQL's close without a QUIT packet (also its __del__)
