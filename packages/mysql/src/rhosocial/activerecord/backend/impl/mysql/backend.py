"""Sync MySQL backend on mysql-connector-python."""

from __future__ import annotations

from typing import Any

import mysql.connector

from . import driver
from .backend_base import FamilySyncBackend
from .config import MySQLConnectionConfig
from .dialect import MySQLDialect
from .errors import ErrorInfo


class MySQLBackend(FamilySyncBackend):
    """MySQL/MariaDB through mysql-connector-python (C extension when it loads)."""

    dialect_class = MySQLDialect
    percent_needs_escape = False
    driver_name = "mysql-connector-python"

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("connection_config") is None:
            kwargs = {"connection_config": MySQLConnectionConfig(**_config_kwargs(kwargs)), **_rest(kwargs)}
        super().__init__(**kwargs)

    @property
    def driver_mode(self) -> str:
        return driver.driver_mode(self.config)

    def _driver_connect(self) -> Any:
        return mysql.connector.connect(**driver.connect_kwargs(self.config))

    def _error_info(self, exc: BaseException) -> ErrorInfo | None:
        return driver.error_info(exc)


_BACKEND_KWARGS = ("logging_config", "logger")


def _config_kwargs(kwargs: dict) -> dict:
    return {k: v for k, v in kwargs.items() if k not in _BACKEND_KWARGS and k != "connection_config"}


def _rest(kwargs: dict) -> dict:
    return {k: v for k, v in kwargs.items() if k in _BACKEND_KWARGS}
