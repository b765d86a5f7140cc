"""PostgreSQL introspection without a server: the catalog query each server version gets, and
the parsing of catalog rows (type modifiers, index keys, triggers, generated columns)."""

import pytest

from rhosocial.activerecord.backend.impl.postgres.introspection import parse, queries
from rhosocial.activerecord.backend.impl.postgres.introspection.introspector import is_schema_change
from rhosocial.activerecord.backend.introspection.types import (
    ColumnNullable,
    IndexType,
    ReferentialAction,
)


@pytest.mark.parametrize(
    ("version", "compression"),
    [((13, 14), "NULL::text AS compression"), ((14, 0), "a.attcompression::text AS compression"),
     ((18, 0), "a.attcompression::text AS compression")],
)  # fmt: skip
def test_column_query_per_version(version, compression):
    sql, params = queries.columns(version, "t", None)
    assert compression in sql and params == ("t", None) and "'t'" not in sql


@pytest.mark.parametrize(
    ("version", "nnd"),
    [((13, 0), "false AS nulls_not_distinct"), ((14, 9), "false AS nulls_not_distinct"),
     ((15, 0), "i.indnullsnotdistinct AS nulls_not_distinct"), ((18, 1), "i.indnullsnotdistinct AS nulls_not_distinct")],
)  # fmt: skip
def test_index_query_per_version(version, nnd):
    sql, _ = queries.indexes(version, "t", "s")
    assert nnd in sql


def test_check_constraints_never_read_not_null_rows():
    # PostgreSQL 18 keeps NOT NULL as pg_constraint rows (contype 'n'): only 'c' is asked for
    sql, params = queries.constraints("t", None, ("c",))
    assert params == ("t", None, ["c"]) and "contype::text = ANY(%s)" in sql


def test_table_kinds_are_bound():
    assert queries.tables(None, False, None)[1] == (None, ["r", "p", "v", "m", "f"])
    assert queries.tables("s", False, "VIEW")[1] == ("s", ["v", "m"])


@pytest.mark.parametrize(
    ("udt", "typmod", "expected"),
    [
        ("varchar", 24, (20, None, None, None)),
        ("bpchar", 5, (1, None, None, None)),
        ("varchar", -1, (None, None, None, None)),
        ("numeric", (8 << 16 | 2) + 4, (None, 8, 2, None)),
        ("numeric", -1, (None, None, None, None)),
        ("timestamptz", 3, (None, None, None, 3)),
        ("timestamp", -1, (None, None, None, 6)),
        ("int4", -1, (None, 32, 0, None)),
        ("float8", -1, (None, 53, None, None)),
        ("bit", 8, (8, None, None, None)),
        ("text", -1, (None, None, None, None)),
    ],
)
def test_type_sizes_from_typmod(udt, typmod, expected):
    assert parse.type_sizes(udt, typmod) == expected


def test_version_and_base_type():
    assert parse.version_from_num("150020") == (15, 20, 0)
    assert parse.version_from_num(180001) == (18, 1, 0)
    assert parse.base_type_name("character varying(20)") == "character varying"
    assert parse.base_type_name("timestamp(3) with time zone") == "timestamp with time zone"
    assert parse.base_type_name("numeric(8,2)[]") == "numeric[]"


def _column(**over):
    row = {
        "name": "c", "schema": "s", "ordinal_position": 1, "data_type_full": "integer", "udt_name": "int4",
        "udt_schema": "pg_catalog", "typtype": "b", "typmod": -1, "domain_base": None, "array_dims": 0,
        "not_null": False, "default_expr": None, "identity": "", "generated": "", "comment": None,
        "collation": None, "compression": None, "is_primary_key": False, "is_unique": False,
    }  # fmt: skip
    row.update(over)
    return row


def test_columns_identity_serial_generated():
    c = parse.parse_column(_column(identity="d", not_null=True), "t")
    assert (
        c.is_auto_increment
        and c.extra["identity"] == "by default"
        and c.nullable == ColumnNullable.NOT_NULL
    )
    c = parse.parse_column(_column(default_expr="nextval('t_c_seq'::regclass)"), "t")
    assert c.is_auto_increment and c.extra["serial"] and c.default_value.startswith("nextval")
    c = parse.parse_column(_column(generated="v", default_expr="(a * 2)"), "t")  # PostgreSQL 18
    assert c.is_generated and c.generated_expression == "(a * 2)" and c.default_value is None
    assert c.extra["generated"] == "virtual"
    c = parse.parse_column(_column(collation="default", compression="l"), "t")
    assert c.collation is None and c.extra["compression"] == "lz4"


def test_index_keys_expressions_include_and_order():
    row = {
        "name": "ix", "schema": "s", "is_unique": False, "is_primary": False, "method": "btree",
        "predicate": "(a > 0)", "key_count": 2,
        "column_defs": ["a", "lower(b)", "c"], "column_names": ["a", None, "c"], "column_options": [3, 0],
        "definition": "CREATE INDEX ...", "comment": None, "size_bytes": 8192, "constraint_name": None,
        "constraint_type": None, "nulls_not_distinct": False, "is_valid": True,
    }  # fmt: skip
    ix = parse.parse_index(row, "t")
    assert [(c.name, c.is_descending, c.is_nulls_first) for c in ix.columns] == [
        ("a", True, True),
        ("lower(b)", False, False),
    ]
    assert ix.extra["expressions"] == ["lower(b)"] and ix.extra["include"] == ["c"]
    assert ix.filter_condition == "(a > 0)" and ix.index_type == IndexType.BTREE
    brin = parse.parse_index(
        {**row, "method": "brin", "key_count": 3, "column_options": [0, 0, 0]}, "t"
    )
    assert brin.index_type == IndexType.UNKNOWN and brin.extra["method"] == "brin"
    assert all(c.is_nulls_first is None for c in brin.columns)


def test_foreign_key_actions():
    row = {
        "name": "fk", "schema": "s", "referenced_schema": "s", "referenced_table": "p", "columns": ["a"],
        "referenced_columns": ["id"], "on_update": "n", "on_delete": "d", "match_type": "f", "deferrable": True,
        "deferred": False, "validated": False, "definition": "FOREIGN KEY ...",
    }  # fmt: skip
    fk = parse.parse_foreign_key(row, "t")
    assert (fk.on_update, fk.on_delete) == (
        ReferentialAction.SET_NULL,
        ReferentialAction.SET_DEFAULT,
    )
    assert fk.extra["match"] == "full" and fk.extra["validated"] is False


@pytest.mark.parametrize(
    ("tgtype", "timing", "events", "level"),
    [(7, "BEFORE", ["INSERT"], "ROW"), (31, "BEFORE", ["INSERT", "UPDATE", "DELETE"], "ROW"), (29, "AFTER", ["INSERT", "UPDATE", "DELETE"], "ROW"),
     (32, "AFTER", ["TRUNCATE"], "STATEMENT"), (65, "INSTEAD OF", [], "ROW")],
)  # fmt: skip
def test_trigger_type_bits(tgtype, timing, events, level):
    assert parse.trigger_timing(tgtype) == timing
    assert parse.trigger_events(tgtype) == events
    assert ("ROW" if tgtype & 1 else "STATEMENT") == level


def test_trigger_condition():
    text = "CREATE TRIGGER t BEFORE INSERT ON s.p FOR EACH ROW WHEN ((new.code IS NOT NULL)) EXECUTE FUNCTION f()"
    assert parse.trigger_condition(text) == "(new.code IS NOT NULL)"
    assert (
        parse.trigger_condition(
            "CREATE TRIGGER t AFTER DELETE ON p FOR EACH ROW EXECUTE FUNCTION f()"
        )
        is None
    )


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("CREATE TABLE", True), ("ALTER TABLE", True), ("DROP INDEX", True), ("COMMENT", True), ("SET", True),
     ("REFRESH MATERIALIZED VIEW", True), ("SELECT 1", False), ("INSERT 0 1", False), ("", False), (None, False)],
)  # fmt: skip
def test_schema_change_tags(tag, expected):
    assert is_schema_change(tag) is expected
