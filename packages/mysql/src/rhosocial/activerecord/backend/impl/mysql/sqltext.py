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


#: What mysql-connector takes for a named placeholder, wherever it stands (quotes too).
_CONNECTOR_NAMED = re.compile(r"%\([^)]+\)[diouxXeEfFgGcrs%]")


@lru_cache(maxsize=1024)
def named_placeholders(sql: str) -> str | None:
    """For mysql-connector, which takes every ``%s`` for a placeholder, inside quotes too (a
    table named ```pct %s```, a ``'%s'`` literal): the text with the placeholders outside
    quotes and comments written ``%(1)s``, ``%(2)s``, ... (the parameters are then bound as a
    dict, whose placeholders it does not look for in plain ``%s``). None in the common case,
    no ``%s`` in any quoted part or comment, and when a quoted part holds something that
    would read as a named placeholder: the text is then sent as it is."""
    if "%s" not in sql.replace("%s", "", 1) and not ("'" in sql or '"' in sql or "`" in sql):
        return None
    quoted_percent_s = False
    count = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal quoted_percent_s, count
        if m.group("quoted") is not None or m.group("comment") is not None:
            quoted_percent_s = quoted_percent_s or "%s" in m.group(0)
            return m.group(0)
        if m.group("placeholder") is not None:
            count += 1
            return f"%({count})s"
        return "%"

    text = _TOKENS.sub(repl, sql)
    if not quoted_percent_s or _CONNECTOR_NAMED.search(sql):
        return None
    return text


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
