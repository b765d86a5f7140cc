"""``MySQLSchemaDiffer``: the core's differ with the family's type spellings made equal.

``int(11)`` and ``int`` (display widths, deprecated since MySQL 8.0.17 and dropped from
``COLUMN_TYPE`` by 8.0.19, are kept by MariaDB), ``integer`` and ``int``, ``bool`` and
``tinyint(1)``, ``numeric``/``dec`` and ``decimal``, ``double precision``/``real`` and ``double``,
``character varying`` and ``varchar`` compare equal; lengths, precision, ``unsigned`` do not.
"""

from __future__ import annotations

import re
from typing import Any

from rhosocial.activerecord.backend.schema.differ import SchemaDiffer

_INTEGERS = ("tinyint", "smallint", "mediumint", "int", "bigint")
_ALIASES = {
    "integer": "int",
    "bool": "tinyint",
    "boolean": "tinyint",
    "numeric": "decimal",
    "dec": "decimal",
    "fixed": "decimal",
    "double precision": "double",
    "real": "double",
    "character varying": "varchar",
    "character": "char",
}
_TYPE = re.compile(r"^(?P<name>[a-z ]+?)\s*(?P<mods>\([^)]*\))?(?P<rest>(?:\s+\w+)*)$")


def normalize_type(spelling: str) -> str:
    text = " ".join(spelling.strip().lower().split())
    for words in ("double precision", "character varying"):  # names of two words
        if text.startswith(words):
            text = _ALIASES[words] + text[len(words) :]
    m = _TYPE.match(text)
    if m is None:
        return text
    name = _ALIASES.get(m.group("name"), m.group("name"))
    mods = (m.group("mods") or "").replace(" ", "")
    rest = m.group("rest")
    if name in _INTEGERS:
        mods = ""  # a display width, not a size
    if name == "decimal" and not mods:
        mods = "(10,0)"
    elif name == "decimal" and "," not in mods:
        mods = mods[:-1] + ",0)"
    return f"{name}{mods}{rest}"


class MySQLSchemaDiffer(SchemaDiffer):
    def _columns_equivalent(self, old_col: Any, new_col: Any) -> bool:
        old_type = normalize_type(old_col.data_type_full or old_col.data_type or "")
        new_type = normalize_type(new_col.data_type_full or new_col.data_type or "")
        return (
            old_type == new_type
            and old_col.nullable == new_col.nullable
            and old_col.default_value == new_col.default_value
        )
