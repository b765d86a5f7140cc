"""The two sides measured against the raw driver: the backend API and an ActiveRecord model.

Both take the same rows and run the same SQL as the raw side (the backend with its dialect's
placeholder); the model side builds its SQL through the ORM.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rhosocial.activerecord.backend.options import ExecutionOptions
from rhosocial.activerecord.backend.schema import StatementType
from rhosocial.activerecord.model import ActiveRecord, AsyncActiveRecord

from .data import Tables

_DML = ExecutionOptions(stmt_type=StatementType.DML)
FIELDS = ("name", "qty", "score", "created_at")


class BackendSync:
    """``execute`` / ``fetch_one`` / ``fetch_all`` / ``execute_many`` of a sync backend."""

    label = "backend"

    def __init__(self, backend_cls: type, config: Any, tables: Tables):
        self._cls, self._config, self._tables = backend_cls, config, tables
        self.backend: Any = None

    def open(self) -> None:
        self.backend = self._cls(connection_config=self._config)
        self.backend.connect()
        self.backend.introspect_and_adapt()
        t = self._tables
        self.sql = Tables(
            t.family, self.backend.dialect.get_parameter_placeholder(), t.read, t.write
        )

    def close(self) -> None:
        self.backend.disconnect()

    def insert_one(self, row: tuple) -> None:
        self.backend.execute(self.sql.insert, row, options=_DML)

    def find_by_pk(self, pk: int) -> Any:
        return self.backend.fetch_one(self.sql.by_pk, (pk,))

    def query_page(self, min_qty: int, limit: int) -> list:
        return self.backend.fetch_all(self.sql.page, (min_qty, limit))

    def insert_many(self, rows: list[tuple]) -> None:
        self.backend.execute_many(self.sql.insert, rows)


class BackendAsync(BackendSync):
    """The same calls on the async backend (only the awaits differ)."""

    async def open(self) -> None:  # type: ignore[override]
        self.backend = self._cls(connection_config=self._config)
        await self.backend.connect()
        await self.backend.introspect_and_adapt()
        t = self._tables
        self.sql = Tables(
            t.family, self.backend.dialect.get_parameter_placeholder(), t.read, t.write
        )

    async def close(self) -> None:  # type: ignore[override]
        await self.backend.disconnect()

    async def insert_one(self, row: tuple) -> None:  # type: ignore[override]
        await self.backend.execute(self.sql.insert, row, options=_DML)

    async def find_by_pk(self, pk: int) -> Any:  # type: ignore[override]
        return await self.backend.fetch_one(self.sql.by_pk, (pk,))

    async def query_page(self, min_qty: int, limit: int) -> list:  # type: ignore[override]
        return await self.backend.fetch_all(self.sql.page, (min_qty, limit))

    async def insert_many(self, rows: list[tuple]) -> None:  # type: ignore[override]
        await self.backend.execute_many(self.sql.insert, rows)


def _model(base: type, table: str) -> type:
    """A bench model on ``table``; built per run because the table name carries the pid."""

    class BenchRow(base):  # type: ignore[valid-type, misc]
        id: int | None = None
        name: str
        qty: int
        score: float
        created_at: datetime

    BenchRow.__table_name__ = table
    return BenchRow


class ModelSync:
    """save / find_one / query().where().order_by().limit().all() / bulk_create."""

    label = "model"
    base: type = ActiveRecord

    def __init__(self, backend_cls: type, config: Any, tables: Tables):
        self._cls, self._config = backend_cls, config
        self.read = _model(self.base, tables.read)
        self.write = _model(self.base, tables.write)

    def open(self) -> None:
        self.read.configure(self._config, self._cls)
        self.write.configure(self._config, self._cls)

    def close(self) -> None:
        self.read.backend().disconnect()
        self.write.backend().disconnect()

    def _new(self, row: tuple) -> Any:
        return self.write(**dict(zip(FIELDS, row, strict=True)))

    def insert_one(self, row: tuple) -> None:
        self._new(row).save()

    def find_by_pk(self, pk: int) -> Any:
        return self.read.find_one(pk)

    def query_page(self, min_qty: int, limit: int) -> list:
        return self.read.query().where("qty >= ?", (min_qty,)).order_by("id").limit(limit).all()

    def insert_many(self, rows: list[tuple]) -> None:
        # Building the instances is part of what a user pays for a model bulk insert.
        self.write.bulk_create([self._new(row) for row in rows])


class ModelAsync(ModelSync):
    base = AsyncActiveRecord

    async def open(self) -> None:  # type: ignore[override]
        await self.read.configure(self._config, self._cls)
        await self.write.configure(self._config, self._cls)

    async def close(self) -> None:  # type: ignore[override]
        await self.read.backend().disconnect()
        await self.write.backend().disconnect()

    async def insert_one(self, row: tuple) -> None:  # type: ignore[override]
        await self._new(row).save()

    async def find_by_pk(self, pk: int) -> Any:  # type: ignore[override]
        return await self.read.find_one(pk)

    async def query_page(self, min_qty: int, limit: int) -> list:  # type: ignore[override]
        q = self.read.query().where("qty >= ?", (min_qty,)).order_by("id").limit(limit)
        return await q.all()

    async def insert_many(self, rows: list[tuple]) -> None:  # type: ignore[override]
        await self.write.bulk_create([self._new(row) for row in rows])
