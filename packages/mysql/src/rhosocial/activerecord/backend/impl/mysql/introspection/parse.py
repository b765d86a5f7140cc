"""information_schema rows -> the core's info objects: pure functions (unit-tested per flavour).

Carried in ``extra`` (documented in the README), where the core has no field or enum member:

- tables: ``extra['kind']`` (``table``, ``system_versioned`` for MariaDB's system-versioned
  tables, ``view``, ``system_view``, ``temporary``), ``engine``, ``collation``, ``row_format``,
  ``partitioned`` (with ``create_options``).
- columns: ``extra['generated']`` (``virtual``/``stored``), ``extra['invisible']``,
  ``extra['default_is_expression']``, ``extra['on_update']`` (``ON UPDATE CURRENT_TIMESTAMP``),
  ``extra['unsigned']``, ``extra['column_key']``.
- indexes: ``extra['method']`` (``BTREE``, ``HASH``, ``FULLTEXT``, ``SPATIAL``, MariaDB's
  ``VECTOR``...), ``extra['expressions']`` (MySQL functional key parts; their text is also the
  key's name), ``extra['prefix_lengths']`` (``{column: length}``), ``extra['invisible']``
  (MySQL ``INVISIBLE``, MariaDB ``IGNORED``).
- foreign keys: ``extra['match']``; ``deferrable`` is ``False`` (the family has no deferral).

Defaults: MariaDB reports ``COLUMN_DEFAULT`` as SQL (``'abc'``, ``NULL``, ``current_timestamp()``),
MySQL as the bare value (``abc``, SQL NULL, ``CURRENT_TIMESTAMP``). Both become the bare value,
``None`` for no default, and expressions keep their text (``extra['default_is_expression']``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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

from .types import ConstraintInfo, PartitionInfo, SequenceInfo

Row = Mapping[str, Any]

_TABLE_TYPES = {
    "BASE TABLE": ("table", TableType.BASE_TABLE),
    "SYSTEM VERSIONED": ("system_versioned", TableType.BASE_TABLE),
    "VIEW": ("view", TableType.VIEW),
    "SYSTEM VIEW": ("system_view", TableType.SYSTEM_TABLE),
    "TEMPORARY": ("temporary", TableType.TEMPORARY),
}
_INDEX_TYPES = {
    "BTREE": IndexType.BTREE,
    "HASH": IndexType.HASH,
    "FULLTEXT": IndexType.FULLTEXT,
    "SPATIAL": IndexType.SPATIAL,
}


def text(value: Any) -> Any:
    """Catalog text as ``str`` (mysql-connector hands some information_schema columns as bytes)."""
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8")
    return value


def parse_version(version_string: str) -> tuple[str, tuple[int, int, int]]:
    """``'10.11.19-MariaDB-...'`` -> ``('mariadb', (10, 11, 19))``; ``'8.4.3'`` -> ``('mysql', ...)``."""
    flavour = "mariadb" if "mariadb" in version_string.lower() else "mysql"
    head = version_string.split("-", 1)[0]
    if head.startswith("5.5.5") and flavour == "mariadb":  # the replication-compatible prefix
        head = version_string.split("-", 2)[1]
    parts = [int(p) for p in head.split(".")[:3] if p.isdigit()]
    while len(parts) < 3:
        parts.append(0)
    return flavour, (parts[0], parts[1], parts[2])


def parse_database_info(row: Row) -> DatabaseInfo:
    version_string = text(row["version_string"])
    flavour, version = parse_version(version_string)
    return DatabaseInfo(
        name=text(row["name"]),
        version=".".join(str(v) for v in version),
        version_tuple=version,
        vendor="MariaDB" if flavour == "mariadb" else "MySQL",
        encoding=text(row["encoding"]),
        collation=text(row["collation"]),
        timezone=text(row["timezone"]),
        size_bytes=None if row["size_bytes"] is None else int(row["size_bytes"]),
        table_count=int(row["table_count"]),
        extra={
            "flavour": flavour,
            "version_string": version_string,
            "version_comment": text(row["version_comment"]),
            "system_timezone": text(row["system_timezone"]),
        },
    )


def _iso(value: Any) -> str | None:
    return (
        None if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)
    )


def parse_table(row: Row) -> TableInfo:
    kind, table_type = _TABLE_TYPES.get(text(row["table_type"]), ("table", TableType.BASE_TABLE))
    options = text(row["create_options"]) or ""
    extra: dict[str, Any] = {"kind": kind}
    for key in ("engine", "collation", "row_format"):
        if row[key] is not None:
            extra[key] = text(row[key])
    if "partitioned" in options.lower():
        extra["partitioned"] = True
    if options:
        extra["create_options"] = options
    return TableInfo(
        name=text(row["name"]),
        schema=text(row["schema"]),
        table_type=table_type,
        comment=text(row["comment"]) or None,
        row_count=row["row_count"],
        size_bytes=row["size_bytes"],
        auto_increment=row["auto_increment"],
        create_time=_iso(row["create_time"]),
        update_time=_iso(row["update_time"]),
        extra=extra,
    )


def normalize_default(raw: Any, flavour: str) -> tuple[str | None, bool]:
    """``(default, is_expression)`` in MySQL's convention from either flavour's COLUMN_DEFAULT."""
    value = text(raw)
    if value is None:
        return None, False
    if flavour != "mariadb":
        return value, False
    if value == "NULL":
        return None, False
    if len(value) >= 2 and value[0] == "'" and value[-1] == "'":
        return value[1:-1].replace("''", "'").replace("\\\\", "\\"), False
    try:
        float(value)
        return value, False
    except ValueError:
        return value, True


def parse_column(row: Row, table_name: str, flavour: str) -> ColumnInfo:
    extra_text = (text(row["extra"]) or "").lower()
    column_type = text(row["column_type"])
    default, is_expression = normalize_default(row["default_value"], flavour)
    if "default_generated" in extra_text:  # MySQL 8.0.13+ expression defaults
        is_expression = True
    extra: dict[str, Any] = {"column_key": text(row["column_key"]) or None}
    generated = None
    if "virtual generated" in extra_text:
        generated = "virtual"
    elif "stored generated" in extra_text or "persistent generated" in extra_text:
        generated = "stored"
    expression = text(row["generation_expression"]) or None
    if generated:
        extra["generated"] = generated
        default = None
    if is_expression and default is not None:
        extra["default_is_expression"] = True
    if "invisible" in extra_text:
        extra["invisible"] = True
    if "on update" in extra_text:
        extra["on_update"] = (
            extra_text[extra_text.index("on update") + len("on update ") :].strip().upper()
        )
    if "unsigned" in column_type.lower():
        extra["unsigned"] = True
    return ColumnInfo(
        name=text(row["name"]),
        table_name=table_name,
        schema=text(row["schema"]),
        ordinal_position=int(row["ordinal_position"]),
        data_type=text(row["data_type"]).lower(),
        data_type_full=column_type,
        nullable=ColumnNullable.NULLABLE
        if text(row["is_nullable"]) == "YES"
        else ColumnNullable.NOT_NULL,
        default_value=default,
        is_primary_key=text(row["column_key"]) == "PRI",
        is_unique=text(row["column_key"]) == "UNI",
        is_auto_increment="auto_increment" in extra_text,
        is_generated=generated is not None,
        generated_expression=expression if generated else None,
        comment=text(row["comment"]) or None,
        character_maximum_length=row["char_length"],
        numeric_precision=row["numeric_precision"],
        numeric_scale=row["numeric_scale"],
        datetime_precision=row["datetime_precision"],
        charset=text(row["charset"]),
        collation=text(row["collation"]),
        extra=extra,
    )


def parse_indexes(rows: Sequence[Row], table_name: str) -> list[IndexInfo]:
    """One row per key part (``STATISTICS``) -> one IndexInfo per index, parts in order."""
    found: dict[str, IndexInfo] = {}
    for row in rows:
        name = text(row["name"])
        index = found.get(name)
        if index is None:
            method = text(row["index_type"])
            index = IndexInfo(
                name=name,
                table_name=table_name,
                schema=text(row["schema"]),
                is_unique=int(row["non_unique"]) == 0,
                is_primary=name == "PRIMARY",
                index_type=_INDEX_TYPES.get(method, IndexType.UNKNOWN),
                comment=text(row["comment"]) or None,
                extra={"method": method},
            )
            if row["hidden"]:
                index.extra["invisible"] = True
            found[name] = index
        column = text(row["column_name"])
        if column is None:  # a functional key part (MySQL 8.0.13+)
            column = text(row["expression"])
            index.extra.setdefault("expressions", []).append(column)
        if row["sub_part"] is not None:
            index.extra.setdefault("prefix_lengths", {})[column] = int(row["sub_part"])
        index.columns.append(
            IndexColumnInfo(
                name=column,
                ordinal_position=int(row["seq"]),
                is_descending=text(row["collation"]) == "D",
            )
        )
    return list(found.values())


def parse_foreign_keys(rows: Sequence[Row], table_name: str) -> list[ForeignKeyInfo]:
    found: dict[str, ForeignKeyInfo] = {}
    for row in rows:
        name = text(row["name"])
        fk = found.get(name)
        if fk is None:
            fk = ForeignKeyInfo(
                name=name,
                table_name=table_name,
                schema=text(row["schema"]),
                referenced_table=text(row["referenced_table"]),
                referenced_schema=text(row["referenced_schema"]),
                on_update=ReferentialAction(text(row["on_update"])),
                on_delete=ReferentialAction(text(row["on_delete"])),
                deferrable=False,
                deferred=False,
                extra={"match": text(row["match_option"])},
            )
            found[name] = fk
        fk.columns.append(text(row["column_name"]))
        fk.referenced_columns.append(text(row["referenced_column"]))
    return list(found.values())


def parse_view(row: Row) -> ViewInfo:
    check = text(row["check_option"])
    return ViewInfo(
        name=text(row["name"]),
        schema=text(row["schema"]),
        definition=text(row["definition"]),
        is_updatable=text(row["is_updatable"]) == "YES",
        check_option=None if check in (None, "NONE") else check,
        extra={"definer": text(row["definer"]), "security_type": text(row["security_type"])},
    )


def parse_trigger(row: Row) -> TriggerInfo:
    return TriggerInfo(
        name=text(row["name"]),
        table_name=text(row["table_name"]),
        schema=text(row["schema"]),
        timing=text(row["timing"]),
        events=[text(row["event"])],
        level=text(row["orientation"]),
        definition=text(row["definition"]),
        extra={"action_order": row["action_order"], "definer": text(row["definer"])},
    )


def parse_check_constraint(row: Row) -> ConstraintInfo:
    return ConstraintInfo(
        name=text(row["name"]),
        table_name=text(row["table_name"]),
        kind="CHECK",
        schema=text(row["schema"]),
        definition=text(row["definition"]),
    )


def parse_unique_constraints(rows: Sequence[Row]) -> list[ConstraintInfo]:
    found: dict[str, ConstraintInfo] = {}
    for row in rows:
        name = text(row["name"])
        if name not in found:
            found[name] = ConstraintInfo(
                name=name,
                table_name=text(row["table_name"]),
                kind="UNIQUE",
                schema=text(row["schema"]),
            )
        found[name].columns.append(text(row["column_name"]))
    return list(found.values())


def parse_partition(row: Row, table_name: str) -> PartitionInfo:
    return PartitionInfo(
        name=text(row["name"]),
        table_name=table_name,
        schema=text(row["schema"]),
        method=text(row["method"]),
        expression=text(row["expression"]),
        description=text(row["description"]),
        position=row["position"],
        subpartition=text(row["subpartition"]),
        row_count=row["row_count"],
    )


def parse_sequence(row: Row) -> SequenceInfo:
    return SequenceInfo(
        name=text(row["name"]), schema=text(row["schema"]), comment=text(row["comment"]) or None
    )
