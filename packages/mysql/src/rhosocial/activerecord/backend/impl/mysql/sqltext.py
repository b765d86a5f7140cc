"""Reading SQL text: placeholder escaping and statement classification.

Both family drivers interpolate ``%s`` placeholders with Python's ``%`` operator when
parameters are bound, so every other ``%`` (``LIKE 'a%'``, the modulo operator) must be
written ``%%``; without parameters the text is sent as is. ORM statements repeat, so both
functions are cached on the exact text.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Quoted strings / identifiers / comments are copied through; outside them `%s` is a
# placeholder and any other `%` is literal.
_TOKENS = re.compile(
    r"""
    (?P<quoted>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`)
  | (?P<comment>--[^\n]*|\#[^\n]*|/\*.*?\*/)
  | (?P<placeholder>%s)
  | (?P<percent>%)
    """,
    re.VERBOSE | re.DOTALL,
)


@lru_cache(maxsize=1024)
def escape_percent(sql: str) -> str:
    """Double every ``%`` that is not a ``%s`` placeholder outside quotes and comments."""
    if "%" not in sql or ("%" not in sql.replace("%s", "") and "'" not in sql and '"' not in sql):
        return sql

    def repl(m: re.Match[str]) -> str:
        if m.group("quoted") is not None or m.group("comment") is not None:
            return str(m.group(0)).replace("%", "%%")
        if m.group("placeholder") is not None:
            return "%s"
        return "%%"

    return _TOKENS.sub(repl, sql)


_LEADING = re.compile(r"^(?:\s+|--[^\n]*\n|#[^\n]*\n|/\*.*?\*/|\()*", re.DOTALL)

#: Statements that only read: re-running one after a lost connection cannot double anything.
READ_ONLY_KEYWORDS = frozenset(
    {"SELECT", "SHOW", "EXPLAIN", "DESCRIBE", "DESC", "VALUES", "TABLE", "HELP"}
)
#: Statements that normally return rows.
ROW_KEYWORDS = READ_ONLY_KEYWORDS | {
    "WITH",
    "ANALYZE",
    "CALL",
    "CHECK",
    "CHECKSUM",
    "OPTIMIZE",
    "REPAIR",
}
TCL_KEYWORDS = frozenset({"BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET"})


@lru_cache(maxsize=1024)
def leading_keyword(sql: str) -> str:
    """The first keyword of ``sql``, upper-cased (comments and parentheses skipped)."""
    match = _LEADING.match(sql)  # matches every string (it may match nothing)
    start = match.end() if match else 0
    end = start
    n = len(sql)
    while end < n and (sql[end].isalpha() or sql[end] == "_"):
        end += 1
    return sql[start:end].upper()


@lru_cache(maxsize=1024)
def is_read_only(sql: str) -> bool:
    """Conservative: only statements that cannot write. ``SELECT ... FOR UPDATE`` counts as a
    read (it only takes locks, which die with the connection)."""
    keyword = leading_keyword(sql)
    if keyword in READ_ONLY_KEYWORDS:
        return not _has_into(sql)
    return False


def _has_into(sql: str) -> bool:
    # SELECT ... INTO OUTFILE/@var writes; rare, so a cheap word test is enough
    return " INTO " in sql.upper()


def is_rollback(sql: str) -> bool:
    return leading_keyword(sql) == "ROLLBACK"
