"""Catalog rows -> the core's info objects: pure functions, no I/O (unit-tested per shape).

What the core's enums have no member for is carried in ``extra`` (documented in the README):

- tables: ``extra['kind']`` is ``table``, ``partitioned_table``, ``partition``, ``materialized_view``,
  ``view``, ``foreign_table`` (the core has BASE_TABLE/VIEW/EXTERNAL/TEMPORARY); partitioned
  tables carry ``partition_key``, partitions ``partition_of`` and ``partition_bound``, foreign
  tables ``foreign_server``; ``extra['unlogged']`` for UNLOGGED tables.
- indexes: ``extra['method']`` is the access method as the server names it (``btree``, ``hash``,
  ``gin``, ``gist``, ``brin``, ``spgist``...; the core's IndexType has no BRIN/SP-GiST, so those
  are ``UNKNOWN`` there); ``extra['expressions']`` lists expression keys (their text is also the
  key's ``name``); ``extra['include']`` the INCLUDE columns; ``extra['constraint']`` the
  constraint the index backs; ``extra['nulls_not_distinct']`` (15+); ``extra['definition']``.
- columns: ``extra['identity']`` (``always``/``by default``), ``extra['serial']``,
  ``extra['generated']`` (``stored``/``virtual``), ``extra['udt_name']``, ``extra['domain']``
  with ``extra['domain_base']``, ``extra['enum']`` for enum-typed columns,
  ``extra['compression']`` (14+).
- foreign keys: ``extra['match']`` (``simple``/``full``/``partial``), ``extra['validated']``,
  ``extra['definition']``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rhosocial.activerecord.backend.introspection.status.types import ExtensionInfo
from rhosocial.activerecord.backend.introspection.types import (
    ColumnInfo,
    ColumnNullable,
    DatabaseInfo,
    ForeignKeyInfo,
    IndexColumnInfo,
    IndexInfo,
    IndexType,
    ReferentialAction,
    TableInfo,
    TableType,
    TriggerInfo,
    ViewInfo,
)

from .types import ConstraintInfo, DomainInfo, EnumTypeInfo, PartitionInfo, SequenceInfo

Row = Mapping[str, Any]

_ACTIONS = {
    "a": ReferentialAction.NO_ACTION,
    "r": ReferentialAction.RESTRICT,
    "c": ReferentialAction.CASCADE,
    "n": ReferentialAction.SET_NULL,
    "d": ReferentialAction.SET_DEFAULT,
}
_MATCH = {"s": "simple", "f": "full", "p": "partial"}
_METHODS = {
    "btree": IndexType.BTREE,
    "hash": IndexType.HASH,
    "gin": IndexType.GIN,
    "gist": IndexType.GIST,
}
_KINDS = {
    "r": ("table", TableType.BASE_TABLE),
    "p": ("partitioned_table", TableType.BASE_TABLE),
    "v": ("view", TableType.VIEW),
    "m": ("materialized_view", TableType.VIEW),
    "f": ("foreign_table", TableType.EXTERNAL),
}
_TRIGGER_ENABLED = {"O": "ENABLED", "D": "DISABLED", "R": "REPLICA", "A": "ALWAYS"}
# pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h)
_TG_ROW, _TG_BEFORE, _TG_INSERT, _TG_DELETE, _TG_UPDATE, _TG_TRUNCATE, _TG_INSTEAD = (
    1,
    2,
    4,
    8,
    16,
    32,
    64,
)

#: Binary precision information_schema reports for the fixed-size numeric types.
_BINARY_PRECISION = {"int2": 16, "int4": 32, "int8": 64, "float4": 24, "float8": 53}
_CHAR_TYPES = {"varchar", "bpchar", "bit", "varbit"}
_TIME_TYPES = {"time", "timetz", "timestamp", "timestamptz"}
_MODIFIERS = re.compile(r"\(\s*\d+(?:\s*,\s*\d+)?\s*\)")


def version_from_num(num: str | int) -> tuple[int, int, int]:
    """``server_version_num`` (``150020``) -> ``(15, 20, 0)``; pre-10 numbering is not served."""
    n = int(num)
    return (n // 10000, n % 10000, 0)


def type_sizes(udt: str, typmod: int) -> tuple[int | None, int | None, int | None, int | None]:
    """``(character_maximum_length, numeric_precision, numeric_scale, datetime_precision)``.

    Read from the type modifier as the server encodes it (VARHDRSZ = 4 for character types,
    ``((p << 16) | s) + 4`` for numeric, the bare precision for time types, ``-1`` when absent).
    """
    if udt in _BINARY_PRECISION:
        return None, _BINARY_PRECISION[udt], 0 if udt.startswith("int") else None, None
    if typmod is None or typmod < 0:
        if udt in _TIME_TYPES:
            return None, None, None, 6
        return None, None, None, None
    if udt in ("varchar", "bpchar"):
        return typmod - 4, None, None, None
    if udt in ("bit", "varbit"):
        return typmod, None, None, None
    if udt == "numeric":
        mod = typmod - 4
        return None, (mod >> 16) & 0xFFFF, mod & 0xFFFF, None
    if udt in _TIME_TYPES:
        return None, None, None, typmod
    if udt == "interval":
        return None, None, None, typmod & 0xFFFF
    return None, None, None, None


def base_type_name(full: str) -> str:
    """``character varying(20)`` -> ``character varying``; ``timestamp(3) with time zone`` too."""
    return " ".join(_MODIFIERS.sub("", full).split())


def parse_database_info(row: Row) -> DatabaseInfo:
    version = version_from_num(row["version_num"])
    return DatabaseInfo(
        name=row["name"],
        version=".".join(str(p) for p in version[:2]),
        version_tuple=version,
        vendor="PostgreSQL",
        encoding=row["encoding"],
        collation=row["collation"],
        timezone=row["timezone"],
        size_bytes=row["size_bytes"],
        table_count=row["table_count"],
        extra={"version_string": row["version_string"], "current_schema": row["current_schema"]},
    )


def parse_table(row: Row) -> TableInfo:
    kind, table_type = _KINDS[row["relkind"]]
    extra: dict[str, Any] = {"kind": kind}
    if row["is_partition"]:
        extra["kind"] = "partition"
        extra["partition_of"] = row["partition_parent"]
        extra["partition_bound"] = row["partition_bound"]
    if row["partition_key"]:
        extra["partition_key"] = row["partition_key"]
    if row["foreign_server"]:
        extra["foreign_server"] = row["foreign_server"]
    if row["persistence"] == "t":
        table_type = TableType.TEMPORARY
    elif row["persistence"] == "u":
        extra["unlogged"] = True
    return TableInfo(
        name=row["name"],
        schema=row["schema"],
        table_type=table_type,
        comment=row["comment"],
        row_count=row["row_count"],
        size_bytes=row["size_bytes"],
        extra=extra,
    )


def parse_column(row: Row, table_name: str) -> ColumnInfo:
    udt = row["udt_name"]
    length, precision, scale, dt_precision = type_sizes(udt, row["typmod"])
    default = row["default_expr"]
    extra: dict[str, Any] = {"udt_name": udt}
    generated_expression = None
    if row["generated"]:
        extra["generated"] = "virtual" if row["generated"] == "v" else "stored"
        generated_expression, default = default, None
    auto = False
    if row["identity"]:
        auto = True
        extra["identity"] = "always" if row["identity"] == "a" else "by default"
    elif default is not None and default.startswith("nextval("):
        auto = True
        extra["serial"] = True
    if row["typtype"] == "d":
        extra["domain"] = udt
        extra["domain_base"] = row["domain_base"]
    elif row["typtype"] == "e":
        extra["enum"] = udt
    if row["compression"]:
        extra["compression"] = {"p": "pglz", "l": "lz4"}.get(row["compression"], row["compression"])
    if row["array_dims"]:
        extra["array_dimensions"] = row["array_dims"]
    full = row["data_type_full"]
    return ColumnInfo(
        name=row["name"],
        table_name=table_name,
        schema=row["schema"],
        ordinal_position=row["ordinal_position"],
        data_type=base_type_name(full),
        data_type_full=full,
        nullable=ColumnNullable.NOT_NULL if row["not_null"] else ColumnNullable.NULLABLE,
        default_value=default,
        is_primary_key=row["is_primary_key"],
        is_unique=row["is_unique"],
        is_auto_increment=auto,
        is_generated=generated_expression is not None,
        generated_expression=generated_expression,
        comment=row["comment"],
        character_maximum_length=length,
        numeric_precision=precision,
        numeric_scale=scale,
        datetime_precision=dt_precision,
        collation=None if row["collation"] == "default" else row["collation"],
        extra=extra,
    )


def parse_index(row: Row, table_name: str) -> IndexInfo:
    names: Sequence[str | None] = row["column_names"]
    defs: Sequence[str] = row["column_defs"]
    options: Sequence[int] = row["column_options"]
    keys = row["key_count"]
    columns: list[IndexColumnInfo] = []
    expressions: list[str] = []
    for pos in range(keys):
        name = names[pos]
        if name is None:  # an expression key: its text stands as the key's name
            name = defs[pos]
            expressions.append(name)
        option = options[pos] if pos < len(options) else 0
        descending = bool(option & 1)
        columns.append(
            IndexColumnInfo(
                name=name,
                ordinal_position=pos + 1,
                is_descending=descending,
                # INDOPTION_NULLS_FIRST; only ordering methods (btree) have a null order
                is_nulls_first=bool(option & 2) if row["method"] == "btree" else None,
            )
        )
    extra: dict[str, Any] = {"method": row["method"], "definition": row["definition"]}
    if expressions:
        extra["expressions"] = expressions
    include = [n if n is not None else d for n, d in zip(names[keys:], defs[keys:], strict=True)]
    if include:
        extra["include"] = include
    if row["constraint_name"]:
        extra["constraint"] = row["constraint_name"]
    if row["nulls_not_distinct"]:
        extra["nulls_not_distinct"] = True
    if not row["is_valid"]:
        extra["valid"] = False
    return IndexInfo(
        name=row["name"],
        table_name=table_name,
        schema=row["schema"],
        is_unique=row["is_unique"],
        is_primary=row["is_primary"],
        index_type=_METHODS.get(row["method"], IndexType.UNKNOWN),
        columns=columns,
        filter_condition=row["predicate"],
        comment=row["comment"],
        size_bytes=row["size_bytes"],
        extra=extra,
    )


def parse_foreign_key(row: Row, table_name: str) -> ForeignKeyInfo:
    return ForeignKeyInfo(
        name=row["name"],
        table_name=table_name,
        schema=row["schema"],
        columns=list(row["columns"]),
        referenced_table=row["referenced_table"],
        referenced_schema=row["referenced_schema"],
        referenced_columns=list(row["referenced_columns"]),
        on_update=_ACTIONS[row["on_update"]],
        on_delete=_ACTIONS[row["on_delete"]],
        deferrable=row["deferrable"],
        deferred=row["deferred"],
        extra={
            "match": _MATCH.get(row["match_type"], row["match_type"]),
            "validated": row["validated"],
            "definition": row["definition"],
        },
    )


def parse_view(row: Row) -> ViewInfo:
    materialized = row["relkind"] == "m"
    extra: dict[str, Any] = {"kind": "materialized_view" if materialized else "view"}
    if materialized:
        extra["is_populated"] = row["is_populated"]
    check = row["check_option"]
    return ViewInfo(
        name=row["name"],
        schema=row["schema"],
        definition=row["definition"],
        is_updatable=None if materialized else row["is_updatable"] == "YES",
        is_insertable=None if materialized else row["is_insertable_into"] == "YES",
        check_option=None if check in (None, "NONE") else check,
        comment=row["comment"],
        extra=extra,
    )


_WHEN = re.compile(r"\sWHEN \((?P<cond>.*)\) EXECUTE (?:FUNCTION|PROCEDURE) ", re.DOTALL)


def trigger_condition(definition: str) -> str | None:
    """The ``WHEN (...)`` condition of a ``pg_get_triggerdef`` text, without its parentheses."""
    m = _WHEN.search(definition)
    return m.group("cond") if m else None


def trigger_events(tgtype: int) -> list[str]:
    return [
        name
        for bit, name in (
            (_TG_INSERT, "INSERT"),
            (_TG_UPDATE, "UPDATE"),
            (_TG_DELETE, "DELETE"),
            (_TG_TRUNCATE, "TRUNCATE"),
        )
        if tgtype & bit
    ]


def trigger_timing(tgtype: int) -> str:
    if tgtype & _TG_INSTEAD:
        return "INSTEAD OF"
    return "BEFORE" if tgtype & _TG_BEFORE else "AFTER"


def parse_trigger(row: Row) -> TriggerInfo:
    tgtype = row["tgtype"]
    return TriggerInfo(
        name=row["name"],
        table_name=row["table_name"],
        schema=row["schema"],
        timing=trigger_timing(tgtype),
        events=trigger_events(tgtype),
        level="ROW" if tgtype & _TG_ROW else "STATEMENT",
        condition=trigger_condition(row["definition"]),
        definition=row["definition"],
        status=_TRIGGER_ENABLED.get(row["enabled"], str(row["enabled"])),
        extra={"function": row["function"], "is_constraint_trigger": row["is_constraint"]},
    )


# -- beyond the core's base ---------------------------------------------------------------------

_CONSTRAINT_KINDS = {"c": "CHECK", "u": "UNIQUE", "x": "EXCLUDE"}


def parse_constraint(row: Row) -> ConstraintInfo:
    return ConstraintInfo(
        name=row["name"],
        table_name=row["table_name"],
        kind=_CONSTRAINT_KINDS[row["kind"]],
        schema=row["schema"],
        columns=list(row["columns"]),
        definition=row["definition"],
        deferrable=row["deferrable"],
        deferred=row["deferred"],
        extra={"validated": row["validated"], "no_inherit": row["no_inherit"]},
    )


def parse_sequence(row: Row) -> SequenceInfo:
    return SequenceInfo(
        name=row["name"],
        schema=row["schema"],
        data_type=row["data_type"],
        start_value=row["start_value"],
        increment=row["increment"],
        min_value=row["min_value"],
        max_value=row["max_value"],
        cache_size=row["cache_size"],
        cycle=row["cycle"],
        owned_by=row["owned_by"],
    )


def parse_enum_type(row: Row) -> EnumTypeInfo:
    return EnumTypeInfo(name=row["name"], schema=row["schema"], labels=list(row["labels"]))


def parse_domain(row: Row) -> DomainInfo:
    return DomainInfo(
        name=row["name"],
        base_type=row["base_type"],
        schema=row["schema"],
        not_null=row["not_null"],
        default_value=row["default_value"],
        collation=row["collation"],
        checks=list(row["checks"]),
    )


def parse_extension(row: Row) -> ExtensionInfo:
    return ExtensionInfo(
        name=row["name"],
        version=row["version"],
        schema=row["schema"],
        description=row["description"],
        extra={"relocatable": row["relocatable"]},
    )


def parse_partition(row: Row, table_name: str) -> PartitionInfo:
    return PartitionInfo(
        name=row["name"],
        table_name=table_name,
        schema=row["schema"],
        bound=row["bound"],
        is_partitioned=row["relkind"] == "p",
    )
