"""Catalog queries of the MySQL-family introspector: pure ``(flavour, version, ...) -> (sql, params)``.

information_schema only, every value bound (``%s``). A schema of ``None`` is the session's
``DATABASE()``. Flavour and version differences (MySQL 8.0/8.4/9.x, MariaDB 10.6-11.8):

- ``STATISTICS.EXPRESSION`` (functional key parts) exists on MySQL from 8.0.13, never on MariaDB.
- ``STATISTICS.IS_VISIBLE`` (invisible indexes) is MySQL 8.0's; MariaDB's ``IGNORED`` (10.6+).
- MariaDB names check constraints per table (``CHECK_CONSTRAINTS.TABLE_NAME``); MySQL per schema.
- ``TABLES.TABLE_TYPE`` is ``SYSTEM VERSIONED`` for MariaDB's system-versioned tables and
  ``SEQUENCE`` for its sequences (10.3+), which are not listed as tables.
"""

from __future__ import annotations

Query = tuple[str, tuple[object, ...]]
Version = tuple[int, ...]

MYSQL, MARIADB = "mysql", "mariadb"
_SCHEMA = "COALESCE(%s, DATABASE())"


def has_index_expression(flavour: str, version: Version) -> bool:
    return flavour == MYSQL and tuple(version) >= (8, 0, 13)


def database_info() -> Query:
    return (
        "SELECT DATABASE() AS name, VERSION() AS version_string, @@version_comment AS version_comment,"
        " @@character_set_database AS encoding, @@collation_database AS collation,"
        " @@time_zone AS timezone, @@system_time_zone AS system_timezone,"
        " (SELECT SUM(DATA_LENGTH + INDEX_LENGTH) FROM information_schema.TABLES"
        "   WHERE TABLE_SCHEMA = DATABASE()) AS size_bytes,"
        " (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        "   AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')) AS table_count",
        (),
    )


def tables(schema: str | None, include_system: bool, table_type: str | None) -> Query:
    types = ["BASE TABLE", "SYSTEM VERSIONED", "VIEW"]
    if table_type == "VIEW":
        types = ["VIEW"]
    elif table_type == "BASE_TABLE":
        types = ["BASE TABLE", "SYSTEM VERSIONED"]
    if include_system:
        types.append("SYSTEM VIEW")
    marks = ", ".join(["%s"] * len(types))
    return (
        "SELECT TABLE_NAME AS name, TABLE_SCHEMA AS `schema`, TABLE_TYPE AS table_type,"
        " ENGINE AS engine, TABLE_ROWS AS row_count, DATA_LENGTH + INDEX_LENGTH AS size_bytes,"
        " AUTO_INCREMENT AS auto_increment, CREATE_TIME AS create_time, UPDATE_TIME AS update_time,"
        " TABLE_COMMENT AS comment, TABLE_COLLATION AS collation, CREATE_OPTIONS AS create_options,"
        " ROW_FORMAT AS row_format"
        f" FROM information_schema.TABLES WHERE TABLE_SCHEMA = {_SCHEMA} AND TABLE_TYPE IN ({marks})"
        " ORDER BY TABLE_NAME",
        (schema, *types),
    )


def columns(table: str, schema: str | None) -> Query:
    return (
        "SELECT COLUMN_NAME AS name, TABLE_SCHEMA AS `schema`, ORDINAL_POSITION AS ordinal_position,"
        " DATA_TYPE AS data_type, COLUMN_TYPE AS column_type, IS_NULLABLE AS is_nullable,"
        " COLUMN_DEFAULT AS default_value, EXTRA AS extra, GENERATION_EXPRESSION AS generation_expression,"
        " COLUMN_COMMENT AS comment, CHARACTER_MAXIMUM_LENGTH AS char_length,"
        " NUMERIC_PRECISION AS numeric_precision, NUMERIC_SCALE AS numeric_scale,"
        " DATETIME_PRECISION AS datetime_precision, CHARACTER_SET_NAME AS charset,"
        " COLLATION_NAME AS collation, COLUMN_KEY AS column_key"
        f" FROM information_schema.COLUMNS WHERE TABLE_NAME = %s AND TABLE_SCHEMA = {_SCHEMA}"
        " ORDER BY ORDINAL_POSITION",
        (table, schema),
    )


def indexes(flavour: str, version: Version, table: str, schema: str | None) -> Query:
    expression = "EXPRESSION" if has_index_expression(flavour, version) else "NULL"
    if flavour == MYSQL:
        hidden = "IS_VISIBLE = 'NO'"
    elif tuple(version) >= (10, 6):
        hidden = "IGNORED = 'YES'"
    else:
        hidden = "FALSE"
    return (
        "SELECT INDEX_NAME AS name, TABLE_SCHEMA AS `schema`, NON_UNIQUE AS non_unique,"
        " SEQ_IN_INDEX AS seq, COLUMN_NAME AS column_name, COLLATION AS collation,"
        " SUB_PART AS sub_part, INDEX_TYPE AS index_type, INDEX_COMMENT AS comment,"
        f" {expression} AS expression, {hidden} AS hidden, NULLABLE AS nullable"
        f" FROM information_schema.STATISTICS WHERE TABLE_NAME = %s AND TABLE_SCHEMA = {_SCHEMA}"
        " ORDER BY INDEX_NAME, SEQ_IN_INDEX",
        (table, schema),
    )


def foreign_keys(table: str, schema: str | None) -> Query:
    return (
        "SELECT k.CONSTRAINT_NAME AS name, k.TABLE_SCHEMA AS `schema`, k.COLUMN_NAME AS column_name,"
        " k.ORDINAL_POSITION AS ordinal_position, k.REFERENCED_TABLE_SCHEMA AS referenced_schema,"
        " k.REFERENCED_TABLE_NAME AS referenced_table, k.REFERENCED_COLUMN_NAME AS referenced_column,"
        " r.UPDATE_RULE AS on_update, r.DELETE_RULE AS on_delete, r.MATCH_OPTION AS match_option"
        " FROM information_schema.KEY_COLUMN_USAGE k"
        " JOIN information_schema.REFERENTIAL_CONSTRAINTS r"
        "   ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
        "   AND r.TABLE_NAME = k.TABLE_NAME"
        f" WHERE k.TABLE_NAME = %s AND k.TABLE_SCHEMA = {_SCHEMA} AND k.REFERENCED_TABLE_NAME IS NOT NULL"
        " ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
        (table, schema),
    )


_VIEW_SELECT = (
    "SELECT TABLE_NAME AS name, TABLE_SCHEMA AS `schema`, VIEW_DEFINITION AS definition,"
    " CHECK_OPTION AS check_option, IS_UPDATABLE AS is_updatable, DEFINER AS definer,"
    " SECURITY_TYPE AS security_type FROM information_schema.VIEWS"
)


def views(schema: str | None) -> Query:
    return (f"{_VIEW_SELECT} WHERE TABLE_SCHEMA = {_SCHEMA} ORDER BY TABLE_NAME", (schema,))


def view(name: str, schema: str | None) -> Query:
    return (f"{_VIEW_SELECT} WHERE TABLE_NAME = %s AND TABLE_SCHEMA = {_SCHEMA}", (name, schema))


def triggers(table: str | None, schema: str | None) -> Query:
    where = f"TRIGGER_SCHEMA = {_SCHEMA}"
    params: tuple[object, ...] = (schema,)
    if table is not None:
        where += " AND EVENT_OBJECT_TABLE = %s"
        params = (schema, table)
    return (
        "SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS table_name, TRIGGER_SCHEMA AS `schema`,"
        " ACTION_TIMING AS timing, EVENT_MANIPULATION AS event, ACTION_ORIENTATION AS orientation,"
        " ACTION_STATEMENT AS definition, ACTION_ORDER AS action_order, DEFINER AS definer"
        f" FROM information_schema.TRIGGERS WHERE {where} ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER",
        params,
    )


# -- beyond the core's base ---------------------------------------------------------------------


def check_constraints(flavour: str, table: str, schema: str | None) -> Query:
    # MariaDB scopes a check constraint's name to its table (two tables may both have one
    # named after the same column); MySQL to the schema.
    same_table = " AND c.TABLE_NAME = t.TABLE_NAME" if flavour == MARIADB else ""
    return (
        "SELECT t.CONSTRAINT_NAME AS name, t.TABLE_NAME AS table_name, t.TABLE_SCHEMA AS `schema`,"
        " c.CHECK_CLAUSE AS definition"
        " FROM information_schema.TABLE_CONSTRAINTS t JOIN information_schema.CHECK_CONSTRAINTS c"
        f"   ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME{same_table}"
        f" WHERE t.CONSTRAINT_TYPE = 'CHECK' AND t.TABLE_NAME = %s AND t.TABLE_SCHEMA = {_SCHEMA}"
        " ORDER BY t.CONSTRAINT_NAME",
        (table, schema),
    )


def unique_constraints(table: str, schema: str | None) -> Query:
    return (
        "SELECT t.CONSTRAINT_NAME AS name, t.TABLE_NAME AS table_name, t.TABLE_SCHEMA AS `schema`,"
        " k.COLUMN_NAME AS column_name, k.ORDINAL_POSITION AS ordinal_position"
        " FROM information_schema.TABLE_CONSTRAINTS t JOIN information_schema.KEY_COLUMN_USAGE k"
        "   ON k.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = t.CONSTRAINT_NAME"
        "   AND k.TABLE_NAME = t.TABLE_NAME"
        f" WHERE t.CONSTRAINT_TYPE = 'UNIQUE' AND t.TABLE_NAME = %s AND t.TABLE_SCHEMA = {_SCHEMA}"
        " ORDER BY t.CONSTRAINT_NAME, k.ORDINAL_POSITION",
        (table, schema),
    )


def partitions(table: str, schema: str | None) -> Query:
    return (
        "SELECT PARTITION_NAME AS name, SUBPARTITION_NAME AS subpartition, TABLE_SCHEMA AS `schema`,"
        " PARTITION_METHOD AS method, PARTITION_EXPRESSION AS expression,"
        " PARTITION_DESCRIPTION AS description, PARTITION_ORDINAL_POSITION AS position,"
        " TABLE_ROWS AS row_count"
        f" FROM information_schema.PARTITIONS WHERE TABLE_NAME = %s AND TABLE_SCHEMA = {_SCHEMA}"
        " AND PARTITION_NAME IS NOT NULL ORDER BY PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION",
        (table, schema),
    )


def sequences(schema: str | None) -> Query:
    """MariaDB's sequences (10.3+); MySQL has none and gets an empty answer from the same query."""
    return (
        "SELECT TABLE_NAME AS name, TABLE_SCHEMA AS `schema`, TABLE_COMMENT AS comment"
        f" FROM information_schema.TABLES WHERE TABLE_SCHEMA = {_SCHEMA} AND TABLE_TYPE = 'SEQUENCE'"
        " ORDER BY TABLE_NAME",
        (schema,),
    )
