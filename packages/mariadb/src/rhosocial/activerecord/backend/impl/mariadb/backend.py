"""Sync MariaDB backend on PyMySQL."""

from __future__ import annotations

from typing import Any

import pymysql

from rhosocial.activerecord.backend.impl.mysql.backend_base import FamilySyncBackend
from rhosocial.activerecord.backend.impl.mysql.errors import ErrorInfo

from . import driver
from .config import MariaDBConnectionConfig
from .dialect import MariaDBDialect


def config_from_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Accept ``connection_config=`` or plain config kwargs (the core passes either)."""
    if kwargs.get("connection_config") is not None:
        return kwargs
    backend_keys = {"logging_config", "logger"}
    config = {k: v for k, v in kwargs.items() if k not in backend_keys and k != "connection_config"}
    rest = {k: v for k, v in kwargs.items() if k in backend_keys}
    return {"connection_config": MariaDBConnectionConfig(**config), **rest}


class MariaDBBackend(FamilySyncBackend):
    """MariaDB (and MySQL) through PyMySQL."""

    dialect_class = MariaDBDialect
    driver_name = "PyMySQL"
    driver_mode = "pure Python"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**config_from_kwargs(kwargs))

    def _driver_connect(self) -> Any:
        return pymysql.connect(**driver.connect_kwargs(self.config))

    def _error_info(self, exc: BaseException) -> ErrorInfo | None:
        return driver.error_info(exc)
