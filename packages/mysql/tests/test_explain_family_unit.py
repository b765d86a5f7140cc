"""Family EXPLAIN without a server: SQL per flavour and version, and plan parsing on output
recorded from MariaDB 10.11 and written from MySQL 8.0's documented format
(tests/explain_data/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rhosocial.activerecord.backend.dialect.exceptions import UnsupportedFeatureError
from rhosocial.activerecord.backend.expression import RawSQLExpression
from rhosocial.activerecord.backend.expression.statements import ExplainFormat, ExplainOptions
from rhosocial.activerecord.backend.impl.mysql.explain import (
    MariaDBExplainAnalyzeResult,
    MariaDBExplainJsonResult,
    MariaDBExplainResult,
    MariaDBExplainRow,
    MySQLExplainResult,
    build_explain_sql,
    parse_tree,
)
from rhosocial.activerecord.backend.impl.mysql.explain.backend import (
    engine_check,
    refuse_non_transactional,
)
from rhosocial.activerecord.backend.impl.mysql.features import ServerFeatures

DATA = Path(__file__).parent / "explain_data"
MARIADB = json.loads((DATA / "mariadb-10.11.json").read_text())
MYSQL = json.loads((DATA / "mysql-8.0-documented.json").read_text())

MYSQL_8_0_15 = ServerFeatures("mysql", (8, 0, 15))
MYSQL_8_0_17 = ServerFeatures("mysql", (8, 0, 17))
MYSQL_8_0_18 = ServerFeatures("mysql", (8, 0, 18))
MYSQL_8_4 = ServerFeatures("mysql", (8, 4, 3))
MARIADB_10_11 = ServerFeatures("mariadb", (10, 11, 19))


def sql_for(options, features):
    return build_explain_sql("SELECT 1", options, features)


# --- SQL by flavour and version ------------------------------------------------------------


@pytest.mark.parametrize("features", [MYSQL_8_0_15, MYSQL_8_4, MARIADB_10_11])
def test_plain_and_json_explain_are_the_same_on_both_flavours(features):
    assert sql_for(None, features) == ("EXPLAIN SELECT 1", "TRADITIONAL", False)
    assert sql_for(ExplainOptions(format=ExplainFormat.JSON), features) == (
        "EXPLAIN FORMAT=JSON SELECT 1",
        "JSON",
        False,
    )


def test_tree_is_gated_on_mysql_8_0_16_and_absent_on_mariadb():
    tree = ExplainOptions(format=ExplainFormat.TREE)
    assert sql_for(tree, MYSQL_8_4)[0] == "EXPLAIN FORMAT=TREE SELECT 1"
    with pytest.raises(UnsupportedFeatureError, match=r"8\.0\.16 or newer; this is MySQL 8\.0\.15"):
        sql_for(tree, MYSQL_8_0_15)
    with pytest.raises(UnsupportedFeatureError, match="FORMAT=TREE"):
        sql_for(tree, MARIADB_10_11)


def test_explain_analyze_is_gated_on_mysql_8_0_18():
    analyze = ExplainOptions(analyze=True)
    assert sql_for(analyze, MYSQL_8_0_18) == ("EXPLAIN ANALYZE SELECT 1", "TREE", True)
    with pytest.raises(UnsupportedFeatureError, match=r"8\.0\.18 or newer; this is MySQL 8\.0\.17"):
        sql_for(analyze, MYSQL_8_0_17)
    with pytest.raises(UnsupportedFeatureError, match="ANALYZE FORMAT=JSON"):
        sql_for(ExplainOptions(analyze=True, format=ExplainFormat.JSON), MYSQL_8_4)


def test_mariadb_analyze_is_its_own_statement():
    assert sql_for(ExplainOptions(analyze=True), MARIADB_10_11) == (
        "ANALYZE SELECT 1",
        "TRADITIONAL",
        True,
    )
    assert sql_for(ExplainOptions(analyze=True, format=ExplainFormat.JSON), MARIADB_10_11)[0] == (
        "ANALYZE FORMAT=JSON SELECT 1"
    )


@pytest.mark.parametrize(
    "options, named",
    [
        (ExplainOptions(buffers=True), "BUFFERS"),
        (ExplainOptions(verbose=True), "VERBOSE"),
        (ExplainOptions(costs=False), "COSTS OFF"),
        (ExplainOptions(format=ExplainFormat.YAML), "FORMAT=YAML"),
    ],
)
def test_options_the_family_lacks_are_refused_not_dropped(options, named):
    for features in (MYSQL_8_4, MARIADB_10_11):
        with pytest.raises(UnsupportedFeatureError, match=named):
            sql_for(options, features)


def test_engine_check_binds_every_table_and_refuses_non_transactional_engines():
    sql, params = engine_check([(None, "a"), ("shop", "b")])
    assert params == (None, "a", "shop", "b")
    assert sql.count("%s") == 4 and "information_schema.ENGINES" in sql
    rows = [
        {"table_schema": "h", "table_name": "a", "engine": "InnoDB", "transactions": "YES"},
        {"table_schema": "h", "table_name": "b", "engine": "Aria", "transactions": "NO"},
    ]
    with pytest.raises(UnsupportedFeatureError, match=r"h\.b \(Aria\) cannot roll back"):
        refuse_non_transactional("MariaDB", rows)
    refuse_non_transactional("MariaDB", rows[:1])  # InnoDB only: allowed


# --- MariaDB 10.11, recorded -----------------------------------------------------------------


def parse(result_class, case, fmt, analyze):
    recorded = case["raw_rows"]
    return result_class.from_rows(recorded, case["sql"], 0.001, fmt, analyze)


def test_mariadb_tabular_rows():
    result = parse(MariaDBExplainResult, MARIADB["select_tabular"], "TRADITIONAL", False)
    assert [(r.table, r.type, r.key, r.rows) for r in result.rows] == [
        ("a", "range", "PRIMARY", 4),
        ("b", "ref", "rec_book_author", 5),
    ]
    assert result.rows[1].ref == "h_e.a.id"
    assert result.analyze_index_usage() == "index_with_lookup" and result.is_index_used


def test_mariadb_tabular_analyze_rows_carry_what_execution_measured():
    result = parse(MariaDBExplainAnalyzeResult, MARIADB["select_analyze"], "TRADITIONAL", True)
    assert all(isinstance(r, MariaDBExplainRow) for r in result.rows)
    assert [(r.table, r.rows, r.r_rows, r.filtered, r.r_filtered) for r in result.rows] == [
        ("a", 4, 4.0, 100.0, 100.0),
        ("b", 5, 10.0, 100.0, 100.0),
    ]


def test_mariadb_json_tables():
    result = parse(MariaDBExplainJsonResult, MARIADB["select_json"], "JSON", False)
    assert result.json_data is not None and "query_block" in result.json_data
    assert [(t.select_id, t.table_name, t.access_type, t.key, t.rows) for t in result.tables] == [
        (1, "a", "range", "PRIMARY", 4.0),
        (1, "b", "ref", "rec_book_author", 5.0),
    ]
    assert result.tables[0].filtered == 100.0
    assert result.tables[0].attached_condition == "a.`id` < 5"
    assert result.tables[1].ref == ["h_e.a.id"]


def test_mariadb_analyze_json_has_r_figures_and_nested_subquery_tables():
    result = parse(MariaDBExplainAnalyzeResult, MARIADB["subquery_analyze_json"], "JSON", True)
    names = [(t.select_id, t.table_name, t.access_type) for t in result.tables]
    # the sorted file's table, the materialized subquery's handle, then the subquery's table
    assert names == [(1, "rec_author", "ALL"), (1, "<subquery2>", "eq_ref"), (2, "rec_book", "ALL")]
    book = result.tables[2]
    assert book.rows == 2000 and book.r_rows == 2000 and book.r_loops == 1
    assert book.r_filtered == pytest.approx(55.55)
    assert book.r_total_time_ms == pytest.approx(book.r_table_time_ms + book.r_other_time_ms)
    assert result.r_total_time_ms is not None and result.r_total_time_ms > 0
    assert result.is_full_scan


def test_mariadb_delete_json_names_its_table():
    result = parse(MariaDBExplainJsonResult, MARIADB["delete_json"], "JSON", False)
    (table,) = result.tables
    assert (table.table_name, table.key, table.extra.get("delete")) == (
        "rec_book",
        "rec_book_author",
        1,
    )


# --- MySQL 8.0, from the documented format ---------------------------------------------------


def test_mysql_tabular_rows():
    result = parse(MySQLExplainResult, MYSQL["select_tabular"], "TRADITIONAL", False)
    assert [(r.table, r.type, r.key, r.rows, r.filtered, r.extra) for r in result.rows] == [
        ("a", "range", "PRIMARY", 4, 100.0, "Using where"),
        ("b", "ref", "rec_book_author", 10, 100.0, None),
    ]


def test_mysql_json_reads_string_figures_and_cost_info():
    result = parse(MySQLExplainResult, MYSQL["select_json"], "JSON", False)
    assert result.query_cost == pytest.approx(15.61)
    a, b = result.tables
    assert (a.table_name, a.rows, a.filtered, a.cost) == ("a", 4.0, 100.0, pytest.approx(1.61))
    assert (b.table_name, b.key, b.rows, b.cost) == (
        "b",
        "rec_book_author",
        10,
        pytest.approx(15.61),
    )
    assert b.extra["cost_info"]["data_read_per_join"] == "6K"


def test_mysql_tree():
    result = parse(MySQLExplainResult, MYSQL["select_tree"], "TREE", False)
    (root,) = result.tree
    assert (root.operation, root.cost, root.rows) == ("Nested loop inner join", 15.61, 40.0)
    assert [c.operation for c in root.children] == [
        "Filter: (a.id < 5)",
        "Index lookup on b using rec_book_author (author_id=a.id)",
    ]
    assert root.children[0].children[0].operation.startswith("Index range scan on a")
    assert root.actual_rows is None
    assert result.analyze_index_usage() == "index_with_lookup"


def test_mysql_explain_analyze_tree_has_actual_figures():
    result = parse(MySQLExplainResult, MYSQL["select_analyze"], "TREE", True)
    lookup = result.tree[0].children[1]
    assert (lookup.actual_first_row_ms, lookup.actual_last_row_ms) == (0.0153, 0.0389)
    assert (lookup.actual_rows, lookup.actual_loops) == (10.0, 4)
    assert len(list(result.tree[0].walk())) == 4


def test_mysql_never_executed_node():
    (root,) = parse_tree(MYSQL["never_executed_analyze"]["raw_rows"][0]["EXPLAIN"])
    scan, lookup = root.children
    assert scan.operation == "Table scan on a" and scan.actual_rows == 0
    assert lookup.never_executed and lookup.actual_rows is None and lookup.cost == 0.35


# --- what ANALYZE may run, decided before anything is sent -----------------------------------


def planner_for(version, flavour):
    from rhosocial.activerecord.backend.impl.mysql.dialect import MySQLDialect
    from rhosocial.activerecord.backend.impl.mysql.explain.backend import _FamilyExplainPlanner

    planner = _FamilyExplainPlanner()
    planner.dialect = MySQLDialect(version=version, flavour=flavour)
    return planner


def test_analyze_of_writes_checks_the_written_tables_engines_first():
    from rhosocial.activerecord.backend.expression.statements import DeleteExpression

    planner = planner_for((10, 11, 19), "mariadb")
    delete = DeleteExpression(planner.dialect, "books")
    request = planner._explain_request(delete, ExplainOptions(analyze=True), (10, 11, 19))
    assert request.executes and request.sql == "ANALYZE DELETE FROM `books`"
    assert request.check is not None and request.check[1] == (None, "books")
    select = RawSQLExpression(planner.dialect, "SELECT 1")
    read = planner._explain_request(select, ExplainOptions(analyze=True), (10, 11, 19))
    assert read.executes and read.check is None  # a read is analyzed in a rolled-back tx too


def test_mysql_refuses_analyze_of_single_table_writes_before_sending():
    from rhosocial.activerecord.backend.expression.statements import DeleteExpression

    planner = planner_for((8, 4, 3), "mysql")
    delete = DeleteExpression(planner.dialect, "books")
    with pytest.raises(UnsupportedFeatureError, match="single-table"):
        planner._explain_request(delete, ExplainOptions(analyze=True), (8, 4, 3))
    plain = planner._explain_request(delete, None, (8, 4, 3))
    assert plain.sql == "EXPLAIN DELETE FROM `books`" and not plain.executes
