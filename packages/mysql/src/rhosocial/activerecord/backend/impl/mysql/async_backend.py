"""Async MySQL backend on ``mysql.connector.aio``."""

from __future__ import annotations

from typing import Any

import mysql.connector.aio

from . import driver
from .backend import _config_kwargs, _rest
from .backend_base import FamilyAsyncBackend
from .config import MySQLConnectionConfig
from .dialect import MySQLDialect
from .errors import ErrorInfo


class AsyncMySQLBackend(FamilyAsyncBackend):
    """MySQL/MariaDB through mysql-connector-python's asyncio API (pure Python)."""

    dialect_class = MySQLDialect
    percent_needs_escape = False
    driver_name = "mysql-connector-python (asyncio)"

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("connection_config") is None:
            kwargs = {"connection_config": MySQLConnectionConfig(**_config_kwargs(kwargs)), **_rest(kwargs)}
        super().__init__(**kwargs)

    @property
    def driver_mode(self) -> str:
        return "pure Python (asyncio)"

    async def _driver_connect(self) -> Any:
        return await mysql.connector.aio.connect(**driver.connect_kwargs(self.config, for_async=True))

    def _error_info(self, exc: BaseException) -> ErrorInfo | None:
        return driver.error_info(exc)

    def _close_dead(self, conn: Any) -> None:
        # aio's close() is a coroutine that talks to the server; a dead socket only needs
        # its transport dropped.
        writer = getattr(getattr(conn, "_socket", None), "_writer", None)
        if writer is not None:
            writer.close()
