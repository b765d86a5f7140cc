"""The MySQL-family introspectors (sync and async) on the core's introspector bases.

One family: MySQL and MariaDB differ only where ``queries`` and ``parse`` read the dialect's
flavour and version. As for PostgreSQL, the core's bases do the I/O of the methods they declare;
what they have no method for (check and unique constraints, partitions, MariaDB sequences) is
described here (``Catalog``) and fetched by the introspector classes: ``async_introspector.py``
is their source, ``sync_introspector.py`` is written from it by ``tools/async_to_sync.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

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

Rows = list[dict[str, Any]]
#: one catalog read beyond the base: (cache key, (sql, params), rows -> objects)
Catalog = tuple[str, queries.Query, Callable[[Rows], list[Any]]]


class MySQLIntrospectorMixin(IntrospectorMixin):
    """Catalog queries and row parsing shared by the sync and async introspectors.

    ``schema`` is a database name; ``None`` means the session's ``DATABASE()``.
    """

    _backend: Any

    def _get_default_schema(self) -> str:
        return ""  # resolved by the server (DATABASE()); rows carry the real schema

    @property
    def _flavour(self) -> str:
        return str(getattr(self._backend.dialect, "flavour", queries.MYSQL))

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
        return queries.columns(table_name, schema)

    def _build_index_info_sql(self, table_name: str, schema: str | None) -> queries.Query:
        return queries.indexes(self._flavour, self._version, table_name, schema)

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
        flavour = self._flavour
        return [parse.parse_column(r, table_name, flavour) for r in rows]

    def _parse_indexes(self, rows: Rows, table_name: str, schema: str) -> list[IndexInfo]:
        return parse.parse_indexes(rows, table_name)

    def _parse_foreign_keys(self, rows: Rows, table_name: str, schema: str) -> list[ForeignKeyInfo]:
        return parse.parse_foreign_keys(rows, table_name)

    def _parse_views(self, rows: Rows, schema: str) -> list[ViewInfo]:
        return [parse.parse_view(r) for r in rows]

    def _parse_view_info(self, rows: Rows, view_name: str, schema: str) -> ViewInfo | None:
        return parse.parse_view(rows[0]) if rows else None

    def _parse_triggers(self, rows: Rows, schema: str) -> list[TriggerInfo]:
        return [parse.parse_trigger(r) for r in rows]

    # -- beyond the base --------------------------------------------------------------------

    def _key(self, kind: str, *names: str | None) -> str:
        return self._make_cache_key(IntrospectionScope.TABLE, kind, *(n or "" for n in names))

    def _check_constraints(self, table: str, schema: str | None) -> Catalog:
        return (
            self._key("check", table, schema),
            queries.check_constraints(self._flavour, table, schema),
            lambda rows: [parse.parse_check_constraint(r) for r in rows],
        )

    def _unique_constraints(self, table: str, schema: str | None) -> Catalog:
        return (
            self._key("unique", table, schema),
            queries.unique_constraints(table, schema),
            parse.parse_unique_constraints,
        )

    def _partitions(self, table: str, schema: str | None) -> Catalog:
        return (
            self._key("partitions", table, schema),
            queries.partitions(table, schema),
            lambda rows: [parse.parse_partition(r, table) for r in rows],
        )

    def _sequences(self, schema: str | None) -> Catalog:
        return (
            self._make_cache_key(IntrospectionScope.SEQUENCE, schema or ""),
            queries.sequences(schema),
            lambda rows: [parse.parse_sequence(r) for r in rows],
        )


#: first keywords of statements that change what the introspector reads
_DDL_WORDS = frozenset({"CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE"})


def is_schema_change(sql: str) -> bool:
    """Whether a statement's first keyword makes it one that changes the catalog."""
    head = sql.lstrip()[:9].split(None, 1)
    return bool(head) and head[0].upper() in _DDL_WORDS


__all__: Sequence[str] = ("Catalog", "MySQLIntrospectorMixin", "is_schema_change")
