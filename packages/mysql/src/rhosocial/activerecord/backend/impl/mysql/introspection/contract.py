"""Real-server contract of the family introspection (sync and async), run by the mysql and
mariadb packages' tests (``class TestX(IntrospectionContract): ...`` with the family fixtures
``backend_factory``/``async_backend_factory``).

The fixture schema is created in a database of its own (``<database>_isnap``), dropped after.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import cast

import pytest

from rhosocial.activerecord.backend.introspection.types import (
    ColumnNullable,
    IndexType,
    ReferentialAction,
    TableType,
)
from rhosocial.activerecord.backend.migration.snapshot import (
    compute_schema_diff,
    take_async_snapshot,
    take_sync_snapshot,
)
from rhosocial.activerecord.backend.schema import SchemaSnapshot

from ..async_backend_base import FamilyAsyncBackend
from ..backend_base import FamilySyncBackend
from .async_introspector import AsyncMySQLIntrospector
from .sync_introspector import SyncMySQLIntrospector

SyncFactory = Callable[..., FamilySyncBackend]
AsyncFactory = Callable[..., Awaitable[FamilyAsyncBackend]]


def _i(backend: FamilySyncBackend) -> SyncMySQLIntrospector:
    return cast(SyncMySQLIntrospector, backend.introspector)


def _ai(backend: FamilyAsyncBackend) -> AsyncMySQLIntrospector:
    return cast(AsyncMySQLIntrospector, backend.introspector)


def _snap(snapshot: object) -> SchemaSnapshot:
    assert isinstance(snapshot, SchemaSnapshot)  # the core answers None on any error
    return snapshot


FIXTURE = [
    "CREATE TABLE parent (id INT AUTO_INCREMENT PRIMARY KEY, code VARCHAR(20) NOT NULL DEFAULT 'x',"
    " price DECIMAL(8,2),"
    " made DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3), body TEXT COLLATE utf8mb4_bin COMMENT 'the text',"
    " code_len INT AS (CHAR_LENGTH(code)) STORED, double_price DECIMAL(9,2) AS (price * 2) VIRTUAL,"
    " UNIQUE KEY uq_code (code), KEY ix_price_desc (price DESC), KEY ix_body_prefix (body(10)),"
    " FULLTEXT KEY ft_body (body), CONSTRAINT price_positive CHECK (price > 0))"
    " ENGINE=InnoDB COMMENT='parents'",
    "CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, CONSTRAINT fk_parent FOREIGN KEY (parent_id)"
    " REFERENCES parent (id) ON DELETE CASCADE ON UPDATE SET NULL) ENGINE=InnoDB",
    "CREATE VIEW cheap AS SELECT id, code FROM parent WHERE price < 10",
    "CREATE TRIGGER parent_bi BEFORE INSERT ON parent FOR EACH ROW SET NEW.code = UPPER(NEW.code)",
    "CREATE TABLE events (id INT NOT NULL, y INT NOT NULL, PRIMARY KEY (id, y)) PARTITION BY RANGE (y)"
    " (PARTITION p2020 VALUES LESS THAN (2021), PARTITION pmax VALUES LESS THAN MAXVALUE)",
]
MARIADB_FIXTURE = [
    "CREATE TABLE history (id INT PRIMARY KEY, v INT) WITH SYSTEM VERSIONING",
    "CREATE SEQUENCE seq_orders START WITH 100 INCREMENT BY 5",
]


class IntrospectionContract:
    @pytest.fixture
    def snap_db(self, backend_factory: SyncFactory) -> Iterator[str]:
        """A database of this contract's own, next to the scenario's (dropped after)."""
        admin = backend_factory()
        db = f"{admin.config.database}_isnap"
        admin.execute(f"DROP DATABASE IF EXISTS `{db}`")
        admin.execute(f"CREATE DATABASE `{db}`")
        yield db
        admin.execute(f"DROP DATABASE IF EXISTS `{db}`")

    @pytest.fixture
    def schema_backend(self, snap_db: str, backend_factory: SyncFactory) -> FamilySyncBackend:
        b = backend_factory(database=snap_db)
        for sql in FIXTURE + (MARIADB_FIXTURE if b.dialect.flavour == "mariadb" else []):
            b.execute(sql)
        return b

    # -- the fixture schema, field by field ---------------------------------------------------

    def test_tables_and_kinds(self, schema_backend: FamilySyncBackend) -> None:
        i = _i(schema_backend)
        tables = {t.name: t for t in i.list_tables()}
        expected = {"parent", "child", "cheap", "events"}
        if schema_backend.dialect.flavour == "mariadb":
            expected.add("history")
        assert set(tables) == expected  # the sequence is not a table
        assert tables["parent"].table_type == TableType.BASE_TABLE
        assert tables["parent"].comment == "parents"
        assert tables["parent"].extra["engine"] == "InnoDB"
        assert tables["cheap"].table_type == TableType.VIEW
        assert tables["events"].extra.get("partitioned") is True
        if "history" in tables:
            assert tables["history"].extra["kind"] == "system_versioned"
        assert i.get_database_info().table_count == len(expected) - 1

    def test_columns(self, schema_backend: FamilySyncBackend) -> None:
        cols = {c.name: c for c in _i(schema_backend).list_columns("parent")}
        assert list(cols) == ["id", "code", "price", "made", "body", "code_len", "double_price"]
        assert cols["id"].is_auto_increment and cols["id"].is_primary_key
        assert cols["id"].nullable == ColumnNullable.NOT_NULL
        assert cols["code"].data_type == "varchar" and cols["code"].character_maximum_length == 20
        assert cols["code"].default_value == "x" and cols["code"].is_unique
        assert (cols["price"].numeric_precision, cols["price"].numeric_scale) == (8, 2)
        assert (
            cols["price"].nullable == ColumnNullable.NULLABLE
            and cols["price"].default_value is None
        )
        assert cols["made"].datetime_precision == 3
        assert str(cols["made"].default_value).lower() == "current_timestamp(3)"
        assert cols["made"].extra["default_is_expression"] is True
        assert cols["body"].collation == "utf8mb4_bin" and cols["body"].charset == "utf8mb4"
        assert cols["body"].comment == "the text"
        assert cols["code_len"].is_generated and cols["code_len"].extra["generated"] == "stored"
        assert "char_length" in str(cols["code_len"].generated_expression).lower()
        assert cols["double_price"].extra["generated"] == "virtual"
        assert not cols["code"].is_generated and cols["code"].generated_expression is None

    def test_indexes_and_primary_key(self, schema_backend: FamilySyncBackend) -> None:
        i = _i(schema_backend)
        idx = {x.name: x for x in i.list_indexes("parent")}
        assert set(idx) == {"PRIMARY", "uq_code", "ix_price_desc", "ix_body_prefix", "ft_body"}
        assert idx["uq_code"].is_unique and not idx["ix_price_desc"].is_unique
        assert idx["ix_price_desc"].columns[0].is_descending
        assert idx["ix_body_prefix"].extra["prefix_lengths"] == {"body": 10}
        assert idx["ft_body"].index_type == IndexType.FULLTEXT
        assert idx["uq_code"].index_type == IndexType.BTREE
        pk = i.get_primary_key("events")
        assert pk is not None and pk.is_primary and [c.name for c in pk.columns] == ["id", "y"]

    def test_foreign_keys(self, schema_backend: FamilySyncBackend) -> None:
        (fk,) = _i(schema_backend).list_foreign_keys("child")
        assert fk.name == "fk_parent" and fk.columns == ["parent_id"]
        assert fk.referenced_table == "parent" and fk.referenced_columns == ["id"]
        assert (
            fk.on_delete == ReferentialAction.CASCADE and fk.on_update == ReferentialAction.SET_NULL
        )
        assert fk.deferrable is False

    def test_views_and_triggers(self, schema_backend: FamilySyncBackend) -> None:
        i = _i(schema_backend)
        (view,) = i.list_views()
        assert view.name == "cheap" and "price" in str(view.definition) and view.is_updatable
        info = i.get_view_info("cheap")
        assert info is not None and info.definition == view.definition
        assert i.view_exists("cheap") and not i.view_exists("parent")
        (trig,) = i.list_triggers("parent")
        assert (trig.name, trig.timing, trig.events, trig.level) == (
            "parent_bi",
            "BEFORE",
            ["INSERT"],
            "ROW",
        )
        assert "upper" in str(trig.definition).lower()

    def test_beyond_the_base(self, schema_backend: FamilySyncBackend) -> None:
        i = _i(schema_backend)
        (check,) = i.list_check_constraints("parent")
        assert check.name == "price_positive" and "price" in str(check.definition)
        (uq,) = i.list_unique_constraints("parent")
        assert (uq.name, uq.columns) == ("uq_code", ["code"])
        parts = i.list_partitions("events")
        assert [(p.name, p.method, p.description) for p in parts] == [
            ("p2020", "RANGE", "2021"),
            ("pmax", "RANGE", "MAXVALUE"),
        ]
        seqs = [s.name for s in i.list_sequences()]
        assert seqs == (["seq_orders"] if schema_backend.dialect.flavour == "mariadb" else [])

    def test_cache_invalidated_by_the_backends_own_ddl(
        self, schema_backend: FamilySyncBackend
    ) -> None:
        i = _i(schema_backend)
        assert not i.column_exists("child", "note")
        schema_backend.execute("ALTER TABLE child ADD COLUMN note VARCHAR(5)")
        assert i.column_exists("child", "note")

    async def test_async_gives_the_same_results(
        self, snap_db: str, schema_backend: FamilySyncBackend, async_backend_factory: AsyncFactory
    ) -> None:
        sync = _i(schema_backend)
        ab = await async_backend_factory(database=snap_db)
        try:
            a = _ai(ab)
            for table in ("parent", "child", "events"):
                assert await a.list_columns(table) == sync.list_columns(table)
                assert await a.list_indexes(table) == sync.list_indexes(table)
                assert await a.list_foreign_keys(table) == sync.list_foreign_keys(table)
                assert await a.list_check_constraints(table) == sync.list_check_constraints(table)
                assert await a.list_partitions(table) == sync.list_partitions(table)
            assert await a.list_views() == sync.list_views()
            assert await a.list_triggers() == sync.list_triggers()
            assert [t.name for t in await a.list_tables()] == [t.name for t in sync.list_tables()]
            assert (
                await a.get_database_info()
            ).version_tuple == sync.get_database_info().version_tuple
        finally:
            await ab.disconnect()

    # -- status -------------------------------------------------------------------------------

    def test_status(self, snap_db: str, schema_backend: FamilySyncBackend) -> None:
        o = _i(schema_backend).status.get_overview()
        assert o.server_vendor == (
            "MariaDB" if schema_backend.dialect.flavour == "mariadb" else "MySQL"
        )
        assert tuple(int(p) for p in o.server_version.split(".")) == tuple(
            schema_backend.dialect.version
        )
        names = {c.name: c.value for c in o.configuration}
        for name in ("max_connections", "wait_timeout", "max_allowed_packet", "sql_mode"):
            assert name in names
        assert o.connections.max_connections == names["max_connections"]
        assert o.connections.extra["total"] >= 1 and o.extra["uptime_seconds"] > 0
        assert o.replication is not None and o.replication.is_primary is True
        assert o.session is not None and o.session.database == snap_db

    async def test_async_status(
        self, snap_db: str, schema_backend: FamilySyncBackend, async_backend_factory: AsyncFactory
    ) -> None:
        ab = await async_backend_factory(database=snap_db)
        try:
            o = await _ai(ab).status.get_overview()
            assert o.server_version == _i(schema_backend).status.get_overview().server_version
            assert (await _ai(ab).status.get_session_info()).database == snap_db
        finally:
            await ab.disconnect()


class SchemaSnapshotContract:
    """The core's MigrationRunner snapshots and diff on a database of this contract's own."""

    RUNNER = "rhosocial.activerecord.backend.impl.common.testing.schema_migration"

    @pytest.fixture
    def shop_db(self, backend_factory: SyncFactory) -> Iterator[str]:
        admin = backend_factory()
        db = f"{admin.config.database}_isnapd"
        admin.execute(f"DROP DATABASE IF EXISTS `{db}`")
        admin.execute(f"CREATE DATABASE `{db}`")
        yield db
        admin.execute(f"DROP DATABASE IF EXISTS `{db}`")

    @staticmethod
    def _check_shop(snapshot: object) -> SchemaSnapshot:
        snap = _snap(snapshot)
        assert set(snap.tables) == {"shop_customer", "shop_order"}
        customer, order = snap.tables["shop_customer"], snap.tables["shop_order"]
        assert [(c.name, c.data_type, c.nullable) for c in customer.columns] == [
            ("id", "int", ColumnNullable.NOT_NULL),
            ("email", "varchar", ColumnNullable.NOT_NULL),
        ]
        assert customer.columns[1].character_maximum_length == 100
        assert [(c.name, c.data_type) for c in order.columns] == [
            ("id", "bigint"),
            ("customer_id", "int"),
            ("total", "decimal"),
        ]
        assert {i.name for i in order.indexes} >= {"PRIMARY", "ix_order_total"}
        fks = [(f.name, f.columns, f.referenced_table, f.on_delete) for f in order.foreign_keys]
        assert fks == [
            ("fk_order_customer", ["customer_id"], "shop_customer", ReferentialAction.CASCADE)
        ]
        return snap

    def test_migration_snapshot_and_diff(self, shop_db: str, backend_factory: SyncFactory) -> None:
        from rhosocial.activerecord.backend.migration import MigrationDirection, MigrationRunner

        b = backend_factory(database=shop_db)
        result = MigrationRunner(f"{self.RUNNER}.CreateShop").run(b, MigrationDirection.UP)
        assert result.snapshot_diff is not None
        assert sorted(result.snapshot_diff.added_tables) == ["shop_customer", "shop_order"]
        snap = self._check_shop(take_sync_snapshot(b))
        again = _snap(take_sync_snapshot(b))
        diff = compute_schema_diff(snap, again, b.dialect)
        assert diff is not None and diff.is_empty
        diff = compute_schema_diff(SchemaSnapshot.from_dict(snap.to_dict()), again, b.dialect)
        assert diff is not None and diff.is_empty
        result = MigrationRunner(f"{self.RUNNER}.AddNote").run(b, MigrationDirection.UP)
        diff = result.snapshot_diff
        assert diff is not None and diff.modified_tables == ["shop_order"]
        (col,) = diff.table_diffs["shop_order"].column_diffs
        assert col.column_name == "note" and col.is_added

    def test_display_widths_do_not_make_a_diff(
        self, shop_db: str, backend_factory: SyncFactory
    ) -> None:
        import dataclasses

        from rhosocial.activerecord.backend.migration import MigrationDirection, MigrationRunner

        b = backend_factory(database=shop_db)
        MigrationRunner(f"{self.RUNNER}.CreateShop").run(b, MigrationDirection.UP)
        snap = self._check_shop(take_sync_snapshot(b))
        spelled = {
            "int": "int(11)",
            "int(11)": "int",
            "bigint": "bigint(20)",
            "bigint(20)": "bigint",
        }
        tables = {
            name: dataclasses.replace(
                t,
                columns=[
                    dataclasses.replace(
                        c, data_type_full=spelled.get(str(c.data_type_full), c.data_type_full)
                    )
                    for c in t.columns
                ],
            )
            for name, t in snap.tables.items()
        }
        other = dataclasses.replace(snap, tables=tables)
        assert (
            other.tables["shop_customer"].columns[0].data_type_full
            != snap.tables["shop_customer"].columns[0].data_type_full
        )
        diff = compute_schema_diff(snap, other, b.dialect)
        assert diff is not None and diff.is_empty

    async def test_async_snapshot_matches_sync(
        self, shop_db: str, backend_factory: SyncFactory, async_backend_factory: AsyncFactory
    ) -> None:
        from rhosocial.activerecord.backend.migration import MigrationDirection, MigrationRunner

        b = backend_factory(database=shop_db)
        MigrationRunner(f"{self.RUNNER}.CreateShop").run(b, MigrationDirection.UP)
        ab = await async_backend_factory(database=shop_db)
        try:
            asnap = self._check_shop(await take_async_snapshot(ab))
            diff = compute_schema_diff(asnap, take_sync_snapshot(b), b.dialect)
            assert diff is not None and diff.is_empty
        finally:
            await ab.disconnect()
