"""``backend.explain()`` for the MySQL/MariaDB family, gated by flavour and version.

What is sent:

=====================  =================================  ==================================
options                MySQL                              MariaDB
=====================  =================================  ==================================
none / TRADITIONAL     ``EXPLAIN stmt`` (tabular)         ``EXPLAIN stmt`` (tabular)
format=JSON            ``EXPLAIN FORMAT=JSON stmt``       ``EXPLAIN FORMAT=JSON stmt``
format=TREE            ``EXPLAIN FORMAT=TREE`` (8.0.16+)  refused (MariaDB has no TREE)
analyze                ``EXPLAIN ANALYZE`` (8.0.18+, TREE ``ANALYZE stmt`` (tabular + r_rows)
analyze + JSON         refused (not supported here yet)   ``ANALYZE FORMAT=JSON stmt``
=====================  =================================  ==================================

PostgreSQL's options (VERBOSE, BUFFERS, SETTINGS, WAL, COSTS OFF) have no family equivalent and
are refused rather than silently dropped.

With ANALYZE the statement is executed, inside a transaction that is rolled back (a savepoint
when the caller's transaction is open). Before a writing statement runs, the engines of the
tables it writes are read from ``information_schema``; a table whose engine cannot roll back
(MyISAM, Aria, MEMORY, CSV ...) makes ``explain()`` refuse with ``UnsupportedFeatureError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rhosocial.activerecord.backend.dialect.exceptions import UnsupportedFeatureError
from rhosocial.activerecord.backend.impl.common.explain import (
    AsyncGuardedExplainMixin,
    ExplainRequest,
    SyncGuardedExplainMixin,
    statement_sql,
)

from ..features import ServerFeatures
from ..sqltext import is_read_only
from .types import (
    MariaDBExplainAnalyzeResult,
    MariaDBExplainJsonResult,
    MariaDBExplainResult,
    MySQLExplainResult,
)

#: First MySQL versions with ``FORMAT=TREE`` and with ``EXPLAIN ANALYZE``.
MYSQL_TREE = (8, 0, 16)
MYSQL_ANALYZE = (8, 0, 18)


def _server(features: ServerFeatures) -> str:
    name = "MariaDB" if features.is_mariadb else "MySQL"
    return f"{name} {'.'.join(str(part) for part in features.version)}"


def build_explain_sql(
    statement: str, options: Any, features: ServerFeatures
) -> tuple[str, str, bool]:
    """``(sql, format, analyze)`` for one statement on a server with ``features``."""
    if options is None:
        return f"EXPLAIN {statement}", "TRADITIONAL", False
    from rhosocial.activerecord.backend.expression.statements import ExplainType

    dialect = "MariaDB" if features.is_mariadb else "MySQL"
    pg_only = [
        name
        for name, used in (
            ("VERBOSE", options.verbose),
            ("BUFFERS", options.buffers),
            ("SETTINGS", options.settings),
            ("WAL", options.wal),
            ("COSTS OFF", not options.costs),
        )
        if used
    ]
    if pg_only:
        raise UnsupportedFeatureError(
            dialect, f"EXPLAIN {', '.join(pg_only)}", "these are PostgreSQL's EXPLAIN options"
        )
    analyze = bool(options.analyze or options.type == ExplainType.ANALYZE)
    fmt = str(options.format.value).upper() if options.format is not None else "TRADITIONAL"
    if fmt not in ("TRADITIONAL", "JSON", "TREE"):
        raise UnsupportedFeatureError(dialect, f"EXPLAIN FORMAT={fmt}", "use JSON or TREE")
    if features.is_mariadb:
        if fmt == "TREE":
            raise UnsupportedFeatureError(
                dialect, "EXPLAIN FORMAT=TREE", "MariaDB has TRADITIONAL and JSON"
            )
        head = "ANALYZE" if analyze else "EXPLAIN"
        if fmt == "JSON":
            head += " FORMAT=JSON"
        return f"{head} {statement}", fmt, analyze
    if analyze:
        if features.version < MYSQL_ANALYZE:
            raise UnsupportedFeatureError(
                dialect,
                "EXPLAIN ANALYZE",
                f"needs MySQL 8.0.18 or newer; this is {_server(features)}",
            )
        if fmt == "JSON":
            raise UnsupportedFeatureError(
                dialect, "EXPLAIN ANALYZE FORMAT=JSON", "use FORMAT=TREE (EXPLAIN ANALYZE's own)"
            )
        return f"EXPLAIN ANALYZE {statement}", "TREE", True
    if fmt == "TREE":
        if features.version < MYSQL_TREE:
            raise UnsupportedFeatureError(
                dialect,
                "EXPLAIN FORMAT=TREE",
                f"needs MySQL 8.0.16 or newer; this is {_server(features)}",
            )
        return f"EXPLAIN FORMAT=TREE {statement}", fmt, False
    if fmt == "JSON":
        return f"EXPLAIN FORMAT=JSON {statement}", fmt, False
    return f"EXPLAIN {statement}", fmt, False


def written_tables(expression: Any) -> list[tuple[str | None, str]] | None:
    """``[(schema or None, table)]`` an expression writes; None when it cannot be told.

    INSERT/UPDATE/DELETE expressions name their targets; for a multi-table UPDATE or DELETE
    the joined tables count too (any of them may be written). Anything else is judged by its
    SQL text: a read writes nothing (``[]``), any other statement cannot be told (None).
    """
    from rhosocial.activerecord.backend.expression.core import TableExpression
    from rhosocial.activerecord.backend.expression.statements import (
        DeleteExpression,
        InsertExpression,
        UpdateExpression,
    )

    targets: list[Any]
    if isinstance(expression, InsertExpression):
        targets = [expression.into]
    elif isinstance(expression, UpdateExpression):
        targets = [expression.table, *_tables_in(expression.from_)]
    elif isinstance(expression, DeleteExpression):
        targets = [*expression.tables, *_tables_in(expression.using)]
    else:
        sql, _params = statement_sql(expression)
        return [] if is_read_only(sql) else None
    return [(t.schema_name, t.name) for t in targets if isinstance(t, TableExpression)]


def _single_table_write(expression: Any) -> bool:
    from rhosocial.activerecord.backend.expression.statements import (
        DeleteExpression,
        InsertExpression,
        UpdateExpression,
    )

    if isinstance(expression, InsertExpression):
        return True
    if isinstance(expression, UpdateExpression):
        return expression.from_ is None
    if isinstance(expression, DeleteExpression):
        return len(expression.tables) == 1 and expression.using is None
    return False


def _tables_in(source: Any) -> list[Any]:
    """TableExpressions in a FROM/USING source (a table, a join, or a list of them)."""
    from rhosocial.activerecord.backend.expression.core import TableExpression

    if source is None:
        return []
    if isinstance(source, TableExpression):
        return [source]
    if isinstance(source, (list, tuple)):
        return [t for item in source for t in _tables_in(item)]
    found = []
    for side in ("left_table", "right_table"):  # JoinExpression
        found += _tables_in(getattr(source, side, None))
    return found


def engine_check(tables: list[tuple[str | None, str]]) -> tuple[str, tuple[Any, ...]]:
    """The query that reads each written table's engine and whether it is transactional."""
    where = " OR ".join(
        "(t.TABLE_SCHEMA = COALESCE(%s, DATABASE()) AND t.TABLE_NAME = %s)" for _ in tables
    )
    params = tuple(value for schema, name in tables for value in (schema, name))
    sql = (
        "SELECT t.TABLE_SCHEMA AS table_schema, t.TABLE_NAME AS table_name, "
        "t.ENGINE AS engine, e.TRANSACTIONS AS transactions "
        "FROM information_schema.TABLES t "
        "LEFT JOIN information_schema.ENGINES e ON e.ENGINE = t.ENGINE "
        f"WHERE {where}"
    )
    return sql, params


def refuse_non_transactional(dialect: str, rows: list[dict[str, Any]]) -> None:
    """Raise when a written table's engine cannot roll back (TRANSACTIONS = 'NO')."""
    bad = [
        f"{row['table_schema']}.{row['table_name']} ({row['engine']})"
        for row in rows
        if str(row.get("transactions") or "").upper() == "NO"
    ]
    if bad:
        raise UnsupportedFeatureError(
            dialect,
            "EXPLAIN ANALYZE of a write to a non-transactional table",
            f"{', '.join(bad)} cannot roll back, so the statement's changes would stay; "
            "explain it without analyze",
        )


class _FamilyExplainPlanner:
    """The request for one ``explain()`` call (no I/O); the server's facts come from the
    dialect, which the connection set up (``get_server_version`` runs first)."""

    dialect: Any

    def _explain_request(
        self, expression: Any, options: Any, version: Sequence[int]
    ) -> ExplainRequest:
        features: ServerFeatures = self.dialect.features
        statement, params = statement_sql(expression)
        sql, fmt, analyze = build_explain_sql(statement, options, features)
        result_class = _result_class(features, fmt, analyze)

        def parse(rows: list[dict[str, Any]], sent: str, duration: float) -> MySQLExplainResult:
            return result_class.from_rows(rows, sent, duration, fmt, analyze)

        if not analyze:
            return ExplainRequest(sql=sql, params=params, executes=False, parse=parse)
        dialect_name = "MariaDB" if features.is_mariadb else "MySQL"
        if not features.is_mariadb and _single_table_write(expression):
            raise UnsupportedFeatureError(
                dialect_name,
                "EXPLAIN ANALYZE of an INSERT or a single-table UPDATE/DELETE",
                "MySQL analyzes SELECT, TABLE and multi-table UPDATE/DELETE statements only",
            )
        tables = written_tables(expression)
        if tables is None:
            raise UnsupportedFeatureError(
                dialect_name,
                "EXPLAIN ANALYZE of a raw writing statement",
                "build it as an InsertExpression, UpdateExpression or DeleteExpression, so "
                "the engines of the tables it writes can be checked",
            )
        check = engine_check(tables) if tables else None
        return ExplainRequest(
            sql=sql,
            params=params,
            executes=True,
            parse=parse,
            check=check,
            verify=lambda rows: refuse_non_transactional(dialect_name, rows),
        )


def _result_class(features: ServerFeatures, fmt: str, analyze: bool) -> type[MySQLExplainResult]:
    if not features.is_mariadb:
        return MySQLExplainResult
    if analyze:
        return MariaDBExplainAnalyzeResult
    if fmt == "JSON":
        return MariaDBExplainJsonResult
    return MariaDBExplainResult


class FamilyExplainMixin(_FamilyExplainPlanner, SyncGuardedExplainMixin):
    """``explain()`` of the family's sync backends: first in ``FamilySyncBackend``'s bases."""

    def explain(self, expression: Any, options: Any = None) -> MySQLExplainResult:
        result = super().explain(expression, options)
        assert isinstance(result, MySQLExplainResult)  # built by our parse()
        return result


class AsyncFamilyExplainMixin(_FamilyExplainPlanner, AsyncGuardedExplainMixin):
    """``explain()`` of the family's async backends: first in ``FamilyAsyncBackend``'s bases."""

    async def explain(self, expression: Any, options: Any = None) -> MySQLExplainResult:
        result = await super().explain(expression, options)
        assert isinstance(result, MySQLExplainResult)  # built by our parse()
        return result
