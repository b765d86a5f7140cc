"""Typed explain() against every PostgreSQL matrix server of the scenario file (15, 16, 18
locally), sync and async: ORM queries with and without ANALYZE, analyzed writes that change
nothing (in and outside a user transaction), version-gated options on the real servers."""

from __future__ import annotations

import inspect
import uuid
from typing import Any, ClassVar

import pytest
from pg_support import config_for, find_server, scenario_servers

from rhosocial.activerecord.backend.dialect.exceptions import UnsupportedFeatureError
from rhosocial.activerecord.backend.errors import IntegrityError
from rhosocial.activerecord.backend.expression.core import Literal
from rhosocial.activerecord.backend.expression.statements import (
    DeleteExpression,
    ExplainFormat,
    ExplainOptions,
    InsertExpression,
    UpdateExpression,
    ValuesSource,
)
from rhosocial.activerecord.backend.impl.postgres import AsyncPostgresBackend, PostgresBackend
from rhosocial.activerecord.backend.impl.postgres.explain import PostgresExplainResult
from rhosocial.activerecord.base.field_proxy import FieldProxy
from rhosocial.activerecord.model import ActiveRecord, AsyncActiveRecord

SERVERS = [s for s in scenario_servers() if s.get("role") == "matrix"] or [find_server()]
JSON = ExplainFormat.JSON
ANALYZE_JSON = ExplainOptions(analyze=True, format=JSON)


async def done(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@pytest.fixture(params=SERVERS, ids=[s["name"] for s in SERVERS])
def pg(request):
    return request.param


@pytest.fixture(params=["sync", "async"])
async def env(request, pg):
    """(backend under test, a model on a fresh table with 20 rows, a sync admin backend)."""
    config = config_for(pg, application_name="ar-pg-explain")
    admin = PostgresBackend(connection_config=config)
    table = f"ex_{uuid.uuid4().hex[:10]}"
    admin.execute(
        f'CREATE TABLE "{table}" (id serial PRIMARY KEY, title text NOT NULL, pages int NOT NULL)'
    )
    admin.execute(f'CREATE INDEX "{table}_pages" ON "{table}" (pages)')
    admin.execute(
        f"INSERT INTO \"{table}\" (title, pages) SELECT 'b' || g, g * 10 "
        "FROM generate_series(1, 20) g"
    )
    admin.execute(f'ANALYZE "{table}"')
    base, backend_class = (
        (ActiveRecord, PostgresBackend)
        if request.param == "sync"
        else (AsyncActiveRecord, AsyncPostgresBackend)
    )

    class Book(base):
        __table_name__ = table
        c: ClassVar[FieldProxy] = FieldProxy()
        id: int | None = None
        title: str
        pages: int

    await done(Book.configure(config, backend_class))
    backend = Book.backend()
    yield backend, Book, admin
    if backend.in_transaction:  # a failed check: its locks must go before the DROP
        await done(backend.rollback_transaction())
    await done(backend.disconnect())
    admin.execute(f'DROP TABLE "{table}"')
    admin.disconnect()


def rows_of(admin, book) -> list[dict]:
    return admin.fetch_all(f'SELECT id, title, pages FROM "{book.table_name()}" ORDER BY id')


def writes(backend, book) -> dict:
    dialect, table = backend.dialect, book.table_name()
    where = book.query().where(book.c.pages <= 100).where_clause
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


async def test_orm_query_explained_with_and_without_analyze(env):
    backend, book, _admin = env
    query = book.query().where(book.c.pages > 150).order_by(book.c.pages)

    text = await done(backend.explain(query))
    assert isinstance(text, PostgresExplainResult) and text.format == "TEXT"
    assert text.plan is None and text.sql.startswith("EXPLAIN SELECT")
    assert any(book.table_name() in row.line for row in text.rows)

    plan = await done(backend.explain(query, ExplainOptions(format=JSON)))
    scans = [n for n in plan.nodes() if n.relation_name == book.table_name()]
    assert len(scans) == 1 and scans[0].plan_rows is not None and scans[0].total_cost > 0
    assert plan.plan.actual_rows is None and not plan.analyze

    analyzed = await done(
        backend.explain(query, ExplainOptions(analyze=True, buffers=True, format=JSON))
    )
    (scan,) = [n for n in analyzed.nodes() if n.relation_name == book.table_name()]
    assert scan.actual_rows == 5 and scan.actual_loops == 1  # pages 160..200
    assert scan.shared_hit_blocks is not None
    assert analyzed.execution_time is not None and analyzed.analyze
    assert not backend.in_transaction

    # the core's ORM path (1.0.0.dev29) is untyped: fetch_all's plain rows
    raw = await done(book.query().where(book.c.pages > 150).explain().aggregate())
    assert isinstance(raw, list) and isinstance(raw[0], dict) and "QUERY PLAN" in raw[0]


@pytest.mark.parametrize("inside_transaction", [False, True], ids=["autocommit", "in_tx"])
async def test_analyzed_delete_update_insert_change_nothing(env, inside_transaction):
    backend, book, admin = env
    before = rows_of(admin, book)
    if inside_transaction:
        await done(backend.begin_transaction())
        sql = f'INSERT INTO "{book.table_name()}" (title, pages) VALUES (%s, %s)'
        await done(backend.execute(sql, ("mine", 500)))  # matches none of the writes
    for kind, statement in writes(backend, book).items():
        result = await done(backend.explain(statement, ANALYZE_JSON))
        assert result.plan.node_type == "ModifyTable", kind
        assert result.plan.actual_rows == 0 and result.plan.plans, kind
        matched = 1 if kind == "insert" else 10
        assert result.plan.plans[0].actual_rows == matched, kind
        assert backend.in_transaction == inside_transaction, kind
    if inside_transaction:
        seen = await done(
            backend.fetch_all(
                f'SELECT title FROM "{book.table_name()}" WHERE title IN (%s, %s, %s)',
                ("mine", "new", "changed"),
            )
        )
        assert seen == [{"title": "mine"}]
        await done(backend.rollback_transaction())
    assert rows_of(admin, book) == before


async def test_a_failing_analyzed_statement_leaves_the_user_transaction_usable(env):
    """The explained INSERT violates the primary key: the error is raised, and the savepoint
    it ran in is rolled back, so the caller's transaction (and its own row) carries on."""
    backend, book, admin = env
    table = book.table_name()
    await done(backend.begin_transaction())
    await done(
        backend.execute(f'INSERT INTO "{table}" (title, pages) VALUES (%s, %s)', ("mine", 1))
    )
    dialect = backend.dialect
    duplicate = InsertExpression(
        dialect,
        table,
        ValuesSource(
            dialect, [[Literal(dialect, 1), Literal(dialect, "dup"), Literal(dialect, 1)]]
        ),
        columns=["id", "title", "pages"],
    )
    with pytest.raises(IntegrityError):
        await done(backend.explain(duplicate, ANALYZE_JSON))
    assert backend.in_transaction
    mine = await done(backend.fetch_all(f'SELECT title FROM "{table}" WHERE title = %s', ("mine",)))
    assert mine == [{"title": "mine"}]
    await done(backend.commit_transaction())
    assert len(rows_of(admin, book)) == 21


async def test_sequences_still_advance(env):
    """What the README says: the rollback undoes rows, not nextval()."""
    backend, book, admin = env
    await done(backend.explain(writes(backend, book)["insert"], ANALYZE_JSON))
    admin.execute(f'INSERT INTO "{book.table_name()}" (title, pages) VALUES (%s, %s)', ("real", 7))
    (row,) = admin.fetch_all(f'SELECT id FROM "{book.table_name()}" WHERE title = %s', ("real",))
    assert row["id"] == 22  # 21 went to the explained, rolled-back insert


async def test_newer_options_work_or_are_refused_by_server_version(env):
    backend, book, _admin = env
    major = (await done(backend.get_server_version()))[0]
    query = book.query().where(book.c.pages > 150)
    generic = ExplainOptions(format=JSON, dialect_options={"generic_plan": True})
    memory = ExplainOptions(analyze=True, format=JSON, dialect_options={"memory": True})
    serialize = ExplainOptions(analyze=True, format=JSON, dialect_options={"serialize": "text"})
    for options, since, key in (
        (generic, 16, None),
        (memory, 17, "Planning"),
        (serialize, 17, "Serialization"),
    ):
        if major >= since:
            result = await done(backend.explain(query, options))
            assert result.plan is not None
            if key is not None:
                assert key in result.json_data, (key, result.json_data)
        else:
            with pytest.raises(UnsupportedFeatureError, match=f"needs PostgreSQL {since}"):
                await done(backend.explain(query, options))
    assert not backend.in_transaction
