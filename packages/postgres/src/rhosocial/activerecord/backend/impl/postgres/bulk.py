"""Bulk insert planning, and the model's declared adapters applied to what the ORM writes.

``bulk_insert`` is sent as multi-row ``INSERT ... VALUES`` statements, each under PostgreSQL's
limit of bind parameters; the results of the statements are merged into one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any, NamedTuple, TypeVar

from rhosocial.activerecord.backend.base.operations import _is_sql_expression
from rhosocial.activerecord.backend.options import (
    BulkInsertOptions,
    ExecutionOptions,
    InsertOptions,
    UpdateOptions,
)
from rhosocial.activerecord.backend.result import QueryResult
from rhosocial.activerecord.backend.schema import StatementType

from .adapters import DeclaredWriters
from .dialect import PostgresDialect
from .results import Result

# PostgreSQL's limit on bind parameters in one statement (a 16-bit count in the protocol).
MAX_PARAMS = 65535
# Rows per multi-row INSERT: large enough to amortise the round trip, small enough to keep
# statements (and the server's parse) cheap.
BULK_ROWS = 1000

RowOptions = TypeVar("RowOptions", InsertOptions, UpdateOptions)


class BulkStatement(NamedTuple):
    sql: str
    params: list[Any]


def apply_declared_adapters(declared: DeclaredWriters, options: RowOptions) -> RowOptions:
    """Insert/update options with the model's ``UseAdapter`` conversions applied."""
    adapters = declared.for_columns(options.column_adapters)
    if not adapters:
        return options
    write = declared.write
    data = {c: write(adapters[c], v) if c in adapters else v for c, v in options.data.items()}
    return replace(options, data=data)


def apply_declared_adapters_to_rows(
    declared: DeclaredWriters, options: BulkInsertOptions
) -> BulkInsertOptions:
    """Bulk-insert options with the model's ``UseAdapter`` conversions applied."""
    adapters = declared.for_columns(options.column_adapters)
    where = [(i, adapters[c]) for i, c in enumerate(options.columns) if c in adapters]
    if not where:
        return options
    write = declared.write
    rows = []
    for row in options.rows:
        values = list(row)
        for i, adapter in where:
            values[i] = write(adapter, values[i])
        rows.append(values)
    return replace(options, rows=rows)


def plan_bulk_insert(
    dialect: PostgresDialect,
    convert: Callable[[Sequence[Any]], Sequence[Any]],
    options: BulkInsertOptions,
) -> Iterator[BulkStatement] | None:
    """Multi-row VALUES statements, each under PostgreSQL's parameter limit.

    Returns None when a value is an SQL expression (the core's expression path handles it).
    """
    rows = options.rows
    columns = list(options.columns)
    if not rows or not columns:
        return None
    for row in rows:
        for value in row:
            if _is_sql_expression(value):
                return None
    quote = dialect.format_identifier
    table = quote(options.table)
    if options.schema_name:
        table = f"{quote(options.schema_name)}.{table}"
    head = f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) VALUES "
    tail = ""
    if options.returning_columns:
        tail = " RETURNING " + ", ".join(quote(c) for c in options.returning_columns)
    group = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_stmt = max(1, min(BULK_ROWS, MAX_PARAMS // len(columns)))

    def plan() -> Iterator[BulkStatement]:
        for start in range(0, len(rows), per_stmt):
            chunk = rows[start : start + per_stmt]
            params: list[Any] = []
            for row in chunk:
                params.extend(convert(row))
            yield BulkStatement(head + ", ".join([group] * len(chunk)) + tail, params)

    return plan()


def bulk_execution_options(options: BulkInsertOptions) -> ExecutionOptions:
    return ExecutionOptions(
        stmt_type=StatementType.DML,
        column_adapters=options.column_adapters,
        column_mapping=options.column_mapping,
        process_result_set=bool(options.returning_columns),
    )


def merge_results(results: list[Result], duration: float) -> Result:
    data: list[dict[str, Any]] | None = None
    for r in results:
        if r.data is not None:
            data = (data or []) + r.data
    return QueryResult(
        data=data, affected_rows=sum(r.affected_rows or 0 for r in results), duration=duration
    )
