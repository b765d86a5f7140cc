"""Async MariaDB backend on aiomysql (asyncio streams + PyMySQL's protocol code).

Why aiomysql and not a thread per connection: it reuses PyMySQL's packet and conversion code
(so both backends bind and decode values identically) and never blocks the event loop. See
docs/decisions/0003-mariadb-async-driver.md.
"""

from __future__ import annotations

from typing import Any

import aiomysql  # type: ignore[import-untyped]  # aiomysql ships no type information

from rhosocial.activerecord.backend.impl.mysql.async_backend_base import FamilyAsyncBackend

from . import driver
from .glue import MariaDBGlue


class AsyncMariaDBBackend(MariaDBGlue, FamilyAsyncBackend):  # type: ignore[misc]  # the core types config as ConnectionConfig; the glue narrows it
    """MariaDB (and MySQL) through aiomysql."""

    driver_name = "aiomysql"
    driver_mode = "pure Python (asyncio)"

    async def _driver_connect(self) -> Any:
        conn = await aiomysql.connect(**driver.connect_kwargs(self.config, for_async=True))
        driver.patch_aiomysql_escape(conn)
        return conn

    def _close_dead(self, conn: Any) -> None:
        conn.close()  # aiomysql: synchronous, drops the transport without a QUIT packet
