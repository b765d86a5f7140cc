"""The core's migration snapshots and schema diff on PostgreSQL, sync and async: a migration run
through the core's ``MigrationRunner`` creates tables, columns, an index and a foreign key in a
schema of this test's own (the backend's search_path); the snapshot lists exactly them, a second
snapshot (and its JSON round trip) diffs empty, and an ``ADD COLUMN`` migration's diff names the
column."""

from __future__ import annotations

import dataclasses
import uuid

import psycopg
import pytest

from rhosocial.activerecord.backend.impl.common.testing import schema_migration as shop
from rhosocial.activerecord.backend.impl.postgres import AsyncPostgresBackend, PostgresBackend
from rhosocial.activerecord.backend.impl.postgres.introspection import (
    PostgresSchemaDiffer,
    normalize_type,
)
from rhosocial.activerecord.backend.introspection.types import ReferentialAction
from rhosocial.activerecord.backend.migration import MigrationDirection, MigrationRunner
from rhosocial.activerecord.backend.migration.snapshot import (
    compute_schema_diff,
    take_async_snapshot,
    take_sync_snapshot,
)
from rhosocial.activerecord.backend.schema import SchemaSnapshot

MIGRATIONS = f"{shop.__name__}"


@pytest.fixture
def snap_schema(config):
    name = f"isnapd_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(autocommit=True, **config.connect_kwargs()) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield name
    with psycopg.connect(autocommit=True, **config.connect_kwargs()) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture
def sb(config, snap_schema):
    b = PostgresBackend(connection_config=config)
    b.introspect_and_adapt()
    b.execute(f"SET search_path TO {snap_schema}")
    yield b
    b.disconnect()


def _check_shop(snap: SchemaSnapshot | None) -> SchemaSnapshot:
    assert snap is not None  # the core answers None on any error
    assert set(snap.tables) == set(shop.TABLES)
    customer, order = snap.tables["shop_customer"], snap.tables["shop_order"]
    assert [(c.name, c.data_type_full, c.nullable.value) for c in customer.columns] == [
        ("id", "integer", "NOT_NULL"),
        ("email", "character varying(100)", "NOT_NULL"),
    ]
    assert [(c.name, c.data_type_full) for c in order.columns] == [
        ("id", "bigint"),
        ("customer_id", "integer"),
        ("total", "numeric(10,2)"),
    ]
    assert {i.name for i in order.indexes} == {"shop_order_pkey", "ix_order_total"}
    (fk,) = order.foreign_keys
    assert (fk.name, fk.columns, fk.referenced_table, fk.on_delete) == (
        "fk_order_customer",
        ["customer_id"],
        "shop_customer",
        ReferentialAction.CASCADE,
    )
    return snap


def test_migration_snapshot_and_diff(sb):
    result = MigrationRunner(f"{MIGRATIONS}.CreateShop").run(sb, MigrationDirection.UP)
    assert result.snapshot_diff is not None
    assert sorted(result.snapshot_diff.added_tables) == sorted(shop.TABLES)
    snap = _check_shop(take_sync_snapshot(sb))
    again = take_sync_snapshot(sb)
    diff = compute_schema_diff(snap, again, sb.dialect)
    assert diff is not None and diff.is_empty
    restored = SchemaSnapshot.from_dict(snap.to_dict())
    diff = compute_schema_diff(restored, again, sb.dialect)
    assert diff is not None and diff.is_empty
    result = MigrationRunner(f"{MIGRATIONS}.AddNote").run(sb, MigrationDirection.UP)
    diff = result.snapshot_diff
    assert diff is not None and diff.modified_tables == ["shop_order"]
    (col,) = diff.table_diffs["shop_order"].column_diffs
    assert (col.column_name, col.is_added, col.new.data_type_full) == (
        "note",
        True,
        "character varying(50)",
    )


def test_type_spellings_do_not_make_a_diff(sb):
    MigrationRunner(f"{MIGRATIONS}.CreateShop").run(sb, MigrationDirection.UP)
    snap = _check_shop(take_sync_snapshot(sb))
    spelled = {
        "integer": "int4",
        "bigint": "int8",
        "character varying(100)": "varchar(100)",
        "numeric(10,2)": "decimal(10, 2)",
    }
    tables = {
        name: dataclasses.replace(
            t,
            columns=[
                dataclasses.replace(
                    c, data_type_full=spelled.get(c.data_type_full, c.data_type_full)
                )
                for c in t.columns
            ],
        )
        for name, t in snap.tables.items()
    }
    other = dataclasses.replace(snap, tables=tables)
    assert [c.data_type_full for c in other.tables["shop_customer"].columns] == [
        "int4",
        "varchar(100)",
    ]
    diff = compute_schema_diff(snap, other, sb.dialect)
    assert diff is not None and diff.is_empty
    assert isinstance(sb.dialect.create_schema_differ(), PostgresSchemaDiffer)


async def test_async_snapshot_matches_sync(config, snap_schema, sb):
    MigrationRunner(f"{MIGRATIONS}.CreateShop").run(sb, MigrationDirection.UP)
    ab = AsyncPostgresBackend(connection_config=config)
    await ab.introspect_and_adapt()
    try:
        await ab.execute(f"SET search_path TO {snap_schema}")
        asnap = _check_shop(await take_async_snapshot(ab))
        diff = compute_schema_diff(asnap, take_sync_snapshot(sb), sb.dialect)
        assert diff is not None and diff.is_empty
    finally:
        await ab.disconnect()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("int4", "integer"),
        ("int", "integer"),
        ("serial", "integer"),
        ("int8", "bigint"),
        ("bool", "boolean"),
        ("varchar(20)", "character varying(20)"),
        ("VARCHAR ( 20 )", "character varying(20)"),
        ("decimal(10, 2)", "numeric(10,2)"),
        ("timestamptz", "timestamp with time zone"),
        ("timestamp(3) with time zone", "timestamptz(3)"),
        ("float8", "double precision"),
        ("int4[]", "integer[]"),
    ],
)
def test_type_spellings_equal(a, b):
    assert normalize_type(a) == normalize_type(b)


@pytest.mark.parametrize(
    ("a", "b"), [("varchar(20)", "varchar(30)"), ("timestamp", "timestamptz"), ("int4", "int8")]
)
def test_type_spellings_that_differ(a, b):
    assert normalize_type(a) != normalize_type(b)
