"""The shared EXPLAIN sequence, driven sync and async over a recording stand-in backend: the
calls it makes, in order, and that an executed statement is always rolled back."""

from __future__ import annotations

import asyncio

import pytest

from rhosocial.activerecord.backend.explain import BaseExplainResult
from rhosocial.activerecord.backend.impl.common.explain import (
    ExplainRequest,
    explain_steps,
    run_async,
    run_sync,
    statement_sql,
)


class Recorder:
    """Answers the sequence's backend calls and records them; ``fail`` names a call that
    raises (the stand-in for a server error or a cancellation)."""

    def __init__(self, fail: str | None = None, error: BaseException | None = None) -> None:
        self.calls: list[tuple] = []
        self.fail, self.error = fail, error or RuntimeError("server said no")

    def __getattr__(self, name):
        def call(*args):
            self.calls.append((name, *args))
            if name == self.fail and (name != "fetch_all" or args[0].startswith("EXPLAIN")):
                raise self.error
            if name == "get_server_version":
                return (16, 2, 0)
            if name == "fetch_all":
                return [{"plan": args[0]}]
            return None

        return call


class AsyncRecorder(Recorder):
    def __getattr__(self, name):
        sync = super().__getattr__(name)

        async def call(*args):
            await asyncio.sleep(0)
            return sync(*args)

        return call


def request(executes: bool, check: bool = False) -> ExplainRequest:
    def parse(rows, sql, duration):
        return BaseExplainResult(raw_rows=rows, sql=sql, duration=duration)

    def verify(rows):
        if rows != [{"plan": "SELECT engines"}]:
            raise AssertionError(rows)

    return ExplainRequest(
        sql="EXPLAIN x",
        params=(1,),
        executes=executes,
        parse=parse,
        check=("SELECT engines", ()) if check else None,
        verify=verify if check else None,
    )


def run(recorder, req):
    steps = explain_steps(lambda version: req)
    if isinstance(recorder, AsyncRecorder):
        return asyncio.run(run_async(recorder, steps))
    return run_sync(recorder, steps)


@pytest.mark.parametrize("make", [Recorder, AsyncRecorder], ids=["sync", "async"])
def test_plain_explain_is_one_fetch_after_the_version(make):
    recorder = make()
    result = run(recorder, request(executes=False))
    assert recorder.calls == [("get_server_version",), ("fetch_all", "EXPLAIN x", (1,))]
    assert result.raw_rows == [{"plan": "EXPLAIN x"}] and result.sql == "EXPLAIN x"


@pytest.mark.parametrize("make", [Recorder, AsyncRecorder], ids=["sync", "async"])
def test_executed_statement_runs_between_begin_and_rollback_after_its_check(make):
    recorder = make()
    run(recorder, request(executes=True, check=True))
    assert [c[0] for c in recorder.calls] == [
        "get_server_version",
        "fetch_all",  # the check
        "begin_transaction",
        "fetch_all",
        "rollback_transaction",
    ]


@pytest.mark.parametrize("make", [Recorder, AsyncRecorder], ids=["sync", "async"])
@pytest.mark.parametrize("error", [RuntimeError("server said no"), KeyboardInterrupt()])
def test_a_failing_executed_statement_is_rolled_back_and_its_error_raised(make, error):
    recorder = make(fail="fetch_all", error=error)
    with pytest.raises(type(error)):
        run(recorder, request(executes=True))
    assert [c[0] for c in recorder.calls][-2:] == ["fetch_all", "rollback_transaction"]


@pytest.mark.parametrize("make", [Recorder, AsyncRecorder], ids=["sync", "async"])
def test_a_refusing_check_sends_nothing_more(make):
    def refuse(rows):
        raise ValueError("no")

    recorder = make()
    checked = request(executes=True, check=True)
    refusing = ExplainRequest(**{**checked.__dict__, "verify": refuse})
    with pytest.raises(ValueError, match="no"):
        run(recorder, refusing)
    assert [c[0] for c in recorder.calls] == ["get_server_version", "fetch_all"]


def test_statement_sql_takes_expressions_and_orm_queries_but_not_an_explain():
    class Query:
        def to_sql(self):
            return "SELECT * FROM t WHERE id = %s", [3]

    assert statement_sql(Query()) == ("SELECT * FROM t WHERE id = %s", (3,))
    with pytest.raises(TypeError, match="not str"):
        statement_sql("SELECT 1")
