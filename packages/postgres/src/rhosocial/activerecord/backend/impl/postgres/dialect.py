"""The PostgreSQL SQL dialect.

Built like the core's reference dialect: ``SQLDialectBase`` + the generic formatting mixins + the
protocols they implement. What PostgreSQL does differently is overridden here: ``%s``
placeholders, ``BEGIN`` with isolation level / READ ONLY / DEFERRABLE, parenthesised ``EXPLAIN``
options, JSON paths (``$.a.b[0]`` -> ``#>> '{a,b,0}'``). Every ``supports_*`` flag without an argument
is one named line of ``features.PostgresFeatures``, so what is declared is one table to read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rhosocial.activerecord.backend.dialect.base import SQLDialectBase
from rhosocial.activerecord.backend.dialect.mixins import (
    AdvancedGroupingMixin,
    ArrayMixin,
    CollationMixin,
    ConstraintMixin,
    CTEMixin,
    DateTimeMixin,
    DDLColumnMixin,
    DMLMixin,
    DQLMixin,
    ExplainMixin,
    ExpressionMixin,
    FilterClauseMixin,
    FunctionMixin,
    GeneratedColumnMixin,
    GraphMixin,
    IdentifierMixin,
    ILIKEMixin,
    IndexMixin,
    JoinMixin,
    JSONMixin,
    LateralJoinMixin,
    LockingMixin,
    MergeMixin,
    OrderedSetAggregationMixin,
    PredicateMixin,
    QualifyClauseMixin,
    ReturningMixin,
    SchemaMixin,
    SequenceMixin,
    SetOperationMixin,
    TableMixin,
    TemporalTableMixin,
    TransactionControlMixin,
    TruncateMixin,
    UpsertMixin,
    ViewMixin,
    WindowFunctionMixin,
)
from rhosocial.activerecord.backend.dialect.protocols import (
    AdvancedGroupingSupport,
    AlterTableModifierSupport,
    ArraySupport,
    CollationSupport,
    ConstraintSupport,
    CTESupport,
    ExplainSupport,
    FilterClauseSupport,
    GeneratedColumnSupport,
    GraphSupport,
    ILIKESupport,
    IndexSupport,
    JoinSupport,
    JSONSupport,
    LateralJoinSupport,
    LockingSupport,
    MergeSupport,
    OrderedSetAggregationSupport,
    QualifyClauseSupport,
    ReturningSupport,
    SchemaSupport,
    SequenceSupport,
    SetOperationSupport,
    SQLFunctionSupport,
    TableSupport,
    TemporalTableSupport,
    TransactionControlSupport,
    TruncateSupport,
    UpsertSupport,
    ViewSupport,
    WildcardSupport,
    WindowFunctionSupport,
)
from rhosocial.activerecord.backend.expression.types import CustomType, DataType
from rhosocial.activerecord.backend.transaction import IsolationLevel, TransactionMode

from .ddl_types import PostgresTypeMixin
from .features import JSON_TABLE_SINCE, MIN_VERSION, PostgresFeatures

if TYPE_CHECKING:  # pragma: no cover
    from rhosocial.activerecord.backend.expression.advanced_functions import JSONExpression
    from rhosocial.activerecord.backend.expression.statements import ExplainExpression
    from rhosocial.activerecord.backend.expression.transaction import BeginTransactionExpression

    from .introspection.differ import PostgresSchemaDiffer

# Named functions of the core's expression library that PostgreSQL runs as rendered.
# ``None`` = all supported servers; a tuple = first server version with it.
_FUNCTIONS: dict[str, tuple[int, ...] | None] = {
    name: None
    for name in (
        "count sum_ avg min_ max_ array_agg unnest array_length case nullif greatest least "
        "now current_date current_time current_timestamp localtimestamp extract date_part "
        "date_trunc interval grouping_sets rollup cube json_extract json_extract_text "
        "json_build_object json_array_elements json_objectagg json_arrayagg abs_ round_ ceil "
        "floor sqrt power exp log sin cos tan mod sign concat coalesce length substring trim "
        "replace upper lower initcap left right lpad rpad reverse strpos concat_op chr_ ascii "
        "octet_length bit_length position overlay translate repeat current_user session_user "
        "cast to_char to_number to_date row_number rank dense_rank lag lead first_value "
        "last_value nth_value"
    ).split()
}
_FUNCTIONS.update(
    {"json_objectagg": (16, 0, 0), "json_arrayagg": (16, 0, 0), "system_user": (16, 0, 0)}
)

_SIMPLE_OPERAND = re.compile(r'"(?:[^"]|"")+"(?:\."(?:[^"]|"")+")*')
_JSON_PATH_TOKEN = re.compile(r"\.(?:\"((?:[^\"\\]|\\.)*)\"|([^.\[\]]+))|\[(\d+)\]")


def json_path_elements(path: str) -> list[str] | None:
    """``$.a."b c"[0]`` -> ``['a', 'b c', '0']``; None when ``path`` is not a ``$`` path."""
    if not path.startswith("$"):
        return None
    rest, pos, out = path[1:], 0, []
    while pos < len(rest):
        m = _JSON_PATH_TOKEN.match(rest, pos)
        if not m:
            raise ValueError(f"Unsupported JSON path for PostgreSQL: {path!r}")
        out.append(m.group(1) if m.group(1) is not None else (m.group(2) or m.group(3)))
        pos = m.end()
    return out


def _pg_text_array_literal(items: list[str]) -> str:
    """A ``text[]`` literal: each element double-quoted, ``"``/``\\`` escaped, ``'`` doubled."""
    quoted = ['"' + i.replace("\\", "\\\\").replace('"', '\\"') + '"' for i in items]
    return "'{" + ",".join(quoted).replace("'", "''") + "}'"


# The core's ArrayMixin/JSONMixin disagree with its own ArraySupport/JSONSupport protocols on
# format_array_expression, format_json_expression and format_json_table_expression.
class PostgresDialect(  # type: ignore[misc]
    PostgresFeatures,
    SQLDialectBase,
    PostgresTypeMixin,
    CTEMixin,
    FilterClauseMixin,
    WindowFunctionMixin,
    JSONMixin,
    ReturningMixin,
    AdvancedGroupingMixin,
    ArrayMixin,
    ExplainMixin,
    GraphMixin,
    LockingMixin,
    MergeMixin,
    OrderedSetAggregationMixin,
    QualifyClauseMixin,
    TemporalTableMixin,
    UpsertMixin,
    LateralJoinMixin,
    JoinMixin,
    ILIKEMixin,
    CollationMixin,
    TableMixin,
    ConstraintMixin,
    SchemaMixin,
    IndexMixin,
    SequenceMixin,
    GeneratedColumnMixin,
    TruncateMixin,
    ViewMixin,
    FunctionMixin,
    PredicateMixin,
    ExpressionMixin,
    DQLMixin,
    IdentifierMixin,
    DateTimeMixin,
    DDLColumnMixin,
    DMLMixin,
    TransactionControlMixin,
    SetOperationMixin,
    # protocols (structural; listed for readers and type checkers)
    CTESupport,
    FilterClauseSupport,
    WindowFunctionSupport,
    JSONSupport,
    ReturningSupport,
    AdvancedGroupingSupport,
    ArraySupport,
    ExplainSupport,
    GraphSupport,
    LockingSupport,
    MergeSupport,
    OrderedSetAggregationSupport,
    QualifyClauseSupport,
    TemporalTableSupport,
    UpsertSupport,
    LateralJoinSupport,
    WildcardSupport,
    JoinSupport,
    ILIKESupport,
    CollationSupport,
    SetOperationSupport,
    TableSupport,
    ConstraintSupport,
    AlterTableModifierSupport,
    IndexSupport,
    ViewSupport,
    TruncateSupport,
    SchemaSupport,
    SequenceSupport,
    GeneratedColumnSupport,
    TransactionControlSupport,
    SQLFunctionSupport,
):
    """SQL dialect for PostgreSQL 13-18 (psycopg 3: ``%s`` placeholders, ``"x"`` identifiers)."""

    def __init__(self, version: tuple[int, int, int] | None = None) -> None:
        super().__init__()
        if version is not None:
            self.version = (version[0], version[1], version[2])

    @property
    def name(self) -> str:
        return "PostgreSQL"

    def parse_type(self, raw: str) -> DataType:
        """A server type name as the core's ``DataType``: kept as written (``CustomType``), the
        core's own answer for dialects without a parser (the protocol's stub returned None)."""
        return CustomType(raw)

    def get_parameter_placeholder(self, position: int = 0) -> str:
        return "%s"

    def get_server_version(self) -> tuple[int, ...]:
        return self.version

    def create_schema_differ(self) -> PostgresSchemaDiffer:
        """The core's schema differ with PostgreSQL's type spellings made equal (``int4`` = ``integer``)."""
        from .introspection.differ import PostgresSchemaDiffer

        return PostgresSchemaDiffer()

    @staticmethod
    def minimum_version() -> tuple[int, ...]:
        return MIN_VERSION

    # -- features that take an argument -------------------------------------------------------

    def supports_explain_format(self, format_type: str) -> bool:
        return str(format_type).upper() in ("TEXT", "JSON", "XML", "YAML")

    def get_supported_index_types(self) -> list[str]:
        return ["BTREE", "HASH", "GIST", "SPGIST", "GIN", "BRIN"]

    def supports_json_table(self, dialect_options: dict[str, Any] | None = None) -> bool:
        """JSON_TABLE, PostgreSQL 17 on; the dialect options of the core's protocol change nothing."""
        return self.version >= JSON_TABLE_SINCE

    def supports_returning_clause(self) -> bool:
        return True

    def supports_functions(self) -> dict[str, bool]:
        version = tuple(self.version)
        return {name: since is None or version >= since for name, since in _FUNCTIONS.items()}

    # -- transactions --------------------------------------------------------------------------

    def format_begin_transaction(
        self, expr: BeginTransactionExpression
    ) -> tuple[str, tuple[object, ...]]:
        """``BEGIN [ISOLATION LEVEL x] [READ ONLY|READ WRITE] [[NOT] DEFERRABLE]`` in one statement."""
        params = expr.get_params()
        parts = ["BEGIN"]
        level = params.get("isolation_level")
        if level is not None:
            if isinstance(level, IsolationLevel):
                level = self.get_isolation_level_name(level)
            parts.append(f"ISOLATION LEVEL {level}")
        mode = params.get("mode")
        if mode is TransactionMode.READ_ONLY or mode == "READ ONLY":
            parts.append("READ ONLY")
        deferrable = params.get("deferrable")
        if deferrable is not None:
            parts.append("DEFERRABLE" if deferrable else "NOT DEFERRABLE")
        return " ".join(parts), ()

    # -- ALTER TABLE qualifiers the generic formatter leaves out ---------------------------------

    def format_add_column_action(self, action: Any) -> tuple[str, tuple[object, ...]]:
        column_sql, params = self.format_column_definition(action.column)
        exists = "IF NOT EXISTS " if getattr(action, "if_not_exists", False) else ""
        return f"ADD COLUMN {exists}{column_sql}", params

    def format_drop_table_constraint_action(self, action: Any) -> tuple[str, tuple[object, ...]]:
        exists = "IF EXISTS " if getattr(action, "if_exists", False) else ""
        sql = f"DROP CONSTRAINT {exists}{self.format_identifier(action.constraint_name)}"
        if getattr(action, "cascade", False):
            sql += " CASCADE"
        return sql, ()

    # -- EXPLAIN ---------------------------------------------------------------------------------

    def format_explain_statement(self, expr: ExplainExpression) -> tuple[str, tuple[object, ...]]:
        """``EXPLAIN (ANALYZE, FORMAT JSON, ...) stmt``: PostgreSQL's option list syntax."""
        from rhosocial.activerecord.backend.expression.statements import ExplainType

        sql, params = expr.statement.to_sql()
        o = expr.options
        if o is None:
            return f"EXPLAIN {sql}", params
        analyze = bool(o.analyze or getattr(o, "type", None) == ExplainType.ANALYZE)
        opts = []
        if analyze:
            opts.append("ANALYZE")
        if o.verbose:
            opts.append("VERBOSE")
        if not o.costs:
            opts.append("COSTS OFF")
        if o.buffers:
            opts.append("BUFFERS")
        if analyze and o.timing:
            opts.append("TIMING")
        if o.settings:
            opts.append("SETTINGS")
        if o.wal and analyze:
            opts.append("WAL")
        if analyze and not o.summary:
            opts.append("SUMMARY OFF")
        if o.format is not None:
            fmt = o.format.value.upper()
            if not self.supports_explain_format(fmt):
                from rhosocial.activerecord.backend.dialect.exceptions import (
                    UnsupportedFeatureError,
                )

                raise UnsupportedFeatureError(
                    self.name, f"EXPLAIN FORMAT {fmt}", "Use TEXT, JSON, XML or YAML."
                )
            opts.append(f"FORMAT {fmt}")
        head = f"EXPLAIN ({', '.join(opts)})" if opts else "EXPLAIN"
        return f"{head} {sql}", params

    # -- JSON ------------------------------------------------------------------------------------

    def format_json_arrow_expression(self, expr: JSONExpression) -> tuple[str, tuple[object, ...]]:
        """``$``-paths become ``#>``/``#>>`` with a text[] path; plain keys stay ``->``/``->>``.

        The operand is cast to ``jsonb`` so the same expression works on json, jsonb and text
        columns that hold JSON (the ORM cannot know the column type; the cast is free on jsonb).
        """
        from rhosocial.activerecord.backend.expression import bases

        if isinstance(expr.column, bases.BaseExpression):
            col_sql, params = expr.column.to_sql()
        else:
            col_sql, params = self.format_identifier(str(expr.column)), ()
        # Cast to jsonb: works on json, jsonb and text columns holding JSON (a no-op on jsonb).
        if not _SIMPLE_OPERAND.fullmatch(col_sql):
            col_sql = f"({col_sql})"
        col_sql = f"{col_sql}::jsonb"
        op = expr.operation
        elements = json_path_elements(expr.path) if op in ("->", "->>") else None
        if elements is None:
            sql = f"{col_sql} {op} '{self._escape_sql_string(expr.path)}'"
        elif len(elements) == 1 and not elements[0].isdigit():
            sql = f"{col_sql} {op} '{self._escape_sql_string(elements[0])}'"
        else:
            sql = f"{col_sql} {'#>>' if op == '->>' else '#>'} {_pg_text_array_literal(elements)}"
        for target_type in expr.cast_types or ():
            sql, params = self.format_cast_expression(sql, target_type, params, None)
        if expr.alias:
            sql = f"{sql} AS {self.format_identifier(expr.alias)}"
        return sql, params

    def format_json_function_expression(
        self, expr: JSONExpression
    ) -> tuple[str, tuple[object, ...]]:
        return self.format_json_arrow_expression(expr)

    def __repr__(self) -> str:
        version = self._version if getattr(self, "_version", None) is not None else "unadapted"
        return f"PostgresDialect(version={version})"
