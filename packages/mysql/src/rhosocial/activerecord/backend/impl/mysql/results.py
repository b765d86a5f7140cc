"""Result shaping: driver rows -> ``QueryResult`` (column adapters, column mapping, logging).

``row_reader`` builds the per-row dict display at run time from a result's column names: the
one place the family generates code, because it is the per-row hot path.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from rhosocial.activerecord.backend.result import QueryResult

from .backend_state import FamilyState
from .statements import Plan

_DEBUG = logging.DEBUG

Row = Sequence[Any]
RowReader = Callable[[Row], dict[str, Any]]


@dataclasses.dataclass(slots=True)
class Raw:
    """What the driver gave back for one statement."""

    rows: list[Row] | None
    description: Sequence[Sequence[Any]] | None
    rowcount: int
    lastrowid: int | None


class ColumnConversion(NamedTuple):
    """One column of a result that its adapter's ``from_database`` converts."""

    column: int
    adapter: Any
    py_type: type


class ResultShaping(FamilyState):
    """Turns one statement's ``Raw`` into the ``QueryResult`` the core expects."""

    def _shape(self, plan: Plan, raw: Raw) -> QueryResult[Any]:
        data = None
        if raw.rows is not None and raw.description is not None and plan.fetch is not False:
            data = rows_to_dicts(
                raw.rows, raw.description, plan.column_adapters, plan.column_mapping
            )
        elif plan.fetch:
            data = []
        duration = time.perf_counter() - plan.started
        logger = self.logger
        if logger.isEnabledFor(_DEBUG):
            logger.debug(
                "%s in %.6fs, %d row(s): %s | params=%s",
                plan.stmt_type.name,
                duration,
                raw.rowcount,
                plan.sql,
                self.summarize_log_data(plan.params),
            )
        return QueryResult(
            data=data,
            affected_rows=raw.rowcount if raw.rowcount is not None and raw.rowcount >= 0 else 0,
            last_insert_id=raw.lastrowid or None,
            duration=duration,
        )


def rows_to_dicts(
    rows: list[Row],
    description: Sequence[Sequence[Any]],
    adapters: dict[str, Any] | None,
    mapping: dict[str, str] | None,
) -> list[dict[str, Any]]:
    names = [d[0] for d in description]
    if adapters:
        conversions = [
            ColumnConversion(i, *adapters[n]) for i, n in enumerate(names) if adapters.get(n)
        ]
        if conversions:
            converted: list[Row] = []
            for row in rows:
                values = list(row)
                for i, adapter, py_type in conversions:
                    values[i] = adapter.from_database(values[i], py_type)
                converted.append(values)
            rows = converted
    if mapping:
        names = [mapping.get(n, n) for n in names]
    build = row_reader(tuple(names))
    return [build(row) for row in rows]


@lru_cache(maxsize=512)
def row_reader(names: tuple[str, ...]) -> RowReader:
    """``row -> {name: value}`` as one dict display, several times faster than
    ``dict(zip(names, row))`` on the per-row hot path. Names are embedded with ``repr`` (string
    literals), so no column name can inject code; duplicate names keep the last value, like
    ``dict(zip())``."""
    if not all(isinstance(n, str) for n in names):
        return lambda row: dict(zip(names, row, strict=False))
    body = ", ".join(f"{name!r}: r[{i}]" for i, name in enumerate(names))
    reader: RowReader = eval(f"lambda r: {{{body}}}")  # noqa: S307 - built from repr() literals only
    return reader
