"""The PostgreSQL introspectors (sync and async) on the core's introspector bases.

The core's bases do the I/O of every method they declare (``_build_*_sql`` -> executor ->
``_parse_*``, with their cache); this module gives them catalog queries (``queries``) and row
parsers (``parse``), both pure and shared by the two classes through ``PostgresIntrospectorMixin``.
What the bases have no method for (constraints, sequences, enum types, domains, extensions,
partitions) is described here (``Catalog``: cache key, query, parser) and fetched by the
introspector classes: ``async_introspector.py`` is their source, ``sync_introspector.py`` is
written from it by ``tools/async_to_sync.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from rhosocial.activerecord.backend.introspection.base import (
    IntrospectorMixin,
)
from rhosocial.activerecord.backend.introspection.types import (
    ColumnInfo,
    DatabaseInfo,
    ForeignKeyInfo,
    IndexInfo,
    IntrospectionScope,
    TableInfo,
    TriggerInfo,
    ViewInfo,
)

from . import parse, queries

T = TypeVar("T")
Rows = list[dict[str, Any]]
#: one catalog read beyond the base: (cache key, (sql, params), row parser)
Catalog = tuple[str, queries.Query, Callable[[dict[str, Any]], Any]]


class PostgresIntrospectorMixin(IntrospectorMixin):
    """Catalog queries and row parsing, shared by the sync and async introspectors.

    ``schema=None`` everywhere means the session's ``current_schema()``: the queries resolve it
    on the server (``search_path`` aware); the objects carry the schema their rows name.
    """

    _backend: Any

    def _get_default_schema(self) -> str:
        # The base passes this to the parsers as the target schema when none is given; the real
        # schema comes from each row, so a placeholder for "current_schema()" is not needed.
        return ""

    @property
    def _version(self) -> tuple[int, ...]:
        return tuple(self._backend.dialect.version)

    # -- the base's statements --------------------------------------------------------------

    def _build_database_info_sql(self) -> queries.Query:
        return queries.database_info()

    def _build_table_list_sql(
        self,
        schema: str | None,
        include_system: bool,
        include_views: bool = True,
        table_type: str | None = None,
    ) -> queries.Query:
        return queries.tables(schema, include_system, table_type if include_views else "BASE_TABLE")

    def _build_column_info_sql(self, table_name: str, schema: str | None) -> queries.Query:
        return queries.columns(self._version, table_name, schema)

    def _build_index_info_sql(self, table_name: str, schema: str | None) -> queries.Query:
        return queries.indexes(self._version, table_name, schema)

    def _build_foreign_key_sql(self, table_name: str, schema: str | None) -> queries.Query:
        return queries.foreign_keys(table_name, schema)

    def _build_view_list_sql(self, schema: str | None, include_system: bool) -> queries.Query:
        return queries.views(schema)

    def _build_view_info_sql(self, view_name: str, schema: str | None) -> queries.Query:
        return queries.view(view_name, schema)

    def _build_trigger_list_sql(self, table_name: str | None, schema: str | None) -> queries.Query:
        return queries.triggers(table_name, schema)

    # -- the base's parsers -----------------------------------------------------------------

    def _parse_database_info(self, rows: Rows) -> DatabaseInfo:
        return parse.parse_database_info(rows[0])

    def _parse_tables(self, rows: Rows, schema: str | None) -> list[TableInfo]:
        return [parse.parse_table(r) for r in rows]

    def _parse_columns(self, rows: Rows, table_name: str, schema: str) -> list[ColumnInfo]:
        return [parse.parse_column(r, table_name) for r in rows]

    def _parse_indexes(self, rows: Rows, table_name: str, schema: str) -> list[IndexInfo]:
        return [parse.parse_index(r, table_name) for r in rows]

    def _parse_foreign_keys(self, rows: Rows, table_name: str, schema: str) -> list[ForeignKeyInfo]:
        return [parse.parse_foreign_key(r, table_name) for r in rows]

    def _parse_views(self, rows: Rows, schema: str) -> list[ViewInfo]:
        return [parse.parse_view(r) for r in rows]

    def _parse_view_info(self, rows: Rows, view_name: str, schema: str) -> ViewInfo | None:
        return parse.parse_view(rows[0]) if rows else None

    def _parse_triggers(self, rows: Rows, schema: str) -> list[TriggerInfo]:
        return [parse.parse_trigger(r) for r in rows]

    # -- beyond the base: what to read, keyed for the base's cache ---------------------------

    def _key(self, scope: IntrospectionScope, kind: str, *names: str | None) -> str:
        return self._make_cache_key(scope, kind, *(n or "" for n in names))

    def _check_constraints(self, table: str, schema: str | None) -> Catalog:
        return (
            self._key(IntrospectionScope.TABLE, "check", table, schema),
            queries.constraints(table, schema, ("c",)),
            parse.parse_constraint,
        )

    def _unique_constraints(self, table: str, schema: str | None) -> Catalog:
        return (
            self._key(IntrospectionScope.TABLE, "unique", table, schema),
            queries.constraints(table, schema, ("u", "x")),
            parse.parse_constraint,
        )

    def _sequences(self, schema: str | None) -> Catalog:
        return (
            self._key(IntrospectionScope.SEQUENCE, "seq", schema),
            queries.sequences(schema),
            parse.parse_sequence,
        )

    def _enum_types(self, schema: str | None) -> Catalog:
        return (
            self._key(IntrospectionScope.SCHEMA, "enum", schema),
            queries.enum_types(schema),
            parse.parse_enum_type,
        )

    def _domains(self, schema: str | None) -> Catalog:
        return (
            self._key(IntrospectionScope.SCHEMA, "domain", schema),
            queries.domains(schema),
            parse.parse_domain,
        )

    def _extensions(self) -> Catalog:
        return (
            self._key(IntrospectionScope.DATABASE, "ext"),
            queries.extensions(),
            parse.parse_extension,
        )

    def _partitions(self, table: str, schema: str | None) -> Catalog:
        return (
            self._key(IntrospectionScope.TABLE, "partitions", table, schema),
            queries.partitions(table, schema),
            lambda row: parse.parse_partition(row, table),
        )

    def _cached(self, key: str) -> tuple[bool, Any]:
        hit = self._get_cached(key)
        return hit is not None, hit


#: command tags of statements that change what the introspector reads: DDL, and the settings
#: that move ``current_schema()`` (``SET search_path``; any SET/RESET counts, they are rare)
_DDL_TAGS = frozenset(
    {"CREATE", "ALTER", "DROP", "COMMENT", "REFRESH", "GRANT", "REVOKE", "SET", "RESET", "DISCARD"}
)


def is_schema_change(status: str | None) -> bool:
    """Whether a command tag (``cursor.statusmessage``) reports a statement that changes the catalog."""
    if not status:
        return False
    return status.split(" ", 1)[0] in _DDL_TAGS


__all__: Sequence[str] = ("Catalog", "PostgresIntrospectorMixin", "is_schema_change")
