"""SQL dialect of the MySQL/MariaDB family.

One dialect class for both flavours: what differs between MySQL and MariaDB (and between
their versions) is read from ``ServerFeatures``, which the backend sets from the server's own
version string at connect time. A bare dialect (no version) answers as the newest LTS of its
flavour would, so DDL rendering and unit tests work without a server.
"""

from __future__ import annotations

import re
from typing import Any

from rhosocial.activerecord.backend.dialect import mixins, protocols
from rhosocial.activerecord.backend.dialect.base import SQLDialectBase
from rhosocial.activerecord.backend.dialect.exceptions import UnsupportedFeatureError

from .ddl_types import MySQLTypeMixin
from .features import ALWAYS, MARIADB, MYSQL, NEVER, Flag, ServerFeatures, Version

#: A MySQL LIMIT needs a row count; this is the documented "all rows" value.
_ALL_ROWS = "18446744073709551615"

#: Portable CAST target names -> what MySQL/MariaDB's CAST accepts.
_CAST_NAMES = {
    "INTEGER": "SIGNED",
    "INT": "SIGNED",
    "BIGINT": "SIGNED",
    "SMALLINT": "SIGNED",
    "TINYINT": "SIGNED",
    "BOOLEAN": "SIGNED",
    "BOOL": "SIGNED",
    "TEXT": "CHAR",
    "VARCHAR": "CHAR",
    "STRING": "CHAR",
    "REAL": "DOUBLE",
    "DOUBLE PRECISION": "DOUBLE",
    "FLOAT8": "DOUBLE",
    "NUMERIC": "DECIMAL",
    "TIMESTAMP": "DATETIME",
    "BLOB": "BINARY",
    "BYTEA": "BINARY",
}
_CAST_RE = re.compile(r"^\s*([A-Za-z][A-Za-z ]*?)\s*(\(.*\))?\s*$")

_LATEST = {MYSQL: (8, 4, 0), MARIADB: (11, 8, 0)}

#: First releases with each row-lock option (the gates themselves live in ``features``).
_FOR_UPDATE_OPTION_SINCE = {
    "SKIP LOCKED": "MySQL 8.0.1 or MariaDB 10.6",
    "NOWAIT": "MySQL 8.0.1 or MariaDB 10.3",
    "OF": "MySQL 8.0.1 (which names tables there, not columns); MariaDB has no OF",
}


# ignore[misc] on the class line: the core's JSONMixin and JSONSupport declare
# format_json_expression/format_json_table_expression with different signatures.
class MySQLDialect(  # type: ignore[misc]
    SQLDialectBase,
    MySQLTypeMixin,
    mixins.CTEMixin,
    mixins.WindowFunctionMixin,
    mixins.JSONMixin,
    mixins.ReturningMixin,
    mixins.AdvancedGroupingMixin,
    mixins.ExplainMixin,
    mixins.LockingMixin,
    mixins.UpsertMixin,
    mixins.LateralJoinMixin,
    mixins.JoinMixin,
    mixins.SetOperationMixin,
    mixins.TableMixin,
    mixins.ConstraintMixin,
    mixins.IndexMixin,
    mixins.SequenceMixin,
    mixins.ViewMixin,
    mixins.TruncateMixin,
    mixins.FunctionMixin,
    mixins.PredicateMixin,
    mixins.ExpressionMixin,
    mixins.DQLMixin,
    mixins.DMLMixin,
    mixins.DateTimeMixin,
    mixins.DDLColumnMixin,
    mixins.TransactionControlMixin,
    mixins.IdentifierMixin,
    # protocols (documentation and isinstance checks)
    protocols.CTESupport,
    protocols.WindowFunctionSupport,
    protocols.JSONSupport,
    protocols.ReturningSupport,
    protocols.AdvancedGroupingSupport,
    protocols.ExplainSupport,
    protocols.LockingSupport,
    protocols.UpsertSupport,
    protocols.LateralJoinSupport,
    protocols.JoinSupport,
    protocols.SetOperationSupport,
    protocols.TableSupport,
    protocols.ConstraintSupport,
    protocols.AlterTableModifierSupport,
    protocols.IndexSupport,
    protocols.SequenceSupport,
    protocols.ViewSupport,
    protocols.TruncateSupport,
    protocols.SQLFunctionSupport,
    protocols.TransactionControlSupport,
):
    """The MySQL/MariaDB family dialect (backticks, ``%s``, ON DUPLICATE KEY UPDATE ...)."""

    default_flavour = MYSQL

    def __init__(self, version: tuple[int, ...] | None = None, flavour: str | None = None) -> None:
        super().__init__()
        self._flavour = flavour or self.default_flavour
        self._features = ServerFeatures(self._flavour, _LATEST[self._flavour])
        if version is not None:
            self.version = version

    # --- version / features -----------------------------------------------------------------
    @property
    def version(self) -> Version:
        return super().version  # the core's getter (raises when unset)

    @version.setter
    def version(self, value: tuple[int, ...]) -> None:
        padded = tuple(int(v) for v in value) + (0, 0, 0)
        version: Version = (padded[0], padded[1], padded[2])
        self._version = version
        self._features = ServerFeatures(self._flavour, version)

    @property
    def features(self) -> ServerFeatures:
        return self._features

    @features.setter
    def features(self, features: ServerFeatures) -> None:
        """Adopt what the connected server reported (flavour and version together)."""
        self._flavour = features.flavour
        self._version = features.version
        self._features = features

    @property
    def flavour(self) -> str:
        return self._flavour

    @property
    def name(self) -> str:
        return "MariaDB" if self._flavour == MARIADB else "MySQL"

    def create_schema_differ(self) -> Any:
        """The core's schema differ with the family's type spellings made equal (``int(11)`` = ``int``)."""
        from .introspection.differ import MySQLSchemaDiffer

        return MySQLSchemaDiffer()

    # --- basics -----------------------------------------------------------------------------
    def get_parameter_placeholder(self, position: int = 0) -> str:
        return "%s"

    def format_identifier(self, identifier: str) -> str:
        return "`" + str(identifier).replace("`", "``") + "`"

    supports_microsecond_timestamp = Flag(ServerFeatures.fractional_seconds)
    supports_explain_plan = ALWAYS
    # --- transactions -----------------------------------------------------------------------
    supports_transaction_mode = ALWAYS
    #: SET TRANSACTION ISOLATION LEVEL precedes START TRANSACTION.
    supports_isolation_level_in_begin = NEVER
    supports_read_only_transaction = ALWAYS
    supports_deferrable_transaction = NEVER
    supports_savepoint = ALWAYS

    def format_begin_transaction(self, expr: Any) -> tuple[str, tuple[Any, ...]]:
        params = expr.get_params()
        mode = params.get("mode")
        read_only = getattr(mode, "name", str(mode or "")).upper() == "READ_ONLY" or bool(
            params.get("read_only")
        )
        return ("START TRANSACTION READ ONLY" if read_only else "START TRANSACTION"), ()

    def format_isolation_level(self, level: Any) -> str:
        """``SET TRANSACTION ISOLATION LEVEL ...`` for the next transaction only."""
        return f"SET TRANSACTION ISOLATION LEVEL {self.get_isolation_level_name(level)}"

    # --- query features ---------------------------------------------------------------------
    supports_basic_cte = Flag(ServerFeatures.cte)
    supports_recursive_cte = Flag(ServerFeatures.cte)
    supports_window_functions = Flag(ServerFeatures.window_functions)
    supports_window_frame_clause = Flag(ServerFeatures.window_functions)
    supports_union = ALWAYS
    supports_union_all = ALWAYS
    supports_intersect = Flag(ServerFeatures.intersect_except)
    supports_except = Flag(ServerFeatures.intersect_except)
    supports_set_operation_order_by = ALWAYS
    supports_set_operation_limit_offset = ALWAYS
    supports_lateral_join = Flag(ServerFeatures.lateral)
    supports_right_join = ALWAYS
    supports_full_join = NEVER
    supports_for_update = ALWAYS
    supports_for_update_skip_locked = Flag(ServerFeatures.skip_locked)
    supports_for_update_nowait = Flag(ServerFeatures.nowait)

    def format_for_update_clause(self, clause: Any) -> tuple[str, tuple[Any, ...]]:
        """``FOR UPDATE [OF ...] [NOWAIT | SKIP LOCKED]``, refused where this server lacks the
        option: an older server rejects the words or, worse, reads them as something else."""
        if clause.nowait and clause.skip_locked:
            raise UnsupportedFeatureError(
                self.name,
                "FOR UPDATE NOWAIT together with SKIP LOCKED",
                "Choose one: NOWAIT fails on a locked row, SKIP LOCKED leaves it out.",
            )
        for wanted, supported, option in (
            (clause.skip_locked, self._features.skip_locked, "SKIP LOCKED"),
            (clause.nowait, self._features.nowait, "NOWAIT"),
            (clause.of_columns, self._features.for_update_of, "OF"),
        ):
            if wanted and not supported:
                raise UnsupportedFeatureError(
                    self.name,
                    f"FOR UPDATE {option}",
                    f"The server is {self._server_label()}; {option} needs "
                    f"{_FOR_UPDATE_OPTION_SINCE[option]}.",
                )
        return super().format_for_update_clause(clause)

    def _server_label(self) -> str:
        return f"{self.name} {'.'.join(str(n) for n in self._features.version)}"

    supports_offset_without_limit = ALWAYS

    # ignore[override]: the core declares tuple[str, list] but returns (None, []) without a
    # limit or an offset, which this override passes on.
    def format_limit_offset(  # type: ignore[override]
        self, limit: Any = None, offset: Any = None
    ) -> tuple[str | None, list[Any]]:
        if limit is None and offset is not None:
            return f"LIMIT {_ALL_ROWS} OFFSET %s", [offset]
        return super().format_limit_offset(limit, offset)

    def format_limit_offset_clause(self, clause: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = super().format_limit_offset_clause(clause)
        if clause.limit is None and clause.offset is not None:
            sql = f"LIMIT {_ALL_ROWS} {sql}"
        return sql, params

    # --- grouping: MySQL spells ROLLUP as a GROUP BY suffix --------------------------------
    supports_rollup = ALWAYS
    supports_cube = NEVER
    supports_grouping_sets = NEVER

    def format_grouping_expression(
        self, operation: str, expressions: list[Any]
    ) -> tuple[str, tuple[Any, ...]]:
        if operation.upper() != "ROLLUP":
            raise UnsupportedFeatureError(self.name, operation.upper(), "Only WITH ROLLUP exists.")
        parts, params = [], []
        for expr in expressions:
            sql, p = expr.to_sql()
            parts.append(sql)
            params.extend(p)
        return f"{', '.join(parts)} WITH ROLLUP", tuple(params)

    # --- CAST -------------------------------------------------------------------------------
    def format_cast_expression(
        self,
        expr_sql: str,
        target_type: str,
        expr_params: tuple[Any, ...],
        alias: str | None = None,
    ) -> tuple[str, tuple[Any, ...]]:
        return super().format_cast_expression(
            expr_sql, self.cast_target(target_type), expr_params, alias
        )

    def cast_target(self, target_type: str) -> str:
        """Map a portable type name to one CAST accepts (``INTEGER`` -> ``SIGNED`` ...)."""
        match = _CAST_RE.match(target_type)
        if not match:
            return target_type
        base, args = match.group(1).upper(), match.group(2) or ""
        mapped = _CAST_NAMES.get(base)
        if mapped is None:
            return target_type
        keep_args = mapped in ("CHAR", "DECIMAL", "BINARY")
        return mapped + (args if keep_args else "")

    # --- JSON -------------------------------------------------------------------------------
    supports_json_type = Flag(ServerFeatures.json_functions)
    #: JSON_EXTRACT works on both flavours; the arrows are MySQL-only.
    supports_json_arrow_operators = NEVER

    def supports_json_table(self, dialect_options: dict[str, Any] | None = None) -> bool:
        """A method, not a ``Flag``: the core's protocol passes ``dialect_options``."""
        return self._features.json_table

    def supports_functions(self) -> dict[str, bool]:
        from rhosocial.activerecord.backend.expression.functions import __all__ as core_functions

        unsupported = {
            "initcap",
            "strpos",
            "translate",
            "date_trunc",
            "date_part",
            "json_build_object",
            "json_array_elements",
            "array_agg",
            "unnest",
            "array_length",
            "to_char",
            "to_number",
            "to_date",
            "grouping_sets",
            "cube",
            "localtimestamp",
            "system_user",
            "overlay",
            "json_objectagg",
            "json_arrayagg",
            "concat_op",
        }
        window = {
            "row_number",
            "rank",
            "dense_rank",
            "lag",
            "lead",
            "first_value",
            "last_value",
            "nth_value",
        }
        result = {}
        for name in core_functions:
            if name.startswith("xml"):
                continue
            if name in window:
                result[name] = self._features.window_functions
            elif name.startswith("json"):
                result[name] = self._features.json_functions and name not in unsupported
            else:
                result[name] = name not in unsupported
        result["json_objectagg"] = self._features.json_functions
        result["json_arrayagg"] = self._features.json_functions
        return result

    # --- DML --------------------------------------------------------------------------------
    supports_returning_insert = Flag(ServerFeatures.returning_insert)
    supports_returning_update = Flag(ServerFeatures.returning_update)
    supports_returning_delete = Flag(ServerFeatures.returning_delete)
    supports_upsert = ALWAYS

    def get_upsert_syntax_type(self) -> str:
        return "ON DUPLICATE KEY"

    def format_on_conflict_clause(self, expr: Any) -> tuple[str, tuple[Any, ...]]:
        """``ON DUPLICATE KEY UPDATE``: MySQL applies it to any unique key (no target list).

        DO NOTHING becomes a self-assignment of one key column, which leaves the row as it is
        without INSERT IGNORE's habit of turning *other* errors into warnings.
        """
        from rhosocial.activerecord.backend.expression import bases

        params: list[Any] = []
        if expr.do_nothing or not expr.update_assignments:
            target = (expr.conflict_target or [None])[0]
            if target is None or not isinstance(target, str):
                raise UnsupportedFeatureError(
                    self.name,
                    "ON CONFLICT DO NOTHING without a key column",
                    "Name the conflict column; MySQL has no DO NOTHING.",
                )
            col = self.format_identifier(target)
            return f"ON DUPLICATE KEY UPDATE {col} = {col}", ()
        parts = []
        for col, value in expr.update_assignments.items():
            if isinstance(value, bases.BaseExpression):
                sql, p = value.to_sql()
                parts.append(f"{self.format_identifier(col)} = {sql}")
                params.extend(p)
            else:
                parts.append(f"{self.format_identifier(col)} = %s")
                params.append(value)
        if expr.update_where is not None:
            raise UnsupportedFeatureError(self.name, "ON DUPLICATE KEY UPDATE ... WHERE")
        return "ON DUPLICATE KEY UPDATE " + ", ".join(parts), tuple(params)

    # --- EXPLAIN ----------------------------------------------------------------------------
    supports_explain_analyze = Flag(ServerFeatures.explain_analyze)

    def supports_explain_format(self, format_type: str) -> bool:
        return format_type.upper() in (
            "JSON",
            "TRADITIONAL",
            "TREE" if not self._features.is_mariadb else "JSON",
        )

    def format_explain_statement(self, expr: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = expr.statement.to_sql()
        options = expr.options
        if options is None:
            return f"EXPLAIN {sql}", params
        analyze = (
            bool(options.analyze)
            or getattr(getattr(options, "type", None), "name", "") == "ANALYZE"
        )
        if analyze and self._features.is_mariadb:
            fmt = " FORMAT=JSON" if options.format else ""
            return f"ANALYZE{fmt} {sql}", params
        parts = ["EXPLAIN"]
        if analyze:
            parts.append("ANALYZE")
        if options.format:
            parts.append(f"FORMAT={options.format.value.upper()}")
        return f"{' '.join(parts)} {sql}", params

    # --- DDL --------------------------------------------------------------------------------
    supports_if_not_exists_table = ALWAYS
    supports_if_exists_table = ALWAYS
    supports_temporary_table = ALWAYS
    supports_drop_constraint = Flag(ServerFeatures.drop_constraint)
    supports_check_constraint = Flag(ServerFeatures.check_constraints)
    supports_add_column_if_not_exists = Flag(ServerFeatures.add_column_if_not_exists)
    supports_drop_column_if_exists = Flag(ServerFeatures.add_column_if_not_exists)
    supports_drop_constraint_if_exists = Flag(ServerFeatures.drop_constraint_if_exists)

    def format_drop_table_constraint_action(self, action: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = super().format_drop_table_constraint_action(action)
        if getattr(action, "if_exists", False) and self.supports_drop_constraint_if_exists():
            sql = sql.replace("DROP CONSTRAINT ", "DROP CONSTRAINT IF EXISTS ", 1)
        return sql, params

    def format_add_column_action(self, action: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = super().format_add_column_action(action)
        if getattr(action, "if_not_exists", False) and self.supports_add_column_if_not_exists():
            sql = sql.replace("ADD COLUMN ", "ADD COLUMN IF NOT EXISTS ", 1)
        return sql, params

    supports_fulltext_search = ALWAYS
    supports_sequence = Flag(ServerFeatures.sequences)
    supports_create_sequence = Flag(ServerFeatures.sequences)
    supports_drop_sequence = Flag(ServerFeatures.sequences)
