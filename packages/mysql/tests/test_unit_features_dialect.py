"""Feature flags and dialect SQL per flavour and version (no server)."""

import pytest

from rhosocial.activerecord.backend.dialect.exceptions import UnsupportedFeatureError
from rhosocial.activerecord.backend.expression import Column, Literal
from rhosocial.activerecord.backend.impl.mysql import MySQLDialect, ServerFeatures
from rhosocial.activerecord.backend.impl.mysql.features import parse_server_version

MYSQL_80, MYSQL_84, MYSQL_9 = ("mysql", (8, 0, 36)), ("mysql", (8, 4, 0)), ("mysql", (9, 1, 0))
MARIA_106, MARIA_1011, MARIA_114, MARIA_118 = (
    ("mariadb", (10, 6, 18)),
    ("mariadb", (10, 11, 19)),
    ("mariadb", (11, 4, 3)),
    ("mariadb", (11, 8, 2)),
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10.11.19-MariaDB-0+deb12u1", ("mariadb", (10, 11, 19))),
        ("5.5.5-10.6.18-MariaDB-log", ("mariadb", (10, 6, 18))),
        ("8.0.36", ("mysql", (8, 0, 36))),
        ("8.4.0-commercial", ("mysql", (8, 4, 0))),
        ("9.1", ("mysql", (9, 1, 0))),
    ],
)
def test_parse_server_version(text, expected):
    assert parse_server_version(text) == expected


@pytest.mark.parametrize(
    "server, flags",
    [
        (
            MYSQL_80,
            dict(
                cte=True,
                window_functions=True,
                returning_insert=False,
                returning_delete=False,
                lateral=True,
                intersect_except=True,
                native_uuid=False,
                sequences=False,
                json_arrow_operators=True,
                json_is_text=False,
                skip_locked=True,
            ),
        ),
        (("mysql", (8, 0, 13)), dict(lateral=False, intersect_except=False)),
        (("mysql", (8, 0, 30)), dict(lateral=True, intersect_except=False)),
        (MYSQL_84, dict(lateral=True, intersect_except=True, returning_insert=False)),
        (MYSQL_9, dict(explain_analyze=True, upsert_row_alias=True)),
        (
            MARIA_106,
            dict(
                returning_insert=True,
                returning_delete=True,
                returning_update=False,
                native_uuid=False,
                inet6=True,
                inet4=False,
                sequences=True,
                lateral=False,
                intersect_except=True,
                json_is_text=True,
                skip_locked=True,
            ),
        ),
        (MARIA_1011, dict(native_uuid=True, inet4=True, inet6=True)),
        (MARIA_114, dict(native_uuid=True, returning_update=False)),
        (MARIA_118, dict(native_uuid=True, lateral=False)),
        (
            ("mariadb", (10, 4, 0)),
            dict(returning_insert=False, returning_delete=True, inet6=False, skip_locked=False),
        ),
    ],
)
def test_feature_flags(server, flags):
    features = ServerFeatures(*server)
    for name, value in flags.items():
        assert getattr(features, name) is value, name


def test_statement_timeout_variable_per_flavour():
    assert ServerFeatures(*MYSQL_80).statement_timeout_variable == "max_execution_time"
    assert ServerFeatures(*MARIA_1011).statement_timeout_variable == "max_statement_time"


def test_dialect_follows_features():
    d = MySQLDialect((8, 0, 20))
    assert d.flavour == "mysql" and not d.supports_intersect() and not d.supports_returning_insert()
    d.features = ServerFeatures(*MARIA_1011)
    assert d.flavour == "mariadb" and d.name == "MariaDB" and d.version == (10, 11, 19)
    assert (
        d.supports_intersect()
        and d.supports_returning_insert()
        and not d.supports_returning_update()
    )
    assert not d.supports_returning_clause()  # the AND of the three statements


def test_quoting_placeholder_and_limits():
    d = MySQLDialect((8, 4, 0))
    assert d.format_identifier("a`b") == "`a``b`"
    assert d.get_parameter_placeholder() == "%s"
    assert d.format_limit_offset(None, 5) == ("LIMIT 18446744073709551615 OFFSET %s", [5])
    assert d.format_limit_offset(10, 5) == ("LIMIT %s OFFSET %s", [10, 5])


@pytest.mark.parametrize(
    "portable, mysql",
    [
        ("INTEGER", "SIGNED"),
        ("BIGINT", "SIGNED"),
        ("TEXT", "CHAR"),
        ("VARCHAR(20)", "CHAR(20)"),
        ("NUMERIC(10, 2)", "DECIMAL(10, 2)"),
        ("TIMESTAMP", "DATETIME"),
        ("DATE", "DATE"),
        ("DOUBLE PRECISION", "DOUBLE"),
    ],
)
def test_cast_targets(portable, mysql):
    d = MySQLDialect((8, 0, 36))
    sql, _ = d.format_cast_expression("`x`", portable, ())
    assert sql == f"CAST(`x` AS {mysql})"


def test_with_rollup_and_unsupported_cube():
    d = MySQLDialect((8, 0, 36))
    sql, params = d.format_grouping_expression("ROLLUP", [Column(d, "a"), Column(d, "b")])
    assert sql == "`a`, `b` WITH ROLLUP" and params == ()
    with pytest.raises(UnsupportedFeatureError):
        d.format_grouping_expression("CUBE", [Column(d, "a")])


def test_upsert_is_on_duplicate_key_update():
    from rhosocial.activerecord.backend.expression.statements import OnConflictClause

    d = MySQLDialect((8, 0, 36))
    update = OnConflictClause(d, conflict_target=["id"], update_assignments={"n": Literal(d, 5)})
    assert d.format_on_conflict_clause(update) == ("ON DUPLICATE KEY UPDATE `n` = %s", (5,))
    nothing = OnConflictClause(d, conflict_target=["id"], do_nothing=True)
    assert d.format_on_conflict_clause(nothing) == ("ON DUPLICATE KEY UPDATE `id` = `id`", ())


def test_transaction_statements():
    from rhosocial.activerecord.backend.transaction import IsolationLevel

    d = MySQLDialect((8, 0, 36))
    assert (
        d.format_isolation_level(IsolationLevel.READ_COMMITTED)
        == "SET TRANSACTION ISOLATION LEVEL READ COMMITTED"
    )
    assert d.supports_savepoint() and d.supports_read_only_transaction()
    assert not d.supports_isolation_level_in_begin()


def test_json_uses_functions_on_both_flavours():
    from rhosocial.activerecord.backend.expression.functions import json_extract_text

    for d in (MySQLDialect((8, 0, 36)), MySQLDialect((10, 11, 0), "mariadb")):
        sql, _ = json_extract_text(d, "doc", "$.a").to_sql()
        assert sql == "JSON_UNQUOTE(JSON_EXTRACT(`doc`, '$.a'))"
        assert d.supports_functions()["json_extract_text"] and d.supports_json_type()


def test_explain_per_flavour():
    from rhosocial.activerecord.backend.expression import RawSQLExpression
    from rhosocial.activerecord.backend.expression.statements import (
        ExplainExpression,
        ExplainOptions,
    )

    for flavour, version, expected in (
        ("mysql", (8, 0, 36), "EXPLAIN ANALYZE SELECT 1"),
        ("mariadb", (10, 11, 0), "ANALYZE SELECT 1"),
    ):
        d = MySQLDialect(version, flavour)
        expr = ExplainExpression(d, RawSQLExpression(d, "SELECT 1"), ExplainOptions(analyze=True))
        assert d.format_explain_statement(expr)[0] == expected


def test_ddl_types_and_if_exists_modifiers():
    from rhosocial.activerecord.backend.expression.statements import ColumnDefinition
    from rhosocial.activerecord.backend.expression.statements.ddl_alter import (
        AddColumn,
        DropTableConstraint,
    )
    from rhosocial.activerecord.backend.expression.types import DateTimeType, DecimalType, TextType

    maria, mysql = MySQLDialect((10, 11, 0), "mariadb"), MySQLDialect((8, 0, 36))
    assert maria.format_data_type(DateTimeType())[0] == "DATETIME(6)"
    assert maria.format_data_type(DecimalType(10, 2))[0] == "DECIMAL(10, 2)"
    assert (
        AddColumn(maria, ColumnDefinition("c", TextType()), if_not_exists=True)
        .to_sql()[0]
        .startswith("ADD COLUMN IF NOT EXISTS")
    )
    assert not mysql.supports_add_column_if_not_exists()
    assert (
        "IF EXISTS" in DropTableConstraint(maria, constraint_name="k", if_exists=True).to_sql()[0]
    )
    assert not mysql.supports_drop_constraint_if_exists()


@pytest.mark.parametrize(
    "server, nowait, skip_locked",
    [
        (("mysql", (5, 7, 44)), False, False),
        (("mysql", (8, 0, 0)), False, False),
        (("mysql", (8, 0, 1)), True, True),
        (MYSQL_84, True, True),
        (("mariadb", (10, 2, 44)), False, False),
        (("mariadb", (10, 3, 0)), True, False),
        (("mariadb", (10, 5, 26)), True, False),
        (MARIA_106, True, True),
        (MARIA_1011, True, True),
    ],
)
def test_for_update_options_are_rendered_only_where_the_server_has_them(
    server, nowait, skip_locked
):
    from rhosocial.activerecord.backend.expression.query_parts import ForUpdateClause

    d = MySQLDialect(server[1], server[0])
    assert (d.supports_for_update_nowait(), d.supports_for_update_skip_locked()) == (
        nowait,
        skip_locked,
    )
    assert ForUpdateClause(d).to_sql() == ("FOR UPDATE", ())
    label = f"{d.name} {'.'.join(map(str, server[1]))}"
    for option, supported in (("NOWAIT", nowait), ("SKIP LOCKED", skip_locked)):
        clause = ForUpdateClause(d, nowait=option == "NOWAIT", skip_locked=option == "SKIP LOCKED")
        if supported:
            assert clause.to_sql() == (f"FOR UPDATE {option}", ())
            continue
        with pytest.raises(
            UnsupportedFeatureError, match=f"FOR UPDATE {option}.*The server is {label}"
        ):
            clause.to_sql()


def test_for_update_nowait_and_skip_locked_together_are_refused_not_half_rendered():
    from rhosocial.activerecord.backend.expression.query_parts import ForUpdateClause

    d = MySQLDialect(MARIA_1011[1], "mariadb")
    with pytest.raises(UnsupportedFeatureError, match="NOWAIT together with SKIP LOCKED"):
        ForUpdateClause(d, nowait=True, skip_locked=True).to_sql()


def test_for_update_of_is_mysql_8_only():
    from rhosocial.activerecord.backend.expression.query_parts import ForUpdateClause

    mysql = MySQLDialect(MYSQL_80[1])
    assert ForUpdateClause(mysql, of_columns=["t"]).to_sql() == ("FOR UPDATE OF `t`", ())
    for d in (MySQLDialect((5, 7, 44)), MySQLDialect(MARIA_1011[1], "mariadb")):
        with pytest.raises(UnsupportedFeatureError, match="FOR UPDATE OF"):
            ForUpdateClause(d, of_columns=["t"]).to_sql()


def test_every_flag_is_one_named_line_of_the_dialect():
    """Flags are found by grep and read the feature table; on the class they are the ``Flag``."""
    import inspect
    import re

    from rhosocial.activerecord.backend.impl.mysql import dialect as dialect_module
    from rhosocial.activerecord.backend.impl.mysql.features import Flag

    source = inspect.getsource(dialect_module)
    flags = [n for n in vars(MySQLDialect) if n.startswith("supports_")]
    assert len(flags) > 40
    for name in flags:
        assert re.search(rf"^    (def )?{name}\b", source, re.M), name
    assert isinstance(vars(MySQLDialect)["supports_basic_cte"], Flag)
    old, new = MySQLDialect((8, 0, 0)), MySQLDialect((8, 0, 31))
    assert (old.supports_intersect(), new.supports_intersect()) == (False, True)
    assert MySQLDialect().supports_union() is True and MySQLDialect().supports_full_join() is False


def test_describe_lists_every_gate_of_the_table():
    described = ServerFeatures(*MARIA_1011).describe()
    assert described["sequences"] is True and described["lateral"] is False
    assert described["is_mariadb"] is True and described["json_is_text"] is True
    assert {"cte", "returning_insert", "drop_constraint_if_exists"} <= described.keys()
