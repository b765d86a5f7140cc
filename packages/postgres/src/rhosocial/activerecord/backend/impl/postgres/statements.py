"""What the backend learns about one SQL text: its escaped form and how to read its results.

``%`` escaping for psycopg, the read-only test the resend policy relies on, the per-text
``Statement`` record with its cache, and the choice between text and binary results.
"""

from __future__ import annotations

import re

from psycopg import pq

from .row_readers import Columns

# Placeholders psycopg understands, string literals and quoted identifiers (where every ``%``
# is literal), and any other ``%``.
_PERCENT_TOKENS = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|%(?:\([^)]*\))?[sbt]|%""")
_READ_ONLY_SQL = re.compile(r"\s*(?:SELECT|SHOW|VALUES|TABLE)\b", re.IGNORECASE)
_WRITE_WORDS = re.compile(
    r"\b(?:INSERT|UPDATE|DELETE|MERGE|NEXTVAL|SETVAL|INTO|FOR\s+UPDATE)\b", re.IGNORECASE
)

# Result types whose binary loaders give exactly what their text loaders give. Reading these in
# binary skips parsing text (a 100-row page of numbers and timestamps loads ~15% faster).
# float4 is not here: in binary it keeps the float's full width (1.1 -> 1.100000023841858);
# nor is anything psycopg has no binary loader for (it would come back as bytes).
SAME_IN_BINARY = frozenset(
    {
        16, 17, 19, 20, 21, 23, 25, 26,  # bool bytea name int8 int2 int4 text oid
        114, 701, 1042, 1043, 1082, 1083,  # json float8 bpchar varchar date time
        1114, 1184, 1186, 1266, 1700, 2950, 3802,  # timestamp(tz) interval timetz numeric uuid jsonb
    }
)  # fmt: skip


def _escape_token(m: re.Match[str]) -> str:
    tok = m.group(0)
    if tok == "%":
        return "%%"
    if tok[0] in "'\"":
        return tok.replace("%", "%%")
    return tok  # a placeholder


def escape_percent(sql: str) -> str:
    """Double every ``%`` that is not a psycopg placeholder, so literal ``%`` survives binding."""
    return _PERCENT_TOKENS.sub(_escape_token, sql)


def is_read_only_statement(sql: str) -> bool:
    """A statement that only reads: safe to send again after the connection died before replying.

    A SELECT that calls a function with side effects is beyond what SQL text can tell; the
    obvious writers (nextval, SELECT INTO, FOR UPDATE, data-modifying CTEs) are excluded.
    """
    return bool(_READ_ONLY_SQL.match(sql)) and not _WRITE_WORDS.search(sql)


class Statement:
    """What a backend has learned about one SQL text, so that running it again is cheap.

    ``escaped``: the text with every literal ``%`` doubled, for execution with parameters.
    ``binary``: read its results in binary (True) or text (False); None until its first result.
    ``raw_names``/``columns``: its last result's column names as libpq gave them and the
    ``Columns`` built for them. Names are still read from every result (a schema change can
    rename them under the same text) but compared with these, not hashed and looked up.
    """

    __slots__ = ("escaped", "binary", "raw_names", "columns")

    def __init__(self, escaped: str) -> None:
        self.escaped = escaped
        self.binary: bool | None = None
        self.raw_names: tuple[bytes, ...] = ()
        self.columns: Columns | None = None


class StatementCache(dict[str, Statement]):
    """SQL text -> its ``Statement``; bounded (cleared when full: a workload that makes texts
    without end must not grow the backend without end)."""

    __slots__ = ()
    LIMIT = 2048

    def statement(self, sql: str) -> Statement:
        """What is known of ``sql``, made on first use."""
        stmt = self.get(sql)
        if stmt is None:
            if len(self) >= self.LIMIT:
                self.clear()
            stmt = self[sql] = Statement(escape_percent(sql))
        return stmt


def settle_result_format(res: pq.abc.PGresult, stmt: Statement) -> bool:
    """After a statement not known to need text returned rows: how to read it from now on.

    Binary is chosen for read-only statements with parameters (extended protocol already)
    whose columns are all ``SAME_IN_BINARY`` and whose first result had several rows.
    Returns True when this binary result has a column of another type (the schema
    changed): the caller reads it again in text, which a read-only statement allows.
    """
    same = SAME_IN_BINARY.issuperset(map(res.ftype, range(res.nfields)))
    if stmt.binary is None:
        # Binary saves per value loaded, this check costs per result: single-row lookups
        # (first result of at most one row) stay in text and skip the check.
        many = res.ntuples > 1
        stmt.binary = same and many and is_read_only_statement(stmt.escaped)
        return False
    if not same:
        stmt.binary = False
        return True
    return False
