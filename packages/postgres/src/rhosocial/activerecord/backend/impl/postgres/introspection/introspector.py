"""The PostgreSQL introspectors (sync and async) on the core's introspector bases.

The core's bases do the I/O of every method they declare (``_build_*_sql`` -> executor ->
``_parse_*``, with their cache); this module gives them catalog queries (``queries``) and row
parsers (``parse``), both pure and shared by the two classes through ``PostgresIntrospectorMixin``.
What the bases have no method for (constraints, sequences, enum types, domains, extensions,
partitions) goes through ``_catalog``: one cached fetch per kind. The two public classes differ
only in ``async``/``await``; their methods beyond the base are one-line twins (sync first, async
below, same order) until the repository's async-to-sync generator covers this package.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from rhosocial.activerecord.backend.impl.common.introspection import (
    AsyncCatalogExecutor,
    SyncCatalogExecutor,
)
from rhosocial.activerecord.backend.introspection.base import (
    AsyncAbstractIntrospector,
    IntrospectorMixin,
    SyncAbstractIntrospector,
)
from rhosocial.activerecord.backend.introspection.status.types import ExtensionInfo
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
from .types import ConstraintInfo, DomainInfo, EnumTypeInfo, PartitionInfo, SequenceInfo

if TYPE_CHECKING:
    from .status import AsyncPostgreSQLStatusIntrospector, SyncPostgreSQLStatusIntrospector

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


class SyncPostgreSQLIntrospector(PostgresIntrospectorMixin, SyncAbstractIntrospector):
    """Synchronous PostgreSQL introspector (``backend.introspector`` of ``PostgresBackend``)."""

    _status_instance: SyncPostgreSQLStatusIntrospector | None = None

    @property
    def status(self) -> SyncPostgreSQLStatusIntrospector:
        if self._status_instance is None:
            from .status import SyncPostgreSQLStatusIntrospector

            self._status_instance = SyncPostgreSQLStatusIntrospector(self._backend)
        return self._status_instance

    def _catalog(self, catalog: Catalog) -> list[Any]:
        key, (sql, params), parser = catalog
        hit, value = self._cached(key)
        if hit:
            return list(value)
        result = [parser(r) for r in self._executor.execute(sql, params)]
        self._set_cached(key, result)
        return result

    # twins of AsyncPostgreSQLIntrospector's methods below (same order)
    def list_check_constraints(
        self, table_name: str, schema: str | None = None
    ) -> list[ConstraintInfo]:
        return self._catalog(self._check_constraints(table_name, schema))

    def list_unique_constraints(
        self, table_name: str, schema: str | None = None
    ) -> list[ConstraintInfo]:
        return self._catalog(self._unique_constraints(table_name, schema))

    def list_sequences(self, schema: str | None = None) -> list[SequenceInfo]:
        return self._catalog(self._sequences(schema))

    def list_enum_types(self, schema: str | None = None) -> list[EnumTypeInfo]:
        return self._catalog(self._enum_types(schema))

    def list_domains(self, schema: str | None = None) -> list[DomainInfo]:
        return self._catalog(self._domains(schema))

    def list_extensions(self) -> list[ExtensionInfo]:
        return self._catalog(self._extensions())

    def list_partitions(self, table_name: str, schema: str | None = None) -> list[PartitionInfo]:
        return self._catalog(self._partitions(table_name, schema))


class AsyncPostgreSQLIntrospector(PostgresIntrospectorMixin, AsyncAbstractIntrospector):
    """Asynchronous PostgreSQL introspector (``backend.introspector`` of ``AsyncPostgresBackend``)."""

    _status_instance: AsyncPostgreSQLStatusIntrospector | None = None

    @property
    def status(self) -> AsyncPostgreSQLStatusIntrospector:
        if self._status_instance is None:
            from .status import AsyncPostgreSQLStatusIntrospector

            self._status_instance = AsyncPostgreSQLStatusIntrospector(self._backend)
        return self._status_instance

    async def _catalog(self, catalog: Catalog) -> list[Any]:
        key, (sql, params), parser = catalog
        hit, value = self._cached(key)
        if hit:
            return list(value)
        result = [parser(r) for r in await self._executor.execute(sql, params)]
        self._set_cached(key, result)
        return result

    async def list_check_constraints(
        self, table_name: str, schema: str | None = None
    ) -> list[ConstraintInfo]:
        return await self._catalog(self._check_constraints(table_name, schema))

    async def list_unique_constraints(
        self, table_name: str, schema: str | None = None
    ) -> list[ConstraintInfo]:
        return await self._catalog(self._unique_constraints(table_name, schema))

    async def list_sequences(self, schema: str | None = None) -> list[SequenceInfo]:
        return await self._catalog(self._sequences(schema))

    async def list_enum_types(self, schema: str | None = None) -> list[EnumTypeInfo]:
        return await self._catalog(self._enum_types(schema))

    async def list_domains(self, schema: str | None = None) -> list[DomainInfo]:
        return await self._catalog(self._domains(schema))

    async def list_extensions(self) -> list[ExtensionInfo]:
        return await self._catalog(self._extensions())

    async def list_partitions(
        self, table_name: str, schema: str | None = None
    ) -> list[PartitionInfo]:
        return await self._catalog(self._partitions(table_name, schema))


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


__all__: Sequence[str] = (
    "AsyncCatalogExecutor",
    "AsyncPostgreSQLIntrospector",
    "PostgresIntrospectorMixin",
    "SyncCatalogExecutor",
    "SyncPostgreSQLIntrospector",
    "is_schema_change",
)
