"""Dialect rendering and feature flags (no server)."""

import pytest

from rhosocial.activerecord.backend.dialect.exceptions import DialectNotAdaptedException
from rhosocial.activerecord.backend.dialect.protocols import (
    CTESupport,
    LockingSupport,
    MergeSupport,
    SetOperationSupport,
)
from rhosocial.activerecord.backend.expression import Column
from rhosocial.activerecord.backend.expression.functions.json import json_extract, json_extract_text
from rhosocial.activerecord.backend.expression.transaction import BeginTransactionExpression
from rhosocial.activerecord.backend.impl.postgres import PostgresDialect
from rhosocial.activerecord.backend.impl.postgres.dialect import json_path_elements
from rhosocial.activerecord.backend.impl.postgres.features import (
    first_versions,
    parse_server_version,
)
from rhosocial.activerecord.backend.impl.postgres.statements import (
    escape_percent,
    is_read_only_statement,
)
from rhosocial.activerecord.backend.transaction import IsolationLevel


@pytest.fixture
def d():
    return PostgresDialect((15, 4, 0))


def test_placeholder_and_identifier(d):
    assert d.get_parameter_placeholder() == "%s"
    assert d.format_identifier('we"ird') == '"we""ird"'


def test_unadapted_dialect_refuses_version_gated_questions():
    with pytest.raises(DialectNotAdaptedException):
        PostgresDialect().supports_merge_statement()


@pytest.mark.parametrize(
    "version, merge, json_table, virtual_generated",
    [
        ((13, 0, 0), False, False, False),
        ((15, 2, 0), True, False, False),
        ((17, 0, 0), True, True, False),
        ((18, 0, 0), True, True, True),
    ],
)
def test_version_gates(version, merge, json_table, virtual_generated):
    d = PostgresDialect(version)
    assert d.supports_merge_statement() is merge
    assert d.supports_json_table() is json_table
    assert d.supports_virtual_generated_columns() is virtual_generated
    assert d.supports_materialized_cte() is True


def test_protocols_declared(d):
    for proto in (CTESupport, LockingSupport, MergeSupport, SetOperationSupport):
        assert isinstance(d, proto)
    assert d.supports_for_update() and d.supports_for_update_skip_locked()
    assert d.supports_intersect() and d.supports_except() and d.supports_union()
    assert not d.supports_set_operation_for_update()
    assert (
        d.supports_returning_insert()
        and d.supports_returning_update()
        and d.supports_returning_delete()
    )
    assert d.supports_ilike() and d.supports_lateral_join() and d.supports_rollup()
    assert d.supports_filter_clause() and d.supports_ordered_set_aggregation()
    assert d.supports_savepoint() and d.supports_deferrable_transaction()


def test_functions_map(d):
    funcs = d.supports_functions()
    assert funcs["json_extract_text"] is True
    assert funcs["json_objectagg"] is False  # PostgreSQL 16+
    assert PostgresDialect((16, 0, 0)).supports_functions()["json_objectagg"] is True
    assert "json_array_insert" not in funcs or funcs["json_array_insert"] is False


def test_begin_renders_isolation_read_only_deferrable(d):
    e = (
        BeginTransactionExpression(d)
        .isolation_level(IsolationLevel.SERIALIZABLE)
        .read_only()
        .deferrable(True)
    )
    assert e.to_sql() == ("BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE", ())
    assert BeginTransactionExpression(d).to_sql() == ("BEGIN", ())


def test_json_paths(d):
    assert json_extract_text(d, Column(d, "s"), "$.lang").to_sql()[0] == "\"s\"::jsonb ->> 'lang'"
    assert (
        json_extract(d, Column(d, "m"), "$.tags[0]").to_sql()[0] == '"m"::jsonb #> \'{"tags","0"}\''
    )
    assert (
        json_extract_text(d, Column(d, "m"), '$.a."b\'c"').to_sql()[0]
        == '"m"::jsonb #>> \'{"a","b\'\'c"}\''
    )
    assert json_path_elements("$.a[2].b") == ["a", "2", "b"]
    assert json_path_elements("key") is None


def test_explain_uses_option_list(d):
    from rhosocial.activerecord.backend.expression import RawSQLExpression
    from rhosocial.activerecord.backend.expression.statements import (
        ExplainExpression,
        ExplainFormat,
        ExplainOptions,
    )

    stmt = RawSQLExpression(d, "SELECT 1")
    sql, _ = ExplainExpression(
        d, stmt, ExplainOptions(analyze=True, format=ExplainFormat.JSON)
    ).to_sql()
    assert sql == "EXPLAIN (ANALYZE, FORMAT JSON) SELECT 1"


def test_percent_escaping():
    assert (
        escape_percent("SELECT '50%' || %s WHERE a LIKE 'x%s'")
        == "SELECT '50%%' || %s WHERE a LIKE 'x%%s'"
    )
    assert escape_percent("SELECT 7 % %s, %(name)s") == "SELECT 7 %% %s, %(name)s"
    assert escape_percent('SELECT 1 AS "a%b"') == 'SELECT 1 AS "a%%b"'


def test_read_only_classification():
    assert is_read_only_statement("SELECT * FROM t WHERE id = %s")
    assert is_read_only_statement("  select 1")
    assert not is_read_only_statement("INSERT INTO t VALUES (1)")
    assert not is_read_only_statement("SELECT nextval('s')")
    assert not is_read_only_statement("SELECT * FROM t FOR UPDATE")
    assert not is_read_only_statement("WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x")


def test_version_parsing_and_flags():
    assert parse_server_version(150020) == (15, 20, 0)
    assert parse_server_version(90624) == (9, 6, 24)
    assert first_versions()["merge_statement"] == (15, 0, 0)
    assert first_versions()["qualify_clause"] is None
    assert PostgresDialect((14, 0, 0)).supports_merge_statement() is False
