"""PostgreSQL server version -> feature flags: one named line per ``supports_*`` flag.

``PostgresFeatures`` is the table: each flag is ``supports_<name> = since(major)`` (present from
that server version on), ``always()`` (in every supported server) or ``never(reason)``
(PostgreSQL does not have it, or our formatter does not emit working PostgreSQL SQL for it,
which for a user amounts to the same thing). Each is a plain method of the dialect, so
``dialect.supports_merge_statement()`` is what the core calls, ``grep "supports_merge_statement ="``
finds its definition, and type checkers see it against the core's protocols. The supported
range is PostgreSQL 13 to 18; a version below 13 in ``since`` is true on every supported server.
A dialect not yet adapted to a server raises ``DialectNotAdaptedException`` for every flag
(reading ``version`` does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

Version = tuple[int, ...]

MIN_VERSION: Version = (13, 0, 0)


class Versioned(Protocol):
    @property
    def version(self) -> Version: ...


Flag = Callable[[Versioned], bool]

# The one flag with an argument (the core's protocol passes dialect options): a method of the
# dialect, with its first version here.
JSON_TABLE_SINCE: Version = (17, 0, 0)

# flag function -> first server version with it (None: never), for listings such as ``cli info``.
_FIRST: dict[Flag, Version | None] = {}


def since(major: int, minor: int = 0) -> Flag:
    """A flag true from PostgreSQL ``major.minor`` on."""
    first = (major, minor, 0)

    def supports(self: Versioned) -> bool:
        return self.version >= first

    _FIRST[supports] = first
    return supports


def always() -> Flag:
    """A flag true on every supported server (13 and later)."""
    return since(*MIN_VERSION[:2])


def never(reason: str = "") -> Flag:
    """A flag false on every server; ``reason`` says why (kept as the flag's docstring)."""

    def supports(self: Versioned) -> bool:
        self.version  # noqa: B018 - an unadapted dialect raises here, as for every flag
        return False

    supports.__doc__ = reason or None
    _FIRST[supports] = None
    return supports


class PostgresFeatures:
    """Every ``supports_*`` flag answered from the server version (mixed into the dialect)."""

    # queries
    supports_basic_cte = always()
    supports_recursive_cte = always()
    supports_materialized_cte = since(12)
    supports_window_functions = always()
    supports_window_frame_clause = always()
    supports_rollup = always()
    supports_cube = always()
    supports_grouping_sets = always()
    supports_returning_insert = always()
    supports_returning_update = always()
    supports_returning_delete = always()
    supports_upsert = always()
    supports_on_conflict_clause = always()
    supports_multiple_on_conflict_clauses = never("one ON CONFLICT clause per INSERT")
    supports_lateral_join = always()
    supports_inner_join = always()
    supports_left_join = always()
    supports_right_join = always()
    supports_full_join = always()
    supports_cross_join = always()
    supports_natural_join = always()
    supports_explicit_inner_join = always()
    supports_array_type = always()
    supports_array_constructor = always()
    supports_array_access = always()
    supports_json_type = always()
    supports_json_arrow_operators = always()
    # supports_json_table: in dialect.py, it takes the protocol's dialect_options (JSON_TABLE_SINCE)
    supports_explain_analyze = always()
    supports_filter_clause = always()
    supports_ordered_set_aggregation = always()
    supports_merge_statement = since(15)
    supports_temporal_tables = never("no system-versioned (SQL:2011) tables")
    supports_qualify_clause = never("no QUALIFY clause")
    supports_for_update = always()
    supports_for_update_skip_locked = always()
    supports_union = always()
    supports_union_all = always()
    supports_intersect = always()
    supports_except = always()
    supports_set_operation_order_by = always()
    supports_set_operation_limit_offset = always()
    supports_set_operation_for_update = never(
        '"FOR UPDATE is not allowed with UNION/INTERSECT/EXCEPT"'
    )
    supports_offset_without_limit = always()
    supports_ilike = always()
    supports_collate_expression = always()
    supports_graph_match = never("no SQL/PGQ graph queries in 13-18")
    supports_quantified_path = never("no SQL/PGQ graph queries in 13-18")
    supports_comma_separated_patterns = never("no SQL/PGQ graph queries in 13-18")
    supports_graph_table = never("no SQL/PGQ GRAPH_TABLE in 13-18")
    # DDL
    supports_create_table = always()
    supports_drop_table = always()
    supports_alter_table = always()
    supports_temporary_table = always()
    supports_if_not_exists_table = always()
    supports_if_exists_table = always()
    supports_drop_table_cascade = always()
    supports_drop_table_restrict = always()
    supports_drop_column = always()
    supports_alter_column_type = always()
    supports_rename_column = always()
    supports_rename_table = always()
    supports_table_like_syntax = always()
    supports_table_tablespace = always()
    supports_add_column_if_not_exists = always()
    supports_drop_column_if_exists = always()
    supports_drop_constraint_if_exists = always()
    supports_create_view = always()
    supports_drop_view = always()
    supports_or_replace_view = always()
    supports_temporary_view = always()
    supports_materialized_view = always()
    supports_refresh_materialized_view = always()
    supports_if_exists_view = always()
    supports_view_check_option = always()
    supports_cascade_view = always()
    supports_truncate = always()
    supports_truncate_table_keyword = always()
    supports_truncate_restart_identity = always()
    supports_truncate_cascade = always()
    supports_create_schema = always()
    supports_drop_schema = always()
    supports_schema_if_not_exists = always()
    supports_schema_if_exists = always()
    supports_schema_cascade = always()
    supports_schema_authorization = always()
    supports_sequence = always()
    supports_create_sequence = always()
    supports_drop_sequence = always()
    supports_alter_sequence = always()
    supports_sequence_if_not_exists = always()
    supports_sequence_if_exists = always()
    supports_sequence_cycle = always()
    supports_sequence_cache = always()
    supports_sequence_order = never("Oracle-only ORDER option")
    supports_sequence_owned_by = always()
    supports_create_index = always()
    supports_drop_index = always()
    supports_unique_index = always()
    supports_index_if_not_exists = always()
    supports_index_if_exists = always()
    supports_partial_index = always()
    supports_functional_index = always()
    supports_index_include = since(11)
    supports_concurrent_index = always()
    supports_fulltext_index = never("PostgreSQL uses GIN over tsvector, not CREATE FULLTEXT INDEX")
    supports_fulltext_search = never("no MATCH ... AGAINST; tsvector/tsquery are a different API")
    supports_fulltext_boolean_mode = never("MySQL full-text option")
    supports_fulltext_parser = never("MySQL full-text option")
    supports_fulltext_query_expansion = never("MySQL full-text option")
    supports_generated_columns = since(12)
    supports_stored_generated_columns = since(12)
    supports_virtual_generated_columns = since(18)
    # transactions
    supports_transaction_mode = always()
    supports_isolation_level_in_begin = always()
    supports_read_only_transaction = always()
    supports_deferrable_transaction = always()
    supports_savepoint = always()


def first_versions() -> dict[str, Version | None]:
    """flag name (without ``supports_``) -> first server version with it, None for never."""
    firsts = {
        name.removeprefix("supports_"): _FIRST[flag]
        for name, flag in vars(PostgresFeatures).items()
        if name.startswith("supports_")
    }
    firsts["json_table"] = JSON_TABLE_SINCE
    return firsts


def parse_server_version(server_version_num: int) -> tuple[int, int, int]:
    """libpq's integer version (e.g. 150019 or 90624) -> (major, minor, patch)."""
    if server_version_num >= 100000:
        return (server_version_num // 10000, server_version_num % 10000, 0)
    major, rest = divmod(server_version_num, 10000)
    minor, patch = divmod(rest, 100)
    return (major, minor, patch)
