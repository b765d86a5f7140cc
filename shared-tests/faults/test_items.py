"""Faults of issue 7 that are neither the network's nor a single value's: a failure at COMMIT,
the core's batch read, a quoted table name with '%', a failed reconnect's retry flag."""

from __future__ import annotations

import pytest
from faultlib.bounds import QUICK
from faultlib.targets import make_handle, new_table, run_body, timed

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.expression import RawSQLExpression
from rhosocial.activerecord.model import ActiveRecord, AsyncActiveRecord


@pytest.mark.parametrize("pkg", ["postgres"], indirect=True)
def test_deferred_constraint_at_commit_is_typed(pkg, mode, server, admin):
    """A deferred foreign key fails at COMMIT: the error is an IntegrityError *and* a
    TransactionError, and nothing of the transaction is stored."""
    parent, child = new_table(), new_table()
    admin.run(f'CREATE TABLE "{parent}" (id INT PRIMARY KEY)')
    admin.run(
        f'CREATE TABLE "{child}" (pid INT REFERENCES "{parent}" (id) DEFERRABLE INITIALLY DEFERRED)'
    )

    async def body():
        h = make_handle(pkg, mode, pkg.config(server))
        await h.connect()
        error = None
        try:
            async with h.transaction():
                await h.execute(f'INSERT INTO "{child}" (pid) VALUES (99)')
        except Exception as exc:
            error = exc
        assert await h.fetch_one("SELECT 1 AS one") == {"one": 1}
        await h.disconnect()
        return error

    error = run_body(body, QUICK * 2)
    stored = admin.rows(f'SELECT count(*) FROM "{child}"')[0][0]
    admin.run(f'DROP TABLE "{child}", "{parent}"')
    assert stored == 0
    assert isinstance(error, core.TransactionError), f"{type(error).__mro__}"
    assert isinstance(error, core.IntegrityError), f"{type(error).__mro__}"


@pytest.mark.parametrize("end", ["exhausted", "abandoned"])
def test_backend_usable_after_the_cores_batch_read(request, pkg, mode, end, server, admin):
    if pkg.family == "mysql":
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="issue 7 item 7: after the core's execute_batch_dql the next statement "
                "fails ('Cursor is not connected', 'Cursor closed', 'Unread result found')",
            )
        )
    table = new_table()
    admin.run(f"CREATE TABLE {pkg.q(table)} (id INT PRIMARY KEY)")
    admin.run(f"INSERT INTO {pkg.q(table)} VALUES " + ",".join(f"({i})" for i in range(250)))

    async def body():
        h = make_handle(pkg, mode, pkg.config(server))
        await h.connect()
        b = h.backend
        expr = RawSQLExpression(b.dialect, f"SELECT id FROM {pkg.q(table)} ORDER BY id")
        sizes = []
        pages = b.execute_batch_dql(expr, page_size=100)
        if mode == "sync":
            for page in pages:
                sizes.append(page.page_size)
                if end == "abandoned":
                    break
        else:
            async for page in pages:
                sizes.append(page.page_size)
                if end == "abandoned":
                    break
            if end == "abandoned":
                await pages.aclose()
        if end == "abandoned" and mode == "sync":
            pages.close()
        _, row, error = await timed(h.fetch_one(f"SELECT count(*) AS n FROM {pkg.q(table)}"))
        await h.disconnect()
        return sizes, row, error

    sizes, row, error = run_body(body, QUICK * 2)
    admin.run(f"DROP TABLE {pkg.q(table)}")
    assert sizes == ([100, 100, 50] if end == "exhausted" else [100])
    assert error is None, f"{type(error).__name__}: {error}"
    assert row == {"n": 250}


def test_model_on_a_table_name_with_percent(request, pkg, mode, server, admin):
    table = f"pct %s %% {new_table()}"
    admin.run(f"CREATE TABLE {pkg.q(table)} (id {pkg.types['pk']}, v INT)")
    base = ActiveRecord if mode == "sync" else AsyncActiveRecord
    Model = type(
        "Pct",
        (base,),
        {"__annotations__": {"id": int | None, "v": int}, "__table_name__": table, "id": None},
    )

    async def body():
        async def call(x):
            return (await x) if mode == "async" else x

        await call(Model.configure(pkg.config(server), pkg.backend_class(mode)))
        try:
            row = Model(v=3)
            await call(row.save())
            return (await call(Model.find_one(row.id))).v
        finally:
            await call(Model.backend().disconnect())

    try:
        got = run_body(body, QUICK * 2)
        stored = admin.rows(f"SELECT v FROM {pkg.q(table)}")
    finally:
        admin.run(f"DROP TABLE {pkg.q(table)}")
    assert (got, stored) == (3, [(3,)])


def test_failed_reconnect_during_an_outage_may_be_retried(request, pkg, mode, server, proxy):
    """A reconnect that fails because the server is unreachable is exactly what a later retry
    fixes: it must not say ``retryable=False``."""
    if pkg.name == "postgres":
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="issue 7 item 8: a reconnect that fails during an outage is flagged "
                "retryable=False",
            )
        )
    config = pkg.config(server, port=proxy.port, connect_timeout=2)

    async def body():
        h = make_handle(pkg, mode, config)
        await h.connect()
        proxy.reset()
        _, _, first = await timed(h.fetch_one("SELECT 1 AS one"))  # the session is gone
        _, _, error = await timed(h.connect())  # the reconnect attempt, still in the outage
        proxy.forward()
        await h.connect()
        await h.disconnect()
        return first, error

    first, error = run_body(body, QUICK * 3)
    assert isinstance(first, core.DatabaseError), f"{type(first).__mro__}"
    assert isinstance(error, core.ConnectionError), f"{type(error).__mro__}"
    assert getattr(error, "retryable", None) is not False
