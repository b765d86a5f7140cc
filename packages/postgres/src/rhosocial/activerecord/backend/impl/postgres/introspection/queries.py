"""Catalog queries of the PostgreSQL introspector: pure functions ``(version, ...) -> (sql, params)``.

Every value is bound (``%s``); identifiers never enter the text. A schema of ``None`` means the
session's ``current_schema()`` (the first existing schema of ``search_path``), resolved by the
server in the same statement, so the introspector follows ``SET search_path`` without a cache.

Version gates (server major, 13-18):

- ``pg_attribute.attcompression`` exists from 14: read there, ``NULL`` before.
- ``pg_index.indnullsnotdistinct`` (``UNIQUE NULLS NOT DISTINCT``) exists from 15.
- From 18 ``NOT NULL`` is a ``pg_constraint`` row (``contype = 'n'``): the check-constraint query
  names ``contype = 'c'`` so those never show as check constraints; virtual generated columns
  (``attgenerated = 'v'``) appear from 18 and need no other text.
"""

from __future__ import annotations

Query = tuple[str, tuple[object, ...]]

#: ``COALESCE(%s, current_schema())``: the caller's schema, or the search_path's first.
_SCHEMA = "COALESCE(%s, current_schema())"

#: relkind -> the table kinds of ``list_tables``; sequences, indexes and composite types excluded.
TABLE_RELKINDS = ("r", "p", "v", "m", "f")


def major(version: tuple[int, ...]) -> int:
    return version[0] if version else 0


def database_info() -> Query:
    return (
        "SELECT current_database() AS name, version() AS version_string,"
        " current_setting('server_version_num') AS version_num,"
        " pg_encoding_to_char(d.encoding) AS encoding, d.datcollate AS collation,"
        " current_setting('TimeZone') AS timezone, pg_database_size(d.oid) AS size_bytes,"
        " current_schema() AS current_schema,"
        " (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        "   WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        "   AND n.nspname !~ '^pg_(toast|temp_)')"
        "   AS table_count"
        " FROM pg_database d WHERE d.datname = current_database()",
        (),
    )


def tables(schema: str | None, include_system: bool, table_type: str | None) -> Query:
    """Tables, views, materialized views, partitioned and foreign tables of one schema.

    ``include_system`` adds the system schemas' relations when no schema is named (with a schema
    named, that schema is what is listed). Partitions are listed (they are tables a user can
    query), each with its parent in the row.
    """
    kinds = list(TABLE_RELKINDS)
    if table_type == "VIEW":
        kinds = ["v", "m"]
    elif table_type == "BASE_TABLE":
        kinds = ["r", "p"]
    elif table_type == "EXTERNAL":
        kinds = ["f"]
    where = f"n.nspname = {_SCHEMA}"
    params: list[object] = [schema]
    if include_system and schema is None:
        where = f"(n.nspname = {_SCHEMA} OR n.nspname IN ('pg_catalog', 'information_schema'))"
    params.append(kinds)
    sql = (
        "SELECT c.relname AS name, n.nspname AS schema, c.relkind::text AS relkind,"
        " c.relpersistence::text AS persistence, c.relispartition AS is_partition,"
        " obj_description(c.oid, 'pg_class') AS comment,"
        " CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END AS row_count,"
        " CASE WHEN c.relkind IN ('r', 'p', 'm') THEN pg_total_relation_size(c.oid) END AS size_bytes,"
        " CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,"
        " CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,"
        " (SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent"
        "   WHERE i.inhrelid = c.oid AND c.relispartition LIMIT 1) AS partition_parent,"
        " (SELECT s.srvname FROM pg_foreign_table ft JOIN pg_foreign_server s ON s.oid = ft.ftserver"
        "   WHERE ft.ftrelid = c.oid) AS foreign_server"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        f" WHERE {where} AND c.relkind::text = ANY(%s)"
        " ORDER BY n.nspname, c.relname"
    )
    return sql, tuple(params)


def columns(version: tuple[int, ...], table: str, schema: str | None) -> Query:
    compression = "a.attcompression::text" if major(version) >= 14 else "NULL::text"
    return (
        "SELECT a.attname AS name, n.nspname AS schema, a.attnum AS ordinal_position,"
        " format_type(a.atttypid, a.atttypmod) AS data_type_full, t.typname AS udt_name,"
        " tn.nspname AS udt_schema, t.typtype::text AS typtype, a.atttypmod AS typmod,"
        " CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS domain_base,"
        " a.attndims AS array_dims, a.attnotnull AS not_null,"
        " pg_get_expr(d.adbin, d.adrelid) AS default_expr,"
        " a.attidentity::text AS identity, a.attgenerated::text AS generated,"
        " col_description(c.oid, a.attnum) AS comment,"
        " CASE WHEN a.attcollation <> 0 THEN co.collname END AS collation,"
        f" {compression} AS compression,"
        " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary"
        "   AND a.attnum = ANY(i.indkey)) AS is_primary_key,"
        " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique"
        "   AND i.indnkeyatts = 1 AND i.indkey[0] = a.attnum AND i.indpred IS NULL) AS is_unique"
        " FROM pg_attribute a"
        " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace"
        " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        " LEFT JOIN pg_collation co ON co.oid = a.attcollation"
        f" WHERE c.relname = %s AND n.nspname = {_SCHEMA} AND a.attnum > 0 AND NOT a.attisdropped"
        " ORDER BY a.attnum",
        (table, schema),
    )


def indexes(version: tuple[int, ...], table: str, schema: str | None) -> Query:
    nnd = "i.indnullsnotdistinct" if major(version) >= 15 else "false"
    return (
        "SELECT ic.relname AS name, n.nspname AS schema, i.indisunique AS is_unique,"
        " i.indisprimary AS is_primary, am.amname AS method,"
        " pg_get_expr(i.indpred, i.indrelid) AS predicate, i.indnkeyatts AS key_count,"
        " ARRAY(SELECT pg_get_indexdef(i.indexrelid, k + 1, true)"
        "   FROM generate_series(0, i.indnatts - 1) AS k ORDER BY k)::text[] AS column_defs,"
        " ARRAY(SELECT a.attname FROM generate_series(0, i.indnatts - 1) AS k"
        "   LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k]"
        "   ORDER BY k)::text[] AS column_names,"
        " ARRAY(SELECT i.indoption[k] FROM generate_series(0, i.indnkeyatts - 1) AS k"
        "   ORDER BY k)::int[] AS column_options,"
        " pg_get_indexdef(i.indexrelid) AS definition,"
        " obj_description(ic.oid, 'pg_class') AS comment, pg_relation_size(ic.oid) AS size_bytes,"
        " con.conname AS constraint_name, con.contype::text AS constraint_type,"
        f" {nnd} AS nulls_not_distinct, i.indisvalid AS is_valid"
        " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
        " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_am am ON am.oid = ic.relam"
        " LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid"
        "   AND con.contype IN ('p', 'u', 'x')"
        f" WHERE c.relname = %s AND n.nspname = {_SCHEMA}"
        " ORDER BY ic.relname",
        (table, schema),
    )


def foreign_keys(table: str, schema: str | None) -> Query:
    return (
        "SELECT con.conname AS name, n.nspname AS schema, rn.nspname AS referenced_schema,"
        " rc.relname AS referenced_table,"
        " ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)"
        "   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num"
        "   ORDER BY k.ord)::text[] AS columns,"
        " ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(num, ord)"
        "   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num"
        "   ORDER BY k.ord)::text[] AS referenced_columns,"
        " con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete,"
        " con.confmatchtype::text AS match_type, con.condeferrable AS deferrable,"
        " con.condeferred AS deferred, con.convalidated AS validated,"
        " pg_get_constraintdef(con.oid, true) AS definition"
        " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
        f" WHERE con.contype = 'f' AND c.relname = %s AND n.nspname = {_SCHEMA}"
        " ORDER BY con.conname",
        (table, schema),
    )


_VIEW_SELECT = (
    "SELECT c.relname AS name, n.nspname AS schema, c.relkind::text AS relkind,"
    " pg_get_viewdef(c.oid, true) AS definition, obj_description(c.oid, 'pg_class') AS comment,"
    " v.is_updatable, v.is_insertable_into, v.check_option,"
    " CASE WHEN c.relkind = 'm' THEN (SELECT m.ispopulated FROM pg_matviews m"
    "   WHERE m.schemaname = n.nspname AND m.matviewname = c.relname) END AS is_populated"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN information_schema.views v ON v.table_schema = n.nspname AND v.table_name = c.relname"
)


def views(schema: str | None) -> Query:
    """Views and materialized views (``extra['kind']`` tells them apart)."""
    return (
        f"{_VIEW_SELECT} WHERE c.relkind IN ('v', 'm') AND n.nspname = {_SCHEMA} ORDER BY c.relname",
        (schema,),
    )


def view(name: str, schema: str | None) -> Query:
    return (
        f"{_VIEW_SELECT} WHERE c.relkind IN ('v', 'm') AND c.relname = %s AND n.nspname = {_SCHEMA}",
        (name, schema),
    )


def triggers(table: str | None, schema: str | None) -> Query:
    where = f"NOT t.tgisinternal AND n.nspname = {_SCHEMA}"
    params: tuple[object, ...] = (schema,)
    if table is not None:
        where += " AND c.relname = %s"
        params = (schema, table)
    return (
        "SELECT t.tgname AS name, c.relname AS table_name, n.nspname AS schema,"
        " t.tgtype::int AS tgtype, t.tgenabled::text AS enabled,"
        " pg_get_triggerdef(t.oid, true) AS definition, t.tgfoid::regproc::text AS function,"
        " t.tgconstraint <> 0 AS is_constraint"
        " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        f" WHERE {where} ORDER BY c.relname, t.tgname",
        params,
    )


# -- beyond the core's base ---------------------------------------------------------------------


def constraints(table: str, schema: str | None, kinds: tuple[str, ...]) -> Query:
    """``pg_constraint`` rows of one table: ``'c'`` check, ``'u'`` unique, ``'x'`` exclusion."""
    return (
        "SELECT con.conname AS name, c.relname AS table_name, n.nspname AS schema,"
        " con.contype::text AS kind,"
        " ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)"
        "   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num"
        "   ORDER BY k.ord)::text[] AS columns,"
        " pg_get_constraintdef(con.oid, true) AS definition, con.condeferrable AS deferrable,"
        " con.condeferred AS deferred, con.convalidated AS validated,"
        " con.connoinherit AS no_inherit"
        " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        f" WHERE c.relname = %s AND n.nspname = {_SCHEMA} AND con.contype::text = ANY(%s)"
        " ORDER BY con.conname",
        (table, schema, list(kinds)),
    )


def sequences(schema: str | None) -> Query:
    return (
        "SELECT c.relname AS name, n.nspname AS schema, format_type(s.seqtypid, NULL) AS data_type,"
        " s.seqstart AS start_value, s.seqincrement AS increment, s.seqmin AS min_value,"
        " s.seqmax AS max_value, s.seqcache AS cache_size, s.seqcycle AS cycle,"
        " (SELECT oc.relname || '.' || oa.attname FROM pg_depend dp"
        "   JOIN pg_class oc ON oc.oid = dp.refobjid"
        "   JOIN pg_attribute oa ON oa.attrelid = dp.refobjid AND oa.attnum = dp.refobjsubid"
        "   WHERE dp.classid = 'pg_class'::regclass AND dp.objid = c.oid"
        "   AND dp.deptype IN ('a', 'i') LIMIT 1) AS owned_by"
        " FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid"
        f" JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = {_SCHEMA}"
        " ORDER BY c.relname",
        (schema,),
    )


def enum_types(schema: str | None) -> Query:
    return (
        "SELECT t.typname AS name, n.nspname AS schema,"
        " ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid"
        "   ORDER BY e.enumsortorder)::text[] AS labels"
        " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
        f" WHERE t.typtype = 'e' AND n.nspname = {_SCHEMA} ORDER BY t.typname",
        (schema,),
    )


def domains(schema: str | None) -> Query:
    return (
        "SELECT t.typname AS name, n.nspname AS schema,"
        " format_type(t.typbasetype, t.typtypmod) AS base_type, t.typnotnull AS not_null,"
        " t.typdefault AS default_value, co.collname AS collation,"
        " ARRAY(SELECT pg_get_constraintdef(c.oid, true) FROM pg_constraint c"
        "   WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname)::text[] AS checks"
        " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
        " LEFT JOIN pg_collation co ON co.oid = t.typcollation AND t.typcollation <> 0"
        "   AND co.collname <> 'default'"
        f" WHERE t.typtype = 'd' AND n.nspname = {_SCHEMA} ORDER BY t.typname",
        (schema,),
    )


def extensions() -> Query:
    return (
        "SELECT e.extname AS name, e.extversion AS version, n.nspname AS schema,"
        " (SELECT a.comment FROM pg_available_extensions a WHERE a.name = e.extname) AS description,"
        " e.extrelocatable AS relocatable"
        " FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY e.extname",
        (),
    )


def partitions(table: str, schema: str | None) -> Query:
    """Direct partitions of a partitioned table, with their bounds."""
    return (
        "SELECT c.relname AS name, cn.nspname AS schema, c.relkind::text AS relkind,"
        " pg_get_expr(c.relpartbound, c.oid) AS bound"
        " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " JOIN pg_namespace cn ON cn.oid = c.relnamespace"
        " JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace"
        f" WHERE p.relname = %s AND pn.nspname = {_SCHEMA} ORDER BY c.relname",
        (table, schema),
    )
