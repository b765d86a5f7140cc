"""Bulk planning: split bulk inserts and ``execute_many`` batches to fit ``max_allowed_packet``.

A batch is as large as half of ``max_allowed_packet`` allows (estimated from its first row):
fewer round trips than a fixed row count, never a statement the server rejects.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from rhosocial.activerecord.backend.options import BulkInsertOptions
from rhosocial.activerecord.backend.result import QueryResult

from . import errors as family_errors
from .adapters import check_packet_size
from .backend_state import FamilyState
from .session import DEFAULT_MAX_ALLOWED_PACKET
from .statements import _named_params

#: ``execute_many`` batches may hold this many rows even when ``bulk_max_rows`` is lower: the
#: drivers turn them into multi-row INSERTs, bounded by the packet estimate anyway.
_EXECUTE_MANY_MIN_CAP = 50_000


class BulkPlanning(FamilyState):
    """Chunks for bulk inserts and ``execute_many``, and one result for a chunked insert."""

    if TYPE_CHECKING:  # statements.StatementPreparation

        def _convert_params(
            self, params: Sequence[Any], row: int | None = None
        ) -> tuple[Any, ...]: ...

        def _placeholder_text(self, sql: str) -> tuple[str, bool]: ...

    def _bulk_chunks(self, options: BulkInsertOptions) -> Iterator[BulkInsertOptions]:
        """Split a bulk insert into multi-row INSERTs that fit ``max_allowed_packet``."""
        rows = options.rows
        if not rows:
            return
        limit = self._rows_per_statement(rows[0], cap=self.config.bulk_max_rows)
        if len(rows) <= limit:
            yield options
            return
        for start in range(0, len(rows), limit):
            yield dataclasses.replace(options, rows=rows[start : start + limit])

    def _merge_bulk(
        self, results: list[QueryResult[Any]], chunk_sizes: list[int]
    ) -> QueryResult[Any]:
        """One result for a chunked bulk insert; ids must stay first-id + consecutive."""
        if len(results) == 1:
            return results[0]
        data: list[Any] | None = None
        if any(r.data for r in results):
            data = [row for r in results for row in (r.data or [])]
        first_id = results[0].last_insert_id
        if first_id is not None:
            step = self._server_info.autoinc_increment if self._server_info else 1
            expected = first_id
            for result, size in zip(results, chunk_sizes, strict=False):
                if result.last_insert_id != expected:
                    raise family_errors.ServerError(
                        "auto-increment ids of a chunked bulk insert are not consecutive; "
                        "ids of the inserted rows cannot be reported (insert fewer rows per call)"
                    )
                expected += size * step
        return QueryResult(
            data=data,
            affected_rows=sum(r.affected_rows for r in results),
            last_insert_id=first_id,
            duration=sum(r.duration for r in results),
        )

    def _execute_many_chunks(
        self, sql: str, params_list: Sequence[Sequence[Any]]
    ) -> Iterator[tuple[str, list[tuple[Any, ...]] | list[dict[str, Any]]]]:
        """Converted parameter rows in batches the drivers turn into multi-row INSERTs; each
        row is refused before anything is sent when it cannot fit ``max_allowed_packet``."""
        sql, named = self._placeholder_text(sql)
        convert = self._convert_params
        rows = [convert(params, row) for row, params in enumerate(params_list, 1)]
        if not rows:
            return
        if self._server_info is not None:
            packet = self._server_info.max_allowed_packet
            for number, row in enumerate(rows, 1):
                check_packet_size(sql, row, packet, number, charset=self.config.charset)
        cap = max(self.config.bulk_max_rows, _EXECUTE_MANY_MIN_CAP)
        limit = self._rows_per_statement(rows[0], cap=cap)
        for start in range(0, len(rows), limit):
            batch = rows[start : start + limit]
            yield sql, [_named_params(row) for row in batch] if named else batch

    def _rows_per_statement(self, sample_row: Sequence[Any], cap: int) -> int:
        info = self._server_info
        packet = info.max_allowed_packet if info else DEFAULT_MAX_ALLOWED_PACKET
        return max(1, min(cap, (packet // 2) // max(_estimate_row_bytes(sample_row), 1)))


def _estimate_row_bytes(row: Sequence[Any]) -> int:
    size = 0
    for value in row:
        if isinstance(value, (str, bytes, bytearray)):
            size += len(value) * 2 + 4
        else:
            size += 24
    return size
