"""The EXPLAIN sequence all three backends share, written once for sync and async.

``backend.explain(expression, options)`` is the core's typed entry point (its
``SyncExplainBackendProtocol``/``AsyncExplainBackendProtocol``). The core's own mixins run the
EXPLAIN with one ``fetch_all``; ours add what a server needs around it:

- the server version is known before the SQL is built (options are gated by version);
- an optional check query runs first (the MySQL family refuses ANALYZE of a write to a table
  whose engine cannot roll back);
- when the statement really runs (ANALYZE), it runs inside a transaction that is rolled back,
  or inside a savepoint rolled back when the user's own transaction is open: the core's
  transaction manager gives exactly that for a nested ``begin_transaction`` /
  ``rollback_transaction``.

The sequence is a generator of backend calls, ``(method name, arguments)``; a sync and an async
driver of a few lines each run it (the same shape as the family's ``_session_setup``). EXPLAIN is
not a hot path, so the generator's cost (a few microseconds) does not matter here; what matters
is that the rollback logic exists once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

from rhosocial.activerecord.backend.explain import (
    AsyncExplainBackendMixin,
    BaseExplainResult,
    SyncExplainBackendMixin,
)

#: One backend call: the name of a method that the sync backend has as a plain method and the
#: async backend as a coroutine method, and its positional arguments.
Step = tuple[str, tuple[Any, ...]]
Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class ExplainRequest:
    """What one backend decided to send for one ``explain()`` call (no I/O in building it)."""

    sql: str
    params: tuple[Any, ...]
    #: True when the server executes the statement (ANALYZE): it runs in a rolled-back
    #: transaction or savepoint.
    executes: bool
    #: Turns the fetched rows into the server's typed result.
    parse: Callable[[Rows, str, float], BaseExplainResult]
    #: A query run before the EXPLAIN; ``verify`` receives its rows and raises to refuse.
    check: tuple[str, tuple[Any, ...]] | None = None
    verify: Callable[[Rows], None] | None = None


def statement_sql(expression: Any) -> tuple[str, tuple[Any, ...]]:
    """The explained statement's SQL and bound values.

    A core expression (``QueryExpression``, ``DeleteExpression``, ...) or anything else with the
    same ``to_sql()``: an ORM query (``User.query().where(...)``) is explained as it would run.
    """
    from rhosocial.activerecord.backend.expression.statements import ExplainExpression

    if isinstance(expression, ExplainExpression):
        raise TypeError("explain() takes the statement to explain, not an ExplainExpression")
    to_sql = getattr(expression, "to_sql", None)
    if not callable(to_sql):
        raise TypeError(
            f"explain() takes an expression or an ORM query, not {type(expression).__name__}"
        )
    sql, params = to_sql()
    return str(sql), tuple(params or ())


def explain_steps(
    plan: Callable[[Sequence[int]], ExplainRequest],
) -> Generator[Step, Any, BaseExplainResult]:
    """The EXPLAIN sequence; ``plan`` builds the request once the server version is known."""
    version = yield "get_server_version", ()  # connects first when needed
    request = plan(tuple(version))
    if request.check is not None:
        rows = yield "fetch_all", request.check
        if request.verify is not None:
            request.verify(rows)
    if not request.executes:
        start = time.perf_counter()
        rows = yield "fetch_all", (request.sql, request.params)
        return request.parse(rows, request.sql, time.perf_counter() - start)
    yield "begin_transaction", ()  # a savepoint when the user's transaction is open
    try:
        start = time.perf_counter()
        rows = yield "fetch_all", (request.sql, request.params)
        duration = time.perf_counter() - start
    except GeneratorExit:  # the generator is being closed: it may not yield again
        raise
    except BaseException:
        # whatever stopped the EXPLAIN (a server error, a cancellation): its writes are undone
        # before the error goes on; a failing rollback is chained to it by Python
        yield "rollback_transaction", ()
        raise
    yield "rollback_transaction", ()
    return request.parse(rows, request.sql, duration)


def run_sync(target: Any, steps: Generator[Step, Any, BaseExplainResult]) -> BaseExplainResult:
    """Drive ``steps`` with plain calls on ``target``; a call's error is thrown back in."""
    advance: Callable[[Any], Step] = steps.send
    value: Any = None
    while True:
        try:
            name, args = advance(value)
        except StopIteration as done:
            result: BaseExplainResult = done.value
            return result
        try:
            value, advance = getattr(target, name)(*args), steps.send
        except BaseException as exc:  # noqa: B036 - thrown into the sequence, which re-raises it
            value, advance = exc, steps.throw


async def run_async(
    target: Any, steps: Generator[Step, Any, BaseExplainResult]
) -> BaseExplainResult:
    """Drive ``steps`` awaiting the same calls on an async ``target`` (twin of ``run_sync``)."""
    advance: Callable[[Any], Step] = steps.send
    value: Any = None
    while True:
        try:
            name, args = advance(value)
        except StopIteration as done:
            result: BaseExplainResult = done.value
            return result
        try:
            value, advance = await getattr(target, name)(*args), steps.send
        except BaseException as exc:  # noqa: B036 - thrown into the sequence, which re-raises it
            value, advance = exc, steps.throw


class ExplainPlanner:
    """What a backend provides: the request for one call, built without I/O."""

    def _explain_request(
        self, expression: Any, options: Any, version: Sequence[int]
    ) -> ExplainRequest:
        raise NotImplementedError


class SyncGuardedExplainMixin(ExplainPlanner, SyncExplainBackendMixin):
    """``explain()`` for a sync backend; placed before the core's ``StorageBackend``."""

    def explain(self, expression: Any, options: Any = None) -> BaseExplainResult:
        return run_sync(
            self, explain_steps(lambda version: self._explain_request(expression, options, version))
        )


class AsyncGuardedExplainMixin(ExplainPlanner, AsyncExplainBackendMixin):
    """``explain()`` for an async backend; placed before the core's ``AsyncStorageBackend``."""

    async def explain(self, expression: Any, options: Any = None) -> BaseExplainResult:
        return await run_async(
            self, explain_steps(lambda version: self._explain_request(expression, options, version))
        )
