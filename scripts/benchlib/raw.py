"""Raw driver baselines: what a careful user of the driver alone would write.

Autocommit, tuple rows, bound parameters, one reused cursor. psycopg, mysql-connector, PyMySQL,
aiomysql and sqlite3 all speak DB-API (or its asyncio twin), so one class per mode covers them;
the per-driver part is the ``connect`` callable and the bulk-insert paths (``BULK_PATHS``).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from .data import Tables


def _multirow_sql(tables: Tables, n: int) -> str:
    one = "(" + ", ".join([tables.ph] * 4) + ")"
    head = tables.insert.split(" VALUES ", 1)[0]
    return f"{head} VALUES " + ", ".join([one] * n)


def _flat(rows: list[tuple]) -> list[Any]:
    return [v for row in rows for v in row]


# Each bulk path does the same work: 10,000 rows in one INSERT form with bound parameters.
# Multi-row chunks stay far below PostgreSQL's 65,535 bound parameters (4 per row).
MULTIROW_CHUNK = 5_000


def bulk_executemany(cur, tables: Tables, rows: list[tuple]) -> None:
    cur.executemany(tables.insert, rows)


def bulk_multirow(cur, tables: Tables, rows: list[tuple]) -> None:
    for i in range(0, len(rows), MULTIROW_CHUNK):
        chunk = rows[i : i + MULTIROW_CHUNK]
        cur.execute(_multirow_sql(tables, len(chunk)), _flat(chunk))


async def abulk_executemany(cur, tables: Tables, rows: list[tuple]) -> None:
    await cur.executemany(tables.insert, rows)


async def abulk_multirow(cur, tables: Tables, rows: list[tuple]) -> None:
    for i in range(0, len(rows), MULTIROW_CHUNK):
        chunk = rows[i : i + MULTIROW_CHUNK]
        await cur.execute(_multirow_sql(tables, len(chunk)), _flat(chunk))


BULK_PATHS = {
    "executemany": (bulk_executemany, abulk_executemany),
    "multirow": (bulk_multirow, abulk_multirow),
}


class RawSync:
    """A raw DB-API connection with the four workload operations."""

    def __init__(
        self, label: str, connect: Callable[[], Any], tables: Tables, bulk: str = "executemany"
    ):
        self.label, self._connect, self.tables, self.bulk = label, connect, tables, bulk
        self.conn: Any = None
        self.cur: Any = None

    def open(self) -> None:
        self.conn = self._connect()
        self.cur = self.conn.cursor()

    def close(self) -> None:
        if self.conn is not None:
            self.cur.close()
            self.conn.close()
            self.conn = None

    def insert_one(self, row: tuple) -> None:
        self.cur.execute(self.tables.insert, row)

    def find_by_pk(self, pk: int) -> tuple:
        self.cur.execute(self.tables.by_pk, (pk,))
        return self.cur.fetchall()[0]

    def query_page(self, min_qty: int, limit: int) -> list:
        self.cur.execute(self.tables.page, (min_qty, limit))
        return self.cur.fetchall()

    def insert_many(self, rows: list[tuple]) -> None:
        BULK_PATHS[self.bulk][0](self.cur, self.tables, rows)

    # Administration (untimed): DDL, seeding, emptying the write table.
    def run(self, sql: str, params: tuple | None = None) -> list:
        self.cur.execute(sql, params) if params else self.cur.execute(sql)
        return self.cur.fetchall() if self.cur.description else []

    def seed(self, rows: list[tuple]) -> None:
        self.cur.executemany(self.tables.seed, rows)


class RawAsync:
    """The asyncio twin of ``RawSync`` (psycopg AsyncConnection, mysql.connector.aio, aiomysql)."""

    def __init__(
        self,
        label: str,
        connect: Callable[[], Awaitable[Any]],
        tables: Tables,
        bulk: str = "executemany",
    ):
        self.label, self._connect, self.tables, self.bulk = label, connect, tables, bulk
        self.conn: Any = None
        self.cur: Any = None

    async def open(self) -> None:
        self.conn = await self._connect()
        cur = self.conn.cursor()  # psycopg: plain call; mysql.connector.aio/aiomysql: awaitable
        self.cur = await cur if inspect.isawaitable(cur) else cur

    async def close(self) -> None:
        if self.conn is not None:
            for obj in (self.cur, self.conn):
                res = obj.close()
                if inspect.isawaitable(res):
                    await res
            self.conn = None

    async def insert_one(self, row: tuple) -> None:
        await self.cur.execute(self.tables.insert, row)

    async def find_by_pk(self, pk: int) -> tuple:
        await self.cur.execute(self.tables.by_pk, (pk,))
        return (await self.cur.fetchall())[0]

    async def query_page(self, min_qty: int, limit: int) -> list:
        await self.cur.execute(self.tables.page, (min_qty, limit))
        return await self.cur.fetchall()

    async def insert_many(self, rows: list[tuple]) -> None:
        await BULK_PATHS[self.bulk][1](self.cur, self.tables, rows)
