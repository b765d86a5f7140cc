"""Family introspection without a server: the query each flavour/version gets, the parsing of
information_schema rows as each flavour sends them, and the differ's type spellings."""

import pytest

from rhosocial.activerecord.backend.impl.mysql.introspection import normalize_type, parse, queries
from rhosocial.activerecord.backend.impl.mysql.introspection.introspector import is_schema_change
from rhosocial.activerecord.backend.impl.mysql.introspection.status import queries as status_queries
from rhosocial.activerecord.backend.introspection.types import (
    ColumnNullable,
    IndexType,
    ReferentialAction,
)


@pytest.mark.parametrize(
    ("flavour", "version", "expression", "hidden"),
    [
        ("mysql", (8, 0, 12), "NULL AS expression", "IS_VISIBLE = 'NO' AS hidden"),
        ("mysql", (8, 0, 13), "EXPRESSION AS expression", "IS_VISIBLE = 'NO' AS hidden"),
        ("mysql", (8, 4, 3), "EXPRESSION AS expression", "IS_VISIBLE = 'NO' AS hidden"),
        ("mysql", (9, 1, 0), "EXPRESSION AS expression", "IS_VISIBLE = 'NO' AS hidden"),
        ("mariadb", (10, 5, 9), "NULL AS expression", "FALSE AS hidden"),
        ("mariadb", (10, 6, 0), "NULL AS expression", "IGNORED = 'YES' AS hidden"),
        ("mariadb", (11, 8, 2), "NULL AS expression", "IGNORED = 'YES' AS hidden"),
    ],
)
def test_index_query_per_flavour_and_version(flavour, version, expression, hidden):
    sql, params = queries.indexes(flavour, version, "t", None)
    assert expression in sql and hidden in sql
    assert params == ("t", None) and "'t'" not in sql


def test_check_constraints_scope_per_flavour():
    maria, _ = queries.check_constraints("mariadb", "t", "db")
    mysql, params = queries.check_constraints("mysql", "t", "db")
    assert "c.TABLE_NAME = t.TABLE_NAME" in maria and "c.TABLE_NAME" not in mysql
    assert params == ("t", "db")


def test_status_tables_per_flavour():
    assert "information_schema.GLOBAL_VARIABLES" in status_queries("mariadb")["variables"][0]
    assert "performance_schema.global_variables" in status_queries("mysql")["variables"][0]


def test_table_types_are_bound():
    sql, params = queries.tables(None, False, None)
    assert params == (None, "BASE TABLE", "SYSTEM VERSIONED", "VIEW")
    assert "SEQUENCE" not in sql
    assert queries.tables("db", True, "VIEW")[1] == ("db", "VIEW", "SYSTEM VIEW")


@pytest.mark.parametrize(
    ("raw", "flavour", "expected"),
    [
        ("abc", "mysql", ("abc", False)),
        (None, "mysql", (None, False)),
        ("'abc'", "mariadb", ("abc", False)),
        ("'it''s'", "mariadb", ("it's", False)),
        ("NULL", "mariadb", (None, False)),
        (None, "mariadb", (None, False)),
        ("0", "mariadb", ("0", False)),
        ("current_timestamp()", "mariadb", ("current_timestamp()", True)),
        (b"abc", "mysql", ("abc", False)),
    ],
)
def test_defaults_in_one_convention(raw, flavour, expected):
    assert parse.normalize_default(raw, flavour) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.11.19-MariaDB-0+deb12u1", ("mariadb", (10, 11, 19))),
        ("5.5.5-10.6.21-MariaDB-log", ("mariadb", (10, 6, 21))),
        ("8.4.3", ("mysql", (8, 4, 3))),
        ("9.1.0-commercial", ("mysql", (9, 1, 0))),
    ],
)
def test_parse_version(text, expected):
    assert parse.parse_version(text) == expected


def _column(**over):
    row = {
        "name": "c", "schema": "db", "ordinal_position": 1, "data_type": "int", "column_type": "int(11)",
        "is_nullable": "YES", "default_value": None, "extra": "", "generation_expression": "",
        "comment": "", "char_length": None, "numeric_precision": 10, "numeric_scale": 0,
        "datetime_precision": None, "charset": None, "collation": None, "column_key": "",
    }  # fmt: skip
    row.update(over)
    return row


def test_column_generated_invisible_on_update():
    c = parse.parse_column(
        _column(extra="VIRTUAL GENERATED", generation_expression="`a` + 1"), "t", "mysql"
    )
    assert (
        c.is_generated and c.generated_expression == "`a` + 1" and c.extra["generated"] == "virtual"
    )
    c = parse.parse_column(
        _column(extra="STORED GENERATED INVISIBLE", generation_expression="1"), "t", "mysql"
    )
    assert c.extra["generated"] == "stored" and c.extra["invisible"] is True
    c = parse.parse_column(
        _column(data_type="timestamp", column_type="timestamp", default_value="CURRENT_TIMESTAMP",
                extra="DEFAULT_GENERATED on update CURRENT_TIMESTAMP", is_nullable="NO"),
        "t", "mysql",
    )  # fmt: skip
    assert c.default_value == "CURRENT_TIMESTAMP" and c.extra["default_is_expression"] is True
    assert c.extra["on_update"] == "CURRENT_TIMESTAMP" and c.nullable == ColumnNullable.NOT_NULL
    c = parse.parse_column(
        _column(generation_expression=None, column_type="int(10) unsigned"), "t", "mariadb"
    )
    assert not c.is_generated and c.generated_expression is None and c.extra["unsigned"] is True


def _stat(name, seq, column, **over):
    row = {
        "name": name, "schema": "db", "non_unique": 1, "seq": seq, "column_name": column, "collation": "A",
        "sub_part": None, "index_type": "BTREE", "comment": "", "expression": None, "hidden": 0, "nullable": "",
    }  # fmt: skip
    row.update(over)
    return row


def test_index_rows_grouped_with_functional_parts_and_prefixes():
    rows = [
        _stat("PRIMARY", 1, "id", non_unique=0),
        _stat("ix", 1, "a", collation="D"),
        _stat("ix", 2, None, expression="(lower(`b`))"),
        _stat("ix", 3, "c", sub_part=10),
        _stat("ft", 1, "body", index_type="FULLTEXT", collation=None, hidden=1),
    ]
    pk, ix, ft = parse.parse_indexes(rows, "t")
    assert pk.is_primary and pk.is_unique and [c.name for c in pk.columns] == ["id"]
    assert [c.name for c in ix.columns] == ["a", "(lower(`b`))", "c"]
    assert [c.is_descending for c in ix.columns] == [True, False, False]
    assert ix.extra["expressions"] == ["(lower(`b`))"] and ix.extra["prefix_lengths"] == {"c": 10}
    assert ft.index_type == IndexType.FULLTEXT and ft.extra["invisible"] is True


def test_foreign_key_rows_grouped_in_order():
    base = {"schema": "db", "referenced_schema": "db", "referenced_table": "p", "on_update": "SET NULL",
            "on_delete": "CASCADE", "match_option": "NONE"}  # fmt: skip
    rows = [
        {**base, "name": "fk", "column_name": "a", "ordinal_position": 1, "referenced_column": "x"},
        {**base, "name": "fk", "column_name": "b", "ordinal_position": 2, "referenced_column": "y"},
    ]
    (fk,) = parse.parse_foreign_keys(rows, "c")
    assert (fk.columns, fk.referenced_columns) == (["a", "b"], ["x", "y"])
    assert (fk.on_update, fk.on_delete) == (ReferentialAction.SET_NULL, ReferentialAction.CASCADE)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("int(11)", "int"),
        ("INTEGER", "int"),
        ("bigint(20)", "bigint"),
        ("tinyint(1)", "bool"),
        ("int(10) unsigned", "int unsigned"),
        ("numeric(8,2)", "decimal(8,2)"),
        ("decimal", "decimal(10,0)"),
        ("decimal(8)", "decimal(8,0)"),
        ("double precision", "double"),
        ("character varying(20)", "varchar(20)"),
        ("VARCHAR( 20 )", "varchar(20)"),
    ],
)
def test_type_spellings_equal(a, b):
    assert normalize_type(a) == normalize_type(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("varchar(20)", "varchar(30)"), ("int unsigned", "int"), ("decimal(8,2)", "decimal(8,3)")],
)
def test_type_spellings_that_differ(a, b):
    assert normalize_type(a) != normalize_type(b)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [("CREATE TABLE t (a int)", True), ("  alter table t add b int", True), ("DROP VIEW v", True),
     ("RENAME TABLE a TO b", True), ("SELECT 1", False), ("INSERT INTO t VALUES (1)", False), ("", False)],
)  # fmt: skip
def test_schema_change_statements(sql, expected):
    assert is_schema_change(sql) is expected
