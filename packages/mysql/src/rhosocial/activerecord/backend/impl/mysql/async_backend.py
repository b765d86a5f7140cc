"""Async MySQL backend on ``mysql.connector.aio``."""

from __future__ import annotations

from typing import Any

from mysql.connector.aio.connection import MySQLConnection

from . import driver
from .async_backend_base import FamilyAsyncBackend
from .glue import MySQLConnectorGlue


class AsyncMySQLBackend(MySQLConnectorGlue, FamilyAsyncBackend):  # type: ignore[misc]  # the core types config as ConnectionConfig; the glue narrows it
    """MySQL/MariaDB through mysql-connector-python's asyncio API (always pure Python)."""

    driver_name = "mysql-connector-python (asyncio)"
    driver_mode = "pure Python (asyncio)"

    async def _driver_connect(self) -> Any:
        kwargs = driver.connect_kwargs(self.config, for_async=True)
        # mysql.connector.aio (26.x) rejects ssl_ca without a client certificate ("ssl_key and
        # ssl_cert need to be both specified"), although only the sync API documents that rule
        # for client certificates. Give it the CA after its constructor checked the options.
        ca = kwargs.pop("ssl_ca", None) if "ssl_cert" not in kwargs else None
        conn = MySQLConnection(**kwargs)
        if ca is not None:
            conn._ssl_ca = ca
        try:
            return await self._handshake(conn, conn.connect())
        except TypeError as exc:
            # Asked for TLS by a server that offers none, mysql.connector.aio carries on in
            # plain text and then fails unpacking the cipher of the unencrypted stream.
            writer = getattr(getattr(conn, "_socket", None), "_writer", None)
            if (
                self.config.tls_enabled
                and writer is not None
                and writer.get_extra_info("cipher") is None
            ):
                raise self._tls_not_established() from exc
            raise

    def _close_dead(self, conn: Any) -> None:
        # aio's close() is a coroutine that talks to the server; a dead socket only needs
        # its transport dropped.
        writer = getattr(getattr(conn, "_socket", None), "_writer", None)
        if writer is not None:
            writer.close()
