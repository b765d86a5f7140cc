"""PostgreSQL introspection against the real server, sync and async: a fixture schema with every
object kind the introspector reads (its own schema ``isnap_<hex>``, with a foreign-data wrapper and
server of the same suffix, all dropped after), compared field by field; the status introspector;
the cache emptied by the backend's own DDL."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from rhosocial.activerecord.backend.impl.postgres import AsyncPostgresBackend, PostgresBackend
from rhosocial.activerecord.backend.introspection.types import (
    ColumnNullable,
    IndexType,
    ReferentialAction,
    TableType,
)


def statements(schema: str, suffix: str) -> list[str]:
    return [
        f"CREATE SCHEMA {schema}",
        f"SET search_path TO {schema}",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE DOMAIN positive_int AS integer NOT NULL DEFAULT 1 CHECK (VALUE > 0)",
        "CREATE SEQUENCE seq_orders AS bigint START 100 INCREMENT 5 MAXVALUE 100000 CACHE 2 CYCLE",
        "CREATE TABLE parent ("
        " id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " legacy serial,"
        " code varchar(20) NOT NULL DEFAULT 'x',"
        " price numeric(8,2) CONSTRAINT price_positive CHECK (price > 0),"
        " made timestamptz(3) DEFAULT now(),"
        ' body text COLLATE "C",'
        " code_len integer GENERATED ALWAYS AS (length(code)) STORED,"
        " feeling mood,"
        " qty positive_int,"
        " tags text[],"
        " span int4range,"
        " CONSTRAINT uq_code UNIQUE (code),"
        " CONSTRAINT no_overlap EXCLUDE USING gist (span WITH &&))",
        "COMMENT ON TABLE parent IS 'parents'",
        "COMMENT ON COLUMN parent.body IS 'the text'",
        "CREATE INDEX ix_partial ON parent (price) WHERE price > 10",
        "CREATE INDEX ix_expr ON parent (lower(code))",
        "CREATE INDEX ix_desc ON parent (made DESC NULLS LAST, price NULLS FIRST) INCLUDE (body)",
        "CREATE INDEX ix_tags ON parent USING gin (tags)",
        "CREATE INDEX ix_brin ON parent USING brin (made)",
        "CREATE INDEX ix_hash ON parent USING hash (body)",
        "CREATE UNIQUE INDEX ix_nnd ON parent (legacy) NULLS NOT DISTINCT",
        "CREATE TABLE child (id integer PRIMARY KEY, parent_id integer,"
        " CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id)"
        " ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED)",
        "CREATE VIEW cheap AS SELECT id, code FROM parent WHERE price < 10",
        "CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n FROM parent WITH NO DATA",
        "CREATE TABLE events (id integer NOT NULL, y integer NOT NULL) PARTITION BY RANGE (y)",
        "CREATE TABLE events_2020 PARTITION OF events FOR VALUES FROM (2020) TO (2021)",
        "CREATE TABLE events_rest PARTITION OF events DEFAULT",
        f"CREATE FOREIGN DATA WRAPPER fdw_{suffix}",
        f"CREATE SERVER srv_{suffix} FOREIGN DATA WRAPPER fdw_{suffix}",
        f"CREATE FOREIGN TABLE remote (a integer) SERVER srv_{suffix}",
        "CREATE FUNCTION upper_code() RETURNS trigger LANGUAGE plpgsql AS"
        " $$BEGIN NEW.code := upper(NEW.code); RETURN NEW; END$$",
        "CREATE TRIGGER parent_bi BEFORE INSERT OR UPDATE ON parent FOR EACH ROW"
        " WHEN (NEW.code IS NOT NULL) EXECUTE FUNCTION upper_code()",
    ]


def create(connect_kwargs: dict) -> tuple[str, str]:
    suffix = uuid.uuid4().hex[:8]
    schema = f"isnap_{suffix}"
    with psycopg.connect(autocommit=True, **connect_kwargs) as conn:
        for sql in statements(schema, suffix):
            conn.execute(sql)
    return schema, suffix


def drop(connect_kwargs: dict, schema: str, suffix: str) -> None:
    with psycopg.connect(autocommit=True, **connect_kwargs) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"DROP SERVER IF EXISTS srv_{suffix} CASCADE")
        conn.execute(f"DROP FOREIGN DATA WRAPPER IF EXISTS fdw_{suffix} CASCADE")


@pytest.fixture
def fixture_schema(config):
    schema, suffix = create(config.connect_kwargs())
    yield schema
    drop(config.connect_kwargs(), schema, suffix)


@pytest.fixture
def ib(config, fixture_schema):
    """A sync backend whose search_path is the fixture schema."""
    b = PostgresBackend(connection_config=config)
    b.introspect_and_adapt()
    b.execute(f"SET search_path TO {fixture_schema}")
    yield b
    b.disconnect()


@pytest.fixture
async def aib(config, fixture_schema):
    b = AsyncPostgresBackend(connection_config=config)
    await b.introspect_and_adapt()
    await b.execute(f"SET search_path TO {fixture_schema}")
    yield b
    await b.disconnect()


def test_tables_and_kinds(ib, fixture_schema):
    tables = {t.name: t for t in ib.introspector.list_tables()}
    assert set(tables) == {
        "parent",
        "child",
        "cheap",
        "totals",
        "events",
        "events_2020",
        "events_rest",
        "remote",
    }
    assert all(t.schema == fixture_schema for t in tables.values())
    assert (tables["parent"].table_type, tables["parent"].comment) == (
        TableType.BASE_TABLE,
        "parents",
    )
    assert tables["cheap"].table_type == TableType.VIEW and tables["cheap"].extra["kind"] == "view"
    assert (
        tables["totals"].table_type == TableType.VIEW
        and tables["totals"].extra["kind"] == "materialized_view"
    )
    assert tables["events"].extra == {"kind": "partitioned_table", "partition_key": "RANGE (y)"}
    assert tables["events_2020"].extra["partition_of"] == "events"
    assert tables["events_2020"].extra["partition_bound"] == "FOR VALUES FROM (2020) TO (2021)"
    assert tables["remote"].table_type == TableType.EXTERNAL
    assert tables["remote"].extra["foreign_server"].startswith("srv_")
    # schema-qualified: the same answer from another search_path
    ib.execute("SET search_path TO public")
    assert {t.name for t in ib.introspector.list_tables(schema=fixture_schema)} == set(tables)
    assert (
        ib.introspector.get_table_info("parent") is None
        or ib.introspector.get_table_info("parent").schema == "public"
    )


def test_columns(ib):
    cols = {c.name: c for c in ib.introspector.list_columns("parent")}
    assert list(cols) == [
        "id",
        "legacy",
        "code",
        "price",
        "made",
        "body",
        "code_len",
        "feeling",
        "qty",
        "tags",
        "span",
    ]
    c = cols["id"]
    assert c.is_primary_key and c.is_auto_increment and c.extra["identity"] == "always"
    assert (
        c.nullable == ColumnNullable.NOT_NULL
        and c.data_type == "integer"
        and c.numeric_precision == 32
    )
    assert cols["legacy"].is_auto_increment and cols["legacy"].extra["serial"] is True
    assert cols["legacy"].default_value.startswith("nextval(")
    c = cols["code"]
    assert (c.data_type, c.data_type_full, c.character_maximum_length) == (
        "character varying",
        "character varying(20)",
        20,
    )
    assert c.default_value == "'x'::character varying" and c.nullable == ColumnNullable.NOT_NULL
    assert c.is_unique
    c = cols["price"]
    assert (c.numeric_precision, c.numeric_scale, c.nullable) == (8, 2, ColumnNullable.NULLABLE)
    assert cols["made"].datetime_precision == 3 and cols["made"].default_value == "now()"
    assert cols["made"].data_type_full == "timestamp(3) with time zone"
    assert cols["body"].collation == "C" and cols["body"].comment == "the text"
    c = cols["code_len"]
    assert (
        c.is_generated
        and c.generated_expression == "length((code)::text)"
        and c.default_value is None
    )
    assert c.extra["generated"] == "stored"
    assert cols["feeling"].extra["enum"] == "mood"
    assert (
        cols["qty"].extra["domain"] == "positive_int"
        and cols["qty"].extra["domain_base"] == "integer"
    )
    assert cols["tags"].data_type_full == "text[]"
    assert not cols["code"].is_generated and not cols["code"].is_auto_increment


def test_indexes(ib):
    idx = {x.name: x for x in ib.introspector.list_indexes("parent")}
    assert set(idx) == {
        "parent_pkey",
        "uq_code",
        "no_overlap",
        "ix_partial",
        "ix_expr",
        "ix_desc",
        "ix_tags",
        "ix_brin",
        "ix_hash",
        "ix_nnd",
    }
    assert (
        idx["parent_pkey"].is_primary
        and ib.introspector.get_primary_key("parent").name == "parent_pkey"
    )
    assert idx["uq_code"].is_unique and idx["uq_code"].extra["constraint"] == "uq_code"
    assert idx["ix_partial"].filter_condition == "(price > (10)::numeric)"
    assert [c.name for c in idx["ix_expr"].columns] == ["lower(code::text)"]
    assert idx["ix_expr"].extra["expressions"] == ["lower(code::text)"]
    made, price = idx["ix_desc"].columns
    assert (made.name, made.is_descending, made.is_nulls_first) == ("made", True, False)
    assert (price.name, price.is_descending, price.is_nulls_first) == ("price", False, True)
    assert idx["ix_desc"].extra["include"] == ["body"]
    assert idx["ix_tags"].index_type == IndexType.GIN
    assert (
        idx["no_overlap"].index_type == IndexType.GIST
        and idx["no_overlap"].extra["constraint"] == "no_overlap"
    )
    assert (
        idx["ix_brin"].index_type == IndexType.UNKNOWN and idx["ix_brin"].extra["method"] == "brin"
    )
    assert idx["ix_hash"].index_type == IndexType.HASH
    assert idx["ix_nnd"].extra["nulls_not_distinct"] is True and idx["ix_nnd"].is_unique


def test_foreign_keys(ib, fixture_schema):
    (fk,) = ib.introspector.list_foreign_keys("child")
    assert (fk.name, fk.columns, fk.referenced_table, fk.referenced_columns) == (
        "fk_parent",
        ["parent_id"],
        "parent",
        ["id"],
    )
    assert fk.referenced_schema == fixture_schema
    assert (fk.on_delete, fk.on_update) == (ReferentialAction.CASCADE, ReferentialAction.SET_NULL)
    assert (fk.deferrable, fk.deferred) == (True, True) and fk.extra["match"] == "simple"


def test_views_and_triggers(ib):
    i = ib.introspector
    views = {v.name: v for v in i.list_views()}
    assert set(views) == {"cheap", "totals"}
    assert "price < 10" in views["cheap"].definition and views["cheap"].is_updatable
    assert views["totals"].extra == {"kind": "materialized_view", "is_populated": False}
    assert i.get_view_info("cheap").definition == views["cheap"].definition and not i.view_exists(
        "parent"
    )
    (t,) = i.list_triggers("parent")
    assert (t.name, t.timing, t.events, t.level, t.status) == (
        "parent_bi",
        "BEFORE",
        ["INSERT", "UPDATE"],
        "ROW",
        "ENABLED",
    )
    assert t.condition == "new.code IS NOT NULL" and t.extra["function"] == "upper_code"


def test_beyond_the_base(ib):
    i = ib.introspector
    (check,) = i.list_check_constraints("parent")
    assert (check.name, check.kind, check.columns, check.definition) == (
        "price_positive",
        "CHECK",
        ["price"],
        "CHECK (price > 0::numeric)",
    )
    uniques = {u.name: u for u in i.list_unique_constraints("parent")}
    assert (uniques["uq_code"].kind, uniques["uq_code"].columns) == ("UNIQUE", ["code"])
    assert uniques["no_overlap"].kind == "EXCLUDE"
    seqs = {s.name: s for s in i.list_sequences()}
    s = seqs["seq_orders"]
    assert (s.data_type, s.start_value, s.increment, s.max_value, s.cache_size, s.cycle) == (
        "bigint",
        100,
        5,
        100000,
        2,
        True,
    )
    assert s.owned_by is None and seqs["parent_legacy_seq"].owned_by == "parent.legacy"
    assert seqs["parent_id_seq"].owned_by == "parent.id"
    (mood,) = i.list_enum_types()
    assert (mood.name, mood.labels) == ("mood", ["sad", "ok", "happy"])
    (dom,) = i.list_domains()
    assert (dom.name, dom.base_type, dom.not_null, dom.default_value, dom.checks) == (
        "positive_int",
        "integer",
        True,
        "1",
        ["CHECK (VALUE > 0)"],
    )
    assert "plpgsql" in {e.name for e in i.list_extensions()}
    parts = i.list_partitions("events")
    assert [(p.name, p.bound) for p in parts] == [
        ("events_2020", "FOR VALUES FROM (2020) TO (2021)"),
        ("events_rest", "DEFAULT"),
    ]


def test_database_info(ib, server):
    info = ib.introspector.get_database_info()
    assert info.vendor == "PostgreSQL" and info.name == server["database"]
    assert info.version_tuple[:2] == tuple(ib.dialect.version)[:2]
    assert info.encoding == "UTF8" and info.table_count >= 4


def test_cache_emptied_by_the_backends_own_ddl(ib):
    i = ib.introspector
    assert not i.column_exists("child", "note")
    ib.execute("ALTER TABLE child ADD COLUMN note text")
    assert i.column_exists("child", "note")
    ib.execute("COMMENT ON TABLE child IS 'kids'")
    assert next(t for t in i.list_tables() if t.name == "child").comment == "kids"


def _shape(indexes):
    """An index without its size (pages fill between the two reads)."""
    return [(x.name, x.columns, x.extra, x.filter_condition, x.index_type) for x in indexes]


async def test_async_gives_the_same_results(ib, aib):
    s, a = ib.introspector, aib.introspector
    for table in ("parent", "child", "events"):
        assert await a.list_columns(table) == s.list_columns(table)
        assert _shape(await a.list_indexes(table)) == _shape(s.list_indexes(table))
        assert await a.list_foreign_keys(table) == s.list_foreign_keys(table)
        assert await a.list_check_constraints(table) == s.list_check_constraints(table)
        assert await a.list_partitions(table) == s.list_partitions(table)
    assert await a.list_views() == s.list_views()
    assert await a.list_triggers() == s.list_triggers()
    assert await a.list_sequences() == s.list_sequences()
    assert await a.list_enum_types() == s.list_enum_types()
    assert await a.list_domains() == s.list_domains()
    assert [t.name for t in await a.list_tables()] == [t.name for t in s.list_tables()]


def test_status(ib, server):
    st = ib.introspector.status
    o = st.get_overview()
    assert o.server_vendor == "PostgreSQL" and o.extra["flavour"] == "postgresql"
    assert tuple(int(p) for p in o.server_version.split(".")[:2]) == tuple(ib.dialect.version)[:2]
    settings = {c.name: c.value for c in o.configuration + o.performance}
    for name in ("max_connections", "statement_timeout", "work_mem", "shared_buffers"):
        assert name in settings
    assert o.connections.max_connections == settings["max_connections"]
    assert o.connections.active_count >= 1 and o.extra["uptime_seconds"] > 0
    assert (o.replication.is_primary, o.replication.is_standby) == (True, False)
    assert o.session.database == server["database"] and o.session.schema.startswith("isnap_")
    assert server["database"] in {d.name for d in o.databases}


async def test_async_status(ib, aib):
    o = await aib.introspector.status.get_overview()
    assert o.server_version == ib.introspector.status.get_overview().server_version
    assert (
        await aib.introspector.status.get_connection_info()
    ).max_connections == o.connections.max_connections
