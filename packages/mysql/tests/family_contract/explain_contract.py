"""Real-server contract of the family's typed ``explain()`` (sync and async, one body each).

A package test module does::

    class TestExplain(SyncExplainContract): ...
    class TestAsyncExplain(AsyncExplainContract): ...

with the ``backend_classes``, ``backend_factory`` and ``server_kwargs`` fixtures of
``testing.fixtures``. Each check is written once as a coroutine; ``done()`` awaits what the
async backend returns and passes the sync backend's values through.
"""

from __future__ import annotations

import asyncio
import inspect
import os
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import pytest

from rhosocial.activerecord.backend.dialect.exceptions import UnsupportedFeatureError
from rhosocial.activerecord.backend.expression import RawSQLExpression
from rhosocial.activerecord.backend.expression.core import Literal
from rhosocial.activerecord.backend.expression.statements import (
    DeleteExpression,
    ExplainFormat,
    ExplainOptions,
    InsertExpression,
    UpdateExpression,
    ValuesSource,
)
from rhosocial.activerecord.backend.impl.mysql.explain import (
    MariaDBExplainAnalyzeResult,
    MariaDBExplainJsonResult,
    MariaDBExplainResult,
    MySQLExplainResult,
)
from rhosocial.activerecord.base.field_proxy import FieldProxy
from rhosocial.activerecord.model import ActiveRecord, AsyncActiveRecord

ANALYZE = ExplainOptions(analyze=True)
ANALYZE_JSON = ExplainOptions(analyze=True, format=ExplainFormat.JSON)


async def done(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def _model(base: type, table: str, backend: Any = None) -> Any:  # a model class built here
    class Book(base):  # type: ignore[misc]  # base is ActiveRecord or AsyncActiveRecord, chosen at run time
        __table_name__ = table
        c: ClassVar[FieldProxy] = FieldProxy()
        id: int | None = None
        title: str
        pages: int

    if backend is not None:  # the backend under test builds the model's queries
        Book.__backend__ = backend
    return Book


class _Setup:
    """One InnoDB table with rows, a model on it, and the backend the model uses."""

    def __init__(self, admin: Any, tag: str, engine: str = "InnoDB") -> None:
        self.admin, self.table = admin, f"ex_{tag}_{os.getpid()}"
        admin.execute(f"DROP TABLE IF EXISTS {self.table}")
        admin.execute(
            f"CREATE TABLE {self.table} (id INT AUTO_INCREMENT PRIMARY KEY, "
            f"title VARCHAR(40) NOT NULL, pages INT NOT NULL, KEY {self.table}_pages (pages)) "
            f"ENGINE={engine}"
        )
        for n in range(1, 21):
            admin.execute(
                f"INSERT INTO {self.table} (title, pages) VALUES (%s, %s)", (f"b{n}", n * 10)
            )

    def rows(self) -> list[dict[str, Any]]:
        sql = f"SELECT id, title, pages FROM {self.table} ORDER BY id"
        return list(self.admin.execute(sql).data)

    def drop(self) -> None:
        self.admin.execute(f"DROP TABLE IF EXISTS {self.table}")


def _writes(backend: Any, model: Any) -> dict[str, Any]:
    """An ORM-built DELETE, UPDATE and INSERT on the model's table (what ``delete_all``,
    ``update_all`` and ``save`` would send), as core expressions."""
    dialect, table = backend.dialect, model.table_name()
    where = model.query().where(model.c.pages <= 100).where_clause
    return {
        "delete": DeleteExpression(dialect, table, where=where),
        "update": UpdateExpression(
            dialect, table, {"title": Literal(dialect, "changed")}, where=where
        ),
        "insert": InsertExpression(
            dialect,
            table,
            ValuesSource(dialect, [[Literal(dialect, "new"), Literal(dialect, 999)]]),
            columns=["title", "pages"],
        ),
    }


async def check_orm_query_explained(
    model_base: type, backend_class: Any, admin: Any, server_kwargs: Any
) -> None:
    setup = _Setup(admin, "q" + backend_class.__name__[:3].lower())
    book = _model(model_base, setup.table)
    await done(book.configure(backend_class.config_class(**server_kwargs()), backend_class))
    backend = book.backend()
    try:
        mariadb = backend.dialect.features.is_mariadb
        query = book.query().where(book.c.pages > 150).order_by(book.c.pages)

        plain = await done(backend.explain(query))
        assert isinstance(plain, MariaDBExplainResult if mariadb else MySQLExplainResult)
        assert [row.table for row in plain.rows] == [setup.table]
        assert plain.rows[0].key == f"{setup.table}_pages" and plain.is_index_used
        assert not plain.analyze and plain.sql.startswith("EXPLAIN SELECT")

        as_json = await done(backend.explain(query, ExplainOptions(format=ExplainFormat.JSON)))
        if mariadb:
            assert isinstance(as_json, MariaDBExplainJsonResult)
        assert [t.table_name for t in as_json.tables] == [setup.table]
        assert as_json.tables[0].access_type == "range" and as_json.tables[0].rows

        if mariadb:
            analyzed = await done(backend.explain(query, ANALYZE))
            assert isinstance(analyzed, MariaDBExplainAnalyzeResult)
            assert analyzed.rows[0].r_rows == 5.0  # pages 160..200 really read
            analyzed_json = await done(backend.explain(query, ANALYZE_JSON))
            (table,) = analyzed_json.tables
            assert table.r_rows == 5 and table.r_loops == 1
            assert analyzed_json.r_total_time_ms is not None
        elif backend.dialect.features.explain_analyze:
            analyzed = await done(backend.explain(query, ANALYZE))
            assert analyzed.tree and analyzed.tree[0].actual_loops == 1
        assert not backend.in_transaction
        # the core's ORM path (1.0.0.dev29) is untyped: fetch_all's plain rows
        raw = await done(book.query().where(book.c.pages > 150).explain().aggregate())
        assert isinstance(raw, list) and isinstance(raw[0], dict) and raw[0]["table"] == setup.table
    finally:
        await done(backend.disconnect())
        setup.drop()


async def check_analyzed_writes_change_nothing(
    backend: Any, admin: Any, inside_transaction: bool
) -> None:
    setup = _Setup(admin, ("w" if inside_transaction else "o") + type(backend).__name__[:3])
    book = _model(ActiveRecord, setup.table, backend)
    try:
        before = setup.rows()
        mariadb = backend.dialect.features.is_mariadb
        options = ANALYZE_JSON if mariadb else ANALYZE
        if inside_transaction:
            await done(backend.begin_transaction())
            sql = f"INSERT INTO {setup.table} (title, pages) VALUES (%s, %s)"
            await done(backend.execute(sql, ("mine", 500)))  # matches none of the writes
        for kind, statement in _writes(backend, book).items():
            if not mariadb:  # MySQL analyzes no INSERT and no single-table UPDATE/DELETE
                with pytest.raises(UnsupportedFeatureError, match="single-table"):
                    await done(backend.explain(statement, options))
                continue
            result = await done(backend.explain(statement, options))
            assert result.analyze, kind
            if mariadb:
                # the rows the statement really matched (pages <= 100): read, then filtered
                hit = [
                    round(t.r_rows * (t.r_filtered or 100.0) / 100, 6)
                    for t in result.tables
                    if t.r_rows
                ]
                assert kind == "insert" or hit == [10.0], (kind, result)
            assert backend.in_transaction == inside_transaction, kind
        if inside_transaction:
            # the caller's own write is still there, the explained ones are gone
            sql = f"SELECT title FROM {setup.table} WHERE title IN (%s, %s, %s) ORDER BY title"
            seen = await done(backend.fetch_all(sql, ("mine", "new", "changed")))
            assert seen == [{"title": "mine"}]
            await done(backend.rollback_transaction())
        assert setup.rows() == before
    finally:
        if backend.in_transaction:  # a failed check: the table's metadata lock must go first
            await done(backend.rollback_transaction())
        setup.drop()


async def check_non_transactional_engines_are_refused(backend: Any, admin: Any) -> None:
    mariadb = backend.dialect.features.is_mariadb
    engines = ["MyISAM"] + (["Aria"] if mariadb else [])
    for engine in engines:
        setup = _Setup(admin, engine.lower() + type(backend).__name__[:3], engine=engine)
        book = _model(ActiveRecord, setup.table, backend)
        try:
            before = setup.rows()
            refusal = rf"\({engine}\) cannot roll" if engine == "Aria" or mariadb else "single"
            for kind, statement in _writes(backend, book).items():
                with pytest.raises(UnsupportedFeatureError, match=refusal):
                    await done(backend.explain(statement, ANALYZE))
                plain = await done(backend.explain(statement))  # without ANALYZE: fine
                assert plain.rows, kind
            assert setup.rows() == before
            # reads of such a table may still be analyzed: nothing is written
            if backend.dialect.features.is_mariadb:
                query = book.query().where(book.c.pages > 150)
                assert (await done(backend.explain(query, ANALYZE))).rows[0].r_rows == 5
        finally:
            setup.drop()


async def check_auto_increment_still_advances(backend: Any, admin: Any) -> None:
    """What the README says: the rollback undoes rows, not the AUTO_INCREMENT counter."""
    setup = _Setup(admin, "ai" + type(backend).__name__[:3])
    book = _model(ActiveRecord, setup.table, backend)
    try:
        insert = _writes(backend, book)["insert"]
        if not backend.dialect.features.is_mariadb:
            with pytest.raises(UnsupportedFeatureError, match="single-table"):
                await done(backend.explain(insert, ANALYZE))
            return
        await done(backend.explain(insert, ANALYZE))
        admin.execute(f"INSERT INTO {setup.table} (title, pages) VALUES (%s, %s)", ("real", 7))
        sql = f"SELECT id FROM {setup.table} WHERE title = %s"
        assert admin.execute(sql, ("real",)).data == [{"id": 22}]  # 21: the rolled-back one
    finally:
        setup.drop()


async def check_raw_writes_cannot_be_analyzed(backend: Any, admin: Any) -> None:
    setup = _Setup(admin, "raw" + type(backend).__name__[:3])
    try:
        raw = RawSQLExpression(backend.dialect, f"DELETE FROM {setup.table} WHERE id < %s", (5,))
        with pytest.raises(UnsupportedFeatureError, match="raw writing statement"):
            await done(backend.explain(raw, ANALYZE))
        assert len(setup.rows()) == 20
    finally:
        setup.drop()


class _Fixtures:
    @pytest.fixture
    def admin(self, backend_factory: Any) -> Any:
        return backend_factory()


class SyncExplainContract(_Fixtures):
    @pytest.fixture
    def backend(self, backend_factory: Any) -> Any:
        return backend_factory()

    def test_orm_query_explained_with_and_without_analyze(
        self, backend_classes: Any, admin: Any, server_kwargs: Any
    ) -> None:
        asyncio.run(
            check_orm_query_explained(ActiveRecord, backend_classes[0], admin, server_kwargs)
        )

    @pytest.mark.parametrize("inside_transaction", [False, True], ids=["autocommit", "in_tx"])
    def test_analyzed_delete_update_insert_change_nothing(
        self, backend: Any, admin: Any, inside_transaction: Any
    ) -> None:
        asyncio.run(check_analyzed_writes_change_nothing(backend, admin, inside_transaction))

    def test_analyze_refused_on_non_transactional_engines(self, backend: Any, admin: Any) -> None:
        asyncio.run(check_non_transactional_engines_are_refused(backend, admin))

    def test_auto_increment_still_advances(self, backend: Any, admin: Any) -> None:
        asyncio.run(check_auto_increment_still_advances(backend, admin))

    def test_raw_writing_statement_is_not_analyzed(self, backend: Any, admin: Any) -> None:
        asyncio.run(check_raw_writes_cannot_be_analyzed(backend, admin))


class AsyncExplainContract(_Fixtures):
    @pytest.fixture
    async def abackend(self, async_backend_factory: Any) -> AsyncIterator[Any]:
        backend = await async_backend_factory()
        yield backend
        await backend.disconnect()

    async def test_orm_query_explained_with_and_without_analyze(
        self, backend_classes: Any, admin: Any, server_kwargs: Any
    ) -> None:
        await check_orm_query_explained(AsyncActiveRecord, backend_classes[1], admin, server_kwargs)

    @pytest.mark.parametrize("inside_transaction", [False, True], ids=["autocommit", "in_tx"])
    async def test_analyzed_delete_update_insert_change_nothing(
        self, abackend: Any, admin: Any, inside_transaction: Any
    ) -> None:
        await check_analyzed_writes_change_nothing(abackend, admin, inside_transaction)

    async def test_analyze_refused_on_non_transactional_engines(
        self, abackend: Any, admin: Any
    ) -> None:
        await check_non_transactional_engines_are_refused(abackend, admin)

    async def test_auto_increment_still_advances(self, abackend: Any, admin: Any) -> None:
        await check_auto_increment_still_advances(abackend, admin)

    async def test_raw_writing_statement_is_not_analyzed(self, abackend: Any, admin: Any) -> None:
        await check_raw_writes_cannot_be_analyzed(abackend, admin)
