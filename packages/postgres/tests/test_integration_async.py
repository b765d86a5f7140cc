"""The async backend: native asyncio, same semantics, and cancellation reaching the server."""

import asyncio

import pytest
from pg_support import terminate

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.impl.postgres import (
    ConnectionLostError,
    TransactionAbortedError,
)
from rhosocial.activerecord.backend.options import BulkInsertOptions
from rhosocial.activerecord.backend.transaction import IsolationLevel, TransactionMode


async def test_native_async_connection(abackend):
    import psycopg

    assert isinstance(abackend._connection, psycopg.AsyncConnection)
    assert await abackend.fetch_one("SELECT %s::int + 1 AS x", (1,)) == {"x": 2}
    assert await abackend.ping() is True


async def test_async_transaction_settings_and_savepoints(abackend, table):
    await abackend.execute(f'CREATE TABLE "{table}" (id int PRIMARY KEY)')
    tm = abackend.transaction_manager
    async with tm.transaction(
        isolation_level=IsolationLevel.REPEATABLE_READ, mode=TransactionMode.READ_ONLY
    ):
        row = await abackend.fetch_one(
            "SELECT current_setting('transaction_isolation') AS i, "
            "current_setting('transaction_read_only') AS r"
        )
        assert row == {"i": "repeatable read", "r": "on"}
    async with abackend.transaction():
        await abackend.execute(f'INSERT INTO "{table}" VALUES (1)')
        await tm.begin()
        with pytest.raises(core.IntegrityError):
            await abackend.execute(f'INSERT INTO "{table}" VALUES (1)')
        await abackend.execute(f'INSERT INTO "{table}" VALUES (2)')
        await tm.commit()
    assert await abackend.fetch_all(f'SELECT id FROM "{table}" ORDER BY id') == [
        {"id": 1},
        {"id": 2},
    ]
    await abackend.begin_transaction()
    with pytest.raises(core.IntegrityError):
        await abackend.execute(f'INSERT INTO "{table}" VALUES (1)')
    with pytest.raises(TransactionAbortedError):
        await abackend.execute("SELECT 1")
    await abackend.rollback_transaction()


async def test_cancelled_task_cancels_the_query_on_the_server(abackend, admin):
    pid = abackend._connection.info.backend_pid
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(abackend.execute("SELECT pg_sleep(30)"), timeout=0.3)
    # the server is not still sleeping for us ...
    row = admin.execute(
        "SELECT state, query FROM pg_stat_activity WHERE pid = %s", (pid,)
    ).fetchone()
    assert row is None or row[0] == "idle"
    # ... and the connection is clean (or was discarded and transparently replaced)
    assert await abackend.fetch_one("SELECT 1 AS ok") == {"ok": 1}


async def test_cancelled_task_inside_transaction_leaves_it_for_the_owner(abackend, table):
    await abackend.execute(f'CREATE TABLE "{table}" (id int)')
    await abackend.begin_transaction()
    await abackend.execute(f'INSERT INTO "{table}" VALUES (1)')
    task = asyncio.create_task(abackend.execute("SELECT pg_sleep(30)"))
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    with pytest.raises(core.DatabaseError):
        await abackend.execute("SELECT 1")  # failed transaction: no silent rollback
    await abackend.rollback_transaction()
    assert await abackend.fetch_all(f'SELECT * FROM "{table}"') == []


async def test_async_lost_connection_rules(abackend, admin, table):
    await abackend.execute(f'CREATE TABLE "{table}" (id int)')
    terminate(admin, abackend._connection.info.backend_pid)
    assert await abackend.fetch_one("SELECT 7 AS x") == {"x": 7}  # read: resent
    terminate(admin, abackend._connection.info.backend_pid)
    with pytest.raises(ConnectionLostError):
        await abackend.execute(f'INSERT INTO "{table}" VALUES (1)')  # write: never resent
    assert await abackend.fetch_all(f'SELECT * FROM "{table}"') == []


async def test_async_bulk_and_stream(abackend, table):
    await abackend.execute(f'CREATE TABLE "{table}" (id serial PRIMARY KEY, v int)')
    res = await abackend.bulk_insert(
        BulkInsertOptions(
            table=table, columns=["v"], rows=[(i,) for i in range(2500)], returning_columns=["id"]
        )
    )
    assert len(res.data) == 2500
    await abackend.execute_many(
        f'INSERT INTO "{table}" (v) VALUES (%s)', [(i,) for i in range(100)]
    )
    n = 0
    async for _row in abackend.stream(f'SELECT * FROM "{table}"', size=500):
        n += 1
    assert n == 2600
