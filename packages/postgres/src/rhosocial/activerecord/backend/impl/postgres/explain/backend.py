"""``backend.explain()`` for PostgreSQL: options to ``EXPLAIN (...)``, gated by server version.

The core's ``ExplainOptions`` carry the options PostgreSQL has in every supported version
(ANALYZE, VERBOSE, COSTS, BUFFERS, TIMING, SUMMARY, SETTINGS, WAL, FORMAT); newer ones go in
``dialect_options``: ``generic_plan`` (16+), ``serialize`` (``"NONE"|"TEXT"|"BINARY"``, 17+) and
``memory`` (17+). An option the connected server lacks raises ``UnsupportedFeatureError`` naming
the version it needs, before anything is sent.

With ANALYZE the statement is executed; it runs inside a transaction that is rolled back (a
savepoint when the caller's transaction is open), see ``impl.common.explain``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rhosocial.activerecord.backend.dialect.exceptions import UnsupportedFeatureError
from rhosocial.activerecord.backend.impl.common.explain import (
    AsyncGuardedExplainMixin,
    ExplainRequest,
    SyncGuardedExplainMixin,
    statement_sql,
)

from .types import PostgresExplainResult

FORMATS = ("TEXT", "JSON", "XML", "YAML")
SERIALIZE_MODES = ("NONE", "TEXT", "BINARY")

#: dialect_options key -> (EXPLAIN option, first major version that has it)
_NEWER_OPTIONS: dict[str, tuple[str, int]] = {
    "generic_plan": ("GENERIC_PLAN", 16),
    "serialize": ("SERIALIZE", 17),
    "memory": ("MEMORY", 17),
}


def _refuse(feature: str, needs: int, version: Sequence[int]) -> UnsupportedFeatureError:
    got = ".".join(str(part) for part in version[:2])
    return UnsupportedFeatureError(
        "PostgreSQL", feature, f"needs PostgreSQL {needs} or newer; this server is {got}"
    )


def build_explain_sql(
    statement: str, options: Any, version: Sequence[int]
) -> tuple[str, str, bool]:
    """``(sql, format, analyze)`` for ``EXPLAIN (...) statement`` on a server of ``version``."""
    if options is None:
        return f"EXPLAIN {statement}", "TEXT", False
    from rhosocial.activerecord.backend.expression.statements import ExplainType

    analyze = bool(options.analyze or options.type == ExplainType.ANALYZE)
    parts: list[str] = []
    if analyze:
        parts.append("ANALYZE")
    if options.verbose:
        parts.append("VERBOSE")
    if not options.costs:
        parts.append("COSTS OFF")
    if options.buffers:
        parts.append("BUFFERS")
    if options.timing and analyze:
        parts.append("TIMING")
    if analyze and not options.summary:
        parts.append("SUMMARY OFF")
    if options.settings:
        parts.append("SETTINGS")
    if options.wal:
        parts.append("WAL")  # the server refuses it without ANALYZE, with a clear message
    extra = dict(options.dialect_options or {})
    unknown = set(extra) - set(_NEWER_OPTIONS)
    if unknown:
        raise ValueError(
            f"unknown PostgreSQL EXPLAIN dialect_options {sorted(unknown)}; "
            f"known: {sorted(_NEWER_OPTIONS)}"
        )
    for key, (name, since) in _NEWER_OPTIONS.items():
        value = extra.get(key)
        if value is None or value is False:
            continue
        if version[0] < since:
            raise _refuse(f"EXPLAIN ({name})", since, version)
        if key == "serialize" and value is not True:
            mode = str(value).upper()
            if mode not in SERIALIZE_MODES:
                raise ValueError(f"serialize must be one of {SERIALIZE_MODES}, not {value!r}")
            parts.append(f"SERIALIZE {mode}")
        else:
            parts.append(name)
    fmt = "TEXT"
    if options.format is not None:
        fmt = str(options.format.value).upper()
        if fmt not in FORMATS:
            raise UnsupportedFeatureError(
                "PostgreSQL", f"EXPLAIN FORMAT {fmt}", f"use one of {', '.join(FORMATS)}"
            )
        parts.append(f"FORMAT {fmt}")
    head = f"EXPLAIN ({', '.join(parts)})" if parts else "EXPLAIN"
    return f"{head} {statement}", fmt, analyze


class _PostgresExplainPlanner:
    """The request for one ``explain()`` call (no I/O)."""

    def _explain_request(
        self, expression: Any, options: Any, version: Sequence[int]
    ) -> ExplainRequest:
        statement, params = statement_sql(expression)
        sql, fmt, analyze = build_explain_sql(statement, options, version)

        def parse(rows: list[dict[str, Any]], sent: str, duration: float) -> PostgresExplainResult:
            return PostgresExplainResult.from_rows(rows, sent, duration, fmt, analyze)

        # Every ANALYZE is guarded, reads too: a SELECT can write through a volatile function
        # or a data-modifying WITH, and one BEGIN/ROLLBACK pair costs a round trip each.
        return ExplainRequest(sql=sql, params=params, executes=analyze, parse=parse)


class PostgresExplainMixin(_PostgresExplainPlanner, SyncGuardedExplainMixin):
    """``explain()`` of the sync backend: first in ``PostgresBackend``'s bases."""

    def explain(self, expression: Any, options: Any = None) -> PostgresExplainResult:
        result = super().explain(expression, options)
        assert isinstance(result, PostgresExplainResult)  # built by our parse()
        return result


class AsyncPostgresExplainMixin(_PostgresExplainPlanner, AsyncGuardedExplainMixin):
    """``explain()`` of the async backend: first in ``AsyncPostgresBackend``'s bases."""

    async def explain(self, expression: Any, options: Any = None) -> PostgresExplainResult:
        result = await super().explain(expression, options)
        assert isinstance(result, PostgresExplainResult)  # built by our parse()
        return result
