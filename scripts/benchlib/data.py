"""The bench tables and the rows written to them.

Two tables per run, suffixed with the process id so parallel runs and the test suite never
collide: a read table seeded once (primary-key lookups, the 100-row query) and a write table
emptied before each 10,000-row sample.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property

SEED_ROWS = 1_000
BULK_ROWS = 10_000
QUERY_MIN_QTY = 10  # ~90% of seeded rows match; the query returns the first 100 by id
QUERY_LIMIT = 100

_COLUMNS = {
    "postgres": (
        "id BIGSERIAL PRIMARY KEY, name VARCHAR(64) NOT NULL, qty INTEGER NOT NULL, "
        "score DOUBLE PRECISION NOT NULL, created_at TIMESTAMPTZ NOT NULL"
    ),
    "mysql": (
        "id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NOT NULL, qty INT NOT NULL, "
        "score DOUBLE NOT NULL, created_at DATETIME(6) NOT NULL"
    ),
    "sqlite": (
        "id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, qty INTEGER NOT NULL, "
        "score REAL NOT NULL, created_at TEXT NOT NULL"
    ),
}


@dataclass(frozen=True)
class Tables:
    """Names and SQL of one run. ``ph`` is the driver's placeholder (``%s`` or ``?``).

    The statements are built once: psycopg keeps a cursor's loaders only while the *same*
    query object is executed again, so a new string per call would cost the raw side
    tens of microseconds per statement that a careful driver user does not pay.
    """

    family: str
    ph: str
    read: str
    write: str

    @classmethod
    def for_run(cls, family: str, ph: str) -> Tables:
        pid = os.getpid()
        return cls(family, ph, f"bench_read_{pid}", f"bench_write_{pid}")

    def create(self, table: str) -> str:
        suffix = " ENGINE=InnoDB" if self.family == "mysql" else ""
        return f"CREATE TABLE {table} ({_COLUMNS[self.family]}){suffix}"

    def drop(self, table: str) -> str:
        return f"DROP TABLE IF EXISTS {table}"

    def empty(self, table: str) -> str:
        return f"DELETE FROM {table}" if self.family == "sqlite" else f"TRUNCATE TABLE {table}"

    @cached_property
    def insert(self) -> str:
        p = self.ph
        return (
            f"INSERT INTO {self.write} (name, qty, score, created_at) VALUES ({p}, {p}, {p}, {p})"
        )

    @cached_property
    def seed(self) -> str:
        return self.insert.replace(self.write, self.read, 1)

    @cached_property
    def by_pk(self) -> str:
        return f"SELECT * FROM {self.read} WHERE id = {self.ph}"

    @cached_property
    def page(self) -> str:
        p = self.ph
        return f"SELECT * FROM {self.read} WHERE qty >= {p} ORDER BY id LIMIT {p}"


def make_rows(n: int, aware: bool, start: int = 0) -> list[tuple]:
    """Rows of (name, qty, score, created_at); aware UTC datetimes where the column keeps a zone."""
    tz = timezone.utc if aware else None
    base = datetime(2024, 1, 1, 12, 0, 0, 123456, tzinfo=tz)
    return [
        (f"name-{i:06d}", i % 100, i * 0.5, base + timedelta(seconds=i))
        for i in range(start, start + n)
    ]
