"""``PostgresSchemaDiffer``: the core's differ with PostgreSQL type spellings made equal.

``int4``, ``integer`` and ``int``; ``varchar(20)`` and ``character varying(20)``; ``timestamptz``
and ``timestamp with time zone``; ``serial`` and ``integer``... compare equal: columns compare by
``normalize_type`` of their full type, their nullability and default.
"""

from __future__ import annotations

import re
from typing import Any

from rhosocial.activerecord.backend.schema.differ import SchemaDiffer

_ALIASES = {
    "int": "integer",
    "int4": "integer",
    "serial": "integer",
    "serial4": "integer",
    "int2": "smallint",
    "smallserial": "smallint",
    "serial2": "smallint",
    "int8": "bigint",
    "bigserial": "bigint",
    "serial8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "float": "double precision",
    "bool": "boolean",
    "varchar": "character varying",
    "char": "character",
    "bpchar": "character",
    "decimal": "numeric",
    "timestamptz": "timestamp with time zone",
    "timestamp": "timestamp without time zone",
    "timetz": "time with time zone",
    "time": "time without time zone",
    "varbit": "bit varying",
}
_TYPE = re.compile(
    r"^(?P<name>[a-z0-9_ ]+?)\s*(?P<mods>\([^)]*\))?(?P<rest>(?:\s+with(?:out)? time zone)?)(?P<array>(?:\[\])*)$"
)


def normalize_type(spelling: str) -> str:
    """One spelling per PostgreSQL type: lower case, aliases resolved, modifiers kept."""
    text = " ".join(spelling.strip().lower().split())
    m = _TYPE.match(text)
    if m is None:
        return text
    name, mods, rest, array = (
        m.group("name"),
        m.group("mods") or "",
        m.group("rest"),
        m.group("array"),
    )
    if rest:  # "timestamp(3) with time zone": the zone decides, not the alias table
        name = f"{name}{rest}"
    name = _ALIASES.get(name, name)
    mods = mods.replace(" ", "")
    if (
        name
        in (
            "timestamp with time zone",
            "timestamp without time zone",
            "time with time zone",
            "time without time zone",
        )
        and mods
    ):
        head, zone = name.split(" ", 1)
        return f"{head}{mods} {zone}{array}"
    return f"{name}{mods}{array}"


class PostgresSchemaDiffer(SchemaDiffer):
    """Column types compare through ``normalize_type``; the rest as the core's differ does."""

    def _columns_equivalent(self, old_col: Any, new_col: Any) -> bool:
        old_type = normalize_type(old_col.data_type_full or old_col.data_type or "")
        new_type = normalize_type(new_col.data_type_full or new_col.data_type or "")
        return (
            old_type == new_type
            and old_col.nullable == new_col.nullable
            and old_col.default_value == new_col.default_value
        )
