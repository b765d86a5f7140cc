"""One statement classifier for the three backends: may a statement be sent again after the
connection was lost, and must it go to a primary.

A statement is a *read* (``resendable``: sending it again cannot double an effect) when it starts
with SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN, DESCRIBE/DESC or HELP *and* none of these
appears in its code (outside string literals and comments):

- INSERT, UPDATE, DELETE, MERGE (a CTE that writes; ``EXPLAIN ANALYZE`` of a write), INTO
  (``SELECT ... INTO`` a table, a variable or a file);
- a locking read: ``FOR UPDATE``, ``FOR NO KEY UPDATE``, ``FOR SHARE``, ``FOR KEY SHARE``,
  ``LOCK IN SHARE MODE`` (locks are taken for a write that follows; re-sent, the locks would be
  held in a session that does not know it);
- a call of a function in :data:`WRITING_FUNCTIONS` (sequences, advisory and named locks,
  notifications, settings, large objects, ...), or MariaDB's ``NEXT VALUE FOR``.

Everything else is a write. It errs on the side of "write": a quoted identifier is kept as a
word (``SELECT "update"`` counts as a write), an unterminated string or comment makes the whole
statement a write, and a user-defined function that writes is beyond what the text can tell
(call it through a statement that is not a SELECT, or list it in ``extra_writing_functions``).

``needs_primary`` is True for every write and for reads calling :data:`PRIMARY_ONLY_FUNCTIONS`
(they fail on a standby). The core's statement type is trusted when it says "write"
(DML, DDL, TCL, INSERT, ...) and checked against the text when it says "read" (DQL, SELECT,
EXPLAIN), because the core marks ``SELECT ... FOR UPDATE`` as DQL.

Cost, measured with ``python -m timeit -r 9`` on the shared 2-core machine at load average 13
(so the numbers are high): a repeated text (the ORM's case) is a cache hit, about 1 us per call
(0.3 us on an idle run); a new 90-character SELECT costs about 9 us once, whether or not its
identifiers are quoted; one with a string literal and a comment about 23 us once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rhosocial.activerecord.backend.schema import StatementType

__all__ = [
    "Classification",
    "WRITING_FUNCTIONS",
    "PRIMARY_ONLY_FUNCTIONS",
    "classify",
    "code_only",
]


@dataclass(frozen=True, slots=True)
class Classification:
    """What the classifier decided about one statement."""

    #: A read: after a lost connection (outside a transaction) it may be sent again.
    resendable: bool
    #: Must run on the primary (every write, and reads that fail on a standby).
    needs_primary: bool


READ = Classification(resendable=True, needs_primary=False)
WRITE = Classification(resendable=False, needs_primary=True)
PRIMARY_READ = Classification(resendable=True, needs_primary=True)

#: Functions that change something (data, sequences, locks, session or server state) or whose
#: effect must not be doubled. PostgreSQL and MySQL/MariaDB names; matched case-insensitively
#: as a call (name followed by "("), schema-qualified or not.
WRITING_FUNCTIONS = frozenset(
    {
        # sequences
        "nextval",
        "setval",
        # PostgreSQL advisory locks (session and transaction level, shared and try-variants)
        "pg_advisory_lock",
        "pg_advisory_lock_shared",
        "pg_advisory_xact_lock",
        "pg_advisory_xact_lock_shared",
        "pg_try_advisory_lock",
        "pg_try_advisory_lock_shared",
        "pg_try_advisory_xact_lock",
        "pg_try_advisory_xact_lock_shared",
        "pg_advisory_unlock",
        "pg_advisory_unlock_shared",
        "pg_advisory_unlock_all",
        # PostgreSQL: notifications, settings, server and session control, xid assignment
        "pg_notify",
        "set_config",
        "pg_cancel_backend",
        "pg_terminate_backend",
        "pg_reload_conf",
        "pg_rotate_logfile",
        "pg_switch_wal",
        "pg_create_restore_point",
        "pg_logical_emit_message",
        "pg_create_physical_replication_slot",
        "pg_create_logical_replication_slot",
        "pg_drop_replication_slot",
        "pg_replication_slot_advance",
        "pg_stat_reset",
        "pg_stat_reset_shared",
        "pg_stat_reset_single_table_counters",
        "txid_current",
        "pg_current_xact_id",
        # PostgreSQL large objects and dblink
        "lo_create",
        "lo_creat",
        "lo_import",
        "lo_export",
        "lo_unlink",
        "lo_put",
        "lo_from_bytea",
        "lo_truncate",
        "dblink_exec",
        # MySQL/MariaDB named locks and LAST_INSERT_ID(expr), which sets the value
        "get_lock",
        "release_lock",
        "release_all_locks",
        "last_insert_id",
    }
)

#: Reads that fail on a standby (they name the primary's WAL position).
PRIMARY_ONLY_FUNCTIONS = frozenset(
    {"pg_current_wal_lsn", "pg_current_wal_insert_lsn", "pg_current_wal_flush_lsn"}
)

_READ_KEYWORDS = frozenset(
    {"SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN", "DESCRIBE", "DESC", "HELP"}
)

_TRUSTED_WRITE_TYPES = frozenset(
    {
        StatementType.DML,
        StatementType.DDL,
        StatementType.TCL,
        StatementType.INSERT,
        StatementType.UPDATE,
        StatementType.DELETE,
        StatementType.TRUNCATE,
        StatementType.MERGE,
        StatementType.CALL,
        StatementType.EXECUTE,
    }
)

_WRITE_WORDS = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "INTO"})
_SHARE_LOCK = re.compile(r"\bFOR\s+(?:KEY\s+)?SHARE\b|\bLOCK\s+IN\s+SHARE\s+MODE\b")
_NEXT_VALUE = re.compile(r"\bNEXT\s+VALUE\s+FOR\b")
_WORDS = re.compile(r"[A-Z_][A-Z_0-9]*")


def _call_pattern(names: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted((re.escape(n.upper()) for n in names), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\s*\(")


_extra_calls = lru_cache(maxsize=64)(_call_pattern)  # one compiled pattern per name set

_WRITING_NAMES = frozenset(n.upper() for n in WRITING_FUNCTIONS)
_PRIMARY_NAMES = frozenset(n.upper() for n in PRIMARY_ONLY_FUNCTIONS)
_WRITE_CALLS = _call_pattern(WRITING_FUNCTIONS)
_PRIMARY_CALLS = _call_pattern(PRIMARY_ONLY_FUNCTIONS)
_LEADING_WORD = re.compile(r"[\s(]*([A-Za-z]+)")

# What is not code. PostgreSQL: '...', E'...' (backslash escapes), "..." identifiers,
# $tag$...$tag$, -- and nested /* */. MySQL family: '...' and "..." with backslash escapes,
# `...`, #, "-- " (a space or control character after the dashes: "1--1" is arithmetic), /* */
# without nesting, and /*! ... */ or /*M! ... */, which the server *executes*. Regular
# constructs are matched whole by the pattern (no Python loop per character); a quote left
# over ("bad") means an unterminated literal.
_SPECIAL = {
    "postgres": re.compile(
        r"""(?P<estr>(?<![\w$])[eE]'(?:[^'\\]|\\.|'')*')"""
        r"""|(?P<str>'(?:[^']|'')*')"""
        r"""|(?P<ident>"(?:[^"]|"")*")"""
        r"""|(?P<dollar>\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$)"""
        r"""|(?P<line>--[^\n]*)"""
        r"""|(?P<block>/\*)"""
        r"""|(?P<bad>['"])""",
        re.DOTALL,
    ),
    "mysql": re.compile(
        r"""(?P<str>'(?:[^'\\]|\\.|'')*')"""
        r"""|(?P<ident>"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`)"""
        r"""|(?P<line>\#[^\n]*|--(?=[\s\x00-\x1f]|$)[^\n]*)"""
        r"""|(?P<exec>/\*M?!\d*|\*/)"""
        r"""|(?P<block>/\*)"""
        r"""|(?P<bad>['"`])""",
        re.DOTALL,
    ),
}
_PLAIN = {"postgres": re.compile(r"""['$/-]"""), "mysql": re.compile(r"""['"#/*-]""")}
# A first character class finds the candidates fast; the patterns above confirm them.
_CANDIDATE = {"postgres": re.compile(r"""[eE]'|['"$/-]"""), "mysql": re.compile(r"""['"`#/*-]""")}


class _Unterminated(Exception):
    pass


def _end_of_block_comment(sql: str, start: int, nested: bool) -> int:
    depth = 1
    i = start
    while depth:
        close = sql.find("*/", i)
        if close < 0:
            raise _Unterminated
        opening = sql.find("/*", i, close) if nested else -1
        if opening >= 0:
            depth += 1
            i = opening + 2
        else:
            depth -= 1
            i = close + 2
    return i


def code_only(sql: str, family: str = "postgres") -> str | None:
    """``sql`` with string literals and comments replaced by a space and quoted identifiers by
    their bare text (MySQL's executable ``/*! */`` comments stay code). None when a string or
    comment is not terminated: the text cannot be read safely."""
    mysql = family != "postgres"
    key = "mysql" if mysql else "postgres"
    # The ORM's statements quote every identifier and have no literal or comment: with none of
    # the characters that could start one, the quotes alone go (4 us instead of 30 us for a
    # 12-identifier SELECT, measured under load).
    if _PLAIN[key].search(sql) is None:
        return sql.replace("`" if mysql else '"', " ")
    special, candidate = _SPECIAL[key], _CANDIDATE[key]
    out: list[str] = []
    i = 0
    try:
        while True:
            c = candidate.search(sql, i)
            m = None
            while c is not None:
                m = special.match(sql, c.start())
                if m is not None:
                    break
                c = candidate.search(sql, c.start() + 1)
            if m is None:
                out.append(sql[i:])
                return "".join(out)
            out.append(sql[i : m.start()])
            kind = m.lastgroup
            i = m.end()
            if kind == "ident":
                out.append(f" {sql[m.start() + 1 : i - 1]} ")  # an identifier stays a word
            elif kind == "dollar":
                end = sql.find(m.group(), i)
                if end < 0:
                    raise _Unterminated
                i = end + len(m.group())
                out.append(" ")
            elif kind == "block":
                i = _end_of_block_comment(sql, i, nested=not mysql)
                out.append(" ")
            elif kind == "bad":
                raise _Unterminated
            else:  # a string, a line comment, or MySQL's executable-comment markers
                out.append(" ")
    except _Unterminated:
        return None


@lru_cache(maxsize=4096)
def _classify_text(sql: str, family: str) -> Classification:
    code = code_only(sql, family)
    if code is None:
        return WRITE
    m = _LEADING_WORD.match(code)
    if m is None or m.group(1).upper() not in _READ_KEYWORDS:
        return WRITE
    upper = code.upper()
    # One pass collects the words; the regexes run only when a word they need is there
    # (three full regex scans cost about 16 us on a 90-character SELECT, this about 6 us).
    words = set(_WORDS.findall(upper))
    if not words.isdisjoint(_WRITE_WORDS):
        return WRITE
    if "SHARE" in words and _SHARE_LOCK.search(upper):
        return WRITE
    if "NEXT" in words and _NEXT_VALUE.search(upper):
        return WRITE
    if not words.isdisjoint(_WRITING_NAMES) and _WRITE_CALLS.search(upper):
        return WRITE
    if not words.isdisjoint(_PRIMARY_NAMES) and _PRIMARY_CALLS.search(upper):
        return PRIMARY_READ
    return READ


def classify(
    sql: str,
    stmt_type: StatementType | None = None,
    *,
    family: str = "postgres",
    extra_writing_functions: Iterable[str] = (),
) -> Classification:
    """Classify one statement (see the module docstring). ``family`` is "postgres" or
    "mysql"/"mariadb" (their quoting and comment rules differ). Cached per text and family."""
    if stmt_type in _TRUSTED_WRITE_TYPES:
        return WRITE
    result = _classify_text(sql, "postgres" if family == "postgres" else "mysql")
    if result.resendable and extra_writing_functions:
        code = code_only(sql, family) or ""
        if _extra_calls(frozenset(extra_writing_functions)).search(code.upper()):
            return WRITE
    return result
