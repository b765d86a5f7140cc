"""Result shaping: a psycopg result's columns, its rows as dicts, and the core's ``QueryResult``.

Names are read straight from the libpq result (``cursor.description`` builds a Column object
per column on every access), decoded and compiled once per column list (``row_readers``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from psycopg import pq

from rhosocial.activerecord.backend.options import ExecutionOptions
from rhosocial.activerecord.backend.result import QueryResult
from rhosocial.activerecord.backend.type_adapter import SQLTypeAdapter

from .row_readers import Columns, Row, columns_for, name_reader
from .statements import Statement

# The core's column adapters: column -> (adapter with ``from_database``, Python type).
ColumnAdapters = Mapping[str, tuple[SQLTypeAdapter, Any]]
ColumnMapping = Mapping[str, str]
# What execute/fetch return: ``data`` is the rows as dicts (None for a statement without rows).
Result = QueryResult[list[dict[str, Any]]]


class CursorResult(Protocol):
    """What result shaping reads of any psycopg cursor (sync, async, client or server side)."""

    @property
    def pgresult(self) -> pq.abc.PGresult | None: ...

    @property
    def rowcount(self) -> int: ...


class ColumnCache:
    """Raw column names of a result -> its ``Columns``, for one connection's encoding."""

    __slots__ = ("encoding", "_by_raw")

    LIMIT = 1024

    def __init__(self) -> None:
        self.encoding = "utf-8"
        self._by_raw: dict[tuple[bytes, ...], Columns] = {}

    def set_encoding(self, encoding: str) -> bool:
        """Follow the connection's encoding; True when it changed (every name read is stale)."""
        if encoding == self.encoding:
            return False
        self.encoding = encoding
        self._by_raw.clear()
        return True

    def read(self, cursor: CursorResult, stmt: Statement | None = None) -> Columns | None:
        """The current result's ``Columns``, or None without a result that has columns.

        With the statement that produced the result, its last column list is tried first.
        """
        res = cursor.pgresult
        count = res.nfields if res is not None else 0
        if not count:
            return None
        raw = name_reader(count)(res.fname)  # type: ignore[union-attr]  # count > 0: res is set
        if stmt is not None and raw == stmt.raw_names:
            return stmt.columns
        columns = self._by_raw.get(raw)
        if columns is None:
            if len(self._by_raw) >= self.LIMIT:
                self._by_raw.clear()
            encoding = self.encoding
            columns = self._by_raw[raw] = columns_for(tuple([n.decode(encoding) for n in raw]))
        if stmt is not None:
            stmt.raw_names, stmt.columns = raw, columns
        return columns


def shape_rows(
    names: tuple[str, ...],
    rows: Sequence[Row],
    column_adapters: ColumnAdapters | None = None,
    column_mapping: ColumnMapping | None = None,
) -> list[dict[str, Any]]:
    """Tuples -> dicts keyed by column (or mapped field) name, through the column adapters."""
    if column_adapters:
        plan = []
        for i, name in enumerate(names):
            info = column_adapters.get(name)
            if info and isinstance(info, tuple):
                plan.append((i, info[0].from_database, info[1]))
        if plan:
            converted = []
            for row in rows:
                values = list(row)
                for i, from_db, py_type in plan:
                    values[i] = from_db(values[i], py_type)
                converted.append(values)
            rows = converted
    if column_mapping:
        names = tuple([column_mapping.get(n, n) for n in names])
    return columns_for(names).many(rows)


def all_rows(
    columns: Columns | None,
    rows: Sequence[Row],
    adapters: ColumnAdapters | None,
    mapping: ColumnMapping | None,
) -> list[dict[str, Any]]:
    if not rows or columns is None:
        return []
    if adapters or mapping:
        return shape_rows(columns.names, rows, adapters, mapping)
    return columns.many(rows)


def one_row(
    columns: Columns | None,
    rows: Sequence[Row],
    adapters: ColumnAdapters | None,
    mapping: ColumnMapping | None,
) -> dict[str, Any] | None:
    if not rows or columns is None:
        return None
    if adapters or mapping:
        return shape_rows(columns.names, rows[:1], adapters, mapping)[0]
    return columns.one(rows[0])


def one_row_shaper(columns: Columns | None) -> Callable[[Row], dict[str, Any]]:
    return columns.one if columns is not None else lambda row: {}  # zero columns: empty rows


def make_result(
    cursor: CursorResult,
    columns: Columns | None,
    rows: Sequence[Row] | None,
    options: ExecutionOptions | None,
    duration: float,
) -> Result:
    data = None
    if rows is not None:
        if options is None:
            data = all_rows(columns, rows, None, None)
        else:
            data = all_rows(columns, rows, options.column_adapters, options.column_mapping)
    return QueryResult(
        data=data, affected_rows=cursor.rowcount, last_insert_id=None, duration=duration
    )
