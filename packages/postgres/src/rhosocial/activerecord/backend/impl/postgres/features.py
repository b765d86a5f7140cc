"""PostgreSQL server version -> feature flags.

One table, read once per dialect version: each ``supports_<name>()`` of the dialect is answered
from ``FEATURES``. A value is the first server version that has the feature, or ``None`` when
PostgreSQL does not have it (or our formatter does not emit working PostgreSQL SQL for it, which
for a user amounts to the same thing). The supported range is PostgreSQL 13 to 18; 13 is the
floor, so most entries simply say "13".
"""

from __future__ import annotations

Version = tuple[int, ...]

MIN_VERSION: Version = (13, 0, 0)
ALL: Version = MIN_VERSION  # present in every supported server
NO: Version | None = None

FEATURES: dict[str, Version | None] = {
    # queries
    "basic_cte": ALL,
    "recursive_cte": ALL,
    "materialized_cte": (12, 0, 0),
    "window_functions": ALL,
    "window_frame_clause": ALL,
    "rollup": ALL,
    "cube": ALL,
    "grouping_sets": ALL,
    "returning_insert": ALL,
    "returning_update": ALL,
    "returning_delete": ALL,
    "upsert": ALL,
    "on_conflict_clause": ALL,
    "multiple_on_conflict_clauses": NO,  # one ON CONFLICT clause per INSERT
    "lateral_join": ALL,
    "inner_join": ALL,
    "left_join": ALL,
    "right_join": ALL,
    "full_join": ALL,
    "cross_join": ALL,
    "natural_join": ALL,
    "explicit_inner_join": ALL,
    "array_type": ALL,
    "array_constructor": ALL,
    "array_access": ALL,
    "json_type": ALL,
    "json_arrow_operators": ALL,
    "json_table": (17, 0, 0),
    "explain_analyze": ALL,
    "filter_clause": ALL,
    "ordered_set_aggregation": ALL,
    "merge_statement": (15, 0, 0),
    "temporal_tables": NO,
    "qualify_clause": NO,
    "for_update": ALL,
    "for_update_skip_locked": ALL,
    "union": ALL,
    "union_all": ALL,
    "intersect": ALL,
    "except": ALL,
    "set_operation_order_by": ALL,
    "set_operation_limit_offset": ALL,
    "set_operation_for_update": NO,  # "FOR UPDATE is not allowed with UNION/INTERSECT/EXCEPT"
    "offset_without_limit": ALL,
    "ilike": ALL,
    "collate_expression": ALL,
    "graph_match": NO,
    "quantified_path": NO,
    "comma_separated_patterns": NO,
    "graph_table": NO,
    # DDL
    "create_table": ALL,
    "drop_table": ALL,
    "alter_table": ALL,
    "temporary_table": ALL,
    "if_not_exists_table": ALL,
    "if_exists_table": ALL,
    "drop_table_cascade": ALL,
    "drop_table_restrict": ALL,
    "drop_column": ALL,
    "alter_column_type": ALL,
    "rename_column": ALL,
    "rename_table": ALL,
    "table_like_syntax": ALL,
    "table_tablespace": ALL,
    "add_column_if_not_exists": ALL,
    "drop_column_if_exists": ALL,
    "drop_constraint_if_exists": ALL,
    "create_view": ALL,
    "drop_view": ALL,
    "or_replace_view": ALL,
    "temporary_view": ALL,
    "materialized_view": ALL,
    "refresh_materialized_view": ALL,
    "if_exists_view": ALL,
    "view_check_option": ALL,
    "cascade_view": ALL,
    "truncate": ALL,
    "truncate_table_keyword": ALL,
    "truncate_restart_identity": ALL,
    "truncate_cascade": ALL,
    "create_schema": ALL,
    "drop_schema": ALL,
    "schema_if_not_exists": ALL,
    "schema_if_exists": ALL,
    "schema_cascade": ALL,
    "schema_authorization": ALL,
    "sequence": ALL,
    "create_sequence": ALL,
    "drop_sequence": ALL,
    "alter_sequence": ALL,
    "sequence_if_not_exists": ALL,
    "sequence_if_exists": ALL,
    "sequence_cycle": ALL,
    "sequence_cache": ALL,
    "sequence_order": NO,  # Oracle-only ORDER option
    "sequence_owned_by": ALL,
    "create_index": ALL,
    "drop_index": ALL,
    "unique_index": ALL,
    "index_if_not_exists": ALL,
    "index_if_exists": ALL,
    "partial_index": ALL,
    "functional_index": ALL,
    "index_include": (11, 0, 0),
    "concurrent_index": ALL,
    "fulltext_index": NO,  # PostgreSQL uses GIN over tsvector, not CREATE FULLTEXT INDEX
    "fulltext_search": NO,  # no MATCH ... AGAINST; tsvector/tsquery are a different API
    "fulltext_boolean_mode": NO,
    "fulltext_parser": NO,
    "fulltext_query_expansion": NO,
    "generated_columns": (12, 0, 0),
    "stored_generated_columns": (12, 0, 0),
    "virtual_generated_columns": (18, 0, 0),
    # transactions
    "transaction_mode": ALL,
    "isolation_level_in_begin": ALL,
    "read_only_transaction": ALL,
    "deferrable_transaction": ALL,
    "savepoint": ALL,
}


def feature_flags(version: Version) -> dict[str, bool]:
    """All flags for one server version, computed once and cached by the dialect."""
    return {name: since is not None and tuple(version) >= since for name, since in FEATURES.items()}


def parse_server_version(server_version_num: int) -> tuple[int, int, int]:
    """libpq's integer version (e.g. 150019 or 90624) -> (major, minor, patch)."""
    if server_version_num >= 100000:
        return (server_version_num // 10000, server_version_num % 10000, 0)
    major, rest = divmod(server_version_num, 10000)
    minor, patch = divmod(rest, 100)
    return (major, minor, patch)
